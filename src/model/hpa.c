/*
 * hpa.c — the Horizontal Pod Autoscaler's controller (autoscaling/v2), one sync at a time, as
 * kubernetes/kubernetes pkg/controller/podautoscaler does it. Pure: the engine hands in what the
 * controller would see (pods, their readiness and metrics-server samples) and gets back the new
 * replica count, so the algorithm can be checked against a hand computation (tests/test_hpa.c).
 *
 * Per metric (replica_calculator.go GetResourceReplicas, groupPods):
 *   - terminating pods are skipped; Pending pods are set aside ("ignored"); pods without a sample
 *     are "missing"; for CPU, a pod is also set aside while it is not Ready, or, within the
 *     CPU-initialisation period (5 min after start), when its sample's window began before it
 *     became Ready; after that period only a pod that never became Ready is set aside;
 *   - utilisation = ⌊100 · Σusage / Σrequest⌋ over the remaining pods (an integer percent, as the
 *     controller computes it), usage ratio = utilisation / target;
 *   - with nothing set aside or missing: within the tolerance (0.1) keep the count, else
 *     ⌈ratio · pods counted⌉;
 *   - otherwise, on a scale-down missing pods count as using 100% of their request, on a
 *     scale-up as 0%; on a scale-up set-aside pods count as 0%; the ratio is recomputed, and if
 *     it falls within the tolerance or flips direction the count is kept; else ⌈ratio' · n'⌉
 *     unless that moves against the direction.
 * Across metrics the largest proposal wins; if a metric has no sample at all and the others
 * propose a scale-down, nothing changes (HPA docs, "Algorithm details").
 * Then (horizontal.go normalizeDesiredReplicasWithBehaviors): the stabilization windows — the
 * lowest recommendation of the scale-up window and the highest of the scale-down window bound
 * the result — and the policies: over each policy's period, the replicas at the period's start
 * plus N pods or times (1 + P%) (rounded up) for scale-up; minus N, or times (1 − P%) (rounded
 * down) for scale-down; `selectPolicy: Max` takes the policy allowing the largest change. The
 * result is kept within minReplicas..maxReplicas.
 */
#include "model/model.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

void mdl_hpa_state_clear(mdl_hpa_state *st)
{
    free(st->recs.mark);
    free(st->events.mark);
    *st = (mdl_hpa_state){0};
}

enum { RES_CPU, RES_MEMORY };

typedef struct tally {
    int64_t usage, request; /* sums over the pods counted */
    int count;              /* pods counted */
} tally;

static void add(tally *t, int64_t usage, int64_t request)
{
    t->usage += usage;
    t->request += request;
    t->count++;
}

/* ⌊100 · usage / request⌋ as the controller computes utilisation (integer percent). */
static int utilisation(const tally *t)
{
    return t->request > 0 ? (int)(t->usage * 100 / t->request) : 0;
}

/* One resource metric's proposal; -1 when no pod has a usable sample. */
static int resource_replicas(const mdl_hpa_config *cfg, sim_time now, int current,
                             const mdl_hpa_pod *pods, size_t n, int res, int target, int *util)
{
    tally t = {0, 0, 0};
    size_t ignored = 0, missing = 0;
    for (size_t i = 0; i < n; i++) {
        const mdl_hpa_pod *p = &pods[i];
        if (p->deleting)
            continue;
        if (p->pending) {
            ignored++;
            continue;
        }
        if (!p->has_metrics) {
            missing++;
            continue;
        }
        if (res == RES_CPU) {
            int ignore;
            if (now < p->start + cfg->cpu_initialization_period)
                ignore = !p->ready || p->sample_time < p->ready_change + p->sample_window;
            else
                ignore = !p->ready && p->start + cfg->initial_readiness_delay > p->ready_change;
            if (ignore) {
                ignored++;
                continue;
            }
        }
        add(&t, res == RES_CPU ? p->cpu_usage : p->memory_usage,
            res == RES_CPU ? p->cpu_request : p->memory_request);
    }
    if (t.count == 0)
        return -1;
    *util = utilisation(&t);
    double ratio = (double)*util / target;
    int rebalance = ignored > 0 && ratio > 1.0;
    if (!rebalance && missing == 0) {
        if (fabs(1.0 - ratio) <= cfg->tolerance)
            return current;
        return (int)ceil(ratio * t.count);
    }
    /* Second pass: missing pods at 100% of their request on a scale-down, 0% on a scale-up;
     * on a scale-up the pods set aside at 0%. */
    for (size_t i = 0; i < n; i++) {
        const mdl_hpa_pod *p = &pods[i];
        if (p->deleting)
            continue;
        int64_t req = res == RES_CPU ? p->cpu_request : p->memory_request;
        if (!p->pending && !p->has_metrics) {
            if (ratio < 1.0)
                add(&t, req, req);
            else if (ratio > 1.0)
                add(&t, 0, req);
            continue;
        }
        int set_aside = p->pending;
        if (!set_aside && res == RES_CPU) {
            if (now < p->start + cfg->cpu_initialization_period)
                set_aside = !p->ready || p->sample_time < p->ready_change + p->sample_window;
            else
                set_aside = !p->ready && p->start + cfg->initial_readiness_delay > p->ready_change;
        }
        if (set_aside && rebalance)
            add(&t, 0, req);
    }
    double ratio2 = (double)utilisation(&t) / target;
    if (fabs(1.0 - ratio2) <= cfg->tolerance || (ratio < 1.0 && ratio2 > 1.0) ||
        (ratio > 1.0 && ratio2 < 1.0))
        return current;
    int proposal = (int)ceil(ratio2 * t.count);
    if ((ratio2 < 1.0 && proposal > current) || (ratio2 > 1.0 && proposal < current))
        return current;
    return proposal;
}

/* Σ of recorded changes of one sign within `period` before now. */
static int changes_within(const mdl_hpa_state *st, sim_time now, sim_time period, int sign)
{
    int sum = 0;
    const mdl_hpa_log *ev = &st->events;
    for (size_t i = 0; i < ev->n; i++)
        if (ev->mark[i].at > now - period && ev->mark[i].value * sign > 0)
            sum += ev->mark[i].value * sign;
    return sum;
}

/* The count the scaling policies allow from `current` in direction `dir` (+1 up, -1 down):
 * each policy's start is the count before the changes within its period, and it proposes that
 * plus (minus) its pods or its percent (rounded up scaling up, down scaling down). selectPolicy
 * Min takes the smallest change, Max the largest: scaling up the smallest (largest) proposal,
 * scaling down the largest (smallest) count. */
static int scale_limit(const mdl_hpa_rules *r, const mdl_hpa_state *st, sim_time now, int current,
                       int dir)
{
    if (r->select == MDL_HPA_DISABLED)
        return current;
    bool smallest = (r->select == MDL_HPA_SELECT_MIN) == (dir > 0);
    int result = smallest ? INT_MAX : INT_MIN;
    for (int i = 0; i < r->npolicies; i++) {
        const mdl_hpa_policy *p = &r->policies[i];
        int start = current - changes_within(st, now, p->period, +1) +
                    changes_within(st, now, p->period, -1);
        int proposed;
        if (p->type == MDL_HPA_PODS) {
            proposed = start + dir * p->value;
        } else {
            double f = (double)start * (1.0 + (double)dir * (double)p->value / 100.0);
            proposed = dir > 0 ? (int)ceil(f) : (int)f;
        }
        result = smallest ? (proposed < result ? proposed : result)
                          : (proposed > result ? proposed : result);
    }
    return result;
}

static sim_time longest_period(const mdl_hpa_rules *r)
{
    sim_time l = 0;
    for (int i = 0; i < r->npolicies; i++)
        if (r->policies[i].period > l)
            l = r->policies[i].period;
    return l;
}

/* Drops the marks that neither of two windows (lengths a and b before now) reads any more,
 * then appends (now, value). */
static void log_add(mdl_hpa_log *log, sim_time now, sim_time a, sim_time b, int value)
{
    sim_time keep = a > b ? a : b;
    size_t w = 0;
    for (size_t i = 0; i < log->n; i++)
        if (log->mark[i].at > now - keep)
            log->mark[w++] = log->mark[i];
    log->n = w;
    struct mdl_hpa_mark *m = base_grow(log->mark, &log->cap, w + 1, sizeof *m, 32);
    if (!m)
        return; /* out of memory: this mark is forgotten, nothing worse */
    log->mark = m;
    m[log->n++] = (struct mdl_hpa_mark){now, value};
}

int mdl_hpa_sync(const mdl_hpa_config *cfg, mdl_hpa_state *st, sim_time now, int current,
                 const mdl_hpa_pod *pods, size_t n, mdl_hpa_trace *trace)
{
    mdl_hpa_trace tr = {-1, -1, 0, 0, current, current, current};
    int desired;
    if (current > cfg->max_replicas) {
        desired = cfg->max_replicas;
    } else if (current < cfg->min_replicas) {
        desired = cfg->min_replicas;
    } else {
        int best = 0, invalid = 0, any = 0;
        /* each metric with a target, CPU then memory (RES_CPU, RES_MEMORY): the largest wins */
        const int target[2] = {cfg->cpu_target, cfg->memory_target};
        int *proposal[2] = {&tr.proposal_cpu, &tr.proposal_memory};
        int *util[2] = {&tr.cpu_utilisation, &tr.memory_utilisation};
        for (int res = RES_CPU; res <= RES_MEMORY; res++) {
            if (target[res] <= 0)
                continue;
            int p = resource_replicas(cfg, now, current, pods, n, res, target[res], util[res]);
            *proposal[res] = p;
            invalid += p < 0;
            any += p >= 0;
            if (p > best)
                best = p;
        }
        if (!any || (invalid && best < current))
            best = current; /* no metrics, or partial metrics proposing a scale-down */
        tr.metric_desired = best;

        /* stabilization: bound by the lowest recent recommendation of the up window and the
         * highest of the down window, the current one included; then remember this one */
        int up_rec = best, down_rec = best;
        const struct mdl_hpa_mark *m = st->recs.mark;
        for (size_t i = 0; i < st->recs.n; i++) {
            if (m[i].at > now - cfg->up.stabilization && m[i].value < up_rec)
                up_rec = m[i].value;
            if (m[i].at > now - cfg->down.stabilization && m[i].value > down_rec)
                down_rec = m[i].value;
        }
        log_add(&st->recs, now, cfg->up.stabilization, cfg->down.stabilization, best);
        int rec = current;
        if (rec < up_rec)
            rec = up_rec;
        if (rec > down_rec)
            rec = down_rec;
        tr.stabilized = rec;

        desired = rec;
        if (rec > current) {
            int limit = scale_limit(&cfg->up, st, now, current, +1);
            if (limit < current)
                limit = current;
            int max_allowed = cfg->max_replicas < limit ? cfg->max_replicas : limit;
            if (desired > max_allowed)
                desired = max_allowed;
        } else if (rec < current) {
            int limit = scale_limit(&cfg->down, st, now, current, -1);
            if (limit > current)
                limit = current;
            int min_allowed = cfg->min_replicas > limit ? cfg->min_replicas : limit;
            if (desired < min_allowed)
                desired = min_allowed;
        }
    }
    if (desired != current)
        log_add(&st->events, now, longest_period(&cfg->up), longest_period(&cfg->down),
                desired - current);
    tr.desired = desired;
    if (trace)
        *trace = tr;
    return desired;
}
