/*
 * cluster.c — pods and nodes: how a pod comes to serve traffic and how it stops.
 *
 * A pod's life (docs/models.md, "Pod lifecycle"): created Pending -> the scheduler places it on
 * a Ready node with room for its requests (kube-scheduler's default NodeResourcesFit scoring,
 * LeastAllocated: the node with the largest free share of CPU and memory), or on a node
 * Karpenter is launching for it, or it stays Pending for Karpenter (src/ctl/) -> the image is
 * pulled unless the node has it -> the container starts -> the readiness probe passes (first
 * probe initialDelay + a random phase within the period after start, then successThreshold
 * passes) -> Ready: an endpoint, registered with the ALB -> the ALB's health check passes once
 * (a new target needs one pass; the check's phase is random within its interval) -> routable.
 * Stopping: the pod leaves the ALB's targets at once (deregistration), gunicorn stops listening
 * so the requests still waiting in its backlog fail (502), in-flight requests get the
 * termination grace period, and whatever is still running then is killed (502).
 *
 * Nodes: the system node group (fixed, On-Demand, tainted for system pods: the API never runs
 * there — EKS best practice for a dedicated system group, as the seed describes it), and nodes
 * Karpenter launches; a launching node becomes Ready after its launch time, a disrupted one goes
 * when its pods have left (or at its Spot deadline). Node time is metered from launch to end.
 *
 * The cluster starts in a steady state: api.replicas pods already Ready on nodes Karpenter
 * would have chosen for them, with the image present.
 *
 * How many pods there are and on which nodes is the control plane's (src/ctl/, reached through
 * r->ctl): this file tells it when a pod finds no room (ctl_pod_pending), becomes Ready
 * (ctl_deploy_reconcile) or goes (ctl_reconcile), and carries out what it decides through the
 * operations of control.c.
 */
#include "engine/internal.h"

#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ARG(i) ((void *)(intptr_t)(i))
#define ID(a)  ((int)(intptr_t)(a))

/* DaemonSet pods on every node (aws-node, kube-proxy): they take pod slots too. */
#define DAEMONSET_PODS 2

/* ---------------------------------------------------------------- routes (the ALB's targets) */

void eng__route_add(eng__run *r, eng__pod *p)
{
    if (p->route >= 0)
        return;
    p->route = (int)r->nroutes;
    eng__flow_pod_join(r, p);
    mdl_target *t = &r->routes[r->nroutes++];
    t->ready = true;
    t->outstanding = p->outstanding;
    t->id = p->id;
}

void eng__route_remove(eng__run *r, eng__pod *p)
{
    if (p->route < 0)
        return;
    eng__flow_pod_sync(r, p); /* the CPU it used while serving, before it stops */
    size_t i = (size_t)p->route, last = r->nroutes - 1;
    if (i != last) {
        r->routes[i] = r->routes[last];
        r->pods[r->routes[i].id]->route = (int)i;
    }
    r->nroutes--;
    p->route = -1;
}

/* The counts walk the live list (a pod gone since its last compaction is still in it, and
 * counted by neither): a long day makes many more pods than live at once (Black Friday's report,
 * -r 2: about 1,200 made, 930 Ready at the peak, far fewer at night), and the ReplicaSet
 * controller counts at every reconcile. */
int eng__pods_ready(const eng__run *r)
{
    int n = 0;
    for (size_t i = 0; i < r->nalive; i++)
        n += r->pods[r->alive[i]]->state == P_READY;
    return n;
}

int eng__pods_existing(const eng__run *r)
{
    int n = 0;
    for (size_t i = 0; i < r->nalive; i++) {
        int st = r->pods[r->alive[i]]->state;
        n += st < P_TERMINATING || st == P_CRASHED;
    }
    return n;
}

/* The pods that went since the last call leave the list here, in one pass that keeps the
 * others' order (the controllers' loops visit pods by increasing index, as they always did:
 * Karpenter's batch and the scheduler's retries place them in that order). */
size_t eng__pods_live(eng__run *r, const size_t **ids)
{
    if (r->alive_stale) {
        size_t k = 0;
        for (size_t i = 0; i < r->nalive; i++)
            if (r->pods[r->alive[i]]->state != P_GONE)
                r->alive[k++] = r->alive[i];
        r->nalive = k;
        r->alive_stale = false;
    }
    *ids = r->alive;
    return r->nalive;
}

/* ---------------------------------------------------------------- nodes */

static const cost_instance_type *node_type(const eng__run *r, const eng__node *n)
{
    return &r->s->cluster.catalog.types[n->type];
}

/* Room on a node for one more API pod. */
static bool node_fits(const eng__run *r, const eng__node *n)
{
    const cost_instance_type *t = node_type(r, n);
    const mdl_api_config *a = &r->s->api;
    return !n->system && (n->state == N_READY || n->state == N_LAUNCHING) && (t->arch & a->arch) &&
           (n->capacity != MDL_CAP_SPOT || a->spot_ok) &&
           t->alloc_cpu - r->s->cluster.daemonset_cpu - n->used_cpu >= a->cpu_request &&
           t->alloc_memory - r->s->cluster.daemonset_memory - n->used_memory >= a->memory_request &&
           n->npods + DAEMONSET_PODS < t->max_pods;
}

/* LeastAllocated score: the mean free share of CPU and memory after placing the pod. */
static double node_score(const eng__run *r, const eng__node *n)
{
    const cost_instance_type *t = node_type(r, n);
    double cpu =
        (double)(t->alloc_cpu - r->s->cluster.daemonset_cpu - n->used_cpu - r->s->api.cpu_request) /
        (double)t->alloc_cpu;
    double mem = (double)(t->alloc_memory - r->s->cluster.daemonset_memory - n->used_memory -
                          r->s->api.memory_request) /
                 (double)t->alloc_memory;
    return (cpu + mem) / 2;
}

static void on_node_ready(void *ctx, void *arg);
static void on_spot_notice(void *ctx, void *arg);
static void on_node_deadline(void *ctx, void *arg);

int eng__node_new(eng__run *r, int type, int capacity, int pool, bool system, bool ready_now)
{
    eng__node **a = base_grow(r->nodes, &r->capnodes, r->nnodes + 1, sizeof *a, 16);
    if (!a)
        return -1;
    r->nodes = a;
    eng__node *n = base_calloc(1, sizeof *n);
    if (!n)
        return -1;
    /* spread over the AZs that are up, in turn (Karpenter balances across the NodePool's
     * zones; the system node group's ASG likewise) */
    for (int k = 0; k < MDL_AZS; k++) {
        int az = (r->next_az + k) % MDL_AZS;
        if (!r->az_down[az]) {
            n->az = az;
            r->next_az = az + 1;
            break;
        }
    }
    int id = (int)r->nnodes;
    r->nodes[r->nnodes++] = n;
    n->id = id;
    n->type = type;
    n->capacity = capacity;
    n->pool = pool;
    n->system = system;
    sim_time now = sim_now(r->k);
    n->launched = now;
    n->last_change = now;
    n->image_at = ready_now ? now : SIM_NEVER;
    if (ready_now) {
        n->state = N_READY;
        n->ready_at = now;
    } else {
        n->state = N_LAUNCHING;
        r->out->nodes_launched += 1;
        n->ev = sim_schedule(r->k, sim_dist_sample(&r->s->cluster.launch, r->r_nodes),
                             on_node_ready, r, ARG(id));
    }
    /* Spot: a constant interruption hazard while the instance runs (behaviour.md §4) */
    if (capacity == MDL_CAP_SPOT && r->s->cluster.spot_interruption_rate > 0) {
        double hours = sim_rng_exponential(r->r_spot, 1.0 / r->s->cluster.spot_interruption_rate);
        sim_schedule(r->k, sim_from_sec(hours * 3600.0), on_spot_notice, r, ARG(id));
    }
    return id;
}

static void pod_start(eng__run *r, eng__pod *p);

static void on_node_ready(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__node *n = r->nodes[ID(arg)];
    n->ev = SIM_NO_EVENT;
    if (n->state != N_LAUNCHING)
        return;
    n->state = N_READY;
    n->ready_at = sim_now(r->k);
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->state == P_BOUND && p->node == n->id)
            pod_start(r, p);
    }
    /* pods that went Pending since the launch may fit in what is left */
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->state == P_PENDING && node_fits(r, n))
            eng__pod_schedule(r, p);
    }
}

/* The node is out of the cluster's capacity from now (no pod is scheduled on it, nothing is
 * launched for it) and its instance time metered. */
static void node_off(eng__run *r, eng__node *n)
{
    sim_cancel(r->k, n->ev);
    n->ev = SIM_NO_EVENT;
    n->state = N_GONE;
    n->gone_at = sim_now(r->k);
    eng__meter_node(r, n, n->launched, n->gone_at);
}

/* The node goes away now: its remaining pods are killed and replaced. */
void eng__node_gone(eng__run *r, eng__node *n)
{
    if (n->state == N_GONE)
        return;
    node_off(r, n);
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->node == n->id && p->state != P_GONE)
            eng__pod_kill(r, p);
    }
    ctl_reconcile(r->ctl);
}

static void on_pod_evicted(void *ctx, void *arg);
static void on_target_unhealthy(void *ctx, void *arg);
static sim_time alb_detection(eng__run *r);
static void pod_gone(eng__run *r, eng__pod *p);

void eng__node_lost(eng__run *r, eng__node *n)
{
    if (n->state == N_GONE)
        return;
    node_off(r, n);
    const mdl_cluster_config *c = &r->s->cluster;
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->node != n->id || p->state == P_GONE)
            continue;
        if (p->state == P_READY)
            eng__flow_pod_lost(r, p); /* before its route goes: it was serving */
        sim_cancel(r->k, p->ev);
        bool ran = p->state == P_READY || p->state == P_RUNNING || p->state == P_TERMINATING;
        p->state = P_CRASHED; /* before its requests are failed: the pod stays bound */
        if (ran) {
            eng__pod_drop_serving(r, p, MDL_ERR_POD_TERMINATED);
            eng__pod_pool_close(r, p);
        }
        /* metrics-server cannot reach the node */
        ctl_pod_unreachable(r->ctl, (size_t)p->id);
        if (p->route >= 0) /* the ALB finds out by its health checks, as for a crash */
            sim_schedule(r->k, alb_detection(r), on_target_unhealthy, r, ARG(p->id));
        p->ev = sim_schedule(r->k, c->unreachable_grace + c->unreachable_toleration, on_pod_evicted,
                             r, ARG(p->id));
    }
}

/* Cordons the node and evicts its pods (they terminate gracefully; the Deployment replaces
 * them); the node goes when empty, or at `deadline` (SIM_NEVER: none). */
void eng__node_disrupt(eng__run *r, eng__node *n, sim_time deadline)
{
    if (n->state == N_GONE)
        return;
    if (n->state != N_DISRUPTING) {
        if (n->state == N_LAUNCHING)
            sim_cancel(r->k, n->ev);
        n->state = N_DISRUPTING; /* Karpenter's budgets count these (src/ctl/karpenter.c) */
    }
    if (deadline != SIM_NEVER)
        n->ev = sim_schedule_at(r->k, deadline, on_node_deadline, r, ARG(n->id));
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->node == n->id && p->state < P_TERMINATING)
            eng__pod_terminate(r, p);
    }
    if (n->npods == 0)
        eng__node_gone(r, n);
    else
        ctl_reconcile(r->ctl);
}

static void on_node_deadline(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__node_gone(r, r->nodes[ID(arg)]);
}

static void on_spot_notice(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__node *n = r->nodes[ID(arg)];
    if (n->state == N_GONE)
        return;
    r->out->spot_interruptions += 1;
    /* Karpenter taints and drains at once and pre-spins replacements (disruption.md); the
     * instance stops at the end of the notice */
    eng__node_disrupt(r, n, sim_now(r->k) + r->s->cluster.spot_notice);
}

void eng__spot_notice(eng__run *r, eng__node *n)
{
    on_spot_notice(r, ARG(n->id));
}

/* ---------------------------------------------------------------- pods */

static void on_container_up(void *ctx, void *arg);
static void on_probe(void *ctx, void *arg);
static void note_ready(eng__run *r);
static void on_health_check(void *ctx, void *arg);
static void on_grace_over(void *ctx, void *arg);
/* The taint-based eviction of a pod on an unreachable node: deleted at last, so that the
 * Deployment replaces it. */
static void on_pod_evicted(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->ev = SIM_NO_EVENT;
    if (p->state != P_CRASHED)
        return;
    pod_gone(r, p);
    ctl_reconcile(r->ctl);
}

static void on_oom(void *ctx, void *arg);

eng__pod *eng__pod_new(eng__run *r, int version)
{
    /* the pods and their routes share one capacity: each grown from the same, cappods set
     * only once both are (a failure leaves it as it was, the grown one merely larger) */
    size_t cap_pods = r->cappods, cap_routes = r->cappods;
    eng__pod **a = base_grow(r->pods, &cap_pods, r->npods + 1, sizeof *a, 64);
    if (!a)
        return NULL;
    r->pods = a;
    mdl_target *t = base_grow(r->routes, &cap_routes, r->npods + 1, sizeof *t, 64);
    if (!t)
        return NULL;
    r->routes = t;
    r->cappods = cap_pods;
    size_t *live = base_grow(r->alive, &r->capalive, r->nalive + 1, sizeof *live, 64);
    if (!live)
        return NULL;
    r->alive = live;
    eng__pod *p = base_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->st = mdl_station_new(r->s->api.workers, (size_t)r->s->api.backlog);
    if (r->throttled)
        p->ps_reqs = base_calloc((size_t)r->s->api.workers, sizeof *p->ps_reqs);
    if (!p->st || (r->throttled && !p->ps_reqs)) {
        mdl_station_free(p->st);
        free(p->ps_reqs);
        free(p);
        return NULL;
    }
    p->id = (int)r->npods;
    r->alive[r->nalive++] = r->npods;
    r->pods[r->npods++] = p;
    p->node = -1;
    p->route = -1;
    p->version = version;
    p->state = P_PENDING;
    p->created = sim_now(r->k);
    r->out->pods_created += 1;
    return p;
}

static void bind(eng__run *r, eng__pod *p, eng__node *n)
{
    p->node = n->id;
    n->used_cpu += r->s->api.cpu_request;
    n->used_memory += r->s->api.memory_request;
    n->npods++;
    n->last_change = sim_now(r->k);
}

static void unbind(eng__run *r, eng__pod *p)
{
    if (p->node < 0)
        return;
    eng__node *n = r->nodes[p->node];
    n->used_cpu -= r->s->api.cpu_request;
    n->used_memory -= r->s->api.memory_request;
    n->npods--;
    n->last_change = sim_now(r->k);
    if (n->state == N_DISRUPTING && n->npods == 0)
        eng__node_gone(r, n);
}

/* The container starts on its (Ready) node: pull the image unless the node has it. */
static void pod_start(eng__run *r, eng__pod *p)
{
    eng__node *n = r->nodes[p->node];
    sim_time now = sim_now(r->k);
    sim_time pulled = now;
    if (n->image_at == SIM_NEVER) {
        n->image_at = now + sim_dist_sample(&r->s->api.image_pull, r->r_pods);
        r->out->usage.image_pulls += 1;
        r->out->usage.nat_bytes += (double)r->s->api.image_bytes;
    }
    if (n->image_at > pulled)
        pulled = n->image_at; /* the kubelet pulls once; later pods wait for that pull */
    p->state = P_STARTING;
    sim_time up = pulled - now + sim_dist_sample(&r->s->api.container_start, r->r_pods);
    p->ev = sim_schedule(r->k, up, on_container_up, r, ARG(p->id));
}

/* The pod is placed on a node now if one has room, on a launching node with room otherwise,
 * else it waits for Karpenter. */
void eng__pod_schedule(eng__run *r, eng__pod *p)
{
    if (!r->s->cluster.enabled) {
        /* no nodes modelled: the pod starts at once where capacity is unlimited */
        p->state = P_STARTING;
        p->ev = sim_schedule(r->k, 0, on_container_up, r, ARG(p->id));
        return;
    }
    int best = -1;
    double best_score = -1;
    for (size_t i = 0; i < r->nnodes; i++) {
        eng__node *n = r->nodes[i];
        if (n->state != N_READY || !node_fits(r, n))
            continue;
        double sc = node_score(r, n);
        if (sc > best_score) {
            best_score = sc;
            best = (int)i;
        }
    }
    if (best >= 0) {
        bind(r, p, r->nodes[best]);
        pod_start(r, p);
        return;
    }
    for (size_t i = 0; i < r->nnodes; i++) {
        eng__node *n = r->nodes[i];
        if (n->state == N_LAUNCHING && node_fits(r, n)) {
            bind(r, p, n); /* Karpenter counts its in-flight NodeClaims' room */
            p->state = P_BOUND;
            return;
        }
    }
    p->state = P_PENDING;
    ctl_pod_pending(r->ctl);
}

/* Places p on node n (Karpenter's nomination): started when the node is Ready. */
void eng__pod_nominate(eng__run *r, eng__pod *p, eng__node *n)
{
    bind(r, p, n);
    if (n->state == N_READY)
        pod_start(r, p);
    else
        p->state = P_BOUND;
}

static void on_container_up(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->ev = SIM_NO_EVENT;
    if (p->state != P_STARTING)
        return;
    sim_time now = sim_now(r->k);
    eng__pod_pool_open(r, p); /* its workers connect (again, after a crash) */
    p->state = P_RUNNING;
    p->started = now;
    p->cpu_last = now;
    p->probe_ok = 0;
    if (!r->s->cluster.enabled) {
        /* queueing checks: Ready and routable at once */
        p->state = P_READY;
        p->ready_since = now;
        eng__route_add(r, p);
        return;
    }
    const mdl_probe *pr = &r->s->api.readiness;
    sim_time first =
        pr->initial_delay + (sim_time)(sim_rng_uniform(r->r_pods) * (double)pr->period);
    p->ev = sim_schedule(r->k, first, on_probe, r, ARG(p->id));
}

static void on_probe(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->ev = SIM_NO_EVENT;
    if (p->state != P_RUNNING)
        return;
    /* the app answers /ready as soon as it listens */
    if (++p->probe_ok < r->s->api.readiness.success_threshold) {
        p->ev = sim_schedule(r->k, r->s->api.readiness.period, on_probe, r, ARG(p->id));
        return;
    }
    p->state = P_READY;
    p->ready_since = sim_now(r->k);
    note_ready(r);
    /* registered as an ALB target: routable after its first health check passes */
    sim_time hc = (sim_time)(sim_rng_uniform(r->r_pods) * (double)r->s->alb.hc_interval);
    p->ev = sim_schedule(r->k, hc, on_health_check, r, ARG(p->id));
    ctl_deploy_reconcile(r->ctl);
}

/* Records, for each scale-up not yet met, when the Ready pods first reached its target. */
static void note_ready(eng__run *r)
{
    eng_rep *o = r->out;
    int ready = -1;
    for (size_t i = 0; i < o->nscale; i++) {
        if (o->scale[i].to <= o->scale[i].from || o->first_ready_after[i] >= 0)
            continue;
        if (ready < 0)
            ready = eng__pods_ready(r);
        if (ready >= o->scale[i].to)
            o->first_ready_after[i] = sim_to_sec(sim_now(r->k)) - o->scale[i].t;
    }
}

static void on_health_check(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->ev = SIM_NO_EVENT;
    if (p->state == P_READY)
        eng__route_add(r, p);
}

static void pod_gone(eng__run *r, eng__pod *p)
{
    if (p->state >= P_RUNNING && p->state != P_GONE)
        eng__pod_pool_close(r, p);
    sim_cancel(r->k, p->ev);
    p->ev = SIM_NO_EVENT;
    eng__route_remove(r, p);
    eng__pod_cpu_account(r, p);
    p->state = P_GONE;
    r->alive_stale = true; /* it leaves the live list at the next read */
    unbind(r, p);
}

/* SIGTERM: out of the ALB, backlog refused, in-flight requests get the grace period. */
void eng__pod_terminate(eng__run *r, eng__pod *p)
{
    if (p->state >= P_TERMINATING && p->state != P_CRASHED)
        return;
    if (p->state < P_RUNNING || p->state == P_CRASHED) {
        pod_gone(r, p); /* nothing running yet (or any more): it just goes */
        return;
    }
    sim_cancel(r->k, p->ev);
    p->ev = SIM_NO_EVENT;
    eng__route_remove(r, p);
    p->state = P_TERMINATING;
    eng__pod_drop_queued(r, p, MDL_ERR_POD_TERMINATED);
    if (p->outstanding == 0) {
        pod_gone(r, p);
        return;
    }
    /* in-flight requests get the grace period, or the ALB's deregistration delay if shorter
     * (then the ALB itself cuts them) */
    sim_time grace = r->s->api.termination_grace < r->s->alb.deregistration_delay
                         ? r->s->api.termination_grace
                         : r->s->alb.deregistration_delay;
    p->ev = sim_schedule(r->k, grace, on_grace_over, r, ARG(p->id));
}

/* SIGKILL now (its node went away). */
void eng__pod_kill(eng__run *r, eng__pod *p)
{
    if (p->state == P_GONE)
        return;
    if (p->state == P_READY)
        eng__flow_pod_lost(r, p); /* before its route goes: it was serving */
    eng__route_remove(r, p);
    if (p->state == P_TERMINATING || p->state == P_READY || p->state == P_RUNNING) {
        p->state = P_TERMINATING; /* so that the last request leaving does not re-enter */
        eng__pod_drop_serving(r, p, MDL_ERR_POD_TERMINATED);
    }
    if (p->state != P_GONE)
        pod_gone(r, p);
}

void eng__pod_idle(eng__run *r, eng__pod *p)
{
    if (p->state == P_TERMINATING)
        pod_gone(r, p);
}

static void on_grace_over(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->ev = SIM_NO_EVENT;
    if (p->state != P_TERMINATING)
        return;
    eng__pod_drop_serving(r, p, MDL_ERR_POD_TERMINATED);
    if (p->state != P_GONE)
        pod_gone(r, p);
}

/* The container crossed its memory limit: the kernel kills it; the kubelet restarts it. */
void eng__pod_oom(eng__run *r, eng__pod *p)
{
    if (p->oom_pending)
        return;
    p->oom_pending = true;
    sim_schedule(r->k, 0, on_oom, r, ARG(p->id)); /* not from inside the request path */
}

static void on_restart(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->ev = SIM_NO_EVENT;
    if (p->state != P_CRASHED)
        return;
    p->state = P_STARTING; /* the image is on the node */
    p->ev = sim_schedule(r->k, sim_dist_sample(&r->s->api.container_start, r->r_pods),
                         on_container_up, r, ARG(p->id));
}

/* The ALB's health checks find a crashed target: the first failing check comes at a random
 * phase of the interval, and `unhealthy_threshold` failures in a row take it out. */
static sim_time alb_detection(eng__run *r)
{
    const mdl_alb_config *a = &r->s->alb;
    return (sim_time)(sim_rng_uniform(r->r_pods) * (double)a->hc_interval) +
           (sim_time)(a->hc_unhealthy - 1) * a->hc_interval;
}

static void on_target_unhealthy(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    if (p->state != P_READY)
        eng__route_remove(r, p);
}

static void on_oom(void *ctx, void *arg)
{
    eng__run *r = ctx;
    eng__pod *p = r->pods[ID(arg)];
    p->oom_pending = false;
    if (p->state != P_READY && p->state != P_RUNNING)
        return;
    sim_cancel(r->k, p->ev);
    /* the ALB keeps sending to it until its health checks notice (502 target_down) */
    p->state = P_CRASHED; /* before its requests are failed: a crashed pod stays bound */
    eng__pod_drop_serving(r, p, MDL_ERR_OOM_KILLED);
    eng__pod_pool_close(r, p); /* the dead workers' connections close with them */
    if (p->route >= 0)
        sim_schedule(r->k, alb_detection(r), on_target_unhealthy, r, ARG(p->id));
    p->ev = sim_schedule(r->k, r->s->api.restart_backoff, on_restart, r, ARG(p->id));
}

/* ---------------------------------------------------------------- set-up */

/* The system node group's nodes, Ready now (the start of a run, or the DR region's). */
static int add_system_nodes(eng__run *r)
{
    const mdl_scenario *s = r->s;
    const cost_catalog *cat = &s->cluster.catalog;
    for (size_t i = 0; i < cat->n; i++)
        if (!strcmp(cat->types[i].name, s->cluster.system_type))
            for (int k = 0; k < s->cluster.system_nodes; k++)
                if (eng__node_new(r, (int)i, MDL_CAP_ON_DEMAND, -1, true, true) < 0)
                    return BASE_ENOMEM;
    return BASE_OK;
}

/* Every pod that exists and is not Ready yet becomes Ready and routable now, as if it had been
 * running for a while (past the HPA's CPU initialisation period): the initial pods of a run
 * (`initial`: created then too), or the DR region's warm standby taking the traffic. */
static void ready_now(eng__run *r, bool initial)
{
    sim_time now = sim_now(r->k);
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->state == P_GONE || p->state == P_READY)
            continue;
        if (initial) {
            p->created = now - r->s->hpa.cpu_initialization_period;
        } else { /* a pod that was on its way up (scheduled in the outage) is up */
            sim_cancel(r->k, p->ev);
            p->ev = SIM_NO_EVENT;
        }
        eng__pod_pool_open(r, p);
        p->state = P_READY;
        p->started = p->ready_since = now - r->s->hpa.cpu_initialization_period;
        p->cpu_last = now;
        eng__route_add(r, p);
    }
}

int eng__cluster_init(eng__run *r, base_err *err)
{
    const mdl_scenario *s = r->s;
    int st = eng__control_init(r, err); /* the Deployment's replicas, Karpenter */
    if (st != BASE_OK)
        return st;
    int desired = ctl_desired(r->ctl);
    if (s->cluster.enabled && add_system_nodes(r) != BASE_OK)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    /* the steady state at t = 0: the initial pods Ready, on nodes chosen as Karpenter would */
    for (int i = 0; i < desired; i++)
        if (!eng__pod_new(r, 0))
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (s->cluster.enabled) {
        st = ctl_provision(r->ctl, true);
        if (st == BASE_ENOMEM)
            return base_err_set(err, st, NULL, 0, 0, "out of memory");
        if (st != BASE_OK)
            return base_err_set(err, st, NULL, 0, 0,
                                "the initial %d pods fit no instance type of the NodePools",
                                desired);
    }
    ready_now(r, true);
    return BASE_OK;
}

int eng__cluster_dr_start(eng__run *r)
{
    if (r->s->cluster.enabled) {
        int st = add_system_nodes(r);
        if (st == BASE_OK)
            st = ctl_provision(r->ctl, true);
        if (st != BASE_OK)
            return st;
    }
    ready_now(r, false);
    return BASE_OK;
}

void eng__cluster_free(eng__run *r)
{
    eng__control_free(r);
    for (size_t i = 0; i < r->npods; i++) {
        mdl_station_free(r->pods[i]->st);
        free(r->pods[i]->ps_reqs);
        /* a pod still running at the end keeps its PgBouncer pool's wait queue (database.c
         * frees it only when the pod goes: eng__pod_pool_close) */
        free(r->pods[i]->pool.wait);
        free(r->pods[i]);
    }
    free(r->pods);
    free(r->alive);
    free(r->routes);
    for (size_t i = 0; i < r->nnodes; i++)
        free(r->nodes[i]);
    free(r->nodes);
}
