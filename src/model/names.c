/*
 * names.c — names of request classes and error causes, and the checks between keys that the
 * key table cannot express.
 */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const class_names[MDL_NCLASS] = {"static", "api_read", "api_write"};

static const struct {
    const char *name;
    int http;
} causes[MDL_NCAUSE] = {
    [MDL_ERR_BACKLOG_FULL] = {"backlog_full", 502},
    [MDL_ERR_WORKER_TIMEOUT] = {"worker_timeout", 502},
    [MDL_ERR_ALB_TIMEOUT] = {"alb_timeout", 504},
    [MDL_ERR_NO_TARGET] = {"no_target", 503},
    [MDL_ERR_POD_TERMINATED] = {"pod_terminated", 502},
    [MDL_ERR_OOM_KILLED] = {"oom_killed", 502},
    [MDL_ERR_TARGET_DOWN] = {"target_down", 502},
    [MDL_ERR_DB_CONNECTIONS] = {"db_connections", 500},
    [MDL_ERR_POOL_TIMEOUT] = {"pool_timeout", 500},
    [MDL_ERR_CLIENT_REFUSED] = {"client_refused", 500},
    [MDL_ERR_DB_FAILOVER] = {"db_failover", 500},
};

static const char *const fidelity_names[] = {
    [MDL_FIDELITY_REQUEST] = "request", [MDL_FIDELITY_FLOW] = "flow", [MDL_FIDELITY_AUTO] = "auto"};

const char *mdl_fidelity_name(mdl_fidelity f)
{
    return (unsigned)f <= MDL_FIDELITY_AUTO ? fidelity_names[f] : "?";
}

int mdl_fidelity_parse(const char *text, mdl_fidelity *out)
{
    for (int f = MDL_FIDELITY_REQUEST; f <= MDL_FIDELITY_AUTO; f++)
        if (!strcmp(text, fidelity_names[f])) {
            *out = (mdl_fidelity)f;
            return 0;
        }
    return -1;
}

const char *mdl_class_name(mdl_class c)
{
    return (unsigned)c < MDL_NCLASS ? class_names[c] : "?";
}

const char *mdl_cause_name(mdl_cause c)
{
    return (unsigned)c < MDL_NCAUSE ? causes[c].name : "?";
}

int mdl_cause_http_status(mdl_cause c)
{
    return (unsigned)c < MDL_NCAUSE ? causes[c].http : 500;
}

double mdl_event_expected(const mdl_scenario *s, size_t i)
{
    const mdl_event *e = &s->events[i];
    sim_time end = mdl_traffic_duration(&s->traffic);
    if (e->at >= end)
        return 0;
    return e->every > 0 ? (double)(end - e->at) / (double)e->every : 1;
}

int mdl_scenario_check(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "traffic.mix");
    double sum = 0;
    for (int c = 0; c < MDL_NCLASS; c++)
        sum += s->traffic.mix[c];
    /* shares are written as percentages with at most a few decimals: 1e-9 is generous */
    if (fabs(sum - 1.0) > 1e-9)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "traffic.mix must add up to 100%% (it adds up to %.6g%%)", sum * 100);
    for (size_t i = 0; i < s->nalarms; i++) {
        const mdl_alarm *a = &s->alarms[i];
        snprintf(key, keylen, "alarms.%zu.period", i);
        if (s->series_resolution <= 0 || a->period % s->series_resolution != 0)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "an alarm's period must be a multiple of series_interval (%.0f s)",
                                sim_to_sec(s->series_resolution));
        snprintf(key, keylen, "alarms.%zu.name", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->alarms[j].name, a->name) == 0)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "two alarms are named '%s'",
                                    a->name);
    }
    snprintf(key, keylen, "%s", "month.mix");
    if (s->month.nmix > 0 && !(s->month.repeat > 0))
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "month.mix needs month.repeat: how many times this scenario's window "
                            "counts in the month");
    snprintf(key, keylen, "%s", "traffic.phases");
    if (s->traffic.nphases == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "traffic.phases needs at least one phase");
    snprintf(key, keylen, "%s", "warmup");
    if (mdl_traffic_duration(&s->traffic) <= s->warmup)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "warmup must be shorter than the phases together");
    snprintf(key, keylen, "%s", "cloudfront.enabled");
    if (!s->cdn.enabled && s->traffic.mix[MDL_STATIC] > 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "traffic.mix sends static requests but cloudfront is disabled "
                            "(static assets are served only by CloudFront + S3)");
    snprintf(key, keylen, "%s", "traffic.requests_per_user_per_minute");
    if (!s->traffic.by_rate && !(s->traffic.requests_per_user_min > 0))
        return base_err_set(
            err, BASE_EINPUT, NULL, 0, 0,
            "traffic.requests_per_user_per_minute is needed when phases give users");
    snprintf(key, keylen, "%s", "hpa.max_replicas");
    if (s->hpa.enabled && s->hpa.max_replicas < s->hpa.min_replicas)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "hpa.max_replicas (%d) is below hpa.min_replicas (%d)",
                            s->hpa.max_replicas, s->hpa.min_replicas);
    snprintf(key, keylen, "%s", "hpa.cpu_target");
    if (s->hpa.enabled && s->hpa.cpu_target == 0 && s->hpa.memory_target == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "the HPA needs a metric: hpa.cpu_target or hpa.memory_target");
    snprintf(key, keylen, "%s", "api.resources");
    if (s->api.cpu_request > s->api.cpu_limit || s->api.memory_request > s->api.memory_limit)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "api.resources: a request is above its limit");
    if (s->cluster.enabled) {
        const mdl_catalog *cat = &s->cluster.catalog;
        snprintf(key, keylen, "%s", "nodes.enabled");
        if (cat->n == 0)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "nodes need a pricing file for their instance types: add "
                                "'pricing: FILE' (the base names models/pricing/us-east-1.yaml)");
        snprintf(key, keylen, "%s", "nodes.system.instance");
        int found = s->cluster.system_nodes == 0;
        for (size_t i = 0; i < cat->n && !found; i++)
            found = !strcmp(cat->types[i].name, s->cluster.system_type);
        if (!found)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "nodes.system.instance '%s' is not in the pricing file",
                                s->cluster.system_type);
        snprintf(key, keylen, "%s", "karpenter.nodepools");
        for (size_t p = 0; p < s->cluster.npools; p++) {
            const mdl_nodepool *pool = &s->cluster.pools[p];
            for (size_t f = 0; f < pool->nfamilies; f++) {
                int any = 0;
                for (size_t i = 0; i < cat->n && !any; i++)
                    any = !strcmp(cat->types[i].family, pool->families[f]);
                if (!any)
                    return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                        "NodePool '%s': no instance type of family '%s' in the "
                                        "pricing file",
                                        pool->name, pool->families[f]);
            }
        }
        snprintf(key, keylen, "%s", "api.node_selector");
        int fits = 0;
        for (size_t p = 0; p < s->cluster.npools && !fits; p++) {
            const mdl_nodepool *pool = &s->cluster.pools[p];
            for (size_t i = 0; i < cat->n && !fits; i++) {
                const mdl_instance_type *t = &cat->types[i];
                int fam = 0;
                for (size_t f = 0; f < pool->nfamilies && !fam; f++)
                    fam = !strcmp(t->family, pool->families[f]);
                fits = fam && (t->arch & pool->arch & s->api.arch) &&
                       t->alloc_cpu - s->cluster.daemonset_cpu >= s->api.cpu_request &&
                       t->alloc_memory - s->cluster.daemonset_memory >= s->api.memory_request;
            }
        }
        if (!fits)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "no NodePool can run an API pod: no instance type of an allowed "
                                "family and architecture fits its requests");
    }
    if (s->db.enabled && s->db.engine == MDL_DB_RDS) {
        snprintf(key, keylen, "%s", "database.instance_class");
        if (s->db.db_class < 0)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "database.instance_class '%s' is not in the pricing file%s",
                                s->db.instance_class,
                                s->cluster.catalog.ndb ? "" : " (add 'pricing: FILE')");
    }
    if (s->db.enabled && s->db.engine == MDL_DB_AURORA) {
        snprintf(key, keylen, "%s", "database.aurora.acu_min");
        if (s->db.acu_min > s->db.acu_max)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "database.aurora.acu_min (%g) is above acu_max (%g)", s->db.acu_min,
                                s->db.acu_max);
        if (s->db.acu_min * 2 != floor(s->db.acu_min * 2) ||
            s->db.acu_max * 2 != floor(s->db.acu_max * 2))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "Aurora capacity moves in 0.5-ACU steps: acu_min and acu_max "
                                "must be multiples of 0.5");
    }
    snprintf(key, keylen, "%s", "redis.node_type");
    if (s->redis.enabled && s->redis.ops_per_s == 0 && s->redis.cache_type < 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "redis.node_type '%s' is not in the pricing file (or give "
                            "redis.ops_per_s)",
                            s->redis.node_type);
    snprintf(key, keylen, "%s", "events");
    for (size_t i = 0; i < s->nevents; i++) {
        const mdl_event *e = &s->events[i];
        snprintf(key, keylen, "events.%zu", i);
        if (e->type == MDL_EVENT_DB_FAILOVER) {
            if (!s->db.enabled || s->db.engine == MDL_DB_QUEUE)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: db_failover needs database.engine rds or "
                                    "aurora",
                                    i);
            if (s->db.engine == MDL_DB_RDS && !s->db.multi_az)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: db_failover needs database.multi_az: true (a "
                                    "Single-AZ instance is replaced, not failed over; not "
                                    "modelled)",
                                    i);
            if (s->db.engine == MDL_DB_AURORA && s->db.aurora_readers < 1)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: db_failover needs database.aurora.readers >= 1 "
                                    "(without a reader Aurora creates a new writer, in minutes; "
                                    "not modelled)",
                                    i);
        }
        if (e->type == MDL_EVENT_REGION_FAILURE && !s->dr.enabled)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "events[%zu]: region_failure needs a DR region to fail over to "
                                "(dr.enabled: true)",
                                i);
        for (size_t j = 0; j < i && e->type == MDL_EVENT_REGION_FAILURE; j++)
            if (s->events[j].type == MDL_EVENT_REGION_FAILURE)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: a second region_failure (events[%zu] is the "
                                    "first): after it the DR region is the only one left",
                                    i, j);
        if (e->type == MDL_EVENT_AZ_FAILURE && e->az == 0) {
            if (s->db.enabled && s->db.engine == MDL_DB_RDS && !s->db.multi_az &&
                s->db.restore_time.kind == SIM_DIST_DETERMINISTIC && s->db.restore_time.mean == 0)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: az_failure of AZ a takes the Single-AZ database "
                                    "with it: give database.restore_time (a point-in-time "
                                    "restore; AWS publishes no duration)",
                                    i);
            if (s->db.enabled && s->db.engine == MDL_DB_AURORA && s->db.aurora_readers < 1)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: az_failure of AZ a needs database.aurora.readers "
                                    ">= 1 (a writer without a reader in another AZ: not modelled)",
                                    i);
            if (s->redis.enabled &&
                (s->redis.nodes < 2 || (s->redis.failover_time.kind == SIM_DIST_DETERMINISTIC &&
                                        s->redis.failover_time.mean == 0)))
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: az_failure of AZ a takes the Redis primary: it "
                                    "needs redis.nodes >= 2 and redis.failover_time",
                                    i);
        }
        if (e->type == MDL_EVENT_DATA_CORRUPTION || e->type == MDL_EVENT_ACCIDENTAL_DELETE) {
            const sim_dist *d = e->type == MDL_EVENT_DATA_CORRUPTION ? &s->db.restore_time
                                                                     : &s->db.snapshot_restore_time;
            if (!s->db.enabled || s->db.engine == MDL_DB_QUEUE)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: %s needs database.engine rds or aurora", i,
                                    e->type == MDL_EVENT_DATA_CORRUPTION ? "data_corruption"
                                                                         : "accidental_delete");
            if (d->kind == SIM_DIST_DETERMINISTIC && d->mean == 0)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: %s needs database.%s (AWS publishes no restore "
                                    "duration: time one of yours)",
                                    i,
                                    e->type == MDL_EVENT_DATA_CORRUPTION ? "data_corruption"
                                                                         : "accidental_delete",
                                    e->type == MDL_EVENT_DATA_CORRUPTION ? "restore_time"
                                                                         : "snapshot_restore_time");
        }
        if (e->every > 0 && e->type != MDL_EVENT_NODE_LOSS && e->type != MDL_EVENT_SPOT_STORM &&
            e->type != MDL_EVENT_DB_FAILOVER && e->type != MDL_EVENT_CACHE_FAILOVER)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "events[%zu]: `every` (a random fault) is for node_loss, "
                                "spot_storm, db_failover and cache_failover",
                                i);
        if (e->every > 0) {
            double n = mdl_event_expected(s, i), all = 0;
            for (size_t j = 0; j < s->nevents; j++)
                all += s->events[j].every > 0 ? mdl_event_expected(s, j) : 0;
            snprintf(key, keylen, "events.%zu.every", i);
            if (all > MDL_MAX_RANDOM_FAULTS)
                return base_err_set(
                    err, BASE_EINPUT, NULL, 0, 0,
                    "events[%zu]: every %.9g s makes about %.3g faults in the "
                    "%.9g s of the scenario%s; a run may have at most %.0e (make "
                    "`every` longer)",
                    i, sim_to_sec(e->every), n, sim_to_sec(mdl_traffic_duration(&s->traffic)),
                    all > n ? " (with the other random events, more)" : "", MDL_MAX_RANDOM_FAULTS);
            snprintf(key, keylen, "events.%zu", i);
        }
        if (e->type == MDL_EVENT_CACHE_FAILOVER) {
            if (!s->redis.enabled || s->redis.nodes < 2)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: cache_failover needs redis.enabled and "
                                    "redis.nodes >= 2 (a replica to promote)",
                                    i);
            if (s->redis.failover_time.kind == SIM_DIST_DETERMINISTIC &&
                s->redis.failover_time.mean == 0)
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                    "events[%zu]: cache_failover needs redis.failover_time (AWS "
                                    "publishes no figure for ElastiCache: give yours)",
                                    i);
        }
    }
    key[0] = '\0';
    return BASE_OK;
}
