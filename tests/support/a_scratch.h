/*
 * a_scratch.h — files in a scratch folder's working directory (support.h's scratch), for the
 * tests that run the binary and then read or prepare what is there (test_check, test_import,
 * test_args, test_cli, test_emit): a path in it, a file read whole or written, a folder made,
 * whether a file is there, and a run that must succeed. One copy instead of a snprintf of "%s/..."
 * in every test.
 *
 * Include after support.h (it needs scratch, run, slurp and write_text).
 */
#ifndef SIMULATE_TESTS_A_SCRATCH_H
#define SIMULATE_TESTS_A_SCRATCH_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path of `rel` in s's working directory, in buf (cap bytes); too long fails the test. */
static inline const char *cwd_path(const scratch *s, const char *rel, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s/%s", s->cwd, rel);
    cr_assert(n > 0 && (size_t)n < cap, "path too long: %s/%s", s->cwd, rel);
    return buf;
}

/* The file `rel` of s's working directory, whole, NUL-terminated and malloc'd (the caller frees
 * it); a file that cannot be read fails the test. */
static inline char *read_in(const scratch *s, const char *rel)
{
    char path[512];
    char *t = slurp(cwd_path(s, rel, path, sizeof path), NULL);
    cr_assert_not_null(t, "no %s", path);
    return t;
}

/* Writes text to the file `rel` of s's working directory, replacing it. */
static inline void write_in(const scratch *s, const char *rel, const char *text)
{
    char path[512];
    write_text(cwd_path(s, rel, path, sizeof path), text);
}

/* Makes the folder `rel` in s's working directory; its parent must be there. */
static inline void mkdir_in(const scratch *s, const char *rel)
{
    char path[512];
    cr_assert_eq(mkdir(cwd_path(s, rel, path, sizeof path), 0700), 0, "mkdir %s", path);
}

/* Whether `rel` is there in s's working directory. */
static inline bool exists_in(const scratch *s, const char *rel)
{
    char path[512];
    return access(cwd_path(s, rel, path, sizeof path), F_OK) == 0;
}

/* Runs simulate with args (NULL-ended, without argv[0]) in s, as support.h's run, and asserts
 * that it exited 0; its outputs are dropped. */
static inline void run_ok(scratch *s, const char *const *args)
{
    run_result r;
    run(s, args, &r);
    cr_assert_eq(r.status, 0, "simulate %s ...: exit %d; stderr: %s", args[0], r.status, r.err);
    run_free(&r);
}

#endif
