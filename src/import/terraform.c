/*
 * terraform.c — the Terraform JSON mapped back onto scenario keys (docs/emit.md): the
 * database (aws_db_instance, or aws_rds_cluster with its instances), the ElastiCache
 * replication group, the CloudWatch alarms, and the DR region (the cross-region replica or the
 * Global Database secondary, the Route 53 health check). The inverse of src/emit/terraform.c;
 * a resource of the DR region is one whose provider is the aliased `aws.dr`.
 */
#include "import/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "io/io.h"
#include "model/model.h"

/* A resource of the second active region (emit's region.c, provider aws.eu_west_1): its copy
 * of the database, its Redis. The scenario's `regions:` is the carried copy's (docs/emit.md). */
static bool in_second(const json_t *body)
{
    const char *p = json_string_value(json_object_get(body, "provider"));
    return p && !strcmp(p, "aws.eu_west_1");
}

/* In the DR region, or in the second region: not the primary's. */
static bool in_dr(const json_t *body)
{
    const char *p = json_string_value(json_object_get(body, "provider"));
    return (p && strstr(p, ".dr") != NULL) || in_second(body);
}

static int put_text(imp_ctx *c, const char *key, const char *text)
{
    return imp__put(c, key, emit_scalar_json(text, 1));
}

/* A number as the scenario writes it; the carried text when it is the same number. */
static int put_number(imp_ctx *c, const char *key, double v)
{
    json_t *cv = imp__carried(c, key);
    if (cv) {
        double have = json_is_number(cv)   ? json_number_value(cv)
                      : json_is_string(cv) ? strtod(json_string_value(cv), NULL)
                                           : NAN;
        if (fabs(have - v) <= 1e-9 * fmax(1, fabs(v)))
            return imp__put(c, key, json_deep_copy(cv));
    }
    char b[48];
    snprintf(b, sizeof b, "%.10g", v);
    return put_text(c, key, b);
}

static int database(imp_ctx *c)
{
    json_t *inst = json_object_get(c->tf, "aws_db_instance");
    json_t *cluster = json_object_get(c->tf, "aws_rds_cluster");
    const char *name;
    json_t *b, *main = NULL, *aurora = NULL;
    int replicas = 0, st = BASE_OK;
    json_object_foreach(inst, name, b)
    {
        if (in_dr(b))
            continue;
        if (json_object_get(b, "replicate_source_db"))
            replicas++;
        else if (!main)
            main = b;
        else
            st = imp__note(c, imp__tf_file(c, "aws_db_instance", name),
                           "aws_db_instance.%s: a second primary: not mapped", name);
    }
    json_object_foreach(cluster, name, b) if (!in_dr(b) && !aurora) aurora = b;
    if (!main && !aurora)
        return st ? st : imp__put(c, "database.enabled", json_false());
    if (!st)
        st = imp__put(c, "database.enabled", json_true());
    if (main) {
        const char *cls = json_string_value(json_object_get(main, "instance_class"));
        json_t *gb = json_object_get(main, "allocated_storage");
        if (!st)
            st = put_text(c, "database.engine", "rds");
        if (!st && cls)
            st = put_text(c, "database.instance_class", cls);
        if (!st)
            st = imp__put(c, "database.multi_az",
                          json_boolean(json_is_true(json_object_get(main, "multi_az"))));
        if (!st)
            st = imp__put(c, "database.read_replicas", json_integer(replicas));
        if (!st && json_is_number(gb)) {
            /* emit writes ceil(storage_gb): the carried size when it rounds up to this */
            json_t *cv = imp__carried(c, "database.storage_gb");
            double have = json_is_number(cv)   ? json_number_value(cv)
                          : json_is_string(cv) ? strtod(json_string_value(cv), NULL)
                                               : NAN;
            if (ceil(have) == json_number_value(gb))
                st = imp__put(c, "database.storage_gb", json_deep_copy(cv));
            else
                st = put_number(c, "database.storage_gb", json_number_value(gb));
        }
        return st;
    }
    json_t *scaling = json_object_get(aurora, "serverlessv2_scaling_configuration");
    if (json_is_array(scaling))
        scaling = json_array_get(scaling, 0);
    if (!st)
        st = put_text(c, "database.engine", "aurora");
    json_t *lo = json_object_get(scaling, "min_capacity"),
           *hi = json_object_get(scaling, "max_capacity");
    if (!st && json_is_number(lo))
        st = put_number(c, "database.aurora.acu_min", json_number_value(lo));
    if (!st && json_is_number(hi))
        st = put_number(c, "database.aurora.acu_max", json_number_value(hi));
    if (!st && !scaling)
        st = imp__note(c, imp__tf_file(c, "aws_rds_cluster", NULL),
                       "aws_rds_cluster without serverlessv2_scaling_configuration:"
                       " the model's Aurora is Serverless v2; ACUs not set");
    const char *stype = json_string_value(json_object_get(aurora, "storage_type"));
    if (!st)
        st = imp__put(c, "database.aurora.io_optimized",
                      json_boolean(stype && !strcmp(stype, "aurora-iopt1")));
    int n = 0;
    json_object_foreach(json_object_get(c->tf, "aws_rds_cluster_instance"), name, b) if (!in_dr(b))
        n++;
    if (!st)
        st = imp__put(c, "database.aurora.readers", json_integer(n > 0 ? n - 1 : 0));
    return st;
}

static int cache(imp_ctx *c)
{
    json_t *g = json_object_get(c->tf, "aws_elasticache_replication_group");
    const char *name;
    json_t *b, *main = NULL;
    json_object_foreach(g, name, b) if (!in_dr(b) && !main) main = b;
    if (!main)
        return imp__put(c, "redis.enabled", json_false());
    int st = imp__put(c, "redis.enabled", json_true());
    const char *type = json_string_value(json_object_get(main, "node_type"));
    if (!st && type)
        st = put_text(c, "redis.node_type", type);
    json_t *n = json_object_get(main, "num_cache_clusters");
    if (!st && json_is_integer(n))
        st = imp__put(c, "redis.nodes", json_integer(json_integer_value(n)));
    return st;
}

/* The API container's request over its limit (CPU or memory), from what the manifests gave or
 * the carried scenario: Container Insights' pod metrics are over the limit, the simulated ones
 * over the request (emit scales the threshold by request / limit). */
static double request_over_limit(imp_ctx *c, bool cpu)
{
    const char *what = cpu ? "cpu" : "memory";
    double v[2];
    static const char *const kinds[2] = {"requests", "limits"};
    for (int k = 0; k < 2; k++) {
        json_t *x = json_object_get(
            json_object_get(json_object_get(json_object_get(c->set, "api"), "resources"), kinds[k]),
            what);
        if (!x) {
            char key[64];
            snprintf(key, sizeof key, "api.resources.%s.%s", kinds[k], what);
            x = imp__carried(c, key);
        }
        const char *t = json_string_value(x);
        char b[32];
        if (!t && json_is_integer(x)) {
            snprintf(b, sizeof b, "%lld", (long long)json_integer_value(x));
            t = b;
        }
        int64_t q;
        base_err e;
        if (!t || (cpu ? scn_parse_cpu(t, &q, &e) : scn_parse_memory(t, &q, &e)))
            return NAN;
        v[k] = (double)q;
    }
    return v[1] > 0 ? v[0] / v[1] : NAN;
}

static int alarm(imp_ctx *c, const char *name, const json_t *a, json_t *list)
{
    const char *ns = json_string_value(json_object_get(a, "namespace"));
    const char *mn = json_string_value(json_object_get(a, "metric_name"));
    /* the alarm on a health check's status goes with dns.health_check (dr below) */
    if (ns && mn && !strcmp(ns, "AWS/Route53") && !strcmp(mn, "HealthCheckStatus"))
        return BASE_OK;
    /* the read replicas rule's trigger goes with its scaling keys (replica_scaling below) */
    if (!strncmp(name, "db_replicas_scale_", 18))
        return BASE_OK;
    json_t *q = json_object_get(a, "metric_query");
    double thr = json_number_value(json_object_get(a, "threshold"));
    long long period = json_integer_value(json_object_get(a, "period"));
    const char *metric = NULL;
    if (q) {
        /* emit's metric math 100 * HTTPCode_Target_5XX_Count / RequestCount */
        size_t i;
        json_t *x;
        bool errors = false, requests = false;
        json_array_foreach(q, i, x)
        {
            const char *m =
                json_string_value(json_object_get(json_object_get(x, "metric"), "metric_name"));
            errors |= m && !strcmp(m, "HTTPCode_Target_5XX_Count");
            requests |= m && !strcmp(m, "RequestCount");
            json_t *p = json_object_get(json_object_get(x, "metric"), "period");
            if (json_is_integer(p))
                period = json_integer_value(p);
        }
        if (errors && requests)
            metric = "error_rate";
    } else if (ns && mn && !strcmp(ns, "AWS/RDS") && !strcmp(mn, "CPUUtilization")) {
        metric = "database_cpu";
    } else if (ns && mn && !strcmp(ns, "AWS/ApplicationELB") && !strcmp(mn, "TargetResponseTime")) {
        metric = "api_p99";
        thr *= 1000.0; /* seconds -> ms */
    } else if (ns && mn && !strcmp(ns, "ContainerInsights") &&
               (!strcmp(mn, "pod_cpu_utilization_over_pod_limit") ||
                !strcmp(mn, "pod_memory_utilization_over_pod_limit"))) {
        bool cpu = strstr(mn, "cpu") != NULL;
        metric = cpu ? "pod_cpu" : "pod_memory";
        double r = request_over_limit(c, cpu);
        if (isnan(r) || r <= 0)
            return imp__note(c, imp__tf_file(c, "aws_cloudwatch_metric_alarm", name),
                             "aws_cloudwatch_metric_alarm.%s: the API's request "
                             "and limit are unknown, so its threshold is: not mapped",
                             name);
        thr /= r;
    }
    if (!metric)
        return imp__note(c, imp__tf_file(c, "aws_cloudwatch_metric_alarm", name),
                         "aws_cloudwatch_metric_alarm.%s: a metric the model "
                         "does not simulate: not mapped",
                         name);
    if (period <= 0 || !json_is_integer(json_object_get(a, "evaluation_periods")))
        return imp__note(c, imp__tf_file(c, "aws_cloudwatch_metric_alarm", name),
                         "aws_cloudwatch_metric_alarm.%s: no period or "
                         "evaluation_periods: not mapped",
                         name);
    const char *desc = json_string_value(json_object_get(a, "alarm_description"));
    const char *sev = json_string_value(json_object_get(json_object_get(a, "tags"), "severity"));
    bool critical = (sev && !strcmp(sev, "critical")) || (desc && strstr(desc, "critical"));
    char per[32], th[48];
    snprintf(per, sizeof per, "%llds", period);
    snprintf(th, sizeof th, "%.10g", thr);
    const char *alarm_name = json_string_value(json_object_get(a, "alarm_name"));
    json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:I, s:s}", "name", alarm_name ? alarm_name : name,
                          "metric", metric, "threshold", emit_scalar_json(th, 1), "period", per,
                          "evaluation_periods",
                          (json_int_t)json_integer_value(json_object_get(a, "evaluation_periods")),
                          "severity", critical ? "critical" : "warning");
    return o && !json_array_append_new(list, o) ? BASE_OK : BASE_ENOMEM;
}

/* An alarm item as the carried scenario writes it, when it is the same alarm: its threshold
 * and period text kept ("1m" against "60s"). */
static json_t *same_carried(const json_t *carried, const json_t *a)
{
    size_t i;
    json_t *x;
    const char *name = json_string_value(json_object_get(a, "name"));
    json_array_foreach(carried, i, x)
    {
        const char *n = json_string_value(json_object_get(x, "name"));
        if (!n || strcmp(n, name))
            continue;
        const char *m = json_string_value(json_object_get(x, "metric"));
        const char *sev = json_string_value(json_object_get(x, "severity"));
        json_t *ev = json_object_get(x, "evaluation_periods"),
               *thr = json_object_get(x, "threshold");
        const char *per = json_string_value(json_object_get(x, "period"));
        double t = json_is_number(thr)   ? json_number_value(thr)
                   : json_is_string(thr) ? strtod(json_string_value(thr), NULL)
                                         : NAN;
        double mine = strtod(json_string_value(json_object_get(a, "threshold"))
                                 ? json_string_value(json_object_get(a, "threshold"))
                                 : "nan",
                             NULL);
        if (json_is_integer(json_object_get(a, "threshold")))
            mine = (double)json_integer_value(json_object_get(a, "threshold"));
        int64_t ns = 60000000000LL; /* the key's default, 1m */
        base_err e;
        if (per && scn_parse_duration(per, &ns, &e))
            return NULL;
        long long secs = (long long)ceil((double)ns / 1e9 - 1e-12);
        char mine_per[32];
        snprintf(mine_per, sizeof mine_per, "%llds", secs);
        bool same =
            m && !strcmp(m, json_string_value(json_object_get(a, "metric"))) &&
            !strcmp(sev ? sev : "warning", json_string_value(json_object_get(a, "severity"))) &&
            (ev ? json_integer_value(ev) : 5) ==
                json_integer_value(json_object_get(a, "evaluation_periods")) &&
            !strcmp(mine_per, json_string_value(json_object_get(a, "period"))) &&
            fabs(t - mine) <= 1e-6 * fmax(1, fabs(t));
        return same ? json_deep_copy(x) : NULL;
    }
    return NULL;
}

static size_t rank(const json_t *carried, const mdl_alarm *defs, size_t ndefs, const char *name)
{
    size_t i = imp__index_by_name(carried, name);
    if (i != (size_t)-1)
        return i;
    if (!carried)
        for (i = 0; i < ndefs; i++)
            if (!strcmp(defs[i].name, name))
                return i;
    return (size_t)-1;
}

static int alarms(imp_ctx *c)
{
    json_t *res = json_object_get(c->tf, "aws_cloudwatch_metric_alarm");
    if (!res)
        return BASE_OK;
    json_t *list = json_array();
    const char *name;
    json_t *b;
    int st = list ? BASE_OK : BASE_ENOMEM;
    json_object_foreach(res, name, b) if (!st) st = alarm(c, name, b, list);
    json_t *carried = imp__carried(c, "alarms");
    if (!json_is_array(carried))
        carried = NULL;
    /* what emit leaves out: a database alarm without a database */
    size_t i;
    json_t *x;
    json_t *db = json_object_get(json_object_get(c->set, "database"), "enabled");
    json_array_foreach(carried, i, x)
    {
        const char *m = json_string_value(json_object_get(x, "metric"));
        if (m && !strcmp(m, "database_cpu") && json_is_false(db))
            json_array_append(list, x);
    }
    for (i = 0; i < json_array_size(list); i++) {
        json_t *same = same_carried(carried, json_array_get(list, i));
        if (same)
            json_array_set_new(list, i, same);
    }
    mdl_alarm defs[MDL_MAX_ALARMS];
    size_t ndefs = mdl_alarm_defaults(defs);
    size_t n = json_array_size(list);
    for (i = 1; i < n; i++) /* insertion sort: the carried order, the defaults', then names */
        for (size_t j = i; j > 0; j--) {
            json_t *a = json_array_get(list, j - 1), *z = json_array_get(list, j);
            const char *na = json_string_value(json_object_get(a, "name"));
            const char *nz = json_string_value(json_object_get(z, "name"));
            size_t ra = rank(carried, defs, ndefs, na), rz = rank(carried, defs, ndefs, nz);
            if (ra < rz || (ra == rz && strcmp(na, nz) <= 0))
                break;
            json_incref(a);
            json_array_set(list, j - 1, z);
            json_array_set_new(list, j, a);
        }
    return st ? (json_decref(list), st) : imp__put(c, "alarms", list);
}

/* The failover record of this type (PRIMARY, SECONDARY), or NULL. */
static json_t *failover(imp_ctx *c, const char *type)
{
    const char *name;
    json_t *b;
    json_object_foreach(json_object_get(c->tf, "aws_route53_record"), name, b)
    {
        json_t *p = json_object_get(b, "failover_routing_policy");
        if (json_is_array(p))
            p = json_array_get(p, 0);
        const char *t = json_string_value(json_object_get(p, "type"));
        if (t && !strcmp(t, type))
            return b;
    }
    return NULL;
}

/* The DR region (emit's dr.c): dr.enabled when any resource is in the DR region (provider
 * aws.dr) or a SECONDARY failover record exists; dns.health_check and its interval and failure
 * threshold from the health check the PRIMARY record names (else the only one). Route 53's
 * own defaults when a field is absent: 30 s, 3 failures (CreateHealthCheck). */
static int dr(imp_ctx *c)
{
    bool in_region = failover(c, "SECONDARY") != NULL;
    const char *type, *name;
    json_t *t, *b;
    json_object_foreach(c->tf, type, t) json_object_foreach(t, name, b) in_region |=
        in_dr(b) && !in_second(b);
    int st = imp__put(c, "dr.enabled", json_boolean(in_region));
    json_t *checks = json_object_get(c->tf, "aws_route53_health_check");
    json_t *hc = NULL;
    const char *ref = json_string_value(json_object_get(failover(c, "PRIMARY"), "health_check_id"));
    size_t nfail = 0; /* the failover records' checks: not the latency records' (region.c) */
    json_object_foreach(checks, name, b) nfail += !strstr(name, "_latency");
    json_object_foreach(checks, name, b)
    {
        char want[160];
        snprintf(want, sizeof want, "${aws_route53_health_check.%s.id}", name);
        if ((ref && !strcmp(ref, want)) || (!ref && nfail == 1 && !strstr(name, "_latency")))
            hc = b;
    }
    /* two active regions without a DR region: the latency records' checks are the dns.*
     * the model's checkers used (docs/multi-region.md); dns.health_check (the DR failover's
     * check and alarm) stays the carried scenario's */
    json_t *lat = json_object_get(checks, "primary_latency");
    bool latency_only = !in_region && lat && !failover(c, "PRIMARY");
    if (latency_only)
        hc = lat;
    if (!st && !latency_only)
        st = imp__put(c, "dns.health_check", json_boolean(hc != NULL));
    if (!hc || st)
        return st;
    json_t *iv = json_object_get(hc, "request_interval");
    json_t *ft = json_object_get(hc, "failure_threshold");
    st = put_text(c, "dns.health_check_interval",
                  json_is_integer(iv) && json_integer_value(iv) == 10 ? "10s" : "30s");
    if (!st)
        st = imp__put(c, "dns.health_check_failure_threshold",
                      json_integer(json_is_integer(ft) ? json_integer_value(ft) : 3));
    return st;
}

/* A percentage key ("70%") from a number of percent: the carried text when it is the same. */
static int put_percent(imp_ctx *c, const char *key, double pct)
{
    json_t *cv = imp__carried(c, key);
    const char *t = json_string_value(cv);
    if (t && fabs(strtod(t, NULL) - pct) <= 0.05 + 1e-9)
        return imp__put(c, key, json_deep_copy(cv));
    char b[48];
    snprintf(b, sizeof b, "%.10g%%", pct);
    return put_text(c, key, b);
}

static json_t *tf_get(imp_ctx *c, const char *type, const char *name)
{
    return json_object_get(json_object_get(c->tf, type), name);
}

/* Read replicas added under load (emit's replicas.c): Aurora Auto Scaling's target and policy
 * give reader_scaling's bounds, target and cooldowns; the rule's alarms on the primary's CPU
 * (RDS, or Aurora on primary_cpu) its target and datapoints. What neither says (the creation
 * time; for Aurora the datapoints and scale-in ratio Application Auto Scaling fixes; for the
 * rule its bounds and cooldowns, written only in the alarms' descriptions) stays the carried
 * scenario's. */
static int replica_scaling(imp_ctx *c)
{
    json_t *t = tf_get(c, "aws_appautoscaling_target", "aurora_readers");
    json_t *p = tf_get(c, "aws_appautoscaling_policy", "aurora_readers");
    json_t *out = tf_get(c, "aws_cloudwatch_metric_alarm", "db_replicas_scale_out");
    json_t *in = tf_get(c, "aws_cloudwatch_metric_alarm", "db_replicas_scale_in");
    const char *engine =
        json_string_value(json_object_get(json_object_get(c->set, "database"), "engine"));
    bool aurora = engine && !strcmp(engine, "aurora");
    const char *sec = aurora ? "database.aurora.reader_scaling" : "database.replica_scaling";
    char k[96];
    int st = BASE_OK;
    if (t && aurora) {
        json_t *cfg =
            json_array_get(json_object_get(p, "target_tracking_scaling_policy_configuration"), 0);
        st = imp__put(c, "database.aurora.reader_scaling.enabled", json_true());
        if (!st)
            st = put_text(c, "database.aurora.reader_scaling.metric", "reader_cpu");
        if (!st)
            st = imp__put(c, "database.aurora.reader_scaling.min",
                          json_integer(json_integer_value(json_object_get(t, "min_capacity"))));
        if (!st)
            st = imp__put(c, "database.aurora.reader_scaling.max",
                          json_integer(json_integer_value(json_object_get(t, "max_capacity"))));
        if (!st && json_is_number(json_object_get(cfg, "target_value")))
            st = put_percent(c, "database.aurora.reader_scaling.target",
                             json_number_value(json_object_get(cfg, "target_value")));
        if (!st && json_is_integer(json_object_get(cfg, "scale_in_cooldown")))
            st = imp__put_secs(
                c, "database.aurora.reader_scaling.scale_in_cooldown",
                (double)json_integer_value(json_object_get(cfg, "scale_in_cooldown")), -1);
        if (!st && json_is_integer(json_object_get(cfg, "scale_out_cooldown")))
            st = imp__put_secs(
                c, "database.aurora.reader_scaling.scale_out_cooldown",
                (double)json_integer_value(json_object_get(cfg, "scale_out_cooldown")), -1);
        return st;
    }
    if (!out || !engine)
        return BASE_OK;
    snprintf(k, sizeof k, "%s.enabled", sec);
    st = imp__put(c, k, json_true());
    snprintf(k, sizeof k, "%s.metric", sec);
    if (!st)
        st = put_text(c, k, "primary_cpu");
    snprintf(k, sizeof k, "%s.target", sec);
    if (!st && json_is_number(json_object_get(out, "threshold")))
        st = put_percent(c, k, json_number_value(json_object_get(out, "threshold")));
    snprintf(k, sizeof k, "%s.scale_out_periods", sec);
    if (!st && json_is_integer(json_object_get(out, "evaluation_periods")))
        st = imp__put(c, k,
                      json_integer(json_integer_value(json_object_get(out, "evaluation_periods"))));
    snprintf(k, sizeof k, "%s.scale_in_periods", sec);
    if (!st && json_is_integer(json_object_get(in, "evaluation_periods")))
        st = imp__put(c, k,
                      json_integer(json_integer_value(json_object_get(in, "evaluation_periods"))));
    return st;
}

int imp__terraform(imp_ctx *c)
{
    int st = database(c);
    if (!st)
        st = cache(c);
    if (!st)
        st = alarms(c);
    if (!st)
        st = dr(c);
    if (!st)
        st = replica_scaling(c);
    const char *type;
    json_t *b;
    static const char *const known[] = {"aws_db_instance",
                                        "aws_rds_cluster",
                                        "aws_rds_cluster_instance",
                                        "aws_elasticache_replication_group",
                                        "aws_cloudwatch_metric_alarm",
                                        "aws_rds_global_cluster",
                                        "aws_route53_health_check",
                                        "aws_route53_record",
                                        "aws_appautoscaling_target",
                                        "aws_appautoscaling_policy"};
    json_object_foreach(c->tf, type, b)
    {
        bool k = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            k |= !strcmp(type, known[i]);
        if (!k && !st)
            st = imp__note(c, imp__tf_file(c, type, NULL), "%s (%zu): not simulated", type,
                           json_object_size(b));
    }
    return st;
}
