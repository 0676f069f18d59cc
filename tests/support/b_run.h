/*
 * b_run.h — a refusal checked in one call, for the tests that run the binary through support.h:
 * simulate run with the given arguments in the scratch folder, and its exit, standard output
 * and standard error what a refusal must look like (assert_refused).
 *
 * Included after "support.h".
 */
#ifndef SIMULATE_TESTS_SUPPORT_B_RUN_H
#define SIMULATE_TESTS_SUPPORT_B_RUN_H

/* Runs simulate with args (NULL-terminated, without argv[0]) in s->cwd: it must exit `code`
 * with one line on stderr containing msg; `what` names the case in a failure. */
static inline void run_refused(scratch *s, const char *const *args, int code, const char *msg,
                               const char *what)
{
    run_result r;
    run(s, args, &r);
    assert_refused(&r, code, msg, what);
    run_free(&r);
}

#endif
