/*
 * summary.c — the terminal summary: the figures people read first, each as mean ± half-width
 * of its 95% confidence interval across replications.
 */
#include "cli/cli.h"

#include <math.h>
#include <string.h>

/* 1234567.8 -> "1,234,568" (0 decimals), "1,234,567.8" (1) */
const char *cli_grouped(char *buf, size_t len, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", raw);
        return buf;
    }
    const char *dot = strchr(raw, '.');
    size_t n = dot ? (size_t)(dot - raw) : strlen(raw), o = 0;
    size_t start = raw[0] == '-' ? 1 : 0;
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        buf[o++] = raw[i];
        size_t left = n - i - 1;
        if (i >= start && left > 0 && left % 3 == 0)
            buf[o++] = ',';
    }
    buf[o] = '\0';
    if (dot && o < len)
        snprintf(buf + o, len - o, "%s", dot);
    return buf;
}

static int is_count(const char *unit)
{
    return !strcmp(unit, "requests") || !strcmp(unit, "pods") || !strcmp(unit, "nodes") ||
           !strcmp(unit, "notices");
}

const char *cli_figure_text(char *buf, size_t len, double v, const char *unit)
{
    if (is_count(unit))
        cli_grouped(buf, len, v, 0);
    else if (fabs(v) >= 100)
        cli_grouped(buf, len, v, 1);
    else if (fabs(v) >= 1)
        snprintf(buf, len, "%.2f", v);
    else
        snprintf(buf, len, "%.3g", v);
    return buf;
}

/* One figure's line, with `note` after its interval when not NULL. */
static void row_note(FILE *f, const eng_summary *sum, const char *key, const char *label,
                     const char *note)
{
    const eng_figure *fig = eng_summary_figure(sum, key);
    if (!fig)
        return;
    char mean[48];
    cli_figure_text(mean, sizeof mean, fig->ci.mean, fig->unit);
    if (fig->beyond) { /* a lower bound: the histograms' top, never a clamped value */
        char bound[sizeof mean + 2];
        snprintf(bound, sizeof bound, "> %s", mean);
        fprintf(f, "  %-26s %14s %-6s (beyond the histograms' range: a lower bound)\n", label,
                bound, fig->unit);
        return;
    }
    const char *unit = !strcmp(fig->unit, "requests") ? "" : fig->unit;
    if (is_count(fig->unit) && fig->ci.mean < 100 && fig->ci.mean != floor(fig->ci.mean)) {
        /* a small count averaged over replications: one decimal says it is a mean */
        snprintf(mean, sizeof mean, "%.1f", fig->ci.mean);
    }
    if (isfinite(fig->ci.half)) {
        char half[48];
        /* replications that agree to the last bits: rounding, not spread */
        double h = fig->ci.half <= 1e-9 * fabs(fig->ci.mean) ? 0 : fig->ci.half;
        cli_figure_text(half, sizeof half, h, fig->unit);
        fprintf(f, "  %-26s %14s %-6s ± %s", label, mean, unit, half);
    } else {
        fprintf(f, "  %-26s %14s %-6s (one replication: no interval)", label, mean, unit);
    }
    if (note)
        fprintf(f, "   %s", note);
    fputc('\n', f);
}

static void row(FILE *f, const eng_summary *sum, const char *key, const char *label)
{
    row_note(f, sum, key, label, NULL);
}

/* A figure's line: its key in the summary and the label it is printed under. */
typedef struct summary_line {
    const char *key, *label;
} summary_line;

/* The n lines in their order (row: a figure the run does not have prints nothing). */
static void rows(FILE *f, const eng_summary *sum, const summary_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        row(f, sum, lines[i].key, lines[i].label);
}
#define ROWS(f, sum, lines) rows(f, sum, lines, sizeof lines / sizeof lines[0])

/* The recovery beside the seed's HA table (§6.3), a line per row that happened: met when every
 * occurrence recovered within the target (the worst, not the mean). */
static void print_ha_rows(FILE *f, const eng_summary *sum)
{
    for (int k = 0; k < MDL_HA_ROWS; k++) {
        const mdl_ha_row *row = mdl_ha_row_of(mdl_ha_events[k]);
        double rto = 0, rpo = 0, lat = 0;
        int open = 0, lat_open = 0, n = 0, in = 0;
        for (int r = 0; r < sum->replications; r++) {
            const eng_rep *p = &sum->reps[r];
            int here = 0;
            for (size_t i = 0; i < p->nfaults; i++) {
                const eng_fault *x = &p->faults[i];
                if (x->type != (int)mdl_ha_events[k])
                    continue;
                here++;
                if (isnan(x->rto_s))
                    open++;
                else if (x->rto_s > rto)
                    rto = x->rto_s;
                if (isnan(x->rto_latency_s))
                    lat_open++;
                else if (x->rto_latency_s > lat)
                    lat = x->rto_latency_s;
                if (x->rpo_s > rpo)
                    rpo = x->rpo_s;
            }
            n += here;
            in += here > 0;
        }
        if (n == 0)
            continue;
        fprintf(f,
                "  seed §6.3, %s (%s), %d in %d replication%s: RTO target %.0f s, errors back "
                "worst %s%.0f s %s, latency back worst %s%.0f s %s; RPO target %.0f s, worst "
                "%.0f s %s\n",
                row->scenario, row->solution, n, in, in == 1 ? "" : "s", row->rto_s,
                open ? "unrecovered in some, else " : "", rto,
                !open && rto <= row->rto_s ? "met" : "MISSED",
                lat_open ? "not back in some, else " : "", lat,
                !lat_open && lat <= row->rto_s ? "met" : "MISSED", row->rpo_s, rpo,
                rpo <= row->rpo_s ? "met" : "MISSED");
    }
    size_t dropped = 0;
    for (int r = 0; r < sum->replications; r++)
        dropped += sum->reps[r].faults_dropped;
    if (dropped)
        fprintf(f, "  %zu more failures were played but not measured (at most %d a replication)\n",
                dropped, ENG_MAX_FAULTS);
}

/* The DR runbook as it went (means across replications) beside the seed's paper figure for
 * each step, where users were served again (the RTO), and its longest step. */
static void print_runbook(FILE *f, const eng_summary *sum)
{
    if (!eng_summary_figure(sum, eng_dr_step_keys[0]))
        return;
    fputs("  DR runbook (seed §12.2), minutes: mean of the replications [the seed's figure]\n   ",
          f);
    double total = 0, paper = 0, longest = -1;
    int lk = 0;
    for (int k = 0; k < ENG_DR_STEPS; k++) {
        const eng_figure *g = eng_summary_figure(sum, eng_dr_step_keys[k]);
        double m = g ? g->ci.mean / 60 : NAN, p = eng_dr_step_paper_s[k] / 60;
        if (k == ENG_DR_SMOKE) {
            const eng_figure *rto = eng_summary_figure(sum, "rto");
            const eng_figure *lat = eng_summary_figure(sum, "rto_latency");
            fprintf(
                f, "\n    = users served again: RTO %.1f min [%.0f]; latency back at %.1f min\n   ",
                rto ? rto->ci.mean / 60 : NAN, paper, lat ? lat->ci.mean / 60 : NAN);
        }
        fprintf(f, "%s %s", k ? " →" : "", eng_dr_step_names[k]);
        if (k == ENG_DR_DETECT) {
            int hc = 0;
            for (int r = 0; r < sum->replications; r++)
                hc += sum->reps[r].detected_by_health_check;
            if (hc == 0)
                fputs(" (error-rate alarm)", f);
            else if (hc == sum->replications)
                fputs(" (health check's alarm)", f);
            else
                fprintf(f, " (health check's alarm in %d of %d)", hc, sum->replications);
        }
        fprintf(f, " %.1f", m);
        fprintf(f, isnan(p) ? " [–]" : " [%.0f]", p);
        if (k == ENG_DR_PROMOTE)
            fputs("\n   ", f);
        if (isfinite(p))
            paper += p;
        if (isfinite(m)) {
            total += m;
            if (m > longest) {
                longest = m;
                lk = k;
            }
        }
    }
    fprintf(f, "\n    runbook complete after %.1f min [%.0f]; its longest step: %s (%.1f min)\n",
            total, paper, eng_dr_step_names[lk], longest);
}

/* The alarms that fired: in how many replications, and when first (mean of those it fired in);
 * one line for those that never did. */
static void print_alarms(FILE *f, const eng_summary *sum)
{
    const mdl_scenario *s = sum->scenario;
    if (s->nalarms == 0)
        return;
    fputs("\n  alarms (CloudWatch-style, on the simulated metrics)\n", f);
    static const char *const what[MDL_ALARM_NMETRIC] = {"error rate", "database CPU", "pod memory",
                                                        "pod CPU", "API p99"};
    static const char *const unit[MDL_ALARM_NMETRIC] = {"%", "%", "%", "%", " ms"};
    int quiet = 0;
    for (size_t a = 0; a < s->nalarms; a++) {
        const mdl_alarm *al = &s->alarms[a];
        int fired = 0;
        double t = 0;
        for (int r = 0; r < sum->replications; r++)
            if (sum->reps[r].alarm_first_s[a] >= 0) {
                fired++;
                t += sum->reps[r].alarm_first_s[a];
            }
        if (!fired) {
            quiet++;
            continue;
        }
        long first = (long)(t / fired + 0.5);
        fprintf(
            f,
            "  %-8s %-22s %s > %g%s for %d × %.0f s: fired in %d of %d, first at %ld:%02ld:%02ld\n",
            al->critical ? "CRITICAL" : "warning", al->name, what[al->metric], al->threshold,
            unit[al->metric], al->evaluation_periods, sim_to_sec(al->period), fired,
            sum->replications, first / 3600, first / 60 % 60, first % 60);
    }
    if (quiet)
        fprintf(f, "  %d alarm%s never fired\n", quiet, quiet == 1 ? "" : "s");
}

/* The header: what ran, and how to read the figures. */
static void print_header(FILE *f, const eng_summary *sum)
{
    const mdl_scenario *s = sum->scenario;
    fprintf(f, "simulate %s · %s · %s engine%s · %d replication%s · seed %llu\n", SIMULATE_VERSION,
            s->name, sum->engine, s->fidelity == MDL_FIDELITY_AUTO ? " (auto)" : "",
            sum->replications, sum->replications == 1 ? "" : "s", (unsigned long long)s->seed);
    fprintf(f,
            "measured window %.0f s after a %.0f s warm-up; mean ± 95%% CI across "
            "replications\n\n",
            sum->reps[0].window, sim_to_sec(s->warmup));
}

/* Requests, errors by cause, latency and the database. */
static void print_traffic(FILE *f, const eng_summary *sum)
{
    const mdl_scenario *s = sum->scenario;
    static const summary_line counts[] = {{"requests", "requests"},
                                          {"served", "served"},
                                          {"throughput", "throughput"},
                                          {"error_rate", "errors"}};
    ROWS(f, sum, counts);
    for (int c = 0; c < MDL_NCAUSE; c++) {
        char key[64], label[64];
        snprintf(key, sizeof key, "errors_%s", mdl_cause_name((mdl_cause)c));
        const eng_figure *fig = eng_summary_figure(sum, key);
        if (!fig || fig->ci.mean == 0)
            continue;
        snprintf(label, sizeof label, "  %s (%d)", mdl_cause_name((mdl_cause)c),
                 mdl_cause_http_status((mdl_cause)c));
        row(f, sum, key, label);
    }
    row(f, sum, "refused_while_stopped", "    of them, while stopped"); /* schedule: */
    /* percentiles of all requests that fall on CloudFront's hits read 0 ms: the edge answers
     * them and the viewer's own network is outside the model (cloudfront.edge_latency) — said
     * on the line itself, where the 0 is read */
    bool edge0 = s->traffic.mix[MDL_STATIC] > 0 &&
                 s->cdn.edge_latency.kind == SIM_DIST_DETERMINISTIC &&
                 s->cdn.edge_latency.mean == 0;
    static const summary_line all[] = {{"latency_p50", "latency p50"},
                                       {"latency_p95", "latency p95"},
                                       {"latency_p99", "latency p99"},
                                       {"latency_p999", "latency p99.9"}};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) {
        const eng_figure *fig = eng_summary_figure(sum, all[k].key);
        bool hit = edge0 && fig && fig->ci.mean == 0;
        row_note(f, sum, all[k].key, all[k].label,
                 hit ? "CloudFront hits, answered at the edge (viewer network not modelled)"
                     : NULL);
    }
    row(f, sum, "latency_max", "latency max");
    static const summary_line api[] = {{"api_latency_p50", "API latency p50"},
                                       {"api_latency_p95", "API latency p95"},
                                       {"api_latency_p99", "API latency p99"},
                                       {"api_latency_p999", "API latency p99.9"}};
    if (s->traffic.mix[MDL_STATIC] > 0)
        ROWS(f, sum, api);
    static const summary_line tiers[] = {{"pod_wait_mean", "pod queue wait (mean)"},
                                         {"pod_wait_share", "P(wait > 0) at the pods"},
                                         {"database_utilisation", "database utilisation"},
                                         {"aurora_acu_mean", "Aurora capacity (mean)"},
                                         {"database_failover", "database failover (down)"},
                                         {"cache_failover", "Redis failover (down)"}};
    ROWS(f, sum, tiers);
}

/* Recovery from the scenario's failures, when it has any. */
static void print_recovery(FILE *f, const eng_summary *sum)
{
    if (!app_figure(sum, FIG_RTO))
        return;
    int open = 0;
    for (int r = 0; r < sum->replications; r++)
        open += isnan(sum->reps[r].rto_s);
    row(f, sum, "rto", "RTO, errors back");
    if (open)
        fprintf(f, "    %d of %d replications did not recover within the run (no interval)\n", open,
                sum->replications);
    open = 0;
    for (int r = 0; r < sum->replications; r++)
        open += isnan(sum->reps[r].rto_latency_s);
    row(f, sum, "rto_latency", "RTO, latency back too");
    if (open && eng_summary_figure(sum, "rto_latency")) /* (a region lost: not measured) */
        fprintf(f,
                "    %d of %d replications: the API's p99 not back within the run (no "
                "interval)\n",
                open, sum->replications);
    static const summary_line outage[] = {{"rpo", "RPO (data lost)"},
                                          {"lost_writes", "writes lost (in the RPO)"},
                                          {"first_served", "first API request served"},
                                          {"outage_failed", "requests failed meanwhile"}};
    ROWS(f, sum, outage);
    print_ha_rows(f, sum);
    print_runbook(f, sum);
}

/* Two regions (regions:, engine/geo.c): what each region's users saw, and eu-west-1's share of
 * the bill. */
static void print_regions(FILE *f, const eng_summary *sum)
{
    const mdl_regions_config *g = &sum->scenario->regions;
    if (!g->enabled)
        return;
    bool two = g->serve == MDL_REGIONS_TWO;
    fprintf(f, "\n  users by region: EMEA %.4g%% of them, served from %s\n", 100 * g->emea_share,
            two ? "eu-west-1 (reads local, writes to the us-east-1 primary)" : "us-east-1");
    static const summary_line users[] = {{"api_latency_p99_us", "API p99, US users"},
                                         {"api_latency_p99_emea", "API p99, EMEA users"},
                                         {"write_latency_p50_us", "write p50, US users"},
                                         {"write_latency_p50_emea", "write p50, EMEA users"},
                                         {"error_rate_us", "errors, US users"},
                                         {"error_rate_emea", "errors, EMEA users"}};
    ROWS(f, sum, users);
    if (two && g->lose_at > 0) {
        row(f, sum, "region_moved", "eu-west-1 lost: moved after");
        row(f, sum, "emea_failed_moving", "EMEA requests failed");
    }
    if (two && g->lose_us_at > 0) {
        row(f, sum, "region_moved", "us-east-1 lost: moved after");
        row(f, sum, "us_failed_moving", "US requests failed");
        row(f, sum, "promoted", "eu-west-1's copy promoted");
    }
    if (two && sum->scenario->db.enabled && sum->scenario->db.engine != MDL_DB_QUEUE)
        row(f, sum, "replica_lag_eu_west_1", "eu-west-1's copy: lag (peak)");
    if (two)
        row(f, sum, "peak_pods_eu_west_1", "eu-west-1's API pods (peak)");
    if (two && eng_summary_figure(sum, "cost_eu_west_1")) {
        row(f, sum, "cost_eu_west_1", "eu-west-1's lines (month)");
        row(f, sum, "cost_inter_region", "inter-region transfer");
    }
}

/* Pods and nodes. */
static void print_capacity(FILE *f, const eng_summary *sum)
{
    const mdl_scenario *s = sum->scenario;
    row(f, sum, "peak_pods_ready", "API pods Ready (peak)");
    if (s->hpa.enabled || s->nevents > 0)
        row(f, sum, "pods_created", "API pods created");
    if (s->cluster.enabled) {
        row(f, sum, "peak_nodes", "nodes (peak, Karpenter)");
        static const char *const keys[4] = {"peak_nodes_spot_arm64", "peak_nodes_spot_amd64",
                                            "peak_nodes_on_demand_arm64",
                                            "peak_nodes_on_demand_amd64"};
        static const char *const labels[4] = {"  Spot arm64", "  Spot amd64", "  On-Demand arm64",
                                              "  On-Demand amd64"};
        for (int i = 0; i < 4; i++) {
            const eng_figure *fig = eng_summary_figure(sum, keys[i]);
            if (fig && fig->ci.mean > 0)
                row(f, sum, keys[i], labels[i]);
        }
        row(f, sum, "nodes_launched", "nodes launched");
        const eng_figure *fig = eng_summary_figure(sum, "spot_interruptions");
        if (fig && fig->ci.mean > 0)
            row(f, sum, "spot_interruptions", "Spot interruptions");
    }
}

/* The month's cost, by part, and per million requests. */
static void print_costs(FILE *f, const eng_summary *sum, const cost_month *bill)
{
    const mdl_scenario *s = sum->scenario;
    if (!app_figure(sum, FIG_MONTHLY_COST))
        return;
    fputc('\n', f);
    const cost_month_spec *mo = &s->month;
    if (mo->repeat > 0) {
        char label[48];
        snprintf(label, sizeof label, "monthly cost, %s%g windows", mo->nmix ? "mix: " : "",
                 mo->repeat);
        row(f, sum, fig_key(FIG_MONTHLY_COST), label);
        fprintf(f, "    the month: this window (%.4g h) × %g",
                sim_to_sec(mdl_traffic_duration(&s->traffic)) / 3600, mo->repeat);
        for (size_t j = 0; j < mo->nmix; j++) {
            const char *base = strrchr(mo->mix[j].scenario, '/');
            fprintf(f, " + %s × %g", base ? base + 1 : mo->mix[j].scenario, mo->mix[j].repeat);
        }
        /* the month lasts its windows together (cost_price, judge.c), and so do the
         * always-on resources: 720 h for 30 days */
        fprintf(f, "; always-on resources %.4g h\n", bill ? bill->month_hours : COST_MONTH_HOURS);
    } else {
        row(f, sum, fig_key(FIG_MONTHLY_COST), "monthly cost, this load 730 h");
        fputs("    the window's usage scaled to AWS's 730-hour month: this load all month\n", f);
    }
    for (size_t k = 0; k < COST_NPARTS; k++) {
        const eng_figure *part = eng_summary_figure(sum, cost_part_key((cost_part)k));
        char label[64];
        snprintf(label, sizeof label, "  %s", cost_part_label((cost_part)k));
        if (part && part->ci.mean > 0)
            row(f, sum, cost_part_key((cost_part)k), label);
    }
    row(f, sum, fig_key(FIG_COST_PER_MILLION), "cost per million requests");
}

/* The objectives' verdicts. */
static void print_objectives(FILE *f, const app_verdict *v, size_t nv)
{
    if (nv == 0)
        return;
    fputs("\n  objectives\n", f);
    for (size_t i = 0; i < nv; i++) {
        char name[32];
        if (!v[i].known)
            fprintf(f, "  %-30s not measured by this run\n", v[i].o.text);
        else {
            char half[48] = "";
            if (isfinite(v[i].ci.half))
                snprintf(half, sizeof half, " ± %.3g", v[i].ci.half);
            fprintf(f, "  %-30s %-6s %s %s %.4g %s%s%s\n", v[i].o.text, v[i].met ? "met" : "FAILED",
                    slo_metric_name(&v[i].o, name, sizeof name), v[i].beyond ? ">" : "=",
                    v[i].ci.mean, slo_unit(&v[i].o), half,
                    v[i].beyond      ? "  (beyond the histograms' range: a lower bound)"
                    : v[i].uncertain ? "  (the interval straddles the threshold: uncertain)"
                                     : "");
        }
    }
}

void cli_print_summary(FILE *f, const eng_summary *sum, const app_verdict *v, size_t nv,
                       const cost_month *bill, const char *report_path, const char *pack_path)
{
    print_header(f, sum);
    print_traffic(f, sum);
    print_recovery(f, sum);
    print_regions(f, sum);
    fputc('\n', f);
    print_capacity(f, sum);
    print_costs(f, sum, bill);
    print_alarms(f, sum);
    print_objectives(f, v, nv);
    fputc('\n', f);
    cli_print_outputs(f, "", report_path, pack_path);
}

void cli_print_outputs(FILE *f, const char *indent, const char *report_path, const char *pack_path)
{
    fprintf(f, "%sreport: %s\n", indent, report_path);
    if (pack_path && pack_path[0]) {
        /* the charts and the pack sit beside the report (app_write_charts) */
        const char *slash = strrchr(report_path, '/');
        int dir = slash ? (int)(slash - report_path) : 1;
        fprintf(f, "%scharts: %.*s/*.png\n%spack:   %s\n", indent, dir, slash ? report_path : ".",
                indent, pack_path);
    }
}
