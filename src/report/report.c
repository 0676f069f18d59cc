/*
 * report.c — report.json: everything a run found, for machines and for later comparison.
 *
 * Determinism matters more than prettiness here (same scenario and seed => byte-identical
 * file, the contract CI and `simulate check --baseline` rely on): no wall-clock time, host or
 * path normalisation; object keys in insertion order; reals printed with 10 significant digits
 * so the last bits of a sum never show. A figure that has no interval (one replication) writes
 * null for its interval rather than inventing one.
 */
#include "report/report.h"

#include "io/io.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number for the report: jansson refuses NaN and infinities (json_real returns NULL and the
 * key would silently vanish), so a value that is not finite is written as null. */
static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *real_or_null(double v)
{
    return isfinite(v) ? num(v) : json_null();
}

static json_t *dist_json(const sim_dist *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "dist", json_string(sim_dist_kind_name(d->kind)));
    json_object_set_new(o, "mean_s", num(sim_dist_mean(d)));
    json_object_set_new(o, "scv", num(sim_dist_scv(d)));
    return o;
}

static json_t *figure_json(const eng_figure *f, int reps)
{
    json_t *o = json_object();
    json_object_set_new(o, "unit", json_string(f->unit));
    json_object_set_new(o, "mean", real_or_null(f->ci.mean));
    json_object_set_new(o, "ci95_half_width", real_or_null(f->ci.half));
    json_t *ci = json_array();
    json_array_append_new(ci, real_or_null(f->ci.mean - f->ci.half));
    json_array_append_new(ci, real_or_null(f->ci.mean + f->ci.half));
    json_object_set_new(o, "ci95", isfinite(f->ci.half) ? ci : json_null());
    if (!isfinite(f->ci.half))
        json_decref(ci);
    json_t *v = json_array();
    for (int i = 0; i < reps; i++)
        json_array_append_new(v, real_or_null(f->values[i]));
    json_object_set_new(o, "per_replication", v);
    if (f->beyond) /* only then: a report without one keeps its bytes */
        json_object_set_new(o, "beyond_range", json_true());
    return o;
}

static void bucket_json(void *ctx, int64_t lo, int64_t hi, double count)
{
    json_t *row = json_array();
    json_array_append_new(row, json_integer(lo));
    json_array_append_new(row, json_integer(hi));
    json_array_append_new(row, num(count));
    json_array_append_new(ctx, row);
}

static json_t *scenario_json(const mdl_scenario *s, const char *path)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "description", json_string(s->description));
    json_object_set_new(o, "file", json_string(path ? path : ""));
    json_object_set_new(o, "duration_s", num(sim_to_sec(mdl_traffic_duration(&s->traffic))));
    json_object_set_new(o, "warmup_s", num(sim_to_sec(s->warmup)));
    json_object_set_new(o, "expected_requests", num(mdl_traffic_expected(&s->traffic)));
    json_t *api = json_object();
    json_object_set_new(api, "replicas", json_integer(s->api.replicas));
    json_object_set_new(api, "workers", json_integer(s->api.workers));
    json_object_set_new(api, "backlog", json_integer(s->api.backlog));
    json_object_set_new(api, "timeout_s", num(sim_to_sec(s->api.timeout)));
    json_object_set_new(api, "service_api_read", dist_json(&s->api.service[MDL_API_READ]));
    json_object_set_new(api, "service_api_write", dist_json(&s->api.service[MDL_API_WRITE]));
    json_object_set_new(o, "api", api);
    /* the load's phases and the scenario's events, and the limits the run could not pass: what
     * the charts mark and draw reference lines at (docs/charts.md) */
    json_t *phases = json_array();
    double t = 0;
    for (size_t i = 0; i < s->traffic.nphases; i++) {
        const mdl_phase *ph = &s->traffic.phases[i];
        double d = sim_to_sec(ph->duration);
        json_array_append_new(phases, json_pack("{s:s, s:o, s:o, s:o, s:o}", "name", ph->name,
                                                "start_s", num(t), "duration_s", num(d), "from",
                                                num(ph->from), "to", num(ph->to)));
        t += d;
    }
    json_object_set_new(o, "phases", phases);
    json_object_set_new(o, "phase_unit", json_string(s->traffic.by_rate ? "req/s" : "users"));
    static const char *const event_names[] = {
        "spot_storm",        "spot_unavailable", "deploy",         "db_failover",
        "cache_failover",    "az_failure",       "region_failure", "data_corruption",
        "accidental_delete", "node_loss"}; /* mdl_event_type's order (schema.c's `type` names) */
    json_t *events = json_array();
    for (size_t i = 0; i < s->nevents; i++) {
        const mdl_event *e = &s->events[i];
        size_t ti = (size_t)e->type;
        json_array_append_new(
            events,
            json_pack("{s:s, s:o, s:o}", "type",
                      ti < sizeof event_names / sizeof event_names[0] ? event_names[ti] : "event",
                      "at_s", num(sim_to_sec(e->at)), "every_s",
                      e->every > 0 ? num(sim_to_sec(e->every)) : json_null()));
    }
    json_object_set_new(o, "events", events);
    json_t *lim = json_object();
    if (s->hpa.enabled)
        json_object_set_new(lim, "hpa_max_replicas", json_integer(s->hpa.max_replicas));
    int maxc = mdl_db_max_connections(s);
    if (maxc > 0)
        json_object_set_new(lim, "db_max_connections", json_integer(maxc));
    if (s->db.enabled && s->db.engine == MDL_DB_AURORA)
        json_object_set_new(lim, "aurora_acu_max", num(s->db.acu_max));
    int64_t vcpu = mdl_nodepools_cpu_limit(&s->cluster); /* the limited pools' nodes_vcpu cap */
    if (vcpu >= 0)
        json_object_set_new(lim, "nodepool_vcpu_limit", num((double)vcpu / 1000.0));
    json_object_set_new(o, "limits", lim);
    return o;
}

static int add_assumption(void *ctx, const scn_assumption *a)
{
    json_t *o = json_object();
    if (!o)
        return BASE_ENOMEM;
    json_object_set_new(o, "key", json_string(a->key));
    json_object_set_new(o, "value", json_string(a->value));
    json_object_set_new(o, "type", json_string(a->type ? a->type : ""));
    if (a->file) {
        char where[600];
        snprintf(where, sizeof where, "%s:%d", a->file, a->line);
        json_object_set_new(o, "set_in", json_string(where));
    } else {
        json_object_set_new(o, "set_in", json_string("default"));
    }
    json_object_set_new(o, "source", a->source ? json_string(a->source) : json_null());
    return json_array_append_new(ctx, o) == 0 ? 0 : BASE_ENOMEM;
}

/* Mean, p95 (nearest rank), maximum of n values (NaN: not recovered, counted under open_key),
 * and whether every one met the target. Sorts v. */
/* The recovery measures kept per failure, with their target in the seed's HA table: RTO (errors
 * back), RPO, and the RTO as users feel it (latency back too), against the same RTO target. */
enum { REC_RTO, REC_RPO, REC_RTO_LATENCY, REC_N };
static const char *const rec_keys[REC_N] = {"rto", "rpo", "rto_latency"};
static double rec_fault(const eng_fault *x, int m)
{
    return m == REC_RPO ? x->rpo_s : m == REC_RTO ? x->rto_s : x->rto_latency_s;
}
static double rec_rep(const eng_rep *x, int m)
{
    return m == REC_RPO ? x->rpo_s : m == REC_RTO ? x->rto_s : x->rto_latency_s;
}
static double rec_target(const mdl_ha_row *row, int m)
{
    return m == REC_RPO ? row->rpo_s : row->rto_s;
}

static json_t *recovery_stats(double *v, int n, double target, const char *open_key)
{
    int k = 0, open = 0;
    for (int i = 0; i < n; i++) {
        if (isnan(v[i]))
            open++;
        else
            v[k++] = v[i];
    }
    double mean = 0, max = 0;
    for (int i = 0; i < k; i++) {
        mean += v[i] / k;
        max = v[i] > max ? v[i] : max;
    }
    for (int i = 1; i < k; i++) /* a few values: insertion */
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    int rank = k > 0 ? (int)ceil(0.95 * k) - 1 : 0;
    json_t *o = json_object();
    json_object_set_new(o, "seed_target_s", num(target));
    json_object_set_new(o, "mean_s", k ? num(mean) : json_null());
    json_object_set_new(o, "p95_s", k ? num(v[rank]) : json_null());
    json_object_set_new(o, "max_s", k ? num(max) : json_null());
    json_object_set_new(o, open_key, json_integer(open));
    json_object_set_new(o, "met", json_boolean(k > 0 && open == 0 && max <= target));
    return o;
}
/* Each request class: its requests and served per replication, its pooled latency. */
static json_t *classes_json(const eng_summary *sum)
{
    json_t *classes = json_object();
    for (int c = 0; c < MDL_NCLASS; c++) {
        json_t *o = json_object();
        double arr = 0, served = 0;
        hist *pooled = hist_new(HIST_DEFAULT_BITS, HIST_DEFAULT_HIGHEST);
        for (int r = 0; r < sum->replications; r++) {
            arr += sum->reps[r].arrivals[c];
            served += sum->reps[r].served[c];
            if (pooled)
                hist_merge(pooled, sum->reps[r].latency_class[c]);
        }
        json_object_set_new(o, "requests_per_replication", num(arr / sum->replications));
        json_object_set_new(o, "served_per_replication", num(served / sum->replications));
        if (pooled) {
            json_object_set_new(o, "latency_p50_ms",
                                num((double)hist_percentile(pooled, 50) / 1e6));
            json_object_set_new(o, "latency_p99_ms",
                                num((double)hist_percentile(pooled, 99) / 1e6));
            hist_free(pooled);
        }
        json_object_set_new(classes, mdl_class_name((mdl_class)c), o);
    }
    return classes;
}

/* The latency histogram of every replication pooled, bucket by bucket. */
static json_t *histogram_json(const eng_summary *sum)
{
    json_t *h = json_object();
    json_object_set_new(h, "unit", json_string("ns"));
    json_object_set_new(h, "relative_error", num(hist_relative_error(sum->latency_pooled)));
    json_object_set_new(h, "count", num(hist_count(sum->latency_pooled)));
    json_t *buckets = json_array();
    hist_foreach(sum->latency_pooled, bucket_json, buckets);
    json_object_set_new(h, "buckets", buckets);
    return h;
}

/* The time series, averaged across replications (the summary's); NULL when there are none. */
static json_t *series_json(const eng_summary *sum)
{
    const ser_table *t0 = sum->series_mean;
    if (!t0)
        return NULL;
    json_t *ser = json_object();
    json_object_set_new(ser, "interval_s", num((double)ser_resolution(t0) / 1e9));
    json_object_set_new(ser, "aggregate", json_string("mean across replications"));
    json_t *cols = json_array();
    for (size_t c = 0; c < ser_cols(t0); c++)
        json_array_append_new(cols, json_string(ser_name(t0, c)));
    json_object_set_new(ser, "columns", cols);
    json_t *rows = json_array();
    for (size_t i = 0; i < ser_rows(t0); i++) {
        json_t *row = json_array();
        for (size_t c = 0; c < ser_cols(t0); c++)
            json_array_append_new(row, num(ser_get(t0, i, c)));
        json_array_append_new(rows, row);
    }
    json_object_set_new(ser, "rows", rows);
    return ser;
}

/* The hours each catalog type's nodes ran, Spot and On-Demand apart ("TYPE/spot"), mean across
 * replications; types and markets that never ran are left out. */
static json_t *node_hours_json(const eng_summary *sum)
{
    int R = sum->replications;
    const cost_catalog *cat = &sum->scenario->cluster.catalog;
    json_t *nodes = json_object();
    for (size_t t = 0; t < cat->n; t++) {
        for (int c = 0; c < 2; c++) {
            double hours = 0;
            for (int rr = 0; rr < R; rr++)
                hours += sum->reps[rr].usage.node_seconds[t][c] / 3600.0;
            if (hours > 0) {
                char k[48];
                snprintf(k, sizeof k, "%s/%s", cat->types[t].name, c == 0 ? "spot" : "on-demand");
                json_object_set_new(nodes, k, num(hours / R));
            }
        }
    }
    return nodes;
}

/* What usage_json writes, in order: one cost_usage field's mean across replications divided by
 * `per` (seconds to hours, 3600; CPU credits, vCPU-minutes, to vCPU-hours, 60), or one of the
 * two figures summed over the catalog's types. */
enum { USAGE_FIELD, USAGE_NODE_HOURS, USAGE_NODE_SURPLUS };
#define U(field) offsetof(cost_usage, field)
static const struct {
    const char *name;
    int kind;
    size_t off; /* USAGE_FIELD: a double in cost_usage */
    double per;
} usage_rows[] = {
    {"seconds", USAGE_FIELD, U(seconds), 1},
    {"node_hours", USAGE_NODE_HOURS, 0, 1},
    {"cloudfront_requests", USAGE_FIELD, U(cdn_requests), 1},
    {"cloudfront_bytes", USAGE_FIELD, U(cdn_bytes), 1},
    {"s3_get_requests", USAGE_FIELD, U(origin_requests), 1},
    {"s3_bytes", USAGE_FIELD, U(origin_bytes), 1},
    {"alb_requests", USAGE_FIELD, U(alb_requests), 1},
    {"alb_bytes", USAGE_FIELD, U(alb_bytes), 1},
    {"alb_peak_requests_per_s", USAGE_FIELD, U(alb_peak_rps), 1},
    {"image_pulls", USAGE_FIELD, U(image_pulls), 1},
    {"database_queries", USAGE_FIELD, U(db_queries), 1},
    {"elasticache_operations", USAGE_FIELD, U(cache_ops), 1},
    {"alb_lcu_hours", USAGE_FIELD, U(lcu_hours), 1},
    {"rds_primary_hours", USAGE_FIELD, U(db_primary_seconds), 3600},
    {"rds_replica_hours", USAGE_FIELD, U(db_replica_seconds), 3600},
    {"rds_cpu_surplus_vcpu_hours", USAGE_FIELD, U(db_surplus_credits), 60},
    {"rds_throttled_hours", USAGE_FIELD, U(db_throttled_seconds), 3600},
    {"node_cpu_surplus_vcpu_hours", USAGE_NODE_SURPLUS, 0, 60},
    {"aurora_acu_hours", USAGE_FIELD, U(acu_seconds), 3600},
    {"aurora_io_requests", USAGE_FIELD, U(aurora_io), 1},
    {"elasticache_node_hours", USAGE_FIELD, U(cache_node_seconds), 3600},
    {"nat_bytes", USAGE_FIELD, U(nat_bytes), 1},
};
#undef U

/* Metered usage, mean across replications (the cost model prices it). */
static json_t *usage_json(const eng_summary *sum)
{
    json_t *use = json_object();
    int R = sum->replications;
    for (size_t i = 0; i < sizeof usage_rows / sizeof usage_rows[0]; i++) {
        if (usage_rows[i].kind == USAGE_NODE_HOURS) {
            json_object_set_new(use, usage_rows[i].name, node_hours_json(sum));
            continue;
        }
        double total = 0; /* summed in replication order, as the means always were */
        for (int rr = 0; rr < R; rr++) {
            const cost_usage *u = &sum->reps[rr].usage;
            if (usage_rows[i].kind == USAGE_NODE_SURPLUS)
                for (size_t t = 0; t < COST_MAX_TYPES; t++)
                    total += u->node_surplus_credits[t];
            else
                total += *(const double *)((const char *)u + usage_rows[i].off);
        }
        json_object_set_new(use, usage_rows[i].name, num(total / R / usage_rows[i].per));
    }
    return use;
}

/* The HPA's decisions in the first replication. */
static json_t *scale_json(const eng_summary *sum)
{
    /* the HPA's decisions in the first replication */
    json_t *scale = json_array();
    const eng_rep *r0 = &sum->reps[0];
    for (size_t i = 0; i < r0->nscale; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "t_s", num(r0->scale[i].t));
        json_object_set_new(e, "from", json_integer(r0->scale[i].from));
        json_object_set_new(e, "to", json_integer(r0->scale[i].to));
        json_object_set_new(e, "cpu_utilisation_pct", json_integer(r0->scale[i].cpu_pct));
        json_object_set_new(
            e, "ready_after_s",
            real_or_null(r0->first_ready_after[i] >= 0 ? r0->first_ready_after[i] : NAN));
        json_array_append_new(scale, e);
    }
    return scale;
}

/* The objectives' verdicts. */
static json_t *objectives_json(const rep_verdict *verdicts, size_t nv)
{
    json_t *objs = json_array();
    for (size_t i = 0; i < nv; i++) {
        const rep_verdict *v = &verdicts[i];
        json_t *o = json_object();
        json_object_set_new(o, "objective", json_string(v->text));
        json_object_set_new(o, "status",
                            json_string(!v->known ? "not measured"
                                        : v->met  ? "met"
                                                  : "failed"));
        json_object_set_new(o, "uncertain", json_boolean(v->uncertain));
        json_object_set_new(o, "measured", v->known ? real_or_null(v->mean) : json_null());
        json_object_set_new(o, "ci95_half_width", v->known ? real_or_null(v->half) : json_null());
        if (v->beyond)
            json_object_set_new(o, "beyond_range", json_true());
        json_array_append_new(objs, o);
    }
    return objs;
}

/* Each replication's kernel events and unfinished requests. */
static json_t *replications_json(const eng_summary *sum)
{
    json_t *reps = json_array();
    for (int r = 0; r < sum->replications; r++) {
        json_t *o = json_object();
        json_object_set_new(o, "replication", json_integer(sum->reps[r].replication));
        json_object_set_new(o, "events", json_integer((json_int_t)sum->reps[r].events));
        json_object_set_new(o, "unfinished", num(sum->reps[r].unfinished));
        json_array_append_new(reps, o);
    }
    return reps;
}

/* The alarms (seed §9.3 unless the scenario gives its own): when each fired, per
 * replication. */
static json_t *alarms_json(const eng_summary *sum)
{
    json_t *alarms = json_array();
    const mdl_scenario *s = sum->scenario;
    for (size_t a = 0; a < s->nalarms; a++) {
        const mdl_alarm *al = &s->alarms[a];
        json_t *o = json_object(), *first = json_array(), *in = json_array();
        json_object_set_new(o, "name", json_string(al->name));
        json_object_set_new(o, "severity", json_string(al->critical ? "critical" : "warning"));
        json_object_set_new(o, "metric", json_string(mdl_alarm_metric_names[al->metric]));
        json_object_set_new(o, "threshold", num(al->threshold));
        json_object_set_new(o, "period_s", num(sim_to_sec(al->period)));
        json_object_set_new(o, "evaluation_periods", json_integer(al->evaluation_periods));
        for (int rr = 0; rr < sum->replications; rr++) {
            double t = sum->reps[rr].alarm_first_s[a];
            json_array_append_new(first, t >= 0 ? num(t) : json_null());
            json_array_append_new(in, num(sum->reps[rr].alarm_s[a]));
        }
        json_object_set_new(o, "first_fired_s", first);
        json_object_set_new(o, "in_alarm_s", in);
        json_array_append_new(alarms, o);
    }
    return alarms;
}

/* Recovery from the run's first failure, beside its row of the seed's HA table (§6.3), and
 * every row that happened, over all its occurrences; NULL when the run had no failure (or, with
 * *oom set, when out of memory). */
static json_t *recovery_json(const eng_summary *sum, int *oom)
{
    const mdl_event *fault = mdl_first_failure(sum->scenario);
    if (!fault)
        return NULL;
    const mdl_ha_row *row = mdl_ha_row_of(fault->type);
    json_t *rec = json_object();
    json_object_set_new(rec, "failure", json_string(row->scenario));
    json_object_set_new(rec, "seed_solution", json_string(row->solution));
    json_object_set_new(rec, "at_s", num(sim_to_sec(fault->at)));
    double *v = malloc(((size_t)sum->replications * ENG_MAX_FAULTS + 1) * sizeof *v);
    if (!v) {
        json_decref(rec);
        *oom = 1;
        return NULL;
    }
    for (int m = 0; m < REC_N; m++) {
        for (int rr = 0; rr < sum->replications; rr++)
            v[rr] = rec_rep(&sum->reps[rr], m);
        json_object_set_new(
            rec, rec_keys[m],
            recovery_stats(v, sum->replications, rec_target(row, m), "unrecovered_replications"));
    }
    json_t *rows = json_array();
    for (int k = 0; k < MDL_HA_ROWS; k++) {
        const mdl_ha_row *hr = mdl_ha_row_of(mdl_ha_events[k]);
        json_t *o = NULL;
        for (int m = 0; m < REC_N; m++) {
            int n = 0;
            for (int rr = 0; rr < sum->replications; rr++)
                for (size_t i = 0; i < sum->reps[rr].nfaults; i++) {
                    const eng_fault *x = &sum->reps[rr].faults[i];
                    if (x->type == (int)mdl_ha_events[k])
                        v[n++] = rec_fault(x, m);
                }
            if (n == 0)
                break;
            if (!o) {
                double failed = 0;
                for (int rr = 0; rr < sum->replications; rr++)
                    for (size_t i = 0; i < sum->reps[rr].nfaults; i++)
                        if (sum->reps[rr].faults[i].type == (int)mdl_ha_events[k])
                            failed += sum->reps[rr].faults[i].failed / n;
                o = json_object();
                json_object_set_new(o, "failure", json_string(hr->scenario));
                json_object_set_new(o, "seed_solution", json_string(hr->solution));
                json_object_set_new(o, "occurrences", json_integer(n));
                json_object_set_new(o, "failed_requests_mean", num(failed));
            }
            json_object_set_new(o, rec_keys[m],
                                recovery_stats(v, n, rec_target(hr, m), "unrecovered"));
        }
        if (o)
            json_array_append_new(rows, o);
    }
    free(v);
    json_object_set_new(rec, "rows", rows);
    /* a region failure's DR runbook, step by step beside the seed's figure */
    if (eng_summary_figure(sum, eng_dr_step_keys[0])) {
        json_t *steps = json_array();
        for (int k = 0; k < ENG_DR_STEPS; k++) {
            const eng_figure *g = eng_summary_figure(sum, eng_dr_step_keys[k]);
            json_t *o = json_object();
            json_object_set_new(o, "step", json_string(eng_dr_step_names[k]));
            json_object_set_new(o, "figure", json_string(eng_dr_step_keys[k]));
            json_object_set_new(o, "mean_s", g ? num(g->ci.mean) : json_null());
            json_object_set_new(o, "ci95_half_width_s", g ? num(g->ci.half) : json_null());
            json_object_set_new(o, "seed_s", num(eng_dr_step_paper_s[k]));
            json_object_set_new(o, "before_users_served", json_boolean(k <= ENG_DR_SCALE));
            json_array_append_new(steps, o);
        }
        json_object_set_new(rec, "runbook", steps);
    }
    return rec;
}

/* The month's bill line by line (means across replications; the total's interval is the
 * monthly_cost figure's). */
static json_t *bill_json(const cost_month *bill)
{
    json_t *c = json_object(), *lines = json_array();
    json_object_set_new(c, "month_hours", num(bill->month_hours));
    json_object_set_new(c, "scale", num(bill->scale));
    json_object_set_new(c, "total_usd", num((double)bill->total / 1e6));
    for (size_t i = 0; i < bill->n; i++) {
        const cost_line *l = &bill->lines[i];
        json_t *o = json_object();
        json_object_set_new(o, "component", json_string(l->component));
        json_object_set_new(o, "item", json_string(l->item));
        json_object_set_new(o, "quantity", num(l->quantity));
        json_object_set_new(o, "unit", json_string(l->unit));
        json_object_set_new(o, "unit_price_usd", num((double)l->unit_price / 1e6));
        json_object_set_new(o, "monthly_usd", num((double)l->monthly / 1e6));
        json_object_set_new(o, "source", json_string(l->source));
        json_array_append_new(lines, o);
    }
    json_object_set_new(c, "lines", lines);
    return c;
}

/* One event of a two-region run: a region lost (the scenario's regions.lose_*_at), Route 53
 * answering the survivor, the copy promoted — at at_s (NaN: not written), `to` the region
 * that took the users (NULL: none). */
static void region_event(json_t *events, const char *type, double at_s, const char *region,
                         const char *to)
{
    if (!isfinite(at_s))
        return;
    json_t *e = json_pack("{s:s, s:o, s:n, s:s}", "type", type, "at_s", num(at_s), "every_s",
                          "region", region);
    if (e && to)
        json_object_set_new(e, "to", json_string(to));
    json_array_append_new(events, e);
}

/* A figure's mean when positive (a time after the loss), else NaN. */
static double figure_mean(const eng_summary *sum, const char *key)
{
    const eng_figure *f = eng_summary_figure(sum, key);
    return f && f->ci.mean > 0 ? f->ci.mean : NAN;
}

/* A lost region (docs/multi-region.md) as the scenario's events, so every time chart marks and
 * zooms on it as on a scenario's own failure (plot/marks.c): the loss at regions.lose_*_at, and
 * what the run measured after it — Route 53 answering the survivor (figures.region_moved) and,
 * us-east-1 lost, eu-west-1's copy taking writes (figures.promoted) — at the loss plus their
 * means across replications. */
static void region_events(json_t *events, const eng_summary *sum)
{
    const mdl_regions_config *g = &sum->scenario->regions;
    if (!events || !g->enabled || g->serve != MDL_REGIONS_TWO)
        return;
    bool eu = g->lose_at > 0;
    if (!eu && g->lose_us_at <= 0)
        return;
    double lost = sim_to_sec(eu ? g->lose_at : g->lose_us_at);
    const char *from = eu ? "eu-west-1" : "us-east-1", *to = eu ? "us-east-1" : "eu-west-1";
    region_event(events, "region_failure", lost, from, NULL);
    region_event(events, "region_moved", lost + figure_mean(sum, "region_moved"), from, to);
    if (!eu)
        region_event(events, "replica_promoted", lost + figure_mean(sum, "promoted"), to, NULL);
}

json_t *rep_doc(const eng_summary *sum, const char *scenario_path, const rep_verdict *verdicts,
                size_t nv, const cost_month *bill)
{
    const mdl_scenario *s = sum->scenario;
    json_t *root = json_object();
    if (!root)
        return NULL;
    json_object_set_new(root, "schema_version", json_integer(REP_SCHEMA_VERSION));
    json_object_set_new(root, "simulate_version", json_string(SIMULATE_VERSION));
    json_t *scn = scenario_json(s, scenario_path);
    region_events(json_object_get(scn, "events"), sum);
    json_object_set_new(root, "scenario", scn);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
    /* a string: seeds go to 2^64-1, beyond what JSON readers hold exactly in a double */
    json_object_set_new(root, "seed", json_string(seed));
    json_object_set_new(root, "replications", json_integer(sum->replications));
    json_object_set_new(root, "engine", json_string(sum->engine));
    json_object_set_new(root, "fidelity", json_string(mdl_fidelity_name(s->fidelity)));
    json_object_set_new(root, "confidence_level", num(STAT_CONFIDENCE));
    double window = sum->reps[0].window;
    json_object_set_new(root, "window_s", num(window));

    json_t *figs = json_object();
    for (size_t i = 0; i < sum->nfigures; i++)
        json_object_set_new(figs, sum->figures[i].key,
                            figure_json(&sum->figures[i], sum->replications));
    json_object_set_new(root, "figures", figs);

    json_object_set_new(root, "classes", classes_json(sum));
    json_object_set_new(root, "latency_histogram_pooled", histogram_json(sum));
    json_t *series = series_json(sum);
    if (series)
        json_object_set_new(root, "series", series);
    json_object_set_new(root, "usage", usage_json(sum));
    json_object_set_new(root, "scale_events_replication_0", scale_json(sum));
    json_object_set_new(root, "objectives", objectives_json(verdicts, nv));
    json_object_set_new(root, "replication_runs", replications_json(sum));
    json_object_set_new(root, "alarms", alarms_json(sum));
    int oom = 0;
    json_t *rec = recovery_json(sum, &oom);
    if (oom) {
        json_decref(root);
        return NULL;
    }
    if (rec)
        json_object_set_new(root, "recovery", rec);
    if (bill)
        json_object_set_new(root, "cost", bill_json(bill));
    /* the parameters the run rested on, with where each came from (the design-review pack's
     * "assumptions and sources"); none when the scenario cannot be read again (a report built
     * from a scenario in memory) */
    json_t *as = json_array();
    if (as && scenario_path) {
        base_err ignored;
        if (scn_assumptions(scenario_path, add_assumption, as, &ignored) != BASE_OK)
            json_array_clear(as);
    }
    json_object_set_new(root, "assumptions", as ? as : json_array());

    return root;
}

char *rep_text(const json_t *doc)
{
    return json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
}

char *rep_json(const eng_summary *sum, const char *scenario_path, const rep_verdict *verdicts,
               size_t nv, const cost_month *bill)
{
    json_t *root = rep_doc(sum, scenario_path, verdicts, nv, bill);
    if (!root)
        return NULL;
    char *text = rep_text(root);
    json_decref(root);
    return text;
}

int rep_write_text(const char *text, const char *dir, char *path_out, size_t path_len,
                   base_err *err)
{
    int st = base_mkdir_p(dir, err);
    if (st != BASE_OK)
        return st;
    char path[4096];
    snprintf(path, sizeof path, "%s/report.json", dir);
    if (path_out)
        snprintf(path_out, path_len, "%s", path);
    size_t n = strlen(text);
    /* end with a newline like every text file */
    char *t2 = malloc(n + 2);
    if (!t2)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory writing the report");
    memcpy(t2, text, n);
    t2[n] = '\n';
    t2[n + 1] = '\0';
    st = base_write_file_atomic(path, t2, n + 1, err);
    free(t2);
    return st;
}
