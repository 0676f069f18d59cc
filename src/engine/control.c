/*
 * control.c — the engine's side of the control plane (src/ctl/, ctl.h): the const table of
 * cluster operations it hands the room, over the run, and the control plane made, started and
 * freed with the cluster. The control plane reads the pods and nodes through these operations
 * and acts on them through the cluster's own functions (cluster.c), the data tier's (database.c)
 * and the failures' record (eng__note_fault); it never sees eng__run.
 *
 * The pods' and nodes' life cycle stays here in the engine (cluster.c): the request engine routes
 * every request to a pod and the flow engine integrates the pods' CPU every step, so the pods are
 * the engines' own data; the control plane only decides how many there are and where.
 */
#include "engine/internal.h"

#include <math.h>
#include <stdint.h>

/* ---------------------------------------------------------------- what the control plane reads */

static size_t op_npods(const void *cl)
{
    return ((const eng__run *)cl)->npods;
}

/* The reads walk the live list (cluster.c): the pods that went leave it at the first read after,
 * so a long day's gone pods cost nothing here. */
static size_t op_pods(void *cl, ctl_pod *out)
{
    eng__run *r = cl;
    const size_t *live;
    size_t n = eng__pods_live(r, &live);
    for (size_t k = 0; k < n; k++) {
        const eng__pod *p = r->pods[live[k]];
        ctl_pod *v = &out[k];
        v->id = live[k];
        v->phase = p->state;
        v->node = p->node;
        v->version = p->version;
        v->created = p->created;
        v->started = p->started;
        v->ready_since = p->ready_since;
    }
    return n;
}

static size_t op_pods_cpu(void *cl, ctl_pod_cpu *out)
{
    eng__run *r = cl;
    const size_t *live;
    size_t n = eng__pods_live(r, &live);
    for (size_t k = 0; k < n; k++) {
        eng__pod *p = r->pods[live[k]];
        ctl_pod_cpu *v = &out[k];
        v->id = live[k];
        v->phase = p->state;
        if (p->state == P_RUNNING || p->state == P_READY || p->state == P_TERMINATING) {
            eng__pod_cpu_account(r, p); /* the flow engine's brings in_service up to date too */
            v->in_service = p->in_service;
            v->cpu = p->cpu_area;
        } else {
            v->in_service = 0;
            v->cpu = 0;
        }
    }
    return n;
}

static int op_pods_existing(const void *cl)
{
    return eng__pods_existing(cl);
}

static size_t op_nnodes(const void *cl)
{
    return ((const eng__run *)cl)->nnodes;
}

static size_t op_nodes(const void *cl, ctl_node *out)
{
    const eng__run *r = cl;
    size_t k = 0;
    for (size_t i = 0; i < r->nnodes; i++) {
        const eng__node *n = r->nodes[i];
        if (n->state == N_GONE)
            continue;
        ctl_node *v = &out[k++];
        v->id = i;
        v->phase = n->state;
        v->type = n->type;
        v->capacity = n->capacity;
        v->pool = n->pool;
        v->az = n->az;
        v->system = n->system;
        v->npods = n->npods;
        v->used_cpu = n->used_cpu;
        v->used_memory = n->used_memory;
        v->last_change = n->last_change;
    }
    return k;
}

static bool op_schedule_stopped(const void *cl)
{
    return eng__schedule_stopped(((const eng__run *)cl)->sched);
}

static bool op_region_down(const void *cl)
{
    return eng__dr_region_down(((const eng__run *)cl)->dr);
}

/* ---------------------------------------------------------------- what it does */

static int op_pod_add(void *cl, int version)
{
    eng__run *r = cl;
    eng__pod *p = eng__pod_new(r, version);
    if (!p)
        return -1;
    eng__pod_schedule(r, p);
    return p->id;
}

static void op_pod_schedule(void *cl, size_t i)
{
    eng__run *r = cl;
    eng__pod_schedule(r, r->pods[i]);
}

static void op_pod_nominate(void *cl, size_t pod, int node)
{
    eng__run *r = cl;
    eng__pod_nominate(r, r->pods[pod], r->nodes[node]);
}

static void op_pod_terminate(void *cl, size_t i)
{
    eng__run *r = cl;
    eng__pod_terminate(r, r->pods[i]);
}

static int op_node_new(void *cl, int type, int capacity, int pool, bool immediate)
{
    return eng__node_new(cl, type, capacity, pool, false, immediate);
}

static void op_node_disrupt(void *cl, size_t i)
{
    eng__run *r = cl;
    eng__node_disrupt(r, r->nodes[i], SIM_NEVER);
}

static void op_node_lost(void *cl, size_t i)
{
    eng__run *r = cl;
    eng__node_lost(r, r->nodes[i]);
}

static void op_spot_notice(void *cl, size_t i)
{
    eng__run *r = cl;
    eng__spot_notice(r, r->nodes[i]);
}

static bool op_az_fail(void *cl, int az)
{
    eng__run *r = cl;
    if (r->az_down[az])
        return false;
    r->az_down[az] = true;
    return true;
}

static int op_fault(void *cl, mdl_event_type type, double rpo_s)
{
    eng__run *r = cl;
    eng_fault *f = eng__note_fault(r, type, rpo_s);
    return f ? (int)(f - r->out->faults) : -1;
}

static void op_fault_rpo(void *cl, int fault, double rpo_s)
{
    ((eng__run *)cl)->out->faults[fault].rpo_s = rpo_s;
}

static void op_db_failover(void *cl)
{
    eng__db_failover(cl);
}

static void op_db_outage(void *cl, sim_time down)
{
    eng__db_outage(cl, down);
}

static void op_cache_failover(void *cl)
{
    eng__cache_failover(cl);
}

static void op_scale_event(void *cl, sim_time now, int from, int to, int cpu_pct)
{
    eng_rep *o = ((eng__run *)cl)->out;
    if (o->nscale >= ENG_MAX_SCALE_EVENTS)
        return;
    eng_scale_event *e = &o->scale[o->nscale];
    e->t = sim_to_sec(now);
    e->from = from;
    e->to = to;
    e->cpu_pct = cpu_pct;
    o->first_ready_after[o->nscale] = -1;
    o->nscale++;
}

static void op_out_of_memory(void *cl)
{
    eng__run *r = cl;
    r->oom = 1;
    sim_stop(r->k);
}

static const ctl_ops cluster_ops = {
    .npods = op_npods,
    .pods = op_pods,
    .pods_cpu = op_pods_cpu,
    .pods_existing = op_pods_existing,
    .nnodes = op_nnodes,
    .nodes = op_nodes,
    .schedule_stopped = op_schedule_stopped,
    .region_down = op_region_down,
    .pod_add = op_pod_add,
    .pod_schedule = op_pod_schedule,
    .pod_nominate = op_pod_nominate,
    .pod_terminate = op_pod_terminate,
    .node_new = op_node_new,
    .node_disrupt = op_node_disrupt,
    .node_lost = op_node_lost,
    .spot_notice = op_spot_notice,
    .az_fail = op_az_fail,
    .fault = op_fault,
    .fault_rpo = op_fault_rpo,
    .db_failover = op_db_failover,
    .db_outage = op_db_outage,
    .cache_failover = op_cache_failover,
    .scale_event = op_scale_event,
    .out_of_memory = op_out_of_memory,
};

/* ---------------------------------------------------------------- its life */

int eng__control_init(eng__run *r, base_err *err)
{
    ctl_config cfg = {.s = r->s,
                      .k = r->k,
                      .end = r->end,
                      .phase = r->r_phase,
                      .spot = r->r_spot,
                      .failover = r->r_failover,
                      .ops = &cluster_ops,
                      .cluster = r,
                      .region_failure = eng__on_region_failure,
                      .region = r->dr};
    r->ctl = ctl_new(&cfg);
    return r->ctl ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
}

void eng__control_start(eng__run *r)
{
    ctl_start(r->ctl);
}

void eng__control_free(eng__run *r)
{
    ctl_free(r->ctl);
    r->ctl = NULL;
}

/* A failure of the seed's HA table starts: recorded with its RPO, its RTO measured at the end
 * (record.c). NULL when the list is full (counted, not measured). */
eng_fault *eng__note_fault(eng__run *r, mdl_event_type type, double rpo_s)
{
    eng_rep *o = r->out;
    if (r->fault_at < 0)
        r->fault_at = sim_now(r->k);
    if (o->nfaults == ENG_MAX_FAULTS) {
        o->faults_dropped++;
        return NULL;
    }
    eng_fault *f = &o->faults[o->nfaults++];
    f->type = (int)type;
    f->at_s = sim_to_sec(sim_now(r->k));
    f->rpo_s = rpo_s;
    f->rto_s = f->lost_writes = f->first_served_s = f->failed = f->rto_latency_s = NAN;
    return f;
}
