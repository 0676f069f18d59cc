/*
 * check.c — the checks between keys that the key tables cannot express (a sum of shares, a
 * name that must be in the pricing file, an event that needs a component), one function per
 * component. mdl_scenario_check runs them in a fixed order and reports the first failure, with
 * the dotted path of the key to blame so that the scenario loader can point at its line.
 */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Each check names the key it is about in `key` before it tests it (the loader points there),
 * and returns base_err_set's status on the first failure. */
typedef int (*check_fn)(const mdl_scenario *s, char *key, size_t keylen, base_err *err);

#define FAIL(...) base_err_set(err, BASE_EINPUT, NULL, 0, 0, __VA_ARGS__)

static int check_mix(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "traffic.mix");
    double sum = 0;
    for (int c = 0; c < MDL_NCLASS; c++)
        sum += s->traffic.mix[c];
    /* shares are written as percentages with at most a few decimals: 1e-9 is generous */
    if (fabs(sum - 1.0) > 1e-9)
        return FAIL("traffic.mix must add up to 100%% (it adds up to %.6g%%)", sum * 100);
    return BASE_OK;
}

static int check_alarms(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    for (size_t i = 0; i < s->nalarms; i++) {
        const mdl_alarm *a = &s->alarms[i];
        snprintf(key, keylen, "alarms.%zu.period", i);
        if (s->series_resolution <= 0 || a->period % s->series_resolution != 0)
            return FAIL("an alarm's period must be a multiple of series_interval (%.0f s)",
                        sim_to_sec(s->series_resolution));
        snprintf(key, keylen, "alarms.%zu.name", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->alarms[j].name, a->name) == 0)
                return FAIL("two alarms are named '%s'", a->name);
    }
    return BASE_OK;
}

static int check_month(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "month.mix");
    if (s->month.nmix > 0 && !(s->month.repeat > 0))
        return FAIL("month.mix needs month.repeat: how many times this scenario's window "
                    "counts in the month");
    return BASE_OK;
}

static int check_phases(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "traffic.phases");
    if (s->traffic.nphases == 0)
        return FAIL("traffic.phases needs at least one phase");
    snprintf(key, keylen, "%s", "warmup");
    if (mdl_traffic_duration(&s->traffic) <= s->warmup)
        return FAIL("warmup must be shorter than the phases together");
    return BASE_OK;
}

static int check_cdn(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "cloudfront.enabled");
    if (!s->cdn.enabled && s->traffic.mix[MDL_STATIC] > 0)
        return FAIL("traffic.mix sends static requests but cloudfront is disabled "
                    "(static assets are served only by CloudFront + S3)");
    return BASE_OK;
}

static int check_users(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "traffic.requests_per_user_per_minute");
    if (!s->traffic.by_rate && !(s->traffic.requests_per_user_min > 0))
        return FAIL("traffic.requests_per_user_per_minute is needed when phases give users");
    return BASE_OK;
}

static int check_hpa(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "hpa.max_replicas");
    if (s->hpa.enabled && s->hpa.max_replicas < s->hpa.min_replicas)
        return FAIL("hpa.max_replicas (%d) is below hpa.min_replicas (%d)", s->hpa.max_replicas,
                    s->hpa.min_replicas);
    snprintf(key, keylen, "%s", "hpa.cpu_target");
    if (s->hpa.enabled && s->hpa.cpu_target == 0 && s->hpa.memory_target == 0)
        return FAIL("the HPA needs a metric: hpa.cpu_target or hpa.memory_target");
    return BASE_OK;
}

static int check_api(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "api.resources");
    if (s->api.cpu_request > s->api.cpu_limit || s->api.memory_request > s->api.memory_limit)
        return FAIL("api.resources: a request is above its limit");
    return BASE_OK;
}

/* Whether some NodePool has an instance type of an allowed family and architecture that fits
 * an API pod's requests beside the DaemonSets. */
static int pod_fits(const mdl_scenario *s)
{
    const cost_catalog *cat = &s->cluster.catalog;
    for (size_t p = 0; p < s->cluster.npools; p++) {
        const mdl_nodepool *pool = &s->cluster.pools[p];
        for (size_t i = 0; i < cat->n; i++) {
            const cost_instance_type *t = &cat->types[i];
            int fam = 0;
            for (size_t f = 0; f < pool->nfamilies && !fam; f++)
                fam = !strcmp(t->family, pool->families[f]);
            if (fam && (t->arch & pool->arch & s->api.arch) &&
                t->alloc_cpu - s->cluster.daemonset_cpu >= s->api.cpu_request &&
                t->alloc_memory - s->cluster.daemonset_memory >= s->api.memory_request)
                return 1;
        }
    }
    return 0;
}

static int check_nodes(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    if (!s->cluster.enabled)
        return BASE_OK;
    const cost_catalog *cat = &s->cluster.catalog;
    snprintf(key, keylen, "%s", "nodes.enabled");
    if (cat->n == 0)
        return FAIL("nodes need a pricing file for their instance types: add "
                    "'pricing: FILE' (the base names models/pricing/us-east-1.yaml)");
    snprintf(key, keylen, "%s", "nodes.system.instance");
    int found = s->cluster.system_nodes == 0;
    for (size_t i = 0; i < cat->n && !found; i++)
        found = !strcmp(cat->types[i].name, s->cluster.system_type);
    if (!found)
        return FAIL("nodes.system.instance '%s' is not in the pricing file",
                    s->cluster.system_type);
    snprintf(key, keylen, "%s", "karpenter.nodepools");
    for (size_t p = 0; p < s->cluster.npools; p++) {
        const mdl_nodepool *pool = &s->cluster.pools[p];
        for (size_t f = 0; f < pool->nfamilies; f++) {
            int any = 0;
            for (size_t i = 0; i < cat->n && !any; i++)
                any = !strcmp(cat->types[i].family, pool->families[f]);
            if (!any)
                return FAIL("NodePool '%s': no instance type of family '%s' in the pricing file",
                            pool->name, pool->families[f]);
        }
    }
    snprintf(key, keylen, "%s", "api.node_selector");
    if (!pod_fits(s))
        return FAIL("no NodePool can run an API pod: no instance type of an allowed "
                    "family and architecture fits its requests");
    return BASE_OK;
}

/* A replica-scaling section of the engine in use (`at` its key path): its bounds against the
 * fixed replicas, and a reader to measure for reader_cpu. */
static int check_replica_scaling(const mdl_replica_scaling *rs, int fixed, const char *at,
                                 const char *fixed_key, char *key, size_t keylen, base_err *err)
{
    if (!rs->enabled)
        return BASE_OK;
    snprintf(key, keylen, "%s.min", at);
    if (rs->min > rs->max)
        return FAIL("%s.min (%d) is above its max (%d)", at, rs->min, rs->max);
    if (fixed > rs->max)
        return FAIL("%s (%d) is above %s.max (%d): the rule never removes fixed replicas",
                    fixed_key, fixed, at, rs->max);
    snprintf(key, keylen, "%s.metric", at);
    if (rs->metric == MDL_RS_READER_CPU && rs->min < 1 && fixed < 1)
        return FAIL("%s.metric reader_cpu needs a replica in service to measure: set min to 1 "
                    "or more",
                    at);
    return BASE_OK;
}

static int check_database(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    if (s->db.enabled && s->db.engine == MDL_DB_RDS) {
        snprintf(key, keylen, "%s", "database.instance_class");
        if (s->db.db_class < 0)
            return FAIL("database.instance_class '%s' is not in the pricing file%s",
                        s->db.instance_class,
                        s->cluster.catalog.ndb ? "" : " (add 'pricing: FILE')");
        snprintf(key, keylen, "%s", "database.replica_class");
        if (s->db.replica_class < 0)
            return FAIL("database.replica_class '%s' is not in the pricing file",
                        s->db.replica_class_name);
        const cost_db_class *rc = mdl_db_replica_class(s);
        if (rc && rc != &s->cluster.catalog.db[s->db.db_class] && rc->baseline > 0)
            return FAIL("database.replica_class '%s' is burstable: CPU credits are modelled "
                        "only for the primary's class (use it, or a class without credits)",
                        rc->name);
        int st = check_replica_scaling(&s->db.replica_scaling, s->db.read_replicas,
                                       "database.replica_scaling", "database.read_replicas", key,
                                       keylen, err);
        if (st != BASE_OK)
            return st;
    }
    if (s->db.enabled && s->db.engine == MDL_DB_AURORA) {
        snprintf(key, keylen, "%s", "database.aurora.acu_min");
        if (s->db.acu_min > s->db.acu_max)
            return FAIL("database.aurora.acu_min (%g) is above acu_max (%g)", s->db.acu_min,
                        s->db.acu_max);
        if (s->db.acu_min * 2 != floor(s->db.acu_min * 2) ||
            s->db.acu_max * 2 != floor(s->db.acu_max * 2))
            return FAIL("Aurora capacity moves in 0.5-ACU steps: acu_min and acu_max "
                        "must be multiples of 0.5");
        int st = check_replica_scaling(&s->db.reader_scaling, s->db.aurora_readers,
                                       "database.aurora.reader_scaling", "database.aurora.readers",
                                       key, keylen, err);
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

static int check_redis(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "redis.node_type");
    if (s->redis.enabled && s->redis.ops_per_s == 0 && s->redis.cache_type < 0)
        return FAIL("redis.node_type '%s' is not in the pricing file (or give "
                    "redis.ops_per_s)",
                    s->redis.node_type);
    return BASE_OK;
}

/* ---------------------------------------------------------------- events */

/* Whether a distribution was left at its default: a point at 0 (no public figure to default to). */
static int dist_unset(const sim_dist *d)
{
    return d->kind == SIM_DIST_DETERMINISTIC && d->mean == 0;
}

static int check_db_failover(const mdl_scenario *s, size_t i, base_err *err)
{
    if (!s->db.enabled || s->db.engine == MDL_DB_QUEUE)
        return FAIL("events[%zu]: db_failover needs database.engine rds or aurora", i);
    if (s->db.engine == MDL_DB_RDS && !s->db.multi_az)
        return FAIL("events[%zu]: db_failover needs database.multi_az: true (a Single-AZ "
                    "instance is replaced, not failed over; not modelled)",
                    i);
    if (s->db.engine == MDL_DB_AURORA && s->db.aurora_readers < 1)
        return FAIL("events[%zu]: db_failover needs database.aurora.readers >= 1 (without a "
                    "reader Aurora creates a new writer, in minutes; not modelled)",
                    i);
    return BASE_OK;
}

static int check_region_failure(const mdl_scenario *s, size_t i, base_err *err)
{
    if (!s->dr.enabled)
        return FAIL("events[%zu]: region_failure needs a DR region to fail over to "
                    "(dr.enabled: true)",
                    i);
    for (size_t j = 0; j < i; j++)
        if (s->events[j].type == MDL_EVENT_REGION_FAILURE)
            return FAIL("events[%zu]: a second region_failure (events[%zu] is the first): "
                        "after it the DR region is the only one left",
                        i, j);
    return BASE_OK;
}

/* AZ a holds the database's and Redis's primaries (the model's convention). */
static int check_az_a_failure(const mdl_scenario *s, size_t i, base_err *err)
{
    if (s->db.enabled && s->db.engine == MDL_DB_RDS && !s->db.multi_az &&
        dist_unset(&s->db.restore_time))
        return FAIL("events[%zu]: az_failure of AZ a takes the Single-AZ database with it: "
                    "give database.restore_time (a point-in-time restore; AWS publishes no "
                    "duration)",
                    i);
    if (s->db.enabled && s->db.engine == MDL_DB_AURORA && s->db.aurora_readers < 1)
        return FAIL("events[%zu]: az_failure of AZ a needs database.aurora.readers >= 1 (a "
                    "writer without a reader in another AZ: not modelled)",
                    i);
    if (s->redis.enabled && (s->redis.nodes < 2 || dist_unset(&s->redis.failover_time)))
        return FAIL("events[%zu]: az_failure of AZ a takes the Redis primary: it needs "
                    "redis.nodes >= 2 and redis.failover_time",
                    i);
    return BASE_OK;
}

static int check_restore(const mdl_scenario *s, size_t i, base_err *err)
{
    int corrupt = s->events[i].type == MDL_EVENT_DATA_CORRUPTION;
    const char *what = corrupt ? "data_corruption" : "accidental_delete";
    if (!s->db.enabled || s->db.engine == MDL_DB_QUEUE)
        return FAIL("events[%zu]: %s needs database.engine rds or aurora", i, what);
    if (dist_unset(corrupt ? &s->db.restore_time : &s->db.snapshot_restore_time))
        return FAIL("events[%zu]: %s needs database.%s (AWS publishes no restore duration: "
                    "time one of yours)",
                    i, what, corrupt ? "restore_time" : "snapshot_restore_time");
    return BASE_OK;
}

/* `every`: a random fault, bounded in number over the scenario (MDL_MAX_RANDOM_FAULTS). */
static int check_every(const mdl_scenario *s, size_t i, char *key, size_t keylen, base_err *err)
{
    const mdl_event *e = &s->events[i];
    if (e->type != MDL_EVENT_NODE_LOSS && e->type != MDL_EVENT_SPOT_STORM &&
        e->type != MDL_EVENT_DB_FAILOVER && e->type != MDL_EVENT_CACHE_FAILOVER)
        return FAIL("events[%zu]: `every` (a random fault) is for node_loss, spot_storm, "
                    "db_failover and cache_failover",
                    i);
    double n = mdl_event_expected(s, i), all = 0;
    for (size_t j = 0; j < s->nevents; j++)
        all += s->events[j].every > 0 ? mdl_event_expected(s, j) : 0;
    snprintf(key, keylen, "events.%zu.every", i);
    if (all > MDL_MAX_RANDOM_FAULTS)
        return FAIL("events[%zu]: every %.9g s makes about %.3g faults in the %.9g s of the "
                    "scenario%s; a run may have at most %.0e (make `every` longer)",
                    i, sim_to_sec(e->every), n, sim_to_sec(mdl_traffic_duration(&s->traffic)),
                    all > n ? " (with the other random events, more)" : "", MDL_MAX_RANDOM_FAULTS);
    snprintf(key, keylen, "events.%zu", i);
    return BASE_OK;
}

static int check_cache_failover(const mdl_scenario *s, size_t i, base_err *err)
{
    if (!s->redis.enabled || s->redis.nodes < 2)
        return FAIL("events[%zu]: cache_failover needs redis.enabled and redis.nodes >= 2 (a "
                    "replica to promote)",
                    i);
    if (dist_unset(&s->redis.failover_time))
        return FAIL("events[%zu]: cache_failover needs redis.failover_time (AWS publishes no "
                    "figure for ElastiCache: give yours)",
                    i);
    return BASE_OK;
}

static int check_event(const mdl_scenario *s, size_t i, char *key, size_t keylen, base_err *err)
{
    const mdl_event *e = &s->events[i];
    int st = BASE_OK;
    snprintf(key, keylen, "events.%zu", i);
    if (e->type == MDL_EVENT_DB_FAILOVER && (st = check_db_failover(s, i, err)))
        return st;
    if (e->type == MDL_EVENT_REGION_FAILURE && (st = check_region_failure(s, i, err)))
        return st;
    if (e->type == MDL_EVENT_AZ_FAILURE && e->az == 0 && (st = check_az_a_failure(s, i, err)))
        return st;
    if ((e->type == MDL_EVENT_DATA_CORRUPTION || e->type == MDL_EVENT_ACCIDENTAL_DELETE) &&
        (st = check_restore(s, i, err)))
        return st;
    if (e->every > 0 && (st = check_every(s, i, key, keylen, err)))
        return st;
    if (e->type == MDL_EVENT_CACHE_FAILOVER && (st = check_cache_failover(s, i, err)))
        return st;
    return BASE_OK;
}

static int check_events(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    snprintf(key, keylen, "%s", "events");
    for (size_t i = 0; i < s->nevents; i++) {
        int st = check_event(s, i, key, keylen, err);
        if (st)
            return st;
    }
    return BASE_OK;
}

/* In this order: where a scenario has two faults, the same one is reported every time (and
 * the order is the one the tests and docs/scenarios.md's examples were written against). */
static const check_fn checks[] = {
    check_mix,   check_alarms, check_month,        check_phases,      check_cdn,
    check_users, check_hpa,    check_api,          check_nodes,       check_database,
    check_redis, check_events, mdl_schedule_check, mdl_regions_check,
};

int mdl_scenario_check(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        int st = checks[i](s, key, keylen, err);
        if (st)
            return st;
    }
    key[0] = '\0';
    return BASE_OK;
}
