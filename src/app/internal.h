/*
 * internal.h — what the files of src/app/ share and nothing else sees.
 */
#ifndef SIMULATE_APP_INTERNAL_H
#define SIMULATE_APP_INTERNAL_H

#include "engine/engine.h"

/* Seconds on the monotonic clock: a run's wall time for the results store (never in a
 * report, which holds no clock). */
double app__now_s(void);

/* One scenario's run in a batch: its replications fill sum (schedule.c). */
typedef struct app__batch_run {
    const mdl_scenario *s;
    eng_summary *sum;
} app__batch_run;

/* Runs every replication of runs[0..n) as one task list (src/task/: largest first, over the
 * threads and MPI ranks) and summarises each run. On success every sum is filled (release
 * with eng_summary_clear) — except on an MPI rank other than 0, where none is; on failure
 * none is. */
int app__run_batch(app__batch_run *runs, size_t n, int jobs, base_err *err);

#endif
