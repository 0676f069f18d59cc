/*
 * series.c — time series at a fixed resolution, stored row by row in one growing array of
 * doubles (rows × columns): compact, and cheap to append once per interval.
 */
#include "metrics/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ser_table {
    int64_t resolution;
    size_t ncols, nrows, caprows;
    const char *const *names;
    double *v;
    /* bounded (ser_set_max_rows): */
    size_t max_rows; /* 0: unbounded */
    ser_fold *how;   /* per column, owned */
    size_t factor;   /* original rows per row */
    size_t partial;  /* original rows folded into the pending row so far (< factor) */
    double *pending; /* ncols values */
};

ser_table *ser_new(int64_t resolution_ns, size_t ncols, const char *const *names)
{
    if (ncols == 0 || resolution_ns <= 0)
        return NULL;
    ser_table *t = base_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->resolution = resolution_ns;
    t->ncols = ncols;
    t->names = names;
    t->factor = 1;
    return t;
}

int ser_set_max_rows(ser_table *t, size_t max_rows, const ser_fold *how)
{
    ser_fold *copy = base_malloc(t->ncols * sizeof *copy);
    if (!copy)
        return BASE_ENOMEM;
    memcpy(copy, how, t->ncols * sizeof *copy);
    free(t->how);
    t->how = copy;
    t->max_rows = max_rows >= 2 ? max_rows & ~(size_t)1 : 0;
    return BASE_OK;
}

size_t ser_fold_factor(const ser_table *t)
{
    return t->factor;
}

/* Folds row `src` (standing for `n_src` original rows) into `dst` (for `n_dst`). */
static void fold(const ser_table *t, double *dst, size_t n_dst, const double *src, size_t n_src)
{
    for (size_t c = 0; c < t->ncols; c++)
        switch (t->how[c]) {
        case SER_FIRST: break;
        case SER_MEAN:
            dst[c] = (dst[c] * (double)n_dst + src[c] * (double)n_src) / (double)(n_dst + n_src);
            break;
        case SER_LAST: dst[c] = src[c]; break;
        case SER_MAX: /* NaN (no value in that row) loses to any value */
            if (src[c] > dst[c] || isnan(dst[c]))
                dst[c] = src[c];
            break;
        }
}

void ser_free(ser_table *t)
{
    if (!t)
        return;
    free(t->v);
    free(t->pending);
    free(t->how);
    free(t);
}

static int push(ser_table *t, const double *row);

int ser_append(ser_table *t, const double *row)
{
    if (!t->max_rows)
        return push(t, row);
    if (t->factor > 1) { /* fold into the pending row until it spans the resolution */
        if (t->partial == 0)
            memcpy(t->pending, row, t->ncols * sizeof *row);
        else
            fold(t, t->pending, t->partial, row, 1);
        if (++t->partial < t->factor)
            return BASE_OK;
        t->partial = 0;
        row = t->pending;
    }
    if (t->nrows == t->max_rows) { /* halve: rows 2i and 2i+1 become row i */
        if (!t->pending && !(t->pending = base_malloc(t->ncols * sizeof *t->pending)))
            return BASE_ENOMEM;
        for (size_t i = 0; i < t->nrows / 2; i++) {
            double *dst = t->v + i * t->ncols;
            memmove(dst, t->v + 2 * i * t->ncols, t->ncols * sizeof *dst);
            fold(t, dst, t->factor, t->v + (2 * i + 1) * t->ncols, t->factor);
        }
        t->nrows /= 2;
        t->factor *= 2;
        t->resolution *= 2;
        /* the row in hand is one of the new resolution's first half: it starts a pending row */
        if (row != t->pending)
            memcpy(t->pending, row, t->ncols * sizeof *row);
        t->partial = t->factor / 2;
        return BASE_OK;
    }
    return push(t, row);
}

int ser_flush(ser_table *t)
{
    if (!t->max_rows || t->partial == 0)
        return BASE_OK;
    t->partial = 0;
    return push(t, t->pending);
}

static int push(ser_table *t, const double *row)
{
    double *v = base_grow(t->v, &t->caprows, t->nrows + 1, t->ncols * sizeof *v, 256);
    if (!v)
        return BASE_ENOMEM;
    t->v = v;
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

/* On the wire: the fixed fields, then the rows. */
typedef struct ser_wire {
    int64_t resolution;
    uint64_t ncols, nrows, factor;
} ser_wire;

void ser_pack(const ser_table *t, base_buf *out)
{
    ser_wire w = {t->resolution, t->ncols, t->nrows, t->factor};
    base_buf_add(out, (const char *)&w, sizeof w);
    base_buf_add(out, (const char *)t->v, t->nrows * t->ncols * sizeof *t->v);
}

ser_table *ser_unpack(const char **p, const char *end, const char *const *names)
{
    ser_wire w;
    if ((size_t)(end - *p) < sizeof w)
        return NULL;
    memcpy(&w, *p, sizeof w);
    if (w.ncols == 0 || w.nrows > (size_t)(end - *p) / sizeof(double) / w.ncols)
        return NULL;
    size_t n = (size_t)(w.nrows * w.ncols) * sizeof(double);
    if ((size_t)(end - *p) < sizeof w + n)
        return NULL;
    ser_table *t = ser_new(w.resolution, (size_t)w.ncols, names);
    if (!t)
        return NULL;
    t->v = base_malloc(n ? n : sizeof(double));
    if (!t->v) {
        ser_free(t);
        return NULL;
    }
    if (n)
        memcpy(t->v, *p + sizeof w, n);
    t->nrows = t->caprows = (size_t)w.nrows;
    t->factor = (size_t)w.factor;
    *p += sizeof w + n;
    return t;
}
