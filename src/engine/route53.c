/*
 * route53.c — Route 53's answer for the API's name, as a component of the chain (component.h).
 * Until a region failure's switch (control.c's on_dr_switch) every client resolves to the live
 * region. From the switch, clients whose cached answer still points at the lost region send
 * there and fail (no target) until it expires: the caches expire uniformly over the record's TTL
 * (dr.dns_ttl), so the stale share falls linearly from 1 at the switch to 0 a TTL later.
 *
 * The flow engine applies it between CloudFront and the ALB (its `flow` slot); the request
 * engine draws it when the request reaches the ALB's side (request.c's on_pod_arrival, from the
 * ALB's stream, before routing), so it has no `request` slot. The two differ in one respect,
 * kept as it was: the request engine meters a stale request at the ALB, the flow engine does not.
 */
#include "engine/component.h"

struct eng__route53 {
    sim_rng *rng;         /* first (eng__state_new): none, it draws nothing */
    sim_time ttl;         /* the record's TTL, ns */
    sim_time switch_at;   /* when the record changed to the DR region; -1: not yet */
    sim_time stale_until; /* switch_at + ttl; -1: not yet */
};

static int dns_init(eng__run *r, void **state, base_err *err)
{
    int st = eng__state_new(r, sizeof(struct eng__route53), NULL, "Route 53", state, err);
    if (st != BASE_OK)
        return st;
    struct eng__route53 *d = r->dns = *state;
    d->ttl = r->s->dr.dns_ttl;
    d->switch_at = d->stale_until = -1;
    return BASE_OK;
}

double eng__dns_stale(const struct eng__route53 *d, sim_time t)
{
    if (d->switch_at < 0 || t >= d->stale_until)
        return 0;
    return (double)(d->stale_until - t) / (double)(d->stale_until - d->switch_at);
}

void eng__dns_switch(struct eng__route53 *d, sim_time now)
{
    d->switch_at = now;
    d->stale_until = now + d->ttl;
}

sim_time eng__dns_switched_at(const struct eng__route53 *d)
{
    return d->switch_at;
}

/* The step's middle stands for it. */
static void dns_flow(void *state, eng__flow_hop *h)
{
    double stale = eng__dns_stale(state, h->now + h->dt / 2);
    if (!(stale > 0))
        return;
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++) {
        h->failed(h->eng, MDL_ERR_NO_TARGET, h->n[c] * stale, h->measured);
        h->n[c] *= 1 - stale;
        h->e[c] *= 1 - stale;
    }
}

const eng__component eng__route53_component = {
    .name = "route53",
    .init = dns_init,
    .free = eng__state_free,
    .flow = dns_flow,
};
