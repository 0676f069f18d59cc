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

/* The state of one search (search.c, plan_search), shared by its steps. */
typedef struct plan__search {
    scn_plan *p;
    const plan_opts *o;
    plan_result *r;
    int nruns;  /* the scenario, then each failure */
    int n0;     /* screening replications */
    int maxrep; /* most replications of a configuration */
    double alpha;
    int bis;   /* the bisected knob, -1 none */
    int raise; /* 1: the finalists are decided on the request engine where auto picks it */
    size_t cap;
    mdl_scenario *tmp;
} plan__search;

/* A slice: the configurations that differ only in the bisected knob (bisect.c). */
typedef struct plan__slice {
    size_t choice[SCN_PLAN_MAX_KNOBS]; /* the bisected knob's entry set per position */
    size_t n;                          /* positions */
    size_t lo, hi; /* the bisection's bracket, positions: the boundary is in [lo, hi] */
    int hi_good;   /* hi is known not clearly infeasible (screened, or covered by a slice) */
    size_t at;     /* the position being screened */
    int done;
    size_t found; /* done: the boundary's position; n when nothing in the slice is feasible */
    int cand;     /* its configuration (index into cfg), -1 none */
} plan__slice;

/* configs.c: a configuration bound to a scenario for run `run` (0 the scenario's, else the
 * failure run - 1), with the command line's seed and engine; added once (its index into cfg,
 * -1 out of memory); the numbers of its replication rep of run `run`; and configurations
 * brought to `reps` replications (the seed moved by seed_step), then judged. */
int plan__bind(plan__search *S, const size_t *choice, int run, mdl_scenario *s, base_err *err);
int plan__find_or_add(plan__search *S, const size_t *choice);
double *plan__slot(const plan__search *S, const plan_config *c, int run, int rep);
int plan__simulate_cfgs(plan__search *S, plan_config **cs, size_t n, int reps, uint64_t seed_step,
                        base_err *err);
int plan__simulate(plan__search *S, const int *idx, size_t n, int reps, base_err *err);

/* judge.c */
double plan__minimised(const plan__search *S, const plan_config *c, int i);
int plan__trade_off(const plan__search *S);
void plan__judge(const plan__search *S, plan_config *c);
int plan__clearly_infeasible(const plan_config *c);
stat_ci plan__paired(const plan__search *S, const plan_config *a, const plan_config *b, int f);

/* bisect.c: every slice's boundary found, each a finalist (its cand); a slice narrowed by the
 * slices done that cover it or that it covers */
int plan__config_at(plan__search *S, const plan__slice *sl, size_t pos);
void plan__narrow(const plan__search *S, plan__slice *sl, size_t nsl, plan__slice *x);

/* axes.c: each other monotone knob bisected with the rest at their most capacity: the slices
 * below its least value not clearly infeasible there are done with nothing feasible */
int plan__bisect_axes(plan__search *S, plan__slice *sl, size_t nsl, base_err *err);
int plan__bisect(plan__search *S, plan__slice *sl, size_t nsl, base_err *err);

/* select.c, confirm.c, sensitivity.c, pareto.c */
int plan__select(plan__search *S, plan__slice *sl, size_t nsl, base_err *err);
int plan__confirm(plan__search *S, base_err *err);
int plan__sensitivity(plan__search *S, base_err *err);
int plan__frontier(plan_result *r, int f, int **out, size_t *n);

#endif
