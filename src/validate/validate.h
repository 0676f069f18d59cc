/*
 * validate.h — JSON Schema (Draft 7) validation over jansson: the room that checks that what
 * simulate writes (report.json, compare.json, and later Kubernetes and Karpenter manifests) has
 * the shape its published schema promises.
 *
 * Why a validator of our own: the schemas are the contract other tools read
 * (docs/report-schema.json, the yannh/datree Kubernetes catalogue), and a test that only looks for
 * a few keys lets a report drift from its documentation unnoticed. None of the project's C
 * dependencies validates schemas, and the schemas use a small, well-defined subset of Draft 7, so
 * it is done here once, over the jansson the project already links.
 *
 * Supported, with Draft 7 meaning: type (name or array; "integer" accepts any number with an
 * integral value), enum, const, properties, required, additionalProperties (boolean or schema),
 * patternProperties, propertyNames, minProperties, maxProperties, items (schema or array) with
 * additionalItems, minItems, maxItems, uniqueItems, contains, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum (numbers, and draft-04's booleans modifying minimum/maximum), multipleOf,
 * minLength, maxLength (counted in Unicode code points), pattern, allOf, anyOf, oneOf, not,
 * if/then/else, dependencies (array and schema forms), boolean schemas, and $ref to a JSON
 * Pointer inside the same document ("#", "#/definitions/x", "#/$defs/x", with %XX, ~0 and ~1
 * unescaped). As in Draft 7, a schema with $ref is that reference only: its other validation
 * keywords are ignored (definitions beside it are still loaded, so they can be referred to).
 *
 * Ignored on purpose, because they annotate without constraining (Draft 7 treats format as an
 * annotation by default): $schema, $id (top level only), $comment, title, description, default,
 * examples, readOnly, writeOnly, format, contentMediaType, contentEncoding, and every keyword
 * starting with "x-" (x-kubernetes-list-type, x-kubernetes-int-or-string, ...).
 *
 * Refused at load time with a clear error, because accepting them silently would pass documents
 * the schema's author meant to refuse: any other keyword (a typo such as "requried" included),
 * keywords of later drafts (unevaluatedProperties, dependentRequired, prefixItems, $anchor, ...),
 * a $schema naming a draft other than 4, 6 or 7, $id below the top level, a $ref that is not a
 * fragment of this document (remote references) or does not resolve, and patterns ECMA-262 would
 * not accept (\Z, \Q, (?i), possessive a++, ...: regex.c lists them).
 *
 * Patterns: ECMA-262 regular expressions (JSON Schema draft 7 validation §4.3) run by PCRE2
 * (libpcre2-8) in UTF mode, with the options and the few rewrites regex.c explains so they mean
 * what ECMA-262 says: look-around, back-references, \b, named groups, \uHHHH, lazy quantifiers;
 * '.' matches one code point but LF, CR, U+2028, U+2029; '$' is the end of the string only. As in
 * ECMA-262 without the u flag, \d, \w and \b are ASCII only (Python's re, which python3-jsonschema
 * uses, reads \w as Unicode: "h\u00e9llo" matches ^\w+$ there, not here); \s is ECMA's Unicode
 * white space. Differences left: \p{...} is a Unicode property (the u flag's meaning); a
 * look-behind must have a bounded length; "." matches a character outside the BMP as one, where
 * ECMA-262 without the u flag sees two UTF-16 units. Patterns are compiled once, at load time.
 *
 * Numbers: multipleOf allows a relative error of 1e-9 in the quotient, so 0.3 is a multiple of 0.1
 * (strict Draft 7 validators disagree on that in binary floating point).
 *
 * Errors are values (base.h): nothing here prints. A schema is immutable once loaded and may be
 * shared by threads that check documents at the same time.
 */
#ifndef SIMULATE_VALIDATE_H
#define SIMULATE_VALIDATE_H

#include "base/base.h"

#include <jansson.h>

/* Nesting limit of one check (schemas entered, $ref hops included) and of a schema's own nesting:
 * beyond it a check fails with BASE_ELIMIT rather than overflowing the stack on a hostile or
 * self-referencing input ({"$ref": "#"}). Generous for real schemas: a Kubernetes Deployment
 * needs a few dozen. */
#define VAL_MAX_DEPTH 512

typedef struct val_schema val_schema; /* a loaded schema: opaque, immutable */

/* Reads and loads the schema in the JSON file at `path`. On failure *out is NULL and err names
 * the file and, in its message, the schema location as a JSON Pointer ("schema at
 * /properties/x/minimum: ..."). Returns BASE_OK, BASE_EIO (cannot read), BASE_EINPUT (not JSON,
 * or not a schema this validator supports), BASE_ELIMIT or BASE_ENOMEM. */
int val_schema_load(const char *path, val_schema **out, base_err *err);

/* Loads a schema already in memory. The schema keeps its own reference to `schema` (the caller
 * keeps theirs); neither may change the document while the val_schema lives. Errors as above,
 * without a file name. */
int val_schema_from_json(json_t *schema, val_schema **out, base_err *err);

/* Frees a schema loaded by either function. NULL is a no-op. */
void val_schema_free(val_schema *s);

/* Checks `doc` against the schema. BASE_OK when it is valid; BASE_EINPUT when it is not, err's
 * message naming the first failure by its JSON Pointer in the document, e.g. "at
 * /figures/served/mean: expected number, got string" (for anyOf/oneOf, briefly why each
 * alternative failed); BASE_ELIMIT past VAL_MAX_DEPTH; BASE_ENOMEM. err->file is left empty:
 * the caller knows where the document came from. */
int val_check(const val_schema *s, const json_t *doc, base_err *err);

#endif
