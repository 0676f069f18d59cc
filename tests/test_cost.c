/*
 * test_cost.c — the cost model (src/cost) and the pricing file it reads (src/io/pricing.c,
 * models/pricing/us-east-1.yaml).
 *
 * Why: a plan is only as good as its arithmetic. Each bill here is computed by hand from the
 * list prices of reference/aws-prices.md and must match to the micro-dollar (integers, no
 * tolerance): Spot nodes, a Multi-AZ database with its storage, ALB LCUs, Aurora ACUs and I/O,
 * ElastiCache nodes, and the one scaling rule (usage × 730 h / window; always-on hours and
 * monthly storage not scaled). The pricing file must be as strict as a scenario: a price
 * without a source, a misspelt key or a missing price is an error, not a silent $0.
 *
 * Scenarios and usage are built by hand (memset + the fields that matter); the catalog is the
 * real pricing file, bound by scn_load_pricing.
 *
 * Every test has the same .timeout: Criterion 2.4's runner leaks an allocation when tests of one
 * executable have different timeouts and run in parallel, and ctest fails on the leak report.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"
#include "files.h"
#include "support/c_run_dir.h"

#define PRICING SIMULATE_ROOT "/models/pricing/us-east-1.yaml"
#define HOUR    3600.0
#define MONTH_S (730.0 * HOUR) /* a 730-hour window: scale 1 */

/* ---------------------------------------------------------------- helpers */

/* A zeroed scenario with the real catalog; nothing else enabled. */
static mdl_scenario *scenario(void)
{
    mdl_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    base_err err;
    int st = scn_load_pricing(PRICING, &s->cluster.catalog, &err);
    cr_assert_eq(st, BASE_OK, "pricing file: %s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    s->cluster.spot_discount_override = -1; /* as scn_bind leaves it: the file's default */
    s->db.db_class = -1;
    s->redis.cache_type = -1;
    return s;
}

static cost_usage usage(double seconds)
{
    cost_usage u;
    memset(&u, 0, sizeof u);
    u.seconds = seconds;
    return u;
}

/* The index of the entry called `name` among n catalog entries of `size` bytes each, all of
 * which begin with their name (char[24]); what: "instance type", for the failure. */
static int named_index(const void *entries, size_t n, size_t size, const char *name,
                       const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp((const char *)entries + i * size, name))
            return (int)i;
    cr_assert_fail("no %s %s in the catalog", what, name);
    return -1;
}
_Static_assert(offsetof(cost_instance_type, name) == 0 && offsetof(cost_db_class, name) == 0 &&
                   offsetof(cost_cache_type, name) == 0,
               "named_index: the name first");
#define type_index(cat, name)                                                                      \
    named_index((cat)->types, (cat)->n, sizeof(cost_instance_type), name, "instance type")
#define db_index(cat, name)                                                                        \
    named_index((cat)->db, (cat)->ndb, sizeof(cost_db_class), name, "DB class")
#define cache_index(cat, name)                                                                     \
    named_index((cat)->cache, (cat)->ncache, sizeof(cost_cache_type), name, "cache type")

/* scenario() with an RDS db.t3.medium (Single-AZ, no replica, no storage: tests add them). */
static mdl_scenario *rds_t3_medium(void)
{
    mdl_scenario *s = scenario();
    s->db.enabled = true;
    s->db.engine = MDL_DB_RDS;
    s->db.db_class = db_index(&s->cluster.catalog, "db.t3.medium");
    return s;
}

/* Prices and checks what every bill must satisfy: the total is the exact sum of the lines, and
 * no line has a zero quantity. Returns a heap cost_month (it is 40 kB). */
static cost_month *price(const mdl_scenario *s, const cost_usage *u)
{
    cost_month *m = malloc(sizeof *m);
    cr_assert_not_null(m);
    base_err err;
    int st = cost_price(s, u, m, &err);
    cr_assert_eq(st, BASE_OK, "cost_price: %s", err.msg);
    int64_t sum = 0;
    for (size_t i = 0; i < m->n; i++) {
        cr_assert_neq(m->lines[i].quantity, 0.0, "line %s/%s has zero quantity",
                      m->lines[i].component, m->lines[i].item);
        cr_assert_gt(strlen(m->lines[i].source), 0, "line %s/%s has no source",
                     m->lines[i].component, m->lines[i].item);
        sum += m->lines[i].monthly;
    }
    cr_assert_eq(m->total, sum);
    cr_assert_eq(m->month_hours, 730.0);
    return m;
}

/* A scenario file loaded (on the heap: it is large); the test fails if it does not load. */
static mdl_scenario *load_scenario(const char *path)
{
    mdl_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    base_err err;
    cr_assert_eq(scn_load(path, s, &err), BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
    return s;
}

/* The line whose component is `component` and whose item starts with `item`; NULL if none. */
static const cost_line *line(const cost_month *m, const char *component, const char *item)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->lines[i].component, component) &&
            !strncmp(m->lines[i].item, item, strlen(item)))
            return &m->lines[i];
    return NULL;
}

static const cost_line *must_line(const cost_month *m, const char *component, const char *item)
{
    const cost_line *l = line(m, component, item);
    cr_assert_not_null(l, "no line %s / %s", component, item);
    return l;
}

/* The sum of one component's lines. */
static int64_t component_total(const cost_month *m, const char *component)
{
    int64_t t = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->lines[i].component, component))
            t += m->lines[i].monthly;
    return t;
}

/* ---------------------------------------------------------------- the pricing file */

Test(pricing, loads_the_catalog_with_every_price_sourced, .timeout = 60)
{
    mdl_scenario *s = scenario();
    const cost_catalog *cat = &s->cluster.catalog;
    cr_assert_str_eq(cat->region, "us-east-1");
    cr_assert_eq(cat->n, 11);
    cr_assert_eq(cat->ndb, 7);
    cr_assert_eq(cat->ncache, 3);
    /* aws-prices.md §3, §4, §5 */
    const cost_db_class *r7g = &cat->db[db_index(cat, "db.r7g.large")];
    cr_assert_eq(r7g->price_single.micro, 239000);
    cr_assert_eq(r7g->price_multi.micro, 478000);
    cr_assert_eq(r7g->price_aurora.micro, 276000);
    cr_assert_eq(r7g->vcpu, 2);
    cr_assert_eq(r7g->memory, 16LL << 30);
    const cost_db_class *t3 = &cat->db[db_index(cat, "db.t3.medium")];
    cr_assert_eq(t3->price_aurora.micro, 0, "no Aurora price in the reference for db.t3.medium");
    cr_assert_str_eq(t3->price_aurora.source, "");
    cr_assert(strstr(t3->price_multi.source, "derived 2×"), "%s", t3->price_multi.source);
    const cost_cache_type *micro = &cat->cache[cache_index(cat, "cache.t4g.micro")];
    cr_assert_eq(micro->price.micro, 16000);
    cr_assert_eq(micro->memory, 512LL << 20);
    cr_assert_eq(micro->ops_per_s, 50000.0);
    cr_assert(strstr(micro->source, "ASSUMPTION"), "%s", micro->source);
    cr_assert_eq(cat->cache[cache_index(cat, "cache.r7g.large")].ops_per_s, 150000.0);
    cr_assert_eq(cat->prices.eks_cluster_hour.micro, 100000);
    cr_assert_eq(cat->prices.s3_get_1k.micro, 400);
    cr_assert_eq(cat->prices.aurora_acu_hour_io_optimized.micro, 156000);
    /* cost_prices is cost_list_price fields, then the ladders: walk the prices as an array */
    const cost_list_price *p = (const cost_list_price *)&cat->prices;
    size_t np = offsetof(cost_prices, tiers) / sizeof *p;
    cr_assert_eq(np, 33);
    for (size_t i = 0; i < np; i++) {
        cr_assert_gt(p[i].micro, 0, "price %zu is zero", i);
        cr_assert_gt(strlen(p[i].source), 0, "price %zu has no source", i);
    }
    for (size_t i = 0; i < cat->ndb; i++)
        cr_assert(cat->db[i].price_single.source[0] && cat->db[i].price_multi.source[0] &&
                      cat->db[i].source[0],
                  "%s", cat->db[i].name);
    /* every type takes the file's Spot discount */
    for (size_t i = 0; i < cat->n; i++)
        cr_assert_eq(cat->types[i].spot_discount, 0.6);
    free(s);
}

/* eu-west-1's file (issue 19): the same names as us-east-1's, every price with a source, the
 * sourced RDS classes at their sources' rates (db.t3.medium PostgreSQL: a May 2026 Cost and
 * Usage Report, $232.13 for 2,976 on-demand hours) and the rest still named estimates. */
Test(pricing, eu_west_1_prices_rds_from_its_sources_and_names_its_estimates, .timeout = 60)
{
    cost_catalog *cat = calloc(1, sizeof *cat);
    cr_assert_not_null(cat);
    base_err err;
    int st = scn_load_pricing(SIMULATE_ROOT "/models/pricing/eu-west-1.yaml", cat, &err);
    cr_assert_eq(st, BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    cr_assert_str_eq(cat->region, "eu-west-1");
    cr_assert_eq(cat->n, 11);
    cr_assert_eq(cat->ndb, 7);
    cr_assert_eq(cat->ncache, 3);
    const cost_db_class *t3 = &cat->db[db_index(cat, "db.t3.medium")];
    cr_expect_eq(t3->price_single.micro, 78000, "$0.078: CUR-MAY");
    cr_expect(strstr(t3->price_single.source, "CUR-MAY"), "%s", t3->price_single.source);
    cr_expect_eq(t3->price_multi.micro, 2 * t3->price_single.micro);
    cr_expect(strstr(t3->price_multi.source, "derived 2×"), "%s", t3->price_multi.source);
    const cost_db_class *t4g = &cat->db[db_index(cat, "db.t4g.medium")];
    cr_expect_eq(t4g->price_single.micro, 69000, "$0.069: CE-MAY");
    cr_expect(strstr(t4g->price_single.source, "CE-MAY"), "%s", t4g->price_single.source);
    /* no eu-west-1 db.r7g price was found: the replica's class is still an estimate */
    const cost_db_class *r7g = &cat->db[db_index(cat, "db.r7g.large")];
    cr_expect_eq(r7g->price_single.micro, 262900);
    cr_expect(!strncmp(r7g->price_single.source, "estimate", 8), "%s", r7g->price_single.source);
    cr_expect(!strncmp(r7g->price_aurora.source, "estimate", 8), "%s", r7g->price_aurora.source);
    const cost_list_price *p = (const cost_list_price *)&cat->prices;
    size_t np = offsetof(cost_prices, tiers) / sizeof *p;
    for (size_t i = 0; i < np; i++)
        cr_expect(p[i].micro > 0 && p[i].source[0], "price %zu", i);
    for (size_t i = 0; i < cat->ndb; i++)
        cr_expect(cat->db[i].price_single.source[0] && cat->db[i].price_multi.source[0], "%s",
                  cat->db[i].name);
    free(cat);
}

/* The real pricing file with `from` replaced by `to`, loaded; returns the status and the error. */
static int load_edited(const char *from, const char *to, base_err *err)
{
    FILE *f = fopen(PRICING, "rb");
    cr_assert_not_null(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    cr_assert_not_null(at, "'%s' is not in the pricing file", from);
    char path[] = "/tmp/test_cost_pricingXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *o = fdopen(fd, "wb");
    cr_assert_not_null(o);
    fwrite(text, 1, (size_t)(at - text), o);
    fputs(to, o);
    fputs(at + strlen(from), o);
    fclose(o);
    cost_catalog *cat = malloc(sizeof *cat);
    cr_assert_not_null(cat);
    int st = scn_load_pricing(path, cat, err);
    free(cat);
    unlink(path);
    return st;
}

static void expect_error(const char *from, const char *to, const char *msg)
{
    base_err err;
    int st = load_edited(from, to, &err);
    cr_assert_eq(st, BASE_EINPUT, "'%s' -> '%s' was accepted", from, to);
    cr_assert(strstr(err.msg, msg), "expected '%s' in: %s", msg, err.msg);
    cr_assert_gt(err.line, 0, "no position: %s", err.msg);
}

Test(pricing, is_as_strict_as_a_scenario, .timeout = 60)
{
    base_err err;
    cr_assert_eq(load_edited("region:", "region:", &err), BASE_OK, "%s", err.msg);
    expect_error("  alb_lcu_hour:", "  alb_lcu_hours:",
                 "unknown key 'alb_lcu_hours' in prices (did you mean 'alb_lcu_hour'?)");
    expect_error("  nat_gb: {price: $0.045,", "  other_gb: {price: $0.045,", "'other_gb'");
    expect_error("  secrets_calls_10k:", "  #secrets_calls_10k:",
                 "missing key 'secrets_calls_10k' in prices");
    expect_error("source: \"vcpu, memory: KS t3.micro, 2026-07-11; baseline: EC2 credit table "
                 "(t3.micro 12 credits/h, 10%)\"",
                 "source: \"\"", "must not be empty");
    expect_error("{price: $0.036, source: \"derived 2× Single-AZ; unconfirmed\"}",
                 "{price: $0.036}", "missing key 'source'");
    expect_error("{price: $0.0225, source:", "{price: -$0.0225, source:", "prices.alb_hour");
    expect_error("{price: $0.0225, source:", "{price: 0.0225/h, source:", "prices.alb_hour");
    expect_error("alb_hour: {price: $0.0225, source: \"ELB 2026-09-20; IC:lb_test ($16.43 for "
                 "730 h) 2024-07-01\"}",
                 "alb_hour: $0.0225", "expected {price: $AMOUNT");
    expect_error("  db.t3.micro:", "  t3.micro:", "start with 'db.'");
    expect_error("price_single_az: {price: $0.072,", "price_single: {price: $0.072,",
                 "did you mean 'price_single_az'?");
    expect_error("    ops_per_s: 150k", "    ops_per_s: 0", "out of range");
    expect_error("    ops_per_s: 150k", "    ops_per_sec: 150k", "did you mean 'ops_per_s'?");
    expect_error("  cache.t4g.micro:", "  t4g.micro:", "start with 'cache.'");
}

/* ---------------------------------------------------------------- hand computations */

Test(cost, three_spot_m7g_large_for_a_month, .timeout = 60)
{
    mdl_scenario *s = scenario();
    int t = type_index(&s->cluster.catalog, "m7g.large");
    cost_usage u = usage(MONTH_S);
    u.node_seconds[t][0] = 3 * MONTH_S; /* [0]: Spot */
    cost_month *m = price(s, &u);
    cr_assert_eq(m->scale, 1.0);
    const cost_line *l = must_line(m, "EC2 nodes", "m7g.large Spot");
    /* 3 × 730 h × $0.0816 × (1 − 0.60) = $71.4816 */
    cr_assert_eq(l->quantity, 2190.0);
    cr_assert_eq(l->unit_price, 32640);
    cr_assert_eq(l->monthly, 71481600);
    cr_assert_eq(component_total(m, "EC2 nodes"), 71481600, "one line: Spot only");
    char buf[32];
    cr_assert_str_eq(cost_format(l->monthly, buf, sizeof buf), "$71.48");
    cr_assert(strstr(l->source, "KP 2026-07-20"), "%s", l->source);
    cr_assert(strstr(l->source, "cloudprice.app") || strstr(l->source, "default_discount"), "%s",
              l->source);
    free(m);
    free(s);
}

Test(cost, spot_discount_of_the_scenario, .timeout = 60)
{
    mdl_scenario *s = scenario();
    cost_catalog *cat = &s->cluster.catalog;
    int t = type_index(cat, "m7g.large");
    /* what scn_bind does with spot.discount: 70% */
    s->cluster.spot_discount_override = 0.7;
    for (size_t i = 0; i < cat->n; i++)
        cat->types[i].spot_discount = 0.7;
    cost_usage u = usage(MONTH_S);
    u.node_seconds[t][0] = MONTH_S;
    u.node_seconds[t][1] = MONTH_S; /* and one On-Demand */
    cost_month *m = price(s, &u);
    const cost_line *spot = must_line(m, "EC2 nodes", "m7g.large Spot");
    cr_assert_eq(spot->unit_price, 24480); /* $0.0816 × 0.3 */
    cr_assert_eq(spot->monthly, 730LL * 24480);
    cr_assert(strstr(spot->source, "scenario's spot.discount"), "%s", spot->source);
    const cost_line *od = must_line(m, "EC2 nodes", "m7g.large On-Demand");
    cr_assert_eq(od->monthly, 730LL * 81600); /* $59.568 */
    cr_assert(spot < od, "Spot line before On-Demand");
    free(m);
    free(s);
}

Test(cost, multi_az_db_t3_medium_with_100_gb, .timeout = 60)
{
    mdl_scenario *s = rds_t3_medium();
    s->db.multi_az = true;
    s->db.storage_gb = 100;
    cost_usage u = usage(MONTH_S);
    u.db_primary_seconds = MONTH_S;
    cost_month *m = price(s, &u);
    /* 730 × $0.144 + 100 × $0.23 = $105.12 + $23.00 = $128.12 */
    cr_assert_eq(must_line(m, "RDS", "db.t3.medium Multi-AZ")->monthly, 105120000);
    const cost_line *gp3 = must_line(m, "RDS", "gp3 storage, Multi-AZ");
    cr_assert_eq(gp3->monthly, 23000000);
    cr_assert(strstr(gp3->source, "Multi-AZ: 400 GB = $92.00"), "%s", gp3->source);
    cr_assert_eq(component_total(m, "RDS"), 128120000);
    cr_assert_null(line(m, "RDS", "db.t3.medium read replicas"), "no replicas, no line");
    char buf[32];
    cr_assert_str_eq(cost_format(component_total(m, "RDS"), buf, sizeof buf), "$128.12");
    cr_assert(strstr(must_line(m, "RDS", "db.t3.medium")->source, "derived 2×"));
    free(m);
    free(s);
}

Test(cost, single_az_rds_with_a_read_replica, .timeout = 60)
{
    mdl_scenario *s = rds_t3_medium();
    s->db.read_replicas = 1;
    s->db.storage_gb = 100;
    cost_usage u = usage(MONTH_S);
    u.db_primary_seconds = MONTH_S;
    u.db_replica_seconds = MONTH_S;
    cost_month *m = price(s, &u);
    /* primary and replica 730 × $0.072 each; storage 100 × $0.115 each */
    cr_assert_eq(must_line(m, "RDS", "db.t3.medium Single-AZ")->monthly, 52560000);
    cr_assert_eq(must_line(m, "RDS", "db.t3.medium read replicas")->monthly, 52560000);
    cr_assert_eq(must_line(m, "RDS", "gp3 storage")->monthly, 11500000);
    cr_assert_eq(must_line(m, "RDS", "gp3 storage, 1 read replica")->monthly, 11500000);
    cr_assert_eq(component_total(m, "RDS"), 128120000);
    free(m);
    free(s);
}

Test(cost, alb_hours_and_lcus, .timeout = 60)
{
    mdl_scenario *s = scenario();
    cost_usage u = usage(MONTH_S);
    u.lcu_hours = 2 * 730; /* 2 LCUs on average for the month */
    cost_month *m = price(s, &u);
    /* 730 × $0.0225 + 1460 × $0.008 = $16.425 + $11.68 = $28.105 */
    cr_assert_eq(must_line(m, "ALB", "load balancer")->monthly, 16425000);
    cr_assert_eq(must_line(m, "ALB", "LCU-hours")->monthly, 11680000);
    cr_assert_eq(component_total(m, "ALB"), 28105000);
    char buf[32];
    cr_assert_str_eq(cost_format(28105000, buf, sizeof buf), "$28.11", "half away from zero");
    free(m);
    free(s);
}

Test(cost, one_hour_window_scales_usage_but_not_fixed_costs, .timeout = 60)
{
    mdl_scenario *s = rds_t3_medium();
    int t = type_index(&s->cluster.catalog, "t3.medium");
    s->cdn.enabled = true;
    s->db.multi_az = true;
    s->db.storage_gb = 100;
    cost_usage u = usage(HOUR);
    u.node_seconds[t][1] = 2 * HOUR; /* two On-Demand t3.medium for the hour */
    u.db_primary_seconds = HOUR;
    u.lcu_hours = 1;
    u.cdn_bytes = 1e9;        /* 1 GB in the hour */
    u.cdn_requests = 10000;   /* 10k requests */
    u.origin_requests = 1000; /* 1k S3 GETs */
    u.nat_bytes = 1e9;
    cost_month *m = price(s, &u);
    cr_assert_eq(m->scale, 730.0);
    /* usage × 730 */
    const cost_line *nodes = must_line(m, "EC2 nodes", "t3.medium On-Demand");
    cr_assert_eq(nodes->quantity, 1460.0);
    cr_assert_eq(nodes->monthly, 1460LL * 41600); /* $60.736: the seed's "$60" system nodes */
    cr_assert_eq(must_line(m, "RDS", "db.t3.medium")->monthly, 730LL * 144000);
    cr_assert_eq(must_line(m, "ALB", "LCU-hours")->monthly, 730LL * 8000);
    /* 730 GB and 730 × 10k requests: inside CloudFront's always-free 1 TB and 10M requests */
    const cost_line *cf = must_line(m, "CloudFront", "data transfer");
    cr_assert(strstr(cf->item, "always-free"), "%s", cf->item);
    cr_assert_eq(cf->quantity, 730.0);
    cr_assert_eq(cf->monthly, 0);
    cr_assert_eq(must_line(m, "CloudFront", "HTTPS")->monthly, 0);
    cr_assert_eq(component_total(m, "CloudFront"), 0);
    cr_assert_eq(must_line(m, "S3", "GET")->monthly, 730LL * 400);
    cr_assert_eq(must_line(m, "NAT gateway", "data processed")->monthly, 730LL * 45000);
    /* always on, or per month: not × 730 */
    const cost_line *eks = must_line(m, "EKS", "cluster");
    cr_assert_eq(eks->quantity, 730.0);
    cr_assert_eq(eks->monthly, 73000000);
    cr_assert_eq(must_line(m, "ALB", "load balancer")->monthly, 16425000);
    cr_assert_eq(must_line(m, "RDS", "gp3 storage")->monthly, 23000000);
    cr_assert_eq(must_line(m, "S3", "SPA storage")->monthly, 23000);
    cr_assert_eq(must_line(m, "NAT gateway", "gateways")->monthly, 3LL * 730 * 45000);
    cr_assert_eq(must_line(m, "NAT gateway", "public IPv4")->monthly, 3LL * 730 * 5000);
    free(m);
    free(s);
}

/* ---------------------------------------------------------------- tiered prices */

/* The month's CloudFront transfer line of tier `item` (its whole item text). */
static const cost_line *exact_line(const cost_month *m, const char *component, const char *item)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->lines[i].component, component) && !strcmp(m->lines[i].item, item))
            return &m->lines[i];
    cr_assert_fail("no line %s / %s", component, item);
    return NULL;
}

#define CF "data transfer out (US, Mexico, Canada)"

Test(cost, cloudfront_transfer_by_its_tiers, .timeout = 60)
{
    /* Black Friday's month (issue 12): 3,956,375.525 GB. By hand, from the published ladder
     * (US, Mexico, Canada; 1 TB = 1,024 GB): 1 TB free; first 10 TB 10,240 GB × $0.085 =
     * $870.40; next 40 TB 40,960 × $0.080 = $3,276.80; next 100 TB 102,400 × $0.060 = $6,144;
     * next 350 TB 358,400 × $0.040 = $14,336; next 524 TB 536,576 × $0.030 = $16,097.28; next
     * 4 PB: the rest, 3,956,375.525 − 1,024 − 1,048,576 = 2,906,775.525 GB × $0.025 =
     * $72,669.388125. Sum $113,393.868125 — not the $336,291.92 of every GB at $0.085. */
    mdl_scenario *s = scenario();
    s->cdn.enabled = true;
    cost_usage u = usage(MONTH_S);
    u.cdn_bytes = 3956375.525e9;
    cost_month *m = price(s, &u);
    const struct {
        const char *tier;
        double gb;
        int64_t micro;
    } want[] = {
        {CF ", always-free tier (1 TB a month)", 1024, 0},
        {CF ", first 10 TB", 10240, 870400000},
        {CF ", next 40 TB", 40960, 3276800000},
        {CF ", next 100 TB", 102400, 6144000000},
        {CF ", next 350 TB", 358400, 14336000000},
        {CF ", next 524 TB", 536576, 16097280000},
        {CF ", next 4 PB", 2906775.525, 72669388125},
    };
    int64_t sum = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const cost_line *l = exact_line(m, "CloudFront", want[i].tier);
        cr_expect_float_eq(l->quantity, want[i].gb, 1e-6, "%s", want[i].tier);
        cr_expect_eq(l->monthly, want[i].micro, "%s: %lld", want[i].tier, (long long)l->monthly);
        cr_expect_gt(strlen(l->source), 0);
        sum += want[i].micro;
    }
    cr_expect_eq(sum, 113393868125);
    cr_expect_eq(component_total(m, "CloudFront"), sum, "no other CloudFront line");
    free(m);

    /* 6 PB: the over-5-PB tier takes what is past 5 PB, 1 PB − the free 1 TB */
    u.cdn_bytes = 6.0 * 1048576 * 1e9;
    m = price(s, &u);
    const cost_line *over = exact_line(m, "CloudFront", CF ", over 5 PB");
    cr_expect_float_eq(over->quantity, 1048576.0 - 1024, 1e-6);
    cr_expect_eq(over->unit_price, 20000);
    cr_expect_eq(exact_line(m, "CloudFront", CF ", next 4 PB")->quantity, 4.0 * 1048576);
    free(m);
    free(s);
}

Test(cost, month_mix_tiers_the_months_total_volume, .timeout = 60)
{
    /* two parts of 300 TB each: priced together, the month's 600 TB reach the $0.030 tier;
     * priced apart, each would stop at the $0.040 tier and pay the free and first tiers twice */
    mdl_scenario *s = scenario();
    s->cdn.enabled = true;
    cost_usage u = usage(MONTH_S);
    u.cdn_bytes = 300.0 * 1024 * 1e9;
    cost_month *mix = calloc(1, sizeof *mix), *one = calloc(1, sizeof *one);
    cr_assert(mix && one);
    base_err err;
    cr_assert_eq(cost_price_part(s, &u, 1, true, mix, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(cost_price_part(s, &u, 1, false, mix, &err), BASE_OK, "%s", err.msg);
    cost_usage whole = u;
    whole.cdn_bytes = 2 * u.cdn_bytes;
    cr_assert_eq(cost_price_part(s, &whole, 1, true, one, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(component_total(mix, "CloudFront"), component_total(one, "CloudFront"));
    cr_expect_eq(mix->total, one->total);
    /* 600 TB = 614,400 GB: 1,024 free, then 870.40 + 3,276.80 + 6,144 + 14,336 and the rest,
     * 614,400 − 1,024 − 512,000 = 101,376 GB, at $0.030 = $3,041.28 */
    cr_expect_eq(exact_line(mix, "CloudFront", CF ", next 524 TB")->monthly, 3041280000);
    cr_expect_eq(component_total(mix, "CloudFront"), 27668480000);
    /* the tier lines stand together, in ladder order, once each */
    size_t first = 0, n = 0;
    for (size_t i = 0; i < mix->n; i++)
        if (!strncmp(mix->lines[i].item, CF, strlen(CF))) {
            if (n++ == 0)
                first = i;
            cr_expect_eq(i, first + n - 1, "tier lines are contiguous");
        }
    cr_expect_eq(n, 6);
    int64_t sum = 0;
    for (size_t i = 0; i < mix->n; i++)
        sum += mix->lines[i].monthly;
    cr_expect_eq(mix->total, sum);
    free(mix);
    free(one);
    free(s);
}

Test(cost, internet_egress_without_cloudfront, .timeout = 60)
{
    /* no CDN: the ALB's responses leave the region, by the egress ladder after 100 GB free.
     * 20 TB of responses: 100 GB free, 10,240 GB × $0.09 = $921.60, the rest (20,480 − 100 −
     * 10,240 = 10,140 GB) × $0.085 = $861.90 */
    mdl_scenario *s = scenario();
    s->traffic.request_bytes = 1000;
    cost_usage u = usage(MONTH_S);
    u.alb_requests = 1e6;
    u.alb_bytes = 20.0 * 1024 * 1e9 + 1e6 * 1000; /* responses + the requests' 1 GB (free in) */
    cost_month *m = price(s, &u);
    cr_expect_eq(component_total(m, "Data transfer"), 921600000 + 861900000);
    cr_expect_eq(
        exact_line(m, "Data transfer", "internet egress (ALB responses), next 40 TB")->quantity,
        10140.0);
    free(m);
    s->cdn.enabled = true; /* behind CloudFront: origin fetches from AWS are free */
    m = price(s, &u);
    cr_expect_null(line(m, "Data transfer", "internet"));
    free(m);
    free(s);
}

Test(pricing, a_ladder_must_rise_and_end_open, .timeout = 60)
{
    mdl_scenario *s = scenario();
    const cost_tiers *t = &s->cluster.catalog.prices.tiers.cloudfront_gb;
    cr_assert_eq(t->n, 7);
    cr_assert_eq(t->free, 1024.0);
    cr_assert_eq(t->tier[0].upto, 10240.0);
    cr_assert_eq(t->tier[6].upto, 0.0);
    cr_assert_eq(t->tier[0].price.micro, s->cluster.catalog.prices.cloudfront_gb.micro,
                 "the flat price is the first tier's");
    cr_assert_eq(s->cluster.catalog.prices.tiers.s3_gb_month.n, 3);
    free(s);
    /* the real file with its last CloudFront tier closed, then with two tiers out of order */
    expect_error("- {price: $0.020,", "- {upto: 9999999, price: $0.020,", "must have no `upto`");
    expect_error("{upto: 51200,   price: $0.080", "{upto: 5120,    price: $0.080",
                 "above the tier");
    expect_error("  cloudfront_https_10k:\n    # 10",
                 "  cloudfront_https_10k:\n    ladders: []\n    # 10", "unknown key 'ladders'");
}

/* ---------------------------------------------------------------- ALB capacity units */

Test(lcu, each_dimension_averaged_over_the_hour_the_largest_billed, .timeout = 60)
{
    /* Behind CloudFront: 100 requests/s for an hour from 30 CloudFront servers, keep-alive 5 s.
     * Each server sends 3.33/s, so a request finds its connection idle-closed with probability
     * exp(-3.33 × 5) = 5.8e-8: new connections ~0/s (0 LCU); 30 connections open (30 / 3,000 =
     * 0.01 LCU); 10 kB a request, 3.6 GB in the hour (3.6 LCU); one rule (free). 3.6 LCUs —
     * where a new connection per request would have made 100 / 25 = 4. */
    mdl_alb_meter m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < 360; i++) /* 10 s intervals */
        mdl_alb_meter_add(&m, 1000, 1000 * 10e3, 10, 30, 5);
    cr_expect_float_eq(m.new_conns, 360000 * exp(-100.0 / 30 * 5), 1e-9);
    cr_expect_float_eq(m.conn_seconds / m.seconds, 30 * (1 - exp(-100.0 / 30 * 5)), 1e-9);
    cr_expect_float_eq(mdl_alb_lcus(&m, 1), 3.6, 1e-9);

    /* Without CloudFront: 1,000 users at 0.01 requests/s each (10/s), keep-alive 60 s: a
     * request opens a connection with probability exp(-0.6) = 0.5488: 5.488 new connections/s
     * (0.2195 LCU); 1,000 × (1 − 0.5488) = 451 open (0.150 LCU); 1 kB a request, 0.036 GB an
     * hour (0.036 LCU). The new connections are billed: 0.2195 LCU. */
    memset(&m, 0, sizeof m);
    for (int i = 0; i < 60; i++) /* one-minute intervals */
        mdl_alb_meter_add(&m, 600, 600 * 1e3, 60, 1000, 60);
    double fresh = 10 * exp(-0.6) / 25;
    cr_expect_float_eq(mdl_alb_lcus(&m, 1), fresh, 1e-12);
    cr_expect_float_eq(fresh, 0.21952465, 1e-8);
    cr_expect_float_eq(m.conn_seconds / m.seconds / 3000, 1000 * (1 - exp(-0.6)) / 3000, 1e-12);
    /* 15 rules processed per request: (15 − 10 free) × 10/s = 50 evaluations/s = 0.05 LCU,
     * below the connections; 70 rules: 600/s = 0.6 LCU, billed */
    cr_expect_float_eq(mdl_alb_lcus(&m, 15), fresh, 1e-12);
    cr_expect_float_eq(mdl_alb_lcus(&m, 70), 0.6, 1e-12);

    /* an hour of which half is idle: the averages are over the whole hour */
    memset(&m, 0, sizeof m);
    mdl_alb_meter_add(&m, 1800 * 100, 1800 * 100 * 10e3, 1800, 30, 5);
    mdl_alb_meter_add(&m, 0, 0, 1800, 30, 5);
    cr_expect_float_eq(mdl_alb_lcus(&m, 1), 1.8, 1e-9);
    memset(&m, 0, sizeof m);
    cr_expect_eq(mdl_alb_lcus(&m, 1), 0.0, "no time metered, no LCUs");
}

/* ---------------------------------------------------------------- burstable databases */

/* What one replication of tests/data/cost/burst.yaml used, and its API latency p99 and served
 * requests/s per 10 s (`rows` of them, 360). */
typedef struct burst {
    cost_usage u;
    double p99[400], served[400];
    size_t rows;
} burst;

/* tests/data/cost/burst.yaml, one replication of the request engine, mode and start balance as
 * given, into the static b. */
static burst *run_burst(int mode, double start)
{
    static burst b;
    mdl_scenario *s = load_scenario(SIMULATE_TESTDATA "/cost/burst.yaml");
    base_err err;
    s->db.credit_mode = mode;
    s->db.credits_start = start;
    eng_rep rep;
    cr_assert_eq(eng_run_replication(s, 0, &rep, &err), BASE_OK, "%s", err.msg);
    b.u = rep.usage;
    size_t c = 0, v = 0;
    while (c < ser_cols(rep.series) && strcmp(ser_name(rep.series, c), "api_latency_p99_ms"))
        c++;
    while (v < ser_cols(rep.series) && strcmp(ser_name(rep.series, v), "served_per_s"))
        v++;
    cr_assert(c < ser_cols(rep.series) && v < ser_cols(rep.series));
    b.rows = ser_rows(rep.series) < 400 ? ser_rows(rep.series) : 400;
    for (size_t i = 0; i < b.rows; i++) {
        b.p99[i] = ser_get(rep.series, i, c);
        b.served[i] = ser_get(rep.series, i, v);
    }
    eng_rep_clear(&rep);
    free(s);
    return &b;
}

Test(cost, burstable_database_unlimited_bills_the_surplus, .timeout = 60)
{
    /* db.t3.medium: 2 vCPUs at a 20% baseline earn 0.2 × 2 × 60 = 24 credits an hour (a credit
     * is a vCPU-minute; EC2 credit table). Its queries (6 ms each, deterministic) spent
     * queries × 6 ms / 60 s credits in the hour, 36 at the 100/s asked for; the surplus, spent −
     * earned ≈ 12 credits = 0.2 vCPU-hours, × 730 for the month at $0.075: ~$10.95. By hand
     * from the queries the run made: */
    cost_usage u = run_burst(MDL_CREDITS_UNLIMITED, 1)->u;
    double hours = u.seconds / 3600.0;
    cr_assert_eq(hours, 1.0);
    double spent = u.db_queries * 0.006 / 60.0, earned = 24 * hours;
    /* to a query: one still running at the end has spent part of its 0.0001 credits */
    cr_expect_float_eq(u.db_surplus_credits, spent - earned, 1e-4, "surplus %g, by hand %g",
                       u.db_surplus_credits, spent - earned);
    cr_expect_float_eq(u.db_surplus_credits, 12.0, 0.3, "≈ 0.2 vCPU × 60 min");
    cr_expect_eq(u.db_throttled_seconds, 0.0, "unlimited is never throttled");
    mdl_scenario *s = load_scenario(SIMULATE_TESTDATA "/cost/burst.yaml");
    cost_month *m = price(s, &u);
    const cost_line *l = must_line(m, "RDS", "db.t3.medium CPU credits beyond the 20% baseline");
    cr_expect_float_eq(l->quantity, u.db_surplus_credits / 60 * 730, 1e-9);
    cr_expect_float_eq(l->quantity, (spent - earned) / 60 * 730, 0.01);
    cr_expect_eq(l->unit_price, 75000);
    cr_expect_eq(l->monthly, (int64_t)llround(u.db_surplus_credits / 60 * 730 * 75000));
    free(m);
    /* below the baseline (a db.r7g.large is not burstable; a db.t3.medium at 10/s is under
     * it): no line */
    u.db_surplus_credits = 0;
    m = price(s, &u);
    cr_expect_null(line(m, "RDS", "db.t3.medium CPU credits"));
    free(m);
    free(s);
}

Test(cost, burstable_database_standard_is_throttled_when_its_credits_run_out, .timeout = 60)
{
    /* standard mode from 0.5% of the 576-credit cap (2.88 credits), draining 12 an hour: empty
     * after ~14 minutes, then held to its baseline, 0.4 vCPU for 0.6 vCPU of queries — the
     * queue grows and the API's p99 with it; no surplus is billed */
    burst *b = run_burst(MDL_CREDITS_STANDARD, 0.005);
    cost_usage u = b->u;
    const double *p99 = b->p99, *served = b->served;
    size_t rows = b->rows;
    cr_expect_eq(u.db_surplus_credits, 0.0);
    /* throttled from about minute 15 to the end: ~45 of the 60 minutes */
    cr_expect_gt(u.db_throttled_seconds, 40 * 60.0, "%g s", u.db_throttled_seconds);
    cr_expect_lt(u.db_throttled_seconds, 50 * 60.0, "%g s", u.db_throttled_seconds);
    cr_assert_geq(rows, 350);
    double before = 0, after = 0, late_served = 0;
    for (size_t i = 6; i < 60; i++) /* minutes 1-10 */
        before = fmax(before, p99[i]);
    for (size_t i = 60; i < rows; i++) /* from minute 10: the onset */
        after = fmax(after, p99[i]);
    for (size_t i = 300; i < 350; i++) /* minutes 50-58 */
        late_served += served[i] / 50;
    cr_expect_lt(before, 100.0, "p99 while credits last: %g ms", before);
    cr_expect_gt(after, 100 * before, "p99 once throttled: %g ms (before: %g ms)", after, before);
    /* 0.4 vCPU for 0.6 vCPU of work: processor sharing slows every query, and the requests
     * outlast their timeouts — far fewer than the 100/s asked for are served */
    cr_expect_lt(late_served, 50.0, "served late in the hour: %g/s", late_served);

    /* the same load in unlimited mode keeps its p99 and serves it all */
    run_burst(MDL_CREDITS_UNLIMITED, 0.005); /* into the same static: p99 and served follow */
    double late = 0;
    late_served = 0;
    for (size_t i = 300; i < 350; i++) {
        late = fmax(late, p99[i]);
        late_served += served[i] / 50;
    }
    cr_expect_lt(late, 100.0, "unlimited p99 late in the hour: %g ms", late);
    cr_expect_gt(late_served, 95.0, "unlimited serves the load: %g/s", late_served);
}

Test(cost, burstable_nodes_unlimited_bill_the_surplus, .timeout = 60)
{
    /* four pods on one t4g.small (2 vCPUs, 20% baseline: 24 credits an hour) doing 560
     * requests/s of 1.25 ms, 0.7 cores, for an hour: spent = requests × 1.25 ms / 60 s ≈ 42
     * credits, earned = node-hours × 24 = 24, surplus ≈ 18 credits = 0.3 vCPU-hours, × 730 for
     * the month at $0.04 (T4g). The system nodes (t3.medium, 20%) run no API pod: no line. */
    mdl_scenario *s = load_scenario(SIMULATE_TESTDATA "/cost/burst-nodes.yaml");
    base_err err;
    eng_rep rep;
    cr_assert_eq(eng_run_replication(s, 0, &rep, &err), BASE_OK, "%s", err.msg);
    const cost_usage *u = &rep.usage;
    const cost_catalog *cat = &s->cluster.catalog;
    int t = type_index(cat, "t4g.small"), sys = type_index(cat, "t3.medium");
    double node_h = (u->node_seconds[t][0] + u->node_seconds[t][1]) / HOUR;
    cr_assert_eq(node_h, 1.0, "one t4g.small all hour (%g h)", node_h);
    double served = rep.served[MDL_API_READ];
    double spent = served * 0.00125 / 60.0, earned = 24 * node_h;
    cr_expect_float_eq(u->node_surplus_credits[t], spent - earned, 0.05, "surplus %g, by hand %g",
                       u->node_surplus_credits[t], spent - earned);
    cr_expect_float_eq(u->node_surplus_credits[t], 18.0, 0.5);
    cr_expect_eq(u->node_surplus_credits[sys], 0.0, "idle system nodes spend nothing");
    cost_month *m = price(s, u);
    const cost_line *l = must_line(m, "EC2 nodes", "t4g.small CPU credits beyond the 20% baseline");
    cr_expect_float_eq(l->quantity, u->node_surplus_credits[t] / 60 * 730, 1e-9);
    cr_expect_eq(l->unit_price, 40000);
    cr_expect_null(line(m, "EC2 nodes", "t3.medium CPU credits"));
    free(m);
    eng_rep_clear(&rep);
    free(s);
}

Test(cost, aurora_acus_storage_and_io, .timeout = 60)
{
    mdl_scenario *s = scenario();
    s->db.enabled = true;
    s->db.engine = MDL_DB_AURORA;
    s->db.storage_gb = 50;
    cost_usage u = usage(MONTH_S);
    u.acu_seconds = 4 * MONTH_S; /* 4 ACUs all month */
    u.aurora_io = 10e6;
    cost_month *m = price(s, &u);
    /* 2,920 ACU-h × $0.12 = $350.40; 50 GB × $0.10 = $5.00; 10M I/O × $0.20/M = $2.00 */
    const cost_line *acu = must_line(m, "Aurora", "Serverless v2 ACUs (Aurora Standard)");
    cr_assert_eq(acu->quantity, 2920.0);
    cr_assert_eq(acu->monthly, 350400000);
    cr_assert_eq(must_line(m, "Aurora", "storage (Aurora Standard)")->monthly, 5000000);
    cr_assert_eq(must_line(m, "Aurora", "I/O requests")->monthly, 2000000);
    cr_assert_eq(component_total(m, "Aurora"), 357400000);
    cr_assert_null(line(m, "RDS", ""), "Aurora is not priced as RDS");
    free(m);

    /* I/O-Optimized: dearer ACUs and storage, I/O included */
    s->db.io_optimized = true;
    m = price(s, &u);
    cr_assert_eq(must_line(m, "Aurora", "Serverless v2 ACUs (I/O-Optimized)")->monthly,
                 2920LL * 156000); /* $455.52 */
    cr_assert_eq(must_line(m, "Aurora", "storage (I/O-Optimized)")->monthly, 50LL * 225000);
    cr_assert_null(line(m, "Aurora", "I/O requests"), "I/O-Optimized has no I/O charge");
    free(m);
    free(s);
}

Test(cost, elasticache_two_t4g_micro_nodes, .timeout = 60)
{
    mdl_scenario *s = scenario();
    s->redis.enabled = true;
    s->redis.cache_type = cache_index(&s->cluster.catalog, "cache.t4g.micro");
    s->redis.nodes = 2;
    cost_usage u = usage(MONTH_S);
    u.cache_node_seconds = 2 * MONTH_S;
    cost_month *m = price(s, &u);
    /* 2 × 730 × $0.016 = $23.36 (the seed's ~$15 is for one node: $11.68) */
    const cost_line *l = must_line(m, "ElastiCache", "cache.t4g.micro");
    cr_assert_eq(l->quantity, 1460.0);
    cr_assert_eq(l->monthly, 23360000);
    cr_assert(strstr(l->source, "ECAPI"), "%s", l->source);
    free(m);
    s->redis.enabled = false;
    m = price(s, &u);
    cr_assert_null(line(m, "ElastiCache", ""), "disabled: not priced");
    free(m);
    free(s);
}

Test(cost, health_check_and_alarms, .timeout = 60)
{
    mdl_scenario *s = scenario();
    cost_usage u = usage(MONTH_S);
    cost_month *m = price(s, &u);
    cr_assert_null(line(m, "CloudWatch", ""), "no alarms: none billed");
    cr_assert_null(line(m, "Route 53", "health check"));
    free(m);
    /* the seed's five alarms, a standard health check with its alarm: $0.50 + 6 × $0.10 */
    s->nalarms = mdl_alarm_defaults(s->alarms);
    s->dr.health_check = true;
    m = price(s, &u);
    cr_assert_eq(must_line(m, "Route 53", "health check (")->monthly, 500000);
    cr_assert_null(line(m, "Route 53", "health check option"));
    const cost_line *a = must_line(m, "CloudWatch", "alarms (6");
    cr_assert_eq(a->quantity, 6.0);
    cr_assert_eq(a->monthly, 600000);
    free(m);
    /* the fast interval is an optional feature: $1.00 more */
    s->dr.health_check_fast = 1;
    m = price(s, &u);
    cr_assert_eq(must_line(m, "Route 53", "health check option: fast")->monthly, 1000000);
    free(m);
    free(s);
}

Test(cost, the_dr_region_stands_by_all_month, .timeout = 60)
{
    mdl_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    base_err err;
    cr_assert_eq(scn_load(SIMULATE_TESTDATA "/failures/region.yaml", s, &err), BASE_OK, "%s",
                 err.msg);
    cr_assert(s->dr.enabled, "the architecture has its warm standby (seed §12)");
    cost_usage u = usage(MONTH_S);
    u.db_write_queries = 1e6;
    cost_month *m = price(s, &u);
    const cost_catalog *cat = &s->cluster.catalog;
    cr_assert_eq(must_line(m, "DR region", "EKS control plane")->monthly, 73000000);
    const cost_instance_type *sys = &cat->types[type_index(cat, s->cluster.system_type)];
    const cost_line *l = must_line(m, "DR region", sys->name);
    cr_assert_eq(l->quantity, s->cluster.system_nodes * 730.0);
    cr_assert_eq(l->unit_price, sys->price);
    /* the warm pods' nodes: as Karpenter would launch them, all month */
    double warm = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->lines[i].component, "DR region") && strstr(m->lines[i].item, "warm API"))
            warm += m->lines[i].quantity;
    cr_assert_geq(warm, 730.0, "at least one node for %d warm pods", s->dr.warm_replicas);
    const cost_db_class *dc = &cat->db[s->db.db_class];
    cr_assert_eq(must_line(m, "DR region", "RDS")->unit_price, dc->price_single.micro);
    /* the writes' bytes to the other region: 10^6 × query_bytes at $0.02/GB */
    l = must_line(m, "DR region", "replication");
    cr_assert_float_eq(l->quantity, 1e6 * (double)s->extras.query_bytes / 1e9, 1e-9);
    cr_assert_eq(l->unit_price, cat->prices.interregion_gb.micro);
    must_line(m, "DR region", "ALB (idle)");
    must_line(m, "DR region", "NAT gateways");
    int64_t with = m->total, dr = component_total(m, "DR region");
    free(m);
    s->dr.enabled = false;
    m = price(s, &u);
    cr_assert_null(line(m, "DR region", ""));
    cr_assert_eq(m->total, with - dr, "the DR region is all and only its lines");
    free(m);
    free(s);
}

Test(cost, zero_lines_are_left_out, .timeout = 60)
{
    mdl_scenario *s = rds_t3_medium();
    cost_usage u = usage(MONTH_S); /* nothing metered; no storage */
    cost_month *m = price(s, &u);
    /* what is left is what runs all month whatever the load */
    cr_assert_eq(m->n, 4, "%zu lines", m->n);
    cr_assert_str_eq(m->lines[0].component, "EKS");
    cr_assert_str_eq(m->lines[1].component, "ALB");
    cr_assert_str_eq(m->lines[2].component, "NAT gateway");
    cr_assert_str_eq(m->lines[3].component, "NAT gateway");
    /* $73.00 + $16.425 + 3 × 730 × $0.045 + 3 × 730 × $0.005 = $198.925 */
    cr_assert_eq(m->total, 198925000);
    cr_assert_null(line(m, "EC2 nodes", ""));
    cr_assert_null(line(m, "RDS", ""));
    cr_assert_null(line(m, "S3", ""), "no CloudFront: no SPA bucket, no GETs");
    free(m);
    free(s);
}

Test(cost, bad_usage_and_scenarios_are_errors, .timeout = 60)
{
    mdl_scenario *s = scenario();
    cost_month *m = malloc(sizeof *m);
    cr_assert_not_null(m);
    base_err err;
    cost_usage u = usage(0);
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_EINPUT);
    cr_assert(strstr(err.msg, "no simulated time"), "%s", err.msg);
    u = usage(HOUR);
    u.lcu_hours = -1;
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_EINPUT);
    cr_assert(strstr(err.msg, "lcu_hours"), "%s", err.msg);
    u = usage(HOUR);
    u.node_seconds[0][0] = NAN;
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_EINPUT);
    u = usage(HOUR);
    s->db.enabled = true;
    s->db.engine = MDL_DB_RDS;
    s->db.db_class = -1;
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_EINTERNAL);
    s->db.enabled = false;
    s->redis.enabled = true;
    s->redis.cache_type = (int)s->cluster.catalog.ncache;
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_EINTERNAL);
    s->redis.enabled = false;
    u.nat_bytes = 1e30; /* beyond int64 micro-USD */
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_ELIMIT);
    u.nat_bytes = 0;
    s->cluster.catalog.region[0] = '\0'; /* no pricing file: not a bill of $0 */
    cr_assert_eq(cost_price(s, &u, m, &err), BASE_EINPUT);
    cr_assert(strstr(err.msg, "pricing file"), "%s", err.msg);
    free(m);
    free(s);
}

/* ---------------------------------------------------------------- money as text */

Test(cost, format_like_infracost, .timeout = 60)
{
    static const struct {
        int64_t micro;
        const char *text;
    } cases[] = {
        {71481600, "$71.48"},
        {128120000, "$128.12"},
        {1234567890, "$1,234.57"},
        {1000000000000, "$1,000,000.00"},
        {999995000, "$1,000.00"}, /* rounds up across the comma */
        {105000, "$0.11"},        /* $0.105: half away from zero */
        {104999, "$0.10"},
        {100000, "$0.10"},    /* $0.10: rounded to cents from here */
        {99999, "$0.099999"}, /* below: every decimal */
        {50000, "$0.05"},
        {16000, "$0.016"},
        {400, "$0.0004"},
        {1, "$0.000001"},
        {0, "$0.00"},
        {-1500000, "-$1.50"},
        {-400, "-$0.0004"},
        {INT64_MAX, "$9,223,372,036,854.78"},
        {INT64_MIN, "-$9,223,372,036,854.78"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_str_eq(cost_format(cases[i].micro, buf, sizeof buf), cases[i].text,
                         "%lld micro-USD", (long long)cases[i].micro);
    char small[4];
    cr_assert_str_eq(cost_format(71481600, small, sizeof small), "$71", "truncated, terminated");
}

Test(cost, per_million_requests, .timeout = 60)
{
    mdl_scenario *s = scenario();
    cost_usage u = usage(HOUR);
    cost_month *m = price(s, &u); /* $198.925 of fixed costs */
    /* 1,000 requests in the hour -> 730,000 in the month: $198.925 / 0.73 M = $272.5 per M */
    cr_assert_float_eq(cost_per_million(m, 1000, m->scale), 272.5, 1e-9);
    cr_assert(isnan(cost_per_million(m, 0, m->scale)));
    free(m);
    free(s);
}

/* ---------------------------------------------------------------- the seed's MVP month */

/* What cost_price says about line (component, item prefix) of m: its monthly micro-USD. */
static int64_t monthly_of(const cost_month *m, const char *component, const char *item)
{
    const cost_line *l = line(m, component, item);
    cr_assert_not_null(l, "no line %s / %s", component, item);
    return l->monthly;
}

/* A quantity at a catalog price, as a person would compute it: round(quantity × price). */
static int64_t by_hand(double quantity, int64_t micro)
{
    return (int64_t)llround(quantity * (double)micro);
}

Test(cost, mvp_month_equals_a_hand_computation, .timeout = 60)
{
    /* scenarios/mvp-low-traffic.yaml, one replication as the engine meters it; then every line
     * of the bill computed here from the catalog's prices and the metered usage — one day
     * counted 30 times (month.repeat), the always-on resources for those 720 hours */
    mdl_scenario *s = load_scenario(SIMULATE_ROOT "/scenarios/mvp-low-traffic.yaml");
    base_err err;
    cr_assert_eq(s->month.repeat, 30.0);
    eng_rep rep;
    cr_assert_eq(eng_run_replication(s, 0, &rep, &err), BASE_OK, "%s", err.msg);
    const cost_usage *u = &rep.usage;
    cost_month *m = malloc(sizeof *m);
    cr_assert_not_null(m);
    cr_assert_eq(cost_price(s, u, m, &err), BASE_OK, "%s", err.msg);

    const double k = 30, hours = k * u->seconds / HOUR; /* the month: 30 days of 24 h */
    cr_expect_eq(hours, 720.0);
    cr_expect_eq(m->month_hours, hours);
    const cost_catalog *cat = &s->cluster.catalog;
    const cost_prices *p = &cat->prices;
    int64_t total = 0, want;

    want = by_hand(hours, p->eks_cluster_hour.micro);
    cr_expect_eq(monthly_of(m, "EKS", "cluster"), want);
    total += want;
    /* nodes: each type and capacity the run used, Spot at the catalog's discount */
    for (size_t t = 0; t < cat->n; t++)
        for (int c = 0; c < 2; c++) {
            double h = u->node_seconds[t][c] / HOUR * k;
            if (h == 0)
                continue;
            const cost_instance_type *it = &cat->types[t];
            int64_t unit =
                c == 1 ? it->price : (int64_t)llround((double)it->price * (1 - it->spot_discount));
            char item[64];
            snprintf(item, sizeof item, "%s %s", it->name, c == 1 ? "On-Demand" : "Spot");
            want = by_hand(h, unit);
            cr_expect_eq(monthly_of(m, "EC2 nodes", item), want, "%s", item);
            total += want;
        }
    want = by_hand(hours, p->alb_hour.micro);
    cr_expect_eq(monthly_of(m, "ALB", "load balancer"), want);
    total += want;
    want = by_hand(u->lcu_hours * k, p->alb_lcu_hour.micro);
    cr_expect_eq(monthly_of(m, "ALB", "LCU-hours"), want);
    total += want;
    /* CloudFront: the month's ~570 GB inside the always-free 1 TB (1,024 GB); its requests
     * past the free 10M (1,000 × 10k) at the one tier's price */
    double cf_gb = u->cdn_bytes / 1e9 * k;
    cr_assert_lt(cf_gb, 1024.0, "the MVP's transfer is in the free tier");
    cr_expect_eq(monthly_of(m, "CloudFront",
                            "data transfer out (US, Mexico, Canada), "
                            "always-free tier (1 TB a month)"),
                 0);
    cr_expect_null(line(m, "CloudFront", "data transfer out (US, Mexico, Canada), first"));
    cr_expect_eq(monthly_of(m, "CloudFront", "HTTPS requests, always-free tier"), 0);
    want = by_hand(u->cdn_requests / 1e4 * k - 1000, p->cloudfront_https_10k.micro);
    cr_expect_eq(line(m, "CloudFront", "HTTPS requests")->quantity, 1000.0); /* free first */
    const cost_line *https = NULL;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->lines[i].item, "HTTPS requests"))
            https = &m->lines[i];
    cr_assert_not_null(https);
    cr_expect_eq(https->monthly, want);
    total += want;
    want = by_hand(u->origin_requests / 1e3 * k, p->s3_get_1k.micro);
    cr_expect_eq(monthly_of(m, "S3", "GET"), want);
    total += want;
    want = by_hand(1, p->tiers.s3_gb_month.tier[0].price.micro); /* in the first 50 TB */
    cr_expect_eq(monthly_of(m, "S3", "SPA storage"), want);
    total += want;
    want = by_hand(3 * hours, p->nat_gateway_hour.micro);
    cr_expect_eq(monthly_of(m, "NAT gateway", "gateways"), want);
    total += want;
    want = by_hand(3 * hours, p->public_ipv4_hour.micro);
    cr_expect_eq(monthly_of(m, "NAT gateway", "public IPv4"), want);
    total += want;
    if (u->nat_bytes > 0) {
        want = by_hand(u->nat_bytes / 1e9 * k, p->nat_gb.micro);
        cr_expect_eq(monthly_of(m, "NAT gateway", "data processed"), want);
        total += want;
    }
    const cost_db_class *dc = &cat->db[s->db.db_class];
    cr_assert_str_eq(dc->name, "db.t3.medium");
    want = by_hand(u->db_primary_seconds / HOUR * k, dc->price_multi.micro);
    cr_expect_eq(monthly_of(m, "RDS", "db.t3.medium Multi-AZ"), want);
    total += want;
    want = by_hand(u->db_replica_seconds / HOUR * k, dc->price_single.micro);
    cr_expect_eq(monthly_of(m, "RDS", "db.t3.medium read replicas"), want);
    total += want;
    want = by_hand(100, p->rds_gp3_gb_month_multi.micro);
    cr_expect_eq(monthly_of(m, "RDS", "gp3 storage, Multi-AZ"), want);
    total += want;
    want = by_hand(100, p->rds_gp3_gb_month_single.micro);
    cr_expect_eq(monthly_of(m, "RDS", "gp3 storage, 1 read replica"), want);
    total += want;
    want = by_hand(u->cache_node_seconds / HOUR * k, cat->cache[s->redis.cache_type].price.micro);
    cr_expect_eq(monthly_of(m, "ElastiCache", "cache.t4g.micro"), want);
    total += want;
    double gb = 2 * (u->db_queries * 2000 + u->cache_ops * 1000) * 0.67 / 1e9 * k;
    want = by_hand(gb, p->interaz_gb.micro);
    cr_expect_eq(monthly_of(m, "Data transfer", "inter-AZ"), want);
    total += want;
    want = by_hand(3 * hours / 730, p->secrets_month.micro);
    cr_expect_eq(monthly_of(m, "Secrets", "Secrets Manager"), want);
    total += want;
    want = by_hand(3 * hours / 1e4, p->secrets_calls_10k.micro); /* one read an hour each */
    cr_expect_eq(monthly_of(m, "Secrets", "API calls"), want);
    total += want;
    want = by_hand(1, p->route53_zone_month.micro);
    cr_expect_eq(monthly_of(m, "Route 53", "hosted zones"), want);
    total += want;
    want = by_hand(5 * hours / 730, p->cloudwatch_alarm_month.micro); /* the seed's five */
    cr_expect_eq(monthly_of(m, "CloudWatch", "alarms (5"), want);
    total += want;
    /* nothing else on the bill */
    cr_expect_eq(m->total, total, "bill $%.2f, by hand $%.2f", (double)m->total / 1e6,
                 (double)total / 1e6);
    eng_rep_clear(&rep);
    free(m);
    free(s);
}

Test(cost, month_mix_prices_every_window_once, .timeout = 60)
{
    /* 29 windows of one scenario and one of another: the bill's always-on lines last the
     * windows' hours together, its usage lines sum each part's usage × its count, and the
     * monthly_cost figure is that bill's total */
    run_dir d;
    int rc = run_dir_simulate(&d, "mix", SIMULATE_TESTDATA "/cost/month-mix.yaml", 60);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, d.err);
    char path[128];
    snprintf(path, sizeof path, "%s/report.json", d.out);
    json_error_t je;
    json_t *r = json_load_file(path, 0, &je);
    cr_assert_not_null(r, "%s", je.text);
    json_t *cost = json_object_get(r, "cost");
    double hours = json_number_value(json_object_get(cost, "month_hours"));
    /* steady.yaml: 20 minutes; spike.yaml: 24 minutes */
    cr_expect_float_eq(hours, 29 * 20 / 60.0 + 24 / 60.0, 1e-6); /* 10 digits in the report */
    double total = 0, eks = -1;
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(cost, "lines"), i, l)
    {
        double usd = json_number_value(json_object_get(l, "monthly_usd"));
        total += usd;
        if (!strcmp(json_string_value(json_object_get(l, "component")), "EKS"))
            eks = json_number_value(json_object_get(l, "quantity"));
    }
    cr_expect_float_eq(eks, hours, 1e-6, "the control plane runs the month's hours, once");
    double fig = json_number_value(
        json_object_get(json_object_get(json_object_get(r, "figures"), "monthly_cost"), "mean"));
    cr_expect_float_eq(total, fig, 0.01 * 5, "lines $%.2f, figure $%.2f", total, fig);
    json_decref(r);
    run_dir_remove(&d);
}
