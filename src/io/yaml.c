/*
 * yaml.c — YAML text to a tree of scn_node, through libyaml's event API.
 *
 * Why it exists: every later complaint about a scenario ("unknown key", "needs a unit") must
 * point at the file, line and column the user wrote, and a hostile or broken file must give one
 * clear message instead of a crash, a hang or a silently different reading. So this file builds
 * its own small tree (libyaml's document API keeps neither our positions nor our limits) and
 * refuses, each at the offending text: bytes that are not UTF-8 text (checked first, in text.c,
 * so the position is exact), syntax errors, empty files, roots that are not mappings,
 * several documents, tags, non-scalar and duplicate keys, nesting over SCN_MAX_DEPTH, and more
 * than SCN_MAX_NODES nodes counting alias expansions.
 *
 * Decisions the API leaves open, settled here:
 *  - Aliases are expanded into real copies. The copy's top node takes the alias's position
 *    (where the value is used); the nodes inside keep the positions of the anchored text
 *    (where it is written). Scalar strings are shared between copies: they are immutable and
 *    owned by the doc, so only nodes, never strings, need to be distinct.
 *  - The size of an expansion is known before copying (each anchor stores the node count and
 *    the nesting height of its subtree), so an alias bomb is refused at its first oversized
 *    alias, having allocated at most SCN_MAX_NODES nodes.
 *  - An anchor may be redefined (YAML allows it); an alias refers to the latest definition. An
 *    alias inside the node its anchor names is "unknown" (the anchor is registered only when its
 *    node is complete), so recursive structures cannot be written.
 *  - YAML merge keys (`<<: *base`) are not interpreted: `<<` stays an ordinary key, which the
 *    schema rejects as unknown. Use `extends` to share settings between files.
 *  - Any explicit tag, including the non-specific `!`, is refused; %YAML/%TAG directives alone
 *    are accepted (they change nothing without a tag).
 *  - Depth: the root mapping is level 1; a mapping or sequence at level SCN_MAX_DEPTH + 1 is
 *    refused. Scalars do not count as a level.
 *  - A document whose root is an empty plain scalar (a file with only `---`) is "empty".
 *  - Memory: one arena per doc holds every node, array and string (doc.c), so freeing is one
 *    walk and an error half way through leaks nothing.
 *
 * The bytes are checked before libyaml reads them in text.c; the doc and its arena are doc.c's.
 */
#include "io/io.h"
#include "io/yaml_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---------------------------------------------------------------- the parse */

typedef struct anchor {
    char *name; /* malloc'd */
    scn_node *node;
    size_t count;    /* nodes in the subtree */
    unsigned height; /* mapping/sequence levels in the subtree (0 for a scalar) */
} anchor;

typedef struct pctx {
    scn_doc *doc;
    const char *file; /* owned by doc */
    const char *text;
    size_t len;
    base_err *err;
    yaml_parser_t parser;
    size_t nodes; /* made so far, copies included */
    anchor *anchors;
    size_t nanchors, capanchors;
    size_t *slots; /* open-addressing index into anchors, value + 1; 0 is empty */
    size_t nslots;
} pctx;

static int perr(pctx *c, yaml_mark_t m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int perr(pctx *c, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int st =
        base_err_setv(c->err, BASE_EINPUT, c->file, (int)m.line + 1, (int)m.column + 1, fmt, ap);
    va_end(ap);
    return st;
}

static int nomem(pctx *c)
{
    return base_err_set(c->err, BASE_ENOMEM, c->file, 0, 0, "out of memory");
}

/* libyaml's own diagnosis, at its position. */
static int yaml_error(pctx *c)
{
    yaml_parser_t *p = &c->parser;
    const char *problem = p->problem ? p->problem : "unknown problem";
    switch (p->error) {
    case YAML_MEMORY_ERROR: return nomem(c);
    case YAML_READER_ERROR: {
        size_t bad;
        int line, col;
        scn__text_walk((const unsigned char *)c->text, c->len, p->problem_offset, &bad, &line,
                       &col);
        yaml_mark_t m = {0, (size_t)line, (size_t)col};
        if (p->problem_value >= 0)
            return perr(c, m, "not a text file: %s (character 0x%02x)", problem,
                        (unsigned)p->problem_value);
        return perr(c, m, "not a text file: %s", problem);
    }
    default: {
        /* libyaml's words do not say what usually went wrong; add the likely cause */
        const char *hint = "";
        size_t at = p->problem_mark.index;
        if (strstr(problem, "cannot start any token") && at < c->len && c->text[at] == '\t')
            hint = " (a tab: YAML indents with spaces only)";
        else if (strstr(problem, "mapping values are not allowed"))
            hint = " (check the indentation, or quote a value that contains ': ')";
        else if (strstr(problem, "did not find expected key"))
            hint = " (check the indentation of this line)";
        if (p->context)
            return perr(c, p->problem_mark, "YAML syntax error: %s%s (%s at line %zu, column %zu)",
                        problem, hint, p->context, p->context_mark.line + 1,
                        p->context_mark.column + 1);
        return perr(c, p->problem_mark, "YAML syntax error: %s%s", problem, hint);
    }
    }
}

static int next_event(pctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->parser, ev))
        return yaml_error(c);
    return BASE_OK;
}

/* Reads one event the grammar fixes (STREAM-START, DOCUMENT-START, DOCUMENT-END) and drops it. */
static int skip_event(pctx *c)
{
    yaml_event_t ev;
    int rc = next_event(c, &ev);
    if (rc == BASE_OK)
        yaml_event_delete(&ev);
    return rc;
}

static anchor *find_anchor(pctx *c, const char *name)
{
    if (!c->nslots)
        return NULL;
    size_t mask = c->nslots - 1;
    for (size_t i = (size_t)base_hash_text(name) & mask; c->slots[i]; i = (i + 1) & mask) {
        anchor *a = &c->anchors[c->slots[i] - 1];
        if (strcmp(a->name, name) == 0)
            return a;
    }
    return NULL;
}

static int add_anchor(pctx *c, const char *name, scn_node *node, size_t count, unsigned height)
{
    anchor *old = find_anchor(c, name);
    if (old) { /* a redefinition: later aliases mean the new node */
        old->node = node;
        old->count = count;
        old->height = height;
        return BASE_OK;
    }
    anchor *a = base_grow(c->anchors, &c->capanchors, c->nanchors + 1, sizeof *a, 16);
    if (!a)
        return nomem(c);
    c->anchors = a;
    if ((c->nanchors + 1) * 2 > c->nslots) {
        size_t ns = c->nslots ? c->nslots * 2 : 64;
        size_t *slots = calloc(ns, sizeof *slots);
        if (!slots)
            return nomem(c);
        for (size_t i = 0; i < c->nanchors; i++) {
            size_t j = (size_t)base_hash_text(c->anchors[i].name) & (ns - 1);
            while (slots[j])
                j = (j + 1) & (ns - 1);
            slots[j] = i + 1;
        }
        free(c->slots);
        c->slots = slots;
        c->nslots = ns;
    }
    char *copy = base_strdup(name);
    if (!copy)
        return nomem(c);
    c->anchors[c->nanchors] = (anchor){copy, node, count, height};
    size_t j = (size_t)base_hash_text(name) & (c->nslots - 1);
    while (c->slots[j])
        j = (j + 1) & (c->nslots - 1);
    c->slots[j] = ++c->nanchors;
    return BASE_OK;
}

static int count_node(pctx *c, yaml_mark_t m)
{
    if (c->nodes >= SCN_MAX_NODES)
        return perr(c, m, "document has more than %u nodes", (unsigned)SCN_MAX_NODES);
    c->nodes++;
    return BASE_OK;
}

static scn_node *new_node(pctx *c, scn_kind kind, yaml_mark_t m)
{
    scn_node *n = scn_doc_alloc(c->doc, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->file = c->file;
    n->line = (int)m.line + 1;
    n->col = (int)m.column + 1;
    n->text = "";
    return n;
}

/* A deep copy of src in the doc (strings shared); the caller has counted its nodes. */
static scn_node *copy_tree(pctx *c, const scn_node *src)
{
    scn_node *n = scn_doc_alloc(c->doc, sizeof *n);
    if (!n)
        return NULL;
    *n = *src;
    if (src->kind == SCN_SCALAR || src->n == 0) {
        n->keys = n->vals = NULL;
        return n;
    }
    n->vals = scn_doc_alloc(c->doc, src->n * sizeof *n->vals);
    if (!n->vals)
        return NULL;
    if (src->kind == SCN_MAP) {
        n->keys = scn_doc_alloc(c->doc, src->n * sizeof *n->keys);
        if (!n->keys)
            return NULL;
    }
    for (size_t i = 0; i < src->n; i++) {
        if (src->kind == SCN_MAP && !(n->keys[i] = copy_tree(c, src->keys[i])))
            return NULL;
        if (!(n->vals[i] = copy_tree(c, src->vals[i])))
            return NULL;
    }
    return n;
}

static const char *kind_name(scn_kind k)
{
    return k == SCN_MAP ? "a mapping" : k == SCN_SEQ ? "a sequence" : "a scalar";
}

typedef struct keyref {
    const char *text;
    size_t i;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    int r = strcmp(x->text, y->text);
    if (r)
        return r;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Refuses the duplicate key that comes first in the file, naming its first occurrence. */
static int check_dups(pctx *c, scn_node **keys, size_t n)
{
    size_t dup = SIZE_MAX, first = 0;
    if (n <= 16) {
        for (size_t j = 1; j < n && dup == SIZE_MAX; j++)
            for (size_t i = 0; i < j; i++)
                if (strcmp(keys[i]->text, keys[j]->text) == 0) {
                    dup = j;
                    first = i;
                    break;
                }
    } else {
        keyref *r = malloc(n * sizeof *r);
        if (!r)
            return nomem(c);
        for (size_t i = 0; i < n; i++)
            r[i] = (keyref){keys[i]->text, i};
        qsort(r, n, sizeof *r, keyref_cmp);
        /* Sorted by (text, file order): the second entry of each group of equal keys is that
         * key's first duplicate, and the group's first entry its first occurrence. */
        size_t g = 0;
        for (size_t i = 1; i < n; i++) {
            if (strcmp(r[g].text, r[i].text) != 0)
                g = i;
            else if (i == g + 1 && r[i].i < dup) {
                dup = r[i].i;
                first = r[g].i;
            }
        }
        free(r);
    }
    if (dup == SIZE_MAX)
        return BASE_OK;
    yaml_mark_t m = {0, (size_t)keys[dup]->line - 1, (size_t)keys[dup]->col - 1};
    return perr(c, m, "duplicate key '%s' (first at %d:%d)", keys[dup]->text, keys[first]->line,
                keys[first]->col);
}

typedef struct built {
    scn_node *node;
    size_t count;
    unsigned height;
} built;

static int build(pctx *c, const yaml_event_t *ev, unsigned depth, built *out);

/* A growable list of child nodes (heap, freed by the caller). */
typedef struct vec {
    scn_node **items;
    size_t n, cap;
} vec;

static int vec_push(vec *v, scn_node *item)
{
    scn_node **items = base_grow(v->items, &v->cap, v->n + 1, sizeof *items, 8);
    if (!items)
        return BASE_ENOMEM;
    v->items = items;
    v->items[v->n++] = item;
    return BASE_OK;
}

static scn_node **vec_to_doc(pctx *c, const vec *v)
{
    if (v->n == 0)
        return NULL;
    scn_node **a = scn_doc_alloc(c->doc, v->n * sizeof *a);
    if (a)
        memcpy(a, v->items, v->n * sizeof *a);
    return a;
}

/* Reads the next event and builds the node it starts. */
static int build_next(pctx *c, unsigned depth, yaml_event_t *ev, built *out)
{
    int rc = next_event(c, ev);
    if (rc)
        return rc;
    rc = build(c, ev, depth, out);
    return rc;
}

/* The children of a mapping or sequence up to its end event. */
static int build_children(pctx *c, scn_node *node, unsigned depth, built *out)
{
    vec keys = {0}, vals = {0};
    int is_map = node->kind == SCN_MAP;
    int rc = BASE_OK;
    out->count = 1;
    out->height = 1;
    for (;;) {
        yaml_event_t ev;
        built k = {0}, v = {0};
        rc = next_event(c, &ev);
        if (rc)
            goto done;
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (is_map) {
            if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT) {
                rc = perr(c, ev.start_mark, "mapping keys must be scalars, not %s",
                          ev.type == YAML_MAPPING_START_EVENT ? "a mapping" : "a sequence");
                yaml_event_delete(&ev);
                goto done;
            }
            rc = build(c, &ev, depth, &k);
            yaml_event_delete(&ev);
            if (rc)
                goto done;
            if (k.node->kind != SCN_SCALAR) {
                yaml_mark_t m = {0, (size_t)k.node->line - 1, (size_t)k.node->col - 1};
                rc = perr(c, m, "mapping keys must be scalars, not %s", kind_name(k.node->kind));
                goto done;
            }
            rc = build_next(c, depth, &ev, &v);
            yaml_event_delete(&ev);
        } else {
            rc = build(c, &ev, depth, &v);
            yaml_event_delete(&ev);
        }
        if (rc)
            goto done;
        if ((is_map && vec_push(&keys, k.node)) || vec_push(&vals, v.node)) {
            rc = nomem(c);
            goto done;
        }
        out->count += k.count + v.count;
        if (v.height + 1 > out->height)
            out->height = v.height + 1;
    }
    if (is_map && (rc = check_dups(c, keys.items, keys.n)) != BASE_OK)
        goto done;
    node->n = vals.n;
    node->vals = vec_to_doc(c, &vals);
    node->keys = is_map ? vec_to_doc(c, &keys) : NULL;
    if (vals.n && (!node->vals || (is_map && !node->keys)))
        rc = nomem(c);
done:
    free(keys.items);
    free(vals.items);
    return rc;
}

static int build_alias(pctx *c, const yaml_event_t *ev, unsigned depth, built *out)
{
    const char *name = (const char *)ev->data.alias.anchor;
    anchor *a = find_anchor(c, name);
    if (!a)
        return perr(c, ev->start_mark, "alias *%s refers to no anchor &%s defined before it", name,
                    name);
    if (a->count > SCN_MAX_NODES - c->nodes)
        return perr(c, ev->start_mark, "alias expansion exceeds %u nodes (YAML alias bomb?)",
                    (unsigned)SCN_MAX_NODES);
    if (depth + a->height > SCN_MAX_DEPTH)
        return perr(c, ev->start_mark, "alias *%s nests deeper than %u levels", name,
                    (unsigned)SCN_MAX_DEPTH);
    c->nodes += a->count;
    scn_node *n = copy_tree(c, a->node);
    if (!n)
        return nomem(c);
    n->line = (int)ev->start_mark.line + 1;
    n->col = (int)ev->start_mark.column + 1;
    *out = (built){n, a->count, a->height};
    return BASE_OK;
}

/* Builds the node that `ev` starts (consuming the events up to its end, not `ev` itself). */
static int build(pctx *c, const yaml_event_t *ev, unsigned depth, built *out)
{
    const yaml_char_t *tag = NULL, *anchor_name = NULL;
    scn_node *n;
    int rc;
    switch (ev->type) {
    case YAML_ALIAS_EVENT: return build_alias(c, ev, depth, out);
    case YAML_SCALAR_EVENT:
        tag = ev->data.scalar.tag;
        anchor_name = ev->data.scalar.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        tag = ev->data.sequence_start.tag;
        anchor_name = ev->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        tag = ev->data.mapping_start.tag;
        anchor_name = ev->data.mapping_start.anchor;
        break;
    default:
        return base_err_set(c->err, BASE_EINTERNAL, c->file, (int)ev->start_mark.line + 1,
                            (int)ev->start_mark.column + 1, "unexpected YAML event %d",
                            (int)ev->type);
    }
    if (tag)
        return perr(c, ev->start_mark,
                    "YAML tags are not supported (such as !!int or !name): remove the tag (found "
                    "%s)",
                    (const char *)tag);
    if ((rc = count_node(c, ev->start_mark)) != BASE_OK)
        return rc;
    if (ev->type == YAML_SCALAR_EVENT) {
        const char *v = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        if (memchr(v, '\0', len))
            return perr(c, ev->start_mark, "a string must not contain a NUL character");
        if (!(n = new_node(c, SCN_SCALAR, ev->start_mark)) ||
            !(n->text = scn_doc_strndup(c->doc, v, len)))
            return nomem(c);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        *out = (built){n, 1, 0};
    } else {
        if (depth + 1 > SCN_MAX_DEPTH)
            return perr(c, ev->start_mark, "nesting deeper than %u levels",
                        (unsigned)SCN_MAX_DEPTH);
        scn_kind k = ev->type == YAML_MAPPING_START_EVENT ? SCN_MAP : SCN_SEQ;
        if (!(n = new_node(c, k, ev->start_mark)))
            return nomem(c);
        out->node = n;
        if ((rc = build_children(c, n, depth + 1, out)) != BASE_OK)
            return rc;
    }
    if (anchor_name)
        return add_anchor(c, (const char *)anchor_name, n, out->count, out->height);
    return BASE_OK;
}

static int parse_stream(pctx *c, scn_node **root)
{
    yaml_event_t ev;
    int rc;
    if ((rc = skip_event(c)) != BASE_OK) /* STREAM-START */
        return rc;
    if ((rc = next_event(c, &ev)) != BASE_OK)
        return rc;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return base_err_set(c->err, BASE_EINPUT, c->file, 1, 1,
                            "empty scenario: expected a mapping of keys");
    }
    yaml_event_delete(&ev); /* DOCUMENT-START */
    built b = {0};
    rc = build_next(c, 0, &ev, &b);
    yaml_event_delete(&ev);
    if (rc)
        return rc;
    if ((rc = skip_event(c)) != BASE_OK) /* DOCUMENT-END */
        return rc;
    if ((rc = next_event(c, &ev)) != BASE_OK)
        return rc;
    if (ev.type == YAML_DOCUMENT_START_EVENT)
        rc = perr(c, ev.start_mark,
                  "more than one YAML document in the file (a scenario is one document)");
    yaml_event_delete(&ev);
    if (rc)
        return rc;
    scn_node *r = b.node;
    yaml_mark_t m = {0, (size_t)r->line - 1, (size_t)r->col - 1};
    if (r->kind == SCN_SCALAR && r->plain && r->text[0] == '\0')
        return perr(c, m, "empty scenario: expected a mapping of keys");
    if (r->kind != SCN_MAP)
        return perr(c, m, "a scenario must be a mapping of keys, not %s", kind_name(r->kind));
    *root = r;
    return BASE_OK;
}

int scn_doc_parse_tree(scn_doc *doc, const char *file, const char *text, size_t len,
                       scn_node **root, base_err *err)
{
    *root = NULL;
    int rc = scn__text_check(file, text, len, err);
    if (rc)
        return rc;
    pctx c = {0};
    c.doc = doc;
    c.text = text;
    c.len = len;
    c.err = err;
    if (!(c.file = scn_doc_strdup(doc, file)))
        return base_err_set(err, BASE_ENOMEM, file, 0, 0, "out of memory");
    if (!yaml_parser_initialize(&c.parser))
        return base_err_set(err, BASE_ENOMEM, file, 0, 0, "out of memory");
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
    /* No yaml_parser_set_encoding: libyaml's own detection is what strips a UTF-8 BOM, and the
     * bytes are known to be UTF-8 already (a UTF-16 BOM is refused by scn__text_check). */
    rc = parse_stream(&c, root);
    yaml_parser_delete(&c.parser);
    for (size_t i = 0; i < c.nanchors; i++)
        free(c.anchors[i].name);
    free(c.anchors);
    free(c.slots);
    if (rc)
        *root = NULL;
    return rc;
}

int scn_doc_parse(const char *name, const char *text, size_t len, scn_doc **out, base_err *err)
{
    *out = NULL;
    if (!name)
        name = "";
    if (!text && len)
        return base_err_set(err, BASE_EINTERNAL, name, 0, 0, "no text to parse");
    scn_doc *doc = scn_doc_create();
    if (!doc)
        return base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    scn_node *root;
    int rc = scn_doc_parse_tree(doc, name, text ? text : "", len, &root, err);
    if (rc) {
        scn_doc_free(doc);
        return rc;
    }
    scn_doc_set_root(doc, root);
    *out = doc;
    return BASE_OK;
}
