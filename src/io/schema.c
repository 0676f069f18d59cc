/*
 * schema.c — the scenario's keys, as one table: name, type, default (written as a user would
 * write it, and parsed by the same code), range, meaning and the public source of the default.
 * The same table binds a YAML tree into an mdl_scenario, rejects unknown keys with the nearest
 * known one, and writes docs/scenarios.md (scn_keys_markdown), so the reference cannot drift
 * from what the program accepts.
 *
 * Offsets are into mdl_scenario itself, so a section is only a list of keys; nested sections
 * (api.service, traffic.mix) are sections of the same scenario. Phases are the one list and
 * bind through their own function.
 */
#include "io/io.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct key key;
typedef struct section section;

typedef struct bctx {
    mdl_scenario *s;
    base_err *err;
    char path[256];         /* dotted path of the key being bound */
    const scn_node *keynode; /* the key whose value is being bound, for "missing key" errors */
} bctx;

typedef int (*bind_fn)(const key *k, const scn_node *n, bctx *c);

struct section {
    const char *name; /* dotted path, "" for the top */
    const char *doc;
    const key *keys;
    size_t nkeys;
};

struct key {
    const char *name;
    bind_fn bind;
    size_t off;        /* into mdl_scenario */
    size_t size;       /* strings: buffer size */
    const char *def;   /* default as written in a scenario; NULL: required */
    const char *type;  /* for the docs */
    double min, max;   /* range in the parsed unit (ns, fraction, count); min > max: none */
    const char *range; /* the range as a user reads it */
    const char *const *choices;
    const section *sub;
    const char *doc;
    const char *source;
};

/* ---------------------------------------------------------------- errors */

static int at(bctx *c, const scn_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int at(bctx *c, const scn_node *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->path[0])
        return base_err_set(c->err, BASE_EINPUT, n ? n->file : NULL, n ? n->line : 0,
                            n ? n->col : 0, "%s: %s", c->path, msg);
    return base_err_set(c->err, BASE_EINPUT, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0,
                        "%s", msg);
}

static const char *kind_word(const scn_node *n)
{
    switch (n->kind) {
    case SCN_MAP: return "a mapping";
    case SCN_SEQ: return "a list";
    default: return n->text[0] ? "a value" : "an empty value";
    }
}

static int need_scalar(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SCALAR)
        return at(c, n, "expected %s (%s), found %s", k->type, k->range ? k->range : "a value",
                  kind_word(n));
    if (!n->text[0])
        return at(c, n, "missing value (expected %s)", k->type);
    return BASE_OK;
}

/* Re-reports a unit parser's message (which quotes the value) at the node, with the key's path. */
static int unit_error(bctx *c, const scn_node *n, base_err *e)
{
    return at(c, n, "%s", e->msg);
}

static int check_range(const key *k, const scn_node *n, bctx *c, double v)
{
    if (k->min <= k->max && (v < k->min || v > k->max))
        return at(c, n, "'%s' is out of range (%s)", n->text, k->range);
    return BASE_OK;
}

#define FIELD(c, k, T) ((T *)((char *)(c)->s + (k)->off))

/* ---------------------------------------------------------------- scalar types */

static int bind_string(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SCALAR)
        return at(c, n, "expected a string, found %s", kind_word(n));
    if (!n->text[0] && !strcmp(k->name, "name"))
        return at(c, n, "must not be empty (leave the key out to use the file's name)");
    if (strlen(n->text) >= k->size)
        return at(c, n, "too long (at most %zu characters)", k->size - 1);
    snprintf(FIELD(c, k, char), k->size, "%s", n->text);
    return BASE_OK;
}

static int bind_bool(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    if (n->plain && strcmp(n->text, "true") == 0)
        *FIELD(c, k, bool) = true;
    else if (n->plain && strcmp(n->text, "false") == 0)
        *FIELD(c, k, bool) = false;
    else if (!strcmp(n->text, "true") || !strcmp(n->text, "false"))
        return at(c, n, "expected true or false, found the string \"%s\" (remove the quotes)",
                  n->text);
    else
        return at(c, n, "expected true or false, found '%s'", n->text);
    return BASE_OK;
}

static int bind_int(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    double v;
    base_err e;
    if (scn_parse_count(n->text, &v, &e) != BASE_OK)
        return unit_error(c, n, &e);
    if (v != floor(v))
        return at(c, n, "expected a whole number, found '%s'", n->text);
    if ((st = check_range(k, n, c, v)))
        return st;
    if (v > 2147483647.0)
        return at(c, n, "'%s' is too large", n->text);
    *FIELD(c, k, int) = (int)v;
    return BASE_OK;
}

static int bind_seed(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    const char *p = n->text;
    uint64_t v = 0;
    if (!*p)
        return at(c, n, "expected a whole number");
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return at(c, n, "expected a whole number from 0 to 18446744073709551615, found '%s'",
                      n->text);
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return at(c, n, "'%s' is too large (at most 18446744073709551615)", n->text);
        v = v * 10 + d;
    }
    *FIELD(c, k, uint64_t) = v;
    return BASE_OK;
}

static int bind_count(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    double v;
    base_err e;
    if (scn_parse_count(n->text, &v, &e) != BASE_OK)
        return unit_error(c, n, &e);
    if ((st = check_range(k, n, c, v)))
        return st;
    *FIELD(c, k, double) = v;
    return BASE_OK;
}

/* A count that must be whole (a number of requests). */
static int bind_whole(const key *k, const scn_node *n, bctx *c)
{
    int st = bind_count(k, n, c);
    if (st == BASE_OK && *FIELD(c, k, double) != floor(*FIELD(c, k, double)))
        return at(c, n, "expected a whole number, found '%s'", n->text);
    return st;
}

static int bind_percent(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    double v;
    base_err e;
    if (scn_parse_percent(n->text, &v, &e) != BASE_OK)
        return unit_error(c, n, &e);
    if ((st = check_range(k, n, c, v)))
        return st;
    *FIELD(c, k, double) = v;
    return BASE_OK;
}

static int bind_duration(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    int64_t v;
    base_err e;
    if (scn_parse_duration(n->text, &v, &e) != BASE_OK)
        return unit_error(c, n, &e);
    if ((st = check_range(k, n, c, (double)v)))
        return st;
    *FIELD(c, k, sim_time) = v;
    return BASE_OK;
}

static int bind_enum(const key *k, const scn_node *n, bctx *c)
{
    int st = need_scalar(k, n, c);
    if (st)
        return st;
    size_t nc = 0;
    while (k->choices[nc])
        nc++;
    for (size_t i = 0; i < nc; i++) {
        if (strcmp(n->text, k->choices[i]) == 0) {
            *FIELD(c, k, int) = (int)i;
            return BASE_OK;
        }
    }
    const char *near = scn_suggest(n->text, k->choices, nc);
    if (near)
        return at(c, n, "unknown value '%s' (did you mean '%s'?)", n->text, near);
    return at(c, n, "unknown value '%s' (expected %s)", n->text, k->range);
}

/* ---------------------------------------------------------------- distributions */

static const char *const dist_keys[] = {"dist", "mean", "p99", "cv", "min", "mode", "max"};
#define NDIST_KEYS (sizeof dist_keys / sizeof dist_keys[0])

/* Which parameters each kind takes, as a bit set over dist_keys[1..]. */
static unsigned dist_params(sim_dist_kind kind)
{
    switch (kind) {
    case SIM_DIST_DETERMINISTIC:
    case SIM_DIST_EXPONENTIAL: return 1u << 1;
    case SIM_DIST_LOGNORMAL: return 1u << 1 | 1u << 2;
    case SIM_DIST_GAMMA: return 1u << 1 | 1u << 3;
    case SIM_DIST_UNIFORM: return 1u << 4 | 1u << 6;
    case SIM_DIST_TRIANGULAR: return 1u << 4 | 1u << 5 | 1u << 6;
    }
    return 0;
}

static void param_list(sim_dist_kind kind, char *buf, size_t len)
{
    buf[0] = '\0';
    unsigned p = dist_params(kind);
    for (unsigned i = 1; i < NDIST_KEYS; i++) {
        if (p & (1u << i)) {
            size_t l = strlen(buf);
            snprintf(buf + l, len - l, "%s%s", l ? ", " : "", dist_keys[i]);
        }
    }
}

static int bind_dist(const key *k, const scn_node *n, bctx *c)
{
    sim_dist_spec spec;
    memset(&spec, 0, sizeof spec);
    base_err e;
    if (n->kind == SCN_SCALAR) {
        /* a bare duration is a constant */
        int64_t v;
        if (!n->text[0])
            return at(c, n, "missing value (expected a duration or a distribution)");
        if (scn_parse_duration(n->text, &v, &e) != BASE_OK)
            return at(c, n,
                      "'%s': %s; or give a distribution such as {dist: exponential, "
                      "mean: 50ms}",
                      n->text, e.msg);
        spec.kind = SIM_DIST_DETERMINISTIC;
        spec.mean = sim_to_sec(v);
    } else if (n->kind != SCN_MAP) {
        return at(c, n,
                  "expected a distribution such as {dist: lognormal, mean: 40ms, p99: "
                  "250ms}, found %s",
                  kind_word(n));
    } else {
        const scn_node *dn = scn_map_get(n, "dist");
        if (!dn)
            return at(c, n,
                      "missing key 'dist' (one of deterministic, exponential, lognormal, "
                      "gamma, uniform, triangular)");
        if (dn->kind != SCN_SCALAR)
            return at(c, dn, "'dist' must be a name, found %s", kind_word(dn));
        int kind = sim_dist_kind_parse(dn->text);
        if (kind < 0) {
            static const char *const names[] = {"deterministic", "exponential", "lognormal",
                                                "gamma",         "uniform",     "triangular"};
            const char *near = scn_suggest(dn->text, names, 6);
            return at(c, dn, "unknown distribution '%s'%s%s%s", dn->text,
                      near ? " (did you mean '"
                           : " (expected deterministic, exponential, "
                             "lognormal, gamma, uniform or triangular",
                      near ? near : "", near ? "'?)" : ")");
        }
        spec.kind = (sim_dist_kind)kind;
        unsigned allowed = dist_params(spec.kind);
        char plist[64];
        param_list(spec.kind, plist, sizeof plist);
        for (size_t i = 0; i < n->n; i++) {
            const scn_node *kn = n->keys[i], *vn = n->vals[i];
            size_t j;
            for (j = 0; j < NDIST_KEYS; j++)
                if (strcmp(kn->text, dist_keys[j]) == 0)
                    break;
            if (j == NDIST_KEYS) {
                const char *near = scn_suggest(kn->text, dist_keys, NDIST_KEYS);
                if (near)
                    return at(c, kn, "unknown key '%s' (did you mean '%s'?)", kn->text, near);
                return at(c, kn, "unknown key '%s' (a %s takes %s)", kn->text, dn->text, plist);
            }
            if (j == 0)
                continue;
            if (!(allowed & (1u << j)))
                return at(c, kn, "'%s' does not apply to a %s distribution (it takes %s)", kn->text,
                          dn->text, plist);
            if (vn->kind != SCN_SCALAR || !vn->text[0])
                return at(c, vn, "'%s' needs a value", kn->text);
            if (j == 3) { /* cv: a plain number */
                if (scn_parse_count(vn->text, &spec.cv, &e) != BASE_OK)
                    return at(c, vn, "cv '%s': %s", vn->text, e.msg);
                continue;
            }
            int64_t v;
            if (scn_parse_duration(vn->text, &v, &e) != BASE_OK)
                return at(c, vn, "%s '%s': %s", kn->text, vn->text, e.msg);
            double s = sim_to_sec(v);
            switch (j) {
            case 1: spec.mean = s; break;
            case 2: spec.p99 = s; break;
            case 4: spec.min = s; break;
            case 5: spec.mode = s; break;
            default: spec.max = s; break;
            }
        }
        for (unsigned j = 1; j < NDIST_KEYS; j++)
            if ((allowed & (1u << j)) && !scn_map_get(n, dist_keys[j]))
                return at(c, n, "a %s distribution needs %s (missing '%s')", dn->text, plist,
                          dist_keys[j]);
    }
    if (sim_dist_make(FIELD(c, k, sim_dist), &spec, &e) != BASE_OK) {
        /* say it in the user's own words, at the parameter that has to change */
        const scn_node *p99 = n->kind == SCN_MAP ? scn_map_get(n, "p99") : NULL;
        const scn_node *mean = n->kind == SCN_MAP ? scn_map_get(n, "mean") : NULL;
        if (spec.kind == SIM_DIST_LOGNORMAL && p99 && mean && spec.p99 <= spec.mean)
            return at(c, p99, "a lognormal's p99 (%s) must be above its mean (%s)", p99->text,
                      mean->text);
        return at(c, p99 && spec.kind == SIM_DIST_LOGNORMAL ? p99 : n, "%s", e.msg);
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- sections and lists */

static int bind_section_node(const section *sec, const scn_node *n, const scn_node *near, bctx *c);

static int bind_sub(const key *k, const scn_node *n, bctx *c)
{
    return bind_section_node(k->sub, n, n, c);
}

static int bind_phases(const key *k, const scn_node *n, bctx *c);

/* ---------------------------------------------------------------- the table */

#define OFF(member) offsetof(mdl_scenario, member)
#define NORANGE     1, 0, NULL
#define NKEYS(a)    (sizeof(a) / sizeof((a)[0]))

static const char *const fidelity_names[] = {"request", "flow", "auto", NULL};
static const char *const alb_algorithms[] = {"round_robin", "least_outstanding_requests", NULL};

static const key phase_keys[] = {
    {"name", NULL, 0, 0, "phase N", "string", NORANGE, NULL, NULL,
     "A label for the phase, shown in charts and the report.", NULL},
    {"duration", NULL, 0, 0, NULL, "duration", 1, 1e18, "> 0", NULL, NULL,
     "How long the phase lasts.", NULL},
    {"users", NULL, 0, 0, NULL, "count", 0, 1e12, ">= 0", NULL, NULL,
     "Concurrent users at the start of the phase (give `users` or `rate`, not both).", NULL},
    {"rate", NULL, 0, 0, NULL, "rate", 0, 1e12, ">= 0", NULL, NULL,
     "Requests per second at the start of the phase, instead of users (Artillery's "
     "`arrivalRate`).",
     NULL},
    {"ramp_to", NULL, 0, 0, "the start value", "count or rate", 0, 1e12, ">= 0", NULL, NULL,
     "Where the phase ends, moving linearly (Artillery's `rampTo`); in the unit of `users` or "
     "`rate`. Without it the phase holds its start value.",
     NULL},
};
static const section phase_section = {"traffic.phases[]", "Each phase of the load shape, in order.",
                                      phase_keys, NKEYS(phase_keys)};

static const key mix_keys[] = {
    {"static", bind_percent, OFF(traffic.mix[MDL_STATIC]), 0, "0%", "percent", 0, 1, "0%..100%",
     NULL, NULL, "Share of requests for SPA assets (CloudFront, S3 on a miss).", NULL},
    {"api_read", bind_percent, OFF(traffic.mix[MDL_API_READ]), 0, "0%", "percent", 0, 1, "0%..100%",
     NULL, NULL, "Share of /api/ paths reads (ALB -> pod -> database reads).", NULL},
    {"api_write", bind_percent, OFF(traffic.mix[MDL_API_WRITE]), 0, "0%", "percent", 0, 1,
     "0%..100%", NULL, NULL, "Share of /api/ paths writes. The three shares must add up to 100%.",
     NULL},
};
static const section mix_section = {"traffic.mix", "Which kinds of request users send.", mix_keys,
                                    NKEYS(mix_keys)};

static const key traffic_keys[] = {
    {"phases", bind_phases, 0, 0, NULL, "list", NORANGE, NULL, &phase_section,
     "The load over time: phases with ramps and holds (at most 64).", NULL},
    {"requests_per_user_per_minute", bind_count, OFF(traffic.requests_per_user_min), 0, "0",
     "count", 0, 1e6, "0..1000000", NULL, NULL,
     "Requests each concurrent user sends per minute; needed when phases give `users`. "
     "Arrivals are Poisson at users × this / 60 per second.",
     NULL},
    {"mix", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &mix_section,
     "Shares of static, API read and API write requests.", NULL},
    {"max_requests", bind_whole, OFF(traffic.max_requests), 0, "0", "count", 0, 1e15, ">= 0", NULL,
     NULL, "Stop sending after this many requests; 0: no limit.", NULL},
};
static const section traffic_section = {"traffic", "The load users put on the system.",
                                        traffic_keys, NKEYS(traffic_keys)};

static const key cdn_keys[] = {
    {"enabled", bind_bool, OFF(cdn.enabled), 0, "true", "boolean", NORANGE, NULL, NULL,
     "false: requests go straight to the ALB (and no static requests are allowed).",
     "seed §3.3: all traffic enters through CloudFront"},
    {"static_hit_ratio", bind_percent, OFF(cdn.static_hit_ratio), 0, "95%", "percent", 0, 1,
     "0%..100%", NULL, NULL, "Share of static requests answered from the edge cache.",
     "reference/behaviour.md §8: hashed SPA assets 95–99% (EST), static sites \"easily 95%+\""},
    {"edge_latency", bind_dist, OFF(cdn.edge_latency), 0, "0ms", "distribution", NORANGE, NULL,
     NULL,
     "Time at the edge for every request. Latency is measured from the edge: the viewer's own "
     "network round trip, DNS and TLS are outside the model unless given here.",
     "no public figure for CloudFront's own processing time; 0 keeps the model honest"},
    {"origin_latency", bind_dist, OFF(cdn.origin_latency), 0,
     "{dist: uniform, min: 100ms, max: 200ms}", "distribution", NORANGE, NULL, NULL,
     "S3 time to first byte when a static request misses the cache.",
     "AWS, \"Best Practices Design Patterns: Optimizing Amazon S3 Performance\": first byte out "
     "of S3 within 100–200 ms"},
};
static const section cdn_section = {"cloudfront", "CloudFront in front of S3 and the ALB.",
                                    cdn_keys, NKEYS(cdn_keys)};

static const key alb_keys[] = {
    {"algorithm", bind_enum, OFF(alb.algorithm), 0, "round_robin", "choice", NORANGE,
     alb_algorithms, NULL, "How the ALB spreads requests over ready pods.",
     "AWS ELB user guide, load-balancer-target-groups.md (routing algorithm; round robin is the "
     "default)"},
    {"latency", bind_dist, OFF(alb.latency), 0, "2ms", "distribution", NORANGE, NULL, NULL,
     "Request plus response processing the ALB adds.",
     "reference/behaviour.md §7: request_processing_time ≈ response_processing_time ≈ 0.001 s "
     "(re:Post elb-fix-high-latency-on-alb)"},
    {"idle_timeout", bind_duration, OFF(alb.idle_timeout), 0, "60s", "duration", 0, 4000e9,
     "0s..4000s", NULL, NULL,
     "A request the pod has not answered this long after the ALB forwarded it gets a 504; "
     "0s: no timeout (for queueing-theory checks).",
     "AWS ELB user guide, application-load-balancers.md (idle_timeout.timeout_seconds, default "
     "60)"},
};
static const section alb_section = {"alb", "The Application Load Balancer.", alb_keys,
                                    NKEYS(alb_keys)};

static const key service_keys[] = {
    {"api_read", bind_dist, OFF(api.service[MDL_API_READ]), 0, NULL, "distribution", NORANGE, NULL,
     NULL, "Application time of a read, database time excluded.",
     "your application's own measurements (the seed gives none)"},
    {"api_write", bind_dist, OFF(api.service[MDL_API_WRITE]), 0, NULL, "distribution", NORANGE,
     NULL, NULL, "Application time of a write, database time excluded.",
     "your application's own measurements (the seed gives none)"},
};
static const section service_section = {"api.service",
                                        "Service time of a request in a gunicorn worker.",
                                        service_keys, NKEYS(service_keys)};

static const key api_keys[] = {
    {"replicas", bind_int, OFF(api.replicas), 0, "3", "integer", 1, 100000, "1..100000", NULL, NULL,
     "Pods of the Flask API (fixed until autoscaling arrives).",
     "seed §5.3: `replicas: 3`, HPA `minReplicas: 3`"},
    {"workers", bind_int, OFF(api.workers), 0, "1", "integer", 1, 1024, "1..1024", NULL, NULL,
     "gunicorn sync workers per pod; each serves one request at a time.",
     "gunicorn settings.rst: `workers` default 1 (the seed's Dockerfile CMD sets none)"},
    {"backlog", bind_int, OFF(api.backlog), 0, "2048", "integer", 0, 1000000, "0..1000000", NULL,
     NULL, "Requests a pod holds waiting for a free worker; more are refused (502).",
     "gunicorn settings.rst: `backlog` default 2048"},
    {"timeout", bind_duration, OFF(api.timeout), 0, "30s", "duration", 0, 86400e9, "0s..24h", NULL,
     NULL,
     "gunicorn kills a worker busy with one request this long (the client gets a 502); "
     "0s: never.",
     "gunicorn settings.rst: `timeout` default 30 s"},
    {"service", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &service_section,
     "Service time distributions by request class.", NULL},
};
static const section api_section = {"api", "The Flask API Deployment (gunicorn in pods).", api_keys,
                                    NKEYS(api_keys)};

static const key queries_keys[] = {
    {"api_read", bind_count, OFF(db.queries[MDL_API_READ]), 0, "0", "count", 0, 1000, "0..1000",
     NULL, NULL, "Mean queries per read request; a fractional part is drawn per request.",
     "your application's own measurements"},
    {"api_write", bind_count, OFF(db.queries[MDL_API_WRITE]), 0, "0", "count", 0, 1000, "0..1000",
     NULL, NULL, "Mean queries per write request.", "your application's own measurements"},
};
static const section queries_section = {"database.queries",
                                        "How many queries each API request makes, one after "
                                        "another, while holding its worker.",
                                        queries_keys, NKEYS(queries_keys)};

static const key db_keys[] = {
    {"enabled", bind_bool, OFF(db.enabled), 0, "true", "boolean", NORANGE, NULL, NULL,
     "false: API requests make no queries.", NULL},
    {"servers", bind_int, OFF(db.servers), 0, "2", "integer", 1, 100000, "1..100000", NULL, NULL,
     "Queries the database serves at once (c of the multi-server queue).",
     "vCPUs of the seed's db.t3.medium (reference/aws-prices.md §3)"},
    {"queries", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &queries_section,
     "Queries per request, by class.", NULL},
    {"read_time", bind_dist, OFF(db.read_time), 0, "1ms", "distribution", NORANGE, NULL, NULL,
     "Service time of one query of a read request.", "your application's own measurements"},
    {"write_time", bind_dist, OFF(db.write_time), 0, "2ms", "distribution", NORANGE, NULL, NULL,
     "Service time of one query of a write request.", "your application's own measurements"},
};
static const section db_section = {"database", "The database as a multi-server queue.", db_keys,
                                   NKEYS(db_keys)};

static const key top_keys[] = {
    {"name", bind_string, OFF(name), MDL_NAME_MAX, "the file name without .yaml", "string", NORANGE,
     NULL, NULL, "The scenario's name: the report's title and `out/NAME/`.", NULL},
    {"description", bind_string, OFF(description), 512, "\"\"", "string", NORANGE, NULL, NULL,
     "One line saying what the scenario is for.", NULL},
    {"extends", NULL, 0, 0, "none", "path", NORANGE, NULL, NULL,
     "A base scenario this one changes, relative to this file; merged key by key.", NULL},
    {"seed", bind_seed, OFF(seed), 0, "1", "integer", NORANGE, NULL, NULL,
     "Seed of every random stream (`--seed` overrides it).", NULL},
    {"replications", bind_int, OFF(replications), 0, "5", "integer", 1, 1024, "1..1024", NULL, NULL,
     "Independent runs; each figure is reported with a 95% confidence interval across "
     "them (`--replications` overrides it).",
     "Law, Simulation Modeling and Analysis (2015) ch. 9: independent replications"},
    {"warmup", bind_duration, OFF(warmup), 0, "0s", "duration", 0, 1e18, ">= 0s", NULL, NULL,
     "Requests arriving before this are not measured (warm-up deletion).", "Law (2015) §9.5.1"},
    {"fidelity", bind_enum, OFF(fidelity), 0, "auto", "choice", NORANGE, fidelity_names, NULL,
     "Which traffic engine plays the scenario: `request` (every request an entity), `flow` "
     "(not built yet: an error), or `auto` (the request engine, until the flow engine exists).",
     NULL},
    {"traffic", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &traffic_section, "The load.",
     NULL},
    {"cloudfront", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &cdn_section, "The CDN.", NULL},
    {"alb", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &alb_section, "The load balancer.",
     NULL},
    {"api", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &api_section, "The API pods.", NULL},
    {"database", bind_sub, 0, 0, NULL, "section", NORANGE, NULL, &db_section, "The database.",
     NULL},
};
static const section top_section = {"", "The scenario file's top level.", top_keys,
                                    NKEYS(top_keys)};

/* ---------------------------------------------------------------- binding */

static void path_push(bctx *c, const char *name, size_t *saved)
{
    *saved = strlen(c->path);
    size_t l = *saved;
    snprintf(c->path + l, sizeof c->path - l, "%s%s", l ? "." : "", name);
}

static void path_pop(bctx *c, size_t saved)
{
    c->path[saved] = '\0';
}

/* Every key of map `n` must be in the section. */
static int check_known(const section *sec, const scn_node *n, bctx *c)
{
    const char *names[64];
    size_t nn = sec->nkeys < 64 ? sec->nkeys : 64;
    for (size_t i = 0; i < nn; i++)
        names[i] = sec->keys[i].name;
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *kn = n->keys[i];
        size_t j;
        for (j = 0; j < nn; j++)
            if (strcmp(kn->text, names[j]) == 0)
                break;
        if (j < nn)
            continue;
        const char *near = scn_suggest(kn->text, names, nn);
        char saved[256];
        snprintf(saved, sizeof saved, "%s", c->path);
        const char *where = saved[0] ? saved : NULL;
        c->path[0] = '\0';
        int st;
        if (!strcmp(kn->text, "<<"))
            st = at(c, kn, "YAML merge keys ('<<') are not supported: use 'extends: FILE' to "
                           "build on another scenario");
        else if (near)
            st = at(c, kn, "unknown key '%s'%s%s (did you mean '%s'?)", kn->text,
                    where ? " in " : "", where ? where : "", near);
        else
            st = at(c, kn, "unknown key '%s'%s%s", kn->text, where ? " in " : "",
                    where ? where : "");
        snprintf(c->path, sizeof c->path, "%s", saved);
        return st;
    }
    return BASE_OK;
}

/* The value a default stands for, as a node: the default text parsed as YAML. */
static int bind_default(const key *k, bctx *c)
{
    char text[256];
    snprintf(text, sizeof text, "v: %s", k->def);
    scn_doc *d = NULL;
    base_err e;
    if (scn_doc_parse("(default)", text, strlen(text), &d, &e) != BASE_OK)
        return base_err_set(c->err, BASE_EINTERNAL, NULL, 0, 0, "bad default for %s: %s (a bug)",
                            c->path, e.msg);
    const scn_node *v = scn_map_get(scn_doc_root(d), "v");
    int st = k->bind(k, v, c);
    scn_doc_free(d);
    if (st != BASE_OK)
        c->err->file[0] = '\0'; /* a default is not in the user's file */
    return st;
}

/* Binds section `sec` from map node `n` (NULL: absent: every key takes its default).
 * `near`: the node to point at when a required key is missing. */
static int bind_section_node(const section *sec, const scn_node *n, const scn_node *near, bctx *c)
{
    if (n && n->kind != SCN_MAP)
        return at(c, n, "expected a mapping of keys, found %s", kind_word(n));
    if (n) {
        int st = check_known(sec, n, c);
        if (st)
            return st;
    }
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        if (!k->bind)
            continue; /* documented here, handled elsewhere (extends) */
        const scn_node *v = n ? scn_map_get(n, k->name) : NULL;
        const scn_node *outer_key = c->keynode;
        if (v)
            for (size_t j = 0; j < n->n; j++)
                if (n->vals[j] == v)
                    c->keynode = n->keys[j];
        size_t saved;
        path_push(c, k->name, &saved);
        int st;
        if (v)
            st = k->bind(k, v, c);
        else if (k->sub && k->bind == bind_sub)
            st = bind_section_node(k->sub, NULL, n ? n : near, c);
        else if (k->def && strcmp(k->def, "the file name without .yaml") != 0)
            st = bind_default(k, c);
        else if (k->def)
            st = BASE_OK; /* filled in by scn_load */
        else {
            /* point at the section's own key (`service:`), else at the nearest thing present */
            path_pop(c, saved);
            char where[256];
            snprintf(where, sizeof where, "%s", c->path);
            c->path[0] = '\0';
            const scn_node *pos = outer_key ? outer_key : (n ? n : near);
            if (where[0])
                st = at(c, pos, "missing key '%s' in %s", k->name, where);
            else
                st = at(c, pos, "missing key '%s'", k->name);
            snprintf(c->path, sizeof c->path, "%s", where);
            saved = strlen(c->path);
        }
        path_pop(c, saved);
        c->keynode = outer_key;
        if (st)
            return st;
    }
    return BASE_OK;
}

static int bind_phases(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    mdl_traffic_config *t = &c->s->traffic;
    if (n->kind != SCN_SEQ)
        return at(c, n, "expected a list of phases, found %s", kind_word(n));
    if (n->n == 0)
        return at(c, n, "needs at least one phase");
    if (n->n > MDL_MAX_PHASES)
        return at(c, n, "too many phases (%zu; at most %d)", n->n, MDL_MAX_PHASES);
    t->nphases = n->n;
    int mode = -1; /* 0 users, 1 rate */
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *p = n->vals[i];
        mdl_phase *ph = &t->phases[i];
        size_t saved = strlen(c->path);
        snprintf(c->path + saved, sizeof c->path - saved, "[%zu]", i);
        int st = BASE_OK;
        if (p->kind != SCN_MAP) {
            st = at(c, p, "expected a phase (a mapping with duration and users or rate), found %s",
                    kind_word(p));
            path_pop(c, saved);
            return st;
        }
        if ((st = check_known(&phase_section, p, c))) {
            path_pop(c, saved);
            return st;
        }
        const scn_node *name = scn_map_get(p, "name"), *dur = scn_map_get(p, "duration"),
                       *users = scn_map_get(p, "users"), *rate = scn_map_get(p, "rate"),
                       *ramp = scn_map_get(p, "ramp_to");
        base_err e;
        int64_t d;
        double from = 0, to;
        if (name && (name->kind != SCN_SCALAR || strlen(name->text) >= MDL_NAME_MAX))
            st = at(c, name, "name must be a string of at most %d characters", MDL_NAME_MAX - 1);
        else if (!dur)
            st = at(c, p, "missing key 'duration'");
        else if (dur->kind != SCN_SCALAR || scn_parse_duration(dur->text, &d, &e) != BASE_OK)
            st = dur->kind != SCN_SCALAR ? at(c, dur, "duration: expected a duration")
                                         : at(c, dur, "duration '%s': %s", dur->text, e.msg);
        else if (d <= 0)
            st = at(c, dur, "duration must be above 0s");
        else if (!users && !rate)
            st = at(c, p, "a phase needs 'users' (concurrent users) or 'rate' (requests/s)");
        else if (users && rate)
            st = at(c, rate, "give 'users' or 'rate', not both");
        else if (mode >= 0 && mode != (rate != NULL))
            st = at(c, rate ? rate : users,
                    "every phase must use the same measure: the first uses '%s'",
                    mode ? "rate" : "users");
        if (!st) {
            mode = rate != NULL;
            const scn_node *v = rate ? rate : users;
            int bad =
                v->kind != SCN_SCALAR || (mode ? scn_parse_rate(v->text, &from, &e)
                                               : scn_parse_count(v->text, &from, &e)) != BASE_OK;
            if (bad)
                st = v->kind != SCN_SCALAR
                         ? at(c, v, "%s: expected a value", mode ? "rate" : "users")
                         : at(c, v, "%s '%s': %s", mode ? "rate" : "users", v->text, e.msg);
        }
        to = from;
        if (!st && ramp) {
            int bad = ramp->kind != SCN_SCALAR ||
                      (mode ? scn_parse_rate(ramp->text, &to, &e)
                            : scn_parse_count(ramp->text, &to, &e)) != BASE_OK;
            if (bad)
                st = ramp->kind != SCN_SCALAR
                         ? at(c, ramp, "ramp_to: expected a value")
                         : at(c, ramp, "ramp_to '%s': %s%s", ramp->text, e.msg,
                              mode ? " (this phase gives a rate, e.g. 50/s)" : "");
        }
        if (!st && (from > 1e12 || to > 1e12))
            st = at(c, ramp ? ramp : (rate ? rate : users), "too large (at most 1e12)");
        path_pop(c, saved);
        if (st)
            return st;
        if (name)
            snprintf(ph->name, sizeof ph->name, "%s", name->text);
        else
            snprintf(ph->name, sizeof ph->name, "phase %zu", i + 1);
        ph->duration = d;
        ph->from = from;
        ph->to = to;
    }
    t->by_rate = mode == 1;
    return BASE_OK;
}

/* The node at a dotted path ("traffic.mix"), or the nearest existing ancestor. */
static const scn_node *find_path(const scn_node *root, const char *path)
{
    const scn_node *n = root;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok;
         tok = strtok_r(NULL, ".", &save)) {
        const scn_node *next = scn_map_get(n, tok);
        if (!next)
            break;
        n = next;
    }
    return n;
}

int scn_bind(const scn_doc *doc, mdl_scenario *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    bctx c;
    memset(&c, 0, sizeof c);
    c.s = out;
    c.err = err;
    const scn_node *root = scn_doc_root(doc);
    int st = bind_section_node(&top_section, root, root, &c);
    if (st)
        return st;
    const char *culprit = NULL;
    if ((st = mdl_scenario_check(out, &culprit, err)) != BASE_OK) {
        const scn_node *n = culprit ? find_path(root, culprit) : root;
        err->line = n->line;
        err->col = n->col;
        snprintf(err->file, sizeof err->file, "%s", n->file);
    }
    return st;
}

int scn_load(const char *path, mdl_scenario *out, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    st = scn_bind(doc, out, err);
    if (st == BASE_OK && !out->name[0]) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        snprintf(out->name, sizeof out->name, "%s", base);
        char *dot = strrchr(out->name, '.');
        if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
            *dot = '\0';
    }
    scn_doc_free(doc);
    return st;
}

/* ---------------------------------------------------------------- documentation */

static void md_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s, f);
    }
}

static void md_section(FILE *f, const section *sec)
{
    fprintf(f, "\n### `%s`\n\n%s\n\n", sec->name[0] ? sec->name : "(top level)", sec->doc);
    fputs("| key | type | default | range | meaning | source of the default |\n", f);
    fputs("|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        fprintf(f, "| `%s%s%s` | %s | ", sec->name, sec->name[0] ? "." : "", k->name, k->type);
        if (k->sub)
            fputs("see below", f);
        else if (k->def)
            fprintf(f, "`%s`", k->def);
        else
            fputs("**required**", f);
        fputs(" | ", f);
        md_escape(f, k->range ? k->range : (k->choices ? "" : "–"));
        if (k->choices)
            for (size_t j = 0; k->choices[j]; j++)
                fprintf(f, "%s`%s`", j ? ", " : "", k->choices[j]);
        fputs(" | ", f);
        md_escape(f, k->doc);
        fputs(" | ", f);
        md_escape(f, k->source ? k->source : "–");
        fputs(" |\n", f);
    }
    for (size_t i = 0; i < sec->nkeys; i++)
        if (sec->keys[i].sub)
            md_section(f, sec->keys[i].sub);
}

void scn_keys_markdown(FILE *f)
{
    md_section(f, &top_section);
}
