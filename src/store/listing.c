/*
 * listing.c — the run listing both backends read alike (internal.h): a run's entry from the
 * columns of STORE__ENTRY_SELECT, its figures (finished or partial), the history's query, and
 * the buffers of a read-only row query. Each backend hands its rows over as store__cells (a
 * SQLite statement, a PostgreSQL result's row), so the columns are read in one place and a run
 * lists the same from SQLite and from PostgreSQL.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

static void text_of(const store__cells *c, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", c->text(c->row, col));
}

void store__entry_of(const store__cells *c, store_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = strtoll(c->text(c->row, 0), NULL, 10);
    text_of(c, 1, e->started, sizeof e->started);
    text_of(c, 2, e->name, sizeof e->name);
    text_of(c, 3, e->hash, sizeof e->hash);
    text_of(c, 4, e->seed, sizeof e->seed);
    text_of(c, 5, e->engine, sizeof e->engine);
    text_of(c, 6, e->status, sizeof e->status);
    e->replications = (int)strtol(c->text(c->row, 7), NULL, 10);
    e->done = (int)strtol(c->text(c->row, 8), NULL, 10);
    e->wall_s = c->real(c->row, 9);
    e->p99_ms = c->real(c->row, 10);
    e->p99_half = c->real(c->row, 11);
    e->error_pct = c->real(c->row, 12);
    e->error_half = c->real(c->row, 13);
    e->cost = c->real(c->row, 14);
    e->cost_half = c->real(c->row, 15);
}

int store__figure_of(const store__cells *c, store_figure_fn fn, void *ctx)
{
    store_figure f;
    text_of(c, 0, f.key, sizeof f.key);
    text_of(c, 1, f.unit, sizeof f.unit);
    f.mean = c->real(c->row, 2);
    f.half = c->real(c->row, 3);
    return fn(ctx, &f);
}

int store__partial_figures(const store__cells *c, store_figure_fn fn, void *ctx)
{
    int rc = 0;
    for (size_t i = 0; i < store__npartials && rc == 0; i++) {
        store_figure f;
        snprintf(f.key, sizeof f.key, "%s", store__partials[i].key);
        snprintf(f.unit, sizeof f.unit, "%s", store__partials[i].unit);
        f.mean = c->real(c->row, (int)i);
        f.half = NAN;
        rc = fn(ctx, &f);
    }
    return rc;
}

void store__history_sql(int limit, char *sql, size_t size)
{
    if (limit > 0)
        snprintf(sql, size,
                 "SELECT * FROM (" STORE__ENTRY_SELECT
                 "ORDER BY r.id DESC LIMIT %d) AS recent ORDER BY 1",
                 limit);
    else
        snprintf(sql, size, STORE__ENTRY_SELECT "ORDER BY r.id");
}

int store__row_buf_new(store__row_buf *b, int n, const char *where, base_err *err)
{
    b->names = calloc((size_t)n + 1, sizeof *b->names);
    b->text = calloc((size_t)n + 1, sizeof *b->text);
    b->num = calloc((size_t)n + 1, sizeof *b->num);
    if (b->names && b->text && b->num)
        return BASE_OK;
    store__row_buf_free(b);
    return base_err_set(err, BASE_ENOMEM, where, 0, 0, "out of memory");
}

void store__row_buf_free(store__row_buf *b)
{
    free(b->names);
    free(b->text);
    free(b->num);
    memset(b, 0, sizeof *b);
}
