/*
 * compare.c — `simulate compare`: variants side by side, on the same random traffic.
 *
 *   simulate compare A.yaml B.yaml ...     each file a variant
 *   simulate compare SCENARIO.yaml         its `variants:`, and its `sweep:` if it has one
 *
 * The comparison itself (common random numbers, paired differences, the sweep, compare.json,
 * its record in the results store) is app_compare (app/compare.c); here are its options and
 * its table on the terminal.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cmp_cli {
    app_compare_opts o;
    int json;
    int quiet;
} cmp_cli;

static const cli_flag options[] = {
    {"seed", 's', true, "N", "seed of every variant"},
    {"replications", 'r', true, "N", "replications of every variant (1-1024)"},
    CLI_FLAG_JOBS,
    {"output", 'o', true, "DIR", "where compare.json goes (default out/compare-NAME/)"},
    CLI_FLAG_RUN_DB,
    {"format", 'f', true, "FMT", "text (default) or json on stdout"},
    {"profile", 0, true, "P", "the sweep's month: steady, or daily as well (sweep.profile)"},
    CLI_FLAG_QUIET,
    CLI_FLAG_HELP,
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char help_text[] =
    "usage: simulate compare [options] A.yaml B.yaml ...\n"
    "       simulate compare [options] SCENARIO.yaml   (its variants and sweep)\n"
    "\n"
    "Runs every variant with the same seed and replications (common random\n"
    "numbers) and shows them side by side, with the differences from the first\n"
    "and their 95% confidence intervals over paired replications. The comparison\n"
    "is recorded in the results store (simulate history).\n\n"
    "options:";

static int on_arg(void *ctx, const cli_arg *x)
{
    cmp_cli *c = ctx;
    if (x->word) {
        if (c->o.nfiles >= APP_MAX_VARIANTS)
            return cli_usage_error("compare", "at most %s files", "16");
        c->o.files[c->o.nfiles++] = x->word;
        return 0;
    }
    const char *n = x->flag->lng, *val = x->value;
    if (!strcmp(n, "profile")) {
        if (strcmp(val, "steady") && strcmp(val, "daily"))
            return cli_usage_error("compare", "--profile must be steady or daily, not '%s'", val);
        c->o.profile = 1 + (!strcmp(val, "daily") ? MDL_SWEEP_DAILY : MDL_SWEEP_STEADY);
        return 0;
    }
    if (!strcmp(n, "format")) {
        if (strcmp(val, "text") && strcmp(val, "json"))
            return cli_usage_error("compare", "--format must be text or json, not '%s'", val);
        c->json = !strcmp(val, "json");
        return 0;
    }
    /* the options a run takes, read as a run reads them, then kept for every variant */
    app_run_opts ro = {0};
    if (cli_run_option("compare", n, val, &ro) > 0)
        return CLI_EXIT_INPUT;
    if (ro.has_seed) {
        c->o.has_seed = 1;
        c->o.seed = ro.seed;
    }
    if (ro.replications)
        c->o.replications = ro.replications;
    if (ro.jobs)
        c->o.jobs = ro.jobs;
    if (ro.output)
        c->o.output = ro.output;
    if (ro.db)
        c->o.db = ro.db;
    c->quiet |= ro.quiet;
    return 0;
}

static const cli_command command = {"compare", options, NOPTIONS, on_arg, help_text, NULL};

static void cell(char *buf, size_t len, double mean, double half)
{
    if (fabs(mean) >= 1000)
        cli_grouped(buf, len, mean, 0);
    else if (fabs(mean) >= 10)
        snprintf(buf, len, "%.1f", mean);
    else
        snprintf(buf, len, "%.3g", mean);
    if (isfinite(half)) {
        size_t l = strlen(buf);
        /* rounding noise of a difference that is exactly constant across replications */
        if (fabs(half) < 1e-9 * (fabs(mean) > 1 ? fabs(mean) : 1))
            half = 0;
        char g[48];
        if (fabs(half) >= 1000)
            snprintf(buf + l, len - l, " ± %s", cli_grouped(g, sizeof g, half, 0));
        else if (fabs(half) >= 10)
            snprintf(buf + l, len - l, " ± %.1f", half);
        else
            snprintf(buf + l, len - l, " ± %.2g", half);
    }
}

static void print_table(FILE *f, const app_compare_result *r)
{
    fprintf(f, "\n  %-26s", "");
    for (size_t i = 0; i < r->n; i++)
        fprintf(f, " %22s", r->runs[i].name);
    for (size_t i = 1; i < r->n; i++) {
        char h[160];
        snprintf(h, sizeof h, "%s − %s", r->runs[i].name, r->runs[0].name);
        fprintf(f, " %24s", h);
    }
    fputc('\n', f);
    for (size_t k = 0; k < app_compare_nrows; k++) {
        const eng_figure *f0 = eng_summary_figure(&r->runs[0].sum, app_compare_rows[k].key);
        int any = 0;
        for (size_t i = 0; i < r->n; i++)
            any = any || eng_summary_figure(&r->runs[i].sum, app_compare_rows[k].key);
        if (!any)
            continue;
        fprintf(f, "  %-26s", app_compare_rows[k].label);
        for (size_t i = 0; i < r->n; i++) {
            const eng_figure *fi = eng_summary_figure(&r->runs[i].sum, app_compare_rows[k].key);
            char c[64] = "–";
            if (fi)
                cell(c, sizeof c, fi->ci.mean, fi->ci.half);
            fprintf(f, " %22s", c);
        }
        for (size_t i = 1; i < r->n; i++) {
            const eng_figure *fi = eng_summary_figure(&r->runs[i].sum, app_compare_rows[k].key);
            char c[64] = "–";
            if (f0 && fi) {
                stat_ci d = app_paired(f0, fi, r->runs[0].sum.replications);
                cell(c, sizeof c, d.mean, d.half);
                if (d.mean > 0 && c[0] != '-') {
                    memmove(c + 1, c, strlen(c) + 1);
                    c[0] = '+';
                }
            }
            fprintf(f, " %24s", c);
        }
        fputc('\n', f);
    }
    if (r->runs[0].nv > 0) {
        fprintf(f, "  %-26s", "objectives");
        for (size_t i = 0; i < r->n; i++) {
            size_t met = 0, known = 0;
            for (size_t j = 0; j < r->runs[i].nv; j++) {
                known += r->runs[i].v[j].known;
                met += r->runs[i].v[j].known && r->runs[i].v[j].met;
            }
            char c[64];
            snprintf(c, sizeof c, "%zu of %zu met", met, known);
            fprintf(f, " %22s", c);
        }
        fputc('\n', f);
    }
}

/* The sweep's table: each variant's cost at each load, the cheapest that meets the objectives,
 * where costs cross, and where one variant meets the objectives the first misses. */
static void print_sweep(FILE *f, const app_compare_result *r)
{
    const app_sweep_point *pts = r->pts;
    int npts = r->npts;
    char a[48], b[48], c2[48];
    fprintf(f, "\n  sweep: peak %s from %s to %s in %d steps\n",
            r->by_rate ? "requests/s" : "users", cli_grouped(a, sizeof a, r->sweep_from, 0),
            cli_grouped(b, sizeof b, r->sweep_to, 0), npts);
    fprintf(f, "  %12s", "peak load");
    for (size_t i = 0; i < r->n; i++)
        fprintf(f, " %24s", r->runs[i].name);
    fprintf(f, "   %s\n", "cheapest that meets the objectives");
    for (int k = 0; k < npts; k++) {
        fprintf(f, "  %12s", cli_grouped(a, sizeof a, pts[k].load, 0));
        for (size_t i = 0; i < r->n; i++) {
            char c[64];
            if (pts[k].priced)
                snprintf(c, sizeof c, "$%s ±%s/mo %s", cli_grouped(a, sizeof a, pts[k].cost[i], 0),
                         cli_grouped(b, sizeof b, pts[k].cost_half[i], 0),
                         pts[k].met[i] ? "ok" : "MISSES");
            else
                snprintf(c, sizeof c, "p99 %sms %s", cli_grouped(a, sizeof a, pts[k].p99[i], 0),
                         pts[k].met[i] ? "ok" : "MISSES");
            fprintf(f, " %24s", c);
        }
        int best = pts[k].priced ? app_cheapest_met(&pts[k], r->n) : -1;
        fprintf(f, "   %s\n", best >= 0 ? r->runs[best].name : (pts[k].priced ? "none" : "–"));
    }
    if (r->daily) {
        fprintf(f, "  on a daily profile (%s h a day at the peak, %.0f%% of it the rest):\n",
                cli_grouped(a, sizeof a, r->peak_hours, 0), 100 * r->off_peak);
        for (int k = 0; k < npts; k++) {
            fprintf(f, "  %12s", cli_grouped(a, sizeof a, pts[k].load, 0));
            for (size_t i = 0; i < r->n; i++) {
                char c[64];
                snprintf(c, sizeof c, "$%s ±%s/mo",
                         cli_grouped(a, sizeof a, pts[k].cost_daily[i], 0),
                         cli_grouped(b, sizeof b, pts[k].cost_daily_half[i], 0));
                fprintf(f, " %24s", c);
            }
            fputc('\n', f);
        }
    }
    for (size_t i = 0; pts[0].priced && i < r->n; i++)
        for (size_t j = i + 1; j < r->n; j++) {
            int at;
            double x = app_crossover(pts, npts, i, j, &at);
            if (!isfinite(x))
                continue;
            size_t hi = pts[npts - 1].cost[i] < pts[npts - 1].cost[j] ? i : j;
            fprintf(f, "  %s becomes cheaper than %s at a peak of about %s (between %s and %s)\n",
                    r->runs[hi].name, r->runs[hi == i ? j : i].name, cli_grouped(a, sizeof a, x, 0),
                    cli_grouped(b, sizeof b, pts[at - 1].load, 0),
                    cli_grouped(c2, sizeof c2, pts[at].load, 0));
        }
    for (size_t i = 1; i < r->n; i++)
        for (int k = 0; k < npts; k++)
            if (pts[k].met[i] != pts[k].met[0]) {
                fprintf(f, "  at %s, %s %s the objectives and %s %s them\n",
                        cli_grouped(a, sizeof a, pts[k].load, 0), r->runs[i].name,
                        pts[k].met[i] ? "meets" : "misses", r->runs[0].name,
                        pts[k].met[0] ? "meets" : "misses");
                break;
            }
}

int cli_compare(int argc, char **argv)
{
    cmp_cli c;
    memset(&c, 0, sizeof c);
    int st = cli_parse(&command, argc, argv, &c);
    if (st)
        return st == CLI_PARSE_STOP ? CLI_EXIT_OK : st;
    if (c.o.nfiles == 0)
        return cli_usage_error("compare", "%s", "name the scenarios to compare");
    /* found before the variants run */
    if ((st = cli_check_output("--output", c.o.output, 1)) ||
        (st = cli_check_output("--db", c.o.db, 0)))
        return st;
    base_err err;
    base_err_clear(&err);
    app_compare_result *r = cli_new_result(sizeof *r);
    if (!r)
        return CLI_EXIT_FAILURE;
    st = app_compare(&c.o, r, &err);
    if (st != BASE_OK)
        return cli_failed(st, &err, r);
    if (r->remote) { /* an MPI rank other than 0: rank 0 reports */
        free(r);
        return CLI_EXIT_OK;
    }
    if (!c.quiet && c.json) {
        char *text = json_dumps(r->doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        if (text)
            puts(text);
        free(text);
    } else if (!c.quiet) {
        printf("simulate %s compare · %zu variants · %d replications each · seed %llu · common "
               "random numbers\nmean ± 95%% CI; differences over paired replications\n",
               SIMULATE_VERSION, r->n, r->replications, (unsigned long long)r->seed);
        print_table(stdout, r);
        if (r->npts > 0)
            print_sweep(stdout, r);
        printf("\nreport: %s\ncharts and pack: %s/, %s\nrecorded as run %lld\n", r->path, r->dir,
               r->pack, (long long)r->run_id);
    }
    app_compare_clear(r);
    free(r);
    return CLI_EXIT_OK;
}
