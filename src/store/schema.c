/*
 * schema.c — the results store's tables, written once for both backends (internal.h): SQLite's
 * and PostgreSQL's differ only in three types, so that a run's rows are the same columns
 * whichever store it chose (docs/results-store.md lists them).
 *
 * ID is the run's id column: SQLite's rowid (INTEGER PRIMARY KEY), an identity column in
 * PostgreSQL. BIG is a whole number that may pass 2^31 (a run's id, events): SQLite's INTEGER
 * is 8 bytes already (sqlite.org/datatype3.html), PostgreSQL's BIGINT. REAL is an 8-byte IEEE
 * float: SQLite's REAL, PostgreSQL's DOUBLE PRECISION. Times are ISO 8601 text in both.
 */
#include "store/internal.h"

#define SCHEMA(ID, BIG, REAL)                                                                      \
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"                  \
    "CREATE TABLE IF NOT EXISTS runs("                                                             \
    " id " ID ","                                                                                  \
    " started_at TEXT NOT NULL," /* UTC, ISO 8601 */                                               \
    " scenario_name TEXT NOT NULL,"                                                                \
    " scenario_file TEXT NOT NULL,"                                                                \
    " scenario_text TEXT NOT NULL," /* every file read, each after '# ---- file: NAME' */          \
    " scenario_sha256 TEXT NOT NULL,"                                                              \
    " seed TEXT NOT NULL," /* decimal: seeds go to 2^64-1 */                                       \
    " replications INTEGER NOT NULL,"                                                              \
    " version TEXT NOT NULL,"                                                                      \
    " fidelity TEXT NOT NULL,"                                                                     \
    " engine TEXT NOT NULL,"                                                                       \
    " output_dir TEXT,"                                                                            \
    " status TEXT NOT NULL CHECK(status IN ('running','finished','failed')),"                      \
    " error TEXT,"                                                                                 \
    " wall_s " REAL ","                                                                            \
    " report_json TEXT,"                                                                           \
    " pricing_text TEXT);" /* schema 2: the pricing file, as scenario_text */                      \
    "CREATE TABLE IF NOT EXISTS replications("                                                     \
    " run_id " BIG " NOT NULL REFERENCES runs(id),"                                                \
    " replication INTEGER NOT NULL,"                                                               \
    " finished_at TEXT NOT NULL,"                                                                  \
    " events " BIG " NOT NULL,"                                                                    \
    " requests " REAL ", served " REAL ", errors " REAL ", error_rate_pct " REAL ","               \
    " api_latency_p50_ms " REAL ", api_latency_p95_ms " REAL ", api_latency_p99_ms " REAL ","      \
    " peak_pods_ready INTEGER, peak_nodes INTEGER,"                                                \
    " PRIMARY KEY(run_id, replication));"                                                          \
    "CREATE TABLE IF NOT EXISTS figures("                                                          \
    " run_id " BIG " NOT NULL REFERENCES runs(id),"                                                \
    " position INTEGER NOT NULL,"                                                                  \
    " key TEXT NOT NULL, unit TEXT NOT NULL,"                                                      \
    " mean " REAL ", ci95_half_width " REAL ", ci95_low " REAL ", ci95_high " REAL ","             \
    " PRIMARY KEY(run_id, key));"                                                                  \
    "CREATE TABLE IF NOT EXISTS figure_values("                                                    \
    " run_id " BIG " NOT NULL REFERENCES runs(id),"                                                \
    " key TEXT NOT NULL, replication INTEGER NOT NULL, value " REAL ","                            \
    " PRIMARY KEY(run_id, key, replication));"                                                     \
    "CREATE TABLE IF NOT EXISTS objectives("                                                       \
    " run_id " BIG " NOT NULL REFERENCES runs(id),"                                                \
    " position INTEGER NOT NULL, objective TEXT NOT NULL,"                                         \
    " status TEXT NOT NULL, uncertain INTEGER NOT NULL,"                                           \
    " measured " REAL ", ci95_half_width " REAL ","                                                \
    " PRIMARY KEY(run_id, position));"                                                             \
    "CREATE TABLE IF NOT EXISTS series("                                                           \
    " run_id " BIG " NOT NULL REFERENCES runs(id),"                                                \
    " replication INTEGER," /* NULL: the mean across replications */                               \
    " time_s " REAL " NOT NULL);"                                                                  \
    "CREATE INDEX IF NOT EXISTS series_run ON series(run_id, replication, time_s);"                \
    "CREATE TABLE IF NOT EXISTS plans("                                                            \
    " id " ID ", started_at TEXT NOT NULL,"                                                        \
    " scenario_name TEXT NOT NULL, scenario_file TEXT NOT NULL, scenario_sha256 TEXT NOT NULL,"    \
    " seed TEXT NOT NULL, version TEXT NOT NULL, engine TEXT NOT NULL, space " BIG " NOT NULL,"    \
    " simulated " BIG " NOT NULL, replications " BIG " NOT NULL, wall_s " REAL ","                 \
    " winner TEXT, monthly_cost " REAL ", monthly_cost_ci95 " REAL ","                             \
    " api_latency_p99_ms " REAL ", api_latency_p99_ci95 " REAL ","                                 \
    " confirmed INTEGER, plan_json TEXT NOT NULL);"

const char store__schema_sqlite[] = SCHEMA("INTEGER PRIMARY KEY", "INTEGER", "REAL");

const char store__schema_pg[] =
    SCHEMA("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", "DOUBLE PRECISION");
