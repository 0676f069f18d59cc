/*
 * json.c — JSON values compared the way JSON Schema compares them (enum, const, uniqueItems),
 * and string length in characters (minLength, maxLength).
 *
 * Why not json_equal: jansson tells an integer from a real (1 != 1.0), while JSON Schema compares
 * numbers by value, and a report written with json_real() must equal an enum written as 1. The
 * hash lets uniqueItems sort an array's items by hash and compare only neighbours, so a long
 * array costs n log n rather than n squared.
 */
#include "validate/internal.h"

#include <math.h>
#include <string.h>

static int is_number(const json_t *v)
{
    return json_is_integer(v) || json_is_real(v);
}

/* An integer and a real are equal when the real is integral and converts back to the integer. */
static int int_equals_real(json_int_t i, double r)
{
    if (!(r == floor(r)) || fabs(r) > 9.2e18)
        return 0;
    return (json_int_t)r == i;
}

static int numbers_equal(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b))
        return json_integer_value(a) == json_integer_value(b);
    if (json_is_integer(a))
        return int_equals_real(json_integer_value(a), json_real_value(b));
    if (json_is_integer(b))
        return int_equals_real(json_integer_value(b), json_real_value(a));
    return json_real_value(a) == json_real_value(b);
}

static int equal_at(const json_t *a, const json_t *b, int depth)
{
    if (depth > VAL_MAX_DEPTH)
        return BASE_ELIMIT;
    if (is_number(a) && is_number(b))
        return numbers_equal(a, b);
    if (json_typeof(a) != json_typeof(b))
        return 0;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_ARRAY: {
        size_t n = json_array_size(a);
        if (n != json_array_size(b))
            return 0;
        for (size_t i = 0; i < n; i++) {
            int eq = equal_at(json_array_get(a, i), json_array_get(b, i), depth + 1);
            if (eq != 1)
                return eq;
        }
        return 1;
    }
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        const char *key;
        json_t *va;
        /* json_object_foreach wants a non-const object; it only reads it */
        json_object_foreach((json_t *)a, key, va)
        {
            const json_t *vb = json_object_get(b, key);
            if (!vb)
                return 0;
            int eq = equal_at(va, vb, depth + 1);
            if (eq != 1)
                return eq;
        }
        return 1;
    }
    default: return 1; /* true, false, null: the type is the value */
    }
}

int val_json_equal(const json_t *a, const json_t *b)
{
    return equal_at(a, b, 0);
}

/* FNV-1a over bytes, then a final mix so that small differences spread over all bits. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint64_t hash_at(const json_t *v, int depth)
{
    uint64_t h = 1469598103934665603ULL + (uint64_t)json_typeof(v);
    if (depth > VAL_MAX_DEPTH)
        return h;
    if (is_number(v)) {
        /* by value as a double: 1 and 1.0 hash alike (integers beyond 2^53 may collide, which
         * equality then sorts out); +0.0 stands for -0.0 too */
        double d = json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
        if (d == 0)
            d = 0;
        return mix(fnv(1469598103934665603ULL, &d, sizeof d));
    }
    switch (json_typeof(v)) {
    case JSON_STRING: return mix(fnv(h, json_string_value(v), json_string_length(v)));
    case JSON_ARRAY:
        for (size_t i = 0; i < json_array_size(v); i++)
            h = mix(h * 31 + hash_at(json_array_get(v, i), depth + 1));
        return h;
    case JSON_OBJECT: {
        /* order-independent: a sum over the members */
        uint64_t sum = 0;
        const char *key;
        json_t *m;
        json_object_foreach((json_t *)v, key, m)
        {
            sum += mix(fnv(h, key, strlen(key)) ^ hash_at(m, depth + 1));
        }
        return mix(h ^ sum);
    }
    default: return mix(h);
    }
}

uint64_t val_json_hash(const json_t *v)
{
    return hash_at(v, 0);
}

size_t val_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80; /* every byte but continuation bytes */
    return n;
}
