/*
 * build.c — the set of emitted objects: building it from the scenario, finding in it, freeing.
 */
#include "emit/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emit__add(emit_set *set, const char *file, const char *schema, json_t *obj)
{
    if (!obj)
        return -1;
    if (set->n >= EMIT_MAX_OBJECTS) {
        json_decref(obj);
        return -1;
    }
    emit_object *o = &set->o[set->n++];
    snprintf(o->file, sizeof o->file, "%s", file);
    snprintf(o->schema, sizeof o->schema, "%s", schema ? schema : "");
    o->obj = obj;
    return 0;
}

void emit_set_clear(emit_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        json_decref(set->o[i].obj);
    free(set->pgbouncer_ini);
    memset(set, 0, sizeof *set);
}

int emit_build(const emit_input *in, emit_set *out, base_err *err)
{
    /* in this order: the files are written, and checked, in the order they are added */
    static int (*const builders[])(const emit_input *, emit_set *) = {
        emit__kubernetes, emit__pgbouncer, emit__karpenter,        emit__terraform,
        emit__schedule,   emit__replicas,  emit__region_manifests,
    };
    memset(out, 0, sizeof *out);
    int st = BASE_OK;
    for (size_t i = 0; i < sizeof builders / sizeof builders[0] && st == BASE_OK; i++)
        st = builders[i](in, out);
    if (st != BASE_OK) {
        emit_set_clear(out);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0,
                            "out of memory building the deployment config");
    }
    st = emit__carry(in, out, err);
    if (st != BASE_OK)
        emit_set_clear(out);
    return st;
}

json_t *emit_find(const emit_set *set, const char *kind, const char *name)
{
    for (size_t i = 0; i < set->n; i++) {
        json_t *o = set->o[i].obj;
        const char *k = json_string_value(json_object_get(o, "kind"));
        const char *n = json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
        if (k && !strcmp(k, kind) && (!name || (n && !strcmp(n, name))))
            return o;
    }
    return NULL;
}
