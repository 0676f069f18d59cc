/*
 * schema.c — loading a JSON Schema: every keyword is checked once here, so a schema that loads
 * can be used for any number of checks without failing on its own account.
 *
 * Why check the schema so strictly: a validator that skips what it does not know passes
 * everything its author meant to refuse. So each keyword is either understood (its value's form
 * checked, its patterns compiled), ignored on purpose as an annotation (the list below, and
 * "x-..." extensions), or refused with the schema location as a JSON Pointer.
 *
 * $ref: references are looked up here, not followed: a target is loaded like any schema the first
 * time some reference names it (a work list, not recursion), and the checker hops to it only when
 * a document reaches it. So a recursive schema (a tree whose children are trees) loads in one pass
 * and costs a check only as deep as the document is.
 */
#include "validate/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the node table */

static size_t slot_of(const void *p, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 17) & (cap - 1);
}

const val_node *val_node_find(const val_schema *s, const json_t *schema)
{
    if (!s->cap)
        return NULL;
    for (size_t i = slot_of(schema, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->tab[i].schema == schema)
            return &s->tab[i];
        if (!s->tab[i].schema)
            return NULL;
    }
}

static int table_grow(val_schema *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    val_node *tab = calloc(cap, sizeof *tab);
    if (!tab)
        return BASE_ENOMEM;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->tab[i].schema)
            continue;
        size_t j = slot_of(s->tab[i].schema, cap);
        while (tab[j].schema)
            j = (j + 1) & (cap - 1);
        tab[j] = s->tab[i];
    }
    free(s->tab);
    s->tab = tab;
    s->cap = cap;
    return BASE_OK;
}

/* Adds an empty node for `schema` (not yet present). The pointer is valid until the next add. */
static int table_add(val_schema *s, const json_t *schema, val_node **out)
{
    if ((s->n + 1) * 2 > s->cap) {
        int st = table_grow(s);
        if (st != BASE_OK)
            return st;
    }
    size_t i = slot_of(schema, s->cap);
    while (s->tab[i].schema)
        i = (i + 1) & (s->cap - 1);
    s->tab[i].schema = schema;
    s->n++;
    *out = &s->tab[i];
    return BASE_OK;
}

static void node_free(val_node *n)
{
    pcre2_code_free(n->pattern);
    for (size_t i = 0; i < n->npprops; i++)
        pcre2_code_free(n->pprops[i].re);
    free(n->pprops);
}

void val_schema_free(val_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->cap; i++)
        if (s->tab[i].schema)
            node_free(&s->tab[i]);
    free(s->tab);
    json_decref(s->root);
    free(s);
}

/* ---------------------------------------------------------------- the loader */

/* Work list entry: a $ref target still to load, and its pointer (for messages). */
typedef struct pending {
    const json_t *schema;
    char *where;
} pending;

typedef struct loader {
    val_schema *s;
    const char *file; /* for err->file; NULL when loading from memory */
    base_err *err;
    char *path; /* the schema location being loaded, as a JSON Pointer */
    size_t len, cap;
    pending *todo;
    size_t ntodo, captodo;
} loader;

static int fail(loader *L, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(loader *L, int status, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* a long location keeps its end, the part that says where */
    const char *where = L->len ? L->path : "(root)";
    return base_err_set(L->err, status, L->file, 0, 0, "schema at %s%s: %s",
                        L->len > 200 ? "..." : "", L->len > 200 ? L->path + L->len - 197 : where,
                        what);
}

static int oom(loader *L)
{
    return base_err_set(L->err, BASE_ENOMEM, L->file, 0, 0, "out of memory loading a schema");
}

static int path_reserve(loader *L, size_t extra)
{
    char *p = base_grow(L->path, &L->cap, L->len + extra + 1, 1, 256);
    if (!p)
        return oom(L);
    L->path = p;
    return BASE_OK;
}

/* Appends "/seg" (escaped as RFC 6901 says: ~ as ~0, / as ~1); returns the length to restore. */
static int path_push(loader *L, const char *seg, size_t *mark)
{
    *mark = L->len;
    if (path_reserve(L, 2 * strlen(seg) + 1) != BASE_OK)
        return BASE_ENOMEM;
    L->path[L->len++] = '/';
    for (const char *c = seg; *c; c++) {
        if (*c == '~' || *c == '/') {
            L->path[L->len++] = '~';
            L->path[L->len++] = *c == '~' ? '0' : '1';
        } else {
            L->path[L->len++] = *c;
        }
    }
    L->path[L->len] = '\0';
    return BASE_OK;
}

static int path_push_index(loader *L, size_t i, size_t *mark)
{
    char seg[32];
    snprintf(seg, sizeof seg, "%zu", i);
    return path_push(L, seg, mark);
}

static void path_pop(loader *L, size_t mark)
{
    L->len = mark;
    if (L->path)
        L->path[mark] = '\0';
}

/* ---------------------------------------------------------------- keywords */

enum kind {
    K_SCHEMA,      /* one subschema */
    K_SCHEMA_MAP,  /* an object of subschemas: properties, definitions */
    K_PATTERN_MAP, /* patternProperties: keys are patterns */
    K_SCHEMA_LIST, /* a non-empty array of subschemas: allOf, anyOf, oneOf */
    K_ITEMS,       /* a subschema or an array of them */
    K_DEPENDENCIES,
    K_COUNT,  /* a non-negative integer */
    K_NUMBER, /* any number */
    K_POSITIVE,
    K_EXCLUSIVE, /* a number (draft 6+) or a boolean (draft 4) */
    K_BOOLEAN,
    K_NAMES, /* an array of distinct strings */
    K_TYPE,
    K_ENUM,
    K_CONST,
    K_PATTERN,
    K_REF,
    K_ID,
    K_DIALECT,
    K_ANNOTATION,
    K_LATER, /* a keyword of a later draft: refused */
};

static const struct keyword {
    const char *name;
    enum kind kind;
} KEYWORDS[] = {
    {"type", K_TYPE},
    {"enum", K_ENUM},
    {"const", K_CONST},
    {"properties", K_SCHEMA_MAP},
    {"required", K_NAMES},
    {"additionalProperties", K_SCHEMA},
    {"patternProperties", K_PATTERN_MAP},
    {"propertyNames", K_SCHEMA},
    {"minProperties", K_COUNT},
    {"maxProperties", K_COUNT},
    {"items", K_ITEMS},
    {"additionalItems", K_SCHEMA},
    {"minItems", K_COUNT},
    {"maxItems", K_COUNT},
    {"uniqueItems", K_BOOLEAN},
    {"contains", K_SCHEMA},
    {"minimum", K_NUMBER},
    {"maximum", K_NUMBER},
    {"exclusiveMinimum", K_EXCLUSIVE},
    {"exclusiveMaximum", K_EXCLUSIVE},
    {"multipleOf", K_POSITIVE},
    {"minLength", K_COUNT},
    {"maxLength", K_COUNT},
    {"pattern", K_PATTERN},
    {"allOf", K_SCHEMA_LIST},
    {"anyOf", K_SCHEMA_LIST},
    {"oneOf", K_SCHEMA_LIST},
    {"not", K_SCHEMA},
    {"if", K_SCHEMA},
    {"then", K_SCHEMA},
    {"else", K_SCHEMA},
    {"dependencies", K_DEPENDENCIES},
    {"$ref", K_REF},
    {"definitions", K_SCHEMA_MAP},
    {"$defs", K_SCHEMA_MAP},
    {"$id", K_ID},
    {"$schema", K_DIALECT},
    /* annotations: they describe, they do not constrain (format included, as in Draft 7) */
    {"$comment", K_ANNOTATION},
    {"title", K_ANNOTATION},
    {"description", K_ANNOTATION},
    {"default", K_ANNOTATION},
    {"examples", K_ANNOTATION},
    {"readOnly", K_ANNOTATION},
    {"writeOnly", K_ANNOTATION},
    {"format", K_ANNOTATION},
    {"contentMediaType", K_ANNOTATION},
    {"contentEncoding", K_ANNOTATION},
    /* later drafts: their meaning would be lost */
    {"unevaluatedProperties", K_LATER},
    {"unevaluatedItems", K_LATER},
    {"dependentRequired", K_LATER},
    {"dependentSchemas", K_LATER},
    {"prefixItems", K_LATER},
    {"minContains", K_LATER},
    {"maxContains", K_LATER},
    {"$anchor", K_LATER},
    {"$dynamicRef", K_LATER},
    {"$dynamicAnchor", K_LATER},
    {"$recursiveRef", K_LATER},
    {"$recursiveAnchor", K_LATER},
    {"$vocabulary", K_LATER},
};

static const struct keyword *keyword_find(const char *name)
{
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++)
        if (!strcmp(KEYWORDS[i].name, name))
            return &KEYWORDS[i];
    return NULL;
}

static int is_schema_value(const json_t *v)
{
    return json_is_object(v) || json_is_boolean(v);
}

static int is_count(const json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v) >= 0;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return d >= 0 && d == floor(d) && d < 9e18;
    }
    return 0;
}

static const char *const TYPE_NAMES[] = {"null",   "boolean", "object", "array",
                                         "number", "string",  "integer"};

static int is_type_name(const json_t *v)
{
    if (!json_is_string(v))
        return 0;
    for (size_t i = 0; i < sizeof TYPE_NAMES / sizeof TYPE_NAMES[0]; i++)
        if (!strcmp(json_string_value(v), TYPE_NAMES[i]))
            return 1;
    return 0;
}

/* An array of distinct strings (required, a dependencies list) or of distinct type names. */
static int check_names(loader *L, const json_t *v, int type_names)
{
    if (!json_is_array(v))
        return fail(L, BASE_EINPUT, "expected an array of %s",
                    type_names ? "type names" : "strings");
    for (size_t i = 0; i < json_array_size(v); i++) {
        const json_t *a = json_array_get(v, i);
        if (type_names ? !is_type_name(a) : !json_is_string(a))
            return fail(L, BASE_EINPUT, "item %zu is not a %s", i,
                        type_names ? "type name" : "string");
        for (size_t j = 0; j < i; j++)
            if (json_equal((json_t *)a, (json_t *)json_array_get(v, j)))
                return fail(L, BASE_EINPUT, "items %zu and %zu are the same", j, i);
    }
    return BASE_OK;
}

static int check_dialect(loader *L, const json_t *v)
{
    if (!json_is_string(v))
        return fail(L, BASE_EINPUT, "expected a string (the dialect's URI)");
    const char *u = json_string_value(v);
    /* drafts 4, 6 and 7 agree on every keyword supported here; the yannh catalogue's
     * "http://json-schema.org/schema#" names no draft: read as draft 7, as validate.py does */
    static const char *const ok[] = {"draft-07/schema", "draft-06/schema", "draft-04/schema"};
    if (!strstr(u, "json-schema.org/"))
        return fail(L, BASE_EINPUT, "unknown dialect \"%s\" (draft 7 is supported)", u);
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strstr(u, ok[i]))
            return BASE_OK;
    const char *tail = strstr(u, "json-schema.org/") + strlen("json-schema.org/");
    if (!strcmp(tail, "schema#") || !strcmp(tail, "schema"))
        return BASE_OK;
    return fail(L, BASE_EINPUT, "dialect \"%s\" is not supported (draft 7 is)", u);
}

/* ---------------------------------------------------------------- $ref */

/* Decodes the %XX escapes of a URI fragment into a malloc'd string. NULL: out of memory, or *bad
 * set when an escape is malformed or decodes to NUL. */
static char *percent_decode(const char *s, int *bad)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    *bad = 0;
    if (!out)
        return NULL;
    for (const char *c = s; *c; c++) {
        if (*c != '%') {
            *o++ = *c;
            continue;
        }
        int v = 0;
        for (int k = 1; k <= 2; k++) {
            char h = c[k];
            int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
            if (d < 0) {
                *bad = 1;
                free(out);
                return NULL;
            }
            v = v * 16 + d;
        }
        if (v == 0) {
            *bad = 1;
            free(out);
            return NULL;
        }
        *o++ = (char)v;
        c += 2;
    }
    *o = '\0';
    return out;
}

/* Follows the JSON Pointer `ptr` ("" or "/a/b") from root. BASE_OK with *target, or BASE_EINPUT
 * with `why` filled. ptr is modified (unescaped in place). */
static int pointer_get(const json_t *root, char *ptr, const json_t **target, char *why,
                       size_t why_len)
{
    const json_t *cur = root;
    char *p = ptr;
    while (*p) {
        if (*p != '/') {
            snprintf(why, why_len, "a JSON Pointer starts with '/'");
            return BASE_EINPUT;
        }
        char *seg = ++p, *w = seg;
        while (*p && *p != '/') {
            if (*p == '~') {
                if (p[1] != '0' && p[1] != '1') {
                    snprintf(why, why_len, "'~' not followed by 0 or 1");
                    return BASE_EINPUT;
                }
                *w++ = p[1] == '0' ? '~' : '/';
                p += 2;
            } else {
                *w++ = *p++;
            }
        }
        char end = *p;
        *w = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, seg);
        } else if (json_is_array(cur)) {
            char *e;
            unsigned long long i = strtoull(seg, &e, 10);
            int canonical = *seg >= '0' && *seg <= '9' && *e == '\0' && !(seg[0] == '0' && seg[1]);
            cur = canonical && i < json_array_size(cur) ? json_array_get(cur, (size_t)i) : NULL;
        } else {
            cur = NULL;
        }
        if (!cur) {
            snprintf(why, why_len, "nothing at \"%.100s\"", seg);
            return BASE_EINPUT;
        }
        *p = end; /* the segment was unescaped in place; the rest of ptr is untouched */
    }
    *target = cur;
    return BASE_OK;
}

static int todo_push(loader *L, const json_t *schema, const char *where)
{
    pending *t = base_grow(L->todo, &L->captodo, L->ntodo + 1, sizeof *t, 16);
    if (!t)
        return oom(L);
    L->todo = t;
    char *w = base_strdup(where);
    if (!w)
        return oom(L);
    L->todo[L->ntodo].schema = schema;
    L->todo[L->ntodo].where = w;
    L->ntodo++;
    return BASE_OK;
}

/* Resolves a $ref value to the schema it names, queueing that schema for loading. */
static int resolve_ref(loader *L, const json_t *v, const json_t **target)
{
    if (!json_is_string(v))
        return fail(L, BASE_EINPUT, "$ref must be a string");
    const char *ref = json_string_value(v);
    if (ref[0] != '#')
        return fail(L, BASE_EINPUT,
                    "remote $ref \"%.200s\" is not supported: only references inside this "
                    "document (\"#/definitions/...\")",
                    ref);
    int bad;
    char *ptr = percent_decode(ref + 1, &bad);
    if (!ptr)
        return bad ? fail(L, BASE_EINPUT, "$ref \"%.200s\": bad %%-escape", ref) : oom(L);
    if (ptr[0] && ptr[0] != '/') {
        free(ptr);
        return fail(L, BASE_EINPUT,
                    "$ref \"%.200s\": plain-name fragments ($id anchors) are not supported", ref);
    }
    char why[160];
    int st = pointer_get(L->s->root, ptr, target, why, sizeof why);
    free(ptr);
    if (st != BASE_OK)
        return fail(L, st, "$ref \"%.200s\" does not resolve: %s", ref, why);
    if (!is_schema_value(*target))
        return fail(L, BASE_EINPUT, "$ref \"%.200s\" names %s, not a schema", ref,
                    json_is_array(*target)    ? "an array"
                    : json_is_string(*target) ? "a string"
                    : json_is_null(*target)   ? "null"
                                              : "a number");
    if (json_is_object(*target) && !val_node_find(L->s, *target))
        return todo_push(L, *target, ref + 1);
    return BASE_OK;
}

/* ---------------------------------------------------------------- loading one schema */

static int load_schema(loader *L, const json_t *sch, int depth);

/* Loads v, the value of keyword `kw`, as a subschema at path/kw[/seg]. */
static int load_sub(loader *L, const json_t *v, int depth)
{
    if (!is_schema_value(v))
        return fail(L, BASE_EINPUT, "expected a schema (an object or a boolean)");
    return load_schema(L, v, depth + 1);
}

/* What each_member does with one member of an object, its key already on the path. */
typedef int (*member_fn)(loader *L, const char *key, const json_t *val, void *ctx, int depth);

/* fn for each member of object v in turn, the member's key on the path while it runs; the first
 * status other than BASE_OK stops the walk and is returned. */
static int each_member(loader *L, const json_t *v, member_fn fn, void *ctx, int depth)
{
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val)
    {
        size_t mark;
        if (path_push(L, key, &mark) != BASE_OK)
            return BASE_ENOMEM;
        int st = fn(L, key, val, ctx, depth);
        path_pop(L, mark);
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

/* A member whose value is a schema (properties, definitions). */
static int schema_member(loader *L, const char *key, const json_t *sub, void *ctx, int depth)
{
    (void)key;
    (void)ctx;
    return load_sub(L, sub, depth);
}

static int load_sub_index(loader *L, const json_t *v, size_t i, int depth)
{
    size_t mark;
    if (path_push_index(L, i, &mark) != BASE_OK)
        return BASE_ENOMEM;
    int st = load_sub(L, v, depth);
    path_pop(L, mark);
    return st;
}

/* What load_keyword learnt that the schema's node keeps. */
typedef struct facts {
    const json_t *ref;
    pcre2_code *pattern;
    val_pprop *pprops;
    size_t npprops;
} facts;

static void facts_free(facts *f)
{
    val_node n = {.pattern = f->pattern, .pprops = f->pprops, .npprops = f->npprops};
    node_free(&n);
}

static int compile_pattern(loader *L, const char *pattern, pcre2_code **re)
{
    char why[200];
    int st = val_regex_compile(pattern, re, why, sizeof why);
    if (st == BASE_ENOMEM)
        return oom(L);
    if (st != BASE_OK)
        return fail(L, st, "pattern \"%.120s\": %s", pattern, why);
    return BASE_OK;
}

/* A member of patternProperties: its key a pattern, its value a schema (ctx: the facts). */
static int pattern_member(loader *L, const char *key, const json_t *sub, void *ctx, int depth)
{
    facts *f = ctx;
    int st = compile_pattern(L, key, &f->pprops[f->npprops].re);
    if (st == BASE_OK) {
        f->pprops[f->npprops++].key = key;
        st = load_sub(L, sub, depth);
    }
    return st;
}

static int load_pattern_map(loader *L, const json_t *v, facts *f, int depth)
{
    if (!json_is_object(v))
        return fail(L, BASE_EINPUT, "expected an object of schemas");
    f->pprops = calloc(json_object_size(v) + 1, sizeof *f->pprops);
    if (!f->pprops)
        return oom(L);
    return each_member(L, v, pattern_member, f, depth);
}

/* A member of dependencies: the names a property needs, or a schema. */
static int dependency_member(loader *L, const char *key, const json_t *dep, void *ctx, int depth)
{
    (void)key;
    (void)ctx;
    return json_is_array(dep) ? check_names(L, dep, 0) : load_sub(L, dep, depth);
}

static int load_dependencies(loader *L, const json_t *v, int depth)
{
    if (!json_is_object(v))
        return fail(L, BASE_EINPUT, "expected an object");
    return each_member(L, v, dependency_member, NULL, depth);
}

/* Checks the value v of keyword kw (the path already ends with kw). */
static int load_keyword(loader *L, const json_t *sch, const struct keyword *kw, const json_t *v,
                        facts *f, int depth)
{
    switch (kw->kind) {
    case K_SCHEMA: return load_sub(L, v, depth);
    case K_SCHEMA_MAP: {
        if (!json_is_object(v))
            return fail(L, BASE_EINPUT, "expected an object of schemas");
        return each_member(L, v, schema_member, NULL, depth);
    }
    case K_PATTERN_MAP: return load_pattern_map(L, v, f, depth);
    case K_SCHEMA_LIST:
        if (!json_is_array(v) || json_array_size(v) == 0)
            return fail(L, BASE_EINPUT, "expected a non-empty array of schemas");
        /* fall through */
    case K_ITEMS:
        if (!json_is_array(v))
            return load_sub(L, v, depth);
        for (size_t i = 0; i < json_array_size(v); i++) {
            int st = load_sub_index(L, json_array_get(v, i), i, depth);
            if (st != BASE_OK)
                return st;
        }
        return BASE_OK;
    case K_DEPENDENCIES: return load_dependencies(L, v, depth);
    case K_COUNT:
        return is_count(v) ? BASE_OK : fail(L, BASE_EINPUT, "expected a non-negative integer");
    case K_NUMBER: return json_is_number(v) ? BASE_OK : fail(L, BASE_EINPUT, "expected a number");
    case K_POSITIVE:
        return json_is_number(v) && json_number_value(v) > 0
                   ? BASE_OK
                   : fail(L, BASE_EINPUT, "expected a number greater than 0");
    case K_EXCLUSIVE:
        return json_is_number(v) || json_is_boolean(v)
                   ? BASE_OK
                   : fail(L, BASE_EINPUT, "expected a number (or draft 4's boolean)");
    case K_BOOLEAN:
        return json_is_boolean(v) ? BASE_OK : fail(L, BASE_EINPUT, "expected true or false");
    case K_NAMES: return check_names(L, v, 0);
    case K_TYPE:
        if (json_is_string(v))
            return is_type_name(v)
                       ? BASE_OK
                       : fail(L, BASE_EINPUT, "unknown type \"%s\"", json_string_value(v));
        return check_names(L, v, 1);
    case K_ENUM: return json_is_array(v) ? BASE_OK : fail(L, BASE_EINPUT, "expected an array");
    case K_CONST: return BASE_OK;
    case K_PATTERN: {
        if (!json_is_string(v))
            return fail(L, BASE_EINPUT, "expected a string");
        return compile_pattern(L, json_string_value(v), &f->pattern);
    }
    case K_REF: return resolve_ref(L, v, &f->ref);
    case K_ID:
        /* the top level's $id is a base for remote references, which are refused anyway; below
         * it, an $id would change what references mean */
        if (sch != L->s->root)
            return fail(L, BASE_EINPUT, "$id below the top level is not supported");
        return json_is_string(v) ? BASE_OK : fail(L, BASE_EINPUT, "expected a string");
    case K_DIALECT: return check_dialect(L, v);
    case K_ANNOTATION: return BASE_OK;
    case K_LATER:
        return fail(L, BASE_EINPUT,
                    "\"%s\" is a keyword of a later draft: not supported (draft 7 is)", kw->name);
    }
    return fail(L, BASE_EINTERNAL, "keyword kind %d", (int)kw->kind);
}

/* A member of a schema: a keyword (ctx: the schema and the facts gathered from it). */
typedef struct keyword_ctx {
    const json_t *sch;
    facts *f;
} keyword_ctx;

static int keyword_member(loader *L, const char *key, const json_t *v, void *ctx, int depth)
{
    keyword_ctx *k = ctx;
    const struct keyword *kw = keyword_find(key);
    if (!kw && !strncmp(key, "x-", 2))
        return BASE_OK; /* extensions (x-kubernetes-*): annotations by convention */
    return kw ? load_keyword(L, k->sch, kw, v, k->f, depth)
              : fail(L, BASE_EINPUT, "unknown keyword \"%s\"", key);
}

static int load_schema(loader *L, const json_t *sch, int depth)
{
    if (json_is_boolean(sch))
        return BASE_OK;
    if (depth > VAL_MAX_DEPTH)
        return fail(L, BASE_ELIMIT, "schemas nested deeper than %d", VAL_MAX_DEPTH);
    if (val_node_find(L->s, sch))
        return BASE_OK; /* the same object met again (shared, or a $ref target): loaded once */
    val_node *node;
    if (table_add(L->s, sch, &node) != BASE_OK)
        return oom(L);
    facts f = {0};
    keyword_ctx k = {sch, &f};
    int st = each_member(L, sch, keyword_member, &k, depth);
    if (st != BASE_OK) {
        facts_free(&f);
        return st;
    }
    /* children may have grown the table since: find the node again */
    node = (val_node *)val_node_find(L->s, sch);
    node->ref = f.ref;
    node->pattern = f.pattern;
    node->pprops = f.pprops;
    node->npprops = f.npprops;
    return BASE_OK;
}

/* Loads the whole document: the root, then every $ref target not loaded on the way. */
static int load_all(loader *L)
{
    int st = load_schema(L, L->s->root, 0);
    for (size_t i = 0; st == BASE_OK && i < L->ntodo; i++) {
        path_pop(L, 0);
        const char *w = L->todo[i].where;
        if (path_reserve(L, strlen(w)) != BASE_OK)
            return BASE_ENOMEM;
        memcpy(L->path, w, strlen(w) + 1); /* messages name the target by its pointer */
        L->len = strlen(w);
        st = load_schema(L, L->todo[i].schema, 0);
    }
    return st;
}

static int load(json_t *schema, const char *file, val_schema **out, base_err *err)
{
    *out = NULL;
    base_err_clear(err);
    if (!is_schema_value(schema))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "schema at (root): expected a schema (an object or a boolean)");
    val_schema *s = calloc(1, sizeof *s);
    if (!s)
        return base_err_set(err, BASE_ENOMEM, file, 0, 0, "out of memory loading a schema");
    s->root = json_incref(schema);
    loader L = {.s = s, .file = file, .err = err};
    int st = load_all(&L);
    for (size_t i = 0; i < L.ntodo; i++)
        free(L.todo[i].where);
    free(L.todo);
    free(L.path);
    if (st != BASE_OK) {
        val_schema_free(s);
        return st;
    }
    *out = s;
    return BASE_OK;
}

int val_schema_from_json(json_t *schema, val_schema **out, base_err *err)
{
    return load(schema, NULL, out, err);
}

int val_schema_load(const char *path, val_schema **out, base_err *err)
{
    *out = NULL;
    base_err_clear(err);
    json_error_t je;
    /* duplicate keys: a schema that says a thing twice means one of them by accident */
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        int io = json_error_code(&je) == json_error_cannot_open_file;
        return base_err_set(err, io ? BASE_EIO : BASE_EINPUT, path, io ? 0 : je.line,
                            io ? 0 : je.column, "%s", je.text);
    }
    int st = load(doc, path, out, err);
    json_decref(doc);
    return st;
}
