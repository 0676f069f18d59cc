/*
 * store.c — the one door to the results store (store.h): a `postgresql://` or `postgres://` URL
 * opens the PostgreSQL store (pg.c), anything else is the path of an SQLite file (sqlite.c).
 * Every reading call goes to the backend that opened the handle; a run is written by write.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#include <jansson.h>

bool store_is_url(const char *where)
{
    /* the two URI schemes libpq accepts (PostgreSQL 15 documentation, 34.1.1.2 "Connection
     * URIs") */
    return where && (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11));
}

int store_open(const char *where, store **out, base_err *err)
{
    return store_is_url(where) ? store__pg_open(where, 0, out, err)
                               : store__sqlite_open(where, 0, out, err);
}

int store_open_read(const char *where, store **out, base_err *err)
{
    return store_is_url(where) ? store__pg_open(where, 1, out, err)
                               : store__sqlite_open(where, 1, out, err);
}

void store_close(store *st)
{
    if (st)
        st->ops->close(st);
}

int store_history(store *st, int limit, store_entry_fn fn, void *ctx, base_err *err)
{
    return st->ops->history(st, limit, fn, ctx, err);
}

int store_show(store *st, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
               base_err *err)
{
    return st->ops->show(st, id, entry, fn, ctx, err);
}

int store_figures_keep(void *ctx, const store_figure *f)
{
    store_figures *fs = ctx;
    store_figure *g = base_grow(fs->f, &fs->cap, fs->n + 1, sizeof *g, 64);
    if (!g)
        return BASE_ENOMEM;
    fs->f = g;
    fs->f[fs->n++] = *f;
    return BASE_OK;
}

void store_figures_free(store_figures *fs)
{
    free(fs->f);
    memset(fs, 0, sizeof *fs);
}

int store_report(store *st, int64_t id, char **json, base_err *err)
{
    return st->ops->report(st, id, json, err);
}

int store__json(char *text, const char *whose, long long id, const char *what, json_t **doc,
                base_err *err)
{
    json_error_t je;
    *doc = json_loads(text, 0, &je);
    free(text);
    if (!*doc)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "%s%lld's %s is not JSON: %s", whose,
                            id, what, je.text);
    return BASE_OK;
}

int store_report_doc(store *st, int64_t id, json_t **doc, base_err *err)
{
    char *text = NULL;
    *doc = NULL;
    int rc = store_report(st, id, &text, err);
    if (rc != BASE_OK)
        return rc;
    return store__json(text, "run ", (long long)id, "stored report", doc, err);
}

/* store_series: the walk over the series table's rows, skipping run_id. */
typedef struct series_walk {
    store__row_ctx c; /* first: the backend calls back with it */
    store_series_fn fn;
    void *ctx;
} series_walk;

static int series_row(store__row_ctx *c, size_t n, const char *const *names,
                      const char *const *text, const double *num)
{
    (void)text;
    series_walk *w = (series_walk *)c;
    /* columns: run_id, replication, time_s, ... (the SELECT below) */
    if (n < 3)
        return BASE_OK;
    int rep = isnan(num[1]) ? -1 : (int)num[1];
    return w->fn(w->ctx, rep, n - 2, names + 2, num + 2);
}

int store_series(store *st, int64_t id, store_series_fn fn, void *ctx, base_err *err)
{
    series_walk w = {{series_row}, fn, ctx};
    /* every column the store holds (an older simulate's store may hold fewer than
     * eng_series_names), with run_id and replication moved first; the same SQL in both
     * backends ("?" is the run's id) */
    return st->ops->rows(st,
                         "SELECT * FROM series WHERE run_id = ? ORDER BY replication IS NULL, "
                         "replication, time_s",
                         id, &w.c, err);
}

typedef struct value_walk {
    store__row_ctx c;
    store_value_fn fn;
    void *ctx;
} value_walk;

static int value_row(store__row_ctx *c, size_t n, const char *const *names, const char *const *text,
                     const double *num)
{
    (void)names;
    value_walk *w = (value_walk *)c;
    if (n < 3 || !text[0])
        return BASE_OK;
    return w->fn(w->ctx, text[0], isnan(num[1]) ? -1 : (int)num[1], num[2]);
}

int store_figure_values(store *st, int64_t id, store_value_fn fn, void *ctx, base_err *err)
{
    value_walk w = {{value_row}, fn, ctx};
    return st->ops->rows(st,
                         "SELECT v.key, v.replication, v.value FROM figure_values v JOIN figures "
                         "f ON f.run_id = v.run_id AND f.key = v.key WHERE v.run_id = ? ORDER BY "
                         "f.position, v.replication",
                         id, &w.c, err);
}
