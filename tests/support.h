/*
 * support.h — what the tests that run the `simulate` binary share: a scratch folder removed
 * even when an assertion ends the test, and a run of the binary with its standard output and
 * error captured, a hang killed after RUN_LIMIT_S and a crash failing the test, and what a
 * refusal must look like (assert_refused).
 *
 * Included once by a test file, after it defines SUPPORT_NAME (the scratch folder's prefix)
 * and RUN_LIMIT_S (seconds); it declares its own TestSuite with .fini = scratch_fini.
 */
#ifndef SIMULATE_TESTS_SUPPORT_H
#define SIMULATE_TESTS_SUPPORT_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "files.h"

/* A scratch folder: `cwd` (empty, the child's working directory) and capture files. */
typedef struct scratch {
    char dir[64];
    char cwd[96];
} scratch;

/* The scratch folder of the running test (each test is a process), removed by the suite's
 * .fini even when an assertion ends the test early. */
static char current_scratch[64];

static void scratch_open(scratch *s)
{
    snprintf(s->dir, sizeof s->dir, "/tmp/simulate-" SUPPORT_NAME "-XXXXXX");
    cr_assert_not_null(mkdtemp(s->dir));
    snprintf(current_scratch, sizeof current_scratch, "%s", s->dir);
    snprintf(s->cwd, sizeof s->cwd, "%s/cwd", s->dir);
    cr_assert_eq(mkdir(s->cwd, 0700), 0);
}

static void scratch_close(scratch *s)
{
    remove_tree(s->dir);
    current_scratch[0] = '\0';
}

static void scratch_fini(void)
{
    if (current_scratch[0])
        remove_tree(current_scratch);
}

typedef struct run_result {
    int status; /* exit code, -1 when it did not exit */
    char *out, *err;
    size_t out_len, err_len;
} run_result;

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* Runs simulate with args (NULL-terminated, without argv[0]) in s->cwd. A crash or a hang
 * fails the test. */
static void run(scratch *s, const char *const *args, run_result *r)
{
    char *argv[40];
    simulate_argv(args, argv, 40);
    char out_path[128], err_path[128];
    snprintf(out_path, sizeof out_path, "%s/stdout", s->dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", s->dir);
    int st = spawn_wait(argv, s->cwd, out_path, err_path, RUN_LIMIT_S);
    if (st == -1)
        cr_assert_fail("simulate %s ... hung: killed after %.0f s", args[0], RUN_LIMIT_S);
    r->out = slurp(out_path, &r->out_len);
    r->err = slurp(err_path, &r->err_len);
    cr_assert(r->out && r->err, "captures missing");
    cr_assert(!WIFSIGNALED(st), "simulate %s ... crashed with signal %d (%s); stderr: %s", args[0],
              WTERMSIG(st), strsignal(WTERMSIG(st)), r->err);
    cr_assert(WIFEXITED(st));
    r->status = WEXITSTATUS(st);
    cr_assert_neq(r->status, 126, "could not set up the child");
    cr_assert_neq(r->status, 127, "could not run %s", SIMULATE_BIN);
}

/* Lines in s (its newlines). */
static inline int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Exit `code`, nothing on stdout, one line on stderr starting "simulate: " with `msg`: how a
 * refusal looks to the user, whichever command refused. */
static inline void assert_refused(const run_result *r, int code, const char *msg, const char *what)
{
    cr_assert_eq(r->status, code, "%s: exit %d, want %d; stderr: %s", what, r->status, code,
                 r->err);
    cr_assert_eq(r->out_len, 0, "%s: wrote to stdout: %s", what, r->out);
    cr_assert_eq(count_lines(r->err), 1, "%s: stderr is not one line: %s", what, r->err);
    cr_assert(r->err[r->err_len - 1] == '\n', "%s: stderr does not end its line", what);
    cr_assert(!strncmp(r->err, "simulate: ", 10), "%s: stderr lacks 'simulate: ': %s", what,
              r->err);
    cr_assert(strstr(r->err, msg), "%s: stderr lacks '%s': %s", what, msg, r->err);
}

#endif
