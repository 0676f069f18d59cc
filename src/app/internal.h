/*
 * internal.h — what the files of src/app/ share and nothing else sees.
 */
#ifndef SIMULATE_APP_INTERNAL_H
#define SIMULATE_APP_INTERNAL_H

#include "cost/cost.h"
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

/* A scenario with `regions:` (regions.c). app__regions_price prices one replication's month
 * as cost_price does, plus eu-west-1's lines (its usage at its pricing file's prices, items
 * prefixed "eu-west-1: ") and the inter-region transfer; *eu_usd and *transfer_usd (may be
 * NULL) get those two parts. app__regions_figures adds the per-region figures (api p99 and
 * write latency of US and EMEA users, their error rates, eu-west-1's loss) to the summary. */
int app__regions_price(const mdl_scenario *s, const eng_rep *rep, cost_month *m, double *eu_usd,
                       double *transfer_usd, base_err *err);
int app__regions_figures(eng_summary *sum, base_err *err);
/* Two active regions (regions.enabled, serve: two)? */
bool app__regions_two(const mdl_scenario *s);
/* A month's window of a two-region scenario (nothing for any other): its eu-west-1 usage at
 * eu-west-1's prices into m_eu (cost_price_part: its own tiers over the month's windows, the
 * always-on lines when `fixed`; m_eu->month_hours set by the caller), and its inter-region GB
 * × scale added to *gb. app__regions_finish then appends m_eu's lines ("eu-west-1: ...") and
 * the transfer's line to the month m (*eu_usd, *transfer_usd: those two parts; may be NULL). */
int app__regions_price_part(const mdl_scenario *s, const eng_rep *rep, double scale, bool fixed,
                            cost_month *m_eu, double *gb, base_err *err);
int app__regions_finish(const mdl_scenario *s, const cost_month *m_eu, double gb, cost_month *m,
                        double *eu_usd, double *transfer_usd, base_err *err);

#endif
