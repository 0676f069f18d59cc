/*
 * keys/regions.c — the scenario keys of a second active region (seed §11.3, "Phase 3":
 * us-east-1 primary, eu-west-1 for EMEA users, Route 53 latency-based routing). Tables only;
 * model/regions.c splits the scenario per region, engine/geo.c runs and couples them.
 */
#include "io/keys/keys.h"

#include <stdlib.h>
#include <string.h>

static const char *const serve_names[] = {"us-east-1", "eu-west-1", NULL};
static const char *const database_names[] = {"auto", "replica", "aurora_global", NULL};

/* eu-west-1's pricing file, bound as the top level's `pricing:` is (into a scratch scenario:
 * the pricing keys' offsets are a scenario's), its catalog kept in regions.catalog. */
static int bind_region_pricing(const key *k, const scn_node *n, bctx *c)
{
    mdl_scenario *scratch = calloc(1, sizeof *scratch);
    if (!scratch)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    char *saved = c->base;
    mdl_scenario *s = c->s;
    c->base = (char *)scratch;
    c->s = scratch; /* the pricing tables write their counts through c->s */
    int st = scn__bind_pricing(k, n, c);
    c->base = saved;
    c->s = s;
    if (st == BASE_OK) {
        cost_catalog *cat = &scratch->cluster.catalog;
        for (size_t i = 0; i < cat->n; i++)
            cat->types[i].spot_discount = scratch->cluster.spot_discount_default;
        s->regions.catalog = *cat;
        s->regions.has_catalog = true;
    }
    free(scratch);
    return st;
}

static const key regions_keys[] = {
    {KEY_ENUM("emea_users", OFF(regions.serve), "eu-west-1", serve_names, "us-east-1, eu-west-1"),
     .doc = "Where EMEA users are served. eu-west-1: a second active region (its own ALB, EKS "
            "cluster, HPA, Karpenter, Redis and a read-only copy of the database), Route 53 "
            "latency records sending EMEA users there; their reads are local, their writes cross "
            "to the us-east-1 primary. us-east-1: one region for everyone (the one-region "
            "counterpart a compare needs): every EMEA API request crosses the Atlantic once.",
     .source = "seed §11.3 (Phase 3: us-east-1 primary, eu-west-1 for EMEA users, Route 53 "
               "latency-based routing)"},
    {KEY_PERCENT("emea_share", OFF(regions.emea_share), "30%", 0, 1, "0%..100%"),
     .doc = "Share of the scenario's users (its phases' levels) who are in EMEA; the rest are "
            "in the Americas and served by us-east-1.",
     .source = "ASSUMPTION: the seed gives no split; set your analytics' figure"},
    {KEY_DURATION("emea_offset", OFF(regions.emea_offset), "5h", 0, 86400e9, "0s..24h"),
     .doc = "How far EMEA's day runs ahead of the phases' clock: EMEA's users at time t are "
            "the phases' level at t + emea_offset (the window read as a cycle, so meant for a "
            "window of whole days). 0: both regions follow the same curve at the same time.",
     .source = "time zones: US Eastern UTC-5, Ireland and the UK UTC+0 (winter): 5 h"},
    {KEY_DIST("rtt", OFF(regions.rtt), "{dist: triangular, min: 62ms, mode: 68ms, max: 80ms}"),
     .doc = "Round trip between us-east-1 and eu-west-1, drawn per crossing: paid once by an "
            "EMEA API request served in us-east-1, and `write_round_trips` times by an EMEA "
            "write request in eu-west-1 (its statements go to the primary).",
     .source = "ESTIMATE: AWS publishes no inter-region latency. Floor: Ashburn-Dublin ~5,450 km "
               "great circle at 2e8 m/s in fibre = 54.5 ms round trip. cloudping.co's AWS "
               "inter-region dashboard shows about 68 ms p50 for us-east-1<->eu-west-1 (from "
               "memory, unverified; measure yours with ping between the regions)"},
    {KEY_NUMBER("write_round_trips", OFF(regions.write_round_trips), "0", 0, 1000, "0..1000"),
     .doc = "Round trips to the us-east-1 primary per EMEA write request (each statement of "
            "the transaction, autocommit: one each). 0: database.queries.api_write.",
     .source = "PostgreSQL's protocol: one round trip per statement unless pipelined"},
    {KEY_INT("min_replicas", OFF(regions.min_replicas), "0", 0, 100000, ">= 0"),
     .doc = "eu-west-1's HPA minimum; 0: the primary's hpa.min_replicas.",
     .source = "seed §11.3 gives eu-west-1 its own EKS; as the primary's unless set"},
    {KEY_INT("max_replicas", OFF(regions.max_replicas), "0", 0, 100000, ">= 0"),
     .doc = "eu-west-1's HPA maximum; 0: the primary's hpa.max_replicas.",
     .source = "as the primary's unless set"},
    {KEY_ENUM("database", OFF(regions.database), "auto", database_names,
              "auto, replica, aurora_global"),
     .doc = "eu-west-1's copy of the database: replica (an RDS cross-region read replica, "
            "Single-AZ, the primary's class) or aurora_global (an Aurora Global Database "
            "secondary cluster). auto: the primary's engine's.",
     .source = "seed §11.3 (\"RDS Read Replica (can promote if needed)\"); seed §6.1 (Aurora "
               "Global Database)"},
    {KEY_DURATION("lose_eu_west_1_at", OFF(regions.lose_at), "0s", 0, 1e18, ">= 0s"),
     .doc = "eu-west-1 is lost at this time (0: never). Route 53's health checks on its "
            "endpoint (dns.health_check_interval x health_check_failure_threshold, 15 "
            "uncoordinated checkers) call it unhealthy, the latency records answer us-east-1, "
            "and EMEA's clients move as their cached answers expire (dr.dns_ttl); us-east-1's "
            "HPA and Karpenter scale up for them. Their requests meanwhile fail.",
     .source = "Route 53 developer guide, \"How Amazon Route 53 determines whether a health "
               "check is healthy\" (interval 10 or 30 s, failure threshold, > 18% healthy)"},
    {KEY_DURATION("lose_us_east_1_at", OFF(regions.lose_us_at), "0s", 0, 1e18, ">= 0s"),
     .doc = "us-east-1, the primary's region, is lost at this time (0: never). Route 53's "
            "health checks call its endpoint unhealthy and the latency records send the "
            "Americas' users to eu-west-1 as their cached answers expire (dr.dns_ttl); "
            "eu-west-1's HPA and Karpenter scale up for them. Writes fail until eu-west-1's copy "
            "is promoted: after the health checks, on-call's dr.confirm and the promotion "
            "(dr.promote for an RDS cross-region replica, database.aurora.global_promote for an "
            "Aurora Global secondary). RTO: the later of the move and the promotion; RPO: the "
            "copy's lag at the loss (replica_lag_eu_west_1's model).",
     .source = "RDS user guide, \"Promoting a read replica to be a standalone DB instance\" "
               "(cross-region replicas can be promoted; the promotion is not automatic); Aurora "
               "user guide, \"Using failover in an Amazon Aurora global database\"; Route 53 "
               "developer guide on health checks (as lose_eu_west_1_at)"},
    {KEY_PLAIN(bind_region_pricing, "path", "pricing", 0,
               "(none: needed with emea_users: eu-west-1)"),
     .doc = "eu-west-1's pricing file, relative to the file that names it "
            "(models/pricing/eu-west-1.yaml): its instance types, DB classes and cache types the "
            "same as the primary's file's, in the same order."},
};

int scn__bind_regions(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_sub(k, n, c);
    if (st == BASE_OK)
        c->s->regions.enabled = true;
    return st;
}

const section scn__regions_section = {
    "regions",
    "A second active region (seed §11.3): EMEA users served from eu-west-1 behind Route 53 "
    "latency-based routing, or from us-east-1 with everyone else (docs/multi-region.md).",
    regions_keys, NKEYS(regions_keys)};
