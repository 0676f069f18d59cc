/*
 * pack_plan.c — the design-review pack of a plan (plot_pack on `simulate plan`'s plan.json,
 * docs/plan.md): page 1 says what to deploy — the planner's winner knob by knob, its figures
 * with their 95% intervals and each objective's verdict, whether fresh random numbers confirmed
 * it — and what the search did; then a page per plan chart of the set (the Pareto frontier,
 * plots/pareto.yaml); then the runners-up with what each missed, and how each knob moves cost
 * and latency at the winner.
 *
 * The same page frame, text and tables as a run's pack (pack.c).
 */
#include "plot/pack_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* "mean ± half unit" of plan.json's figure object, or "n/a". */
static void ci_text(const json_t *fig, const char *unit, char *buf, size_t n)
{
    pl_format_ci(pl_num(json_object_get(fig, "mean")),
                 pl_num(json_object_get(fig, "ci95_half_width")), unit, buf, n);
}

/* The winner's knobs and figures, one row each. */
static void winner_table(pk_pack *k, const json_t *w)
{
    static const pk_column cols[] = {{"knob or figure", 0.4, 0}, {"the winner's", 0.6, 0}};
    const pk_table t = {cols, 2, PM, 520, "The planner's winner", 8.5};
    pk_table_start(k, &t);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(w, "configuration"), key, v)
    {
        const char *cells[] = {key, pl_str(v, "?")};
        pk_table_row(k, &t, cells, 1, NULL);
    }
    static const struct {
        const char *key, *label, *unit;
    } figs[] = {{"monthly_cost", "monthly cost (USD a month)", "USD"},
                {"api_latency_p99", "API latency p99", "ms"},
                {"rto", "RTO of the first failure", "s"}};
    const json_t *f = json_object_get(w, "figures");
    for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
        if (!json_object_get(f, figs[i].key))
            continue;
        char a[128];
        ci_text(json_object_get(f, figs[i].key), figs[i].unit, a, sizeof a);
        const char *cells[] = {figs[i].label, a};
        pk_table_row(k, &t, cells, 0, NULL);
    }
}

/* Each objective of the winner with its verdict and its measured mean. */
static void objectives_table(pk_pack *k, const json_t *w)
{
    static const pk_column cols[] = {
        {"objective", 0.45, 0}, {"verdict", 0.2, 0}, {"mean ± 95% interval", 0.35, 1}};
    const pk_table t = {cols, 3, PM, 620, "Objectives", 8.5};
    pk_table_start(k, &t);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(w, "objectives"), i, o)
    {
        const char *fail = pl_str(json_object_get(o, "failure"), NULL);
        char name[256], a[128];
        snprintf(name, sizeof name, "%s%s%s", pl_str(json_object_get(o, "objective"), "?"),
                 fail ? " through " : "", fail ? fail : "");
        pl_format_ci(pl_num(json_object_get(o, "mean")),
                     pl_num(json_object_get(o, "ci95_half_width")),
                     pl_str(json_object_get(o, "unit"), ""), a, sizeof a);
        const char *st = pl_str(json_object_get(o, "status"), "?");
        pl_rgb grey = pl_grey(0.08),
               c = strcmp(st, "met") == 0 ? pl_palette(PL_BLUISH_GREEN) : pl_palette(PL_VERMILLION);
        const pl_rgb colours[] = {grey, c, grey};
        const char *cells[] = {name, st, a};
        pk_table_row(k, &t, cells, 0, colours);
    }
}

static void search_text(pk_pack *k, const json_t *doc)
{
    char buf[1024];
    const json_t *s = json_object_get(doc, "search");
    snprintf(buf, sizeof buf,
             "What the search did: %lld configurations in the space: %lld ruled out by the "
             "queueing bounds, %lld made "
             "unnecessary by bisection, %lld simulated (%.2f%%) with %lld replications in all.",
             (long long)json_integer_value(json_object_get(s, "space")),
             (long long)json_integer_value(json_object_get(s, "pruned")),
             (long long)json_integer_value(json_object_get(s, "skipped_by_bisection")),
             (long long)json_integer_value(json_object_get(s, "simulated")),
             100 * pl_num(json_object_get(s, "simulated_fraction")),
             (long long)json_integer_value(json_object_get(s, "replications")));
    pk_paragraph(k, buf, BODY, 0, pl_grey(0.3));
}

static void what_to_deploy(pk_pack *k, const json_t *doc)
{
    char buf[2048];
    const json_t *w = json_object_get(doc, "winner");
    pk_title_page(k, "Design review of a plan: what to deploy, then how the search found it");
    snprintf(buf, sizeof buf,
             "simulate plan %s: the cheapest configuration of the plan's knobs that meets every "
             "objective at %.0f%% confidence (minimised: %s), %s engine, seed %s, simulate %s.",
             pl_str(json_object_get(doc, "scenario"), "?"),
             100 * pl_num(json_object_get(doc, "confidence")),
             pl_str(json_object_get(doc, "minimise"), "?"),
             pl_str(json_object_get(doc, "engine"), "?"), pl_str(json_object_get(doc, "seed"), "?"),
             pl_str(json_object_get(doc, "simulate_version"), "?"));
    pk_paragraph(k, buf, BODY, 0, pl_grey(0.3));
    search_text(k, doc);
    k->y += 4;
    if (!json_is_object(w)) {
        pk_heading(k, "What to deploy", 13);
        pk_paragraph(k,
                     "Nothing in the space is feasible: no configuration met every objective at "
                     "the stated confidence. The runners-up say what each missed and by how much.",
                     BODY + 1, 1, pl_palette(PL_VERMILLION));
        return;
    }
    winner_table(k, w);
    const json_t *c = json_object_get(w, "confirmation");
    snprintf(buf, sizeof buf,
             "%lld replications; %s. Re-run with fresh random numbers (seed %s, %lld "
             "replications): %s.",
             (long long)json_integer_value(json_object_get(w, "replications")),
             json_integer_value(json_object_get(w, "indistinguishable_from")) > 0
                 ? "statistically indistinguishable in cost from other feasible ones"
                 : "no other feasible configuration is as cheap within its interval",
             pl_str(json_object_get(c, "seed"), "?"),
             (long long)json_integer_value(json_object_get(c, "replications")),
             json_is_true(json_object_get(c, "confirmed"))
                 ? "confirmed, every objective's mean holds"
                 : "NOT confirmed, an objective's mean missed");
    k->y += 2;
    pk_paragraph(k, buf, BODY, 0, pl_grey(0.3));
    objectives_table(k, w);
}

/* "met; missed rto < 30m by 2,019 s; ..." of a runner-up's objectives it did not meet. */
static void missed_text(const json_t *r, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    size_t j;
    json_t *m;
    json_array_foreach(json_object_get(r, "missed"), j, m)
    {
        if (len >= n)
            break;
        char by[64];
        double v = pl_num(json_object_get(m, "by"));
        pl_format_ci(fabs(v), NAN, pl_str(json_object_get(m, "unit"), ""), by, sizeof by);
        /* an undecided objective met at the mean has a negative "by": its margin inside the
         * limit, not a miss of "-93.8 s" */
        len += (size_t)snprintf(buf + len, n - len,
                                v < 0 ? "%s%s %s (inside the limit by %s at the mean)"
                                      : "%s%s %s by %s",
                                len ? "; " : "", pl_str(json_object_get(m, "status"), "?"),
                                pl_str(json_object_get(m, "objective"), "?"), by);
    }
    if (!len)
        snprintf(buf, n, "–");
}

static void runners_up(pk_pack *k, const json_t *doc)
{
    static const pk_column cols[] = {{"monthly cost", 0.16, 1},
                                     {"status, replications", 0.14, 0},
                                     {"configuration", 0.4, 0},
                                     {"what it missed, and by how much", 0.3, 0}};
    const pk_table t = {cols, 4, PM, PAGE_W - 2 * PM, "The runners-up, by the minimised figure", 9};
    const json_t *ru = json_object_get(doc, "runners_up");
    pk_page_begin(k);
    if (json_array_size(ru) == 0) {
        pk_heading(k, t.title, 13);
        pk_paragraph(k, "None: the winner was the only configuration simulated.", BODY, 0,
                     pl_grey(0.3));
    } else {
        pk_table_start(k, &t);
    }
    size_t i;
    json_t *r;
    json_array_foreach(ru, i, r)
    {
        char cost[64], st[64], cfg[1400], missed[1024];
        ci_text(json_object_get(json_object_get(r, "figures"), "monthly_cost"), "USD", cost,
                sizeof cost);
        snprintf(st, sizeof st, "%s, %lld", pl_str(json_object_get(r, "status"), "?"),
                 (long long)json_integer_value(json_object_get(r, "replications")));
        pk_configuration_text(json_object_get(r, "configuration"), cfg, sizeof cfg);
        missed_text(r, missed, sizeof missed);
        const char *cells[] = {cost, st, cfg, missed};
        pk_table_row(k, &t, cells, 0, NULL);
    }
}

/* One step of a knob at the winner: "to V: +$12 a month, -3 ms p99". */
static void step_text(const json_t *st, char *buf, size_t n)
{
    if (!json_is_object(st)) {
        snprintf(buf, n, "–");
        return;
    }
    char usd[64];
    double dc = pl_num(json_object_get(st, "monthly_cost_change"));
    pl_format_usd(fabs(dc), usd, sizeof usd);
    snprintf(
        buf, n, "to %s: %s%s a month, %+.3g ms p99%s", pl_str(json_object_get(st, "value"), "?"),
        dc < 0 ? "-" : "+", usd, pl_num(json_object_get(st, "api_latency_p99_change_ms")),
        json_is_false(json_object_get(st, "feasible_at_screening")) ? " (clearly infeasible)" : "");
}

static void sensitivity(pk_pack *k, const json_t *doc)
{
    const json_t *sens = json_object_get(doc, "sensitivity");
    if (json_array_size(sens) == 0)
        return;
    static const pk_column cols[] = {
        {"knob", 0.3, 0}, {"one step down", 0.35, 0}, {"one step up", 0.35, 0}};
    const pk_table t = {cols,
                        3,
                        PM,
                        PAGE_W - 2 * PM,
                        "What each knob moves at the winner (one step, paired replications)",
                        0};
    k->y += 10;
    pk_table_start(k, &t);
    size_t i;
    json_t *r;
    json_array_foreach(sens, i, r)
    {
        char down[256], up[256];
        step_text(json_object_get(r, "step_down"), down, sizeof down);
        step_text(json_object_get(r, "step_up"), up, sizeof up);
        const char *cells[] = {pl_str(json_object_get(r, "knob"), "?"), down, up};
        pk_table_row(k, &t, cells, 0, NULL);
    }
}

int pk_plan(pk_pack *k, base_err *err)
{
    what_to_deploy(k, k->doc);
    int st = pk_chart_pages(k, err);
    if (st == BASE_OK) {
        runners_up(k, k->doc);
        sensitivity(k, k->doc);
    }
    return st;
}
