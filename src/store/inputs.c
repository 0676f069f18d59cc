/*
 * inputs.c — what a stored run was made from (store.h store_run_inputs): the scenario's text,
 * the pricing file's (schema 2), the seed and replications, read back so that `simulate emit
 * RUN` binds the scenario the run simulated without the files it was read from. Both backends
 * through their read-only rows query; a store of schema 1 has no pricing_text column, and
 * reads as NULL.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

typedef struct inputs_walk {
    store__row_ctx c; /* first: the backend calls back with it */
    store_inputs *out;
    int found, oom;
} inputs_walk;

static char *dup_or_null(const char *s, int *oom)
{
    char *d = s ? strdup(s) : NULL;
    *oom |= s && !d;
    return d;
}

static int inputs_row(store__row_ctx *c, size_t n, const char *const *names,
                      const char *const *text, const double *num)
{
    inputs_walk *w = (inputs_walk *)c;
    store_inputs *o = w->out;
    w->found = 1;
    for (size_t i = 0; i < n; i++) {
        const char *k = names[i];
        if (!strcmp(k, "scenario_file"))
            o->scenario_file = dup_or_null(text[i], &w->oom);
        else if (!strcmp(k, "scenario_text"))
            o->scenario_text = dup_or_null(text[i], &w->oom);
        else if (!strcmp(k, "scenario_sha256"))
            o->scenario_sha256 = dup_or_null(text[i], &w->oom);
        else if (!strcmp(k, "pricing_text"))
            o->pricing_text = dup_or_null(text[i], &w->oom);
        else if (!strcmp(k, "status"))
            o->status = dup_or_null(text[i], &w->oom);
        else if (!strcmp(k, "seed"))
            o->seed = dup_or_null(text[i], &w->oom);
        else if (!strcmp(k, "replications"))
            o->replications = isnan(num[i]) ? 0 : (int)num[i];
    }
    return BASE_OK;
}

void store_inputs_clear(store_inputs *in)
{
    free(in->scenario_file);
    free(in->scenario_text);
    free(in->scenario_sha256);
    free(in->pricing_text);
    free(in->status);
    free(in->seed);
    memset(in, 0, sizeof *in);
}

int store_run_inputs(store *st, int64_t id, store_inputs *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    inputs_walk w = {{inputs_row}, out, 0, 0};
    /* every column, so that a schema 1 store (no pricing_text) reads too */
    int rc = st->ops->rows(st, "SELECT * FROM runs WHERE id = ?", id, &w.c, err);
    if (rc == BASE_OK && w.oom)
        rc = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == BASE_OK && (!w.found || !out->scenario_text || !out->seed))
        rc = w.found ? base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                                    "run %lld's row lacks its scenario", (long long)id)
                     : store__no_run("the results store", id, err);
    if (rc != BASE_OK)
        store_inputs_clear(out);
    return rc;
}
