/*
 * bench_mmc.c — the request engine on the M/M/c model of ../shared/peers/simpy_mmc.py: same λ,
 * μ, c and customer count, and the same measure (customers per second of wall time around the
 * simulation run only, set-up and statistics excluded).
 *
 * usage: bench_mmc SCENARIO.yaml [CUSTOMERS [RUNS]]
 * The scenario (tests/data/mmc.yaml: λ = 9/s, μ = 1/s, c = 10) is run with its phase
 * lengthened so that CUSTOMERS arrive, one replication per run, no warm-up.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_common.h"
#include "engine/engine.h"
#include "io/io.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_mmc SCENARIO.yaml [CUSTOMERS [RUNS]]\n");
        return 2;
    }
    double customers = argc > 2 ? atof(argv[2]) : 200000;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 99 || !(customers >= 1)) {
        fprintf(stderr, "bench_mmc: CUSTOMERS >= 1, RUNS 1..99\n");
        return 2;
    }
    static mdl_scenario s;
    if (!bench_load("bench_mmc", argv[1], &s))
        return 2;
    base_err err;
    double rate = s.traffic.phases[0].from;
    s.warmup = 0;
    s.traffic.nphases = 1;
    s.traffic.max_requests = customers;
    s.traffic.phases[0].duration = sim_from_sec(customers / rate * 2); /* long enough */
    double cps[99], served = 0;
    for (int k = 0; k < runs; k++) {
        eng_rep rep;
        double t0 = bench_now_s();
        if (eng_run_request(&s, (uint32_t)k, &rep, &err) != BASE_OK) {
            fprintf(stderr, "bench_mmc: %s\n", err.msg);
            return 3;
        }
        double dt = bench_now_s() - t0;
        served = rep.served[MDL_API_READ];
        cps[k] = served / dt;
        eng_rep_clear(&rep);
    }
    bench_sort(cps, runs);
    printf("request engine M/M/%d lambda=%g customers=%.0f runs=%d: median %.0f customers/s "
           "(min %.0f, max %.0f)\n",
           s.api.workers, rate, served, runs, cps[runs / 2], cps[0], cps[runs - 1]);
    return 0;
}
