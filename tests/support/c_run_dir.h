/*
 * c_run_dir.h — a whole run of the binary on a scenario file into a fresh folder of its own, for
 * the tests that read what such a run wrote or how it refused (test_cost's month mix,
 * test_multiregion's refused mix): `simulate -q -o DIR/out --db DIR/r.db FILE`, its standard
 * error kept, the folder removed by run_dir_remove. One copy instead of a mkdtemp, a shell command
 * line and an `rm -rf` in each test.
 *
 * Included after "files.h" (spawn_wait, simulate_argv, slurp, remove_tree).
 */
#ifndef SIMULATE_TESTS_SUPPORT_C_RUN_DIR_H
#define SIMULATE_TESTS_SUPPORT_C_RUN_DIR_H

typedef struct run_dir {
    char dir[64]; /* the folder: r.db, stderr, and out/ */
    char out[80]; /* the run's -o folder, DIR/out */
    char *err;    /* what the run wrote on standard error, NUL-terminated */
} run_dir;

/* Runs simulate on scenario (a path) into a fresh /tmp/simulate-NAME-XXXXXX; returns its exit
 * code. A hang (killed after limit_s), a crash or a failure to start fails the test. */
static inline int run_dir_simulate(run_dir *d, const char *name, const char *scenario,
                                   double limit_s)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/simulate-%s-XXXXXX", name);
    cr_assert_not_null(mkdtemp(d->dir), "mkdtemp %s", d->dir);
    snprintf(d->out, sizeof d->out, "%s/out", d->dir);
    char db[80], err_path[80];
    snprintf(db, sizeof db, "%s/r.db", d->dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", d->dir);
    const char *args[] = {"-q", "-o", d->out, "--db", db, scenario, NULL};
    char *argv[8];
    simulate_argv(args, argv, 8);
    int st = spawn_wait(argv, NULL, NULL, err_path, limit_s);
    cr_assert_neq(st, -1, "simulate %s: hung, killed after %.0f s", scenario, limit_s);
    d->err = slurp(err_path, NULL);
    cr_assert_not_null(d->err, "no %s", err_path);
    cr_assert(WIFEXITED(st), "simulate %s: died of signal %d; stderr: %s", scenario,
              WIFSIGNALED(st) ? WTERMSIG(st) : 0, d->err);
    cr_assert_neq(WEXITSTATUS(st), 126, "could not set up the child");
    cr_assert_neq(WEXITSTATUS(st), 127, "could not run %s", SIMULATE_BIN);
    return WEXITSTATUS(st);
}

/* Removes the run's folder (it must be gone) and frees what it kept. */
static inline void run_dir_remove(run_dir *d)
{
    remove_tree(d->dir);
    cr_expect_neq(access(d->dir, F_OK), 0, "%s is still there", d->dir);
    free(d->err);
    d->err = NULL;
}

#endif
