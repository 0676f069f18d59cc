/*
 * schema.c — the walk over the scenario's key tables (src/io/keys/, one data file per topic, a section per component):
 * each key's name, type, default (written as a user would write it, and parsed by the same
 * code), range, meaning and the public source of the default. The same tables bind a YAML tree
 * into an mdl_scenario (with the binders of bind.c), reject unknown keys with the nearest known
 * one, and write docs/scenarios.md (scn_keys_markdown), so the reference cannot drift from what
 * the program accepts.
 *
 * Offsets are into mdl_scenario itself, so a section is only a list of keys; nested sections
 * (api.service, traffic.mix) are sections of the same scenario. Lists of sections (NodePools,
 * HPA policies, events) bind element by element; phases bind through their own function.
 */
#include "io/keys/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The node at a dotted path ("traffic.mix"), or the nearest existing ancestor. */
static const scn_node *find_path(const scn_node *root, const char *path)
{
    const scn_node *n = root;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok;
         tok = strtok_r(NULL, ".", &save)) {
        const scn_node *next = NULL;
        char *end;
        unsigned long i = strtoul(tok, &end, 10);
        if (n->kind == SCN_SEQ && *end == '\0' && end != tok)
            next = i < n->n ? n->vals[i] : NULL; /* "events.2": the third item */
        else
            next = scn_map_get(n, tok);
        if (!next)
            break;
        n = next;
    }
    return n;
}

int scn_bind(const scn_doc *doc, mdl_scenario *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    bctx c;
    memset(&c, 0, sizeof c);
    c.s = out;
    c.base = (char *)out;
    out->cluster.spot_discount_override = -1;       /* "(the pricing file's default_discount)" */
    out->nalarms = mdl_alarm_defaults(out->alarms); /* "(the seed's)"; a list replaces them */
    c.err = err;
    const scn_node *root = scn_doc_root(doc);
    int st = scn__bind_section_node(&scn__top_section, root, root, &c);
    if (st)
        return st;
    cost_catalog *cat = &out->cluster.catalog;
    for (size_t i = 0; i < cat->n; i++)
        cat->types[i].spot_discount = out->cluster.spot_discount_override >= 0
                                          ? out->cluster.spot_discount_override
                                          : out->cluster.spot_discount_default;
    /* names in the pricing file, resolved to indices */
    out->db.db_class = -1;
    for (size_t i = 0; i < cat->ndb; i++)
        if (!strcmp(cat->db[i].name, out->db.instance_class))
            out->db.db_class = (int)i;
    /* the replicas' class: the primary's unless named (-1: named, not in the file) */
    out->db.replica_class = out->db.replica_class_name[0] ? -1 : out->db.db_class;
    for (size_t i = 0; out->db.replica_class_name[0] && i < cat->ndb; i++)
        if (!strcmp(cat->db[i].name, out->db.replica_class_name))
            out->db.replica_class = (int)i;
    out->redis.cache_type = -1;
    for (size_t i = 0; i < cat->ncache; i++)
        if (!strcmp(cat->cache[i].name, out->redis.node_type))
            out->redis.cache_type = (int)i;
    char culprit[64] = "";
    if ((st = mdl_scenario_check(out, culprit, sizeof culprit, err)) != BASE_OK) {
        const scn_node *n = culprit[0] ? find_path(root, culprit) : root;
        err->line = n->line;
        err->col = n->col;
        snprintf(err->file, sizeof err->file, "%s", n->file);
    }
    return st;
}

int scn_load(const char *path, mdl_scenario *out, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    st = scn_bind(doc, out, err);
    if (st == BASE_OK && !out->name[0]) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(out->name, sizeof out->name, "%s", base);
        char *dot = strrchr(out->name, '.');
        if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
            *dot = '\0';
    }
    scn_doc_free(doc);
    return st;
}

/* ---------------------------------------------------------------- assumptions */

/* A value that is a sequence or a mapping as flow-style YAML text ("[a, b]", "{dist: uniform,
 * min: 60s}"), truncated to the buffer. */
static size_t node_text(const scn_node *n, char *out, size_t size)
{
    if (size == 0)
        return 0;
    if (n->kind == SCN_SCALAR)
        return (size_t)snprintf(out, size, "%s", n->text);
    size_t len = (size_t)snprintf(out, size, "%s", n->kind == SCN_SEQ ? "[" : "{");
    for (size_t i = 0; i < n->n && len < size; i++) {
        len += (size_t)snprintf(out + len, size - len, "%s", i ? ", " : "");
        if (len < size && n->kind == SCN_MAP)
            len += (size_t)snprintf(out + len, size - len, "%s: ", n->keys[i]->text);
        if (len < size)
            len += node_text(n->vals[i], out + len, size - len);
    }
    if (len < size)
        len += (size_t)snprintf(out + len, size - len, "%s", n->kind == SCN_SEQ ? "]" : "}");
    return len < size ? len : size - 1;
}

static int walk_assumptions(const section *sec, const scn_node *map, scn_assumption_fn fn,
                            void *ctx)
{
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        const scn_node *n = map && map->kind == SCN_MAP ? scn_map_get(map, k->name) : NULL;
        if (k->sub) {
            size_t len = strlen(k->sub->name);
            if (len >= 2 && strcmp(k->sub->name + len - 2, "[]") == 0)
                continue; /* lists (phases, events, node pools): the scenario's own content */
            if (!n && k->def && !strncmp(k->def, "(none", 5))
                continue; /* an optional section it leaves out (schedule, sweep): its keys'
                           * defaults are no assumption of this scenario */
            int rc = walk_assumptions(k->sub, n, fn, ctx);
            if (rc)
                return rc;
            continue;
        }
        char path[256], seq[1024];
        snprintf(path, sizeof path, "%s%s%s", sec->name, sec->name[0] ? "." : "", k->name);
        scn_assumption a = {.key = path, .type = k->type, .source = k->source};
        if (n && n->kind == SCN_SCALAR) {
            a.value = n->text;
            a.file = n->file;
            a.line = n->line;
        } else if (n) {
            node_text(n, seq, sizeof seq);
            a.value = seq;
            a.file = n->file;
            a.line = n->line;
        } else if (k->def && strcmp(path, "plan") != 0) { /* plan: simulate plan's, not a run's */
            a.value = k->def;
        } else {
            continue; /* not set, no default: the model does without it */
        }
        int rc = fn(ctx, &a);
        if (rc)
            return rc;
    }
    return 0;
}

int scn_assumptions(const char *path, scn_assumption_fn fn, void *ctx, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    st = walk_assumptions(&scn__top_section, scn_doc_root(doc), fn, ctx);
    scn_doc_free(doc);
    return st;
}

/* ---------------------------------------------------------------- documentation */

static void md_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s, f);
    }
}

static void md_section(FILE *f, const section *sec)
{
    fprintf(f, "\n### `%s`\n\n%s\n\n", sec->name[0] ? sec->name : "(top level)", sec->doc);
    fputs("| key | type | default | range | meaning | source of the default |\n", f);
    fputs("|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        fprintf(f, "| `%s%s%s` | %s | ", sec->name, sec->name[0] ? "." : "", k->name, k->type);
        if (k->sub)
            fputs("see below", f);
        else if (k->def)
            fprintf(f, "`%s`", k->def);
        else
            fputs("**required**", f);
        fputs(" | ", f);
        if (k->choices) /* the choices themselves; the key's range text says the same */
            for (size_t j = 0; k->choices[j]; j++)
                fprintf(f, "%s`%s`", j ? ", " : "", k->choices[j]);
        else
            md_escape(f, k->range ? k->range : "–");
        fputs(" | ", f);
        md_escape(f, k->doc);
        fputs(" | ", f);
        md_escape(f, k->source ? k->source : "–");
        fputs(" |\n", f);
    }
    for (size_t i = 0; i < sec->nkeys; i++)
        if (sec->keys[i].sub)
            md_section(f, sec->keys[i].sub);
}

void scn_keys_markdown(FILE *f)
{
    md_section(f, &scn__top_section);
}
