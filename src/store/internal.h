/*
 * internal.h — what the files of src/store/ share and nothing outside sees (store__ names): the
 * table of functions each backend fills (SQLite in sqlite.c, PostgreSQL in pg.c), the handle's
 * common head, and the rows both backends write and read the same way (rows.c), so that the two
 * stores hold the same figures whichever one a run chose.
 */
#ifndef SIMULATE_STORE_INTERNAL_H
#define SIMULATE_STORE_INTERNAL_H

#include "store/store.h"

/* One row of a read-only query (store__ops.rows): n columns named names[], each a number in
 * num[] (NaN for NULL) or, for a text column, text[] (num NaN); text[] is NULL for a number. */
typedef struct store__row_ctx {
    int (*fn)(struct store__row_ctx *c, size_t n, const char *const *names, const char *const *text,
              const double *num);
} store__row_ctx;

/* What a backend does; store.c dispatches each public function to it. */
typedef struct store__ops {
    int (*begin)(store *st, const store_run *run, int64_t *id, base_err *err);
    int (*add_replication)(store *st, int64_t id, const eng_rep *rep, base_err *err);
    int (*finish)(store *st, int64_t id, const eng_summary *sum, const char *report_json,
                  double wall_s, base_err *err);
    int (*fail)(store *st, int64_t id, const char *why, double wall_s, base_err *err);
    int (*history)(store *st, int limit, store_entry_fn fn, void *ctx, base_err *err);
    int (*show)(store *st, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
                base_err *err);
    int (*report)(store *st, int64_t id, char **json, base_err *err);
    int (*rows)(store *st, const char *sql, int64_t id, struct store__row_ctx *c, base_err *err);
    /* one INSERT or UPDATE, its own transaction: n text parameters for its '?'s (NULL: SQL
     * NULL); the first column of the first row it returns (RETURNING id) into *id when id */
    int (*put)(store *st, const char *sql, size_t n, const char *const *params, int64_t *id,
               base_err *err);
    void (*close)(store *st);
} store__ops;

/* The head of every backend's handle (its first member). */
struct store {
    const store__ops *ops;
};

/* Each backend's open: `read_only` for history, show, plot and --baseline (never creates,
 * migrates or writes). */
int store__sqlite_open(const char *path, int read_only, store **out, base_err *err);
int store__pg_open(const char *url, int read_only, store **out, base_err *err);

/* The tables (schema.c): one definition in each backend's types, run as one script. */
extern const char store__schema_sqlite[];
extern const char store__schema_pg[];

/* ---------------------------------------------------------------- rows.c */

/* Now, UTC, ISO 8601 to the second (runs.started_at, replications.finished_at). */
void store__utc_now(char out[32]);

/* `where` is not a simulate results store, for the reason `why`: BASE_EINPUT. */
int store__not_ours(const char *where, const char *why, base_err *err);

/* There is no run `id` in the store at `where`: BASE_EINPUT. */
int store__no_run(const char *where, int64_t id, base_err *err);

/* The value of meta's schema_version (NULL when there is none) into *version; BASE_EINPUT when
 * it is not a version or is newer than STORE_SCHEMA_VERSION. */
int store__schema_version(const char *where, const char *value, int *version, base_err *err);

/* One replication's headline row (the replications table), NaN where there is no value. */
typedef struct store__rep_row {
    double requests, served, errors, error_rate_pct; /* in the measurement window */
    double p50_ms, p95_ms, p99_ms;                   /* API latency */
} store__rep_row;
void store__rep_row_of(const eng_rep *rep, store__rep_row *row);

/* The figures `show` gives for a run that did not finish: the means of its replications'
 * headline columns, in this order. */
typedef struct store__partial {
    const char *key, *unit, *column;
} store__partial;
extern const store__partial store__partials[];
extern const size_t store__npartials;

/* "SELECT CAST(avg(requests) AS DOUBLE PRECISION), ... FROM replications WHERE run_id = "
 * followed by `param` (the backend's placeholder): one row, store__partials' columns in order.
 * Caller frees; NULL when out of memory. The SQL is the same in SQLite and PostgreSQL. */
char *store__partials_sql(const char *param);

/* One objective of a report, as report.json has it. */
typedef struct store__objective {
    int position;
    const char *objective, *status; /* status "unknown" when the report has none */
    int uncertain;
    double measured, half; /* NaN when not a number */
} store__objective;
typedef int (*store__objective_fn)(void *ctx, const store__objective *o);

/* Calls fn for each objective in report_json (the verdicts are the CLI's; the store keeps what
 * the report says rather than judge again). BASE_EINTERNAL when the report is not JSON; a
 * non-zero return from fn stops the walk and is returned. */
int store__objectives(const char *where, const char *report_json, store__objective_fn fn, void *ctx,
                      base_err *err);

/* The columns an entry is read from (history and show share them, in both backends). */
#define STORE__ENTRY_SELECT                                                                        \
    "SELECT r.id, r.started_at, r.scenario_name, r.scenario_sha256, r.seed, r.engine, r.status, "  \
    "r.replications, (SELECT count(*) FROM replications p WHERE p.run_id = r.id), r.wall_s, "      \
    "(SELECT mean FROM figures f WHERE f.run_id = r.id AND f.key = 'api_latency_p99'), "           \
    "(SELECT ci95_half_width FROM figures f WHERE f.run_id = r.id AND f.key = "                    \
    "'api_latency_p99'), "                                                                         \
    "(SELECT mean FROM figures f WHERE f.run_id = r.id AND f.key = 'error_rate'), "                \
    "(SELECT ci95_half_width FROM figures f WHERE f.run_id = r.id AND f.key = 'error_rate'), "     \
    "(SELECT mean FROM figures f WHERE f.run_id = r.id AND f.key = 'monthly_cost'), "              \
    "(SELECT ci95_half_width FROM figures f WHERE f.run_id = r.id AND f.key = 'monthly_cost') "    \
    "FROM runs r "

/* The figures of a finished run, in order; followed by the backend's placeholder for its id. */
#define STORE__FIGURES_SELECT "SELECT key, unit, mean, ci95_half_width FROM figures WHERE run_id = "

/* ---------------------------------------------------------------- listing.c */

/* One row of a backend's result, read by column (0-based): text ("" for NULL) or a number (NaN
 * for NULL). `row` is the backend's own (a SQLite statement; a PostgreSQL result and row). */
typedef struct store__cells {
    const void *row;
    const char *(*text)(const void *row, int col);
    double (*real)(const void *row, int col);
} store__cells;

/* A run's entry from a row of STORE__ENTRY_SELECT's columns. */
void store__entry_of(const store__cells *c, store_entry *e);

/* The figure in a row of STORE__FIGURES_SELECT, handed to fn; returns fn's return. */
int store__figure_of(const store__cells *c, store_figure_fn fn, void *ctx);

/* The figures of a run that did not finish, from the one row of store__partials_sql, each
 * handed to fn (half NaN); a non-zero return from fn stops and is returned. */
int store__partial_figures(const store__cells *c, store_figure_fn fn, void *ctx);

/* text (freed here) read as JSON into *doc: BASE_OK, or BASE_EINTERNAL "WHOSE<id>'s WHAT is not
 * JSON: why" ("run ", 3, "stored report"). */
struct json_t;
int store__json(char *text, const char *whose, long long id, const char *what, struct json_t **doc,
                base_err *err);

/* The history's query into sql[size]: every run oldest first, or the `limit` newest (> 0). */
void store__history_sql(int limit, char *sql, size_t size);

/* The buffers a read-only row query hands store__row_ctx.fn: n columns (+ 1). */
typedef struct store__row_buf {
    const char **names, **text;
    double *num;
} store__row_buf;

/* Allocates b's buffers for n columns: BASE_OK, or BASE_ENOMEM (at `where`) with b emptied.
 * store__row_buf_free frees them (and accepts an emptied b). */
int store__row_buf_new(store__row_buf *b, int n, const char *where, base_err *err);
void store__row_buf_free(store__row_buf *b);

#endif
