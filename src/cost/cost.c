/*
 * cost.c — prices a replication's usage for a 730-hour month (cost.h), line by line, from the
 * catalog's list prices; and formats money.
 *
 * Why lines and not one figure: a plan is argued over line by line (is the NAT gateway really a
 * quarter of the bill?), and each unit price carries its source so a reader can check it. What
 * each line prices, and what is not priced yet, is in docs/cost-model.md.
 */
#include "cost/cost.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- the month */

/* The one place the window becomes a month: every metered quantity is multiplied by this —
 * the number of times the scenario says its window counts (month.repeat), else as many windows
 * as fill 730 hours. */
static double month_scale(const mdl_scenario *s, const cost_usage *u)
{
    return s->month.repeat > 0 ? s->month.repeat : COST_MONTH_HOURS * 3600.0 / u->seconds;
}

/* ---------------------------------------------------------------- lines */

typedef struct bill {
    cost_month *m;
    base_err *err;
    bool fixed; /* price the lines billed whatever the load (hours of always-on resources,
                 * provisioned storage); a month mix's other parts do not */
} bill;

static void set_text(char *dst, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* snprintf that may truncate: item and source texts are for people, and a long source cut at
 * 159 characters still names it. */
static void set_text(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}

/* Adds a line of `qty` `unit` at `unit_price` micro-USD each; none when qty is 0. */
static int add_line(bill *b, cost_component comp, const char *item, double qty, const char *unit,
                    int64_t unit_price, const char *source)
{
    if (qty == 0.0)
        return BASE_OK;
    double v = qty * (double)unit_price;
    /* 9.2e18 is just below INT64_MAX (9.22e18): llround of anything larger is undefined. */
    if (!(fabs(v) < 9.2e18))
        return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0,
                            "cost of %s %s is too large to price (%g %s)",
                            cost_component_name(comp), item, qty, unit);
    if (b->m->n == COST_MAX_LINES)
        return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0, "more than %d cost lines",
                            COST_MAX_LINES);
    /* a line the bill has already (a month mix's parts meter the same things): one line, its
     * quantities summed, its cost round(quantity × unit price) as for any line */
    for (size_t i = 0; i < b->m->n; i++) {
        cost_line *l = &b->m->lines[i];
        if (l->comp != comp || strcmp(l->item, item) != 0 || l->unit_price != unit_price)
            continue;
        double w = (l->quantity + qty) * (double)unit_price;
        if (!(fabs(w) < 9.2e18))
            return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0,
                                "cost of %s %s is too large to price", cost_component_name(comp),
                                item);
        int64_t now = (int64_t)llround(w);
        b->m->total += now - l->monthly;
        l->monthly = now;
        l->quantity += qty;
        return BASE_OK;
    }
    int64_t monthly = (int64_t)llround(v);
    if ((monthly > 0 && b->m->total > INT64_MAX - monthly) ||
        (monthly < 0 && b->m->total < INT64_MIN - monthly))
        return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0, "the month's total is too large");
    cost_line *l = &b->m->lines[b->m->n++];
    l->tier_group = 0;
    l->comp = comp;
    set_text(l->component, sizeof l->component, "%s", cost_component_name(comp));
    set_text(l->item, sizeof l->item, "%s", item);
    l->quantity = qty;
    set_text(l->unit, sizeof l->unit, "%s", unit);
    l->unit_price = unit_price;
    l->monthly = monthly;
    set_text(l->source, sizeof l->source, "%s", source);
    b->m->total += monthly;
    return BASE_OK;
}

static int add_price(bill *b, cost_component comp, const char *item, double qty, const char *unit,
                     const cost_list_price *p)
{
    return add_line(b, comp, item, qty, unit, p->micro, p->source);
}

/* A line billed whatever the load: once per month, by the month's main part only. */
static int add_fixed(bill *b, cost_component comp, const char *item, double qty, const char *unit,
                     const cost_list_price *p)
{
    return b->fixed ? add_price(b, comp, item, qty, unit, p) : BASE_OK;
}

/* ---------------------------------------------------------------- tiered prices */

/* The tiered items, each one group of lines (cost_line.tier_group). */
enum { TIER_NONE, TIER_CLOUDFRONT_GB, TIER_CLOUDFRONT_REQUESTS, TIER_S3_STORAGE, TIER_INTERNET };

/* A tier's size as a reader says it: GB in TB and PB (1 TB = 1,024 GB, as the tiers count:
 * models/pricing), other units as they are. */
static void tier_size(double units, const char *unit, char *buf, size_t len)
{
    if (!strncmp(unit, "GB", 2) && units >= 1024.0 * 1024 && fmod(units, 1024.0 * 1024) == 0)
        snprintf(buf, len, "%g PB", units / (1024.0 * 1024));
    else if (!strncmp(unit, "GB", 2) && units >= 1024.0 && fmod(units, 1024.0) == 0)
        snprintf(buf, len, "%g TB", units / 1024.0);
    else if (!strncmp(unit, "10k ", 4) && units * 1e4 >= 1e6)
        snprintf(buf, len, "%gM %s", units * 1e4 / 1e6, unit + 4); /* "10M requests" */
    else
        snprintf(buf, len, "%g %s", units, unit);
}

/* One line of a tier into *l (its cost left to the caller). */
static void tier_line(cost_line *l, int group, cost_component comp, const char *item, double qty,
                      const char *unit, const cost_list_price *p)
{
    memset(l, 0, sizeof *l);
    l->tier_group = group;
    l->comp = comp;
    set_text(l->component, sizeof l->component, "%s", cost_component_name(comp));
    set_text(l->item, sizeof l->item, "%s", item);
    l->quantity = qty;
    set_text(l->unit, sizeof l->unit, "%s", unit);
    l->unit_price = p->micro;
    set_text(l->source, sizeof l->source, "%s", p->source);
}

/* Adds `qty` to tiered item `group` and prices the item's whole volume so far (this part's and
 * the bill's earlier parts') by its ladder t: the free allowance first (a $0 line), then the
 * tiers in order, each line the units that fall in it. The item's lines replace its earlier
 * ones where the first of those stood. Without a ladder, one line at the flat price. */
static int add_tiered(bill *b, int group, cost_component comp, const char *what, double qty,
                      const char *unit, const cost_list_price *flat, const cost_tiers *t)
{
    if (qty == 0.0)
        return BASE_OK;
    if (t->n == 0)
        return add_line(b, comp, what, qty, unit, flat->micro, flat->source);
    cost_month *m = b->m;
    double total = qty;
    size_t at = SIZE_MAX, w = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->lines[i].tier_group == group && m->lines[i].comp == comp) {
            total += m->lines[i].quantity;
            m->total -= m->lines[i].monthly;
            if (at == SIZE_MAX)
                at = w;
            continue;
        }
        m->lines[w++] = m->lines[i];
    }
    m->n = w;
    if (at == SIZE_MAX)
        at = m->n;
    cost_line tl[COST_MAX_TIERS + 1];
    size_t nt = 0;
    char item[96], size[32];
    double left = total;
    if (t->free > 0) {
        double use = left < t->free ? left : t->free;
        tier_size(t->free, unit, size, sizeof size);
        set_text(item, sizeof item, "%s, always-free tier (%s a month)", what, size);
        cost_list_price zero = {0, ""};
        set_text(zero.source, sizeof zero.source, "%s", t->free_source);
        tier_line(&tl[nt++], group, comp, item, use, unit, &zero);
        left -= use;
    }
    double from = 0;
    for (size_t k = 0; k < t->n && left > 0; k++) {
        const cost_tier *tr = &t->tier[k];
        bool open = tr->upto == 0;
        double in = open || left < tr->upto - from ? left : tr->upto - from;
        if (t->n == 1)
            set_text(item, sizeof item, "%s", what);
        else if (open) {
            tier_size(from, unit, size, sizeof size);
            set_text(item, sizeof item, "%s, over %s", what, size);
        } else {
            tier_size(tr->upto - from, unit, size, sizeof size);
            set_text(item, sizeof item, "%s, %s %s", what, k == 0 ? "first" : "next", size);
        }
        tier_line(&tl[nt++], group, comp, item, in, unit, &tr->price);
        left -= in;
        from = tr->upto;
    }
    if (m->n + nt > COST_MAX_LINES)
        return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0, "more than %d cost lines",
                            COST_MAX_LINES);
    for (size_t k = 0; k < nt; k++) {
        double v = tl[k].quantity * (double)tl[k].unit_price;
        if (!(fabs(v) < 9.2e18))
            return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0,
                                "cost of %s %s is too large to price", cost_component_name(comp),
                                tl[k].item);
        tl[k].monthly = (int64_t)llround(v);
        if (tl[k].monthly > 0 && m->total > INT64_MAX - tl[k].monthly)
            return base_err_set(b->err, BASE_ELIMIT, NULL, 0, 0, "the month's total is too large");
        m->total += tl[k].monthly;
    }
    memmove(&m->lines[at + nt], &m->lines[at], (m->n - at) * sizeof m->lines[0]);
    memcpy(&m->lines[at], tl, nt * sizeof tl[0]);
    m->n += nt;
    return BASE_OK;
}

/* ---------------------------------------------------------------- components */

/* `hours` of catalog type t under capacity cap, as a line of `component` whose item is the
 * type, its capacity and `what` (may be ""). */
static int add_node_hours(bill *b, const mdl_scenario *s, cost_component comp, size_t t, int cap,
                          double hours, const char *what)
{
    const cost_instance_type *it = &s->cluster.catalog.types[t];
    char item[96], source[160];
    if (cap == MDL_CAP_SPOT) {
        /* Spot = On-Demand × (1 − discount), as Karpenter's choice saw it (mdl_instance_price).
         * The discount is the scenario's spot.discount when it set one, else the pricing
         * file's default_discount. */
        bool scenario = s->cluster.spot_discount_override >= 0 &&
                        s->cluster.spot_discount_override == it->spot_discount;
        set_text(item, sizeof item, "%s Spot (%.4g%% off On-Demand)%s", it->name,
                 it->spot_discount * 100, what);
        set_text(source, sizeof source, "%s; Spot: %s", it->source,
                 scenario                    ? "the scenario's spot.discount"
                 : s->cluster.spot_source[0] ? s->cluster.spot_source
                                             : "the pricing file's spot.default_discount");
    } else {
        set_text(item, sizeof item, "%s On-Demand%s", it->name, what);
        set_text(source, sizeof source, "%s", it->source);
    }
    return add_line(b, comp, item, hours, "hours", mdl_instance_price(it, cap), source);
}

static int price_nodes(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_catalog *cat = &s->cluster.catalog;
    static const int caps[2] = {MDL_CAP_SPOT, MDL_CAP_ON_DEMAND}; /* node_seconds' [0], [1] */
    for (size_t t = 0; t < cat->n && t < COST_MAX_TYPES; t++) {
        for (int c = 0; c < 2; c++) {
            int st = add_node_hours(b, s, COST_EC2_NODES, t, caps[c],
                                    u->node_seconds[t][c] / 3600.0 * scale, "");
            if (st)
                return st;
        }
        /* burstable types run unlimited: the CPU their nodes used beyond the baseline
         * (credits are vCPU-minutes; engine/credits.c meters them) */
        const cost_instance_type *it = &cat->types[t];
        char item[96];
        set_text(item, sizeof item, "%s CPU credits beyond the %g%% baseline (unlimited)", it->name,
                 it->baseline * 100);
        int st = add_line(b, COST_EC2_NODES, item, u->node_surplus_credits[t] / 60.0 * scale,
                          "vCPU-hours", it->surplus_price, it->source);
        if (st)
            return st;
    }
    return BASE_OK;
}

static int price_edge(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_prices *p = &s->cluster.catalog.prices;
    int st;
    /* The ALB runs all month; LCUs follow the load (lcu_hours: each hour's largest dimension,
     * the ELB billing rule). */
    if ((st = add_fixed(b, COST_ALB, "load balancer", b->m->month_hours, "hours", &p->alb_hour)) ||
        (st = add_price(b, COST_ALB, "LCU-hours", u->lcu_hours * scale, "LCU-hours",
                        &p->alb_lcu_hour)))
        return st;
    /* CloudFront: transfer and requests by their tiers on the month's volume, after the
     * always-free allowance (docs/cost-model.md). */
    if ((st = add_tiered(b, TIER_CLOUDFRONT_GB, COST_CLOUDFRONT,
                         "data transfer out (US, Mexico, Canada)", u->cdn_bytes / 1e9 * scale, "GB",
                         &p->cloudfront_gb, &p->tiers.cloudfront_gb)) ||
        (st = add_tiered(b, TIER_CLOUDFRONT_REQUESTS, COST_CLOUDFRONT, "HTTPS requests",
                         u->cdn_requests / 1e4 * scale, "10k requests", &p->cloudfront_https_10k,
                         &p->tiers.cloudfront_https_10k)))
        return st;
    /* Without CloudFront the ALB answers the internet itself: its responses leave the region
     * (requests in are free). alb_bytes counts each request's and response's bytes. */
    double out = u->alb_bytes - u->alb_requests * (double)s->traffic.request_bytes;
    if (!s->cdn.enabled && out > 0 &&
        (st = add_tiered(b, TIER_INTERNET, COST_DATA_TRANSFER, "internet egress (ALB responses)",
                         out / 1e9 * scale, "GB", &p->internet_gb, &p->tiers.internet_gb)))
        return st;
    if ((st = add_price(b, COST_S3, "GET requests (CloudFront misses)",
                        u->origin_requests / 1e3 * scale, "1k requests", &p->s3_get_1k)))
        return st;
    if (s->cdn.enabled && b->fixed &&
        (st = add_tiered(b, TIER_S3_STORAGE, COST_S3,
                         "SPA storage, Standard (1 GB: ASSUMPTION, no size given)", COST_SPA_GB,
                         "GB-months", &p->s3_gb_month, &p->tiers.s3_gb_month)))
        return st;
    /* One NAT gateway per AZ, each with its Elastic IP, all month; bytes follow the load. */
    char item[96];
    set_text(item, sizeof item, "gateways (%d, one per AZ)", COST_NAT_GATEWAYS);
    if ((st = add_fixed(b, COST_NAT_GATEWAY, item, COST_NAT_GATEWAYS * b->m->month_hours, "hours",
                        &p->nat_gateway_hour)))
        return st;
    set_text(item, sizeof item, "public IPv4 addresses (%d, the gateways' EIPs)",
             COST_NAT_GATEWAYS);
    if ((st = add_fixed(b, COST_NAT_GATEWAY, item, COST_NAT_GATEWAYS * b->m->month_hours,
                        "IP-hours", &p->public_ipv4_hour)) ||
        (st = add_price(b, COST_NAT_GATEWAY, "data processed", u->nat_bytes / 1e9 * scale, "GB",
                        &p->nat_gb)))
        return st;
    return BASE_OK;
}

/* Whether `index` names one of the catalog's `n` entries. The scenario binder resolves every
 * name it prices, so one out of range is a bug: false, with the error set naming `what` and
 * `name`. */
static bool in_catalog(bill *b, int index, size_t n, const char *what, const char *name)
{
    if (index >= 0 && (size_t)index < n)
        return true;
    base_err_set(b->err, BASE_EINTERNAL, NULL, 0, 0,
                 "%s '%s' is not in the catalog (a bug: the scenario binder resolves it)", what,
                 name);
    return false;
}

static int price_rds(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_catalog *cat = &s->cluster.catalog;
    const mdl_db_config *db = &s->db;
    if (!in_catalog(b, db->db_class, cat->ndb, "the database's instance class", db->instance_class))
        return BASE_EINTERNAL;
    const cost_db_class *dc = &cat->db[db->db_class];
    const cost_prices *p = &cat->prices;
    char item[96];
    int st;
    /* Multi-AZ: the primary's hours at the Multi-AZ rate, which bills the standby too. */
    set_text(item, sizeof item, "%s %s", dc->name,
             db->multi_az ? "Multi-AZ (primary + standby)" : "Single-AZ");
    if ((st = add_price(b, COST_RDS, item, u->db_primary_seconds / 3600.0 * scale, "hours",
                        db->multi_az ? &dc->price_multi : &dc->price_single)))
        return st;
    /* read replicas at their class's Single-AZ rate (replica_class; the primary's by default) */
    const cost_db_class *rc = mdl_db_replica_class(s) ? mdl_db_replica_class(s) : dc;
    set_text(item, sizeof item, "%s read replicas (Single-AZ)", rc->name);
    if ((st = add_price(b, COST_RDS, item, u->db_replica_seconds / 3600.0 * scale, "hours",
                        &rc->price_single)))
        return st;
    /* A burstable class in unlimited mode: the CPU its instances used beyond their baseline
     * (credits are vCPU-minutes; engine/database.c meters them). */
    set_text(item, sizeof item, "%s CPU credits beyond the %g%% baseline (unlimited)", dc->name,
             dc->baseline * 100);
    if ((st = add_price(b, COST_RDS, item, u->db_surplus_credits / 60.0 * scale, "vCPU-hours",
                        &p->rds_cpu_credit_vcpu_hour)))
        return st;
    /* Storage is provisioned: a month of it whatever the window. A read replica has its own
     * volume of the primary's size. */
    if ((st = add_fixed(b, COST_RDS,
                        db->multi_az ? "gp3 storage, Multi-AZ (both volumes)" : "gp3 storage",
                        db->storage_gb, "GB-months",
                        db->multi_az ? &p->rds_gp3_gb_month_multi : &p->rds_gp3_gb_month_single)))
        return st;
    if (mdl_db_scaling(db)) {
        /* replicas that come and go: their volumes for as long as they are there, as a month
         * of the mean count (storage is prorated within the month: AWS RDS FAQ, billing) */
        double mean = u->seconds > 0 ? u->db_replica_seconds / u->seconds : 0;
        set_text(item, sizeof item, "gp3 storage, read replicas (%.2f on average)", mean);
        if ((st = add_fixed(b, COST_RDS, item, mean * db->storage_gb, "GB-months",
                            &p->rds_gp3_gb_month_single)))
            return st;
    } else if (db->read_replicas > 0) {
        set_text(item, sizeof item, "gp3 storage, %d read replica%s", db->read_replicas,
                 db->read_replicas == 1 ? "" : "s");
        if ((st = add_fixed(b, COST_RDS, item, db->read_replicas * db->storage_gb, "GB-months",
                            &p->rds_gp3_gb_month_single)))
            return st;
    }
    return BASE_OK;
}

static int price_aurora(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_prices *p = &s->cluster.catalog.prices;
    const mdl_db_config *db = &s->db;
    bool io = db->io_optimized;
    int st;
    if ((st = add_price(b, COST_AURORA,
                        io ? "Serverless v2 ACUs (I/O-Optimized)"
                           : "Serverless v2 ACUs (Aurora Standard)",
                        u->acu_seconds / 3600.0 * scale, "ACU-hours",
                        io ? &p->aurora_acu_hour_io_optimized : &p->aurora_acu_hour)))
        return st;
    if ((st = add_fixed(
             b, COST_AURORA, io ? "storage (I/O-Optimized)" : "storage (Aurora Standard)",
             db->storage_gb, "GB-months",
             io ? &p->aurora_storage_gb_month_io_optimized : &p->aurora_storage_gb_month)))
        return st;
    /* I/O-Optimized includes I/O (ATK io-optimized-pricing.md). */
    if (!io && (st = add_price(b, COST_AURORA, "I/O requests", u->aurora_io / 1e6 * scale,
                               "1M requests", &p->aurora_io_million)))
        return st;
    return BASE_OK;
}

static int price_cache(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_catalog *cat = &s->cluster.catalog;
    const mdl_redis_config *r = &s->redis;
    if (!in_catalog(b, r->cache_type, cat->ncache, "the Redis node type", r->node_type))
        return BASE_EINTERNAL;
    const cost_cache_type *ct = &cat->cache[r->cache_type];
    char item[96];
    set_text(item, sizeof item, "%s nodes (Redis OSS)", ct->name);
    return add_price(b, COST_ELASTICACHE, item, u->cache_node_seconds / 3600.0 * scale,
                     "node-hours", &ct->price);
}

/* The nodes Karpenter would launch for the DR region's warm pods (the cheapest fitting
 * offerings, Spot available), as lines of the DR region. */
static int price_warm_nodes(bill *b, const mdl_scenario *s, double hours)
{
    const mdl_cluster_config *c = &s->cluster;
    size_t n = (size_t)s->dr.warm_replicas;
    if (n == 0)
        return BASE_OK;
    mdl_pod_need *need = base_malloc(n * sizeof *need);
    size_t *index = base_malloc(n * sizeof *index);
    mdl_launch *launch = base_malloc(n * sizeof *launch);
    int st = BASE_OK;
    if (!need || !index || !launch) {
        st = base_err_set(b->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        need[i] = mdl_api_pod_need(&s->api);
    mdl_pod_need overhead = mdl_daemonset_need(c);
    mdl_provision_batch batch = {&c->catalog, c->pools, c->npools, &overhead, need, n, NULL, NULL};
    int nl = mdl_karpenter_provision(&batch, launch, n, index, NULL);
    if (nl == MDL_KARPENTER_ENOMEM) {
        st = base_err_set(b->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (nl < 0) {
        st = base_err_set(b->err, BASE_EINPUT, NULL, 0, 0,
                          "dr.warm_replicas: the API pod fits no node type of the NodePools");
        goto done;
    }
    for (int l = 0; l < nl && !st; l++)
        st = add_node_hours(b, s, COST_DR_REGION, (size_t)launch[l].type, launch[l].capacity, hours,
                            " (warm API pods)");
done:
    free(need);
    free(index);
    free(launch);
    return st;
}

/* The warm-standby DR region (seed §12.3), standing by all month: its EKS control plane, system
 * node group and the nodes of its warm pods, the read replica it would promote (Single-AZ, the
 * primary's class and storage) or an Aurora secondary at its minimum capacity, a warm Redis of
 * the primary's nodes, an idle ALB, its NAT gateways; and the database's writes shipped to it
 * (the WAL: ASSUMPTION, as many bytes per write query as extras.query_bytes). At this pricing
 * file's list prices: ASSUMPTION that us-west-2's equal us-east-1's for these items (they do
 * for the EC2, RDS and ElastiCache types of the seed on the AWS pricing pages, 2024). */
static int price_dr(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_catalog *cat = &s->cluster.catalog;
    const cost_prices *p = &cat->prices;
    const mdl_db_config *db = &s->db;
    bool has_db = db->enabled && db->engine != MDL_DB_QUEUE;
    int st;
    if (has_db && (st = add_price(b, COST_DR_REGION, "replication to it (the database's writes)",
                                  u->db_write_queries * (double)s->extras.query_bytes / 1e9 * scale,
                                  "GB", &p->interregion_gb)))
        return st;
    if (!b->fixed)
        return BASE_OK;
    double hours = b->m->month_hours;
    char item[96];
    if ((st = add_fixed(b, COST_DR_REGION, "EKS control plane", hours, "hours",
                        &p->eks_cluster_hour)))
        return st;
    if (s->cluster.enabled) {
        for (size_t t = 0; t < cat->n; t++)
            if (!strcmp(cat->types[t].name, s->cluster.system_type) &&
                (st = add_node_hours(b, s, COST_DR_REGION, t, MDL_CAP_ON_DEMAND,
                                     s->cluster.system_nodes * hours, " (system node group)")))
                return st;
        if ((st = price_warm_nodes(b, s, hours)))
            return st;
    }
    if (has_db && db->engine == MDL_DB_RDS && db->db_class >= 0 &&
        (size_t)db->db_class < cat->ndb) {
        const cost_db_class *dc = &cat->db[db->db_class];
        set_text(item, sizeof item, "RDS %s cross-region read replica (Single-AZ)", dc->name);
        if ((st = add_price(b, COST_DR_REGION, item, hours, "hours", &dc->price_single)) ||
            (st = add_price(b, COST_DR_REGION, "RDS gp3 storage of the replica", db->storage_gb,
                            "GB-months", &p->rds_gp3_gb_month_single)))
            return st;
    }
    if (has_db && db->engine == MDL_DB_AURORA) {
        bool io = db->io_optimized;
        set_text(item, sizeof item, "Aurora secondary cluster at its minimum (%g ACU)",
                 db->acu_min);
        if ((st = add_price(b, COST_DR_REGION, item, db->acu_min * hours, "ACU-hours",
                            io ? &p->aurora_acu_hour_io_optimized : &p->aurora_acu_hour)) ||
            (st = add_price(
                 b, COST_DR_REGION, "Aurora storage of the secondary", db->storage_gb, "GB-months",
                 io ? &p->aurora_storage_gb_month_io_optimized : &p->aurora_storage_gb_month)))
            return st;
    }
    if (s->redis.enabled && s->redis.cache_type >= 0 && (size_t)s->redis.cache_type < cat->ncache) {
        const cost_cache_type *ct = &cat->cache[s->redis.cache_type];
        set_text(item, sizeof item, "ElastiCache %s nodes (warm)", ct->name);
        if ((st = add_price(b, COST_DR_REGION, item, s->redis.nodes * hours, "node-hours",
                            &ct->price)))
            return st;
    }
    if ((st = add_price(b, COST_DR_REGION, "ALB (idle)", hours, "hours", &p->alb_hour)))
        return st;
    set_text(item, sizeof item, "NAT gateways (%d, one per AZ)", COST_NAT_GATEWAYS);
    if ((st = add_price(b, COST_DR_REGION, item, COST_NAT_GATEWAYS * hours, "hours",
                        &p->nat_gateway_hour)))
        return st;
    set_text(item, sizeof item, "public IPv4 addresses (%d, the gateways' EIPs)",
             COST_NAT_GATEWAYS);
    return add_price(b, COST_DR_REGION, item, COST_NAT_GATEWAYS * hours, "IP-hours",
                     &p->public_ipv4_hour);
}

/* Data transfer between AZs (pods to the database and Redis), Secrets Manager and Route 53:
 * billed besides the components' own hours (docs/cost-model.md, "Data transfer and the
 * rest"). */
static int price_extras(bill *b, const mdl_scenario *s, const cost_usage *u, double scale)
{
    const cost_prices *p = &s->cluster.catalog.prices;
    const mdl_extras_config *x = &s->extras;
    /* inter-AZ: $0.01/GB out of one AZ and $0.01/GB into the other (each direction) */
    double bytes =
        (u->db_queries * (double)x->query_bytes + u->cache_ops * (double)x->cache_op_bytes) *
        x->cross_az_share;
    int st;
    if ((st = add_price(b, COST_DATA_TRANSFER,
                        "inter-AZ, pods to database and Redis (billed out and in)",
                        2 * bytes / 1e9 * scale, "GB", &p->interaz_gb)))
        return st;
    char item[96];
    set_text(item, sizeof item, "Secrets Manager, %d secret%s", x->secrets,
             x->secrets == 1 ? "" : "s");
    if ((st = add_fixed(b, COST_SECRETS, item, x->secrets * b->m->month_hours / COST_MONTH_HOURS,
                        "secret-months", &p->secrets_month)))
        return st;
    /* no refresh interval (a scenario built in code): no periodic reads to bill */
    double calls = x->secrets_refresh > 0
                       ? x->secrets * b->m->month_hours * 3600.0 / sim_to_sec(x->secrets_refresh)
                       : 0;
    if ((st = add_fixed(b, COST_SECRETS, "API calls (External Secrets Operator refreshes)",
                        calls / 1e4, "10k calls", &p->secrets_calls_10k)))
        return st;
    if ((st = add_fixed(b, COST_ROUTE53, "hosted zones", x->hosted_zones, "zone-months",
                        &p->route53_zone_month)))
        return st;
    /* the DR region's health check on the primary's endpoint, its fast interval an optional
     * feature, and a CloudWatch alarm on its status beside the scenario's own alarms */
    const mdl_dr_config *dr = &s->dr;
    double months = b->m->month_hours / COST_MONTH_HOURS;
    if (dr->health_check) {
        if ((st = add_fixed(b, COST_ROUTE53, "health check (the primary region's endpoint)", months,
                            "check-months", &p->route53_health_check_month)))
            return st;
        if (dr->health_check_fast &&
            (st = add_fixed(b, COST_ROUTE53, "health check option: fast interval (10 s)", months,
                            "option-months", &p->route53_health_check_option_month)))
            return st;
    }
    int alarms = (int)s->nalarms + (dr->health_check ? 1 : 0);
    set_text(item, sizeof item, "alarms (%d, standard resolution)", alarms);
    return alarms ? add_fixed(b, COST_CLOUDWATCH, item, alarms * months, "alarm-months",
                              &p->cloudwatch_alarm_month)
                  : BASE_OK;
}

/* ---------------------------------------------------------------- the bill */

/* Every metered figure must be a count or an amount: finite and not negative. */
static int check_usage(const cost_usage *u, base_err *err)
{
    if (!(u->seconds > 0) || !isfinite(u->seconds))
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "no simulated time to price (usage covers %g s)", u->seconds);
    const struct {
        const char *name;
        double v;
    } f[] = {
        {"lcu_hours", u->lcu_hours},
        {"cdn_bytes", u->cdn_bytes},
        {"cdn_requests", u->cdn_requests},
        {"origin_requests", u->origin_requests},
        {"nat_bytes", u->nat_bytes},
        {"db_primary_seconds", u->db_primary_seconds},
        {"db_replica_seconds", u->db_replica_seconds},
        {"db_surplus_credits", u->db_surplus_credits},
        {"acu_seconds", u->acu_seconds},
        {"aurora_io", u->aurora_io},
        {"db_write_queries", u->db_write_queries},
        {"cache_node_seconds", u->cache_node_seconds},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!(f[i].v >= 0) || !isfinite(f[i].v))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "usage %s is %g", f[i].name, f[i].v);
    for (size_t t = 0; t < COST_MAX_TYPES; t++)
        if (!(u->node_surplus_credits[t] >= 0) || !isfinite(u->node_surplus_credits[t]))
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "usage node_surplus_credits is %g",
                                u->node_surplus_credits[t]);
    for (size_t t = 0; t < COST_MAX_TYPES; t++)
        for (int c = 0; c < 2; c++)
            if (!(u->node_seconds[t][c] >= 0) || !isfinite(u->node_seconds[t][c]))
                return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "usage node_seconds is %g",
                                    u->node_seconds[t][c]);
    return BASE_OK;
}

int cost_price_part(const mdl_scenario *s, const cost_usage *u, double scale, bool fixed,
                    cost_month *out, base_err *err)
{
    if (!(out->month_hours > 0))
        out->month_hours = COST_MONTH_HOURS;
    int st = check_usage(u, err);
    if (st)
        return st;
    /* A scenario without a pricing file has an empty catalog: every price would be $0, and a
     * bill of $0 looks like an answer. */
    if (!s->cluster.catalog.region[0])
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "no prices: the scenario names no pricing file (`pricing:`)");
    if (!(scale > 0) || !isfinite(scale))
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "a month part's scale must be > 0");
    bill b = {out, err, fixed};
    const cost_prices *p = &s->cluster.catalog.prices;
    /* The control plane is billed every hour the cluster exists, whatever the load. */
    if ((st = add_fixed(&b, COST_EKS, "cluster control plane (standard support)", out->month_hours,
                        "hours", &p->eks_cluster_hour)) ||
        (st = price_nodes(&b, s, u, scale)) || (st = price_edge(&b, s, u, scale)))
        return st;
    if (s->db.enabled && s->db.engine == MDL_DB_RDS && (st = price_rds(&b, s, u, scale)))
        return st;
    if (s->db.enabled && s->db.engine == MDL_DB_AURORA && (st = price_aurora(&b, s, u, scale)))
        return st;
    if (s->redis.enabled && (st = price_cache(&b, s, u, scale)))
        return st;
    if (s->dr.enabled && (st = price_dr(&b, s, u, scale)))
        return st;
    return price_extras(&b, s, u, scale);
}

int cost_price(const mdl_scenario *s, const cost_usage *u, cost_month *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    int st = check_usage(u, err);
    if (st)
        return st;
    out->scale = month_scale(s, u);
    /* a month of N windows lasts N windows; without one, the 730 hours of AWS's month */
    out->month_hours = s->month.repeat > 0 ? out->scale * u->seconds / 3600.0 : COST_MONTH_HOURS;
    return cost_price_part(s, u, out->scale, true, out, err);
}

/* ---------------------------------------------------------------- money as text */

const char *cost_format(int64_t micro, char *buf, size_t len)
{
    if (!buf || len == 0)
        return buf;
    /* Work on the magnitude as unsigned so INT64_MIN has one too. */
    uint64_t m = micro < 0 ? (uint64_t)0 - (uint64_t)micro : (uint64_t)micro;
    uint64_t whole, frac;
    int decimals;
    if (m >= 100000) {
        /* $0.10 and more: cents, half away from zero (Infracost's decimal.Round) */
        uint64_t cents = m / 10000 + (m % 10000 >= 5000);
        whole = cents / 100;
        frac = cents % 100;
        decimals = 2;
    } else {
        /* below $0.10: all six micro-dollar decimals, trailing zeros dropped down to two */
        whole = 0;
        frac = m;
        decimals = 6;
        while (decimals > 2 && frac % 10 == 0) {
            frac /= 10;
            decimals--;
        }
    }
    /* the whole dollars with a comma every three digits, written backwards */
    char digits[32];
    size_t nd = 0;
    do {
        if (nd % 4 == 3)
            digits[nd++] = ',';
        digits[nd++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    char text[48];
    size_t k = 0;
    if (micro < 0)
        text[k++] = '-';
    text[k++] = '$';
    while (nd)
        text[k++] = digits[--nd];
    text[k] = '\0';
    snprintf(buf, len, "%s.%0*llu", text, decimals, (unsigned long long)frac);
    return buf;
}

double cost_per_million(const cost_month *m, double requests_in_window, double scale)
{
    double requests = requests_in_window * scale;
    if (!(requests > 0))
        return NAN;
    /* micro-USD per request is USD per million requests */
    return (double)m->total / requests;
}
