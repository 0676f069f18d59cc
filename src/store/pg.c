/*
 * pg.c — the results store on a PostgreSQL server, through libpq (store.h; the same tables as
 * the SQLite store, docs/results-store.md). For a team whose CI runners are thrown away after
 * each job: the history lives on a server every job can reach.
 *
 * The same guarantees as the SQLite file, and why they hold:
 * - A run is written a replication at a time, each in one transaction (BEGIN ... COMMIT); the
 *   server makes a committed transaction durable (synchronous_commit is on by default) and rolls
 *   back one whose client went away — a run killed with SIGKILL keeps every replication it
 *   committed and stays 'running' (PostgreSQL 15 documentation, 3.4 "Transactions").
 * - Concurrent writers: each run writes its own rows (its id from an identity column), so runs
 *   do not wait for each other; creating or migrating the tables is one transaction holding a
 *   transaction-level advisory lock (9.27.10 "Advisory Lock Functions"), so runs starting on an
 *   empty database at once create the tables once. lock_timeout is the SQLite store's busy
 *   timeout (STORE_BUSY_TIMEOUT_MS), so a writer waits that long for a lock and then fails with
 *   a message rather than hang.
 * - Readers never write: their session sets default_transaction_read_only, so every statement
 *   runs in a READ ONLY transaction the server itself refuses to write in (20.11.1).
 * - Whose database: the tables go in the session's current schema (normally `public`; choose
 *   another with `options=-csearch_path%3DNAME` in the URL). A schema that holds other tables
 *   and no simulate `meta` table is refused before anything is written, as the SQLite store
 *   refuses another program's database.
 *
 * Series, figures and their values go over COPY (one round trip for hundreds of rows: a server
 * across a network costs a round trip per statement), the rest as parameterised statements in
 * text format, doubles printed with 17 significant digits so that they read back bit for bit.
 */
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "store/internal.h"

/* The advisory lock every simulate writer takes while it checks, creates or migrates the tables:
 * "simulate" in ASCII as a 64-bit key, unlikely to be another application's. */
#define PG_SCHEMA_LOCK "8316298538013258853"

typedef struct pg {
    store base; /* first: a pg * is a store * */
    PGconn *conn;
    char where[1024]; /* the URL without its password, for messages */
} pg;

/* ---------------------------------------------------------------- connecting, errors */

/* `url` with any password replaced by "***" (in user:password@ and in a password= parameter),
 * so that a message never shows it. */
static void redact(const char *url, char *out, size_t size)
{
    base_buf b = {0};
    const char *p = url, *scheme = strstr(url, "://");
    if (scheme) {
        const char *host = scheme + 3;
        size_t auth = strcspn(host, "/?#");
        const char *at = memchr(host, '@', auth);
        const char *colon = at ? memchr(host, ':', (size_t)(at - host)) : NULL;
        if (colon) {
            base_buf_add(&b, url, (size_t)(colon + 1 - url));
            base_buf_adds(&b, "***");
            p = at;
        }
    }
    for (;;) {
        const char *q = strstr(p, "password=");
        if (!q) {
            base_buf_adds(&b, p);
            break;
        }
        /* password= or sslpassword= (the client key's), as a parameter */
        const char *key = q - url >= 3 && !strncmp(q - 3, "ssl", 3) ? q - 3 : q;
        int param = key > url && (key[-1] == '?' || key[-1] == '&');
        base_buf_add(&b, p, (size_t)(q + 9 - p));
        p = q + 9;
        if (param) {
            base_buf_adds(&b, "***");
            p += strcspn(p, "&#");
        }
    }
    snprintf(out, size, "%s", b.oom || !b.p ? "postgresql://..." : b.p);
    base_buf_free(&b);
}

/* libpq's message on one line: its continuation lines start with a tab, and it ends with a
 * newline. */
static void one_line(const char *msg, char *out, size_t size)
{
    size_t n = 0;
    for (const char *c = msg ? msg : ""; *c && n + 1 < size; c++) {
        int blank = *c == '\n' || *c == '\t' || *c == '\r' || *c == ' ';
        if (blank && (n == 0 || out[n - 1] == ' '))
            continue;
        out[n++] = blank ? ' ' : *c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static int db_err(pg *st, base_err *err, const char *what, const PGresult *res)
{
    char msg[512];
    const char *m = res ? PQresultErrorMessage(res) : NULL;
    one_line(m && *m ? m : PQerrorMessage(st->conn), msg, sizeof msg);
    return base_err_set(err, BASE_EIO, st->where, 0, 0, "results store: %s: %s", what, msg);
}

/* Runs `sql` with `n` text parameters (NULL: SQL NULL). On success the result (caller clears);
 * on failure NULL and *rc set. */
static PGresult *query(pg *st, const char *sql, int n, const char *const *params, const char *what,
                       int *rc, base_err *err)
{
    PGresult *res = PQexecParams(st->conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(res);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        return res;
    *rc = db_err(st, err, what, res);
    PQclear(res);
    return NULL;
}

/* Runs statements that return nothing the caller needs (several, separated by ';', when there
 * are no parameters). */
static int exec(pg *st, const char *sql, const char *what, base_err *err)
{
    PGresult *res = PQexec(st->conn, sql);
    ExecStatusType s = PQresultStatus(res);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? BASE_OK : db_err(st, err, what, res);
    PQclear(res);
    return rc;
}

static int begin_tx(pg *st, base_err *err)
{
    return exec(st, "BEGIN", "starting a transaction", err);
}

static int end_tx(pg *st, int rc, base_err *err)
{
    if (rc == BASE_OK)
        return exec(st, "COMMIT", "committing", err);
    PQclear(PQexec(st->conn, "ROLLBACK"));
    return rc;
}

/* Nothing in the store prints: the server's notices ("relation already exists, skipping") are
 * dropped rather than go to stderr, libpq's default. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* ---------------------------------------------------------------- the schema */

/* The store's schema version in the session's current schema into *version: 0 when that schema
 * has no tables. BASE_EINPUT when there is no current schema, when its tables are not ours or
 * are of a newer version. */
static int schema_version(pg *st, int *version, base_err *err)
{
    *version = 0;
    int rc = BASE_OK;
    PGresult *res = query(st,
                          "SELECT current_schema(), (SELECT count(*) FROM pg_catalog.pg_tables "
                          "WHERE schemaname = current_schema()), (SELECT count(*) FROM "
                          "information_schema.columns WHERE table_schema = current_schema() AND "
                          "table_name = 'meta' AND column_name IN ('key', 'value'))",
                          0, NULL, "reading the schema", &rc, err);
    if (!res)
        return rc;
    int no_schema = PQgetisnull(res, 0, 0);
    long tables = strtol(PQgetvalue(res, 0, 1), NULL, 10);
    long meta = strtol(PQgetvalue(res, 0, 2), NULL, 10);
    PQclear(res);
    if (no_schema)
        return base_err_set(err, BASE_EINPUT, st->where, 0, 0,
                            "results store: no schema to keep it in (the search_path names none "
                            "that exists)");
    if (tables == 0)
        return BASE_OK;
    if (meta != 2)
        return store__not_ours(st->where, "a schema with other tables and no simulate meta table",
                               err);
    res = query(st, "SELECT value FROM meta WHERE key = 'schema_version'", 0, NULL,
                "reading the schema version", &rc, err);
    if (!res)
        return rc;
    char value[16];
    snprintf(value, sizeof value, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
    PQclear(res);
    return store__schema_version(st->where, value, version, err);
}

/* The series table has a column per eng_series_names entry; a newer simulate may add some: add
 * the missing ones (old rows get NULL), as the SQLite store does. */
static int series_columns(pg *st, base_err *err)
{
    int rc = BASE_OK;
    PGresult *res = query(st,
                          "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                          "current_schema() AND table_name = 'series'",
                          0, NULL, "reading the series table", &rc, err);
    if (!res)
        return rc;
    for (size_t c = 0; c < eng_series_count && rc == BASE_OK; c++) {
        int have = 0;
        for (int r = 0; r < PQntuples(res) && !have; r++)
            have = !strcmp(PQgetvalue(res, r, 0), eng_series_names[c]);
        if (have)
            continue;
        char sql[160];
        snprintf(sql, sizeof sql,
                 "ALTER TABLE series ADD COLUMN IF NOT EXISTS \"%s\" DOUBLE PRECISION",
                 eng_series_names[c]);
        rc = exec(st, sql, "adding a series column", err);
    }
    PQclear(res);
    return rc;
}

/* Checks whose tables they are, then creates or migrates them: one transaction under the
 * advisory lock, so that runs opening an empty database at once wait for each other. The DDL
 * runs only on an empty schema: CREATE INDEX IF NOT EXISTS would otherwise take a lock that
 * waits for the replications other runs are writing. */
static int prepare(pg *st, base_err *err)
{
    int rc = begin_tx(st, err);
    if (rc == BASE_OK)
        rc = exec(st, "SELECT pg_advisory_xact_lock(" PG_SCHEMA_LOCK ")",
                  "waiting for another run creating the store", err);
    int version = 0;
    if (rc == BASE_OK)
        rc = schema_version(st, &version, err);
    if (rc == BASE_OK && version == 0)
        rc = exec(st, store__schema_pg, "creating the store", err);
    if (rc == BASE_OK && version == 1) /* schema 1 to 2: the pricing file's text */
        rc = exec(st,
                  "ALTER TABLE runs ADD COLUMN IF NOT EXISTS pricing_text TEXT; UPDATE meta SET "
                  "value = '2' WHERE key = 'schema_version'",
                  "migrating the store", err);
    if (rc == BASE_OK)
        rc = series_columns(st, err);
    if (rc == BASE_OK) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "INSERT INTO meta(key, value) VALUES('schema_version', '%d') ON CONFLICT DO "
                 "NOTHING",
                 STORE_SCHEMA_VERSION);
        rc = exec(st, sql, "creating the store", err);
    }
    return end_tx(st, rc, err);
}

static const store__ops pg_ops;

static void pg_close(store *h)
{
    pg *st = (pg *)h;
    if (!st)
        return;
    PQfinish(st->conn);
    free(st);
}

int store__pg_open(const char *url, int read_only, store **out, base_err *err)
{
    *out = NULL;
    pg *st = calloc(1, sizeof *st);
    if (!st)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    st->base.ops = &pg_ops;
    st->base.where = st->where;
    redact(url, st->where, sizeof st->where);
    char *why = NULL;
    PQconninfoOption *parsed = PQconninfoParse(url, &why);
    if (!parsed) {
        char msg[512];
        one_line(why ? why : "out of memory", msg, sizeof msg);
        PQfreemem(why);
        int rc = base_err_set(err, BASE_EINPUT, st->where, 0, 0,
                              "not a PostgreSQL URL libpq can read: %s", msg);
        free(st);
        return rc;
    }
    PQconninfoFree(parsed);
    /* defaults first, then the URL (expanded), which may override them: libpq keeps the last
     * value of a repeated keyword (34.1, PQconnectdbParams). 10 s: a server that does not answer
     * fails the run early rather than after the OS's TCP timeout. */
    const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *const vals[] = {"10", "simulate", url, NULL};
    st->conn = PQconnectdbParams(keys, vals, 1);
    int rc = BASE_OK;
    if (!st->conn)
        rc = base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory");
    else if (PQstatus(st->conn) != CONNECTION_OK) {
        char msg[512];
        one_line(PQerrorMessage(st->conn), msg, sizeof msg);
        rc = base_err_set(err, BASE_EIO, st->where, 0, 0, "cannot open the results store: %s", msg);
    }
    if (rc == BASE_OK) {
        PQsetNoticeProcessor(st->conn, quiet, NULL);
        char sql[200];
        snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET client_min_messages = warning%s",
                 STORE_BUSY_TIMEOUT_MS,
                 read_only ? "; SET default_transaction_read_only = on" : "");
        rc = exec(st, sql, "setting up the session", err);
    }
    if (rc == BASE_OK && read_only) {
        int version = 0;
        rc = schema_version(st, &version, err);
        if (rc == BASE_OK && version == 0)
            rc = base_err_set(err, BASE_EINPUT, st->where, 0, 0,
                              "no results store there (runs write one; see --db)");
    } else if (rc == BASE_OK) {
        rc = prepare(st, err);
    }
    if (rc) {
        pg_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return BASE_OK;
}

/* ---------------------------------------------------------------- writing */

/* A double as a text parameter: NULL for NaN and infinities (the SQLite store has no NaN and
 * stores NULL; so does this one), else 17 significant digits, enough to read back the same
 * double (IEEE 754-2008, 5.12.2). */
static const char *real(double v, char buf[32])
{
    if (!isfinite(v))
        return NULL;
    snprintf(buf, 32, "%.17g", v);
    return buf;
}

static const char *whole(long long v, char buf[32])
{
    snprintf(buf, 32, "%lld", v);
    return buf;
}

/* A text value in COPY's text format: backslash, tab, newline and carriage return escaped
 * (PostgreSQL 15 documentation, COPY, "Text Format"); NULL is \N. */
static void copy_text(base_buf *b, const char *s)
{
    if (!s) {
        base_buf_adds(b, "\\N");
        return;
    }
    for (; *s; s++) {
        if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r') {
            base_buf_addc(b, '\\');
            base_buf_addc(b, *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\');
        } else {
            base_buf_addc(b, *s);
        }
    }
}

static void copy_real(base_buf *b, double v)
{
    char buf[32];
    const char *t = real(v, buf);
    base_buf_adds(b, t ? t : "\\N");
}

/* A COPY ... FROM STDIN of the rows in `rows` (text format, each line ending in '\n'). */
static int copy_in(pg *st, const char *sql, const base_buf *rows, const char *what, base_err *err)
{
    if (rows->oom)
        return base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory");
    PGresult *res = PQexec(st->conn, sql);
    int ok = PQresultStatus(res) == PGRES_COPY_IN;
    PQclear(res);
    if (!ok)
        return db_err(st, err, what, NULL);
    /* in chunks: PQputCopyData takes an int length */
    for (size_t off = 0; ok && off < rows->len; off += 1 << 20) {
        size_t n = rows->len - off < (size_t)1 << 20 ? rows->len - off : (size_t)1 << 20;
        ok = PQputCopyData(st->conn, rows->p + off, (int)n) == 1;
    }
    ok = PQputCopyEnd(st->conn, ok ? NULL : "simulate could not send the rows") == 1 && ok;
    int rc = BASE_OK;
    while ((res = PQgetResult(st->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == BASE_OK)
            rc = db_err(st, err, what, res);
        PQclear(res);
    }
    return rc == BASE_OK && !ok ? db_err(st, err, what, NULL) : rc;
}

/* A value as a text parameter (NULL for SQL NULL), in buf when it is a number. */
static const char *val_text(const store__val *v, char buf[32])
{
    if (v->kind == STORE__WHOLE)
        return whole(v->whole, buf);
    if (v->kind == STORE__REAL)
        return real(v->real, buf);
    return v->text;
}

static int pg_tx_begin(store *h, base_err *err)
{
    return begin_tx((pg *)h, err);
}

static int pg_tx_end(store *h, int rc, base_err *err)
{
    return end_tx((pg *)h, rc, err);
}

/* One statement (store__ops.exec): its '?'s written $1, $2, ..., its values as text. */
static int pg_exec(store *h, const char *sql, size_t n, const store__val *vals, int64_t *id,
                   const char *what, base_err *err)
{
    pg *st = (pg *)h;
    base_buf b = {0};
    size_t k = 0;
    for (const char *p = sql; *p; p++)
        if (*p == '?')
            base_buf_addf(&b, "$%zu", ++k);
        else
            base_buf_addc(&b, *p);
    char(*bufs)[32] = calloc(n ? n : 1, sizeof *bufs);
    const char **params = calloc(n ? n : 1, sizeof *params);
    int rc = BASE_OK;
    if (b.oom || !b.p || !bufs || !params)
        rc = base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory");
    for (size_t i = 0; rc == BASE_OK && i < n; i++)
        params[i] = val_text(&vals[i], bufs[i]);
    PGresult *res = rc == BASE_OK ? query(st, b.p, (int)n, params, what, &rc, err) : NULL;
    if (res && id && PQntuples(res) > 0)
        *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    free(params);
    free(bufs);
    base_buf_free(&b);
    return rc;
}

/* One row (store__ops.upsert): INSERT ... ON CONFLICT (the key) DO UPDATE, the SQLite store's
 * INSERT OR REPLACE. */
static int pg_upsert(store *h, const char *table, const char *const *cols, size_t n, size_t nkey,
                     const store__val *vals, const char *what, base_err *err)
{
    base_buf sql = {0};
    store__insert_sql(&sql, "INSERT INTO", table, cols, n);
    base_buf_adds(&sql, " ON CONFLICT (");
    for (size_t c = 0; c < nkey; c++)
        base_buf_addf(&sql, "%s\"%s\"", c ? ", " : "", cols[c]);
    base_buf_adds(&sql, ") DO UPDATE SET ");
    for (size_t c = nkey; c < n; c++)
        base_buf_addf(&sql, "%s\"%s\" = EXCLUDED.\"%s\"", c > nkey ? ", " : "", cols[c], cols[c]);
    int rc = sql.oom ? base_err_set(err, BASE_ENOMEM, h->where, 0, 0, "out of memory")
                     : pg_exec(h, sql.p, n, vals, NULL, what, err);
    base_buf_free(&sql);
    return rc;
}

/* Rows (store__ops.bulk) in one COPY: one round trip for hundreds of rows. */
static int pg_bulk(store *h, const char *table, const char *const *cols, size_t n,
                   store__next_fn next, void *ctx, const char *what, base_err *err)
{
    pg *st = (pg *)h;
    base_buf sql = {0}, rows = {0};
    base_buf_addf(&sql, "COPY %s(", table);
    for (size_t c = 0; c < n; c++)
        base_buf_addf(&sql, "%s\"%s\"", c ? ", " : "", cols[c]);
    base_buf_adds(&sql, ") FROM STDIN");
    store__val *v = calloc(n, sizeof *v);
    while (v && next(ctx, v)) {
        for (size_t c = 0; c < n; c++) {
            if (c)
                base_buf_addc(&rows, '\t');
            if (v[c].kind == STORE__WHOLE)
                base_buf_addf(&rows, "%lld", v[c].whole);
            else if (v[c].kind == STORE__REAL)
                copy_real(&rows, v[c].real);
            else
                copy_text(&rows, v[c].text);
        }
        base_buf_addc(&rows, '\n');
    }
    int rc = sql.oom || !v ? base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory")
                           : copy_in(st, sql.p, &rows, what, err);
    free(v);
    base_buf_free(&sql);
    base_buf_free(&rows);
    return rc;
}

/* ---------------------------------------------------------------- reading */

static double col_real(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NAN : strtod(PQgetvalue(res, row, col), NULL);
}

/* One row of a result as store__cells (listing.c reads the columns). */
typedef struct pg_row {
    const PGresult *res;
    int row;
} pg_row;

static const char *cell_text(const void *row, int col)
{
    const pg_row *r = row;
    return PQgetvalue(r->res, r->row, col);
}

static double cell_real(const void *row, int col)
{
    const pg_row *r = row;
    return col_real(r->res, r->row, col);
}

static int pg_history(store *h, int limit, store_entry_fn fn, void *ctx, base_err *err)
{
    pg *st = (pg *)h;
    char sql[2048];
    store__history_sql(limit, sql, sizeof sql);
    int rc = BASE_OK;
    PGresult *res = query(st, sql, 0, NULL, "reading the runs", &rc, err);
    pg_row row = {res, 0};
    store__cells c = {&row, cell_text, cell_real};
    for (; res && row.row < PQntuples(res) && rc == BASE_OK; row.row++) {
        store_entry e;
        store__entry_of(&c, &e);
        rc = fn(ctx, &e);
    }
    PQclear(res);
    return rc;
}

/* The figures of run `id`: those recorded at its end, or for one that did not finish the means
 * of its replications' (store__partials). */
static int figures_of(pg *st, int64_t id, int finished, store_figure_fn fn, void *ctx,
                      base_err *err)
{
    char b[32];
    const char *p[] = {whole(id, b)};
    char *partials = finished ? NULL : store__partials_sql("$1");
    if (!finished && !partials)
        return base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory");
    int rc = BASE_OK;
    PGresult *res = query(st, finished ? STORE__FIGURES_SELECT "$1 ORDER BY position" : partials, 1,
                          p, "reading the figures", &rc, err);
    free(partials);
    pg_row row = {res, 0};
    store__cells c = {&row, cell_text, cell_real};
    for (; res && finished && row.row < PQntuples(res) && rc == BASE_OK; row.row++)
        rc = store__figure_of(&c, fn, ctx);
    if (res && !finished && rc == BASE_OK)
        rc = store__partial_figures(&c, fn, ctx);
    PQclear(res);
    return rc;
}

static int pg_show(store *h, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
                   base_err *err)
{
    pg *st = (pg *)h;
    /* one snapshot: the run's row and its figures as of the same moment, even while a writer
     * finishes it */
    int rc = exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "reading the run", err);
    if (rc)
        return rc;
    char b[32];
    const char *p[] = {whole(id, b)};
    PGresult *res =
        query(st, STORE__ENTRY_SELECT "WHERE r.id = $1", 1, p, "reading the run", &rc, err);
    int found = res && PQntuples(res) == 1;
    if (found)
        store__entry_of(&(store__cells){&(pg_row){res, 0}, cell_text, cell_real}, entry);
    PQclear(res);
    if (rc == BASE_OK && !found)
        rc = store__no_run(st->where, id, err);
    int finished = found && strcmp(entry->status, "finished") == 0;
    if (rc == BASE_OK && (finished || entry->done > 0)) /* else nothing recorded yet */
        rc = figures_of(st, id, finished, fn, ctx, err);
    PQclear(PQexec(st->conn, "COMMIT"));
    return rc;
}

static int pg_report(store *h, int64_t id, char **json, base_err *err)
{
    pg *st = (pg *)h;
    *json = NULL;
    char b[32];
    const char *p[] = {whole(id, b)};
    int rc = BASE_OK;
    PGresult *res = query(st, "SELECT report_json, status FROM runs WHERE id = $1", 1, p,
                          "reading the run", &rc, err);
    if (!res)
        return rc;
    if (PQntuples(res) != 1)
        rc = store__no_run(st->where, id, err);
    else if (PQgetisnull(res, 0, 0))
        rc = base_err_set(err, BASE_EINPUT, st->where, 0, 0,
                          "run %lld did not finish (%s): it has no report", (long long)id,
                          PQgetvalue(res, 0, 1));
    else if (!(*json = base_strdup(PQgetvalue(res, 0, 0))))
        rc = base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory");
    PQclear(res);
    return rc;
}

/* A read-only query of one run's rows (store_series, store_figure_values); `sql` marks the run's
 * id with "?", written here as $1. Floats come as text in PostgreSQL's shortest exact form
 * (extra_float_digits 1, the default since PostgreSQL 12: "Floating-Point Types", 8.1.3), so
 * strtod gives back every bit. */
static int pg_rows(store *h, const char *sql, int64_t id, store__row_ctx *c, base_err *err)
{
    pg *st = (pg *)h;
    char *q = malloc(strlen(sql) + 2);
    if (!q)
        return base_err_set(err, BASE_ENOMEM, st->where, 0, 0, "out of memory");
    char *o = q;
    for (const char *p = sql; *p; p++) {
        if (*p == '?') {
            *o++ = '$';
            *o++ = '1';
        } else
            *o++ = *p;
    }
    *o = '\0';
    char b[32];
    const char *p[] = {whole(id, b)};
    int rc = BASE_OK;
    PGresult *res = query(st, q, 1, p, "reading the run's rows", &rc, err);
    free(q);
    if (!res)
        return rc;
    int n = PQnfields(res);
    store__row_buf row;
    rc = store__row_buf_new(&row, n, st->where, err);
    for (int i = 0; rc == BASE_OK && i < n; i++)
        row.names[i] = PQfname(res, i);
    for (int r = 0; rc == BASE_OK && r < PQntuples(res); r++) {
        for (int i = 0; i < n; i++) {
            /* 25: the type oid of text (pg_type.dat) */
            int is_text = PQftype(res, i) == 25 && !PQgetisnull(res, r, i);
            row.text[i] = is_text ? PQgetvalue(res, r, i) : NULL;
            row.num[i] = is_text ? NAN : col_real(res, r, i);
        }
        rc = c->fn(c, (size_t)n, row.names, row.text, row.num);
    }
    store__row_buf_free(&row);
    PQclear(res);
    return rc;
}

static const store__ops pg_ops = {
    .history = pg_history,
    .show = pg_show,
    .report = pg_report,
    .rows = pg_rows,
    .tx_begin = pg_tx_begin,
    .tx_end = pg_tx_end,
    .exec = pg_exec,
    .upsert = pg_upsert,
    .bulk = pg_bulk,
    .close = pg_close,
};
