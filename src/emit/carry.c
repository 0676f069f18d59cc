/*
 * carry.c — what the manifests cannot say, carried beside them so that `simulate import` can
 * give back the scenario that was simulated (issue 15's round trip): the load, the failures,
 * the objectives, the service times, the seed... A ConfigMap `simulate-scenario` holds the
 * scenario as it was read (every file of its extends chain merged, `extends` itself gone), with
 * the seed and replications the run used. Import reads it first and lays what the manifests say
 * over it, so a manifest edited after emission wins over the copy (docs/emit.md).
 */
#include "emit/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"

json_t *emit_scalar_json(const char *text, int plain)
{
    if (plain) {
        if (!strcmp(text, "true"))
            return json_true();
        if (!strcmp(text, "false"))
            return json_false();
        if (!*text || !strcmp(text, "~") || !strcmp(text, "null"))
            return json_null();
        /* a whole number, no sign, no leading zero: an integer (a count, an integer key) */
        size_t n = strlen(text);
        if (n <= 15 && strspn(text, "0123456789") == n && (text[0] != '0' || n == 1))
            return json_integer(strtoll(text, NULL, 10));
    }
    return json_string(text);
}

static json_t *node_json(const scn_node *n)
{
    if (n->kind == SCN_SCALAR)
        return emit_scalar_json(n->text, n->plain);
    json_t *o = n->kind == SCN_MAP ? json_object() : json_array();
    for (size_t i = 0; o && i < n->n; i++) {
        json_t *v = node_json(n->vals[i]);
        int bad = !v || (n->kind == SCN_MAP ? json_object_set_new(o, n->keys[i]->text, v)
                                            : json_array_append_new(o, v));
        if (bad) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

int emit_scenario_json(const char *path, json_t **out, base_err *err)
{
    scn_doc *doc = NULL;
    *out = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    *out = node_json(scn_doc_root(doc));
    scn_doc_free(doc);
    return *out ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
}

int emit_scenario_text_json(const char *name, const char *text, size_t len, json_t **out,
                            base_err *err)
{
    scn_doc *doc = NULL;
    *out = NULL;
    int st = scn_doc_parse(name, text, len, &doc, err);
    if (st != BASE_OK)
        return st;
    *out = node_json(scn_doc_root(doc));
    scn_doc_free(doc);
    return *out ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
}

int emit__carry(const emit_input *in, emit_set *set, base_err *err)
{
    if (!in->scenario)
        return BASE_OK;
    json_t *tree = NULL;
    int st = emit_scenario_json(in->scenario, &tree, err);
    if (st != BASE_OK)
        return st;
    /* what the run used, which command-line overrides may have changed */
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)in->s->seed);
    json_object_set_new(tree, "seed", emit_scalar_json(seed, 1));
    json_object_set_new(tree, "replications", json_integer(in->s->replications));
    char *text = emit_yaml(tree);
    json_decref(tree);
    if (!text)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    json_t *cm =
        json_pack("{s:s, s:s, s:o, s:{s:s}}", "apiVersion", "v1", "kind", "ConfigMap", "metadata",
                  emit__meta(in, EMIT_CARRY_NAME, "simulation"), "data", EMIT_CARRY_KEY, text);
    free(text);
    if (emit__add(set, "kubernetes/simulate-scenario.yaml", "configmap-v1.json", cm))
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    return BASE_OK;
}
