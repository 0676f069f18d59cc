/*
 * store.h — the results store: every run kept, to compare over months. The only header of
 * src/store/; every public name is store_*. Two backends behind one opaque handle, chosen by
 * what --db names: an SQLite file (the embedded default) or a PostgreSQL server
 * (`postgresql://...`, for a team's CI whose runners are thrown away after each job).
 *
 * A run is written in pieces, each its own transaction, so that nothing finished is lost when
 * the process dies: the run's row when it starts (status 'running'), each replication the
 * moment it finishes (its headline figures and its time series), and the whole summary, the
 * report and status 'finished' at the end. An SQLite file is in WAL mode with a busy timeout,
 * and PostgreSQL runs concurrent transactions itself, so several runs — several processes — can
 * share one store. Same schema in both. Schema: docs/results-store.md.
 *
 * A store handle is used by one thread at a time (the engine calls back one replication at a
 * time). Errors are values; nothing here prints.
 */
#ifndef SIMULATE_STORE_H
#define SIMULATE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"
#include "engine/engine.h"

/* The store's schema version (the `meta` table; docs/results-store.md). 2: runs.pricing_text
 * (a version 1 store gains the column when a run opens it to write). */
#define STORE_SCHEMA_VERSION 2

/* How long a writer waits for another process's transaction before giving up, ms. */
#define STORE_BUSY_TIMEOUT_MS 30000

typedef struct store store;

/* Whether `where` names a PostgreSQL store (a postgresql:// or postgres:// URL) rather than an
 * SQLite file; the CLI checks a file path as a path only when it is not a URL. */
bool store_is_url(const char *where);

/* Opens the store at `path` (a file, or a PostgreSQL URL) to write runs into it, creating it
 * (and a file's parent folder) when missing and adding what an older schema lacks. Creating,
 * migrating and switching to WAL wait for other processes up to STORE_BUSY_TIMEOUT_MS.
 * BASE_EINPUT, before anything is written, for a file that is not a simulate results store
 * (another database, not SQLite, not a regular file), a PostgreSQL schema that holds other
 * tables, a URL libpq cannot parse, or a store of a newer schema. BASE_EIO when the server
 * cannot be reached. Messages name a URL without its password. */
int store_open(const char *path, store **out, base_err *err);

/* Opens an existing store read-only, for history, show, plot and --baseline: never creates,
 * migrates or switches the journal mode, so a store on a read-only file or folder can be read
 * (PostgreSQL: every transaction of the session is READ ONLY). BASE_EINPUT when there is no
 * file (no store in the database), when it is not a simulate results store, or when its
 * schema is newer than this simulate reads. */
int store_open_read(const char *path, store **out, base_err *err);
void store_close(store *st);

/* A run as it starts. Strings are copied. */
typedef struct store_run {
    const char *scenario_name;
    const char *scenario_file; /* as given on the command line */
    const char *scenario_text; /* every file read (scn_doc_sources); hashed with SHA-256 */
    const char *pricing_text;  /* the pricing file it names (scn_doc_pricing_sources); NULL */
    const char *version;       /* simulate's */
    uint64_t seed;
    int replications;
    const char *fidelity; /* what was asked: request, flow, auto */
    const char *engine;   /* what runs: request or flow */
    const char *output_dir;
} store_run;

/* Records a run starting now (status 'running'); its id goes to *id. */
int store_begin(store *st, const store_run *run, int64_t *id, base_err *err);

/* Records one finished replication of run `id`: its headline figures and its time series. One
 * transaction: after it returns BASE_OK the replication survives a crash. */
int store_add_replication(store *st, int64_t id, const eng_rep *rep, base_err *err);

/* Records the end of run `id`: every figure (mean, 95% interval, each replication's value),
 * the objectives' verdicts as report.json has them, the series averaged across replications,
 * the report itself, the wall time and status 'finished'. One transaction. */
int store_finish(store *st, int64_t id, const eng_summary *sum, const char *report_json,
                 double wall_s, base_err *err);

/* Marks run `id` 'failed' with a reason (a run that stopped with an error). */
int store_fail(store *st, int64_t id, const char *why, double wall_s, base_err *err);

/* ---------------------------------------------------------------- reading */

/* One run, as `simulate history` lists it. A figure not recorded is NaN. */
typedef struct store_entry {
    int64_t id;
    char started[32]; /* UTC, ISO 8601 */
    char name[128];
    char hash[65];
    char seed[24];
    char engine[16];
    char status[16];  /* running (or killed before its end), finished, failed */
    int replications; /* asked */
    int done;         /* replications recorded */
    double wall_s;    /* NaN until finished */
    double p99_ms, p99_half;
    double error_pct, error_half;
    double cost, cost_half; /* monthly_cost, USD */
} store_entry;

typedef int (*store_entry_fn)(void *ctx, const store_entry *e);

/* Calls fn for each run, oldest first (at most `limit` newest runs when limit > 0). A non-zero
 * return from fn stops the walk and is returned. */
int store_history(store *st, int limit, store_entry_fn fn, void *ctx, base_err *err);

/* One figure of a run. */
typedef struct store_figure {
    char key[64];
    char unit[16];
    double mean, half;
} store_figure;

typedef int (*store_figure_fn)(void *ctx, const store_figure *f);

/* Run `id`'s entry, then each of its figures in the order they were reported. For a run that
 * did not finish, the figures are those of its recorded replications' headline figures
 * (means across them, no interval: half is NaN). BASE_EINPUT when there is no such run. */
int store_show(store *st, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
               base_err *err);

/* A run's figures gathered in store_show's order, for a caller that needs them all before it
 * writes (a header first, or a unit looked up by key): pass store_figures_keep as store_show's
 * fn and a zeroed store_figures as its ctx; it returns BASE_ENOMEM (setting no message) when
 * memory runs out. store_figures_free frees f and zeroes the struct. */
typedef struct store_figures {
    store_figure *f;
    size_t n, cap;
} store_figures;
int store_figures_keep(void *ctx, const store_figure *f);
void store_figures_free(store_figures *fs);

/* The report.json text stored with finished run `id` (caller frees), or BASE_EINPUT. */
int store_report(store *st, int64_t id, char **json, base_err *err);

/* The same report read as JSON into *doc (caller json_decref's; NULL on failure): a stored text
 * that does not read is BASE_EINTERNAL ("run N's stored report is not JSON: ..."). */
struct json_t;
int store_report_doc(store *st, int64_t id, struct json_t **doc, base_err *err);

/* What run `id` was made from, to bind its scenario again (`simulate emit RUN`). Strings are
 * allocated (store_inputs_clear); pricing_text is NULL for a run of a store before version 2. */
typedef struct store_inputs {
    char *scenario_file, *scenario_text, *scenario_sha256, *pricing_text, *status, *seed;
    int replications;
} store_inputs;
int store_run_inputs(store *st, int64_t id, store_inputs *out, base_err *err);
void store_inputs_clear(store_inputs *in);

/* One stored row of run `id`'s time series (`simulate export`): its replication (0-based; -1:
 * the mean across replications) and its n columns (time_s first, then the series table's
 * columns as the store has them) with their values, NaN where NULL. */
typedef int (*store_series_fn)(void *ctx, int replication, size_t n, const char *const *names,
                               const double *values);

/* Calls fn for each series row of run `id`: replications in order, then the mean, each by time.
 * Nothing for a run without series; a non-zero return from fn stops the walk and is returned. */
int store_series(store *st, int64_t id, store_series_fn fn, void *ctx, base_err *err);

/* Each replication's value of each figure of finished run `id` (figure_values), figures in the
 * order they were reported, then by replication; NaN where NULL. */
typedef int (*store_value_fn)(void *ctx, const char *key, int replication, double value);
int store_figure_values(store *st, int64_t id, store_value_fn fn, void *ctx, base_err *err);

/* ---------------------------------------------------------------- plans (plans.c) */

/* A `simulate plan` answer, kept whole (plan.json) with the figures history lists. Strings are
 * copied; NaN figures are stored as NULL. */
typedef struct store_plan {
    const char *scenario_name;
    const char *scenario_file;
    const char *scenario_text; /* every file read; hashed with SHA-256 as a run's */
    const char *version;
    const char *engine;
    uint64_t seed;
    uint64_t space, simulated, replications; /* configurations, simulated, replications run */
    double wall_s;
    const char *winner; /* "key=value, ..."; NULL when nothing in the space is feasible */
    double cost, cost_half, p99_ms, p99_half; /* the winner's, mean and 95% half-width */
    int confirmed;                            /* -1: no winner */
    const char *plan_json;
} store_plan;

/* Records a plan (one transaction); its number goes to *id. */
int store_put_plan(store *st, const store_plan *p, int64_t *id, base_err *err);

/* A stored plan as `simulate history` lists it. */
typedef struct store_plan_entry {
    int64_t id;
    char started[32];
    char name[128];
    char hash[65];
    char seed[24];
    char engine[16];
    double space, simulated, replications, wall_s;
    char winner[512]; /* "" when nothing was feasible */
    double cost, cost_half, p99_ms, p99_half;
    int confirmed; /* -1: no winner */
} store_plan_entry;

typedef int (*store_plan_fn)(void *ctx, const store_plan_entry *e);

/* Calls fn for each plan, oldest first (the `limit` newest when limit > 0). A store written
 * before plans were kept has none. */
int store_plans(store *st, int limit, store_plan_fn fn, void *ctx, base_err *err);

/* Plan `id`'s entry and its plan.json text (caller frees); BASE_EINPUT when there is none. */
int store_plan_get(store *st, int64_t id, store_plan_entry *e, char **json, base_err *err);

/* The same plan.json read as JSON into *doc (caller json_decref's; NULL on failure): a stored
 * text that does not read is BASE_EINTERNAL ("plan PN's stored plan.json is not JSON: ..."). */
int store_plan_doc(store *st, int64_t id, store_plan_entry *e, struct json_t **doc, base_err *err);

#endif
