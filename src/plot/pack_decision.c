/*
 * pack_decision.c — a report's page 1, the decision first: what the run deployed, whether it
 * met its objectives and by what margin, what it costs a month and which components most, and
 * the risks its failures, alarms and worst moment showed. Each sentence is built from
 * report.json; nothing is hand-written per scenario.
 */
#include "plot/pack_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_true(const char *v)
{
    return v && strcmp(v, "true") == 0;
}

/* "reader" or "readers" as the assumption's count reads: a sentence, not "reader(s)". */
static const char *plural(const char *count, const char *one, const char *many)
{
    return count && strcmp(count, "1") == 0 ? one : many;
}

/* A peak averaged over replications: whole when it is (pods and nodes are counted), one
 * decimal when the replications' peaks differ. */
static void count_text(double mean, char *buf, size_t n)
{
    snprintf(buf, n, fabs(mean - round(mean)) < 0.05 ? "%.0f" : "%.1f", mean);
}

/* ", added and removed by a rule between MIN and MAX on METRIC at TARGET" when the scenario
 * scales its read replicas (readers) under `prefix`; "" when it keeps a fixed count. */
static const char *replica_rule(const json_t *doc, const char *prefix, char *buf, size_t n)
{
    char key[128];
    snprintf(key, sizeof key, "%s.enabled", prefix);
    buf[0] = '\0';
    if (!is_true(pl_assumption(doc, key)))
        return buf;
    const char *v[4];
    static const char *const part[4] = {"min", "max", "metric", "target"};
    for (int i = 0; i < 4; i++) {
        snprintf(key, sizeof key, "%s.%s", prefix, part[i]);
        v[i] = pl_assumption(doc, key);
    }
    snprintf(buf, n, " at the start, added and removed by a rule between %s and %s on %s at %s",
             v[0] ? v[0] : "?", v[1] ? v[1] : "?", v[2] ? v[2] : "?", v[3] ? v[3] : "?");
    return buf;
}

/* What the run deployed, in a sentence: the database, the API and its autoscaling, the nodes,
 * Redis, CloudFront (from the assumptions it ran with and the peaks it reached). */
static void deploy_text(const json_t *doc, char *buf, size_t n)
{
    const json_t *figs = json_object_get(doc, "figures");
    size_t len = 0;
    char rule[160];
    const char *eng = pl_assumption(doc, "database.engine");
    if (is_true(pl_assumption(doc, "database.enabled")) && eng && strcmp(eng, "aurora") == 0)
        len += (size_t)snprintf(
            buf + len, n - len, "Aurora Serverless v2 from %s to %s ACUs with %s %s%s; ",
            pl_assumption(doc, "database.aurora.acu_min"),
            pl_assumption(doc, "database.aurora.acu_max"),
            pl_assumption(doc, "database.aurora.readers"),
            plural(pl_assumption(doc, "database.aurora.readers"), "reader", "readers"),
            replica_rule(doc, "database.aurora.reader_scaling", rule, sizeof rule));
    else if (is_true(pl_assumption(doc, "database.enabled")) && eng)
        len += (size_t)snprintf(
            buf + len, n - len, "RDS PostgreSQL %s%s with %s %s%s; ",
            pl_assumption(doc, "database.instance_class"),
            is_true(pl_assumption(doc, "database.multi_az")) ? " Multi-AZ" : "",
            pl_assumption(doc, "database.read_replicas"),
            plural(pl_assumption(doc, "database.read_replicas"), "read replica", "read replicas"),
            replica_rule(doc, "database.replica_scaling", rule, sizeof rule));
    pl_fig pods, nodes;
    char pk[64] = "?", nk[64] = "?";
    if (pl_fig_get(figs, "peak_pods_ready", &pods))
        count_text(pods.mean, pk, sizeof pk);
    if (pl_fig_get(figs, "peak_nodes", &nodes))
        count_text(nodes.mean, nk, sizeof nk);
    if (is_true(pl_assumption(doc, "hpa.enabled")))
        len += (size_t)snprintf(
            buf + len, n - len,
            "the API with %s gunicorn %s a pod, %s CPU requested (limit %s), the HPA "
            "between %s and %s pods at %s CPU (%s pods Ready at the peak) on Karpenter's nodes "
            "(%s at the peak); ",
            pl_assumption(doc, "api.workers"),
            plural(pl_assumption(doc, "api.workers"), "worker", "workers"),
            pl_assumption(doc, "api.resources.requests.cpu"),
            pl_assumption(doc, "api.resources.limits.cpu"), pl_assumption(doc, "hpa.min_replicas"),
            pl_assumption(doc, "hpa.max_replicas"), pl_assumption(doc, "hpa.cpu_target"), pk, nk);
    else
        len +=
            (size_t)snprintf(buf + len, n - len, "the API at %s pods of %s %s; ",
                             pl_assumption(doc, "api.replicas"), pl_assumption(doc, "api.workers"),
                             plural(pl_assumption(doc, "api.workers"), "worker", "workers"));
    if (len < n && is_true(pl_assumption(doc, "redis.enabled")))
        len += (size_t)snprintf(buf + len, n - len, "Redis %s x %s; ",
                                pl_assumption(doc, "redis.node_type"),
                                pl_assumption(doc, "redis.nodes"));
    if (len < n && is_true(pl_assumption(doc, "cloudfront.enabled")))
        len += (size_t)snprintf(buf + len, n - len, "CloudFront in front. ");
    if (len < n)
        snprintf(buf + len, n - len, "Scenario file: %s (every setting in the appendix).",
                 pl_str(json_object_get(json_object_get(doc, "scenario"), "file"), "?"));
    for (char *q = buf; *q; q++) /* an absent assumption printed as (null) reads as "?" */
        if (strncmp(q, "(null)", 6) == 0)
            memcpy(q, "  ?   ", 6);
}

/* An objective's threshold in the unit its measure is reported in (ms for a percentile, s for
 * RTO and RPO, % for a rate), and whether it is an upper bound ("<"). NaN when unparsed. */
static double objective_threshold(const char *o, int *upper)
{
    const char *op = strpbrk(o, "<>");
    if (!op)
        return NAN;
    *upper = *op == '<';
    const char *p = op + 1;
    if (*p == '=')
        p++;
    while (*p == ' ' || *p == '$') /* a budget: "monthly_cost < $600", in dollars */
        p++;
    char *end;
    double v = strtod(p, &end);
    if (end == p)
        return NAN;
    while (*end == ' ')
        end++;
    double secs = strncmp(end, "ms", 2) == 0 ? v / 1000
                  : *end == 's'              ? v
                  : *end == 'm'              ? v * 60
                  : *end == 'h'              ? v * 3600
                                             : NAN;
    if (!isfinite(secs))
        return v; /* a percentage or a count: as written */
    return strncmp(o, "rto", 3) == 0 || strncmp(o, "rpo", 3) == 0 ? secs : secs * 1000;
}

static void objectives_text(pk_pack *k)
{
    const json_t *objs = json_object_get(k->doc, "objectives");
    if (json_array_size(objs) == 0) {
        pk_paragraph(
            k, "The scenario sets no objectives: nothing here says whether it is good enough.",
            BODY + 1, 0, pl_grey(0.1));
        return;
    }
    for (size_t i = 0; i < json_array_size(objs); i++) {
        const json_t *o = json_array_get(objs, i);
        const char *name = pl_str(json_object_get(o, "objective"), "?");
        double m = pl_num(json_object_get(o, "measured")),
               h = pl_num(json_object_get(o, "ci95_half_width"));
        int upper = 1;
        double thr = objective_threshold(name, &upper);
        const char *unit = pk_objective_unit(name);
        char meas[96], margin[160] = "", line[512];
        pl_format_ci(m, h, unit, meas, sizeof meas);
        if (isfinite(thr) && isfinite(m) && thr != 0) {
            double d = upper ? thr - m : m - thr;
            char dv[64];
            pl_format_ci(fabs(d), NAN, unit, dv, sizeof dv);
            snprintf(margin, sizeof margin,
                     d >= 0 ? ", a margin of %s (%.0f%% of the limit)"
                            : ", over the limit by %s (%.0f%%)",
                     dv, 100 * fabs(d) / fabs(thr));
        }
        pl_rgb colour;
        const char *v = pk_verdict_text(o, &colour);
        snprintf(line, sizeof line, "• %s — %s: %s%s", name, v, meas, margin);
        pk_paragraph(k, line, BODY + 1, 0, colour);
    }
}

static void bill_text(pk_pack *k)
{
    const json_t *figs = json_object_get(k->doc, "figures");
    pl_fig total;
    if (!pl_fig_get(figs, "monthly_cost", &total)) {
        pk_paragraph(k, "No bill: the run had no pricing file (docs/cost-model.md).", BODY + 1, 0,
                     pl_grey(0.1));
        return;
    }
    pl_cost_part parts[32];
    size_t n = pl_cost_parts(figs, parts, 32);
    char t[96], line[1024], name[256];
    pl_format_ci(total.mean, total.half, "USD", t, sizeof t);
    pl_doc_name(k->doc, name, sizeof name);
    const char *rep = pl_assumption(k->doc, "month.repeat");
    size_t len = (size_t)snprintf(
        line, sizeof line, "%s a month — %s, list prices (docs/cost-model.md). Largest: ", t,
        rep && *rep != '('
            ? "the run's windows repeated as month.repeat says"
            : "this run's load held for all 730 hours of a month (the measured window's usage "
              "scaled to 730 h)");
    (void)name;
    for (size_t i = 0; i < n && i < 3 && len < sizeof line; i++) {
        char v[64];
        pl_format_usd(parts[i].fig.mean, v, sizeof v);
        len += (size_t)snprintf(line + len, sizeof line - len, "%s%s %s (%.1f%%)", i ? ", " : "",
                                parts[i].label, v,
                                total.mean > 0 ? 100 * parts[i].fig.mean / total.mean : 0.0);
    }
    if (len < sizeof line)
        snprintf(line + len, sizeof line - len, ".");
    pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
}

/* How often a failure happened, in words: "once in each of the 5 replications", "twice in each
 * of the 3 replications", "7 times in 5 replications". */
static void occurrences_text(json_int_t occ, json_int_t reps, char *buf, size_t n)
{
    if (reps > 0 && occ > 0 && occ % reps == 0) {
        json_int_t each = occ / reps;
        char k[32];
        snprintf(k, sizeof k, "%lld times", (long long)each);
        snprintf(buf, n, "%s in %s %lld replication%s",
                 each == 1   ? "once"
                 : each == 2 ? "twice"
                             : k,
                 reps == 1 ? "its" : "each of the", (long long)reps, reps == 1 ? "" : "s");
    } else {
        snprintf(buf, n, "%lld time%s in %lld replication%s", (long long)occ, occ == 1 ? "" : "s",
                 (long long)reps, reps == 1 ? "" : "s");
    }
}

/* A lost region (report.c's region events, docs/multi-region.md): when, how long Route 53 took
 * to move its users, how many of their requests failed meanwhile, the promotion of eu-west-1's
 * copy when us-east-1 was lost, and the RTO and RPO. 1 when said. */
static int region_risk_text(pk_pack *k)
{
    const json_t *doc = k->doc, *figs = json_object_get(doc, "figures");
    const json_t *events = json_object_get(json_object_get(doc, "scenario"), "events");
    const char *lost = NULL;
    double at = NAN;
    for (size_t i = 0; i < json_array_size(events) && !lost; i++) {
        const json_t *e = json_array_get(events, i);
        if (strcmp(pl_str(json_object_get(e, "type"), ""), "region_failure") == 0 &&
            (lost = pl_str(json_object_get(e, "region"), NULL)))
            at = pl_num(json_object_get(e, "at_s"));
    }
    if (!lost)
        return 0;
    int us = strcmp(lost, "us-east-1") == 0;
    pl_fig moved, failed, promoted, rto, rpo;
    char when[32], mv[64] = "?", fl[64] = "?", pr[64] = "?", rt[64] = "?", rp[64] = "?";
    long sec = isfinite(at) ? lround(at) : 0;
    snprintf(when, sizeof when, "%ld:%02ld", sec / 3600, (sec % 3600) / 60);
    if (pl_fig_get(figs, "region_moved", &moved))
        pk_duration_text(moved.mean, mv, sizeof mv);
    if (pl_fig_get(figs, us ? "us_failed_moving" : "emea_failed_moving", &failed))
        pl_format_ci(failed.mean, NAN, "", fl, sizeof fl);
    if (pl_fig_get(figs, "promoted", &promoted))
        pk_duration_text(promoted.mean, pr, sizeof pr);
    if (pl_fig_get(figs, "rto", &rto))
        pk_duration_text(rto.mean, rt, sizeof rt);
    if (pl_fig_get(figs, "rpo", &rpo))
        pk_duration_text(rpo.mean, rp, sizeof rp);
    char line[1024], writes[256] = "";
    if (us)
        snprintf(writes, sizeof writes,
                 "; writes failed until eu-west-1's copy was promoted, %s after the loss "
                 "(on-call's confirmation and the promotion)",
                 pr);
    snprintf(line, sizeof line,
             "• %s was lost at %s (marked on every time chart, with a zoom): Route 53's health "
             "checks moved %s users to %s after %s, and %s of their requests failed "
             "meanwhile%s; RTO %s, RPO %s.",
             lost, when, us ? "the Americas'" : "EMEA's", us ? "eu-west-1" : "us-east-1", mv, fl,
             writes, rt, rp);
    pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
    return 1;
}

static void risks_text(pk_pack *k)
{
    const json_t *doc = k->doc, *rec = json_object_get(doc, "recovery");
    char line[1024];
    int said = 0;
    const json_t *rows = json_object_get(rec, "rows");
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i), *rto = json_object_get(r, "rto"),
                     *rl = json_object_get(r, "rto_latency");
        char mean[32], max[32], tgt[32], lat[32], failed[64];
        pk_duration_text(pl_num(json_object_get(rto, "mean_s")), mean, sizeof mean);
        pk_duration_text(pl_num(json_object_get(rto, "max_s")), max, sizeof max);
        pk_duration_text(pl_num(json_object_get(rto, "seed_target_s")), tgt, sizeof tgt);
        pk_duration_text(pl_num(json_object_get(rl, "max_s")), lat, sizeof lat);
        pl_format_ci(pl_num(json_object_get(r, "failed_requests_mean")), NAN, "", failed,
                     sizeof failed);
        char times[96];
        occurrences_text(json_integer_value(json_object_get(r, "occurrences")),
                         json_integer_value(json_object_get(doc, "replications")), times,
                         sizeof times);
        snprintf(line, sizeof line,
                 "• %s (%s): users were served again after %s on average, %s at worst, against "
                 "the seed's %s (%s); latency was back to normal after %s at worst (%s the %s); "
                 "%s requests failed each time.",
                 pl_str(json_object_get(r, "failure"), "?"), times, mean, max, tgt,
                 json_is_true(json_object_get(rto, "met")) ? "met" : "MISSED", lat,
                 json_is_true(json_object_get(rl, "met")) ? "within" : "over", tgt, failed);
        pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
        said = 1;
    }
    const json_t *alarms = json_object_get(doc, "alarms");
    for (size_t i = 0; i < json_array_size(alarms); i++) {
        const json_t *a = json_array_get(alarms, i), *ff = json_object_get(a, "first_fired_s");
        size_t fired = 0;
        for (size_t r = 0; r < json_array_size(ff); r++)
            fired += json_is_number(json_array_get(ff, r));
        if (!fired)
            continue;
        snprintf(line, sizeof line, "• The alarm %s (%s) fired in %zu of %zu replications.",
                 pl_str(json_object_get(a, "name"), "?"),
                 pl_str(json_object_get(a, "severity"), "?"), fired, json_array_size(ff));
        pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
        said = 1;
    }
    said |= region_risk_text(k);
    const json_t *events = json_object_get(json_object_get(doc, "scenario"), "events");
    if (json_array_size(events) == 0) {
        pk_paragraph(k,
                     "• The scenario injects no failure, so this run says nothing about recovery: "
                     "az-failure, region-failure and spot-storm (scenarios/) do.",
                     BODY + 1, 0, pl_grey(0.1));
        said = 1;
    }
    /* the worst moment of the load: the highest 10-s p99 after the warm-up, and its phase */
    pl_series s;
    base_err e;
    base_err_clear(&e);
    if (pl_series_load(doc, "pack", &s, &e) == BASE_OK) {
        const double *p99 = pl_col(&s, "api_latency_p99_ms");
        size_t at = s.nrows;
        for (size_t r = 0; p99 && r < s.nrows; r++)
            if (s.x_rate[r] >= s.warmup && isfinite(p99[r]) && (at == s.nrows || p99[r] > p99[at]))
                at = r;
        if (at < s.nrows) {
            const json_t *ph = json_object_get(json_object_get(doc, "scenario"), "phases");
            const char *phase = NULL;
            for (size_t i = 0; i < json_array_size(ph); i++) {
                const json_t *p = json_array_get(ph, i);
                if (pl_num(json_object_get(p, "start_s")) <= s.x_rate[at])
                    phase = pl_str(json_object_get(p, "name"), NULL);
            }
            char v[64], t[32];
            pl_format(p99[at], PL_MS, 0, v, sizeof v);
            long sec = lround(s.x_rate[at]);
            snprintf(t, sizeof t, "%ld:%02ld", sec / 3600, (sec % 3600) / 60);
            snprintf(line, sizeof line,
                     "• The worst 10 seconds for latency: the API's p99 reached %s at %s%s%s%s "
                     "(latency chart, with a zoom on each event).",
                     v, t, phase ? ", in the phase '" : "", phase ? phase : "", phase ? "'" : "");
            pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
            said = 1;
        }
        pl_series_free(&s);
    }
    const char *names[64], *empty;
    size_t n = plot_chart_names(k->set, doc, names, 64);
    for (size_t i = 0; i < n && i < 64; i++)
        if (pl_chart_empty(k->set, doc, names[i], &empty)) {
            snprintf(line, sizeof line, "• %s", empty);
            pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
            said = 1;
        }
    if (!said)
        pk_paragraph(k, "• None seen in this run.", BODY + 1, 0, pl_grey(0.1));
}

/* The knobs of the winner's configuration `cfg` whose value this run did not have (its
 * assumptions, as report.json gives them): "key (this run V, the winner W), ..." into buf;
 * "" when the run had every one. */
static void knob_differences(const json_t *doc, const json_t *cfg, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)cfg, key, v)
    {
        const char *ours = pl_assumption(doc, key), *theirs = pl_str(v, "?");
        if (ours && strcmp(ours, theirs) == 0)
            continue;
        if (len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%s (this run %s, the winner %s)",
                                    len ? ", " : "", key, ours ? ours : "?", theirs);
    }
}

/* The plan's winner, when the results store holds a plan of this scenario (k->plan, found by
 * the caller): its knobs and figures beside what this run deployed; else one line that says
 * there is none, or that no store was searched. */
static void plan_winner_text(pk_pack *k)
{
    const plot_plan_ref *p = k->plan;
    char buf[2048], cfg[1400], a[96], b[96];
    if (!p || !p->looked) {
        pk_paragraph(k,
                     "The plan's winner: not looked up — this pack was drawn without the results "
                     "store (a run's own pack, and `simulate plot RUN`, name the winner of the "
                     "newest stored plan of the scenario).",
                     BODY + 1, 0, pl_grey(0.3));
        return;
    }
    if (!p->plan) {
        pk_paragraph(k,
                     "No plan of this scenario in the results store: `simulate plan` on it (or "
                     "on a scenario that extends it) would put here the cheapest configuration "
                     "that meets every objective.",
                     BODY + 1, 0, pl_grey(0.3));
        return;
    }
    const json_t *w = json_object_get(p->plan, "winner"), *s = json_object_get(p->plan, "search");
    char when[64];
    const char *t = p->started ? p->started : "";
    if (strlen(t) >= 16 && t[10] == 'T')
        snprintf(when, sizeof when, "%.10s %.5s UTC", t, t + 11);
    else
        snprintf(when, sizeof when, "%s", *t ? t : "?");
    const char *file = pl_str(json_object_get(p->plan, "scenario"), "?"),
               *rel = p->relation ? p->relation : "";
    if (!json_is_object(w)) {
        snprintf(buf, sizeof buf,
                 "The plan P%lld (simulate plan %s, %s, on %s) found nothing feasible: none of "
                 "its %lld configurations met every objective at %.0f%% confidence.",
                 p->id, file, rel, when, (long long)json_integer_value(json_object_get(s, "space")),
                 100 * pl_num(json_object_get(p->plan, "confidence")));
        pk_paragraph(k, buf, BODY + 1, 1, pl_palette(PL_VERMILLION));
        return;
    }
    const json_t *cf = json_object_get(w, "configuration"), *f = json_object_get(w, "figures");
    pk_configuration_text(cf, cfg, sizeof cfg);
    pl_format_ci(pl_num(json_object_get(json_object_get(f, "monthly_cost"), "mean")),
                 pl_num(json_object_get(json_object_get(f, "monthly_cost"), "ci95_half_width")),
                 "USD", a, sizeof a);
    pl_format_ci(pl_num(json_object_get(json_object_get(f, "api_latency_p99"), "mean")),
                 pl_num(json_object_get(json_object_get(f, "api_latency_p99"), "ci95_half_width")),
                 "ms", b, sizeof b);
    snprintf(buf, sizeof buf, "The plan's winner (P%lld): %s — %s a month, API p99 %s.", p->id, cfg,
             a, b);
    pk_paragraph(k, buf, BODY + 1, 1, pl_grey(0.05));
    const json_t *c = json_object_get(w, "confirmation");
    snprintf(buf, sizeof buf,
             "The cheapest configuration of the plan's knobs that meets every objective at %.0f%% "
             "confidence: simulate plan %s (%s) on %s, %s with fresh random numbers.",
             100 * pl_num(json_object_get(p->plan, "confidence")), file, rel, when,
             json_is_true(json_object_get(c, "confirmed")) ? "confirmed" : "NOT confirmed");
    pk_paragraph(k, buf, BODY, 0, pl_grey(0.3));
    knob_differences(k->doc, cf, cfg, sizeof cfg);
    if (*cfg)
        snprintf(buf, sizeof buf, "This run differs from the winner in %s.", cfg);
    else
        snprintf(buf, sizeof buf, "This run deploys the winner's setting of every knob.");
    pk_paragraph(k, buf, BODY + 1, 0, pl_grey(0.1));
}

/* Two regions: each region's users' p99, and that the time charts draw each region's series
 * (docs/multi-region.md), so the charts' p99 and the objective's need not agree. */
static void regions_text(pk_pack *k)
{
    const json_t *figs = json_object_get(k->doc, "figures");
    pl_fig us, emea, eu;
    if (!pl_fig_get(figs, "api_latency_p99_us", &us) ||
        !pl_fig_get(figs, "api_latency_p99_emea", &emea))
        return;
    char a[64], b[64], c[128] = "", buf[640];
    pl_format_ci(us.mean, us.half, "ms", a, sizeof a);
    pl_format_ci(emea.mean, emea.half, "ms", b, sizeof b);
    if (pl_fig_get(figs, "cost_eu_west_1", &eu)) {
        char d[64];
        pl_format_usd(eu.mean, d, sizeof d);
        snprintf(c, sizeof c, " eu-west-1's lines are %s of the bill.", d);
    }
    snprintf(buf, sizeof buf,
             "Two regions: US users' API p99 %s, EMEA users' %s; the objectives pool both. The "
             "time charts draw what each region served — eu-west-1's lines named so, the others "
             "us-east-1's — so their p99 is not the pooled one, and after a region's loss its "
             "users are in the survivor's lines.%s",
             a, b, c);
    pk_paragraph(k, buf, BODY + 1, 0, pl_grey(0.1));
}

/* A run's length as people say it: "45 min", "3 h", "2 h 10 min", "7 days". */
static void span_text(double s, char *buf, size_t n)
{
    long m = isfinite(s) ? lround(s / 60) : -1;
    if (m < 0)
        snprintf(buf, n, "?");
    else if (m < 120)
        snprintf(buf, n, "%ld min", m);
    else if (m % 1440 == 0 && m >= 2 * 1440)
        snprintf(buf, n, "%ld days", m / 1440);
    else if (m % 60 == 0)
        snprintf(buf, n, "%ld h", m / 60);
    else
        snprintf(buf, n, "%ld h %ld min", m / 60, m % 60);
}

/* Page 1: what to deploy, whether it meets its objectives and by how much, what it costs, and
 * what the failures showed; the figures behind each follow. */
void pk_decision(pk_pack *k)
{
    const json_t *doc = k->doc, *scn = json_object_get(doc, "scenario");
    char buf[2048];
    pk_title_page(k, "Design review: the decision first, then what the simulation found");
    const char *desc = pl_str(json_object_get(scn, "description"), "");
    if (*desc)
        pk_paragraph(k, desc, 12, 0, pl_grey(0.1));
    json_int_t reps = json_integer_value(json_object_get(doc, "replications"));
    double dur = pl_num(json_object_get(scn, "duration_s"));
    double warm = pl_num(json_object_get(scn, "warmup_s"));
    char span[64], wspan[64];
    span_text(dur, span, sizeof span);
    span_text(warm, wspan, sizeof wspan);
    snprintf(buf, sizeof buf,
             "Simulated: %s (%s warm-up not measured) on the %s engine, %lld "
             "replication%s, seed %s, simulate %s; every figure is a mean with its 95%% "
             "confidence interval.",
             span, wspan, pl_str(json_object_get(doc, "engine"), "?"), (long long)reps,
             reps == 1 ? "" : "s", pl_str(json_object_get(doc, "seed"), "?"),
             pl_str(json_object_get(doc, "simulate_version"), "?"));
    pk_paragraph(k, buf, BODY, 0, pl_grey(0.3));
    k->y += 6;
    pk_heading(k, "What to deploy", 14);
    plan_winner_text(k);
    size_t len = (size_t)snprintf(buf, sizeof buf, "What this run deployed: ");
    deploy_text(doc, buf + len, sizeof buf - len);
    pk_paragraph(k, buf, BODY + 1, 0, pl_grey(0.1));
    k->y += 4;
    pk_heading(k, "Objectives", 14);
    objectives_text(k);
    regions_text(k);
    k->y += 4;
    pk_heading(k, "The bill", 14);
    bill_text(k);
    k->y += 4;
    pk_heading(k, "Risks the run showed", 14);
    risks_text(k);
}
