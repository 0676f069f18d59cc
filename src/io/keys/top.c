/*
 * keys/top.c — the scenario keys of the top level (the run, objectives, variants, plan, sweep), the
 * month and network costs, secrets. Tables only, one section per component.
 */
#include "io/keys/keys.h"

/* ---------------------------------------------------------------- the top level
 * Name, seed, replications, fidelity, the section
 * keys of every component, objectives and compare's sweep.
 */

#include <stdio.h>
#include <string.h>

static const char *const fidelity_names[] = {"request", "flow", "auto", NULL};

/* objectives: a list of k6-style strings, each checked by slo_parse now so that a typo is
 * reported at its line. */
static int bind_objectives(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list such as [\"p(99) < 300ms\", \"error_rate < 0.1%%\"]");
    if (n->n > MDL_MAX_OBJECTIVES)
        return scn__at(c, n, "too many objectives (at most %d)", MDL_MAX_OBJECTIVES);
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *v = n->vals[i];
        if (v->kind != SCN_SCALAR || strlen(v->text) >= 64)
            return scn__at(c, v, "expected an objective such as \"p(99) < 300ms\"");
        slo o;
        base_err e;
        if (slo_parse(v->text, &o, &e) != BASE_OK)
            return scn__at(c, v, "%s", e.msg);
        snprintf(c->s->objectives[i], sizeof c->s->objectives[i], "%s", v->text);
    }
    c->s->nobjectives = n->n;
    return BASE_OK;
}

static const char *const sweep_profiles[] = {"steady", "daily", NULL};

static const key sweep_keys[] = {
    {KEY_COUNT("from", OFF(sweep.from), NULL, 0, 1e12, ">= 0"),
     .doc = "Peak concurrent users (or requests/s, when phases give rates) at the first point."},
    {KEY_COUNT("to", OFF(sweep.to), NULL, 0, 1e12, ">= 0"), .doc = "... at the last point."},
    {KEY_INT("steps", OFF(sweep.steps), "6", 2, 100, "2..100"),
     .doc = "Points, evenly spaced from `from` to `to`."},
    {KEY_ENUM("profile", OFF(sweep.profile), "steady", sweep_profiles, NULL),
     .doc = "steady: each point's month is its load held all 730 hours (the worst case for a "
            "database that scales down, as Aurora Serverless does). daily: that month, and also a "
            "month of days with `peak_hours` at the point's load and the rest at `off_peak` of "
            "it (`simulate compare --profile` overrides it)."},
    {KEY_COUNT("peak_hours", OFF(sweep.peak_hours), "12", 1, 23, "1..23"),
     .doc = "daily: hours a day at the point's load.",
     .source = "seed §11.2: a day from 8am to 8pm (12 h); for production traffic an "
               "ASSUMPTION: set it from your traffic's daily curve"},
    {KEY_PERCENT("off_peak", OFF(sweep.off_peak), "25%", 0.01, 1, "1%..100%"),
     .doc = "daily: the load of the other hours, a share of the point's.",
     .source = "ASSUMPTION: quiet nights (seed §11.2 stops development at night); set it from "
               "your traffic"},
};
static const section sweep_section = {"sweep",
                                      "`simulate compare` runs every variant at each load point "
                                      "(the phases scaled so that their peak is the point's "
                                      "value) and looks for the crossover.",
                                      sweep_keys, NKEYS(sweep_keys)};

static int bind_sweep(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_sub(k, n, c);
    if (st == BASE_OK) {
        c->s->sweep.set = true;
        if (c->s->sweep.to <= c->s->sweep.from)
            return scn__at(c, n, "`to` must be above `from`");
    }
    return st;
}

static const key top_keys[] = {
    {KEY_STRING("name", OFF(name), MDL_NAME_MAX, "(the file name without .yaml)"),
     .doc = "The scenario's name: the report's title and `out/NAME/`."},
    {KEY_STRING("description", OFF(description), 512, "\"\""),
     .doc = "One line saying what the scenario is for."},
    {KEY_PLAIN(NULL, "path", "extends", 0, "none"),
     .doc = "A base scenario this one changes, relative to this file; merged key by key."},
    {KEY_PLAIN(scn__bind_seed, "integer", "seed", OFF(seed), "1"),
     .doc = "Seed of every random stream (`--seed` overrides it)."},
    {KEY_INT("replications", OFF(replications), "5", 1, 1024, "1..1024"),
     .doc = "Independent runs; each figure is reported with a 95% confidence interval across "
            "them (`--replications` overrides it).",
     .source = "Law, Simulation Modeling and Analysis (2015) ch. 9: independent replications"},
    {KEY_DURATION("warmup", OFF(warmup), "0s", 0, 1e18, ">= 0s"),
     .doc = "Requests arriving before this are not measured (warm-up deletion).",
     .source = "Law (2015) §9.5.1"},
    {KEY_ENUM("fidelity", OFF(fidelity), "auto", fidelity_names, NULL),
     .doc =
         "Which traffic engine plays the scenario: `request` (every request an entity), `flow` "
         "(rates per time step, queueing approximations), or `auto` (the request engine while the "
         "scenario expects at most 4M requests per replication, else the flow engine; `--fidelity` "
         "overrides it).",
     .source = "docs/models.md, \"The flow engine\""},
    {KEY_DURATION("flow_step", OFF(flow_step), "1s", 1e6, 3600e9, "1ms..1h"),
     .doc = "The flow engine's time step: rates are constant over a step, and the control loops "
            "(HPA, Karpenter) see its metrics.",
     .source = "issue 5: default 1 s"},
    {KEY_SECTION("traffic", &scn__traffic_section), .doc = "The load."},
    {KEY_SECTION("cloudfront", &scn__cdn_section), .doc = "The CDN."},
    {KEY_SECTION("alb", &scn__alb_section), .doc = "The load balancer."},
    {KEY_SECTION("api", &scn__api_section), .doc = "The API pods."},
    {KEY_SECTION("database", &scn__db_section), .doc = "The database."},
    {KEY_SECTION("pgbouncer", &scn__pgb_section), .doc = "PgBouncer."},
    {KEY_SECTION("redis", &scn__redis_section), .doc = "ElastiCache for Redis."},
    {KEY_SECTION("hpa", &scn__hpa_section), .doc = "The HorizontalPodAutoscaler."},
    {KEY_SECTION("metrics_server", &scn__metrics_section), .doc = "metrics-server."},
    {KEY_PLAIN(scn__bind_pricing, "path", "pricing", 0, "(none: needed when nodes are enabled)"),
     .doc = "The pricing and instance catalog, relative to the file that names it (the base "
            "names models/pricing/us-east-1.yaml)."},
    {KEY_SECTION("nodes", &scn__nodes_section), .doc = "Nodes."},
    {KEY_SECTION("karpenter", &scn__karpenter_section), .doc = "Karpenter."},
    {KEY_SECTION("spot", &scn__spot_section), .doc = "Spot."},
    {KEY_NUM(scn__bind_list, "list", "events", OFF(events), "[]", 0, MDL_MAX_EVENTS, NULL),
     .size = sizeof(mdl_event), .sub = &scn__event_section, .count_off = OFF(nevents),
     .doc = "Things that happen at a given time: Spot storms and shortages, deploys, database "
            "and cache failovers."},
    {KEY_PLAIN(bind_objectives, "list", "objectives", 0, "[]"),
     .doc = "Service objectives, k6-style: \"p(99) < 300ms\" (API latency), \"p_all(95) < 1s\", "
            "\"error_rate < 0.1%\", \"throughput > 100/s\", \"monthly_cost < $5000\", "
            "\"cost_per_million < $2\"; met when the mean across replications satisfies them."},
    {KEY_SECTION("network", &scn__network_section), .doc = "Data transfer between the tiers."},
    {KEY_SECTION("secrets", &scn__secrets_section), .doc = "Secrets Manager."},
    {KEY_SECTION("dns", &scn__dns_section), .doc = "Route 53."},
    {KEY_SECTION("dr", &scn__dr_section), .doc = "The DR region (region_failure events)."},
    {KEY_NUM(scn__bind_list, "list", "alarms", OFF(alarms),
             "(the seed's: see docs/models.md, \"Alarms\")", 0, MDL_MAX_ALARMS, NULL),
     .size = sizeof(mdl_alarm), .sub = &scn__alarm_section, .count_off = OFF(nalarms),
     .doc = "CloudWatch-style alarms evaluated on the simulated metrics; a list here replaces "
            "the seed's (§9.3), `[]` turns them off."},
    {KEY_PLAIN(scn__bind_schedule, "section", "schedule", 0, "(none: always on)"),
     .sub = &scn__schedule_section,
     .doc = "A non-production environment's daily stop and start (seed §11.2)."},
    {KEY_PLAIN(scn__bind_regions, "section", "regions", 0, "(none: one region)"),
     .sub = &scn__regions_section,
     .doc = "A second active region for EMEA users (seed §11.3; docs/multi-region.md)."},
    {KEY_SECTION("month", &scn__month_section),
     .doc = "How the window becomes a month of cost (default: scaled to 730 hours)."},
    {KEY_PLAIN(NULL, "mapping", "variants", 0, "none"),
     .doc = "Named variants of this scenario for `simulate compare`: each maps to keys merged "
            "over the rest of the file (as `extends` merges)."},
    {KEY_PLAIN(NULL, "mapping", "plan", 0, "none"),
     .doc = "The search of `simulate plan`: knobs over scenario keys, failures to survive, what "
            "to minimise (docs/plan.md)."},
    {KEY_PLAIN(bind_sweep, "section", "sweep", 0, "(none)"), .sub = &sweep_section,
     .doc = "A load sweep for `simulate compare`."},
    {KEY_DURATION("series_interval", OFF(series_resolution), "10s", 1e9, 3600e9, "1s..1h"),
     .doc = "Resolution of the time series in the report."},
};
const section scn__top_section = {"", "The scenario file's top level.", top_keys, NKEYS(top_keys)};

/* ---------------------------------------------------------------- month and network
 * How the window becomes a month of cost,
 * and the bytes priced as data transfer.
 */

#include <stdio.h>
#include <string.h>

/* month.mix[].scenario: a path relative to the file that names it, which must exist (the parts
 * run when the month is priced: a typo should be found now, at its line). */
static int bind_month_scenario(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SCALAR || !n->text[0])
        return scn__at(c, n, "expected the path of a scenario file");
    cost_month_part *p = (cost_month_part *)(void *)c->base;
    const char *slash = strrchr(n->file, '/');
    int len;
    if (n->text[0] == '/' || !slash)
        len = snprintf(p->scenario, sizeof p->scenario, "%s", n->text);
    else
        len = snprintf(p->scenario, sizeof p->scenario, "%.*s/%s", (int)(slash - n->file), n->file,
                       n->text);
    if (len < 0 || (size_t)len >= sizeof p->scenario)
        return scn__at(c, n, "path is too long");
    FILE *f; /* a regular file: opening a FIFO here would block */
    base_err e;
    if (base_open_regular(p->scenario, 0, &f, &e) != BASE_OK)
        return scn__at(c, n, "cannot read scenario '%s': %s", p->scenario,
                       strncmp(e.msg, "cannot read: ", 13) ? e.msg : e.msg + 13);
    fclose(f);
    return BASE_OK;
}

static const key month_part_keys[] = {
    {KEY_PLAIN(bind_month_scenario, "path", "scenario", 0, NULL),
     .doc = "Another scenario whose window is part of the month (relative to this file); it runs "
            "with this run's seed and replications, and its usage is priced with its own "
            "architecture."},
    {KEY_NUMBER("repeat", offsetof(cost_month_part, repeat), NULL, 1e-9, 1e6, "> 0"),
     .doc = "How many times that scenario's window counts in the month."},
};
static const section month_part_section = {"month.mix[]", "One part of a month mix.",
                                           month_part_keys, NKEYS(month_part_keys)};

static const key month_keys[] = {
    {KEY_NUMBER("repeat", OFF(month.repeat), "(none: the window scaled to 730 hours)", 1e-9, 1e6,
                "> 0"),
     .doc = "How many times this scenario's window counts in the month: 30 for a representative "
            "day. Without it the window's usage is scaled to a 730-hour month.",
     .source = "AWS prices a month as 730 hours (reference/aws-prices.md §2)"},
    {KEY_NUM(scn__bind_list, "list", "mix", OFF(month.mix), "[]", 0, COST_MAX_MONTH_PARTS, NULL),
     .size = sizeof(cost_month_part), .sub = &month_part_section, .count_off = OFF(month.nmix),
     .doc = "Other scenarios' windows that make up the month with this one (needs `repeat`), "
            "e.g. 29 ordinary days here and `{scenario: black-friday.yaml, repeat: 1}`."},
};
static const key network_keys[] = {
    {KEY_MEMORY("query_bytes", OFF(extras.query_bytes), "2k", 0, 1e12, ">= 0"),
     .doc = "Bytes on the wire per database query and its result, both ways (inter-AZ data "
            "transfer).",
     .source = "ASSUMPTION: a statement and a few rows of a web API's look-up"},
    {KEY_MEMORY("cache_op_bytes", OFF(extras.cache_op_bytes), "1k", 0, 1e12, ">= 0"),
     .doc = "Bytes on the wire per Redis operation, both ways.",
     .source = "ASSUMPTION: a session key and its value"},
    {KEY_PERCENT("cross_az_share", OFF(extras.cross_az_share), "67%", 0, 1, "0%..100%"),
     .doc = "Share of the pods' database and Redis traffic that crosses an AZ boundary: with pods "
            "spread evenly over three AZs and the primary in one, two in three.",
     .source = "seed §4.1: three AZs; pods spread by topology (two of three cross)"},
};
const section scn__network_section = {"network", "Bytes the cost model prices as data transfer.",
                                      network_keys, NKEYS(network_keys)};

const section scn__month_section = {"month", "How the simulated window becomes a month of cost.",
                                    month_keys, NKEYS(month_keys)};

/* ---------------------------------------------------------------- secrets
 * AWS Secrets Manager, synced by External Secrets
 * Operator.
 */

static const key secrets_keys[] = {
    {KEY_INT("count", OFF(extras.secrets), "3", 0, 100000, ">= 0"),
     .doc = "Secrets kept in AWS Secrets Manager.",
     .source = "seed §7: \"Database passwords, API keys, OAuth secrets\" (one each)"},
    {KEY_DURATION("refresh", OFF(extras.secrets_refresh), "1h", 1e9, 1e18, ">= 1s"),
     .doc = "How often External Secrets Operator reads each secret (one API call).",
     .source = "External Secrets Operator ExternalSecret spec: refreshInterval defaults to 1h0m0s"},
};
const section scn__secrets_section = {"secrets",
                                      "AWS Secrets Manager, synced by External "
                                      "Secrets Operator (seed §7).",
                                      secrets_keys, NKEYS(secrets_keys)};
