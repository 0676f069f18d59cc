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

/* A value written (store__ops.exec, upsert, bulk): text (NULL: SQL NULL), a whole number, or a
 * real (NaN and infinities: SQL NULL, as SQLite has no NaN). */
typedef struct store__val {
    enum { STORE__TEXT, STORE__WHOLE, STORE__REAL } kind;
    const char *text;
    long long whole;
    double real;
} store__val;

/* The next row of a bulk write into vals (one per column): 1, or 0 when there are no more. */
typedef int (*store__next_fn)(void *ctx, store__val *vals);

/* What a backend does; store.c dispatches the reading functions to it, write.c writes a run
 * with the writing ones. Each write names `what` it was doing in its error ("recording the
 * figures"). */
typedef struct store__ops {
    int (*history)(store *st, int limit, store_entry_fn fn, void *ctx, base_err *err);
    int (*show)(store *st, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
                base_err *err);
    int (*report)(store *st, int64_t id, char **json, base_err *err);
    int (*rows)(store *st, const char *sql, int64_t id, struct store__row_ctx *c, base_err *err);
    /* a write transaction: tx_end commits when rc is BASE_OK, else rolls back and returns rc */
    int (*tx_begin)(store *st, base_err *err);
    int (*tx_end)(store *st, int rc, base_err *err);
    /* one statement with n values for its '?'s; the first column of the first row it returns
     * (RETURNING id) into *id when id */
    int (*exec)(store *st, const char *sql, size_t n, const store__val *vals, int64_t *id,
                const char *what, base_err *err);
    /* one row of n columns into `table`, replacing the row with the same first nkey columns */
    int (*upsert)(store *st, const char *table, const char *const *cols, size_t n, size_t nkey,
                  const store__val *vals, const char *what, base_err *err);
    /* the rows next() gives, of n columns each, into `table` (SQLite: replacing those with the
     * same key; PostgreSQL: one COPY, which replaces nothing) */
    int (*bulk)(store *st, const char *table, const char *const *cols, size_t n,
                store__next_fn next, void *ctx, const char *what, base_err *err);
    void (*close)(store *st);
} store__ops;

/* The head of every backend's handle (its first member). */
struct store {
    const store__ops *ops;
    const char *where; /* the file, or the URL without its password: for messages */
};

/* "VERB table("c1", ...) VALUES(?, ...)" into b ("INSERT OR REPLACE INTO"): the backends' row
 * writes. */
void store__insert_sql(base_buf *b, const char *verb, const char *table, const char *const *cols,
                       size_t n);

/* The values of a write (write.c). */
store__val store__text(const char *s);
store__val store__whole(long long v);
store__val store__real(double v);

/* One write statement with n values for its '?'s, in its own transaction; the first column of
 * the first row it returns into *id when id (plans.c's rows). */
int store__put(store *st, const char *sql, size_t n, const store__val *vals, int64_t *id,
               base_err *err);

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

/* What a stored run or plan says of when and what it ran: now (store__utc_now), the scenario
 * text's SHA-256 in hex, and the seed as text (a 64-bit unsigned number is wider than SQL's
 * BIGINT). */
typedef struct store__stamp {
    char now[32], hash[65], seed[24];
} store__stamp;
void store__stamp_of(const char *scenario_text, uint64_t seed, store__stamp *s);

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
