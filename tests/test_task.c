/*
 * test_task.c — the task room (src/task/): the order tasks are handed out in, a list over
 * threads, and every command that simulates giving the same bytes for any --jobs and under
 * `mpirun -n 3` (oversubscribed: three ranks on this machine's cores).
 *
 * Why: a run, a comparison or a plan must be reproducible from its seed whatever machine or
 * cluster ran it; a scheduler that let the order tasks finish in reach the results would make
 * every figure depend on the load of the machine. The MPI tests are skipped, saying so, only
 * where mpirun is not installed (tools/setup installs it, so CI runs them).
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when tests of one executable differ).
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "task/task.h"

#define SMALL    SIMULATE_TESTDATA "/cli/small.yaml"
/* small.yaml held for 5 minutes: a list that lasts long enough to be killed in */
#define KILLABLE SIMULATE_TESTDATA "/mpi/kill.yaml"
#define VARIANTS SIMULATE_TESTDATA "/cli/variants.yaml"
#define PLAN     SIMULATE_TESTDATA "/plan/small.yaml"
/* A hang guard, not a timing goal. */
#define RUN_LIMIT_S  120.0
#define SUPPORT_NAME "test-task"

#include "support.h"

TestSuite(task, .fini = scratch_fini);

/* ---------------------------------------------------------------- the room itself */

Test(task, the_largest_goes_first_and_ties_keep_their_order, .timeout = 120)
{
    const double cost[] = {1, 5, 5, 2, 1e6, 0};
    size_t order[6];
    task_order(cost, 6, order);
    const size_t want[] = {4, 1, 2, 3, 0, 5};
    for (size_t i = 0; i < 6; i++)
        cr_expect_eq(order[i], want[i], "position %zu: task %zu, want %zu", i, order[i], want[i]);
    task_order(NULL, 6, order); /* no estimates: index order */
    for (size_t i = 0; i < 6; i++)
        cr_expect_eq(order[i], i);
}

typedef struct squares {
    long slot[200];
    int fail_a, fail_b; /* tasks that fail (-1: none) */
} squares;

static int square(void *ctx, size_t i, base_err *err)
{
    squares *q = ctx;
    if ((int)i == q->fail_a || (int)i == q->fail_b)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "task %zu failed", i);
    q->slot[i] = (long)(i * i);
    return BASE_OK;
}

Test(task, every_task_runs_once_into_its_slot_and_the_first_failure_by_index_is_kept,
     .timeout = 120)
{
    double cost[200];
    for (int i = 0; i < 200; i++)
        cost[i] = (i * 37) % 11; /* mixed sizes */
    for (int jobs = 1; jobs <= 3; jobs++) {
        squares q = {.fail_a = -1, .fail_b = -1};
        task_list l = {.n = 200, .cost = cost, .run = square, .ctx = &q};
        base_err err;
        cr_assert_eq(task_run(&l, jobs, &err), BASE_OK);
        for (long i = 0; i < 200; i++)
            cr_expect_eq(q.slot[i], i * i, "jobs %d: slot %ld", jobs, i);
        squares bad = {.fail_a = 150, .fail_b = 7};
        l.ctx = &bad;
        cr_assert_eq(task_run(&l, jobs, &err), BASE_EINPUT);
        cr_expect_str_eq(err.msg, "task 7 failed", "jobs %d: %s", jobs, err.msg);
    }
}

/* ---------------------------------------------------------------- commands, bytes */

/* Runs argv (NULL-terminated) in s->cwd; exit 0 and nothing on stderr expected. */
static void run_ok(scratch *s, char *const *argv, const char *what)
{
    char out[128], err[128];
    snprintf(out, sizeof out, "%s/stdout", s->dir);
    snprintf(err, sizeof err, "%s/stderr", s->dir);
    int st = spawn_wait(argv, s->cwd, out, err, RUN_LIMIT_S);
    cr_assert_neq(st, -1, "%s: hung", what);
    size_t n = 0;
    char *e = slurp(err, &n);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %d; stderr: %s", what, st,
              e ? e : "");
    free(e);
}

/* The file `name` in output folder `out` of the scratch. */
static char *output(scratch *s, const char *out, const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", s->cwd, out, name);
    char *text = slurp(path, len);
    cr_assert_not_null(text, "no %s", path);
    return text;
}

/* A command (its words after `simulate`, writing `file` into --output) under `prefix` (NULL:
 * none; else mpirun's words) with `jobs`, into folder `out`. */
static char *command(scratch *s, const char *const *prefix, const char *const *words,
                     const char *file, const char *jobs, const char *out, size_t *len)
{
    char *argv[40];
    int n = 0;
    for (; prefix && prefix[n]; n++)
        argv[n] = (char *)prefix[n];
    argv[n++] = SIMULATE_BIN;
    for (int i = 0; words[i]; i++)
        argv[n++] = (char *)words[i];
    const char *tail[] = {"--quiet", "--jobs", jobs, "--output", out, NULL};
    for (int i = 0; tail[i]; i++)
        argv[n++] = (char *)tail[i];
    argv[n] = NULL;
    if (prefix) {
        run_ok(s, argv, words[0]);
    } else { /* support.h's run: argv without the binary */
        run_result r;
        run(s, (const char *const *)argv + 1, &r);
        cr_assert_eq(r.status, 0, "%s: exit %d; stderr: %s", words[0], r.status, r.err);
        run_free(&r);
    }
    return output(s, out, file, len);
}

typedef struct cmd {
    const char *words[4];
    const char *file;
} cmd;

static const cmd commands[] = {
    {{SMALL, NULL}, "report.json"},
    {{"compare", VARIANTS, NULL}, "compare.json"},
    {{"plan", PLAN, NULL}, "plan.json"},
};

static void same_bytes(const char *a, size_t na, const char *b, size_t nb, const char *what)
{
    cr_assert(na == nb && memcmp(a, b, na) == 0, "%s: the bytes differ (%zu and %zu)", what, na,
              nb);
}

Test(task, run_compare_and_plan_give_the_same_bytes_for_any_jobs, .timeout = 120)
{
    scratch s;
    scratch_open(&s);
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        size_t n1, n;
        char *one = command(&s, NULL, commands[c].words, commands[c].file, "1", "j1", &n1);
        for (int j = 2; j <= 3; j++) {
            char jobs[8], out[8], what[64];
            snprintf(jobs, sizeof jobs, "%d", j);
            snprintf(out, sizeof out, "j%d", j);
            snprintf(what, sizeof what, "%s, --jobs %d", commands[c].file, j);
            char *other = command(&s, NULL, commands[c].words, commands[c].file, jobs, out, &n);
            same_bytes(one, n1, other, n, what);
            free(other);
        }
        free(one);
    }
    scratch_close(&s);
}

/* ---------------------------------------------------------------- MPI */

/* mpirun's path, or NULL. */
static const char *mpirun(void)
{
    static const char *const where[] = {"/usr/bin/mpirun", "/usr/local/bin/mpirun"};
    for (size_t i = 0; i < 2; i++)
        if (access(where[i], X_OK) == 0)
            return where[i];
    return NULL;
}

Test(task, mpirun_with_three_ranks_gives_the_bytes_of_one_process, .timeout = 120)
{
    const char *m = mpirun();
    if (!m)
        cr_skip_test("mpirun is not installed (tools/setup installs openmpi-bin)");
    /* Open MPI's own allocations outlive MPI_Finalize: not this program's leaks */
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    const char *prefix[] = {
        m, "--oversubscribe", "-n", "3", geteuid() == 0 ? "--allow-run-as-root" : NULL, NULL};
    scratch s;
    scratch_open(&s);
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        size_t n1, n;
        char *one = command(&s, NULL, commands[c].words, commands[c].file, "1", "one", &n1);
        char *three = command(&s, prefix, commands[c].words, commands[c].file, "1", "mpi", &n);
        same_bytes(one, n1, three, n, commands[c].file);
        free(one);
        free(three);
    }
    scratch_close(&s);
}

/* ---------------------------------------------------------------- a rank that dies */

/* The pid of the process whose parent is `parent` and whose environment names it MPI rank
 * `rank` (Open MPI's OMPI_COMM_WORLD_RANK), or -1. */
static pid_t rank_pid(pid_t parent, int rank)
{
    char want[64];
    snprintf(want, sizeof want, "OMPI_COMM_WORLD_RANK=%d", rank);
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    pid_t found = -1;
    for (struct dirent *e; found < 0 && (e = readdir(d));) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        char path[64], stat[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[n] = '\0';
        const char *p = strrchr(stat, ')');
        long ppid = -1;
        if (!p || sscanf(p + 2, "%*c %ld", &ppid) != 1 || ppid != (long)parent)
            continue;
        snprintf(path, sizeof path, "/proc/%ld/environ", pid);
        size_t len = 0;
        char *env = slurp(path, &len);
        for (size_t at = 0; env && at < len; at += strlen(env + at) + 1)
            if (strcmp(env + at, want) == 0)
                found = (pid_t)pid;
        free(env);
    }
    closedir(d);
    return found;
}

/* CPU seconds process pid has used (user + system), or -1 when it is gone. */
static double cpu_s(pid_t pid)
{
    char path[64], stat[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *p = strrchr(stat, ')');
    unsigned long ut = 0, st = 0;
    /* fields 14 and 15 (proc(5)), counted from the state, the 3rd */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* stderr without the MPI library's own lines: Open MPI's shared-memory transport prints
 * "[HOST:PID] Read -1, expected N, errno = 3" in rank 0 when the peer it was reading from is
 * gone mid-message (process_vm_readv, ESRCH), before simulate's line; those begin with '['.
 * A copy; free it. */
static char *without_mpi_lines(const char *err)
{
    char *out = malloc(strlen(err) + 1);
    cr_assert_not_null(out);
    size_t o = 0;
    for (const char *line = err; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        if (line[0] != '[') {
            memcpy(out + o, line, len);
            o += len;
        }
        line += len;
    }
    out[o] = '\0';
    return out;
}

/* issue 17: "A rank that dies or a task that fails ends the run with one clear line, and
 * nothing written claims success". Three ranks run a scenario of 1,024 replications; once rank 1
 * is working (it has used CPU for tasks and rank 0 has opened the run's record), it is killed
 * with SIGKILL. `mpirun -q` keeps the launcher's own boxes out of stderr, so the one line must
 * be simulate's rank 0 naming rank 1 (src/task/mpi.c, watch). */
Test(task, a_killed_rank_ends_the_run_with_one_line_naming_it_and_nothing_claims_success,
     .timeout = 120)
{
    const char *m = mpirun();
    if (!m)
        cr_skip_test("mpirun is not installed (tools/setup installs openmpi-bin)");
#ifndef SIMULATE_MPI /* three independent runs, none of them a rank: nothing to lose */
    cr_skip_test("simulate was built without MPI (-DSIMULATE_MPI=OFF or no libopenmpi-dev)");
#endif
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1); /* Open MPI's allocations, as above */
    scratch s;
    scratch_open(&s);
    char out_path[128], err_path[128];
    snprintf(out_path, sizeof out_path, "%s/stdout", s.dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", s.dir);
    char *argv[] = {(char *)m,
                    "-q",
                    "--oversubscribe",
                    "-n",
                    "3",
                    geteuid() == 0 ? "--allow-run-as-root" : "-q",
                    SIMULATE_BIN,
                    "--quiet",
                    "--jobs",
                    "1",
                    "--replications",
                    "1024",
                    "--output",
                    "killed",
                    KILLABLE,
                    NULL};
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setpgid(0, 0);
        if (!freopen("/dev/null", "r", stdin) || !freopen(out_path, "w", stdout) ||
            !freopen(err_path, "w", stderr) || chdir(s.cwd) != 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    /* rank 1, once it has done some work and rank 0 has opened the run's record */
    char db[160];
    snprintf(db, sizeof db, "%s/killed/results.db", s.cwd);
    pid_t victim = -1;
    int killed = 0, st = 0;
    double start = now_s();
    for (;;) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            break;
        if (now_s() - start > RUN_LIMIT_S) {
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
            cr_assert_fail("mpirun hung: killed after %.0f s", RUN_LIMIT_S);
        }
        if (!killed) {
            if (victim < 0)
                victim = rank_pid(pid, 1);
            if (victim > 0 && cpu_s(victim) >= 0.3 && access(db, F_OK) == 0) {
                cr_assert_eq(kill(victim, SIGKILL), 0, "rank 1 (pid %ld) is gone", (long)victim);
                killed = 1;
            }
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    cr_assert(killed, "the run ended before rank 1 could be killed mid-run (status %d)", st);
    size_t n = 0;
    char *all = slurp(err_path, &n);
    cr_assert_not_null(all);
    char *err = without_mpi_lines(all);
    free(all);
    cr_expect(!(WIFEXITED(st) && WEXITSTATUS(st) == 0), "mpirun exited 0; stderr: %s", err);
    cr_expect_eq(count_lines(err), 1, "want one line on stderr, got: %s", err);
    char want[96];
    snprintf(want, sizeof want, "simulate: MPI rank 1 (pid %ld on ", (long)victim);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "the line does not name rank 1: %s", err);
    /* mpirun may take rank 2 down with rank 1 before rank 0 notices either: then the one line
       names both ("... and MPI rank 2 ... were lost"); what matters is that rank 1 is named first
       and the run is said to be stopped */
    cr_expect(strstr(err, "was lost before the run finished") != NULL ||
                  strstr(err, "were lost before the run finished") != NULL,
              "%s", err);
    free(err);
    /* nothing claims success: no report, and the store's record is not finished */
    char report[160];
    snprintf(report, sizeof report, "%s/killed/report.json", s.cwd);
    cr_expect_neq(access(report, F_OK), 0, "a report.json was written");
    const char *hist[] = {"history", "--db", "killed/results.db", NULL};
    run_result r;
    run(&s, hist, &r);
    cr_assert_eq(r.status, 0, "history: %s", r.err);
    cr_expect(strstr(r.out, "cli-small") != NULL, "no record of the run: %s", r.out);
    cr_expect(strstr(r.out, "running") != NULL && strstr(r.out, "finished") == NULL,
              "the record claims more than an unfinished run: %s", r.out);
    run_free(&r);
    scratch_close(&s);
}
