/*
 * app.h — the application under the command line (prefix app_): what `simulate` does — run a
 * scenario, compare variants, gate a pull request — as library functions that return values
 * and errors, so each can be tested without spawning the binary. The CLI (src/cli/) parses
 * arguments, calls these, prints and picks exit codes; nothing here prints (but the progress
 * line a caller may hook in) or exits.
 *
 * Arrows: cli -> app -> {engine, cost, report, plot, store} -> model -> kernel.
 *
 *   run.c       one run: load, run the replications (each committed to the results store),
 *               price, judge, write report.json, the charts and the pack, finish the record
 *   judge.c     the objectives' verdicts on a summary (k6-style thresholds)
 *   costs.c     the monthly bill of each replication as summary figures
 *   compare.c   variants side by side on common random numbers, and the load sweep
 *   compare_doc.c  compare.json
 *   check.c     the gate: baselines, budget, cost increase, each check PASS/UNCERTAIN/FAIL/SKIP
 */
#ifndef SIMULATE_APP_H
#define SIMULATE_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/base.h"
#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"
#include "metrics/metrics.h"
#include "model/model.h"
#include "plot/plot.h"
#include "report/report.h"

/* ---------------------------------------------------------------- judging */

/* An objective's verdict on a summary. */
typedef struct app_verdict {
    slo o;
    int known;     /* 0: not measured by this run (rto without failures, cost without pricing,
                    * a latency or error objective of a replication with no requests) */
    int met;       /* the mean across replications satisfies it */
    int uncertain; /* the STAT_CONFIDENCE interval straddles the threshold */
    stat_ci ci;    /* of the measure across replications, in the objective's unit */
    int beyond;    /* a latency percentile beyond the histograms' range in some replication:
                    * ci.mean is a lower bound. Judged on the bound: failed when the bound
                    * already fails it, else met but uncertain (the true value may be anywhere
                    * above); never met on a clamped value */
} app_verdict;

/* Judges the scenario's objectives on a summary into out[] (MDL_MAX_OBJECTIVES entries),
 * *n of them. Errors: BASE_ENOMEM; BASE_EINTERNAL for an objective that does not parse (the
 * scenario's binding already checked it). */
int app_judge(const eng_summary *sum, app_verdict *out, size_t *n, base_err *err);

/* How many verdicts were measured and failed. */
size_t app_failed(const app_verdict *v, size_t n);

/* A figure of the summary by typed id (metrics.h); NULL when the run has none. */
const eng_figure *app_figure(const eng_summary *sum, fig_id id);

/* A whole number from 0 to max, digits only, into *out: 0, or -1 when it is not one. */
int app_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* Whether s is written as a run's number (digits only, at least one), whatever its size: a
 * number past 2^63-1 must be refused as one, not read as a file name or clamped. */
bool app_is_run_number(const char *s);

/* ---------------------------------------------------------------- costs */

/* The other scenarios of a month mix (month.mix), run with the same seed and replications. */
typedef struct app_month_part {
    const eng_summary *sum;
    double repeat; /* times its window counts in the month */
} app_month_part;

/* Adds the figures monthly_cost, cost_per_million and one per cost part (cost_part_key; all
 * USD) to a summary, priced from each replication's usage — with replication i of each month
 * part (parts may be NULL, nparts 0); nothing when the scenario has no pricing file. mean (may
 * be NULL) receives the bill line by line, means across replications (empty without pricing). */
int app_add_costs(eng_summary *sum, const app_month_part *parts, size_t nparts, cost_month *mean,
                  base_err *err);

/* ---------------------------------------------------------------- a run */

/* The default number of threads for replications: the cores online (1..ENG_MAX_JOBS). */
int app_default_jobs(void);

/* --max-memory's default: half the machine's physical memory (sysconf). Half, because the
 * projection is an estimate and the machine runs more than one simulation: a run refused at
 * half still had room to be wrong by a factor of two. */
double app_default_max_memory(void);

/* Where a run's results store is: db, else results.db in the output folder, else
 * out/results.db (every run of every scenario in one history). */
void app_store_path(const char *db, const char *output, char *out, size_t size);

/* A progress display the caller may hook into a run (the CLI's line on a terminal): started
 * after the scenario is loaded with the engine's live counters, stopped when the replications
 * are done. start may return NULL; stop accepts NULL. */
typedef void *(*app_progress_start_fn)(const mdl_scenario *s, const eng_live *live, int quiet);
typedef void (*app_progress_stop_fn)(void *progress);

struct app_run_result;

typedef struct app_run_opts {
    const char *scenario;
    const char *output; /* NULL: out/NAME */
    const char *db;     /* NULL: app_store_path's default */
    int has_fidelity;
    mdl_fidelity fidelity; /* with has_fidelity: overrides the scenario's */
    int jobs;              /* 0: app_default_jobs() */
    int quiet;             /* passed to progress_start */
    int has_seed;
    uint64_t seed;
    int replications;  /* 0: the scenario's */
    double max_memory; /* bytes a run may project (eng_project); 0: app_default_max_memory() */
    app_progress_start_fn progress_start; /* NULL: none */
    app_progress_stop_fn progress_stop;
    /* One more output, written at once with the run's own (run.c, write_outputs) once its
     * figures and verdicts are final, on the process that writes them: the CLI's deploy/
     * folder. Its return is res->also_rc. NULL: none. */
    int (*also)(void *ctx, const struct app_run_result *res);
    void *also_ctx;
} app_run_opts;

typedef struct app_run_result {
    mdl_scenario *s; /* owned */
    eng_summary sum; /* costs added */
    app_verdict verdicts[MDL_MAX_OBJECTIVES];
    size_t nv;
    char dir[4096];    /* the output folder */
    char report[4096]; /* report.json's path */
    char pack[4200];   /* review.pdf's path */
    char db[4096];     /* the results store's path */
    int64_t run_id;    /* in the store */
    char *report_json; /* owned: report.json's text */
    cost_month *bill;  /* owned: the month's bill, means across replications; NULL unpriced */
    mdl_scenario *part_s[COST_MAX_MONTH_PARTS]; /* month.mix: each part's scenario (owned) */
    eng_summary part_sum[COST_MAX_MONTH_PARTS]; /* and its run */
    size_t nparts;
    int remote;  /* an MPI rank other than 0 (src/task/): it ran tasks for rank 0, which
                  * reports; nothing else here is set */
    int also_rc; /* what app_run_opts.also returned (0 when there is none) */
} app_run_result;

/* A finished run of the results store, bound again from the text the store kept (stored.c,
 * `simulate emit RUN`): its scenario with the run's seed and replications, its figures (each
 * replication's value, the peaks) and verdicts as the store holds them — not simulated again.
 * Release with app_stored_clear. BASE_EINPUT for no such run, a run not finished, or one
 * whose pricing file the store does not hold. */
typedef struct app_stored {
    mdl_scenario *s; /* owned */
    eng_summary sum; /* figures, values and reps' peaks only (no histograms) */
    app_verdict verdicts[MDL_MAX_OBJECTIVES];
    size_t nv;
    int64_t run_id;
    char sha256[65];          /* the stored scenario_sha256 */
    char scenario_file[4096]; /* as the run was given it */
    char scenario[4096];      /* where it was written again (inside tmp) */
    char db[4096];
    char tmp[4096]; /* the private folder of the files; removed by clear */
} app_stored;
int app_stored_load(const char *db, int64_t id, app_stored *r, base_err *err);
void app_stored_clear(app_stored *r);

/* Loads the scenario with the overrides of o, and refuses a run projected over its memory
 * limit (caller frees *out; NULL on failure). An unreadable file is BASE_EINPUT. */
int app_load(const app_run_opts *o, mdl_scenario **out, base_err *err);

/* One run of a scenario as `simulate SCENARIO` does it: load, apply the overrides, run the
 * replications (each committed to the results store as it finishes), price, judge the
 * objectives, write report.json, the charts and the design-review pack into the output folder,
 * and finish the store's record. On success res holds everything (release with
 * app_run_clear); on failure nothing. */
int app_run(const app_run_opts *o, app_run_result *res, base_err *err);
void app_run_clear(app_run_result *res);

/* The charts (PNG) and the design-review pack (review.pdf) of a report or comparison into
 * folder dir. app_write_charts_planned gives a report's pack the scenario's stored plan
 * (app_plan_for; plan may be NULL). */
int app_write_charts(const json_t *doc, const char *dir, base_err *err);
int app_write_charts_planned(const json_t *doc, const char *dir, const plot_plan_ref *plan,
                             base_err *err);

/* The newest `simulate plan` answer in the results store for a scenario (plan_for.c): made
 * from the same files, or from a plan file that extends the scenario and still reads as it
 * did. `sources` is the scenario's text as scn_doc_sources gives it (app_plan_for_file reads
 * it from the file). r->ref is what plot_pack_planned takes: looked, and plan NULL when the
 * store holds none. Release with app_plan_ref_clear. */
typedef struct app_plan_ref {
    plot_plan_ref ref;
    json_t *doc;
    char relation[64];
    char started[32];
} app_plan_ref;
int app_plan_for(struct store *st, const char *sources, app_plan_ref *r, base_err *err);
int app_plan_for_file(struct store *st, const char *scenario, app_plan_ref *r, base_err *err);
void app_plan_ref_clear(app_plan_ref *r);

/* infracost-usage.yml (infracost.c): a report's simulated usage in Infracost's usage-file
 * format. app_infracost_usage writes its text into buf (n bytes) and returns its length, 0
 * when the report has no cost lines; app_write_infracost writes it into folder dir (nothing
 * for a report without cost lines). */
size_t app_infracost_usage(const json_t *doc, char *buf, size_t n);
int app_write_infracost(const json_t *doc, const char *dir, base_err *err);

/* The chart definitions: the built-in plots/ and ./plots (docs/charts.md), then `files`
 * (`--chart FILE.yaml`). Caller frees with plot_set_free. */
int app_plot_set(const char *const *files, size_t nfiles, plot_set **out, base_err *err);

/* ---------------------------------------------------------------- compare */

#define APP_MAX_VARIANTS 16

typedef struct app_compare_opts {
    const char *files[APP_MAX_VARIANTS];
    int nfiles;         /* 1: the file's variants (and sweep); more: each file a variant */
    const char *output; /* NULL: out/compare-NAME */
    const char *db;     /* NULL: app_store_path's default (the run is recorded there) */
    int has_seed;
    uint64_t seed;
    int replications; /* 0: the first variant's */
    int jobs;         /* 0: app_default_jobs() */
    int profile;      /* 0: the scenario's sweep.profile; 1 + MDL_SWEEP_STEADY or _DAILY */
} app_compare_opts;

/* One variant's run. */
typedef struct app_variant_run {
    char name[64];
    eng_summary sum;
    app_verdict v[MDL_MAX_OBJECTIVES];
    size_t nv;
    int ran;
} app_variant_run;

/* One load point of a sweep: each variant's figures there. */
typedef struct app_sweep_point {
    double load;
    double cost[APP_MAX_VARIANTS], cost_half[APP_MAX_VARIANTS];
    /* a daily profile's month (NaN for a steady sweep): mean and 95% half-width over the
     * replications of peak_hours/24 x the point's month + the rest x the off-peak run's */
    double cost_daily[APP_MAX_VARIANTS], cost_daily_half[APP_MAX_VARIANTS];
    double p99[APP_MAX_VARIANTS], err[APP_MAX_VARIANTS];
    double db_cost[APP_MAX_VARIANTS], db_util[APP_MAX_VARIANTS];
    int met[APP_MAX_VARIANTS];
    int priced;
} app_sweep_point;

typedef struct app_compare_result {
    app_variant_run *runs; /* n of them, owned */
    size_t n;
    uint64_t seed;
    int replications;
    int by_rate; /* the sweep's load is requests/s (else users) */
    double sweep_from, sweep_to;
    int daily;                   /* the sweep also costs a daily profile */
    double peak_hours, off_peak; /* its hours at the peak a day, its off-peak share */
    app_sweep_point *pts;        /* npts of them (0: no sweep), owned */
    int npts;
    scn_variant *variants; /* the n scenarios run (their summaries point into them), owned */
    json_t *doc;           /* compare.json's tree, owned */
    char dir[4096];        /* the output folder */
    char path[4200];       /* compare.json's path */
    char pack[4200];       /* review.pdf's path */
    int64_t run_id;        /* in the results store */
    int remote;            /* an MPI rank other than 0 (src/task/): nothing else is set */
} app_compare_result;

/* `simulate compare`: loads the variants, runs each with the same seed and replications
 * (common random numbers), and the sweep's points if the first has one, builds compare.json,
 * writes it with its charts and pack, and records the comparison in the results store. On
 * success res holds everything (release with app_compare_clear); on failure nothing. */
int app_compare(const app_compare_opts *o, app_compare_result *res, base_err *err);
void app_compare_clear(app_compare_result *res);

/* The paired difference b − a of a figure across n replications: mean and interval. */
stat_ci app_paired(const eng_figure *a, const eng_figure *b, int n);

/* The figures of compare's side-by-side table, in order: id and label. */
typedef struct app_compare_row {
    const char *key; /* a figure's key (fig_key or cost_part_key) */
    const char *label;
} app_compare_row;
extern const app_compare_row app_compare_rows[];
extern const size_t app_compare_nrows;

/* Whether a variant met every objective it measured. */
int app_all_met(const app_variant_run *r);

/* Where variant i's cost crosses variant j's: linear interpolation between the bracketing
 * points (the later one's index in *at). NAN when it never does within the sweep. */
double app_crossover(const app_sweep_point *pts, int npts, size_t i, size_t j, int *at);

/* The cheapest variant at a point that meets the objectives; -1 when none does. */
int app_cheapest_met(const app_sweep_point *p, size_t n);

/* compare.json's tree for a finished comparison (compare_doc.c); NULL when out of memory. */
json_t *app_compare_doc(const app_compare_result *r);

/* ---------------------------------------------------------------- check: the gate */

#define APP_MAX_SCENARIOS 64
#define APP_MAX_BASELINES 16

typedef struct app_check_opts {
    const char *files[APP_MAX_SCENARIOS];
    int nfiles;
    const char *baselines[APP_MAX_BASELINES];
    int nbaselines;
    int has_budget;
    int64_t budget; /* micro-USD a month */
    int has_max_increase;
    double max_increase; /* fraction: 0.10 for 10% */
    app_run_opts run;    /* scenario unset: each of files; output, db as given */
} app_check_opts;

/* Reads a baseline: a run number (all digits) in the results store (db, or the output
 * folder's, as app_store_path), else the path of a report.json. */
int app_baseline_load(const char *arg, const char *db, const char *output, rep_baseline *b,
                      base_err *err);

/* Reads a baseline's report.json text (file names it in errors). The entry point of the
 * baseline fuzz target (fuzz/). */
int app_baseline_parse(const char *file, const char *text, size_t len, rep_baseline *b,
                       base_err *err);

/* The objectives' verdicts as checks: SKIP not measured, FAIL not met, UNCERTAIN met with the
 * interval straddling the threshold, else PASS. */
void app_check_objectives(rep_outcome *oc, const app_verdict *v, size_t nv);

/* The budget as a check: the mean monthly cost must be below `budget` micro-USD, to the cent.
 * oc->total, total_half and total_c must be set. */
void app_check_budget(rep_outcome *oc, int64_t budget);

/* The cost increase over oc->base as a check: FAIL when it rose more than max_increase (a
 * fraction); SKIP with why_none when no baseline matched. */
void app_check_increase(rep_outcome *oc, double max_increase, const char *why_none);

/* The gate over every scenario of o: the baselines read first, every scenario loaded (so a bad
 * one costs no run), then each run and judged into oc[0..o->nfiles) (the caller's array).
 * after_each (may be NULL) is called with each outcome as it is judged (the CLI prints it).
 * bl holds APP_MAX_BASELINES baselines (the outcomes point into it). Errors as app_run's. */
typedef void (*app_outcome_fn)(void *ctx, const rep_outcome *oc, const char *why_none);
int app_check(const app_check_opts *o, rep_baseline *bl, rep_outcome *oc, app_outcome_fn after_each,
              void *ctx, base_err *err);

/* Writes b's text to path atomically, creating its folder (JUnit, Markdown). */
int app_write_output(const char *path, const base_buf *b, base_err *err);

#endif
