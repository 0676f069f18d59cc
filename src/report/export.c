/*
 * export.c — a stored run as CSV for spreadsheets and notebooks (`simulate export RUN --csv`):
 * series.csv, one row per time step per replication (then the mean across replications), and
 * figures.csv, each figure's mean with its 95% interval and each replication's value. Read
 * through the store's public API only; nothing here writes to the store.
 *
 * CSV as RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180, section 2): CRLF after every record,
 * a header record, a field quoted when it holds a comma, a double quote, CR or LF, a quote inside
 * doubled. A number is written in the shortest form that reads back to the same double (15, 16
 * or 17 significant digits; 17 always suffice for IEEE 754 binary64), so the files are the same
 * bytes for the same store and lose nothing; a missing value (NULL, NaN) is an empty field.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "report/report.h"
#include "store/store.h"

/* One field, quoted when RFC 4180 asks for it. */
static void csv_text(base_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        base_buf_adds(b, s);
        return;
    }
    base_buf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            base_buf_addc(b, '"');
        base_buf_addc(b, *s);
    }
    base_buf_addc(b, '"');
}

/* The shortest of %.15g, %.16g, %.17g that strtod reads back to v's bits; empty for NaN. */
static void csv_number(base_buf *b, double v)
{
    if (isnan(v))
        return;
    if (isinf(v)) {
        base_buf_adds(b, v > 0 ? "inf" : "-inf");
        return;
    }
    char s[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(s, sizeof s, "%.*g", digits, v);
        if (strtod(s, NULL) == v)
            break;
    }
    base_buf_adds(b, s);
}

static void csv_replication(base_buf *b, int replication)
{
    if (replication < 0)
        base_buf_adds(b, "mean");
    else
        base_buf_addf(b, "%d", replication);
}

typedef struct series_out {
    base_buf b;
    int header;
    int eu; /* the run has eu-west-1's columns (two active regions) */
} series_out;

/* eu-west-1's columns (`*_eu_west_1`, docs/multi-region.md): the store's table has them for
 * every run once any run had two regions; a run of one region has no value in them. */
static int eu_column(const char *name)
{
    static const char sfx[] = "_eu_west_1";
    size_t n = strlen(name), k = sizeof sfx - 1;
    return n > k && !strcmp(name + n - k, sfx);
}

/* The rest of a line after its first cell, one cell a column the file keeps: the columns'
 * names (values NULL: the header) or one row's values. */
static void series_cells(series_out *o, size_t n, const char *const *names, const double *values)
{
    for (size_t i = 0; i < n; i++) {
        if (!o->eu && eu_column(names[i]))
            continue;
        base_buf_addc(&o->b, ',');
        if (values)
            csv_number(&o->b, values[i]);
        else
            csv_text(&o->b, names[i]);
    }
    base_buf_adds(&o->b, "\r\n");
}

static int series_row(void *ctx, int replication, size_t n, const char *const *names,
                      const double *values)
{
    series_out *o = ctx;
    if (!o->header) {
        /* kept when the run's first row has a value in any of them */
        for (size_t i = 0; i < n; i++)
            if (eu_column(names[i]) && !isnan(values[i]))
                o->eu = 1;
        base_buf_adds(&o->b, "replication");
        series_cells(o, n, names, NULL);
        o->header = 1;
    }
    csv_replication(&o->b, replication);
    series_cells(o, n, names, values);
    return o->b.oom ? BASE_ENOMEM : BASE_OK;
}

/* The figures: their means first (store_show's order), then the per-replication values. */
typedef struct figures_out {
    base_buf b;
    store_figures figs;
} figures_out;

static const char *unit_of(const figures_out *o, const char *key)
{
    for (size_t i = 0; i < o->figs.n; i++)
        if (!strcmp(o->figs.f[i].key, key))
            return o->figs.f[i].unit;
    return "";
}

static void figure_row(base_buf *b, const char *key, const char *unit, int replication,
                       double value, double lo, double hi)
{
    csv_text(b, key);
    base_buf_addc(b, ',');
    csv_text(b, unit);
    base_buf_addc(b, ',');
    csv_replication(b, replication);
    base_buf_addc(b, ',');
    csv_number(b, value);
    base_buf_addc(b, ',');
    csv_number(b, lo);
    base_buf_addc(b, ',');
    csv_number(b, hi);
    base_buf_adds(b, "\r\n");
}

static int value_row(void *ctx, const char *key, int replication, double value)
{
    figures_out *o = ctx;
    figure_row(&o->b, key, unit_of(o, key), replication, value, NAN, NAN);
    return o->b.oom ? BASE_ENOMEM : BASE_OK;
}

static int write_buf(const char *dir, const char *name, const base_buf *b, char *path, size_t size,
                     base_err *err)
{
    snprintf(path, size, "%s/%s", dir, name);
    if (b->oom)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    return base_write_file_atomic(path, b->p ? b->p : "", b->len, err);
}

int rep_export_csv(struct store *st, int64_t id, const char *dir, char *series_path,
                   char *figures_path, size_t path_len, base_err *err)
{
    store_entry e;
    figures_out fo = {0};
    series_out so = {0};
    int rc = store_show(st, id, &e, store_figures_keep, &fo.figs, err);
    if (rc == BASE_ENOMEM)
        base_err_set(err, rc, NULL, 0, 0, "out of memory");
    if (rc == BASE_OK) {
        base_buf_adds(&fo.b, "figure,unit,replication,value,ci_low,ci_high\r\n");
        /* the interval as the store records it: ci95_low = mean - half, ci95_high = mean +
         * half (docs/results-store.md); none for a run that did not finish */
        for (size_t i = 0; i < fo.figs.n; i++) {
            const store_figure *f = &fo.figs.f[i];
            figure_row(&fo.b, f->key, f->unit, -1, f->mean, f->mean - f->half, f->mean + f->half);
        }
        rc = store_figure_values(st, id, value_row, &fo, err);
        if (rc == BASE_ENOMEM)
            base_err_set(err, rc, NULL, 0, 0, "out of memory");
    }
    if (rc == BASE_OK) {
        rc = store_series(st, id, series_row, &so, err);
        if (rc == BASE_ENOMEM)
            base_err_set(err, rc, NULL, 0, 0, "out of memory");
    }
    if (rc == BASE_OK && !so.header) /* no series stored: the header alone */
        base_buf_adds(&so.b, "replication,time_s\r\n");
    if (rc == BASE_OK)
        rc = base_mkdir_p(dir, err);
    if (rc == BASE_OK)
        rc = write_buf(dir, "series.csv", &so.b, series_path, path_len, err);
    if (rc == BASE_OK)
        rc = write_buf(dir, "figures.csv", &fo.b, figures_path, path_len, err);
    store_figures_free(&fo.figs);
    base_buf_free(&fo.b);
    base_buf_free(&so.b);
    return rc;
}
