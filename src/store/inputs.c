/*
 * inputs.c — what a stored run was made from (store.h store_run_inputs): the scenario's text,
 * the pricing file's (schema 2), the seed and replications, read back so that `simulate emit
 * RUN` binds the scenario the run simulated without the files it was read from. Both backends
 * through their read-only rows query; a store of schema 1 has no pricing_text column, and
 * reads as NULL.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

typedef struct inputs_walk {
    store__row_ctx c; /* first: the backend calls back with it */
    store_inputs *out;
    int found, oom;
} inputs_walk;

/* The text columns kept, and the field of store_inputs each goes to. */
static const struct {
    const char *column;
    size_t off;
} text_columns[] = {
    {"scenario_file", offsetof(store_inputs, scenario_file)},
    {"scenario_text", offsetof(store_inputs, scenario_text)},
    {"scenario_sha256", offsetof(store_inputs, scenario_sha256)},
    {"pricing_text", offsetof(store_inputs, pricing_text)},
    {"status", offsetof(store_inputs, status)},
    {"seed", offsetof(store_inputs, seed)},
};
#define NTEXT (sizeof text_columns / sizeof text_columns[0])

static char **text_field(store_inputs *in, size_t i)
{
    return (char **)((char *)in + text_columns[i].off);
}

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
        if (!strcmp(names[i], "replications"))
            o->replications = isnan(num[i]) ? 0 : (int)num[i];
        for (size_t t = 0; t < NTEXT; t++)
            if (!strcmp(names[i], text_columns[t].column))
                *text_field(o, t) = dup_or_null(text[i], &w->oom);
    }
    return BASE_OK;
}

void store_inputs_clear(store_inputs *in)
{
    for (size_t t = 0; t < NTEXT; t++)
        free(*text_field(in, t));
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
