/*
 * internal.h — what the files of src/validate share and nobody else sees: the loaded schema
 * (the JSON document plus what was worked out once at load time: resolved $refs and compiled
 * patterns), the ECMA-262 patterns run by PCRE2, JSON equality and hashing.
 *
 * Why a side table keyed by the schema object's address rather than a tree of our own: the checker
 * walks the jansson document directly, which keeps keyword semantics in one place (check.c), and
 * only the two things that are costly or can fail (a regex compile, a $ref lookup) are prepared
 * ahead, so a check never fails because of the schema.
 */
#ifndef SIMULATE_VALIDATE_INTERNAL_H
#define SIMULATE_VALIDATE_INTERNAL_H

#include "validate/validate.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>

/* One patternProperties entry: the property-name pattern (as written) and its compiled form. */
typedef struct val_pprop {
    const char *key; /* borrowed from the schema document */
    pcre2_code *re;
} val_pprop;

/* What load time learnt about one schema object. */
typedef struct val_node {
    const json_t *schema; /* the schema object (hash key); NULL: empty slot */
    const json_t *ref;    /* where its $ref points, or NULL */
    pcre2_code *pattern;  /* its "pattern", compiled, or NULL */
    val_pprop *pprops;    /* its patternProperties, compiled, in the schema's order */
    size_t npprops;
} val_node;

struct val_schema {
    json_t *root;  /* owned reference */
    val_node *tab; /* open addressing by pointer, power-of-two capacity, at most half full */
    size_t cap, n;
};

/* The node of a schema object, or NULL when load time found nothing to remember about it. */
const val_node *val_node_find(const val_schema *s, const json_t *schema);

/* Rewrites an ECMA-262 pattern into the PCRE2 syntax that means the same under the options
 * val_regex_compile sets (regex.c says what and why). On success *out is a malloc'd string; on
 * failure returns BASE_EINPUT (why says which construct ECMA-262 would not accept) or
 * BASE_ENOMEM. */
int val_regex_adapt(const char *ecma, char **out, char *why, size_t why_len);

/* Compiles an ECMA-262 pattern with PCRE2 (JIT when available). BASE_OK, BASE_EINPUT (why is
 * filled), BASE_ENOMEM. On success the caller pcre2_code_free()s *out. */
int val_regex_compile(const char *ecma, pcre2_code **out, char *why, size_t why_len);

/* Whether the UTF-8 string s of len bytes has a match of re anywhere (JSON Schema patterns are
 * not anchored). md: match data of the caller's thread (any size). 1 match, 0 none, BASE_ENOMEM,
 * or BASE_ELIMIT when PCRE2's match or JIT stack limits stop a pathological pattern. */
int val_regex_match(const pcre2_code *re, const char *s, size_t len, pcre2_match_data *md);

/* JSON equality as JSON Schema means it: numbers by value (1 equals 1.0), objects regardless of
 * key order. 1 equal, 0 not, BASE_ELIMIT when nested deeper than VAL_MAX_DEPTH. */
int val_json_equal(const json_t *a, const json_t *b);

/* A hash consistent with val_json_equal (equal values hash equal). Deeper than VAL_MAX_DEPTH the
 * nested part is not hashed (still consistent: equality then decides). */
uint64_t val_json_hash(const json_t *v);

/* The Unicode code points in a UTF-8 string of `len` bytes. */
size_t val_utf8_length(const char *s, size_t len);

#endif
