/*
 * regions.c — two active regions (seed §11.3): the scenario split into one scenario per region,
 * and the load curves that split needs (a curve shifted by a time zone, two curves added, a
 * lost region's users arriving at the survivor). Pure functions of the scenario; the engine
 * (engine/geo.c) runs the clones and couples them.
 */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A curve's level just after t (side 0: right limit) or just before it (side 1: left limit). */
static double level_at(const mdl_traffic_config *t, sim_time at, int side)
{
    sim_time s = 0;
    for (size_t i = 0; i < t->nphases; i++) {
        const mdl_phase *p = &t->phases[i];
        sim_time e = s + p->duration;
        if (side ? (at > s && at <= e) : (at >= s && at < e)) {
            if (p->duration <= 0)
                return p->to;
            return p->from + (p->to - p->from) * ((double)(at - s) / (double)p->duration);
        }
        s = e;
    }
    return 0;
}

/* Adds t to the sorted set of breakpoints (no duplicates). */
static int add_break(sim_time *b, size_t *n, size_t max, sim_time t)
{
    size_t i = 0;
    while (i < *n && b[i] < t)
        i++;
    if (i < *n && b[i] == t)
        return BASE_OK;
    if (*n >= max)
        return BASE_ELIMIT;
    memmove(b + i + 1, b + i, (*n - i) * sizeof *b);
    b[i] = t;
    (*n)++;
    return BASE_OK;
}

/* The name of the phase of `t` holding time `at` (phases keep the primary's names). */
static const char *name_at(const mdl_traffic_config *t, sim_time at)
{
    sim_time s = 0;
    for (size_t i = 0; i < t->nphases; i++) {
        s += t->phases[i].duration;
        if (at < s)
            return t->phases[i].name;
    }
    return t->nphases ? t->phases[t->nphases - 1].name : "";
}

/* A curve given by `f` sampled on breakpoints: a phase between each two, linear within. */
typedef double (*curve_fn)(const void *ctx, sim_time at, int side);

static int build(const mdl_traffic_config *names, const sim_time *b, size_t nb, curve_fn f,
                 const void *ctx, mdl_traffic_config *out)
{
    mdl_traffic_config t = *names;
    t.nphases = 0;
    for (size_t i = 0; i + 1 < nb; i++) {
        if (t.nphases >= MDL_MAX_PHASES)
            return BASE_ELIMIT;
        mdl_phase *p = &t.phases[t.nphases++];
        snprintf(p->name, sizeof p->name, "%s", name_at(names, b[i]));
        p->duration = b[i + 1] - b[i];
        p->from = f(ctx, b[i], 0);
        p->to = f(ctx, b[i + 1], 1);
    }
    *out = t;
    return BASE_OK;
}

typedef struct shifted {
    const mdl_traffic_config *t;
    sim_time offset, period;
} shifted;

static double shifted_level(const void *ctx, sim_time at, int side)
{
    const shifted *c = ctx;
    sim_time u = (at + c->offset) % c->period;
    if (side && u == 0) /* the left limit at the cycle's seam is the curve's end */
        u = c->period;
    return level_at(c->t, u, side);
}

int mdl_traffic_shift(const mdl_traffic_config *t, sim_time offset, mdl_traffic_config *out)
{
    sim_time d = mdl_traffic_duration(t);
    if (d <= 0 || offset % d == 0) {
        *out = *t;
        return BASE_OK;
    }
    offset = ((offset % d) + d) % d;
    sim_time b[2 * MDL_MAX_PHASES + 4];
    size_t nb = 0;
    int st = add_break(b, &nb, 2 * MDL_MAX_PHASES + 4, 0);
    st = st ? st : add_break(b, &nb, 2 * MDL_MAX_PHASES + 4, d);
    sim_time s = 0;
    for (size_t i = 0; st == BASE_OK && i < t->nphases; i++) {
        st = add_break(b, &nb, 2 * MDL_MAX_PHASES + 4, ((s - offset) % d + d) % d);
        s += t->phases[i].duration;
    }
    shifted c = {t, offset, d};
    return st ? st : build(t, b, nb, shifted_level, &c, out);
}

typedef struct added {
    const mdl_traffic_config *a, *b;
    double wa, wb;
    sim_time from, ramp;
} added;

static double added_level(const void *ctx, sim_time at, int side)
{
    const added *c = ctx;
    double w = 0;
    if (at > c->from || (at == c->from && !side))
        w = c->ramp > 0 && at < c->from + c->ramp ? (double)(at - c->from) / (double)c->ramp : 1;
    double v = c->wa * level_at(c->a, at, side) + c->wb * w * level_at(c->b, at, side);
    return fabs(v) < 1e-9 ? 0 : v; /* a curve less itself is exactly 0 */
}

/* Sub-intervals a ramp is drawn with: on it the added curve is a product of two linear ones,
 * drawn as 4 straight pieces (within 1/64 of the ramp's span of the true curve). */
#define RAMP_PIECES 4

int mdl_traffic_add(const mdl_traffic_config *a, double wa, const mdl_traffic_config *b, double wb,
                    sim_time from, sim_time ramp, mdl_traffic_config *out)
{
    enum { MAXB = 2 * MDL_MAX_PHASES + RAMP_PIECES + 4 };
    sim_time b_[MAXB];
    size_t nb = 0;
    sim_time d = mdl_traffic_duration(a);
    int st = add_break(b_, &nb, MAXB, 0);
    st = st ? st : add_break(b_, &nb, MAXB, d);
    sim_time s = 0;
    for (size_t i = 0; st == BASE_OK && i < a->nphases; i++)
        st = add_break(b_, &nb, MAXB, s += a->phases[i].duration);
    s = 0;
    for (size_t i = 0; st == BASE_OK && i < b->nphases; i++)
        if ((s += b->phases[i].duration) < d)
            st = add_break(b_, &nb, MAXB, s);
    for (int k = 0; st == BASE_OK && k <= RAMP_PIECES && (k == 0 || ramp > 0); k++) {
        sim_time t = from + ramp * k / RAMP_PIECES;
        if (t > 0 && t < d)
            st = add_break(b_, &nb, MAXB, t);
    }
    added c = {a, b, wa, wb, from, ramp};
    return st ? st : build(a, b_, nb, added_level, &c, out);
}

double mdl_regions_write_trips(const mdl_scenario *s)
{
    const mdl_regions_config *g = &s->regions;
    return g->write_round_trips > 0 ? g->write_round_trips : s->db.queries[MDL_API_WRITE];
}

/* eu-west-1 as it runs: its users, its prices and bounds, its own database, no DR standby. */
static void as_second_region(mdl_scenario *o, const mdl_regions_config *g)
{
    o->cluster.catalog = g->catalog;
    for (size_t i = 0; o->cluster.spot_discount_override >= 0 && i < o->cluster.catalog.n; i++)
        o->cluster.catalog.types[i].spot_discount = o->cluster.spot_discount_override;
    if (g->min_replicas > 0)
        o->hpa.min_replicas = g->min_replicas;
    if (g->max_replicas > 0)
        o->hpa.max_replicas = g->max_replicas;
    if (o->hpa.enabled && o->api.replicas < o->hpa.min_replicas)
        o->api.replicas = o->hpa.min_replicas;
    if (o->hpa.enabled && o->api.replicas > o->hpa.max_replicas)
        o->api.replicas = o->hpa.max_replicas;
    o->dr.enabled = false;
    o->nevents = 0; /* the scenario's events are the primary's */
    int mode = g->database;
    if (mode == MDL_REGIONS_DB_AUTO)
        mode = o->db.engine == MDL_DB_AURORA ? MDL_REGIONS_DB_GLOBAL : MDL_REGIONS_DB_REPLICA;
    if (o->db.enabled && mode == MDL_REGIONS_DB_REPLICA) {
        o->db.multi_az = false; /* a cross-region read replica is one Single-AZ instance */
        o->db.read_replicas = 0;
    }
    if (o->db.enabled && mode == MDL_REGIONS_DB_GLOBAL)
        o->db.aurora_readers = 0; /* the secondary cluster's one reader serves EMEA's reads */
}

int mdl_regions_clone(const mdl_scenario *s, int which, sim_time moved_at, mdl_scenario *out)
{
    const mdl_regions_config *g = &s->regions;
    *out = *s;
    out->regions.enabled = false;
    out->regions.remote_writes = out->regions.has_remote = false;
    mdl_traffic_config emea;
    int st = mdl_traffic_shift(&s->traffic, g->emea_offset, &emea);
    if (st)
        return st;
    double share = g->emea_share;
    bool lost = g->lose_at > 0 && g->serve == MDL_REGIONS_TWO;
    if (g->serve == MDL_REGIONS_ONE) {
        if (which == MDL_REGION_EU)
            return mdl_traffic_add(&s->traffic, 0, &emea, 0, 0, 0, &out->traffic);
        return mdl_traffic_add(&s->traffic, 1 - share, &emea, share, 0, 0, &out->traffic);
    }
    /* eu-west-1's own users until it is lost: its curve, less itself from lose_at */
    mdl_traffic_config eu;
    st = mdl_traffic_add(&emea, share, &emea, lost ? -share : 0, lost ? g->lose_at : 0, 0, &eu);
    if (st)
        return st;
    if (which == MDL_REGION_US) {
        /* EMEA's writes reach this primary from eu-west-1 while it serves them */
        out->regions.has_remote = s->db.enabled && s->db.engine != MDL_DB_QUEUE;
        out->regions.remote = eu;
        return lost ? mdl_traffic_add(&s->traffic, 1 - share, &emea, share, moved_at, s->dr.dns_ttl,
                                      &out->traffic)
                    : mdl_traffic_add(&s->traffic, 1 - share, &emea, 0, 0, 0, &out->traffic);
    }
    as_second_region(out, g);
    out->regions.remote_writes = s->db.enabled && s->db.engine != MDL_DB_QUEUE;
    out->traffic = eu;
    return BASE_OK;
}

int mdl_regions_clone_us_lost(const mdl_scenario *s, int which, sim_time moved_at,
                              sim_time promoted_at, mdl_scenario *out)
{
    const mdl_regions_config *g = &s->regions;
    sim_time at = g->lose_us_at;
    int st = mdl_regions_clone(s, which, moved_at, out);
    if (st || at <= 0 || g->serve != MDL_REGIONS_TWO)
        return st;
    mdl_traffic_config t = out->traffic;
    if (which == MDL_REGION_US) {
        /* its users gone from the loss, and EMEA's writes with them */
        st = mdl_traffic_add(&t, 1, &t, -1, at, 0, &out->traffic);
        mdl_traffic_config rem = out->regions.remote;
        return st ? st : mdl_traffic_add(&rem, 1, &rem, -1, at, 0, &out->regions.remote);
    }
    out->regions.remote_until = at;
    out->regions.promoted_at = promoted_at;
    /* the Americas' users arrive as Route 53 answers eu-west-1 and their caches expire */
    return mdl_traffic_add(&t, 1, &s->traffic, 1 - g->emea_share, moved_at, s->dr.dns_ttl,
                           &out->traffic);
}

int mdl_regions_check(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    const mdl_regions_config *g = &s->regions;
    if (!g->enabled || g->serve == MDL_REGIONS_ONE)
        return BASE_OK;
    const cost_catalog *a = &s->cluster.catalog, *b = &g->catalog;
    const char *what = NULL;
    if (!g->has_catalog)
        what = "regions.pricing: two regions need eu-west-1's pricing file "
               "(models/pricing/eu-west-1.yaml)";
    else if (a->n != b->n || a->ndb != b->ndb || a->ncache != b->ncache)
        what = "regions.pricing: the second region's pricing file must list the same instance "
               "types, DB classes and cache types as the primary's, in the same order";
    for (size_t i = 0; !what && i < a->n; i++)
        if (strcmp(a->types[i].name, b->types[i].name) != 0)
            what = "regions.pricing: its instance types differ from the primary's pricing file's";
    for (size_t i = 0; !what && i < a->ndb; i++)
        if (strcmp(a->db[i].name, b->db[i].name) != 0)
            what = "regions.pricing: its DB classes differ from the primary's pricing file's";
    for (size_t i = 0; !what && i < a->ncache; i++)
        if (strcmp(a->cache[i].name, b->cache[i].name) != 0)
            what = "regions.pricing: its cache types differ from the primary's pricing file's";
    if (!what && g->database == MDL_REGIONS_DB_GLOBAL && s->db.engine != MDL_DB_AURORA)
        what = "regions.database: aurora_global needs database.engine: aurora";
    if (!what && g->database == MDL_REGIONS_DB_REPLICA && s->db.engine != MDL_DB_RDS)
        what = "regions.database: replica (an RDS cross-region read replica) needs "
               "database.engine: rds";
    if (!what && g->lose_at > 0 && g->lose_at >= mdl_traffic_duration(&s->traffic))
        what = "regions.lose_eu_west_1_at: after the scenario's end";
    if (!what && g->lose_us_at > 0 && g->lose_us_at >= mdl_traffic_duration(&s->traffic))
        what = "regions.lose_us_east_1_at: after the scenario's end";
    if (!what && g->lose_us_at > 0 && g->lose_at > 0)
        what = "regions.lose_us_east_1_at: one region lost at a time (lose_eu_west_1_at is set)";
    if (!what && g->lose_us_at > 0 && !s->db.enabled)
        what = "regions.lose_us_east_1_at: needs a database (the copy in eu-west-1 promoted)";
    if (!what)
        return BASE_OK;
    const char *colon = strchr(what, ':');
    snprintf(key, keylen, "%.*s", (int)(colon - what), what);
    return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "%s", what);
}
