/*
 * report.h — what simulate writes for machines and for reviewers (prefix rep_): report.json
 * (report.c), and the gate's JUnit XML (junit.c) and pull-request Markdown (markdown.c), with
 * the money and percentage texts they share (money.c). The public header of src/report/.
 *
 * Every writer here is deterministic: the same inputs give the same bytes (no clock, no host,
 * keys in a fixed order), the contract CI, goldens and the sticky PR comment rely on. Nothing
 * here runs a simulation or decides a verdict: the application (src/app/) does, and hands the
 * results over in the plain structs below.
 */
#ifndef SIMULATE_REPORT_H
#define SIMULATE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/base.h"
#include "cost/cost.h"
#include "engine/engine.h"
#include "model/model.h"

/* ---------------------------------------------------------------- report.json */

/* report.json's schema version (docs/report.md). Bumped when a field changes meaning or goes. */
#define REP_SCHEMA_VERSION 1

/* An objective's verdict, as the report records it. */
typedef struct rep_verdict {
    const char *text; /* as written in the scenario */
    int known;        /* measured by this run */
    int met;
    int uncertain;     /* the interval straddles the threshold */
    double mean, half; /* of the measure, in the objective's unit */
    int beyond;        /* mean is a lower bound (app_verdict.beyond) */
} rep_verdict;

/* The report as a JSON tree: deterministic (same summary, same tree). verdicts may be NULL
 * (nv 0). bill (may be NULL) is the month's bill line by line, each line's quantity and cost
 * the mean across replications (app_add_costs). Caller json_decref's it; NULL when out of
 * memory. */
json_t *rep_doc(const eng_summary *sum, const char *scenario_path, const rep_verdict *verdicts,
                size_t nv, const cost_month *bill);

/* A tree as the report's text (caller frees); NULL when out of memory. */
char *rep_text(const json_t *doc);

/* rep_text(rep_doc(...)): the report as JSON text. Caller frees; NULL when out of memory. */
char *rep_json(const eng_summary *sum, const char *scenario_path, const rep_verdict *verdicts,
               size_t nv, const cost_month *bill);

/* Writes report text (rep_text's) as DIR/report.json (DIR created if missing), atomically:
 * readers never see half a report. The full path is copied into path_out (if not NULL). */
int rep_write_text(const char *text, const char *dir, char *path_out, size_t path_len,
                   base_err *err);

/* ---------------------------------------------------------------- the gate's results */

/* A check of `simulate check`: judged on the mean across replications. UNCERTAIN is a pass
 * whose interval straddles the threshold; SKIP what the run cannot measure (never a pass). */
typedef enum rep_status { REP_PASS, REP_UNCERTAIN, REP_FAIL, REP_SKIP, REP_NSTATUS } rep_status;

const char *rep_status_word(rep_status s); /* "PASS", "UNCERTAIN", "FAIL", "SKIP" */
const char *rep_status_icon(rep_status s); /* the Markdown's emoji */

#define REP_MAX_CHECKS (MDL_MAX_OBJECTIVES + 2) /* the objectives, --budget, --max-increase */

typedef struct rep_check {
    char name[160];     /* the objective as written, "budget: ...", "max increase: ..." */
    rep_status status;  /* on the mean */
    int uncertain;      /* the interval straddles the threshold (also on a FAIL) */
    char measured[192]; /* "158.9 ± 0 ms", or why it is skipped */
    char threshold[96]; /* "< 300 ms" */
} rep_check;

/* A baseline run's costs, as read from its report.json. */
typedef struct rep_baseline {
    char source[4200];       /* as the output names it: the path, or "run N of STORE" */
    char name[MDL_NAME_MAX]; /* its scenario.name; "" when the report has none */
    int replications;        /* its replications; 0 when the report does not say */
    double total;            /* figures.monthly_cost.mean, USD */
    double part[COST_NPARTS];
    int has_part[COST_NPARTS]; /* the report has figures.<cost_part_key(k)> */
} rep_baseline;

/* One scenario's result under the gate: what the outputs need once its run is released. */
typedef struct rep_outcome {
    const char *file;
    char name[MDL_NAME_MAX];
    char engine[16];
    uint64_t seed;
    int replications;
    char report[4096];
    char pack[4200]; /* review.pdf's path; empty when no pack was written */
    int priced;
    double month_hours;
    long long now_c[COST_NPARTS]; /* each part's mean, cents */
    long long total_c;            /* monthly_cost's mean, cents */
    double total, total_half;     /* USD; half NaN with one replication */
    const rep_baseline *base;     /* NULL: none given, or none matched */
    char note[256];               /* a warning about the baseline ("" none): another count of
                                   * replications, say */
    rep_check checks[REP_MAX_CHECKS];
    size_t n;
} rep_outcome;

/* How many of the outcome's checks have status s. */
size_t rep_outcome_count(const rep_outcome *oc, rep_status s);

/* The gate's checks as JUnit XML (one testsuite per scenario) into b. */
void rep_junit(base_buf *b, const rep_outcome *oc, size_t n);

/* The gate's pull-request comment as GitHub Markdown into b, behind the hidden marker a
 * workflow finds to update it. nbaselines: how many --baseline were given (to say "no baseline
 * matched" rather than nothing). */
void rep_markdown(base_buf *b, const rep_outcome *oc, size_t n, int nbaselines);

/* ---------------------------------------------------------------- money and change as text */

/* US dollars to whole cents, half away from zero: the unit the gate compares money in. */
long long rep_cents(double usd);

/* Cents as dollars, cost_format's way ("$1,234.50"); returns buf (32 bytes suffice). */
const char *rep_money_cents(long long cents, char *buf, size_t len);

/* A difference with its sign: "+$12.50", "-$3.00", "$0.00". */
const char *rep_signed_money_cents(long long cents, char *buf, size_t len);

/* A change in percent: "+10.0%", "+0.0041%"; "new" from nothing. */
const char *rep_pct_change(long long now, long long base, char *buf, size_t len);

/* ---------------------------------------------------------------- a stored run as CSV */

/* Run `id` of an open results store as CSV for spreadsheets and notebooks (export.c): DIR/
 * series.csv (replication, then the series' columns, units in their names; one row per time
 * step per replication, then the mean across replications as replication "mean") and DIR/
 * figures.csv (figure, unit, replication, value, ci_low, ci_high: each figure's mean with its
 * 95% interval as replication "mean", then each replication's value). RFC 4180, numbers
 * round-trippable, same store same bytes. The two paths go to series_path and figures_path
 * (path_len each). BASE_EINPUT when there is no such run. */
struct store;
int rep_export_csv(struct store *st, int64_t id, const char *dir, char *series_path,
                   char *figures_path, size_t path_len, base_err *err);

#endif
