/*
 * internal.h — what the files of src/plan/ share and nothing else includes.
 */
#ifndef SIMULATE_PLAN_INTERNAL_H
#define SIMULATE_PLAN_INTERNAL_H

#include "plan/plan.h"

/* A measure a replication could not give (rto without a failure, cost without pricing). */
#define PLAN_UNKNOWN (-1e300)

/* Numbers kept of each replication of each run: the figures, then the run's objectives. */
#define PLAN_NM (PLAN_NFIG + MDL_MAX_OBJECTIVES)

/* One replication to run and where its numbers go (PLAN_NM of them). */
typedef struct plan_task {
    const mdl_scenario *s;
    uint32_t replication;
    double *out;
} plan_task;

/* Runs the tasks on up to `jobs` threads (eval.c); the error kept is the first task's. */
int plan__run_tasks(const plan_task *t, size_t n, int jobs, base_err *err);

#endif
