/*
 * write.c — a run written into either store: its row when it starts, each replication (its
 * headline row and its series) in one transaction, its figures, objectives and mean series with
 * its report in one transaction at the end, or its failure. What is written, in which order and
 * in which transaction is said here once; the backends (sqlite.c, pg.c) only run the statements
 * (store__ops: a transaction, one statement, one row replacing another, many rows at once), so
 * the two stores cannot drift apart in what they hold.
 */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

store__val store__text(const char *s)
{
    return (store__val){.kind = STORE__TEXT, .text = s};
}

store__val store__whole(long long v)
{
    return (store__val){.kind = STORE__WHOLE, .whole = v};
}

store__val store__real(double v)
{
    return (store__val){.kind = STORE__REAL, .real = v};
}

void store__insert_sql(base_buf *b, const char *verb, const char *table, const char *const *cols,
                       size_t n)
{
    base_buf_addf(b, "%s %s(", verb, table);
    for (size_t c = 0; c < n; c++)
        base_buf_addf(b, "%s\"%s\"", c ? ", " : "", cols[c]);
    base_buf_adds(b, ") VALUES(");
    for (size_t c = 0; c < n; c++)
        base_buf_adds(b, c ? ", ?" : "?");
    base_buf_addc(b, ')');
}

int store__put(store *st, const char *sql, size_t n, const store__val *vals, int64_t *id,
               base_err *err)
{
    int rc = st->ops->tx_begin(st, err);
    if (rc == BASE_OK)
        rc = st->ops->tx_end(st, st->ops->exec(st, sql, n, vals, id, "writing", err), err);
    return rc;
}

int store_begin(store *st, const store_run *run, int64_t *id, base_err *err)
{
    const char *scenario = run->scenario_text ? run->scenario_text : "";
    store__stamp at;
    store__stamp_of(scenario, run->seed, &at);
    const store__val v[] = {store__text(at.now),
                            store__text(run->scenario_name ? run->scenario_name : ""),
                            store__text(run->scenario_file ? run->scenario_file : ""),
                            store__text(scenario),
                            store__text(at.hash),
                            store__text(at.seed),
                            store__whole(run->replications),
                            store__text(run->version ? run->version : ""),
                            store__text(run->fidelity ? run->fidelity : ""),
                            store__text(run->engine ? run->engine : ""),
                            store__text(run->output_dir),
                            store__text(run->pricing_text)};
    return st->ops->exec(st,
                         "INSERT INTO runs(started_at, scenario_name, scenario_file, "
                         "scenario_text, scenario_sha256, seed, replications, version, "
                         "fidelity, engine, output_dir, pricing_text, status) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,'running') RETURNING id",
                         sizeof v / sizeof v[0], v, id, "recording the run", err);
}

/* ---------------------------------------------------------------- series */

#define MAX_SERIES_COLS 256

typedef struct series_rows {
    int64_t id;
    int tag;
    const ser_table *t;
    size_t r;
} series_rows;

static int next_series_row(void *ctx, store__val *v)
{
    series_rows *s = ctx;
    if (s->r >= ser_rows(s->t))
        return 0;
    v[0] = store__whole(s->id);
    v[1] = s->tag >= 0 ? store__whole(s->tag) : store__text(NULL);
    for (size_t c = 0; c < ser_cols(s->t); c++)
        v[2 + c] = store__real(ser_get(s->t, s->r, c));
    s->r++;
    return 1;
}

/* The series rows of run `id` (replication `tag`, or NULL when tag < 0) from a table with
 * eng_series_names' columns. */
static int write_series(store *st, int64_t id, int tag, const ser_table *t, base_err *err)
{
    if (!t || ser_rows(t) == 0)
        return BASE_OK;
    const char *cols[MAX_SERIES_COLS + 2] = {"run_id", "replication"};
    size_t n = ser_cols(t);
    if (n > MAX_SERIES_COLS)
        return base_err_set(err, BASE_ELIMIT, st->where, 0, 0, "results store: too many columns");
    for (size_t c = 0; c < n; c++)
        cols[2 + c] = ser_name(t, c);
    series_rows s = {id, tag, t, 0};
    return st->ops->bulk(st, "series", cols, n + 2, next_series_row, &s, "recording the series",
                         err);
}

int store_add_replication(store *st, int64_t id, const eng_rep *rep, base_err *err)
{
    int rc = st->ops->tx_begin(st, err);
    if (rc)
        return rc;
    char now[32];
    store__utc_now(now);
    store__rep_row row;
    store__rep_row_of(rep, &row);
    static const char *const cols[] = {"run_id",
                                       "replication",
                                       "finished_at",
                                       "events",
                                       "requests",
                                       "served",
                                       "errors",
                                       "error_rate_pct",
                                       "api_latency_p50_ms",
                                       "api_latency_p95_ms",
                                       "api_latency_p99_ms",
                                       "peak_pods_ready",
                                       "peak_nodes"};
    const store__val v[] = {store__whole(id),
                            store__whole(rep->replication),
                            store__text(now),
                            store__whole((long long)rep->events),
                            store__real(row.requests),
                            store__real(row.served),
                            store__real(row.errors),
                            store__real(row.error_rate_pct),
                            store__real(row.p50_ms),
                            store__real(row.p95_ms),
                            store__real(row.p99_ms),
                            store__whole(rep->peak_pods),
                            store__whole(rep->peak_nodes)};
    rc = st->ops->upsert(st, "replications", cols, sizeof cols / sizeof cols[0], 2, v,
                         "recording a replication", err);
    if (rc == BASE_OK)
        rc = write_series(st, id, (int)rep->replication, rep->series, err);
    return st->ops->tx_end(st, rc, err);
}

/* ---------------------------------------------------------------- the end of a run */

typedef struct figure_rows {
    int64_t id;
    const eng_summary *sum;
    size_t i; /* the figure */
    int r;    /* its replication (figure_values) */
} figure_rows;

static int next_figure(void *ctx, store__val *v)
{
    figure_rows *f = ctx;
    if (f->i >= f->sum->nfigures)
        return 0;
    const eng_figure *g = &f->sum->figures[f->i];
    v[0] = store__whole(f->id);
    v[1] = store__whole((long long)f->i);
    v[2] = store__text(g->key);
    v[3] = store__text(g->unit);
    v[4] = store__real(g->ci.mean);
    v[5] = store__real(g->ci.half);
    v[6] = store__real(g->ci.mean - g->ci.half);
    v[7] = store__real(g->ci.mean + g->ci.half);
    f->i++;
    return 1;
}

static int next_figure_value(void *ctx, store__val *v)
{
    figure_rows *f = ctx;
    for (; f->i < f->sum->nfigures; f->i++, f->r = 0) {
        const eng_figure *g = &f->sum->figures[f->i];
        if (g->values && f->r < f->sum->replications) {
            v[0] = store__whole(f->id);
            v[1] = store__text(g->key);
            v[2] = store__whole(f->r);
            v[3] = store__real(g->values[f->r]);
            f->r++;
            return 1;
        }
    }
    return 0;
}

static int write_figures(store *st, int64_t id, const eng_summary *sum, base_err *err)
{
    static const char *const figures[] = {"run_id", "position",        "key",      "unit",
                                          "mean",   "ci95_half_width", "ci95_low", "ci95_high"};
    static const char *const values[] = {"run_id", "key", "replication", "value"};
    figure_rows f = {id, sum, 0, 0};
    int rc = st->ops->bulk(st, "figures", figures, sizeof figures / sizeof figures[0], next_figure,
                           &f, "recording the figures", err);
    f.i = 0;
    if (rc == BASE_OK)
        rc = st->ops->bulk(st, "figure_values", values, sizeof values / sizeof values[0],
                           next_figure_value, &f, "recording the figures", err);
    return rc;
}

typedef struct objective_ctx {
    store *st;
    int64_t id;
    base_err *err;
} objective_ctx;

static int write_objective(void *ctx, const store__objective *o)
{
    static const char *const cols[] = {"run_id",    "position", "objective",      "status",
                                       "uncertain", "measured", "ci95_half_width"};
    objective_ctx *c = ctx;
    const store__val v[] = {store__whole(c->id),        store__whole(o->position),
                            store__text(o->objective),  store__text(o->status),
                            store__whole(o->uncertain), store__real(o->measured),
                            store__real(o->half)};
    return c->st->ops->upsert(c->st, "objectives", cols, sizeof cols / sizeof cols[0], 2, v,
                              "recording the objectives", c->err);
}

int store_finish(store *st, int64_t id, const eng_summary *sum, const char *report_json,
                 double wall_s, base_err *err)
{
    int rc = st->ops->tx_begin(st, err);
    if (rc)
        return rc;
    rc = write_figures(st, id, sum, err);
    if (rc == BASE_OK && report_json) {
        objective_ctx c = {st, id, err};
        rc = store__objectives(st->where, report_json, write_objective, &c, err);
    }
    if (rc == BASE_OK) /* the mean across replications, as report.json has it */
        rc = write_series(st, id, -1, sum->series_mean, err);
    if (rc == BASE_OK) {
        const store__val v[] = {store__real(wall_s), store__text(report_json), store__whole(id)};
        rc = st->ops->exec(st,
                           "UPDATE runs SET status = 'finished', wall_s = ?, report_json = ? "
                           "WHERE id = ?",
                           3, v, NULL, "finishing the run", err);
    }
    return st->ops->tx_end(st, rc, err);
}

int store_fail(store *st, int64_t id, const char *why, double wall_s, base_err *err)
{
    const store__val v[] = {store__text(why), store__real(wall_s), store__whole(id)};
    return st->ops->exec(st,
                         "UPDATE runs SET status = 'failed', error = ?, wall_s = ? WHERE id = ?", 3,
                         v, NULL, "recording the failure", err);
}
