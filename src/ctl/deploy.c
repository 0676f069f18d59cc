/*
 * deploy.c — the Deployment's controllers: the ReplicaSet controller that keeps `desired` pods
 * (which pod goes first on a scale-down), and a deploy's rollout (rolling update, blue/green,
 * canary) of a new version over the old. Pods are read and changed through the engine's
 * operations (ctl_ops).
 */
#include "ctl/internal.h"

#include <math.h>
#include <stdint.h>

/* ---------------------------------------------------------------- the ReplicaSet controller */

/* Which pod goes first on a scale-down (kubernetes pkg/controller controller_utils.go,
 * ActivePods ordering): unassigned before assigned, not running before running, not Ready
 * before Ready, Ready for less time before longer, newer before older, the larger index first.
 * Returns < 0 when a goes before b. */
static int victim_order(const ctl_pod *a, const ctl_pod *b)
{
    int aa = a->phase != CTL_POD_PENDING, ba = b->phase != CTL_POD_PENDING;
    if (aa != ba)
        return aa - ba;
    int ar = a->phase >= CTL_POD_RUNNING, br = b->phase >= CTL_POD_RUNNING;
    if (ar != br)
        return ar - br;
    int ad = a->phase == CTL_POD_READY, bd = b->phase == CTL_POD_READY;
    if (ad != bd)
        return ad - bd;
    if (ad && a->ready_since != b->ready_since)
        return a->ready_since > b->ready_since ? -1 : 1;
    if (a->created != b->created)
        return a->created > b->created ? -1 : 1;
    return a->id > b->id ? -1 : 1;
}

static int alive(int phase)
{
    return phase < CTL_POD_TERMINATING || phase == CTL_POD_CRASHED;
}

/* Terminates `n` pods of `version` (or of any version but it when `other` is set), in victim
 * order. */
static void remove_pods(ctl_plane *c, int n, int version, int other)
{
    const ctl_ops *o = c->ops;
    while (n-- > 0) {
        size_t np;
        if (!ctl__read_pods(c, &np)) {
            o->out_of_memory(c->cl);
            return;
        }
        const ctl_pod *v = NULL;
        for (size_t k = 0; k < np; k++) {
            const ctl_pod *p = &c->pods[k];
            if (!alive(p->phase) || (other ? p->version == version : p->version != version))
                continue;
            if (!v || victim_order(p, v) < 0)
                v = p;
        }
        if (!v)
            return;
        o->pod_terminate(c->cl, v->id); /* it may call back and read the pods again */
    }
}

static void add_pods(ctl_plane *c, int n)
{
    for (int i = 0; i < n; i++)
        if (c->ops->pod_add(c->cl, c->version) < 0) {
            c->ops->out_of_memory(c->cl);
            return;
        }
}

void ctl_reconcile(ctl_plane *c)
{
    if (c->deploy) {
        ctl_deploy_reconcile(c);
        return;
    }
    int existing = c->ops->pods_existing(c->cl);
    if (existing < c->desired)
        add_pods(c, c->desired - existing);
    else if (existing > c->desired)
        remove_pods(c, existing - c->desired, c->version, 0);
}

void ctl_scale_to(ctl_plane *c, int replicas)
{
    c->desired = replicas;
    ctl_reconcile(c);
}

/* ---------------------------------------------------------------- deploys */

static int count(ctl_plane *c, int version, int same, int ready_only)
{
    size_t np;
    if (!ctl__read_pods(c, &np)) {
        c->ops->out_of_memory(c->cl);
        return 0;
    }
    int n = 0;
    for (size_t k = 0; k < np; k++) {
        const ctl_pod *p = &c->pods[k];
        if (!alive(p->phase) || (same ? p->version != version : p->version == version))
            continue;
        n += !ready_only || p->phase == CTL_POD_READY;
    }
    return n;
}

static void on_canary_pause_over(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    c->deploy_ev = SIM_NO_EVENT;
    c->deploy_phase = 2; /* on to 100%, as a rolling update */
    ctl_deploy_reconcile(c);
}

void ctl_deploy_reconcile(ctl_plane *c)
{
    const mdl_event *e = c->deploy;
    if (!e) {
        ctl_reconcile(c);
        return;
    }
    int R = c->desired, v = c->version;
    int new_all = count(c, v, 1, 0), old_all = count(c, v, 0, 0);
    int new_ready = count(c, v, 1, 1), old_ready = count(c, v, 0, 1);
    if (e->strategy == MDL_DEPLOY_BLUE_GREEN) {
        /* green comes up beside blue; traffic switches when all of green is Ready */
        if (new_all < R)
            add_pods(c, R - new_all);
        if (new_ready >= R && old_all > 0)
            remove_pods(c, old_all, v, 1);
    } else if (e->strategy == MDL_DEPLOY_CANARY && c->deploy_phase < 2) {
        int w = (int)ceil(e->canary_weight * R);
        if (c->deploy_phase == 0) {
            if (new_all < w)
                add_pods(c, w - new_all);
            if (count(c, v, 1, 1) >= w) {
                /* the canary takes its share; the stable pods shrink by as many */
                remove_pods(c, old_all + new_all - R > 0 ? old_all + new_all - R : 0, v, 1);
                c->deploy_phase = 1;
                c->deploy_ev = sim_schedule(c->k, e->canary_pause, on_canary_pause_over, c, NULL);
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
            add_pods(c, room < want_new ? room : want_new);
        /* old pods that are not Ready go first: they serve nothing */
        int old_unready = old_all - old_ready;
        if (old_unready > 0)
            remove_pods(c, old_unready, v, 1);
        int can = (new_ready + old_ready) - (R - unavail);
        if (can > old_ready)
            can = old_ready;
        if (can > 0)
            remove_pods(c, can, v, 1);
    }
    if (count(c, v, 0, 0) == 0 && count(c, v, 1, 1) >= R) {
        c->deploy = NULL; /* done */
        ctl_reconcile(c);
    }
}

void ctl__on_deploy(void *ctx, void *arg)
{
    ctl_plane *c = ctx;
    const mdl_event *e = &c->s->events[CTL__ID(arg)];
    if (c->deploy) {
        /* a deploy during a deploy: the newer one wins, as `kubectl apply` would */
        sim_cancel(c->k, c->deploy_ev);
        c->deploy_ev = SIM_NO_EVENT;
    }
    c->version++;
    c->deploy = e;
    c->deploy_phase = 0;
    ctl_deploy_reconcile(c);
}
