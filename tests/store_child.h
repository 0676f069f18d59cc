/*
 * store_child.h — what the results store's tests (test_store.c, test_pgstore.c) share: a round
 * of processes creating one store at once (each child's part, and the round), the command line
 * of a quiet run into a store, a run started in the background and waited for, a poll of
 * the store until a count is reached, a run's row and SQL run on a SQLite store.
 */
#ifndef SIMULATE_TESTS_STORE_CHILD_H
#define SIMULATE_TESTS_STORE_CHILD_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

/* A run's row as the store's tests record it: scenario `name` (its file NAME.yaml) of text
 * `text`, one replication of the flow engine at seed 1. */
static inline store_run store_test_run(const char *name, const char *file, const char *text)
{
    return (store_run){.scenario_name = name,
                       .scenario_file = file,
                       .scenario_text = text,
                       .version = "test",
                       .seed = 1,
                       .replications = 1,
                       .fidelity = "flow",
                       .engine = "flow"};
}

/* One child process's part of a round: open the (new) store, record a run, close. Exit 0 on
 * success, 1 with the message on stderr otherwise. */
static inline void store_child_records_a_run(const char *db)
{
    store *st;
    base_err err;
    base_err_clear(&err);
    int64_t id = 0;
    store_run run = store_test_run("concurrent", "concurrent.yaml", "name: concurrent\n");
    int rc = store_open(db, &st, &err);
    if (rc == BASE_OK) {
        rc = store_begin(st, &run, &id, &err);
        store_close(st);
    }
    if (rc != BASE_OK)
        fprintf(stderr, "child %ld: %s\n", (long)getpid(), err.msg);
    _exit(rc == BASE_OK ? 0 : 1);
}

/* Runs SQL statements on the SQLite store at db (to set its schema back or forward, as an
 * older or newer simulate would have left it); a failure fails the test. */
static inline void lite_exec(const char *db, const char *sql)
{
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* A single integer from the SQLite store at db (a fresh read-only connection each time, as
 * another process would see it). -1 when the query fails (the store may not exist yet). */
static inline long long lite_int(const char *db, const char *sql)
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

/* Starts SIMULATE_BIN with args (NULL-terminated, args[0] the binary) in folder cwd (NULL: this
 * one), its stdout and stderr to /dev/null. */
static inline pid_t store_spawn(const char *const *args, const char *cwd)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || (cwd && chdir(cwd) != 0))
            _exit(126);
        execv(SIMULATE_BIN, (char *const *)args);
        _exit(127);
    }
    return pid;
}

/* The exit code of child pid, or 128 + the signal that killed it. */
static inline int store_wait(pid_t pid)
{
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Polls count(where, sql) every 20 ms, for up to two minutes, until it reaches `want`; returns
 * the last count (-1: the query failed, e.g. no store yet). count is lite_int or the server's. */
static inline long long store_poll(long long (*count)(const char *where, const char *sql),
                                   const char *where, const char *sql, long long want)
{
    long long seen = 0;
    for (int i = 0; i < 6000 && seen < want; i++) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
        seen = count(where, sql);
    }
    return seen;
}

/* A round: `procs` (up to 16) processes open the (new) store at db at the same moment, each
 * recording a run (store_child_records_a_run). Returns how many of them failed. */
static inline int store_round(const char *db, int procs)
{
    pid_t pid[16];
    cr_assert_leq(procs, 16);
    for (int p = 0; p < procs; p++) {
        fflush(NULL);
        pid[p] = fork();
        cr_assert_neq(pid[p], -1);
        if (pid[p] == 0)
            store_child_records_a_run(db);
    }
    int failed = 0;
    for (int p = 0; p < procs; p++) {
        int st;
        cr_assert_eq(waitpid(pid[p], &st, 0), pid[p]);
        failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    }
    return failed;
}

/* The command line of a quiet run of `scenario` into the store `db`, its report in `out`:
 * SIMULATE_BIN -q --fidelity F -r REPS [-j JOBS] -o OUT --db DB SCENARIO (jobs 0: no -j). */
typedef struct store_cmd {
    const char *argv[16];
    char reps[16], jobs[16];
} store_cmd;

static inline const char *const *store_cmd_of(store_cmd *c, const char *fidelity, int reps,
                                              int jobs, const char *out, const char *db,
                                              const char *scenario)
{
    size_t n = 0;
    snprintf(c->reps, sizeof c->reps, "%d", reps);
    snprintf(c->jobs, sizeof c->jobs, "%d", jobs);
    c->argv[n++] = SIMULATE_BIN;
    c->argv[n++] = "-q";
    c->argv[n++] = "--fidelity";
    c->argv[n++] = fidelity;
    c->argv[n++] = "-r";
    c->argv[n++] = c->reps;
    if (jobs > 0) {
        c->argv[n++] = "-j";
        c->argv[n++] = c->jobs;
    }
    c->argv[n++] = "-o";
    c->argv[n++] = out;
    c->argv[n++] = "--db";
    c->argv[n++] = db;
    c->argv[n++] = scenario;
    c->argv[n] = NULL;
    return c->argv;
}

#endif
