/*
 * test_store.c — the results store: what it keeps, that a run killed midway keeps every
 * replication it finished and leaves a sound file, and that two runs can share one store.
 *
 * Why: architects keep runs to compare over months, and CI jobs run in parallel against one
 * store; a store that loses finished work on a crash, or corrupts under two writers, would be
 * worse than none. The crash test uses SIGKILL — no handler runs, nothing is flushed on the way
 * out — so what survives is what SQLite's WAL had committed.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

#define TIMEOUT 300

static void tmpdir(char *out, size_t size)
{
    snprintf(out, size, "/tmp/simulate-store-XXXXXX");
    cr_assert_not_null(mkdtemp(out));
}

static void rmrf(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

/* Starts SIMULATE_BIN with args (NULL-terminated), stdout and stderr to /dev/null. */
static pid_t spawn(const char *const *args)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        FILE *n = freopen("/dev/null", "w", stdout);
        FILE *e = freopen("/dev/null", "w", stderr);
        (void)n;
        (void)e;
        execv(SIMULATE_BIN, (char *const *)args);
        _exit(127);
    }
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A single integer from the store (a fresh read-only connection each time, as another process
 * would see it). -1 when the query fails (the store may not exist yet). */
static long long query_int(const char *db, const char *sql)
{
    sqlite3 *h;
    long long v = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(h, 5000);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
            v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(h);
    return v;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

Test(store, sha256_known_answers, .timeout = TIMEOUT)
{
    /* FIPS 180-4 examples (NIST CSRC "Examples with Intermediate Values") */
    char h[65];
    base_sha256_hex("", 0, h);
    cr_expect_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    base_sha256_hex("abc", 3, h);
    cr_expect_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    base_sha256_hex(two, strlen(two), h);
    cr_expect_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(store, a_run_is_kept_whole, .timeout = TIMEOUT)
{
    char dir[256], db[512], out[512];
    tmpdir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/results.db", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    const char *args[] = {SIMULATE_BIN,
                          "-q",
                          "--fidelity",
                          "flow",
                          "-r",
                          "3",
                          "-o",
                          out,
                          "--db",
                          db,
                          SIMULATE_TESTDATA "/flow/failover.yaml",
                          NULL};
    cr_assert_eq(wait_exit(spawn(args)), 0);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM runs WHERE status = 'finished'"), 1);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM replications"), 3);
    /* the series: each replication's and their mean, one row per interval */
    long long rows = query_int(db, "SELECT count(*) FROM series WHERE replication IS NULL");
    cr_expect_gt(rows, 10);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM series WHERE replication = 2"), rows);
    /* the figures with their per-replication values, and the failover's figure */
    cr_expect_eq(query_int(db, "SELECT count(*) FROM figure_values WHERE key = 'served'"), 3);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM figures WHERE key = 'database_failover'"), 1);
    cr_expect_eq(query_int(db, "SELECT length(scenario_sha256) FROM runs"), 64);
    /* the text of every file read: the scenario and the architecture it extends */
    cr_expect_eq(query_int(db, "SELECT instr(scenario_text, 'innovate.yaml') > 0 AND "
                               "instr(scenario_text, 'db_failover') > 0 FROM runs"),
                 1);
    cr_expect_eq(query_int(db, "SELECT json_valid(report_json) FROM runs"), 1);
    /* the API reads back what was written */
    store *st;
    base_err err;
    cr_assert_eq(store_open(db, &st, &err), BASE_OK, "%s", err.msg);
    char *report;
    cr_expect_eq(store_report(st, 1, &report, &err), BASE_OK, "%s", err.msg);
    free(report);
    cr_expect_eq(store_report(st, 2, &report, &err), BASE_EINPUT);
    store_close(st);
    rmrf(dir);
}

Test(store, killed_midway_keeps_finished_replications, .timeout = TIMEOUT)
{
    char dir[256], db[512], out[512];
    tmpdir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/results.db", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    /* the request engine, one thread: each replication takes a good fraction of a second */
    const char *args[] = {SIMULATE_BIN,
                          "-q",
                          "--fidelity",
                          "request",
                          "-r",
                          "40",
                          "-j",
                          "1",
                          "-o",
                          out,
                          "--db",
                          db,
                          SIMULATE_TESTDATA "/flow/steady.yaml",
                          NULL};
    pid_t pid = spawn(args);
    long long seen = 0;
    for (int i = 0; i < 6000 && seen < 2; i++) { /* up to 2 minutes */
        sleep_ms(20);
        seen = query_int(db, "SELECT count(*) FROM replications");
    }
    cr_assert_geq(seen, 2, "the run recorded no replications in time");
    kill(pid, SIGKILL);
    cr_assert_eq(wait_exit(pid), 128 + SIGKILL, "the run ended before it could be killed");

    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    cr_expect_str_eq((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    sqlite3_close(h);

    /* every replication seen before the kill is there, whole (its series too), and the run
     * says it did not finish */
    long long kept = query_int(db, "SELECT count(*) FROM replications");
    cr_expect_geq(kept, seen);
    cr_expect_lt(kept, 40);
    cr_expect_eq(query_int(db, "SELECT count(DISTINCT replication) FROM series WHERE "
                               "replication IS NOT NULL"),
                 kept);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM replications WHERE served > 0 AND "
                               "api_latency_p99_ms > 0"),
                 kept);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM runs WHERE status = 'running'"), 1);

    /* and the commands read it */
    const char *show[] = {SIMULATE_BIN, "show", "1", "--db", db, NULL};
    cr_expect_eq(wait_exit(spawn(show)), 0);
    const char *history[] = {SIMULATE_BIN, "history", "--db", db, NULL};
    cr_expect_eq(wait_exit(spawn(history)), 0);
    rmrf(dir);
}

/* Runs a command and returns its standard output (caller frees). */
static char *capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert_not_null(buf);
        }
    }
    buf[n] = '\0';
    cr_expect_eq(pclose(p), 0, "%s failed", cmd);
    return buf;
}

Test(store, two_runs_share_a_store, .timeout = TIMEOUT)
{
    char dir[256], db[512], out1[512], out2[512];
    tmpdir(dir, sizeof dir);
    snprintf(db, sizeof db, "%s/shared.db", dir);
    snprintf(out1, sizeof out1, "%s/a", dir);
    snprintf(out2, sizeof out2, "%s/b", dir);
    const char *a[] = {SIMULATE_BIN,
                       "-q",
                       "--fidelity",
                       "flow",
                       "-r",
                       "4",
                       "-j",
                       "1",
                       "-o",
                       out1,
                       "--db",
                       db,
                       SIMULATE_TESTDATA "/flow/spike.yaml",
                       NULL};
    const char *b[] = {SIMULATE_BIN,
                       "-q",
                       "--fidelity",
                       "flow",
                       "-r",
                       "4",
                       "-j",
                       "1",
                       "-o",
                       out2,
                       "--db",
                       db,
                       SIMULATE_TESTDATA "/flow/failover.yaml",
                       NULL};
    pid_t pa = spawn(a), pb = spawn(b);
    cr_assert_eq(wait_exit(pa), 0);
    cr_assert_eq(wait_exit(pb), 0);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM runs WHERE status = 'finished'"), 2);
    cr_expect_eq(query_int(db, "SELECT count(*) FROM replications"), 8);

    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' history --db '%s'", SIMULATE_BIN, db);
    char *h = capture(cmd);
    cr_expect(strstr(h, "flow-spike") && strstr(h, "flow-failover"), "history:\n%s", h);
    free(h);
    for (int run = 1; run <= 2; run++) {
        snprintf(cmd, sizeof cmd, "'%s' show %d --db '%s'", SIMULATE_BIN, run, db);
        char *s = capture(cmd);
        cr_expect(strstr(s, "finished") && strstr(s, "api_latency_p99"), "show %d:\n%s", run, s);
        free(s);
    }
    /* a run that is not there is the user's mistake: exit 2, one line */
    snprintf(cmd, sizeof cmd, "'%s' show 99 --db '%s' 2>/dev/null", SIMULATE_BIN, db);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    rmrf(dir);
}
