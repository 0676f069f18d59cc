/*
 * test_pgstore.c — the results store on PostgreSQL (--db postgresql://...), against a real
 * server the test starts itself: Debian's `postgresql` package (tools/setup), a throw-away
 * cluster made with initdb in a temporary folder, listening on a Unix socket in that folder
 * only (listen_addresses empty: no TCP), stopped and removed at the end of each test. Never a
 * mock: what is tested is what a team's CI would meet.
 *
 * Why: CI runners are thrown away after each job, so a team keeps its history on a server; the
 * PostgreSQL store must keep the SQLite store's promises — the same schema, a run written a
 * replication at a time, nothing lost under concurrent writers or a SIGKILL, readers that never
 * write — and `show` must read a run back from either store the same.
 *
 * initdb and postgres refuse to run as root (PostgreSQL 15 documentation, 19.1 "The PostgreSQL
 * User Account"), and CI runs as root: then the cluster is made and run by the `postgres` user
 * the Debian package creates (else `nobody`), the child dropping privileges itself before it
 * execs. The server dies with the test process (PR_SET_PDEATHSIG), so a test that fails or hangs
 * leaves no server behind.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ).
 */
#define _DEFAULT_SOURCE /* setgroups */
#include <criterion/criterion.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <math.h>
#include <pwd.h>
#include <sqlite3.h>
#include <sys/prctl.h>

#include "base/base.h"
#include "store/store.h"
#include "store_child.h"

#define RUN_LIMIT_S  240.0
#define SUPPORT_NAME "pgstore"
#define TIMEOUT      300

#include "support.h"
#include "support/b_run.h"

/* ---------------------------------------------------------------- a throw-away cluster */

typedef struct cluster {
    char dir[64];   /* data/, the socket, the logs */
    char bin[256];  /* the folder of initdb and postgres */
    pid_t postgres; /* the server (postmaster) */
    uid_t uid;      /* who runs it */
    gid_t gid;
} cluster;

static cluster current_cluster; /* stopped by the suite's .fini even when an assertion fails */

/* In a child about to exec initdb or postgres: become the cluster's user (when root) and send
 * the output to `log`. */
static void child_setup(const cluster *c, const char *log, int die_with_parent)
{
    if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(c->gid) != 0 || setuid(c->uid) != 0))
        _exit(126);
    /* after setuid: a change of credentials clears the parent-death signal (prctl(2)) */
    if (die_with_parent && prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0) /* SIGQUIT: immediate stop */
        _exit(126);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    int in = open("/dev/null", O_RDONLY);
    if (fd < 0 || in < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 ||
        chdir(c->dir) != 0)
        _exit(126);
}

/* "postgresql:///DB?host=SOCKETDIR&user=simulate": a URL as a user would write it. */
static void url_of(const cluster *c, const char *db, char *out, size_t size)
{
    snprintf(out, size, "postgresql:///%s?host=%s&user=simulate", db, c->dir);
}

/* Makes and starts a cluster, or skips the test when, as root, there is no unprivileged user to
 * run it as. */
static void cluster_start(cluster *c)
{
    memset(c, 0, sizeof *c);
    glob_t g;
    cr_assert_eq(glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g), 0,
                 "no /usr/lib/postgresql/*/bin/initdb: install Debian's postgresql (tools/setup)");
    snprintf(c->bin, sizeof c->bin, "%s", g.gl_pathv[g.gl_pathc - 1]); /* the newest */
    globfree(&g);
    *strrchr(c->bin, '/') = '\0';
    c->uid = geteuid();
    c->gid = getegid();
    if (c->uid == 0) {
        struct passwd *pw = getpwnam("postgres");
        if (!pw)
            pw = getpwnam("nobody");
        if (!pw || pw->pw_uid == 0)
            cr_skip_test("running as root with neither a postgres nor a nobody user: initdb "
                         "refuses root, so there is no one to run the test server as");
        c->uid = pw->pw_uid;
        c->gid = pw->pw_gid;
    }
    snprintf(c->dir, sizeof c->dir, "/tmp/simulate-pg-XXXXXX");
    cr_assert_not_null(mkdtemp(c->dir));
    current_cluster = *c;
    cr_assert_eq(chown(c->dir, c->uid, c->gid), 0, "chown %s: %s", c->dir, strerror(errno));
    char initdb[300], postgres[300], data[128], log[128], init_log[128];
    snprintf(initdb, sizeof initdb, "%s/initdb", c->bin);
    snprintf(postgres, sizeof postgres, "%s/postgres", c->bin);
    snprintf(data, sizeof data, "%s/data", c->dir);
    snprintf(log, sizeof log, "%s/server.log", c->dir);
    snprintf(init_log, sizeof init_log, "%s/initdb.log", c->dir);

    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        child_setup(c, init_log, 0);
        /* trust: the socket is in a folder only the cluster's user (and root) can reach;
         * --no-sync: a throw-away cluster need not survive a power cut */
        execl(initdb, initdb, "-D", data, "-A", "trust", "-U", "simulate", "-E", "UTF8",
              "--locale=C", "--no-sync", (char *)NULL);
        _exit(127);
    }
    int st;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char *l = slurp(init_log, NULL);
        cr_assert_fail("initdb failed (status %d): %s", st, l ? l : "(no log)");
    }

    fflush(NULL);
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        child_setup(c, log, 1);
        /* fsync=off: the server is not what is tested for a power cut, and the tests commit
         * hundreds of transactions on a shared disk */
        execl(postgres, postgres, "-D", data, "-k", c->dir, "-c", "listen_addresses=", "-c",
              "fsync=off", (char *)NULL);
        _exit(127);
    }
    c->postgres = pid;
    current_cluster = *c;
    char url[200];
    url_of(c, "postgres", url, sizeof url);
    double t0 = now_s();
    while (PQping(url) != PQPING_OK) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
            c->postgres = current_cluster.postgres = 0;
            char *l = slurp(log, NULL);
            cr_assert_fail("postgres exited (status %d): %s", st, l ? l : "(no log)");
        }
        cr_assert_lt(now_s() - t0, 60.0, "postgres did not accept connections in 60 s");
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void cluster_stop(cluster *c)
{
    if (c->postgres > 0) {
        kill(c->postgres, SIGINT); /* fast shutdown: clients disconnected, no waiting */
        waitpid(c->postgres, NULL, 0);
        c->postgres = 0;
    }
    if (c->dir[0])
        remove_tree(c->dir);
    c->dir[0] = '\0';
    memset(&current_cluster, 0, sizeof current_cluster);
}

static void suite_fini(void)
{
    cluster_stop(&current_cluster);
    scratch_fini();
}

TestSuite(pgstore, .fini = suite_fini);

/* A test's server, its scratch folder and the URL of the server's `postgres` database. */
typedef struct pg_test {
    cluster c;
    scratch s;
    char url[200];
} pg_test;

static void pg_test_open(pg_test *t)
{
    cluster_start(&t->c);
    scratch_open(&t->s);
    url_of(&t->c, "postgres", t->url, sizeof t->url);
}

static void pg_test_close(pg_test *t)
{
    scratch_close(&t->s);
    cluster_stop(&t->c);
}

/* ---------------------------------------------------------------- reading the stores directly */

/* Runs sql on the database at `url` and returns the first column of the first row as a number
 * (-1 when the query fails or returns no row). A fresh connection each time, as another process
 * would see the store. */
static long long pg_int(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    long long v = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
            v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
    }
    PQfinish(c);
    return v;
}

static void pg_ok(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    cr_assert(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* Each table's columns, in order, "table:col,col,...;" — SQLite's and PostgreSQL's. */
static void lite_columns(const char *db, char *out, size_t size)
{
    static const char *const tables[] = {"meta",          "runs",       "replications", "figures",
                                         "figure_values", "objectives", "series"};
    sqlite3 *h;
    cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t n = 0;
    out[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        n += (size_t)snprintf(out + n, size - n, "%s:", tables[t]);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') ORDER BY cid",
                 tables[t]);
        sqlite3_stmt *q;
        cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
        while (sqlite3_step(q) == SQLITE_ROW && n < size)
            n +=
                (size_t)snprintf(out + n, size - n, "%s,", (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
        n += (size_t)snprintf(out + n, size - n, ";");
        cr_assert_lt(n, size);
    }
    sqlite3_close(h);
}

static void pg_columns(const char *url, char *out, size_t size)
{
    static const char *const tables[] = {"meta",          "runs",       "replications", "figures",
                                         "figure_values", "objectives", "series"};
    PGconn *c = PQconnectdb(url);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    size_t n = 0;
    out[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        n += (size_t)snprintf(out + n, size - n, "%s:", tables[t]);
        const char *p[] = {tables[t]};
        PGresult *r = PQexecParams(c,
                                   "SELECT column_name FROM information_schema.columns WHERE "
                                   "table_schema = 'public' AND table_name = $1 ORDER BY "
                                   "ordinal_position",
                                   1, NULL, p, NULL, NULL, 0);
        cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
        for (int i = 0; i < PQntuples(r) && n < size; i++)
            n += (size_t)snprintf(out + n, size - n, "%s,", PQgetvalue(r, i, 0));
        PQclear(r);
        n += (size_t)snprintf(out + n, size - n, ";");
        cr_assert_lt(n, size);
    }
    PQfinish(c);
}

/* The figures store_show gives, gathered. */
typedef struct figs {
    store_figure f[256];
    int n;
} figs;

static int keep(void *ctx, const store_figure *f)
{
    figs *fs = ctx;
    cr_assert_lt(fs->n, 256);
    fs->f[fs->n++] = *f;
    return 0;
}

static void show_run(const char *where, int64_t id, store_entry *e, figs *fs)
{
    store *st;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(store_open_read(where, &st, &err), BASE_OK, "%s", err.msg);
    fs->n = 0;
    cr_assert_eq(store_show(st, id, e, keep, fs, &err), BASE_OK, "%s", err.msg);
    store_close(st);
}

/* `simulate ARGS` exits 0. */
static void run_ok(scratch *s, const char *const *args)
{
    run_result r;
    run(s, args, &r);
    cr_assert_eq(r.status, 0, "simulate %s ...: exit %d; stderr: %s", args[0], r.status, r.err);
    run_free(&r);
}

/* stdout of `simulate ARGS`, which must exit 0, without its first line (caller frees). */
static char *stdout_after_line_1(scratch *s, const char *const *args)
{
    run_result r;
    run(s, args, &r);
    cr_assert_eq(r.status, 0, "simulate %s ...: exit %d; stderr: %s", args[0], r.status, r.err);
    char *nl = strchr(r.out, '\n');
    cr_assert_not_null(nl);
    char *rest = strdup(nl + 1);
    run_free(&r);
    return rest;
}

/* ---------------------------------------------------------------- the tests */

/* The same run (same scenario, same seed) stored in SQLite and in PostgreSQL: the same tables
 * and columns, the same rows, and `show` prints the same (but for the first line's start time
 * and wall time, which are the two runs' own). */
Test(pgstore, a_run_reads_back_as_from_sqlite, .timeout = TIMEOUT)
{
    pg_test t;
    char lite[160];
    pg_test_open(&t);
    snprintf(lite, sizeof lite, "%s/results.db", t.s.dir);
    const char *to_pg[] = {
        "-q", "--fidelity", "flow", "-r",  "3",
        "-o", "a",          "--db", t.url, SIMULATE_TESTDATA "/flow/failover.yaml",
        NULL};
    const char *to_lite[] = {
        "-q", "--fidelity", "flow", "-r", "3",
        "-o", "b",          "--db", lite, SIMULATE_TESTDATA "/flow/failover.yaml",
        NULL};
    run_ok(&t.s, to_pg);
    run_ok(&t.s, to_lite);

    char lc[4096], pc[4096];
    lite_columns(lite, lc, sizeof lc);
    pg_columns(t.url, pc, sizeof pc);
    cr_expect_str_eq(pc, lc, "the schemas differ:\nPostgreSQL %s\nSQLite     %s", pc, lc);
    static const char *const counts[] = {
        "SELECT count(*) FROM runs WHERE status = 'finished'",
        "SELECT count(*) FROM replications",
        "SELECT count(*) FROM series",
        "SELECT count(*) FROM series WHERE replication IS NULL",
        "SELECT count(*) FROM figures",
        "SELECT count(*) FROM figure_values",
        "SELECT count(*) FROM objectives",
        "SELECT count(*) FROM meta WHERE key = 'schema_version' AND value = '2'",
    };
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        cr_expect_eq(pg_int(t.url, counts[i]), lite_int(lite, counts[i]), "%s", counts[i]);
    cr_expect_gt(pg_int(t.url, "SELECT count(*) FROM series WHERE replication = 2"), 10);

    /* through the API: the same figures to the bit, the same report byte for byte */
    store_entry pe, le;
    static figs pf, lf;
    show_run(t.url, 1, &pe, &pf);
    show_run(lite, 1, &le, &lf);
    cr_expect_str_eq(pe.hash, le.hash);
    cr_expect_str_eq(pe.seed, le.seed);
    cr_expect_str_eq(pe.status, "finished");
    cr_expect_eq(pe.done, 3);
    cr_expect_eq(memcmp(&pe.p99_ms, &le.p99_ms, sizeof pe.p99_ms), 0);
    cr_expect_eq(memcmp(&pe.cost, &le.cost, sizeof pe.cost), 0);
    cr_assert_eq(pf.n, lf.n);
    cr_assert_gt(pf.n, 5);
    for (int i = 0; i < pf.n; i++) {
        cr_expect_str_eq(pf.f[i].key, lf.f[i].key);
        cr_expect_str_eq(pf.f[i].unit, lf.f[i].unit);
        cr_expect(!memcmp(&pf.f[i].mean, &lf.f[i].mean, sizeof(double)) &&
                      !memcmp(&pf.f[i].half, &lf.f[i].half, sizeof(double)),
                  "%s: %.17g ± %.17g in PostgreSQL, %.17g ± %.17g in SQLite", pf.f[i].key,
                  pf.f[i].mean, pf.f[i].half, lf.f[i].mean, lf.f[i].half);
    }
    char *pj, *lj;
    store *st;
    base_err err;
    cr_assert_eq(store_open_read(t.url, &st, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(store_report(st, 1, &pj, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(store_report(st, 2, &lj, &err), BASE_EINPUT);
    cr_expect(strstr(err.msg, "no run 2"), "%s", err.msg);
    store_close(st);
    cr_assert_eq(store_open_read(lite, &st, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(store_report(st, 1, &lj, &err), BASE_OK, "%s", err.msg);
    store_close(st);
    cr_expect_str_eq(pj, lj, "the stored reports differ");
    free(pj);
    free(lj);

    /* the commands: show alike; history, plot and check --baseline read the server */
    const char *show_pg[] = {"show", "1", "--db", t.url, NULL};
    const char *show_lite[] = {"show", "1", "--db", lite, NULL};
    char *a = stdout_after_line_1(&t.s, show_pg), *b = stdout_after_line_1(&t.s, show_lite);
    cr_expect_str_eq(a, b, "show differs:\n--- PostgreSQL\n%s--- SQLite\n%s", a, b);
    cr_expect(strstr(a, "3 of 3 replications recorded") && strstr(a, "api_latency_p99"), "%s", a);
    free(a);
    free(b);
    const char *history[] = {"history", "--db", t.url, NULL};
    a = stdout_after_line_1(&t.s, history);
    cr_expect(strstr(a, "flow-failover") && strstr(a, "finished"), "history:\n%s", a);
    free(a);
    const char *plot[] = {"plot", "1", "--db", t.url, "--chart", "latency", "-o", "charts", NULL};
    run_ok(&t.s, plot);
    char png[200];
    snprintf(png, sizeof png, "%s/charts/latency.png", t.s.cwd);
    cr_expect_eq(access(png, F_OK), 0, "plot 1 --db URL wrote no %s", png);
    /* export: the same CSV bytes from either store (every double read back to the bit) */
    const char *export_pg[] = {"export", "1", "--csv", "--db", t.url, "-o", "csv-pg", NULL};
    const char *export_lite[] = {"export", "1", "--csv", "--db", lite, "-o", "csv-lite", NULL};
    run_ok(&t.s, export_pg);
    run_ok(&t.s, export_lite);
    char cmp[600];
    snprintf(cmp, sizeof cmp,
             "cd '%s' && cmp csv-pg/series.csv csv-lite/series.csv >&2 && "
             "cmp csv-pg/figures.csv csv-lite/figures.csv >&2",
             t.s.cwd);
    cr_expect_eq(system(cmp), 0, "export differs between PostgreSQL and SQLite");
    const char *check[] = {"check",
                           "-q",
                           "--fidelity",
                           "flow",
                           "-r",
                           "3",
                           "-o",
                           "c",
                           "--db",
                           t.url,
                           "--baseline",
                           "1",
                           SIMULATE_TESTDATA "/flow/failover.yaml",
                           NULL};
    run_ok(&t.s, check);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM runs WHERE status = 'finished'"), 2);
    /* the same gate against a run the store does not hold */
    check[7] = "d";
    check[11] = "99";
    run_refused(&t.s, check, 2, "no run 99", "check --baseline 99");
    pg_test_close(&t);
}

/* Two runs writing into one PostgreSQL store at once lose nothing; and processes creating the
 * store in an empty database at the same moment all get their run recorded (the advisory lock:
 * without it, two CREATE TABLE IF NOT EXISTS race and one fails on pg_type's unique index). */
Test(pgstore, concurrent_writers_lose_nothing, .timeout = TIMEOUT)
{
    pg_test t;
    pg_test_open(&t);
    store_cmd a, b;
    const char *spike = SIMULATE_TESTDATA "/flow/spike.yaml";
    const char *failover = SIMULATE_TESTDATA "/flow/failover.yaml";
    pid_t pa = store_spawn(store_cmd_of(&a, "flow", 4, 1, "a", t.url, spike), t.s.cwd);
    pid_t pb = store_spawn(store_cmd_of(&b, "flow", 4, 1, "b", t.url, failover), t.s.cwd);
    int sa = store_wait(pa), sb = store_wait(pb);
    cr_assert_eq(sa, 0, "run a: exit %d", sa);
    cr_assert_eq(sb, 0, "run b: exit %d", sb);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM runs WHERE status = 'finished'"), 2);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM replications"), 8);
    cr_expect_eq(pg_int(t.url, "SELECT count(DISTINCT (run_id, replication)) FROM series WHERE "
                               "replication IS NOT NULL"),
                 8);
    const char *history[] = {"history", "--db", t.url, NULL};
    char *h = stdout_after_line_1(&t.s, history);
    cr_expect(strstr(h, "flow-spike") && strstr(h, "flow-failover"), "history:\n%s", h);
    free(h);

    enum { ROUNDS = 5, PROCS = 6 };
    for (int round = 0; round < ROUNDS; round++) {
        char sql[64], db[32], u[200];
        snprintf(db, sizeof db, "round%d", round);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
        pg_ok(t.url, sql);
        url_of(&t.c, db, u, sizeof u);
        int failed = store_round(u, PROCS);
        cr_assert_eq(failed, 0, "round %d: %d of %d processes could not record their run", round,
                     failed, PROCS);
        cr_assert_eq(pg_int(u, "SELECT count(*) FROM runs"), PROCS, "round %d", round);
        cr_assert_eq(pg_int(u, "SELECT count(*) FROM meta"), 1, "round %d", round);
    }
    pg_test_close(&t);
}

/* SIGKILL midway (no handler runs, nothing is flushed on the way out): every replication
 * committed before the kill is there with its series, the run is not marked finished, and the
 * store takes the next run. */
Test(pgstore, killed_midway_keeps_finished_replications, .timeout = TIMEOUT)
{
    pg_test t;
    pg_test_open(&t);
    /* the request engine, one thread: each replication takes a good fraction of a second */
    store_cmd args_cmd;
    const char *const *args = store_cmd_of(&args_cmd, "request", 40, 1, "out", t.url,
                                           SIMULATE_TESTDATA "/flow/steady.yaml");
    pid_t pid = store_spawn(args, t.s.cwd);
    long long seen = store_poll(pg_int, t.url, "SELECT count(*) FROM replications", 2);
    cr_assert_geq(seen, 2, "the run recorded no replications in time");
    kill(pid, SIGKILL);
    cr_assert_eq(store_wait(pid), 128 + SIGKILL, "the run ended before it was killed");

    long long kept = pg_int(t.url, "SELECT count(*) FROM replications");
    cr_expect_geq(kept, seen);
    cr_expect_lt(kept, 40);
    cr_expect_eq(pg_int(t.url, "SELECT count(DISTINCT replication) FROM series WHERE replication "
                               "IS NOT NULL"),
                 kept);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM replications WHERE served > 0 AND "
                               "api_latency_p99_ms > 0"),
                 kept);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM runs WHERE status = 'running'"), 1);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM figures"), 0);

    /* show gives the means of the replications it recorded; the API agrees with SQL */
    const char *show[] = {"show", "1", "--db", t.url, NULL};
    char *out = stdout_after_line_1(&t.s, show);
    cr_expect(strstr(out, "did not finish: means of the"), "show:\n%s", out);
    free(out);
    store_entry e;
    static figs fs;
    show_run(t.url, 1, &e, &fs);
    cr_expect_eq(e.done, kept);
    cr_expect_str_eq(e.status, "running");
    cr_assert_eq(fs.n, 8);
    cr_expect_str_eq(fs.f[5].key, "api_latency_p99");
    cr_expect_gt(fs.f[5].mean, 0);
    cr_expect_eq(pg_int(t.url, "SELECT round(avg(peak_nodes) * 1000) FROM replications"),
                 (long long)llround(fs.f[7].mean * 1000));

    /* and nothing the killed run held is in the way of the next */
    const char *again[] = {"-q", "--fidelity", "flow", "-r",  "2",
                           "-o", "again",      "--db", t.url, SIMULATE_TESTDATA "/flow/steady.yaml",
                           NULL};
    run_ok(&t.s, again);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM runs WHERE status = 'finished'"), 1);
    pg_test_close(&t);
}

/* Readers never write (the server refuses a write in their session), and never create a store;
 * another application's tables are refused before anything is written; a newer schema is refused
 * by readers and writers; a URL libpq cannot read is the user's input; a password never shows. */
Test(pgstore, readers_never_write_and_others_tables_are_refused, .timeout = TIMEOUT)
{
    pg_test t;
    char empty[200], other[200];
    pg_test_open(&t);
    url_of(&t.c, "empty", empty, sizeof empty);
    url_of(&t.c, "other", other, sizeof other);
    pg_ok(t.url, "CREATE DATABASE empty");
    pg_ok(t.url, "CREATE DATABASE other");
    pg_ok(other, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES('ada')");
    const char *tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";

    /* a reader finds no store and creates none */
    const char *history[] = {"history", "--db", empty, NULL};
    run_result r;
    run_refused(&t.s, history, 2, "no results store there", "history on an empty database");
    const char *show[] = {"show", "1", "--db", empty, NULL};
    run_refused(&t.s, show, 2, "no results store there", "show on an empty database");
    cr_expect_eq(pg_int(empty, tables), 0, "a reader created tables");

    /* someone else's tables: refused by a run, and left as they were */
    const char *into_other[] = {
        "-q", "--fidelity", "flow", "-r",  "1",
        "-o", "o",          "--db", other, SIMULATE_TESTDATA "/flow/steady.yaml",
        NULL};
    run_refused(&t.s, into_other, 2, "not a simulate results store",
                "a run into another's database");
    cr_expect_eq(pg_int(other, tables), 1);
    cr_expect_eq(pg_int(other, "SELECT count(*) FROM people"), 1);
    const char *history_other[] = {"history", "--db", other, NULL};
    run_refused(&t.s, history_other, 2, "not a simulate results store",
                "history of another's database");

    /* a reader's session is read-only on the server's side: a write through it fails */
    store *st;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(store_open(t.url, &st, &err), BASE_OK, "%s", err.msg);
    store_close(st);
    cr_assert_eq(store_open_read(t.url, &st, &err), BASE_OK, "%s", err.msg);
    int64_t id = 0;
    store_run run_ = {.scenario_name = "x", .scenario_text = "", .replications = 1};
    cr_expect_eq(store_begin(st, &run_, &id, &err), BASE_EIO);
    cr_expect(strstr(err.msg, "read-only transaction"), "%s", err.msg);
    store_close(st);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM runs"), 0);

    /* a newer schema */
    pg_ok(t.url, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    cr_expect_eq(store_open_read(t.url, &st, &err), BASE_EINPUT);
    cr_expect(strstr(err.msg, "schema version 99, newer"), "%s", err.msg);
    cr_expect_eq(store_open(t.url, &st, &err), BASE_EINPUT);
    cr_expect(strstr(err.msg, "schema version 99, newer"), "%s", err.msg);

    /* a URL libpq cannot parse is the user's mistake; a server that is not there is not, and
     * neither message shows the password */
    const char *bad[] = {"history", "--db", "postgresql://me:sekrit@%zz/db", NULL};
    run(&t.s, bad, &r);
    assert_refused(&r, 2, "not a PostgreSQL URL", "an unparsable URL");
    cr_expect(!strstr(r.err, "sekrit"), "the password shows: %s", r.err);
    run_free(&r);
    char gone[300];
    snprintf(gone, sizeof gone,
             "postgresql://me:sekrit@/db?host=%s/nowhere&password=sekrit2&sslpassword=sekrit3",
             t.c.dir);
    const char *away[] = {"show", "1", "--db", gone, NULL};
    run(&t.s, away, &r);
    assert_refused(&r, 3, "cannot open the results store", "no server there");
    cr_expect(!strstr(r.err, "sekrit"), "the password shows: %s", r.err);
    cr_expect(strstr(r.err, "me:***@"), "%s", r.err);
    run_free(&r);
    pg_test_close(&t);
}

/* A plan kept on the server (the plans table of schema 2): `simulate plan --db URL` writes it,
 * `history --db URL` lists it and `show P1 --db URL` reads it back as from SQLite (the same
 * plan, the same seed: the same text but for the wall time). */
Test(pgstore, a_plan_reads_back_as_from_sqlite, .timeout = TIMEOUT)
{
    pg_test t;
    char lite[160];
    pg_test_open(&t);
    snprintf(lite, sizeof lite, "%s/results.db", t.s.dir);
    const char *to_pg[] = {"plan",
                           "-q",
                           "--fidelity",
                           "flow",
                           "-o",
                           "a",
                           "--db",
                           t.url,
                           "--seed",
                           "7",
                           SIMULATE_TESTDATA "/plan/small.yaml",
                           NULL};
    const char *to_lite[] = {"plan",
                             "-q",
                             "--fidelity",
                             "flow",
                             "-o",
                             "b",
                             "--db",
                             lite,
                             "--seed",
                             "7",
                             SIMULATE_TESTDATA "/plan/small.yaml",
                             NULL};
    run_ok(&t.s, to_pg);
    run_ok(&t.s, to_lite);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM plans"), 1);
    cr_expect_eq(pg_int(t.url, "SELECT count(*) FROM plans"),
                 lite_int(lite, "SELECT count(*) FROM plans"));
    const char *history[] = {"history", "--db", t.url, NULL};
    char *h = stdout_after_line_1(&t.s, history);
    cr_expect(strstr(h, "P1") && strstr(h, "plan-small"), "history:\n%s", h);
    free(h);
    const char *show_pg[] = {"show", "P1", "--db", t.url, NULL};
    const char *show_lite[] = {"show", "P1", "--db", lite, NULL};
    char *a = stdout_after_line_1(&t.s, show_pg), *b = stdout_after_line_1(&t.s, show_lite);
    /* the wall time (" in 1.2 s") is the only figure that may differ */
    for (char *s[] = {a, b, NULL}, **p = s; *p; p++) {
        char *w = strstr(*p, " in ");
        while (w && !strstr(w, " s"))
            w = strstr(w + 1, " in ");
        char *e = w ? strstr(w, " s") : NULL;
        if (w && e && e - w < 24)
            memmove(w, e + 2, strlen(e + 2) + 1);
    }
    cr_expect_str_eq(a, b, "show P1 differs:\n--- PostgreSQL\n%s--- SQLite\n%s", a, b);
    cr_expect(strstr(a, "hpa.max_replicas") != NULL, "%s", a);
    free(a);
    free(b);
    const char *show_p2[] = {"show", "P2", "--db", t.url, NULL};
    run_refused(&t.s, show_p2, 2, "no plan P2", "show P2");
    pg_test_close(&t);
}
