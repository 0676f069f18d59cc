/*
 * bench_hold.c — the classic hold benchmark of a pending-event set (Vaucher and Duval, "A
 * comparison of simulation event list algorithms", CACM 18(4), 1975; Jones, CACM 29(4), 1986):
 * fill the set with n events, then repeat "take the earliest, schedule one at its time plus an
 * exponential increment (mean 1 s)". One hold = one pop + one push, through the kernel's public
 * API (sim_schedule, sim_run, callbacks), exactly as the engines use it.
 *
 * Every hold reschedules before it counts down, so the set stays at exactly N_PENDING events
 * (an earlier version stopped without rescheduling and lost one event per run: at N = 1 it timed
 * nothing). The set is filled, then warmed by N holds so the timed part sees the steady-state
 * shape (for the ladder queue: Top already turned into rungs once).
 *
 * usage: bench_hold [N_PENDING [HOLDS [RUNS [heap|ladder|auto]]]]
 * prints the implementation and holds/s (median, min and max of RUNS) as one line. Without the
 * fourth argument the engine is sim_new()'s default.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "kernel/sim.h"

typedef struct ctx {
    sim_engine *e;
    sim_rng *r;
    uint64_t left;
} ctx;

static void hold(void *p, void *arg)
{
    ctx *c = p;
    sim_schedule(c->e, sim_from_sec(sim_rng_exponential(c->r, 1.0)), hold, c, arg);
    if (--c->left == 0)
        sim_stop(c->e);
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    unsigned long holds = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    int kind = -1; /* sim_new()'s default */
    if (argc > 4)
        kind = strcmp(argv[4], "heap") == 0     ? SIM_PES_HEAP
               : strcmp(argv[4], "ladder") == 0 ? SIM_PES_LADDER
               : strcmp(argv[4], "auto") == 0   ? SIM_PES_AUTO
                                                : -2;
    if (n < 1 || holds < 1 || runs < 1 || runs > 99 || kind == -2 || argc > 5) {
        fprintf(stderr,
                "usage: bench_hold [N_PENDING >= 1 [HOLDS >= 1 [RUNS 1..99 [heap|ladder|auto]]]]\n");
        return 2;
    }
    double rate[99];
    const char *name = "?";
    for (int k = 0; k < runs; k++) {
        sim_engine *e = kind < 0 ? sim_new() : sim_new_with((sim_pes_kind)kind);
        ctx c = {e, sim_rng_new(1, (uint32_t)k, "hold"), holds};
        if (!c.e || !c.r)
            return 3;
        name = sim_pes_name(c.e);
        for (unsigned long i = 0; i < n; i++)
            sim_schedule(c.e, sim_from_sec(sim_rng_exponential(c.r, 1.0)), hold, &c, NULL);
        /* warm: one pass over the set so the timed part sees the steady-state shape */
        c.left = n;
        sim_run(c.e, SIM_NEVER, NULL);
        c.left = holds;
        double t0 = bench_now_s();
        int rc = sim_run(c.e, SIM_NEVER, NULL);
        double dt = bench_now_s() - t0;
        if (rc != BASE_OK || sim_pending(c.e) != n || c.left != 0) {
            fprintf(stderr, "bench_hold: the run failed (status %d)\n", rc);
            return 3;
        }
        rate[k] = (double)holds / dt;
        sim_rng_free(c.r);
        sim_free(c.e);
    }
    bench_sort(rate, runs);
    printf("hold %s n=%lu holds=%lu runs=%d: median %.2f M holds/s (min %.2f, max %.2f)\n", name, n,
           holds, runs, rate[runs / 2] / 1e6, rate[0] / 1e6, rate[runs - 1] / 1e6);
    return 0;
}
