/*
 * pricing.c — the pricing and instance catalog (models/pricing/REGION.yaml) as a key table,
 * bound with the same strictness as a scenario: every price a number with its unit, every entry
 * known. The scenario's `pricing:` key names the file, relative to the file that says it;
 * scn_load_pricing reads one alone (tests, tools).
 *
 * Every price in the file carries its source: instance types and DB/cache classes have a
 * `source` string, and every other price is a {price, source} mapping (cost_list_price), so the
 * cost model can print where each unit price comes from beside the line it prices
 * (docs/cost-model.md). A source may not be empty.
 */
#include "io/bind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- shared binders */

/* A source string: required and never empty, since a price without one cannot be checked. */
static int bind_source(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind == SCN_SCALAR && !n->text[0])
        return scn__at(c, n, "must not be empty (say where the figure comes from, and when)");
    return scn__bind_string(k, n, c);
}

/* The row of a required `source` string: into the char[size_] at offset o, never empty. */
#define KEY_SOURCE(o, size_) KEY_PLAIN(bind_source, "string", "source", o, NULL), .size = (size_)

/* A row of a price with its source (price_section, bound by bind_price) into the cost_list_price
 * at offset o; dflt as the docs show it, NULL: required. */
#define KEY_PRICE(nm, o, dflt) KEY_PLAIN(bind_price, "{price, source}", nm, o, dflt)

/* A price with its source: {price: $0.10, source: "..."} into an cost_list_price. */
static const key price_keys[] = {
    {KEY_MONEY("price", offsetof(cost_list_price, micro), NULL, 0, 1e12, "$0..$1,000,000"),
     .doc = "US dollars per the unit the key's name says."},
    {KEY_SOURCE(offsetof(cost_list_price, source), sizeof(((cost_list_price *)0)->source)),
     .doc = "Where the price comes from, and its date."},
};
static const section price_section = {"price", "A price and its source.", price_keys,
                                      NKEYS(price_keys)};

static int bind_price(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_MAP)
        return scn__at(c, n, "expected {price: $AMOUNT, source: \"...\"}, found %s",
                       scn__kind_word(n));
    char *saved_base = c->base;
    c->base = FIELD(c, k, char);
    int st = scn__bind_section_node(&price_section, n, n, c);
    c->base = saved_base;
    return st;
}

/* A mapping from names to entries of one table (instance types, DB classes, cache types):
 * each entry an element of `array` (stride bytes apart) whose first member is its name, bound
 * with `sec`. Entries are cleared first; YAML already refuses a name given twice. */
typedef struct named_table {
    const section *sec;
    size_t stride, max, name_size;
    const char *what;   /* "instance types" */
    const char *prefix; /* every name starts with it ("db."); NULL: any */
} named_table;

static int bind_named(const named_table *t, const scn_node *n, bctx *c, char *array, size_t *count)
{
    if (n->kind != SCN_MAP)
        return scn__at(c, n, "expected a mapping of %s by name, found %s", t->what,
                       scn__kind_word(n));
    if (n->n == 0 || n->n > t->max)
        return scn__at(c, n, "needs 1 to %zu %s", t->max, t->what);
    char *saved_base = c->base;
    for (size_t i = 0; i < n->n; i++) {
        const char *name = n->keys[i]->text;
        char *e = array + i * t->stride;
        memset(e, 0, t->stride);
        if (strlen(name) >= t->name_size)
            return scn__at(c, n->keys[i], "name '%s' too long (at most %zu characters)", name,
                           t->name_size - 1);
        if (t->prefix && strncmp(name, t->prefix, strlen(t->prefix)) != 0)
            return scn__at(c, n->keys[i], "'%s' is not a name of %s (they start with '%s')", name,
                           t->what, t->prefix);
        snprintf(e, t->name_size, "%s", name);
        size_t saved;
        scn__path_push(c, name, &saved);
        int st = scn__bind_element(t->sec, e, n->vals[i], n->keys[i], saved_base, saved, c);
        if (st)
            return st;
    }
    *count = n->n;
    return BASE_OK;
}

/* ---------------------------------------------------------------- the pricing file */

static const char *const arch_one[] = {"amd64", "arm64", NULL};

static int bind_arch_one(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_enum(k, n, c);
    if (st == BASE_OK)
        *FIELD(c, k, int) = *FIELD(c, k, int) == 0 ? MDL_ARCH_AMD64 : MDL_ARCH_ARM64;
    return st;
}

static const key instance_keys[] = {
    {KEY_STRING("family", offsetof(cost_instance_type, family), 12, NULL),
     .doc = "Instance family."},
    {KEY_PLAIN(bind_arch_one, "choice", "arch", offsetof(cost_instance_type, arch), NULL),
     .range = "amd64, arm64", .choices = arch_one, .doc = "CPU architecture."},
    {KEY_INT("vcpu", offsetof(cost_instance_type, vcpu), NULL, 1, 1024, "1..1024"),
     .doc = "vCPUs."},
    {KEY_MEMORY("memory", offsetof(cost_instance_type, memory), NULL, 1, 1e15, "> 0"),
     .doc = "Memory."},
    {KEY_CPU("allocatable_cpu", offsetof(cost_instance_type, alloc_cpu), NULL, 1, 1e7, "> 0"),
     .doc = "CPU a node can give pods (Karpenter's figure, kubelet reservations off)."},
    {KEY_MEMORY("allocatable_memory", offsetof(cost_instance_type, alloc_memory), NULL, 1, 1e15,
                "> 0"),
     .doc = "Memory a node can give pods."},
    {KEY_INT("max_pods", offsetof(cost_instance_type, max_pods), NULL, 1, 1000, "1..1000"),
     .doc = "Pods per node."},
    {KEY_MONEY("price", offsetof(cost_instance_type, price), NULL, 0, 1e12, ">= 0"),
     .doc = "On-Demand $/hour."},
    {KEY_PERCENT("baseline", offsetof(cost_instance_type, baseline), "0%", 0, 1, "0%..100%"),
     .doc = "Burstable types (t3, t4g): the baseline CPU utilisation per vCPU its CPU credits "
            "pay for; 0%: not burstable."},
    {KEY_MONEY("surplus_price", offsetof(cost_instance_type, surplus_price), "$0", 0, 1e12, ">= 0"),
     .doc = "Burstable types in unlimited mode (T3/T4g's default): $ per vCPU-hour of CPU used "
            "beyond the baseline."},
    {KEY_SOURCE(offsetof(cost_instance_type, source), sizeof(((cost_instance_type *)0)->source)),
     .doc = "Where the figures come from."},
};
static const section instance_section = {"instances.NAME", "One instance type.", instance_keys,
                                         NKEYS(instance_keys)};

/* instances: a mapping from type name to its figures. Binds into the catalog in place; each
 * type's spot_discount is set afterwards from the spot section. */
static int bind_instances(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    static const named_table t = {&instance_section, sizeof(cost_instance_type),
                                  COST_MAX_TYPES,    sizeof(((cost_instance_type *)0)->name),
                                  "instance types",  NULL};
    cost_catalog *cat = &c->s->cluster.catalog;
    return bind_named(&t, n, c, (char *)cat->types, &cat->n);
}

/* ---------------------------------------------------------------- DB classes */

static const key db_class_keys[] = {
    {KEY_INT("vcpu", offsetof(cost_db_class, vcpu), NULL, 1, 1024, "1..1024"), .doc = "vCPUs."},
    {KEY_MEMORY("memory", offsetof(cost_db_class, memory), NULL, 1, 1e15, "> 0"),
     .doc = "Memory (the DBInstanceClassMemory behind max_connections is a little less)."},
    {KEY_PRICE("price_single_az", offsetof(cost_db_class, price_single), NULL),
     .doc = "RDS for PostgreSQL, Single-AZ, $/hour."},
    {KEY_PRICE("price_multi_az", offsetof(cost_db_class, price_multi), NULL),
     .doc = "RDS for PostgreSQL, Multi-AZ DB instance (primary and standby), $/hour."},
    {KEY_PRICE("price_aurora", offsetof(cost_db_class, price_aurora),
               "(none: not offered as an Aurora provisioned instance)"),
     .doc = "Aurora PostgreSQL provisioned instance, Aurora Standard, $/hour."},
    {KEY_PERCENT("baseline", offsetof(cost_db_class, baseline), "0%", 0, 1, "0%..100%"),
     .doc = "Burstable classes (db.t3, db.t4g): the baseline CPU utilisation per vCPU its CPU "
            "credits pay for (it earns baseline × vCPUs × 60 credits an hour); 0%: not "
            "burstable."},
    {KEY_SOURCE(offsetof(cost_db_class, source), sizeof(((cost_db_class *)0)->source)),
     .doc = "Where vcpu and memory come from."},
};
static const section db_class_section = {"db_classes.NAME", "One DB instance class.", db_class_keys,
                                         NKEYS(db_class_keys)};

static int bind_db_classes(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    static const named_table t = {&db_class_section,     sizeof(cost_db_class),
                                  COST_MAX_DB_CLASSES,   sizeof(((cost_db_class *)0)->name),
                                  "DB instance classes", "db."};
    cost_catalog *cat = &c->s->cluster.catalog;
    return bind_named(&t, n, c, (char *)cat->db, &cat->ndb);
}

/* ---------------------------------------------------------------- ElastiCache node types */

static const key cache_type_keys[] = {
    {KEY_INT("vcpu", offsetof(cost_cache_type, vcpu), NULL, 1, 1024, "1..1024"), .doc = "vCPUs."},
    {KEY_MEMORY("memory", offsetof(cost_cache_type, memory), NULL, 1, 1e15, "> 0"),
     .doc = "Memory."},
    {KEY_PRICE("price", offsetof(cost_cache_type, price), NULL), .doc = "Redis OSS, $/node-hour."},
    {KEY_COUNT("ops_per_s", offsetof(cost_cache_type, ops_per_s), NULL, 1, 1e9, "1..1G"),
     .doc = "GET/SET of small values one node serves per second."},
    {KEY_SOURCE(offsetof(cost_cache_type, source), sizeof(((cost_cache_type *)0)->source)),
     .doc = "Where vcpu, memory and ops_per_s come from (ASSUMPTION where estimated)."},
};
static const section cache_type_section = {"cache_types.NAME", "One ElastiCache node type.",
                                           cache_type_keys, NKEYS(cache_type_keys)};

static int bind_cache_types(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    static const named_table t = {&cache_type_section,      sizeof(cost_cache_type),
                                  COST_MAX_CACHE_TYPES,     sizeof(((cost_cache_type *)0)->name),
                                  "ElastiCache node types", "cache."};
    cost_catalog *cat = &c->s->cluster.catalog;
    return bind_named(&t, n, c, (char *)cat->cache, &cat->ncache);
}

/* ---------------------------------------------------------------- scalar prices */

/* One key per cost_prices field, each required: a catalog with a price missing would price that
 * line at zero without a word. */
#define PRICE(field, what)                                                                         \
    {                                                                                              \
        KEY_PRICE(#field, OFF(cluster.catalog.prices.field), NULL), .doc = what                    \
    }

static const key prices_keys[] = {
    PRICE(eks_cluster_hour, "EKS cluster, standard support, $/cluster-hour."),
    PRICE(alb_hour, "Application Load Balancer, $/ALB-hour."),
    PRICE(alb_lcu_hour, "ALB, $/LCU-hour."),
    PRICE(nat_gateway_hour, "NAT gateway, $/gateway-hour."),
    PRICE(nat_gb, "NAT gateway data processed, $/GB."),
    PRICE(public_ipv4_hour, "Public IPv4 address, $/IP-hour."),
    PRICE(cloudfront_gb, "CloudFront to the internet, first 10 TB/month, US/Mexico/Canada, $/GB."),
    PRICE(cloudfront_https_10k, "CloudFront HTTPS requests, US/Mexico/Canada, $ per 10,000."),
    PRICE(s3_gb_month, "S3 Standard storage, first 50 TB, $/GB-month."),
    PRICE(s3_get_1k, "S3 GET and other requests, $ per 1,000."),
    PRICE(s3_put_1k, "S3 PUT, COPY, POST, LIST requests, $ per 1,000."),
    PRICE(rds_gp3_gb_month_single, "RDS gp3 storage, Single-AZ, $/GB-month."),
    PRICE(rds_gp3_gb_month_multi, "RDS gp3 storage, Multi-AZ, $/GB-month."),
    PRICE(rds_backup_gb_month, "RDS backup storage beyond 100% of provisioned, $/GB-month."),
    PRICE(aurora_acu_hour, "Aurora Serverless v2, Aurora Standard, $/ACU-hour."),
    PRICE(aurora_acu_hour_io_optimized, "Aurora Serverless v2, I/O-Optimized, $/ACU-hour."),
    PRICE(aurora_storage_gb_month, "Aurora storage, Standard, $/GB-month."),
    PRICE(aurora_storage_gb_month_io_optimized, "Aurora storage, I/O-Optimized, $/GB-month."),
    PRICE(aurora_io_million, "Aurora I/O requests, Standard, $ per 1M."),
    PRICE(interaz_gb, "Inter-AZ data transfer, $/GB each direction."),
    PRICE(interregion_gb, "Data transfer to another region, $/GB."),
    PRICE(internet_gb, "Internet egress from the region, first 10 TB/month, $/GB."),
    PRICE(route53_zone_month, "Route 53 hosted zone, first 25, $/zone-month."),
    PRICE(route53_health_check_month, "Route 53 health check of an AWS endpoint, "
                                      "$/health-check-month."),
    PRICE(route53_health_check_option_month, "Route 53 health check optional feature (fast "
                                             "interval, HTTPS, string matching, latency), AWS "
                                             "endpoint, $/feature-month."),
    PRICE(route53_queries_million, "Route 53 standard queries, first 1B, $ per 1M."),
    PRICE(secrets_month, "Secrets Manager, $/secret-month."),
    PRICE(secrets_calls_10k, "Secrets Manager API calls, $ per 10,000."),
    PRICE(cloudwatch_metric_month, "CloudWatch custom metric, first 10,000, $/metric-month."),
    PRICE(cloudwatch_alarm_month, "CloudWatch alarm, standard resolution, $/alarm-month."),
    PRICE(cloudwatch_logs_gb, "CloudWatch Logs ingestion, standard class, $/GB."),
    PRICE(cloudwatch_logs_gb_month, "CloudWatch Logs archival storage, $/GB-month."),
    PRICE(rds_cpu_credit_vcpu_hour, "RDS burstable instance classes in unlimited mode: CPU "
                                    "beyond the baseline, $/vCPU-hour."),
};
static const section prices_section = {"prices", "Scalar list prices, each with its source.",
                                       prices_keys, NKEYS(prices_keys)};

/* ---------------------------------------------------------------- tiered prices */

/* One tier: {upto: N, price: $X, source: "..."}; the last has no upto. */
static const key tier_keys[] = {
    {KEY_COUNT("upto", offsetof(cost_tier, upto), "0", 0, 1e15,
               "> 0; left out in the last tier (no end)"),
     .doc = "The month's volume where this tier ends, in the item's unit, counted from zero "
            "(10 TB then 50 TB for \"first 10 TB, next 40 TB\"; 1 TB = 1,024 GB)."},
    {KEY_MONEY("price", offsetof(cost_tier, price.micro), NULL, 0, 1e12, "$0..$1,000,000"),
     .doc = "US dollars per unit within the tier."},
    {KEY_SOURCE(offsetof(cost_tier, price.source), sizeof(((cost_list_price *)0)->source)),
     .doc = "Where the tier and its price come from, and the date."},
};
static const section tier_section = {"tier", "One tier of a ladder.", tier_keys, NKEYS(tier_keys)};

static const key free_keys[] = {
    {KEY_COUNT("quantity", offsetof(cost_tiers, free), NULL, 0, 1e15, ">= 0"),
     .doc = "Units a month that are free, in the item's unit."},
    {KEY_SOURCE(offsetof(cost_tiers, free_source), sizeof(((cost_tiers *)0)->free_source)),
     .doc = "Where the allowance comes from."},
};
static const section free_section = {"free", "An always-free allowance.", free_keys,
                                     NKEYS(free_keys)};

/* The ladder's tiers must rise and end open, so that every unit of any volume has a price. */
static int bind_ladder(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_list(k, n, c);
    if (st)
        return st;
    const cost_tiers *t = (const cost_tiers *)c->base;
    for (size_t i = 0; i < t->n; i++) {
        bool last = i + 1 == t->n;
        if (last && t->tier[i].upto != 0)
            return scn__at(c, n->vals[i],
                           "the last tier must have no `upto` (it prices everything above the "
                           "tier before it)");
        if (!last && !(t->tier[i].upto > (i ? t->tier[i - 1].upto : 0)))
            return scn__at(c, n->vals[i],
                           "`upto` must be given and above the tier before it's (%g), counted "
                           "from zero",
                           i ? t->tier[i - 1].upto : 0.0);
    }
    return BASE_OK;
}

static const key tiers_keys[] = {
    {KEY_SECTION("free", &free_section),
     .doc = "The always-free allowance, taken before the first tier (none when left out)."},
    {.name = "ladder",
     .bind = bind_ladder,
     .off = offsetof(cost_tiers, tier),
     .size = sizeof(cost_tier),
     .type = "list",
     .min = 1,
     .max = COST_MAX_TIERS,
     .sub = &tier_section,
     .doc = "The tiers, in order, the last without `upto`.",
     .count_off = offsetof(cost_tiers, n)},
};
static const section tiers_item_section = {"tiers.ITEM", "One tiered item.", tiers_keys,
                                           NKEYS(tiers_keys)};

/* A ladder bound into its cost_tiers (the list's offsets are relative to it). The free section
 * is optional: quantity 0 without a word. */
static int bind_tiers(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_MAP)
        return scn__at(c, n, "expected {free: {...}, ladder: [...]}, found %s", scn__kind_word(n));
    char *saved_base = c->base;
    c->base = FIELD(c, k, char);
    memset(c->base, 0, sizeof(cost_tiers));
    int st = BASE_OK;
    const scn_node *f = scn_map_get(n, "free");
    if ((st = scn__check_known(&tiers_item_section, n, c)) == BASE_OK && f) {
        size_t saved;
        scn__path_push(c, "free", &saved);
        st = scn__bind_section_node(&free_section, f, f, c);
        scn__path_pop(c, saved);
    }
    const scn_node *l = scn_map_get(n, "ladder");
    if (st == BASE_OK && !l)
        st = scn__at(c, n, "missing key 'ladder' (the tiers)");
    if (st == BASE_OK) {
        size_t saved;
        scn__path_push(c, "ladder", &saved);
        st = bind_ladder(&tiers_keys[1], l, c);
        scn__path_pop(c, saved);
    }
    c->base = saved_base;
    return st;
}

#define TIERS(field, what)                                                                         \
    {                                                                                              \
        .name = #field, .bind = bind_tiers, .off = OFF(cluster.catalog.prices.tiers.field),        \
        .def = "(none: the flat price)", .type = "tiers", .min = 1, .max = 0, .doc = what          \
    }

static const key tiers_section_keys[] = {
    TIERS(cloudfront_gb, "CloudFront data transfer to the internet, US/Mexico/Canada, GB a month."),
    TIERS(cloudfront_https_10k, "CloudFront HTTPS requests, 10k requests a month."),
    TIERS(s3_gb_month, "S3 Standard storage, GB-months a month."),
    TIERS(internet_gb, "Internet egress from the region, GB a month."),
};
static const section tiers_section = {"tiers",
                                      "Tiered prices: each item's ladder by the month's volume "
                                      "and its always-free allowance.",
                                      tiers_section_keys, NKEYS(tiers_section_keys)};

/* ---------------------------------------------------------------- the file */

static const key pricing_spot_keys[] = {
    {KEY_PERCENT("default_discount", OFF(cluster.spot_discount_default), NULL, 0, 1, "0%..100%"),
     .doc = "Spot discount off On-Demand for every type."},
    {KEY_SOURCE(OFF(cluster.spot_source), 256), .doc = "Where the discount comes from."},
};
static const section pricing_spot_section = {"spot", "Spot pricing.", pricing_spot_keys,
                                             NKEYS(pricing_spot_keys)};

static const key pricing_keys[] = {
    {KEY_STRING("region", OFF(cluster.catalog.region), 32, NULL),
     .doc = "The AWS region the prices are for."},
    {KEY_PLAIN(bind_instances, "mapping", "instances", 0, NULL), .doc = "Instance types by name."},
    {KEY_SECTION("spot", &pricing_spot_section), .doc = "Spot pricing."},
    {KEY_PLAIN(bind_db_classes, "mapping", "db_classes", 0, NULL),
     .doc = "RDS/Aurora DB instance classes by name."},
    {KEY_PLAIN(bind_cache_types, "mapping", "cache_types", 0, NULL),
     .doc = "ElastiCache node types by name."},
    {KEY_SECTION("prices", &prices_section), .doc = "Scalar list prices."},
    {KEY_SECTION("tiers", &tiers_section),
     .doc = "Tiered prices (an item left out is priced flat)."},
};
static const section pricing_section = {"", "A pricing and instance catalog.", pricing_keys,
                                        NKEYS(pricing_keys)};

/* pricing: FILE, relative to the file that names it; bound with its own key table. */
/* The pricing file `pricing:` names, relative to the file that names it. */
static void pricing_path(const scn_node *n, char *path, size_t size)
{
    const char *slash = strrchr(n->file, '/');
    if (n->text[0] == '/' || !slash)
        snprintf(path, size, "%s", n->text);
    else
        snprintf(path, size, "%.*s/%s", (int)(slash - n->file), n->file, n->text);
}

int scn_doc_pricing_sources(const scn_doc *doc, char **out, base_err *err)
{
    *out = NULL;
    const scn_node *n = scn_map_get(scn_doc_root(doc), "pricing");
    if (!n || n->kind != SCN_SCALAR || !n->text[0])
        return BASE_OK;
    char path[1024];
    pricing_path(n, path, sizeof path);
    scn_doc *p = NULL;
    int st = scn_doc_load(path, &p, err);
    if (st == BASE_OK) {
        *out = strdup(scn_doc_sources(p, NULL));
        if (!*out)
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    scn_doc_free(p);
    return st;
}

int scn__bind_pricing(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SCALAR || !n->text[0])
        return scn__at(c, n, "expected the path of a pricing file");
    char path[1024];
    pricing_path(n, path, sizeof path);
    scn_doc *doc = NULL;
    base_err e;
    int st = scn_doc_load(path, &doc, &e);
    if (st != BASE_OK) {
        if (e.line > 0) {
            *c->err = e; /* a problem inside the pricing file: point there */
            return st;
        }
        return scn__at(c, n, "cannot read pricing file '%s': %s", path, e.msg);
    }
    char saved_path[256];
    snprintf(saved_path, sizeof saved_path, "%s", c->path);
    c->path[0] = '\0';
    const scn_node *outer = c->keynode;
    c->keynode = NULL;
    st = scn__bind_section_node(&pricing_section, scn_doc_root(doc), scn_doc_root(doc), c);
    c->keynode = outer;
    snprintf(c->path, sizeof c->path, "%s", saved_path);
    scn_doc_free(doc);
    return st;
}

int scn_load_pricing(const char *path, cost_catalog *out, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    /* The key table's offsets are into a scenario: bind into a scratch one (on the heap: it is
     * large) and copy its catalog out. */
    mdl_scenario *s = calloc(1, sizeof *s);
    if (!s) {
        scn_doc_free(doc);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    bctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.base = (char *)s;
    c.err = err;
    const scn_node *root = scn_doc_root(doc);
    st = scn__bind_section_node(&pricing_section, root, root, &c);
    if (st == BASE_OK) {
        cost_catalog *cat = &s->cluster.catalog;
        for (size_t i = 0; i < cat->n; i++)
            cat->types[i].spot_discount = s->cluster.spot_discount_default;
        *out = *cat;
    }
    free(s);
    scn_doc_free(doc);
    return st;
}
