/*
 * a_threads.h — jobs run at once, one thread each, for the tests that show an engine keeps no
 * shared mutable state (test_engine: two replications; test_kernel: two engines): the same work
 * one after the other and at once must give the same results. One copy instead of one per file.
 */
#ifndef SIMULATE_TESTS_A_THREADS_H
#define SIMULATE_TESTS_A_THREADS_H

#include <criterion/criterion.h>
#include <pthread.h>

/* Job i of the work ctx. */
typedef void (*at_once_fn)(void *ctx, int i);

typedef struct at_once_arg {
    at_once_fn fn;
    void *ctx;
    int i;
} at_once_arg;

static inline void *at_once_thread(void *p)
{
    at_once_arg *a = p;
    a->fn(a->ctx, a->i);
    return NULL;
}

/* Runs fn(ctx, i) for every i in [0, n) at once, each on a thread of its own, and returns when
 * all have ended; n is 8 at most. */
static inline void run_at_once(at_once_fn fn, void *ctx, int n)
{
    enum { CAP = 8 };
    cr_assert(n >= 0 && n <= CAP, "%d jobs at once: %d at most", n, CAP);
    pthread_t t[CAP];
    at_once_arg a[CAP];
    for (int i = 0; i < n; i++) {
        a[i] = (at_once_arg){fn, ctx, i};
        cr_assert_eq(pthread_create(&t[i], NULL, at_once_thread, &a[i]), 0);
    }
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

#endif
