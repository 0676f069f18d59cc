/*
 * check.c — a document against a loaded schema: the keywords' Draft 7 meaning, and the message
 * that names the first failure by its JSON Pointer in the document.
 *
 * Why stop at the first failure: the message goes to a person (a test's assertion, the CLI's one
 * line), and one precise "at /spec/replicas: expected integer or null, got string" is worth more
 * than a list. For anyOf and oneOf the message says briefly why each alternative failed, because
 * "matches none" alone does not say which way to fix the document.
 *
 * The document path is a stack of borrowed keys and indices, turned into text only when a check
 * fails, so a passing check allocates nothing but that stack. Keywords are applied in a fixed
 * order (type first) so the message does not depend on the order of keys in the schema file.
 */
#include "validate/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One step of the document path: an object key (borrowed) or, when key is NULL, an index. */
typedef struct seg {
    const char *key;
    size_t index;
} seg;

typedef struct ctx {
    const val_schema *s;
    base_err *err;
    seg *path;
    size_t n, cap;
    int depth;            /* schemas entered, $ref hops included */
    pcre2_match_data *md; /* for every pattern of this check, made at the first one */
} ctx;

/* ---------------------------------------------------------------- the path and messages */

static int push(ctx *c, const char *key, size_t index)
{
    seg *p = base_grow(c->path, &c->cap, c->n + 1, sizeof *p, 32);
    if (!p)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory checking");
    c->path = p;
    c->path[c->n].key = key;
    c->path[c->n].index = index;
    c->n++;
    return BASE_OK;
}

static void pop(ctx *c)
{
    c->n--;
}

/* Writes one step of the path ("/key" with ~ and / escaped, or "/index") into out, at most room
 * characters (out NULL: only counts); returns the full length. */
static size_t seg_render(const seg *sg, char *out, size_t room)
{
    char tmp[32];
    const char *k = sg->key;
    if (!k) {
        snprintf(tmp, sizeof tmp, "%zu", sg->index);
        k = tmp;
    }
    size_t n = 0;
#define EMIT(ch)                                                                                   \
    do {                                                                                           \
        if (out && n < room)                                                                       \
            out[n] = (ch);                                                                         \
        n++;                                                                                       \
    } while (0)
    EMIT('/');
    for (; *k; k++) {
        if (sg->key && (*k == '~' || *k == '/')) {
            EMIT('~');
            EMIT(*k == '~' ? '0' : '1');
        } else {
            EMIT(*k);
        }
    }
#undef EMIT
    return n;
}

/* The path as a JSON Pointer (RFC 6901), "(root)" for the document itself. A path longer than
 * the buffer keeps its end, the part that says where, behind "...". */
static void render_path(const ctx *c, char *buf, size_t len)
{
    if (c->n == 0) {
        snprintf(buf, len, "(root)");
        return;
    }
    size_t budget = len - 4, total = 0, first = c->n;
    while (first > 0) {
        size_t w = seg_render(&c->path[first - 1], NULL, 0);
        if (total + w > budget)
            break;
        total += w;
        first--;
    }
    size_t o = 0;
    if (first > 0) {
        memcpy(buf, "...", 3);
        o = 3;
    }
    if (first == c->n) { /* one huge key: its beginning */
        size_t w = seg_render(&c->path[c->n - 1], buf + o, budget);
        o += w < budget ? w : budget;
    }
    for (size_t i = first; i < c->n; i++)
        o += seg_render(&c->path[i], buf + o, len - 1 - o);
    buf[o] = '\0';
}

static int fail(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fills c->err with "at PATH: what" and returns BASE_EINPUT. */
static int fail(ctx *c, const char *fmt, ...)
{
    char where[240], what[400];
    render_path(c, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return base_err_set(c->err, BASE_EINPUT, NULL, 0, 0, "at %s: %s", where, what);
}

static const char *type_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

/* A value in a message: compact JSON, cut at `max` characters. */
static void brief(const json_t *v, char *buf, size_t len, size_t max)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
    if (!s) {
        snprintf(buf, len, "(a %s)", type_of(v));
        return;
    }
    if (strlen(s) > max)
        snprintf(buf, len, "%.*s...", (int)max, s);
    else
        snprintf(buf, len, "%s", s);
    free(s);
}

/* ---------------------------------------------------------------- the keywords */

static int check(ctx *c, const json_t *sch, const json_t *doc);

static const json_t *kw(const json_t *sch, const char *name)
{
    return json_object_get(sch, name);
}

static int check_at_key(ctx *c, const json_t *sch, const json_t *doc, const char *key)
{
    int st = push(c, key, 0);
    if (st != BASE_OK)
        return st;
    st = check(c, sch, doc);
    pop(c);
    return st;
}

static int check_at_index(ctx *c, const json_t *sch, const json_t *doc, size_t i)
{
    int st = push(c, NULL, i);
    if (st != BASE_OK)
        return st;
    st = check(c, sch, doc);
    pop(c);
    return st;
}

static int is_integral(double d)
{
    return isfinite(d) && d == floor(d);
}

static int has_type(const json_t *doc, const char *t)
{
    switch (t[0]) {
    case 'o': return json_is_object(doc);
    case 'a': return json_is_array(doc);
    case 's': return json_is_string(doc);
    case 'b': return json_is_boolean(doc);
    case 'n':
        if (t[1] == 'u' && t[2] == 'l')
            return json_is_null(doc);
        return json_is_number(doc);
    case 'i': /* Draft 7: any number with a zero fractional part, 1.0 included */
        return json_is_integer(doc) || (json_is_real(doc) && is_integral(json_real_value(doc)));
    }
    return 0;
}

static int check_type(ctx *c, const json_t *type, const json_t *doc)
{
    if (json_is_string(type)) {
        if (has_type(doc, json_string_value(type)))
            return BASE_OK;
        return fail(c, "expected %s, got %s", json_string_value(type), type_of(doc));
    }
    char names[200] = "";
    size_t o = 0;
    for (size_t i = 0; i < json_array_size(type); i++) {
        const char *t = json_string_value(json_array_get(type, i));
        if (has_type(doc, t))
            return BASE_OK;
        int w = snprintf(names + o, sizeof names - o, "%s%s", i ? " or " : "", t);
        if (w > 0 && (size_t)w < sizeof names - o)
            o += (size_t)w;
    }
    return fail(c, "expected %s, got %s", o ? names : "nothing (type is [])", type_of(doc));
}

/* doc is not what `want` allows (an enum's list, a const): the failure, both shown briefly,
 * `how` between them ("is not one of"). */
static int mismatch(ctx *c, const json_t *doc, const char *how, const json_t *want)
{
    char got[80], w[160];
    brief(doc, got, sizeof got, 60);
    brief(want, w, sizeof w, 140);
    return fail(c, "%s %s %s", got, how, w);
}

/* val_json_equal's -1: a value nested deeper than it compares. */
static int too_deep(ctx *c)
{
    return base_err_set(c->err, BASE_ELIMIT, NULL, 0, 0, "value nested too deep");
}

static int check_enum(ctx *c, const json_t *list, const json_t *doc)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        int eq = val_json_equal(json_array_get(list, i), doc);
        if (eq == 1)
            return BASE_OK;
        if (eq < 0)
            return too_deep(c);
    }
    return mismatch(c, doc, "is not one of", list);
}

static int check_const(ctx *c, const json_t *k, const json_t *doc)
{
    int eq = val_json_equal(k, doc);
    if (eq == 1)
        return BASE_OK;
    if (eq < 0)
        return too_deep(c);
    return mismatch(c, doc, "is not the constant", k);
}

/* -1, 0 or 1 as a is below, equal to or above b (integers compared exactly). */
static int compare_numbers(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b)) {
        json_int_t x = json_integer_value(a), y = json_integer_value(b);
        return (x > y) - (x < y);
    }
    double x = json_number_value(a), y = json_number_value(b);
    return (x > y) - (x < y);
}

static int is_multiple(const json_t *doc, const json_t *m)
{
    if (json_is_integer(doc) && json_is_integer(m))
        return json_integer_value(doc) % json_integer_value(m) == 0;
    double q = json_number_value(doc) / json_number_value(m);
    if (!isfinite(q))
        return 0;
    /* binary fractions: 0.3 / 0.1 is 2.9999999999999996, so allow a relative 1e-9 */
    return fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
}

static int check_number(ctx *c, const json_t *sch, const json_t *doc)
{
    char got[40];
    const json_t *k;
    if ((k = kw(sch, "multipleOf")) && !is_multiple(doc, k)) {
        brief(doc, got, sizeof got, 30);
        return fail(c, "%s is not a multiple of %g", got, json_number_value(k));
    }
    /* draft 4 spelt exclusive bounds as booleans beside minimum/maximum */
    const json_t *xmin = kw(sch, "exclusiveMinimum"), *xmax = kw(sch, "exclusiveMaximum");
    if ((k = kw(sch, "minimum"))) {
        int strict = json_is_true(xmin), cmp = compare_numbers(doc, k);
        if (cmp < 0 || (strict && cmp == 0)) {
            brief(doc, got, sizeof got, 30);
            return fail(c, "%s is %s the minimum %g", got, strict ? "not above" : "below",
                        json_number_value(k));
        }
    }
    if ((k = kw(sch, "maximum"))) {
        int strict = json_is_true(xmax), cmp = compare_numbers(doc, k);
        if (cmp > 0 || (strict && cmp == 0)) {
            brief(doc, got, sizeof got, 30);
            return fail(c, "%s is %s the maximum %g", got, strict ? "not below" : "above",
                        json_number_value(k));
        }
    }
    if (json_is_number(xmin) && compare_numbers(doc, xmin) <= 0) {
        brief(doc, got, sizeof got, 30);
        return fail(c, "%s is not above the exclusive minimum %g", got, json_number_value(xmin));
    }
    if (json_is_number(xmax) && compare_numbers(doc, xmax) >= 0) {
        brief(doc, got, sizeof got, 30);
        return fail(c, "%s is not below the exclusive maximum %g", got, json_number_value(xmax));
    }
    return BASE_OK;
}

/* Whether s (len bytes) matches re: 1 or 0, or a failure status with c->err set. */
static int matches(ctx *c, const pcre2_code *re, const char *s, size_t len)
{
    /* one pair of offsets is enough: only whether there is a match matters */
    if (!c->md && !(c->md = pcre2_match_data_create(1, NULL)))
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory checking");
    int m = val_regex_match(re, s, len, c->md);
    if (m == BASE_ENOMEM)
        return base_err_set(c->err, m, NULL, 0, 0, "out of memory matching a pattern");
    if (m < 0)
        return base_err_set(c->err, BASE_ELIMIT, NULL, 0, 0,
                            "matching a pattern against \"%.60s\" hit PCRE2's limits", s);
    return m;
}

/* A size's pair of keywords, min<key> and max<key> (Length of a string, Items of an array,
 * Properties of an object), against its size n: "<thing> of <n> <units> <less> min<key> <m>". */
static int check_size(ctx *c, const json_t *sch, size_t n, const char *key, const char *thing,
                      const char *units, const char *less, const char *more)
{
    char min[24], max[24];
    snprintf(min, sizeof min, "min%s", key);
    snprintf(max, sizeof max, "max%s", key);
    const json_t *k;
    if ((k = kw(sch, min)) && (double)n < json_number_value(k))
        return fail(c, "%s of %zu %s %s %s %g", thing, n, units, less, min, json_number_value(k));
    if ((k = kw(sch, max)) && (double)n > json_number_value(k))
        return fail(c, "%s of %zu %s %s %s %g", thing, n, units, more, max, json_number_value(k));
    return BASE_OK;
}

static int check_string(ctx *c, const json_t *sch, const val_node *node, const json_t *doc)
{
    const char *s = json_string_value(doc);
    size_t len = val_utf8_length(s, json_string_length(doc));
    int st = check_size(c, sch, len, "Length", "string", "characters", "is shorter than",
                        "is longer than");
    if (st != BASE_OK)
        return st;
    int m = node->pattern ? matches(c, node->pattern, s, json_string_length(doc)) : 1;
    if (m < 0)
        return m;
    if (!m)
        return fail(c, "\"%.60s\" does not match the pattern \"%.120s\"", s,
                    json_string_value(kw(sch, "pattern")));
    return BASE_OK;
}

typedef struct hashed {
    uint64_t h;
    size_t i;
} hashed;

static int by_hash(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Finds two equal items: sorted by hash, only items of equal hash are compared. */
static int check_unique(ctx *c, const json_t *doc)
{
    size_t n = json_array_size(doc);
    if (n < 2)
        return BASE_OK;
    hashed *hs = malloc(n * sizeof *hs);
    if (!hs)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory checking");
    for (size_t i = 0; i < n; i++) {
        hs[i].h = val_json_hash(json_array_get(doc, i));
        hs[i].i = i;
    }
    qsort(hs, n, sizeof *hs, by_hash);
    size_t first = n, second = n;
    for (size_t a = 0; a < n; a++) {
        for (size_t b = a + 1; b < n && hs[b].h == hs[a].h; b++) {
            int eq = val_json_equal(json_array_get(doc, hs[a].i), json_array_get(doc, hs[b].i));
            if (eq < 0) {
                free(hs);
                return too_deep(c);
            }
            /* report the pair that comes first in the array, whatever the hash order */
            if (eq && (hs[b].i < second || (hs[b].i == second && hs[a].i < first))) {
                first = hs[a].i;
                second = hs[b].i;
            }
        }
    }
    free(hs);
    if (second < n)
        return fail(c, "items %zu and %zu are equal (uniqueItems)", first, second);
    return BASE_OK;
}

static int check_array(ctx *c, const json_t *sch, const json_t *doc)
{
    size_t n = json_array_size(doc);
    int sized = check_size(c, sch, n, "Items", "array", "items", "has fewer than", "has more than");
    if (sized != BASE_OK)
        return sized;
    const json_t *k;
    const json_t *items = kw(sch, "items"), *extra = kw(sch, "additionalItems");
    if (items) {
        /* the array form fixes the first items; additionalItems governs the rest */
        size_t fixed = json_is_array(items) ? json_array_size(items) : n;
        for (size_t i = 0; i < n; i++) {
            const json_t *sub = !json_is_array(items) ? items
                                : i < fixed           ? json_array_get(items, i)
                                                      : extra;
            if (!sub)
                break;
            if (json_is_false(sub) && i >= fixed) {
                int st = push(c, NULL, i);
                if (st != BASE_OK)
                    return st;
                st = fail(c,
                          "item not allowed: the array has %zu items, the schema %zu "
                          "(additionalItems is false)",
                          n, fixed);
                pop(c);
                return st;
            }
            int st = check_at_index(c, sub, json_array_get(doc, i), i);
            if (st != BASE_OK)
                return st;
        }
    }
    if (json_is_true(kw(sch, "uniqueItems"))) {
        int st = check_unique(c, doc);
        if (st != BASE_OK)
            return st;
    }
    if ((k = kw(sch, "contains"))) {
        for (size_t i = 0; i < n; i++) {
            int st = check_at_index(c, k, json_array_get(doc, i), i);
            if (st == BASE_OK)
                return BASE_OK;
            if (st != BASE_EINPUT)
                return st;
        }
        char want[120];
        brief(k, want, sizeof want, 100);
        return fail(c, "no item matches \"contains\": %s", want);
    }
    return BASE_OK;
}

/* The allowed property names, for the message about one that is not. */
static void list_names(const json_t *props, char *buf, size_t len)
{
    size_t o = 0;
    const char *key;
    json_t *v;
    buf[0] = '\0';
    json_object_foreach((json_t *)props, key, v)
    {
        int w = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", key);
        if (w < 0 || (size_t)w >= len - o) {
            if (len > 4)
                snprintf(buf + (len - 4 < o ? len - 4 : o), 4, "...");
            return;
        }
        o += (size_t)w;
    }
}

/* properties, patternProperties and additionalProperties, member by member in document order. */
static int check_members(ctx *c, const json_t *sch, const val_node *node, const json_t *doc)
{
    const json_t *props = kw(sch, "properties"), *extra = kw(sch, "additionalProperties");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)doc, key, v)
    {
        int known = 0, st;
        const json_t *sub = props ? json_object_get(props, key) : NULL;
        if (sub) {
            known = 1;
            if ((st = check_at_key(c, sub, v, key)) != BASE_OK)
                return st;
        }
        for (size_t i = 0; i < node->npprops; i++) {
            int m = matches(c, node->pprops[i].re, key, strlen(key));
            if (m < 0)
                return m;
            if (!m)
                continue;
            known = 1;
            sub = json_object_get(kw(sch, "patternProperties"), node->pprops[i].key);
            if ((st = check_at_key(c, sub, v, key)) != BASE_OK)
                return st;
        }
        if (known || !extra)
            continue;
        if (json_is_false(extra)) {
            char names[200] = "none";
            if (props && json_object_size(props))
                list_names(props, names, sizeof names);
            if ((st = push(c, key, 0)) != BASE_OK)
                return st;
            st = fail(c, "property not allowed (additionalProperties is false; known: %s)", names);
            pop(c);
            return st;
        }
        if ((st = check_at_key(c, extra, v, key)) != BASE_OK)
            return st;
    }
    return BASE_OK;
}

static int check_object(ctx *c, const json_t *sch, const val_node *node, const json_t *doc)
{
    size_t n = json_object_size(doc);
    int st = check_size(c, sch, n, "Properties", "object", "properties", "has fewer than",
                        "has more than");
    if (st != BASE_OK)
        return st;
    const json_t *k;
    if ((k = kw(sch, "required"))) {
        for (size_t i = 0; i < json_array_size(k); i++) {
            const char *name = json_string_value(json_array_get(k, i));
            if (!json_object_get(doc, name))
                return fail(c, "missing required property \"%s\"", name);
        }
    }
    if ((st = check_members(c, sch, node, doc)) != BASE_OK)
        return st;
    if ((k = kw(sch, "dependencies"))) {
        const char *key;
        json_t *dep;
        json_object_foreach((json_t *)k, key, dep)
        {
            if (!json_object_get(doc, key))
                continue;
            if (!json_is_array(dep)) {
                if ((st = check(c, dep, doc)) != BASE_OK)
                    return st;
                continue;
            }
            for (size_t i = 0; i < json_array_size(dep); i++) {
                const char *need = json_string_value(json_array_get(dep, i));
                if (!json_object_get(doc, need))
                    return fail(c, "property \"%s\" requires property \"%s\" (dependencies)", key,
                                need);
            }
        }
    }
    if ((k = kw(sch, "propertyNames"))) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)doc, key, v)
        {
            json_t *name = json_string(key);
            if (!name)
                return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory checking");
            st = check_at_key(c, k, name, key);
            json_decref(name);
            if (st != BASE_OK)
                return st;
        }
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- combinations */

/* Why each alternative of anyOf/oneOf failed, kept brief: "[0] at /x: ...; [1] ...". */
typedef struct summary {
    char text[420];
    size_t len;
} summary;

static void summary_add(summary *sm, size_t i, const char *msg)
{
    if (sm->len + 1 >= sizeof sm->text)
        return;
    int w = snprintf(sm->text + sm->len, sizeof sm->text - sm->len, "%s[%zu] %.110s",
                     sm->len ? "; " : "", i, msg);
    if (w > 0)
        sm->len = sm->len + (size_t)w < sizeof sm->text ? sm->len + (size_t)w : sizeof sm->text - 1;
}

/* anyOf (exactly_one 0) or oneOf (1). */
static int check_alternatives(ctx *c, const json_t *alts, const json_t *doc, int exactly_one)
{
    const char *name = exactly_one ? "oneOf" : "anyOf";
    /* on the heap: this frame is part of every nested check's stack */
    summary *sm = calloc(1, sizeof *sm);
    if (!sm)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory checking");
    size_t matched = 0, first = 0, second = 0;
    int st = BASE_OK;
    for (size_t i = 0; i < json_array_size(alts); i++) {
        st = check(c, json_array_get(alts, i), doc);
        if (st == BASE_OK) {
            if (matched++ == 0)
                first = i;
            else
                second = i;
            if (!exactly_one || matched == 2)
                break;
            continue;
        }
        if (st != BASE_EINPUT)
            break;
        summary_add(sm, i, c->err->msg);
        st = BASE_OK;
    }
    if (st == BASE_OK && matched == 0)
        st = fail(c, "matches no alternative of %s: %s", name, sm->text);
    else if (st == BASE_OK && exactly_one && matched > 1)
        st = fail(c, "matches alternatives %zu and %zu of oneOf; exactly one must match", first,
                  second);
    free(sm);
    return st;
}

static int check_logic(ctx *c, const json_t *sch, const json_t *doc)
{
    const json_t *k;
    int st;
    if ((k = kw(sch, "allOf"))) {
        for (size_t i = 0; i < json_array_size(k); i++)
            if ((st = check(c, json_array_get(k, i), doc)) != BASE_OK)
                return st;
    }
    if ((k = kw(sch, "anyOf")) && (st = check_alternatives(c, k, doc, 0)) != BASE_OK)
        return st;
    if ((k = kw(sch, "oneOf")) && (st = check_alternatives(c, k, doc, 1)) != BASE_OK)
        return st;
    if ((k = kw(sch, "not"))) {
        st = check(c, k, doc);
        if (st == BASE_OK)
            return fail(c, "matches the schema of \"not\"");
        if (st != BASE_EINPUT)
            return st;
    }
    if ((k = kw(sch, "if"))) {
        st = check(c, k, doc);
        if (st != BASE_OK && st != BASE_EINPUT)
            return st;
        const json_t *branch = kw(sch, st == BASE_OK ? "then" : "else");
        if (branch && (st = check(c, branch, doc)) != BASE_OK)
            return st;
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- one schema */

static int check_schema_object(ctx *c, const json_t *sch, const json_t *doc)
{
    const val_node *node = val_node_find(c->s, sch);
    if (!node)
        return base_err_set(c->err, BASE_EINTERNAL, NULL, 0, 0, "schema object not loaded");
    if (node->ref) /* Draft 7: beside $ref, other keywords are ignored */
        return check(c, node->ref, doc);
    const json_t *k;
    int st;
    if ((k = kw(sch, "type")) && (st = check_type(c, k, doc)) != BASE_OK)
        return st;
    if ((k = kw(sch, "enum")) && (st = check_enum(c, k, doc)) != BASE_OK)
        return st;
    if ((k = kw(sch, "const")) && (st = check_const(c, k, doc)) != BASE_OK)
        return st;
    switch (json_typeof(doc)) {
    case JSON_INTEGER:
    case JSON_REAL: st = check_number(c, sch, doc); break;
    case JSON_STRING: st = check_string(c, sch, node, doc); break;
    case JSON_ARRAY: st = check_array(c, sch, doc); break;
    case JSON_OBJECT: st = check_object(c, sch, node, doc); break;
    default: st = BASE_OK; break;
    }
    if (st != BASE_OK)
        return st;
    return check_logic(c, sch, doc);
}

static int check(ctx *c, const json_t *sch, const json_t *doc)
{
    if (json_is_true(sch))
        return BASE_OK;
    if (json_is_false(sch))
        return fail(c, "no value is allowed here (the schema is false)");
    if (c->depth >= VAL_MAX_DEPTH) {
        char where[240];
        render_path(c, where, sizeof where);
        return base_err_set(c->err, BASE_ELIMIT, NULL, 0, 0,
                            "at %s: schemas nested deeper than %d (a $ref cycle?)", where,
                            VAL_MAX_DEPTH);
    }
    c->depth++;
    int st = check_schema_object(c, sch, doc);
    c->depth--;
    return st;
}

int val_check(const val_schema *s, const json_t *doc, base_err *err)
{
    base_err local;
    base_err_clear(&local);
    ctx c = {.s = s, .err = &local};
    int st = doc ? check(&c, s->root, doc)
                 : base_err_set(&local, BASE_EINPUT, NULL, 0, 0, "no document to check");
    free(c.path);
    pcre2_match_data_free(c.md);
    if (st == BASE_OK)
        base_err_clear(&local);
    if (err)
        *err = local;
    return st;
}
