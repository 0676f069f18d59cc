/*
 * chain.c — the one ordered chain of components both engines walk (component.h): the table
 * below is the order of a request's path from the viewer inwards, and adding a component is a
 * row here plus its own file. A walk calls each component's slot in this order, skipping the
 * NULL ones; the request walk stops at the first component that answers or takes the request
 * on, and leaves out the components that said at set-up that the scenario's requests do not
 * need them (`on_path`). The walk itself is resolved once the chain is made (`resolve`): a
 * common path calls its steps directly, any other goes through the links.
 */
#include "engine/component.h"

#include <math.h>
#include <stdlib.h>

static const eng__component *const order[] = {
    &eng__cloudfront_component, /* the edge: static assets and cacheable API reads */
    &eng__route53_component,    /* stale answers after a region switch */
    &eng__alb_component,        /* the load balancer in front of the pods */
    &eng__schedule_component,   /* a dev environment stopped by its schedule: no pods */
    &eng__pods_component,       /* the API pods and their gunicorn workers */
    /* behind the pods the data tier, reached from the pods (request.c) or solved with them
     * (flow_loop.c) rather than walked (docs/architecture.md) */
    &eng__redis_component,     /* the cache: look-ups before the app phase */
    &eng__pgbouncer_component, /* connections to the database */
    &eng__database_component,  /* its instances (made before the two below, which use them) */
    &eng__aurora_component,    /* Aurora Serverless v2's capacity */
    &eng__rds_component,       /* RDS's CPU credits */
    /* beside the path: what watches it */
    &eng__alarms_component, /* CloudWatch alarms on the series, the pager */
    &eng__dr_component,     /* the DR region: the runbook, the cross-region replica */
};

_Static_assert(sizeof order / sizeof order[0] <= ENG__CHAIN_MAX, "raise ENG__CHAIN_MAX");

int eng__state_new(eng__run *r, size_t size, const char *stream, const char *what, void **state,
                   base_err *err)
{
    sim_rng **rng = base_calloc(1, size); /* the state's first member */
    if (rng && stream)
        *rng = sim_rng_new(r->s->seed, r->out->replication, stream);
    if (!rng || (stream && !*rng)) {
        free(rng);
        *state = NULL;
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory setting up %s", what);
    }
    *state = rng;
    return BASE_OK;
}

void eng__state_free(void *state)
{
    if (!state)
        return;
    sim_rng_free(*(sim_rng **)state);
    free(state);
}

/* The request walk, resolved once the chain is made (eng__chain_init): the general walk through
 * the links' `request` slots, or a scenario's common path called directly, without the loop and
 * the indirect calls (the same calls in the same order, so the same draws). */
enum walk {
    WALK_LINKS,   /* any path: the on_path links in order */
    WALK_ALB_PODS /* only the ALB, then the pods: an API-only scenario without CloudFront */
};

static enum walk resolve(const eng__run *r)
{
    if (r->npath == 2 && r->chain[r->on_path[0]].type == &eng__alb_component &&
        r->chain[r->on_path[1]].type == &eng__pods_component)
        return WALK_ALB_PODS;
    return WALK_LINKS;
}

int eng__chain_init(eng__run *r, base_err *err)
{
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        void *state = NULL;
        int st = order[i]->init(r, &state, err);
        if (st != BASE_OK)
            return st;
        r->chain[r->nchain].type = order[i];
        r->chain[r->nchain].state = state;
        if (order[i]->request && (!order[i]->on_path || order[i]->on_path(state)))
            r->on_path[r->npath++] = (uint8_t)r->nchain;
        r->nchain++;
    }
    r->walk = resolve(r);
    return BASE_OK;
}

void eng__chain_free(eng__run *r)
{
    for (int i = r->nchain - 1; i >= 0; i--)
        if (r->chain[i].type->free)
            r->chain[i].type->free(r->chain[i].state);
    r->nchain = r->npath = 0;
}

void eng__chain_start(eng__run *r)
{
    for (int i = 0; i < r->nchain; i++)
        if (r->chain[i].type->start)
            r->chain[i].type->start(r->chain[i].state);
}

enum eng__outcome eng__chain_request(eng__run *r, eng__hop *h)
{
    if (r->walk == WALK_ALB_PODS) {
        eng__alb_request(r->alb, h); /* passes every request on */
        return eng__pods_request(r->api, h);
    }
    for (int i = 0; i < r->npath; i++) {
        const struct eng__link *l = &r->chain[r->on_path[i]];
        enum eng__outcome o = l->type->request(l->state, h);
        if (o != ENG__PASS)
            return o;
    }
    return ENG__PASS;
}

/* The flow walk's recorders wrapped, to check that each component accounts for every request
 * that reaches it: served + failed + passed on = offered. */
struct ledger {
    eng__flow_hop *h;
    void *eng;
    void (*served)(void *eng, int cls, int64_t lat, double w, bool measured);
    void (*failed)(void *eng, mdl_cause cause, double n, bool measured);
    double out; /* served and failed at the current component */
};

static void ledger_served(void *ctx, int cls, int64_t lat, double w, bool measured)
{
    struct ledger *l = ctx;
    l->out += w;
    l->served(l->eng, cls, lat, w, measured);
}

static void ledger_failed(void *ctx, mdl_cause cause, double n, bool measured)
{
    struct ledger *l = ctx;
    if (n > 0)
        l->out += n;
    l->failed(l->eng, cause, n, measured);
}

static double sum(const double n[MDL_NCLASS])
{
    double t = 0;
    for (int k = 0; k < MDL_NCLASS; k++)
        t += n[k];
    return t;
}

void eng__chain_flow(eng__run *r, eng__flow_hop *h)
{
    struct ledger l = {h, h->eng, h->served, h->failed, 0};
    h->eng = &l;
    h->served = ledger_served;
    h->failed = ledger_failed;
    for (int i = 0; i < r->nchain; i++) {
        if (!r->chain[i].type->flow)
            continue;
        double in = sum(h->n);
        l.out = 0;
        r->chain[i].type->flow(r->chain[i].state, h);
        BASE_ASSERT(fabs(in - l.out - sum(h->n)) <= 1e-9 * (in > 1 ? in : 1));
    }
    h->eng = l.eng;
    h->served = l.served;
    h->failed = l.failed;
}

void eng__chain_tick(eng__run *r, sim_time now, double dt)
{
    for (int i = 0; i < r->nchain; i++)
        if (r->chain[i].type->tick)
            r->chain[i].type->tick(r->chain[i].state, now, dt);
}

void eng__chain_meter(eng__run *r)
{
    for (int i = 0; i < r->nchain; i++)
        if (r->chain[i].type->meter)
            r->chain[i].type->meter(r->chain[i].state, r->end, &r->out->usage);
}
