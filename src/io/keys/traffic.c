/*
 * keys/traffic.c — the scenario keys of traffic: the load shape (phases), the request mix and
 * sizes.
 */
#include "io/keys/keys.h"

#include <stdio.h>
#include <string.h>

static const key phase_keys[] = {
    {KEY_PLAIN(NULL, "string", "name", 0, "phase N"),
     .doc = "A label for the phase, shown in charts and the report."},
    {KEY_NUM(NULL, "duration", "duration", 0, NULL, 1, 1e18, "> 0"),
     .doc = "How long the phase lasts."},
    {KEY_NUM(NULL, "count", "users", 0, NULL, 0, 1e12, ">= 0"),
     .doc = "Concurrent users at the start of the phase (give `users` or `rate`, not both)."},
    {KEY_NUM(NULL, "rate", "rate", 0, NULL, 0, 1e12, ">= 0"),
     .doc = "Requests per second at the start of the phase, instead of users (Artillery's "
            "`arrivalRate`)."},
    {KEY_NUM(NULL, "count or rate", "ramp_to", 0, "the start value", 0, 1e12, ">= 0"),
     .doc =
         "Where the phase ends, moving linearly (Artillery's `rampTo`); in the unit of `users` or "
         "`rate`. Without it the phase holds its start value."},
};
static const section phase_section = {"traffic.phases[]", "Each phase of the load shape, in order.",
                                      phase_keys, NKEYS(phase_keys)};

static const key mix_keys[] = {
    {KEY_PERCENT("static", OFF(traffic.mix[MDL_STATIC]), "0%", 0, 1, "0%..100%"),
     .doc = "Share of requests for SPA assets (CloudFront, S3 on a miss)."},
    {KEY_PERCENT("api_read", OFF(traffic.mix[MDL_API_READ]), "0%", 0, 1, "0%..100%"),
     .doc = "Share of /api/ paths reads (ALB -> pod -> database reads)."},
    {KEY_PERCENT("api_write", OFF(traffic.mix[MDL_API_WRITE]), "0%", 0, 1, "0%..100%"),
     .doc = "Share of /api/ paths writes. The three shares must add up to 100%."},
};
static const section mix_section = {"traffic.mix", "Which kinds of request users send.", mix_keys,
                                    NKEYS(mix_keys)};

static const key bytes_keys[] = {
    {KEY_MEMORY("static", OFF(traffic.response_bytes[MDL_STATIC]), "40k", 0, 1e12, ">= 0"),
     .doc = "Mean size of a static asset response (for CloudFront and S3 metering).",
     .source = "ASSUMPTION: a hashed JS/CSS chunk of a React SPA, compressed"},
    {KEY_MEMORY("api_read", OFF(traffic.response_bytes[MDL_API_READ]), "4k", 0, 1e12, ">= 0"),
     .doc = "Mean size of an API read's response (ALB processed bytes, transfer).",
     .source = "ASSUMPTION: a JSON document"},
    {KEY_MEMORY("api_write", OFF(traffic.response_bytes[MDL_API_WRITE]), "1k", 0, 1e12, ">= 0"),
     .doc = "Mean size of an API write's response.", .source = "ASSUMPTION"},
    {KEY_MEMORY("request", OFF(traffic.request_bytes), "1k", 0, 1e12, ">= 0"),
     .doc = "Mean size of a request (headers and body).", .source = "ASSUMPTION"},
};
static const section bytes_section = {"traffic.bytes", "Sizes of requests and responses.",
                                      bytes_keys, NKEYS(bytes_keys)};

/* traffic.phases: bound as a whole, since every phase must use the same measure (users or
 * rate) and a phase gives one or the other. */
static int bind_phases(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    mdl_traffic_config *t = &c->s->traffic;
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list of phases, found %s", scn__kind_word(n));
    if (n->n == 0)
        return scn__at(c, n, "needs at least one phase");
    if (n->n > MDL_MAX_PHASES)
        return scn__at(c, n, "too many phases (%zu; at most %d)", n->n, MDL_MAX_PHASES);
    t->nphases = n->n;
    int mode = -1; /* 0 users, 1 rate */
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *p = n->vals[i];
        mdl_phase *ph = &t->phases[i];
        size_t saved = strlen(c->path);
        snprintf(c->path + saved, sizeof c->path - saved, "[%zu]", i);
        int st = BASE_OK;
        if (p->kind != SCN_MAP) {
            st = scn__at(c, p,
                         "expected a phase (a mapping with duration and users or rate), found %s",
                         scn__kind_word(p));
            scn__path_pop(c, saved);
            return st;
        }
        if ((st = scn__check_known(&phase_section, p, c))) {
            scn__path_pop(c, saved);
            return st;
        }
        const scn_node *name = scn_map_get(p, "name"), *dur = scn_map_get(p, "duration"),
                       *users = scn_map_get(p, "users"), *rate = scn_map_get(p, "rate"),
                       *ramp = scn_map_get(p, "ramp_to");
        base_err e;
        int64_t d;
        double from = 0, to;
        if (name && (name->kind != SCN_SCALAR || strlen(name->text) >= MDL_NAME_MAX))
            st = scn__at(c, name, "name must be a string of at most %d characters",
                         MDL_NAME_MAX - 1);
        else if (!dur)
            st = scn__at(c, p, "missing key 'duration'");
        else if (dur->kind != SCN_SCALAR || scn_parse_duration(dur->text, &d, &e) != BASE_OK)
            st = dur->kind != SCN_SCALAR ? scn__at(c, dur, "duration: expected a duration")
                                         : scn__at(c, dur, "%s", e.msg);
        else if (d <= 0)
            st = scn__at(c, dur, "duration must be above 0s");
        else if (!users && !rate)
            st = scn__at(c, p, "a phase needs 'users' (concurrent users) or 'rate' (requests/s)");
        else if (users && rate)
            st = scn__at(c, rate, "give 'users' or 'rate', not both");
        else if (mode >= 0 && mode != (rate != NULL))
            st = scn__at(c, rate ? rate : users,
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
                         ? scn__at(c, v, "%s: expected a value", mode ? "rate" : "users")
                         : scn__at(c, v, "%s: %s", mode ? "rate" : "users", e.msg);
        }
        to = from;
        if (!st && ramp) {
            int bad = ramp->kind != SCN_SCALAR ||
                      (mode ? scn_parse_rate(ramp->text, &to, &e)
                            : scn_parse_count(ramp->text, &to, &e)) != BASE_OK;
            if (bad)
                st = ramp->kind != SCN_SCALAR
                         ? scn__at(c, ramp, "ramp_to: expected a value")
                         : scn__at(c, ramp, "ramp_to: %s%s", e.msg,
                                   mode ? " (this phase gives a rate, e.g. 50/s)" : "");
        }
        if (!st && (from > 1e12 || to > 1e12))
            st = scn__at(c, ramp ? ramp : (rate ? rate : users), "too large (at most 1e12)");
        scn__path_pop(c, saved);
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

static const key traffic_keys[] = {
    {KEY_PLAIN(bind_phases, "list", "phases", 0, NULL), .sub = &phase_section,
     .doc = "The load over time: phases with ramps and holds (at most 64)."},
    {KEY_COUNT("requests_per_user_per_minute", OFF(traffic.requests_per_user_min), "0", 0, 1e6,
               "0..1000000"),
     .doc = "Requests each concurrent user sends per minute; needed when phases give `users`. "
            "Arrivals are Poisson at users × this / 60 per second."},
    {KEY_SECTION("mix", &mix_section), .doc = "Shares of static, API read and API write requests."},
    {KEY_SECTION("bytes", &bytes_section), .doc = "Request and response sizes."},
    {KEY_WHOLE("max_requests", OFF(traffic.max_requests), "0", 0, 1e15, ">= 0"),
     .doc = "Stop sending after this many requests; 0: no limit."},
};
const section scn__traffic_section = {"traffic", "The load users put on the system.", traffic_keys,
                                      NKEYS(traffic_keys)};
