/*
 * deploy.c — the Deployment's controllers: the ReplicaSet controller that keeps `desired` pods
 * (which pod goes first on a scale-down), and a deploy's rollout (rolling update, blue/green,
 * canary) of a new version over the old.
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>

/* ---------------------------------------------------------------- the ReplicaSet controller */

/* Which pod goes first on a scale-down (kubernetes pkg/controller controller_utils.go,
 * ActivePods ordering): unassigned before assigned, not running before running, not Ready
 * before Ready, Ready for less time before longer, newer before older. Returns < 0 when a goes
 * before b. */
static int victim_order(const eng__pod *a, const eng__pod *b)
{
    int aa = a->state != P_PENDING, ba = b->state != P_PENDING;
    if (aa != ba)
        return aa - ba;
    int ar = a->state >= P_RUNNING, br = b->state >= P_RUNNING;
    if (ar != br)
        return ar - br;
    int ad = a->state == P_READY, bd = b->state == P_READY;
    if (ad != bd)
        return ad - bd;
    if (ad && a->ready_since != b->ready_since)
        return a->ready_since > b->ready_since ? -1 : 1;
    if (a->created != b->created)
        return a->created > b->created ? -1 : 1;
    return a->id > b->id ? -1 : 1;
}

static int alive(const eng__pod *p)
{
    return p->state < P_TERMINATING || p->state == P_CRASHED;
}

/* Terminates `n` pods of `version` (or of any version but it when `other` is set), in victim
 * order. */
static void remove_pods(eng__run *r, int n, int version, int other)
{
    while (n-- > 0) {
        eng__pod *v = NULL;
        for (size_t i = 0; i < r->npods; i++) {
            eng__pod *p = r->pods[i];
            if (!alive(p) || (other ? p->version == version : p->version != version))
                continue;
            if (!v || victim_order(p, v) < 0)
                v = p;
        }
        if (!v)
            return;
        eng__pod_terminate(r, v);
    }
}

static void add_pods(eng__run *r, int n)
{
    for (int i = 0; i < n; i++) {
        eng__pod *p = eng__pod_new(r);
        if (!p) {
            r->oom = 1;
            sim_stop(r->k);
            return;
        }
        eng__pod_schedule(r, p);
    }
}

void eng__reconcile(eng__run *r)
{
    if (r->deploy) {
        eng__deploy_reconcile(r);
        return;
    }
    int existing = eng__pods_existing(r);
    if (existing < r->desired)
        add_pods(r, r->desired - existing);
    else if (existing > r->desired)
        remove_pods(r, existing - r->desired, r->version, 0);
}

void eng__scale_to(eng__run *r, int replicas)
{
    r->desired = replicas;
    eng__reconcile(r);
}
/* ---------------------------------------------------------------- deploys */

static int count(const eng__run *r, int version, int same, int ready_only)
{
    int n = 0;
    for (size_t i = 0; i < r->npods; i++) {
        const eng__pod *p = r->pods[i];
        if (!alive(p) || (same ? p->version != version : p->version == version))
            continue;
        n += !ready_only || p->state == P_READY;
    }
    return n;
}

static void on_canary_pause_over(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    r->deploy_ev = SIM_NO_EVENT;
    r->deploy_phase = 2; /* on to 100%, as a rolling update */
    eng__deploy_reconcile(r);
}

void eng__deploy_reconcile(eng__run *r)
{
    const mdl_event *e = r->deploy;
    if (!e) {
        eng__reconcile(r);
        return;
    }
    int R = r->desired, v = r->version;
    int new_all = count(r, v, 1, 0), old_all = count(r, v, 0, 0);
    int new_ready = count(r, v, 1, 1), old_ready = count(r, v, 0, 1);
    if (e->strategy == MDL_DEPLOY_BLUE_GREEN) {
        /* green comes up beside blue; traffic switches when all of green is Ready */
        if (new_all < R)
            add_pods(r, R - new_all);
        if (new_ready >= R && old_all > 0)
            remove_pods(r, old_all, v, 1);
    } else if (e->strategy == MDL_DEPLOY_CANARY && r->deploy_phase < 2) {
        int c = (int)ceil(e->canary_weight * R);
        if (r->deploy_phase == 0) {
            if (new_all < c)
                add_pods(r, c - new_all);
            if (count(r, v, 1, 1) >= c) {
                /* the canary takes its share; the stable pods shrink by as many */
                remove_pods(r, old_all + new_all - R > 0 ? old_all + new_all - R : 0, v, 1);
                r->deploy_phase = 1;
                r->deploy_ev = sim_schedule(r->k, e->canary_pause, on_canary_pause_over, r, NULL);
            }
        }
        return;
    } else {
        /* rolling update (Deployment controller): at most R + surge pods, at least
         * R − unavailable of them Ready */
        double sf = e->strategy == MDL_DEPLOY_CANARY ? 0.25 : e->max_surge;
        double uf = e->strategy == MDL_DEPLOY_CANARY ? 0.25 : e->max_unavailable;
        int surge = (int)ceil(sf * R), unavail = (int)floor(uf * R);
        if (surge == 0 && unavail == 0)
            unavail = 1;
        int room = R + surge - (new_all + old_all);
        int want_new = R - new_all;
        if (room > 0 && want_new > 0)
            add_pods(r, room < want_new ? room : want_new);
        /* old pods that are not Ready go first: they serve nothing */
        int old_unready = old_all - old_ready;
        if (old_unready > 0)
            remove_pods(r, old_unready, v, 1);
        int can = (new_ready + old_ready) - (R - unavail);
        if (can > old_ready)
            can = old_ready;
        if (can > 0)
            remove_pods(r, can, v, 1);
    }
    if (count(r, v, 0, 0) == 0 && count(r, v, 1, 1) >= R) {
        r->deploy = NULL; /* done */
        eng__reconcile(r);
    }
}

void eng__on_deploy(void *ctx, void *arg)
{
    eng__run *r = ctx;
    const mdl_event *e = &r->s->events[ENG__ID(arg)];
    if (r->deploy) {
        /* a deploy during a deploy: the newer one wins, as `kubectl apply` would */
        sim_cancel(r->k, r->deploy_ev);
        r->deploy_ev = SIM_NO_EVENT;
    }
    r->version++;
    r->deploy = e;
    r->deploy_phase = 0;
    eng__deploy_reconcile(r);
}
