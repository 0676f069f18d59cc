/*
 * hpa.c — metrics-server's scrapes and the HorizontalPodAutoscaler's syncs, as discrete events
 * reading the pods' CPU. The decision itself is the model's (model/hpa.c); this file feeds it
 * what the real controller would see and hands the new replica count to the ReplicaSet
 * controller (deploy.c).
 */
#include "engine/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- metrics-server */

void eng__on_scrape(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    sim_time now = sim_now(r->k);
    const mdl_api_config *a = &r->s->api;
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        int running = p->state == P_RUNNING || p->state == P_READY || p->state == P_TERMINATING;
        if (!running) {
            p->has_sample = false;
            p->seen_running = false;
            continue;
        }
        eng__pod_cpu_account(r, p);
        /* a CPU rate needs two readings: the first scrape of a container only starts it */
        if (p->seen_running && now > p->scraped_at) {
            double cores = (p->cpu_area - p->cpu_area_scraped) / (double)(now - p->scraped_at);
            p->sample_cpu = (int64_t)(cores * 1000.0 + 0.5);
            p->sample_memory = a->memory_base + a->memory_per_request * p->in_service;
            p->sample_time = now;
            p->has_sample = true;
        }
        p->cpu_area_scraped = p->cpu_area;
        p->scraped_at = now;
        p->seen_running = true;
    }
    sim_schedule(r->k, r->s->metrics_resolution, eng__on_scrape, r, NULL);
}

/* ---------------------------------------------------------------- HPA */

void eng__on_hpa_sync(void *ctx, void *arg)
{
    (void)arg;
    eng__run *r = ctx;
    const mdl_scenario *s = r->s;
    sim_time now = sim_now(r->k);
    if (eng__schedule_stopped(r->sched)) { /* scaled to 0 by the schedule: the HPA is idle */
        sim_schedule(r->k, s->hpa.sync_period, eng__on_hpa_sync, r, NULL);
        return;
    }
    mdl_hpa_pod *view = malloc((r->npods ? r->npods : 1) * sizeof *view);
    if (!view) {
        r->oom = 1;
        sim_stop(r->k);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->npods; i++) {
        eng__pod *p = r->pods[i];
        if (p->state == P_GONE)
            continue;
        mdl_hpa_pod *v = &view[n++];
        memset(v, 0, sizeof *v);
        v->pending = p->state < P_RUNNING;
        v->deleting = p->state == P_TERMINATING;
        v->ready = p->state == P_READY;
        v->start = p->started ? p->started : p->created;
        v->ready_change = v->ready ? p->ready_since : v->start;
        v->has_metrics = p->has_sample && !v->pending;
        v->sample_time = p->sample_time;
        v->sample_window = s->metrics_resolution;
        v->cpu_usage = p->sample_cpu;
        v->memory_usage = p->sample_memory;
        v->cpu_request = s->api.cpu_request;
        v->memory_request = s->api.memory_request;
    }
    int next = mdl_hpa_sync(&s->hpa, &r->hpa, now, r->desired, view, n, &r->hpa_last);
    free(view);
    if (next != r->desired) {
        eng_rep *o = r->out;
        if (o->nscale < ENG_MAX_SCALE_EVENTS) {
            eng_scale_event *e = &o->scale[o->nscale];
            e->t = sim_to_sec(now);
            e->from = r->desired;
            e->to = next;
            e->cpu_pct = r->hpa_last.cpu_utilisation;
            o->first_ready_after[o->nscale] = -1;
            o->nscale++;
        }
        eng__scale_to(r, next);
    }
    sim_schedule(r->k, s->hpa.sync_period, eng__on_hpa_sync, r, NULL);
}
