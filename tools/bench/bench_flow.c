/*
 * bench_flow.c — how the flow engine's cost follows the load, how much threads give, and what
 * the request engine does through the full pipeline.
 *
 * usage: bench_flow scale SCENARIO.yaml [RUNS]
 *            the scenario with its users × 1, 10, 100 and 1000 (mdl_traffic_scale) on the flow
 *            engine, one replication each run; the median wall time of the run (set-up and
 *            statistics included, loading excluded) for each
 *        bench_flow jobs SCENARIO.yaml [RUNS [REPLICATIONS]]
 *            all its replications (or REPLICATIONS) with 1 thread and with 2: median wall times
 *            and the speed-up (an odd count cannot split evenly: 5 on 2 threads is at most 5/3)
 *        bench_flow request SCENARIO.yaml [RUNS]
 *            one replication on the request engine: requests per second of wall time
 * Times are medians over RUNS (default 5) taken in one process, one after the other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "engine/engine.h"
#include "io/io.h"

static mdl_scenario scn, work;

/* One eng_run of `work`; its wall time. */
static double timed(int jobs, double *requests)
{
    eng_summary sum;
    base_err err;
    double t0 = bench_now_s();
    if (eng_run(&work, jobs, NULL, NULL, NULL, &sum, &err) != BASE_OK) {
        fprintf(stderr, "bench_flow: %s\n", err.msg);
        exit(3);
    }
    double t = bench_now_s() - t0;
    if (requests) {
        *requests = 0;
        for (int i = 0; i < sum.replications; i++)
            *requests += sum.reps[i].requests_total;
    }
    eng_summary_clear(&sum);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_flow scale|jobs|request SCENARIO.yaml [RUNS]\n");
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (runs < 1 || runs > 99) {
        fprintf(stderr, "bench_flow: RUNS 1..99\n");
        return 2;
    }
    if (!bench_load("bench_flow", argv[2], &scn))
        return 2;
    double t[99];
    if (!strcmp(argv[1], "scale")) {
        static const double factors[] = {1, 10, 100, 1000};
        for (size_t f = 0; f < 4; f++) {
            work = scn;
            work.fidelity = MDL_FIDELITY_FLOW;
            work.replications = 1;
            mdl_traffic_scale(&work.traffic, factors[f]);
            double req = 0;
            for (int k = 0; k < runs; k++)
                t[k] = timed(1, &req);
            printf("flow engine, users x%-5g (%.3g requests): median %.3f s over %d runs\n",
                   factors[f], req, bench_median(t, runs), runs);
        }
    } else if (!strcmp(argv[1], "jobs")) {
        work = scn;
        if (argc > 4)
            work.replications = atoi(argv[4]);
        double one[99], two[99];
        for (int k = 0; k < runs; k++) {
            one[k] = timed(1, NULL);
            two[k] = timed(2, NULL);
        }
        double m1 = bench_median(one, runs), m2 = bench_median(two, runs);
        printf("%d replications (%s engine): --jobs 1 median %.3f s, --jobs 2 median %.3f s, "
               "speed-up %.2fx\n",
               work.replications, eng_engine_name(&work), m1, m2, m1 / m2);
    } else if (!strcmp(argv[1], "request")) {
        work = scn;
        work.fidelity = MDL_FIDELITY_REQUEST;
        work.replications = 1;
        double req = 0, rate[99];
        for (int k = 0; k < runs; k++) {
            double s = timed(1, &req);
            rate[k] = req / s;
        }
        printf("request engine, full pipeline: %.3g requests per replication, median %.2f M "
               "requests/s over %d runs\n",
               req, bench_median(rate, runs) / 1e6, runs);
    } else {
        fprintf(stderr, "bench_flow: scale, jobs or request\n");
        return 2;
    }
    return 0;
}
