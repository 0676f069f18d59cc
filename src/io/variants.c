/*
 * variants.c — a scenario with `variants:`: one base, several named changes to it, each bound as
 * a scenario of its own. The changes merge over the base exactly as an extending file merges
 * over the file it extends, so a variant says only what differs (`database: {engine: aurora}`),
 * and every error still points at the line that caused it.
 */
#include "io/io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/yaml_internal.h"

int scn_load_variants(const char *path, scn_variant **out, size_t *n, base_err *err)
{
    *out = NULL;
    *n = 0;
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    scn_node *root = (scn_node *)scn_doc_root(doc);
    const scn_node *vars = scn_map_get(root, "variants");
    size_t count = vars ? vars->n : 1;
    if (vars && (vars->kind != SCN_MAP || vars->n == 0 || vars->n > SCN_MAX_VARIANTS)) {
        st = base_err_set(err, BASE_EINPUT, vars->file, vars->line, vars->col,
                          "variants: expected a mapping of 1 to %d named variants, each a "
                          "mapping of keys",
                          SCN_MAX_VARIANTS);
        scn_doc_free(doc);
        return st;
    }
    scn_variant *v = calloc(count, sizeof *v);
    if (!v) {
        scn_doc_free(doc);
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    }
    if (!vars) {
        st = scn_bind(doc, &v[0].s, err);
    } else {
        /* the base: the root without `variants` */
        scn_node *base = scn_doc_alloc(doc, sizeof *base);
        scn_node **keys = scn_doc_alloc(doc, root->n * sizeof *keys);
        scn_node **vals = scn_doc_alloc(doc, root->n * sizeof *vals);
        if (!base || !keys || !vals)
            st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
        size_t k = 0;
        for (size_t i = 0; st == BASE_OK && i < root->n; i++) {
            if (!strcmp(root->keys[i]->text, "variants"))
                continue;
            keys[k] = root->keys[i];
            vals[k] = root->vals[i];
            k++;
        }
        if (st == BASE_OK) {
            *base = *root;
            base->n = k;
            base->keys = keys;
            base->vals = vals;
        }
        for (size_t i = 0; st == BASE_OK && i < count; i++) {
            const scn_node *name = vars->keys[i], *over = vars->vals[i];
            if (over->kind != SCN_MAP) {
                st = base_err_set(err, BASE_EINPUT, over->file, over->line, over->col,
                                  "variant '%s': expected a mapping of the keys it changes",
                                  name->text);
                break;
            }
            if (strlen(name->text) >= sizeof v[i].name) {
                st = base_err_set(err, BASE_EINPUT, name->file, name->line, name->col,
                                  "variant name too long (at most %zu characters)",
                                  sizeof v[i].name - 1);
                break;
            }
            scn_node *merged;
            if (scn_doc_merge(doc, base, (scn_node *)over, &merged) != BASE_OK) {
                st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
                break;
            }
            scn_doc_set_root(doc, merged);
            st = scn_bind(doc, &v[i].s, err);
            snprintf(v[i].name, sizeof v[i].name, "%s", name->text);
        }
    }
    if (st == BASE_OK) {
        /* names as scn_load gives them */
        for (size_t i = 0; i < count; i++) {
            if (!v[i].s.name[0]) {
                const char *b = strrchr(path, '/');
                b = b ? b + 1 : path;
                snprintf(v[i].s.name, sizeof v[i].s.name, "%s", b);
                char *dot = strrchr(v[i].s.name, '.');
                if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
                    *dot = '\0';
            }
            if (!vars)
                snprintf(v[i].name, sizeof v[i].name, "%.63s", v[i].s.name);
        }
        *out = v;
        *n = count;
    } else {
        free(v);
    }
    scn_doc_free(doc);
    return st;
}
