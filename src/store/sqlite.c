/*
 * sqlite.c — the results store in one SQLite file, the default (store.h; schema in
 * docs/results-store.md; the PostgreSQL store, pg.c, keeps the same tables).
 *
 * Why these settings:
 * - WAL journal (https://sqlite.org/wal.html): readers do not block the writer nor the writer
 *   the readers, and a commit is one append to the log — a run that is killed leaves the
 *   committed transactions whole and the rest rolled back when the file is next opened.
 * - synchronous=NORMAL: in WAL mode, committed transactions survive a crash of the process
 *   (the case we promise); only a power loss may lose the last ones (sqlite.org/pragma.html).
 * - busy_timeout: two runs sharing a store wait for each other's short transactions instead
 *   of failing with SQLITE_BUSY. Writes begin IMMEDIATE so that the wait happens at BEGIN,
 *   where the busy handler applies, not at a lock upgrade that could deadlock.
 */
#include "store/internal.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "metrics/metrics.h"

typedef struct lite {
    store base; /* first: a lite * is a store * */
    sqlite3 *db;
    char path[1024];
    size_t series_cols; /* columns of the series table known to exist (eng_series_names) */
} lite;

static int db_err(lite *st, base_err *err, const char *what)
{
    return base_err_set(err, BASE_EIO, st->path, 0, 0, "results store: %s: %s", what,
                        sqlite3_errmsg(st->db));
}

static int exec(lite *st, const char *sql, base_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = base_err_set(err, BASE_EIO, st->path, 0, 0, "results store: %s",
                              msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return rc;
    }
    return BASE_OK;
}

/* The series table has a column per eng_series_names entry; a newer simulate may add some: add
 * the missing ones (ALTER TABLE ADD COLUMN keeps old rows, their new columns NULL). */
static int series_columns(lite *st, base_err *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT name FROM pragma_table_info('series')", -1, &q, NULL) !=
        SQLITE_OK)
        return db_err(st, err, "reading the series table");
    char have[4096] = ",";
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(q, 0);
        size_t len = strlen(have);
        if (n && len + strlen(n) + 2 < sizeof have)
            snprintf(have + len, sizeof have - len, "%s,", n);
    }
    sqlite3_finalize(q);
    for (size_t c = 0; c < eng_series_count; c++) {
        char pat[80];
        snprintf(pat, sizeof pat, ",%s,", eng_series_names[c]);
        if (strstr(have, pat))
            continue;
        char sql[160];
        snprintf(sql, sizeof sql, "ALTER TABLE series ADD COLUMN \"%s\" REAL", eng_series_names[c]);
        int rc = exec(st, sql, err);
        if (rc)
            return rc;
    }
    st->series_cols = eng_series_count;
    return BASE_OK;
}

/* What is at `path` must be a regular file (or nothing, when `may_be_missing`). */
static int check_file(const char *path, int may_be_missing, base_err *err)
{
    if (!*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "results store: an empty path names no file");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT && may_be_missing)
            return BASE_OK;
        if (errno == ENOENT)
            return base_err_set(err, BASE_EINPUT, path, 0, 0,
                                "no results store there (runs write one; see --db)");
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot open the results store: %s",
                            strerror(errno));
    }
    if (!S_ISREG(sb.st_mode))
        return store__not_ours(path,
                               S_ISDIR(sb.st_mode)    ? "it is a folder"
                               : S_ISFIFO(sb.st_mode) ? "it is a FIFO"
                                                      : "it is not a regular file",
                               err);
    return BASE_OK;
}

/* The store's schema version into *version: 0 in an empty database. BASE_EINPUT when the file
 * is not ours or is newer, BASE_EIO when it cannot be read. Runs inside the caller's
 * transaction, if any. */
static int schema_version(lite *st, int *version, base_err *err)
{
    *version = 0;
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL);
    int tables = 0;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(q);
        tables = sqlite3_column_int(q, 0);
        rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
    }
    sqlite3_finalize(q);
    if ((rc & 0xff) == SQLITE_NOTADB)
        return store__not_ours(st->path, "not an SQLite database", err);
    if (rc != SQLITE_OK)
        return db_err(st, err, "reading the schema");
    if (tables == 0)
        return BASE_OK;
    const char *sql = "SELECT value FROM meta WHERE key='schema_version'";
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return store__not_ours(st->path, "a database without simulate's meta table", err);
    rc = sqlite3_step(q);
    const char *v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    char value[16];
    snprintf(value, sizeof value, "%s", v ? v : "");
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(st, err, "reading the schema version");
    return store__schema_version(st->path, value, version, err);
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Switches the file to WAL. SQLite refuses the switch inside a transaction ("cannot change into
 * wal mode from within a transaction", sqlite.org/pragma.html#pragma_journal_mode), and the
 * lock the switch takes does not wait in the busy handler: with another process in a write
 * transaction it failed after ~7 ms with "database is locked" (issue 13, item 5). So it is
 * retried here, backing off from 1 ms to 50 ms, for as long as the busy timeout. Once the file
 * is in WAL mode the pragma is a no-op that takes no write lock. */
static int switch_to_wal(lite *st, base_err *err)
{
    double t0 = mono_ms();
    int pause = 1;
    for (;;) {
        int rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return BASE_OK;
        if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) ||
            mono_ms() - t0 >= STORE_BUSY_TIMEOUT_MS)
            return db_err(st, err, "switching to WAL");
        sqlite3_sleep(pause);
        pause = pause * 2 > 50 ? 50 : pause * 2;
    }
}

static const store__ops lite_ops;

/* A handle for the file at `path` (check_file's `may_be_missing`), not yet open, into *out. */
static int lite_new(const char *path, int may_be_missing, lite **out, base_err *err)
{
    *out = NULL;
    int rc = check_file(path, may_be_missing, err);
    if (rc)
        return rc;
    lite *st = calloc(1, sizeof *st);
    if (!st)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    st->base.ops = &lite_ops;
    st->base.where = st->path;
    snprintf(st->path, sizeof st->path, "%s", path);
    *out = st;
    return BASE_OK;
}

static void lite_close(store *h)
{
    lite *st = (lite *)h;
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st);
}

/* Opens `name` (st->path, or a URI for it) into st->db, with the busy timeout. */
static int open_db(lite *st, const char *name, int flags, base_err *err)
{
    if (sqlite3_open_v2(name, &st->db, flags, NULL) != SQLITE_OK) {
        int rc = base_err_set(err, BASE_EIO, st->path, 0, 0, "cannot open the results store: %s",
                              st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_close(st->db);
        st->db = NULL;
        return rc;
    }
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    return BASE_OK;
}

static int open_write(const char *path, store **out, base_err *err)
{
    *out = NULL;
    lite *st;
    int rc = lite_new(path, 1, &st, err);
    if (rc)
        return rc;
    /* the store's folder, like the report's, is made when missing */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        rc = base_mkdir_p(dir, err);
        if (rc) {
            free(st);
            return rc;
        }
    }
    rc = open_db(st, st->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
    if (rc) {
        free(st);
        return rc;
    }
    rc = exec(st, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", err);
    /* checking whose file it is and creating or migrating the schema is one IMMEDIATE
     * transaction, so new runs on a new store wait for each other at BEGIN (in the busy
     * handler) and a foreign database is refused before anything is written to it */
    if (rc == BASE_OK)
        rc = exec(st, "BEGIN IMMEDIATE", err);
    if (rc != BASE_OK && (sqlite3_errcode(st->db) & 0xff) == SQLITE_NOTADB)
        rc = store__not_ours(path, "not an SQLite database", err);
    if (rc == BASE_OK) {
        int version;
        rc = schema_version(st, &version, err);
        if (rc == BASE_OK)
            rc = exec(st, store__schema_sqlite, err);
        if (rc == BASE_OK && version == 1) /* schema 1 to 2: the pricing file's text */
            rc = exec(st,
                      "ALTER TABLE runs ADD COLUMN pricing_text TEXT; UPDATE meta SET value = '2' "
                      "WHERE key = 'schema_version'",
                      err);
        if (rc == BASE_OK)
            rc = series_columns(st, err);
        if (rc == BASE_OK) {
            char sql[160];
            snprintf(sql, sizeof sql,
                     "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '%d')",
                     STORE_SCHEMA_VERSION);
            rc = exec(st, sql, err);
        }
        if (rc == BASE_OK)
            rc = exec(st, "COMMIT", err);
        else
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (rc == BASE_OK)
        rc = switch_to_wal(st, err);
    if (rc) {
        lite_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return BASE_OK;
}

/* The read-only connection failed because SQLite could not make the store's -shm file, and
 * there is no -wal file (every commit is in the main file). */
static int read_only_wal(const lite *st)
{
    int e = sqlite3_extended_errcode(st->db) & 0xff;
    if (e != SQLITE_READONLY && e != SQLITE_CANTOPEN)
        return 0;
    char wal[1100];
    snprintf(wal, sizeof wal, "%s-wal", st->path);
    struct stat sb;
    return stat(wal, &sb) != 0 && errno == ENOENT;
}

/* `file:PATH?mode=ro&immutable=1`, PATH percent-encoded (sqlite.org/uri.html); 0 when it does
 * not fit. */
static int uri_of(const char *path, char *out, size_t size)
{
    size_t n = (size_t)snprintf(out, size, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < size; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || strchr("/-._~", *p);
        n += (size_t)snprintf(out + n, size - n, plain ? "%c" : "%%%02X", *p);
    }
    int w = snprintf(out + n, size - n, "?mode=ro&immutable=1");
    return w > 0 && (size_t)w < size - n && strlen(path) * 3 + 30 < size;
}

static int open_read(const char *path, store **out, base_err *err)
{
    *out = NULL;
    lite *st;
    int rc = lite_new(path, 0, &st, err);
    if (rc)
        return rc;
    rc = open_db(st, st->path, SQLITE_OPEN_READONLY, err);
    if (rc) {
        free(st);
        return rc;
    }
    int version = 0;
    rc = schema_version(st, &version, err);
    if (rc == BASE_EIO && read_only_wal(st)) {
        /* a WAL store in a folder this user cannot write: SQLite needs its -shm file, which it
         * cannot create, unless the file is opened immutable (sqlite.org/wal.html, "Read-Only
         * Databases"). Without a -wal file every committed transaction is in the main file, and
         * no writer can be at work (it would have made the -wal file), so reading it as
         * immutable reads all of it. */
        sqlite3_close(st->db);
        st->db = NULL;
        char uri[3200];
        rc = uri_of(path, uri, sizeof uri) ? BASE_OK
                                           : base_err_set(err, BASE_EINPUT, path, 0, 0,
                                                          "results store: the path is too long");
        if (rc == BASE_OK)
            rc = open_db(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, err);
        if (rc == BASE_OK)
            rc = schema_version(st, &version, err);
    }
    if (rc == BASE_OK && version == 0)
        rc = store__not_ours(path, "an empty database", err);
    if (rc) {
        lite_close(&st->base);
        return rc;
    }
    *out = &st->base;
    return BASE_OK;
}

int store__sqlite_open(const char *path, int read_only, store **out, base_err *err)
{
    return read_only ? open_read(path, out, err) : open_write(path, out, err);
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(q, i);
}

/* NaN and infinities are stored as NULL: SQLite has no NaN. */
static void bind_real(sqlite3_stmt *q, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(q, i, v);
    else
        sqlite3_bind_null(q, i);
}

static void bind_val(sqlite3_stmt *q, int i, const store__val *v)
{
    if (v->kind == STORE__WHOLE)
        sqlite3_bind_int64(q, i, v->whole);
    else if (v->kind == STORE__REAL)
        bind_real(q, i, v->real);
    else
        bind_text(q, i, v->text);
}

static int lite_tx_begin(store *h, base_err *err)
{
    return exec((lite *)h, "BEGIN IMMEDIATE", err);
}

static int lite_tx_end(store *h, int rc, base_err *err)
{
    lite *st = (lite *)h;
    if (rc == BASE_OK)
        return exec(st, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* One statement (store__ops.exec). */
static int lite_exec(store *h, const char *sql, size_t n, const store__val *vals, int64_t *id,
                     const char *what, base_err *err)
{
    lite *st = (lite *)h;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_err(st, err, what);
    for (size_t i = 0; i < n; i++)
        bind_val(q, (int)i + 1, &vals[i]);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW && id)
        *id = sqlite3_column_int64(q, 0);
    while (s == SQLITE_ROW)
        s = sqlite3_step(q);
    int rc = s == SQLITE_DONE ? BASE_OK : db_err(st, err, what);
    sqlite3_finalize(q);
    return rc;
}

/* Rows into a table, each replacing the one with its key (INSERT OR REPLACE), through one
 * prepared statement (store__ops.bulk). */
static int lite_bulk(store *h, const char *table, const char *const *cols, size_t n,
                     store__next_fn next, void *ctx, const char *what, base_err *err)
{
    lite *st = (lite *)h;
    base_buf sql = {0};
    store__insert_sql(&sql, "INSERT OR REPLACE INTO", table, cols, n);
    store__val *v = calloc(n, sizeof *v);
    sqlite3_stmt *q = NULL;
    int rc = BASE_OK;
    if (sql.oom || !v)
        rc = base_err_set(err, BASE_ENOMEM, st->path, 0, 0, "out of memory");
    else if (sqlite3_prepare_v2(st->db, sql.p, -1, &q, NULL) != SQLITE_OK)
        rc = db_err(st, err, what);
    while (rc == BASE_OK && next(ctx, v)) {
        sqlite3_reset(q);
        for (size_t i = 0; i < n; i++)
            bind_val(q, (int)i + 1, &v[i]);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_err(st, err, what);
    }
    sqlite3_finalize(q);
    free(v);
    base_buf_free(&sql);
    return rc;
}

static int lite_upsert(store *h, const char *table, const char *const *cols, size_t n, size_t nkey,
                       const store__val *vals, const char *what, base_err *err)
{
    (void)nkey; /* INSERT OR REPLACE replaces the row with any of the table's keys */
    base_buf sql = {0};
    store__insert_sql(&sql, "INSERT OR REPLACE INTO", table, cols, n);
    int rc = sql.oom ? base_err_set(err, BASE_ENOMEM, h->where, 0, 0, "out of memory")
                     : lite_exec(h, sql.p, n, vals, NULL, what, err);
    base_buf_free(&sql);
    return rc;
}

/* ---------------------------------------------------------------- reading */

/* A statement's current row as store__cells (listing.c reads the columns). */
static const char *cell_text(const void *row, int col)
{
    const unsigned char *t = sqlite3_column_text((sqlite3_stmt *)row, col);
    return t ? (const char *)t : "";
}

static double cell_real(const void *row, int col)
{
    sqlite3_stmt *q = (sqlite3_stmt *)row;
    return sqlite3_column_type(q, col) == SQLITE_NULL ? NAN : sqlite3_column_double(q, col);
}

static store__cells cells(sqlite3_stmt *q)
{
    return (store__cells){q, cell_text, cell_real};
}

static int lite_history(store *h, int limit, store_entry_fn fn, void *ctx, base_err *err)
{
    lite *st = (lite *)h;
    char sql[2048];
    store__history_sql(limit, sql, sizeof sql);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the runs");
    store__cells c = cells(q);
    int rc = BASE_OK, s;
    while ((s = sqlite3_step(q)) == SQLITE_ROW) {
        store_entry e;
        store__entry_of(&c, &e);
        rc = fn(ctx, &e);
        if (rc)
            break;
    }
    if (rc == BASE_OK && s != SQLITE_DONE)
        rc = db_err(st, err, "reading the runs");
    sqlite3_finalize(q);
    return rc;
}

static int lite_show(store *h, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
                     base_err *err)
{
    lite *st = (lite *)h;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, STORE__ENTRY_SELECT "WHERE r.id = ?", -1, &q, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the run");
    sqlite3_bind_int64(q, 1, id);
    store__cells c = cells(q);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW)
        store__entry_of(&c, entry);
    sqlite3_finalize(q);
    if (s != SQLITE_ROW)
        return s == SQLITE_DONE ? store__no_run(st->path, id, err)
                                : db_err(st, err, "reading the run");
    if (entry->done == 0 && strcmp(entry->status, "finished") != 0)
        return BASE_OK; /* nothing recorded yet */
    /* a finished run has its figures; one that did not finish, its replications' */
    int finished = strcmp(entry->status, "finished") == 0;
    char *partials = finished ? NULL : store__partials_sql("?");
    if (!finished && !partials)
        return base_err_set(err, BASE_ENOMEM, st->path, 0, 0, "out of memory");
    int prepared = sqlite3_prepare_v2(
        st->db, finished ? STORE__FIGURES_SELECT "? ORDER BY position" : partials, -1, &q, NULL);
    free(partials);
    if (prepared != SQLITE_OK)
        return db_err(st, err, "reading the figures");
    sqlite3_bind_int64(q, 1, id);
    int rc = BASE_OK;
    c = cells(q);
    if (finished) {
        while (rc == BASE_OK && (s = sqlite3_step(q)) == SQLITE_ROW)
            rc = store__figure_of(&c, fn, ctx);
    } else if ((s = sqlite3_step(q)) == SQLITE_ROW) {
        rc = store__partial_figures(&c, fn, ctx);
        if (rc == BASE_OK)
            s = sqlite3_step(q);
    }
    if (rc == BASE_OK && s != SQLITE_DONE)
        rc = db_err(st, err, "reading the figures");
    sqlite3_finalize(q);
    return rc;
}

static int lite_report(store *h, int64_t id, char **json, base_err *err)
{
    lite *st = (lite *)h;
    *json = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT report_json, status FROM runs WHERE id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return db_err(st, err, "reading the run");
    sqlite3_bind_int64(q, 1, id);
    int rc;
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        *json = base_strdup((const char *)sqlite3_column_text(q, 0));
        rc = *json ? BASE_OK : base_err_set(err, BASE_ENOMEM, st->path, 0, 0, "out of memory");
    } else if (s == SQLITE_ROW) {
        rc = base_err_set(err, BASE_EINPUT, st->path, 0, 0,
                          "run %lld did not finish (%s): it has no report", (long long)id,
                          (const char *)sqlite3_column_text(q, 1));
    } else {
        rc = s == SQLITE_DONE ? store__no_run(st->path, id, err)
                              : db_err(st, err, "reading the run");
    }
    sqlite3_finalize(q);
    return rc;
}

/* A read-only query of one run's rows (store_series, store_figure_values). */
static int lite_rows(store *h, const char *sql, int64_t id, store__row_ctx *c, base_err *err)
{
    lite *st = (lite *)h;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return db_err(st, err, "reading the run's rows");
    sqlite3_bind_int64(q, 1, id);
    int n = sqlite3_column_count(q);
    store__row_buf b;
    int rc = store__row_buf_new(&b, n, st->path, err), s = SQLITE_DONE;
    for (int i = 0; rc == BASE_OK && i < n; i++)
        b.names[i] = sqlite3_column_name(q, i);
    while (rc == BASE_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            int t = sqlite3_column_type(q, i);
            /* a REAL read as a double, never as SQLite's 15-digit text: every bit kept */
            b.text[i] = t == SQLITE_TEXT ? (const char *)sqlite3_column_text(q, i) : NULL;
            b.num[i] = t == SQLITE_INTEGER || t == SQLITE_FLOAT ? sqlite3_column_double(q, i) : NAN;
        }
        rc = c->fn(c, (size_t)n, b.names, b.text, b.num);
    }
    if (rc == BASE_OK && s != SQLITE_DONE)
        rc = db_err(st, err, "reading the run's rows");
    store__row_buf_free(&b);
    sqlite3_finalize(q);
    return rc;
}

static const store__ops lite_ops = {
    .history = lite_history,
    .show = lite_show,
    .report = lite_report,
    .rows = lite_rows,
    .tx_begin = lite_tx_begin,
    .tx_end = lite_tx_end,
    .exec = lite_exec,
    .upsert = lite_upsert,
    .bulk = lite_bulk,
    .close = lite_close,
};
