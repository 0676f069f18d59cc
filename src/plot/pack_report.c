/*
 * pack_report.c — a report's design-review pack: page 1 (pack_decision.c), the architecture
 * with the figures on each tier, the headline figures beside the objectives, a page per
 * chart, recovery from failures (with a region failure's runbook), the cost table, and the
 * assumptions (pack_appendix.c).
 */
#include "plot/pack_internal.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report_title(pk_pack *k)
{
    const json_t *doc = k->doc;
    cairo_t *cr = k->cr;
    char buf[1024];
    pk_page_begin(k);
    pk_heading(k, "Headline figures and objectives", 16);
    (void)doc;

    /* headline figures (left) and the objectives (right), side by side */
    static const pl_word heads[] = {
        {"requests", "requests (in the window)"},
        {"throughput", "throughput"},
        {"error_rate", "error rate"},
        {"api_latency_p50", "API latency p50"},
        {"api_latency_p95", "API latency p95"},
        {"api_latency_p99", "API latency p99"},
        {"peak_pods_ready", "peak pods Ready"},
        {"peak_nodes", "peak nodes"},
        {"database_utilisation", "database CPU utilisation"},
        {"monthly_cost", "monthly cost"},
        {"cost_per_million", "cost per million requests"},
    };
    static const pk_column fcols[] = {{"figure", 0.48, 0}, {"mean ± 95% CI", 0.52, 1}};
    double y0 = k->y;
    int page0 = k->page;
    pk_table tf = {fcols, 2, PM, (PAGE_W - 2 * PM) * 0.46, "Headline figures"};
    pk_table_start(k, &tf);
    const json_t *figs = json_object_get(doc, "figures");
    size_t shown = 0;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        pl_fig f;
        if (!pl_fig_get(figs, heads[i].key, &f))
            continue;
        pl_format_ci(f.mean, f.half, f.unit, buf, sizeof buf);
        const char *cells[2] = {heads[i].label, buf};
        pk_table_row(k, &tf, cells, 0, NULL);
        shown++;
    }
    if (shown == 0) {
        const char *cells[2] = {"(the report has no figures)", ""};
        pk_table_row(k, &tf, cells, 0, NULL);
    }
    double yl = k->y;
    int pl = k->page;
    if (k->page == page0)
        k->y = y0;
    static const pk_column ocols[] = {
        {"objective", 0.42, 0}, {"measured ± 95% CI", 0.28, 1}, {"verdict", 0.30, 0}};
    double ox = PM + (PAGE_W - 2 * PM) * 0.52;
    pk_table to = {ocols, 3, ox, PAGE_W - PM - ox, "Objectives"};
    const json_t *objs = json_object_get(doc, "objectives");
    pl_font(cr, 13, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    pl_text(cr, ox, k->y, "Objectives", 0, 0);
    k->y += pl_line_height(cr) + 8;
    to.title = NULL;
    if (json_array_size(objs) == 0) {
        pl_font(cr, BODY, 0);
        pl_set_rgb(cr, pl_grey(0.25));
        k->y += pk_wrapped(cr, "The scenario sets no objectives.", ox, k->y, to.w, 0, 1) *
                pl_line_height(cr) * 1.1;
    } else {
        pk_table_head(k, &to);
        to.title = "Objectives";
        for (size_t i = 0; i < json_array_size(objs); i++) {
            const json_t *o = json_array_get(objs, i);
            char meas[128];
            pl_format_ci(pl_num(json_object_get(o, "measured")),
                         pl_num(json_object_get(o, "ci95_half_width")), "", meas, sizeof meas);
            pl_rgb colours[3] = {pl_grey(0.08), pl_grey(0.08), pl_grey(0.08)};
            const char *cells[3] = {pl_str(json_object_get(o, "objective"), "?"), meas,
                                    pk_verdict_text(o, &colours[2])};
            pk_table_row(k, &to, cells, 0, colours);
        }
    }
    if (k->page == pl && k->y < yl)
        k->y = yl;
    k->y += 12;
    pk_paragraph(k,
                 "Figures are the mean over the replications and the half-width of its 95% "
                 "confidence interval (Student's t); with one replication there is no interval. "
                 "An objective is uncertain when its interval straddles the threshold: more "
                 "replications would tell.",
                 9, 0, pl_grey(0.35));
}

static void report_cost(pk_pack *k)
{
    pk_page_begin(k);
    pk_heading(k, "Monthly cost by component", 16);
    const json_t *figs = json_object_get(k->doc, "figures");
    pl_cost_part parts[32];
    size_t n = pl_cost_parts(figs, parts, 32);
    if (n == 0) {
        pk_paragraph(k,
                     "The report has no cost figures: the run had no pricing file "
                     "(docs/cost-model.md).",
                     BODY, 0, pl_grey(0.2));
        return;
    }
    pk_explain(k,
               "What the architecture costs for a 730-hour month at this run's usage (the "
               "measured window's usage scaled to the month, list prices; docs/cost-model.md). "
               "Mean over the replications ± half-width of the 95% confidence interval.",
               6);
    pl_fig total = pl_cost_total(figs, parts, n);
    static const pk_column cols[] = {{"component", 0.40, 0},
                                     {"monthly (USD)", 0.20, 1},
                                     {"± 95% CI (USD)", 0.20, 1},
                                     {"share of the total", 0.20, 1}};
    pk_table t = {cols, 4, PM, (PAGE_W - 2 * PM) * 0.75, "Monthly cost by component"};
    pk_table_head(k, &t);
    char m[64], h[64], s[64];
    for (size_t i = 0; i < n; i++) {
        pl_format_usd(parts[i].fig.mean, m, sizeof m);
        if (isfinite(parts[i].fig.half))
            pl_format_usd(parts[i].fig.half, h, sizeof h);
        else
            snprintf(h, sizeof h, "–");
        if (total.mean > 0 && parts[i].fig.mean > 0 && 100 * parts[i].fig.mean / total.mean < 0.1)
            snprintf(s, sizeof s, "<0.1%%"); /* as the cost chart says it, not "0.0%" */
        else if (total.mean > 0 && parts[i].fig.mean == 0)
            snprintf(s, sizeof s, "0%%"); /* none: the run did not pay for it */
        else if (total.mean > 0)
            snprintf(s, sizeof s, "%.1f%%", 100 * parts[i].fig.mean / total.mean);
        else
            snprintf(s, sizeof s, "–");
        const char *cells[4] = {parts[i].label, m, h, s};
        pk_table_row(k, &t, cells, 0, NULL);
    }
    pl_format_usd(total.mean, m, sizeof m);
    if (isfinite(total.half))
        pl_format_usd(total.half, h, sizeof h);
    else
        snprintf(h, sizeof h, "–");
    const char *cells[4] = {"total", m, h, "100%"};
    pk_table_row(k, &t, cells, 1, NULL);
    k->y += 10;
    pl_fig pm;
    if (pl_fig_get(figs, "cost_per_million", &pm)) {
        char buf[160], v[96];
        pl_format_ci(pm.mean, pm.half, "USD", v, sizeof v);
        snprintf(buf, sizeof buf, "Cost per million requests: %s.", v);
        pk_paragraph(k, buf, BODY, 0, pl_grey(0.15));
    }
}

/* Page 2: the architecture with the figures on each tier. */
static void report_diagram(pk_pack *k)
{
    pk_page_begin(k);
    pk_heading(k, "The architecture as simulated", 16);
    pk_paragraph(k,
                 "The seed's request path (seed §3) left to right, with what the run measured on "
                 "each tier: mean rates over the measured window, peaks, the API's p99, and each "
                 "tier's dollars a month (the cost table has every line).",
                 BODY, 0, pl_grey(0.3));
    pl_diagram(k->cr, PM, k->y + 10, PAGE_W - 2 * PM, BOTTOM - k->y - 20, k->doc);
}

/* The failures of the seed's HA table that happened (every occurrence, all replications) against
 * their targets, and a region failure's runbook step by step beside the seed's figures. */
static void report_recovery(pk_pack *k)
{
    const json_t *rec = json_object_get(k->doc, "recovery");
    if (!json_is_object(rec))
        return;
    pk_page_begin(k);
    pk_heading(k, "Recovery from failures", 16);
    pk_explain(k,
               "RTO: from the failure until users are served again — the first minute-long window "
               "whose error rate is back under the paging alarm's threshold, not before the first "
               "request served. RPO: the data lost. Targets from the seed's high-availability "
               "table (§6.3); met when every occurrence is within them (docs/models.md, "
               "\"Failures\").",
               6);
    static const pk_column cols[] = {
        {"failure", 0.22, 0}, {"times", 0.07, 1},   {"RTO mean", 0.11, 1}, {"RTO max", 0.11, 1},
        {"target", 0.10, 1},  {"RPO max", 0.11, 1}, {"target", 0.10, 1},   {"verdict", 0.18, 0}};
    pk_table t = {cols, 8, PM, PAGE_W - 2 * PM, "Recovery from failures"};
    pk_table_head(k, &t);
    const json_t *rows = json_object_get(rec, "rows");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i), *rto = json_object_get(r, "rto"),
                     *rpo = json_object_get(r, "rpo");
        char n[32], rm[32], rx[32], rt[32], px[32], pt[32];
        snprintf(n, sizeof n, "%lld",
                 (long long)json_integer_value(json_object_get(r, "occurrences")));
        pk_duration_text(pl_num(json_object_get(rto, "mean_s")), rm, sizeof rm);
        pk_duration_text(pl_num(json_object_get(rto, "max_s")), rx, sizeof rx);
        pk_duration_text(pl_num(json_object_get(rto, "seed_target_s")), rt, sizeof rt);
        pk_duration_text(pl_num(json_object_get(rpo, "max_s")), px, sizeof px);
        pk_duration_text(pl_num(json_object_get(rpo, "seed_target_s")), pt, sizeof pt);
        bool ok =
            json_is_true(json_object_get(rto, "met")) && json_is_true(json_object_get(rpo, "met"));
        long long open = json_integer_value(json_object_get(rto, "unrecovered"));
        char verdict[64];
        snprintf(verdict, sizeof verdict, "%s%s", ok ? "met" : "MISSED",
                 open ? " (some not recovered)" : "");
        pl_rgb colours[8];
        for (int c = 0; c < 8; c++)
            colours[c] = pl_grey(0.08);
        colours[7] = ok ? pl_palette(PL_BLUISH_GREEN) : pl_palette(PL_VERMILLION);
        const char *cells[8] = {
            pl_str(json_object_get(r, "failure"), "?"), n, rm, rx, rt, px, pt, verdict};
        pk_table_row(k, &t, cells, 0, colours);
    }
    const json_t *steps = json_object_get(rec, "runbook");
    if (json_array_size(steps) == 0)
        return;
    k->y += 14;
    pk_heading(k, "The DR runbook as it went (seed §12.2)", 13);
    static const pk_column scols[] = {
        {"step", 0.40, 0}, {"measured, mean ± 95% CI", 0.35, 1}, {"the seed's figure", 0.25, 1}};
    pk_table st = {scols, 3, PM, (PAGE_W - 2 * PM) * 0.7, "The DR runbook"};
    pk_table_head(k, &st);
    double served = 0, done = 0, seed_served = 0, seed_done = 0;
    bool closed = false;
    for (size_t i = 0; i < json_array_size(steps); i++) {
        const json_t *x = json_array_get(steps, i);
        bool before = json_is_true(json_object_get(x, "before_users_served"));
        char m[32], h[32], p[32], both[80];
        double mean = pl_num(json_object_get(x, "mean_s")),
               seed = pl_num(json_object_get(x, "seed_s"));
        if (!before && !closed) {
            closed = true;
            pk_duration_text(served, m, sizeof m);
            pk_duration_text(seed_served, p, sizeof p);
            const char *cells[3] = {"= users served again (RTO)", m, p};
            pk_table_row(k, &st, cells, 1, NULL);
        }
        pk_duration_text(mean, m, sizeof m);
        pk_duration_text(pl_num(json_object_get(x, "ci95_half_width_s")), h, sizeof h);
        snprintf(both, sizeof both, "%s ± %s", m, h);
        pk_duration_text(seed, p, sizeof p);
        const char *cells[3] = {pl_str(json_object_get(x, "step"), "?"), both, p};
        pk_table_row(k, &st, cells, 0, NULL);
        if (isfinite(mean)) {
            done += mean;
            served += before ? mean : 0;
        }
        if (isfinite(seed)) {
            seed_done += seed;
            seed_served += before ? seed : 0;
        }
    }
    char m[32], p[32];
    pk_duration_text(done, m, sizeof m);
    pk_duration_text(seed_done, p, sizeof p);
    const char *cells[3] = {"runbook complete", m, p};
    pk_table_row(k, &st, cells, 1, NULL);
}

int pk_report(pk_pack *k, base_err *err)
{
    pk_decision(k);
    report_diagram(k);
    report_title(k);
    int st = pk_chart_pages(k, err);
    if (st != BASE_OK)
        return st;
    report_recovery(k);
    report_cost(k);
    pk_assumptions(k);
    return BASE_OK;
}
