/*
 * series.c — time series at a fixed resolution, stored row by row in one growing array of
 * doubles (rows × columns): compact, and cheap to append once per interval.
 */
#include "metrics/metrics.h"

#include <stdlib.h>

struct ser_table {
    int64_t resolution;
    size_t ncols, nrows, caprows;
    const char *const *names;
    double *v;
};

ser_table *ser_new(int64_t resolution_ns, size_t ncols, const char *const *names)
{
    if (ncols == 0 || resolution_ns <= 0)
        return NULL;
    ser_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->resolution = resolution_ns;
    t->ncols = ncols;
    t->names = names;
    return t;
}

void ser_free(ser_table *t)
{
    if (!t)
        return;
    free(t->v);
    free(t);
}

int ser_append(ser_table *t, const double *row)
{
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? t->caprows * 2 : 256;
        double *v = realloc(t->v, cap * t->ncols * sizeof *v);
        if (!v)
            return BASE_ENOMEM;
        t->v = v;
        t->caprows = cap;
    }
    for (size_t c = 0; c < t->ncols; c++)
        t->v[t->nrows * t->ncols + c] = row[c];
    t->nrows++;
    return BASE_OK;
}

size_t ser_rows(const ser_table *t)
{
    return t->nrows;
}

size_t ser_cols(const ser_table *t)
{
    return t->ncols;
}

int64_t ser_resolution(const ser_table *t)
{
    return t->resolution;
}

const char *ser_name(const ser_table *t, size_t col)
{
    return col < t->ncols ? t->names[col] : "?";
}

double ser_get(const ser_table *t, size_t row, size_t col)
{
    return row < t->nrows && col < t->ncols ? t->v[row * t->ncols + col] : 0;
}
