/*
 * plan.h — the planner (issue 16, `simulate plan`): the cheapest configuration of a scenario's
 * `plan:` space (io.h, scn_plan) that meets its objectives — under the load and through the
 * failures it must survive — found the way the simulation-optimisation literature searches, not
 * by a blind grid. The only header of src/plan/; every public name is plan_*.
 *
 * The search (search.c), in order:
 *   1. analytic pruning (bounds.c): a configuration whose pods, gunicorn workers or database
 *      cannot carry the sustained peak at all (utilisation >= 1 by the queueing formulas'
 *      offered load) is dropped without a simulation;
 *   2. bisection on a monotone knob (scn_knob.monotone): in each slice of the space (the other
 *      knobs fixed) cost grows with the knob and so does capacity, so the cheapest feasible
 *      value is the smallest one that is not clearly infeasible — found in log2(n) screenings;
 *      before that, every other monotone knob is bisected with the rest at their most capacity
 *      (axes.c), which rules out the slices below its least value that can be feasible;
 *   3. screening with few replications (scn_plan.screen_replications) of the flow or request
 *      engine (the scenario's fidelity) on common random numbers: replication i of every
 *      configuration is driven by the same streams (Law 2015, §11.2);
 *   4. a sequential feasibility check and selection on the finalists, cheapest first: each gets
 *      replications in doubling stages until every objective is met, or one is missed, at the
 *      stated confidence, with Bonferroni over the objectives and the stages (the constrained
 *      selection of Andradóttir and Kim, Naval Research Logistics 57(5), 2010, made simpler: a
 *      stage-wise one-sided t-test in place of their fully sequential triangular region);
 *   5. the winner re-run with fresh random numbers (another seed) to confirm it.
 * Every replication runs on up to `jobs` threads, each in its own slot: the result is the same
 * for any jobs.
 */
#ifndef SIMULATE_PLAN_H
#define SIMULATE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/base.h"
#include "engine/engine.h"
#include "io/io.h"
#include "metrics/metrics.h"

/* A configuration is called feasible only when every objective holds at this confidence,
 * jointly (issue 16: "at 95% confidence"). */
#define PLAN_CONFIDENCE 0.95

/* Objectives judged per configuration: the scenario's, then each failure's. */
#define PLAN_MAX_OBJECTIVES (MDL_MAX_OBJECTIVES * (1 + SCN_PLAN_MAX_SURVIVE))

/* The figures kept of every run besides the objectives' own measures. */
enum { PLAN_COST = 0, PLAN_P99, PLAN_ERRORS, PLAN_RTO, PLAN_NFIG };
extern const char *const plan_fig_keys[PLAN_NFIG]; /* "monthly_cost", "api_latency_p99", ... */

typedef enum plan_status {
    PLAN_PRUNED = 0, /* dropped by the analytic bound */
    PLAN_SCREENED,   /* simulated with few replications; not a finalist */
    PLAN_INFEASIBLE, /* an objective missed at the confidence */
    PLAN_UNDECIDED,  /* max_replications spent and still within the interval: not feasible */
    PLAN_FEASIBLE,   /* every objective met at the confidence */
    PLAN_DOMINATED   /* screened, and surely dearer than a feasible configuration */
} plan_status;

const char *plan_status_name(plan_status s); /* "pruned", "screened", ... */

/* One objective of a configuration, judged. */
typedef struct plan_verdict {
    slo o;
    int survive;   /* -1: the scenario's own; else the index of the failure (must_survive) */
    int known;     /* measured (rto needs a failure; cost a pricing file) */
    int verdict;   /* +1 met at the confidence, -1 missed at it, 0 not decided */
    stat_ci ci;    /* of the measure across replications, two-sided 95% */
    double margin; /* mean − threshold in the objective's unit (> 0 for `<`: missed by) */
} plan_verdict;

/* A configuration that was simulated. */
typedef struct plan_config {
    size_t choice[SCN_PLAN_MAX_KNOBS]; /* index into each knob's values */
    uint64_t index;                    /* its position in the space (mixed radix) */
    plan_status status;
    int reps;               /* replications run (on the engine `eng`) */
    int eng;                /* 0: the scenario's engine; 1: the request engine, a finalist's
                             * where `auto` would choose it (plan_result.finalist_engine) */
    int reps0;              /* eng 1: the screening replications kept of engine 0 */
    stat_ci fig[PLAN_NFIG]; /* of the scenario's run (RTO: of the first failure's) */
    stat_ci obj;            /* the minimised figure (scn_plan.minimise), NaN when unknown */
    plan_verdict v[PLAN_MAX_OBJECTIVES];
    size_t nv;
    double *x; /* private: per-replication measures */
} plan_config;

/* How a knob moves cost and latency near the winner: a step up and a step down, on common
 * random numbers (the winner's screening replications). NaN where there is no neighbour. */
typedef struct plan_sensitivity {
    double cost_up, cost_down;      /* USD a month, the neighbour minus the winner */
    double p99_up, p99_down;        /* ms */
    int up_feasible, down_feasible; /* the neighbour's screening verdict: 1 not clearly
                                     * infeasible, 0 clearly infeasible, -1 pruned or none */
} plan_sensitivity;

typedef struct plan_opts {
    int jobs; /* threads (1..ENG_MAX_JOBS) */
    int has_seed;
    uint64_t seed;        /* overrides the scenario's */
    const char *fidelity; /* NULL: the scenario's; "request", "flow", "auto" */
    int slices_only;      /* 1: bisect the slices' knob only, as the search did before every
                           * monotone knob was (axes.c): for comparisons, tests and benchmarks */
} plan_opts;

typedef struct plan_result {
    uint64_t space;        /* configurations in the space */
    uint64_t pruned;       /* of them, ruled out by the analytic bound (bisected: counted whole) */
    uint64_t skipped;      /* not simulated because bisection made them unnecessary */
    size_t simulated;      /* configurations simulated (the failures' runs not counted apart) */
    uint64_t replications; /* replications run, failures and confirmation included */
    int bisected;          /* the knob bisected in each slice, -1: none */
    double alpha_test;     /* the one-sided error of each test: (1 − confidence) / tests */
    plan_config *cfg;      /* every simulated configuration, in the order first simulated */
    size_t ncfg;
    int winner;            /* index into cfg; -1: nothing feasible */
    int indistinguishable; /* feasible configurations whose minimised figure is within the
                            * winner's interval (paired): the winner is one of them */
    plan_config confirm;   /* the winner again with fresh random numbers (seed + golden ratio) */
    int confirmed;         /* every objective's mean met in the confirmation */
    uint64_t confirm_seed;
    plan_sensitivity sens[SCN_PLAN_MAX_KNOBS];
    int *pareto_p99; /* indices into cfg: the frontier of cost against p99, by cost */
    size_t npareto_p99;
    int *pareto_rto; /* and against the first failure's RTO (none without failures) */
    size_t npareto_rto;
    /* the other monotone knobs, bisected with the rest at their most capacity (axes.c): 1 when
     * knob k was; there, its least value not clearly infeasible (an index into its values; over
     * the lines, the least capacity), -1 none or not bisected so */
    int axis[SCN_PLAN_MAX_KNOBS];
    int axis_least[SCN_PLAN_MAX_KNOBS];
    uint64_t seed;
    char fidelity[16];        /* the engine the scenario resolved to */
    char finalist_engine[16]; /* the engine the finalists are decided on: "request" where
                               * `auto` would choose it for one and nothing forced the engine
                               * (--fidelity), else the scenario's */
    char name[MDL_NAME_MAX];  /* the scenario's name */
} plan_result;

/* Searches p's space. On success *out holds the result (release with plan_result_clear),
 * whether or not anything is feasible (winner -1). Errors: those of binding and running. */
int plan_search(scn_plan *p, const plan_opts *o, plan_result *out, base_err *err);
void plan_result_clear(plan_result *r);

/* The analytic bound (bounds.c): 0 when the configuration can carry the sustained peak; else 1
 * and why (one line) into why. */
int plan_bound(const mdl_scenario *s, char *why, size_t len);

/* The sustained peak arrival rate (requests/s, all classes): the largest level a phase holds
 * from start to end (a ramp counts at its lower end: a passing spike is not a steady load). */
double plan_sustained_peak(const mdl_scenario *s);

/* plan.json (docs/plan.md; schemas/plan.schema.json): deterministic, no wall time. Caller
 * json_decref's it; NULL when out of memory. */
json_t *plan_json(const scn_plan *p, const plan_result *r);

/* The value of knob k in configuration c, as written. */
const char *plan_value(const scn_plan *p, const plan_config *c, size_t k);

#endif
