/*
 * hpa.c — metrics-server's scrapes and the HorizontalPodAutoscaler's syncs, as discrete events
 * reading the pods' CPU through the engine's operations. The decision itself is the model's
 * (model/hpa.c); this file feeds it what the real controller would see and hands the new replica
 * count to the ReplicaSet controller (deploy.c). metrics-server's samples are this room's, one per
 * pod index.
 */
#include "ctl/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- metrics-server */

/* Room for a sample of each of the engine's n pods (new ones have none). */
static bool samples_reserve(ctl_plane *c, size_t n)
{
    if (n <= c->nsamples)
        return true;
    size_t cap = c->nsamples ? c->nsamples : 64;
    while (cap < n)
        cap *= 2;
    struct ctl__sample *a = base_realloc(c->samples, cap * sizeof *a);
    if (!a)
        return false;
    memset(a + c->nsamples, 0, (cap - c->nsamples) * sizeof *a);
    c->samples = a;
    c->nsamples = cap;
    return true;
}

void ctl__on_scrape(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    const ctl_ops *o = c->ops;
    sim_time now = sim_now(c->k);
    const mdl_api_config *a = &c->s->api;
    size_t n;
    if (!samples_reserve(c, o->npods(c->cl)) || !ctl__read_cpu(c, &n)) {
        o->out_of_memory(c->cl);
        return;
    }
    /* the pods not gone: a gone pod's sample is never read again */
    for (size_t k = 0; k < n; k++) {
        const ctl_pod_cpu *p = &c->cpu[k];
        struct ctl__sample *m = &c->samples[p->id];
        int running = p->phase == CTL_POD_RUNNING || p->phase == CTL_POD_READY ||
                      p->phase == CTL_POD_TERMINATING;
        if (!running) {
            m->has = false;
            m->seen_running = false;
            continue;
        }
        /* a CPU rate needs two readings: the first scrape of a container only starts it */
        if (m->seen_running && now > m->scraped_at) {
            double cores = (p->cpu - m->cpu_scraped) / (double)(now - m->scraped_at);
            m->cpu = (int64_t)(cores * 1000.0 + 0.5);
            m->memory = a->memory_base + a->memory_per_request * p->in_service;
            m->time = now;
            m->has = true;
        }
        m->cpu_scraped = p->cpu;
        m->scraped_at = now;
        m->seen_running = true;
    }
    sim_schedule(c->k, c->s->metrics_resolution, ctl__on_scrape, c, NULL);
}

/* ---------------------------------------------------------------- HPA */

void ctl__on_hpa_sync(void *ctx, void *arg)
{
    (void)arg;
    ctl_plane *c = ctx;
    const ctl_ops *o = c->ops;
    const mdl_scenario *s = c->s;
    sim_time now = sim_now(c->k);
    if (o->schedule_stopped(c->cl)) { /* scaled to 0 by the schedule: the HPA is idle */
        sim_schedule(c->k, s->hpa.sync_period, ctl__on_hpa_sync, c, NULL);
        return;
    }
    size_t np;
    mdl_hpa_pod *view = NULL;
    if (!ctl__read_pods(c, &np) || !(view = base_malloc((np ? np : 1) * sizeof *view))) {
        o->out_of_memory(c->cl);
        return;
    }
    static const struct ctl__sample none;
    size_t n = 0;
    for (size_t k = 0; k < np; k++) {
        const ctl_pod *p = &c->pods[k];
        const struct ctl__sample *m = p->id < c->nsamples ? &c->samples[p->id] : &none;
        mdl_hpa_pod *v = &view[n++];
        memset(v, 0, sizeof *v);
        v->pending = p->phase < CTL_POD_RUNNING;
        v->deleting = p->phase == CTL_POD_TERMINATING;
        v->ready = p->phase == CTL_POD_READY;
        v->start = p->started ? p->started : p->created;
        v->ready_change = v->ready ? p->ready_since : v->start;
        v->has_metrics = m->has && !v->pending;
        v->sample_time = m->time;
        v->sample_window = s->metrics_resolution;
        v->cpu_usage = m->cpu;
        v->memory_usage = m->memory;
        v->cpu_request = s->api.cpu_request;
        v->memory_request = s->api.memory_request;
    }
    int next = mdl_hpa_sync(&s->hpa, &c->hpa, now, c->desired, view, n, &c->hpa_last);
    free(view);
    if (next != c->desired) {
        o->scale_event(c->cl, now, c->desired, next, c->hpa_last.cpu_utilisation);
        ctl_scale_to(c, next);
    }
    sim_schedule(c->k, s->hpa.sync_period, ctl__on_hpa_sync, c, NULL);
}
