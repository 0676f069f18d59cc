/*
 * bench_hold.c — the classic hold benchmark of a pending-event set (Vaucher and Duval, "A
 * comparison of simulation event list algorithms", CACM 18(4), 1975; Jones, CACM 29(4), 1986):
 * fill the set with n events, then repeat "take the earliest, schedule one at its time plus an
 * exponential increment (mean 1 s)". One hold = one pop + one push, through the kernel's public
 * API (sim_schedule, sim_run, callbacks), exactly as the engines use it.
 *
 * usage: bench_hold [N_PENDING [HOLDS [RUNS]]]   prints holds/s (median of RUNS) as one line
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernel/sim.h"

typedef struct ctx {
    sim_engine *e;
    sim_rng *r;
    uint64_t left;
} ctx;

static void hold(void *p, void *arg)
{
    ctx *c = p;
    if (c->left == 0) {
        sim_stop(c->e);
        return;
    }
    c->left--;
    sim_schedule(c->e, sim_from_sec(sim_rng_exponential(c->r, 1.0)), hold, c, arg);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    unsigned long holds = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (n < 1 || holds < 1 || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: bench_hold [N_PENDING >= 1 [HOLDS >= 1 [RUNS 1..99]]]\n");
        return 2;
    }
    double rate[99];
    for (int k = 0; k < runs; k++) {
        ctx c = {sim_new(), sim_rng_new(1, (uint32_t)k, "hold"), holds};
        if (!c.e || !c.r)
            return 3;
        for (unsigned long i = 0; i < n; i++)
            sim_schedule(c.e, sim_from_sec(sim_rng_exponential(c.r, 1.0)), hold, &c, NULL);
        /* warm: one pass over the set so the timed part sees the steady-state shape */
        c.left = n;
        sim_run(c.e, SIM_NEVER, NULL);
        c.left = holds;
        double t0 = now_s();
        sim_run(c.e, SIM_NEVER, NULL);
        double dt = now_s() - t0;
        rate[k] = (double)holds / dt;
        sim_rng_free(c.r);
        sim_free(c.e);
    }
    qsort(rate, (size_t)runs, sizeof rate[0], cmp);
    printf("hold n=%lu holds=%lu runs=%d: median %.2f M holds/s (min %.2f, max %.2f)\n", n, holds,
           runs, rate[runs / 2] / 1e6, rate[0] / 1e6, rate[runs - 1] / 1e6);
    return 0;
}
