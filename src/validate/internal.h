/*
 * internal.h — what the files of src/validate share and nobody else sees: the loaded schema
 * (the JSON document plus what was worked out once at load time: resolved $refs and compiled
 * patterns), the ECMA-262 to POSIX pattern translation, JSON equality and hashing.
 *
 * Why a side table keyed by the schema object's address rather than a tree of our own: the checker
 * walks the jansson document directly, which keeps keyword semantics in one place (check.c), and
 * only the two things that are costly or can fail (a regex compile, a $ref lookup) are prepared
 * ahead, so a check never fails because of the schema.
 */
#ifndef SIMULATE_VALIDATE_INTERNAL_H
#define SIMULATE_VALIDATE_INTERNAL_H

#include "validate/validate.h"

#include <regex.h>
#include <stdint.h>

/* One patternProperties entry: the property-name pattern (as written) and its compiled form. */
typedef struct val_pprop {
    const char *key; /* borrowed from the schema document */
    regex_t re;
} val_pprop;

/* What load time learnt about one schema object. */
typedef struct val_node {
    const json_t *schema; /* the schema object (hash key); NULL: empty slot */
    const json_t *ref;    /* where its $ref points, or NULL */
    regex_t *pattern;     /* its "pattern", compiled, or NULL */
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

/* Translates an ECMA-262 pattern into a POSIX extended regular expression (see validate.h for
 * what is rewritten and what is refused). On success *out is a malloc'd string; on failure returns
 * BASE_EINPUT (why says which construct) or BASE_ENOMEM. */
int val_regex_translate(const char *ecma, char **out, char *why, size_t why_len);

/* Compiles an ECMA-262 pattern into *re in the "C" locale. BASE_OK, BASE_EINPUT (why is filled),
 * BASE_ENOMEM. On success the caller regfree()s *re. */
int val_regex_compile(const char *ecma, regex_t *re, char *why, size_t why_len);

/* JSON equality as JSON Schema means it: numbers by value (1 equals 1.0), objects regardless of
 * key order. 1 equal, 0 not, BASE_ELIMIT when nested deeper than VAL_MAX_DEPTH. */
int val_json_equal(const json_t *a, const json_t *b);

/* A hash consistent with val_json_equal (equal values hash equal). Deeper than VAL_MAX_DEPTH the
 * nested part is not hashed (still consistent: equality then decides). */
uint64_t val_json_hash(const json_t *v);

/* The Unicode code points in a UTF-8 string of `len` bytes. */
size_t val_utf8_length(const char *s, size_t len);

#endif
