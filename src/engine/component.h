/*
 * component.h — what a component of the architecture is to the engines (eng__ names, internal to
 * src/engine/): a const table of functions over the component's own state, in the manner of
 * ROSS's `tw_lptype` and Redis's `dictType`. The engines keep one ordered chain of them (chain.c,
 * the order of a request's path from the viewer inwards) and walk it: the request engine one
 * request at a time (`request`), the flow engine one step's counts at a time (`flow`); both call
 * `tick` at the end of each series interval and `meter` once at the end of the run.
 *
 * Adding a component is one file that defines an `eng__component` and one row in chain.c's
 * table (docs/architecture.md shows it with CloudFront). Which components are in the chain today,
 * and which parts of the path (pods, the data tier, the control plane) still live in the engines'
 * own files, is listed there too.
 */
#ifndef SIMULATE_ENGINE_COMPONENT_H
#define SIMULATE_ENGINE_COMPONENT_H

#include "engine/internal.h"

/* One request at one component, on the request engine's path. */
typedef struct eng__hop {
    mdl_class cls;
    sim_time at;    /* when it reached the edge, ns */
    bool measured;  /* its outcome counts in the report (the warm-up is over, the run not) */
    sim_time delay; /* in: ns from the edge to this component; out: to the next one, or with
                     * ENG__SERVED the latency the viewer saw */
} eng__hop;

/* What a component did with a request (eng__hop) */
enum eng__outcome {
    ENG__PASS,   /* on to the next component, `delay` later */
    ENG__SERVED, /* answered here after `delay` */
    ENG__TAKEN   /* taken on here (the pods): its own events finish it and record its outcome */
};

/* One flow step's requests at one component. Outcomes are handed back through `served` and
 * `failed` (the engine's recorders: latency histograms, error counts, the series); what the
 * component leaves in `n` and `e` goes on to the next one. */
typedef struct eng__flow_hop {
    double n[MDL_NCLASS]; /* in: the step's drawn requests reaching it; out: those it passes on */
    double e[MDL_NCLASS]; /* the same as expectations: the queues' state follows these, so a
                           * step's luck cannot flip a regime (flow.c) */
    sim_time now, dt;     /* the step [now, now + dt), ns */
    bool any;             /* the step has arrivals (n sums above 0 at the chain's head) */
    bool measured;        /* outcomes count in the report (the warm-up is over) */
    sim_rng *g;           /* the flow engine's step stream: latency samples */
    int k_samples;        /* latency samples drawn per served class and step */
    void *eng;            /* the engine, for the two recorders */
    /* `w` requests of class `cls` served here with latency `lat` ns */
    void (*served)(void *eng, int cls, int64_t lat, double w, bool measured);
    /* `n` requests failed here with `cause` */
    void (*failed)(void *eng, mdl_cause cause, double n, bool measured);
} eng__flow_hop;

/* A component. `init` is required; every other slot may be NULL, which means the component
 * takes no part in that walk. All slots but `init` take the state `init` made as their first
 * argument (the one callback shape: context first). */
typedef struct eng__component {
    const char *name; /* the scenario's section: "cloudfront", "alb", ... */
    /* Made from the scenario for one replication: its state in *state (never NULL on success;
     * a component the scenario leaves out still gets one, which knows it is off). Its random
     * streams, if any, it creates from r->s->seed and r->out->replication. Its handle in
     * eng__run, if the engines' own files call it by name, it sets itself. The components
     * before it in the chain are made: a later one may use an earlier one's state. Errors:
     * BASE_ENOMEM with err set, *state NULL. */
    int (*init)(eng__run *r, void **state, base_err *err);
    void (*free)(void *state);
    /* The run begins (every component made): its own events, a recurring tick or a window,
     * scheduled with the state as their context. */
    void (*start)(void *state);
    /* Request engine: one request reaches it (h->cls; h->delay since the edge). */
    enum eng__outcome (*request)(void *state, eng__hop *h);
    /* Request engine: whether this replication's requests need `request` at all (NULL: they
     * do). A component whose step would change nothing for the scenario (CloudFront switched
     * off and no static requests) says no once, at the chain's set-up, and the walk leaves it
     * out: a request pays nothing for a component the scenario does not use. */
    bool (*on_path)(const void *state);
    /* Flow engine: one step's requests reach it. */
    void (*flow)(void *state, eng__flow_hop *h);
    /* The end of a series interval of dt seconds at `now` (record.c's tick). */
    void (*tick)(void *state, sim_time now, double dt);
    /* The end of the run at `end`: what it bills and counts into the usage the cost model
     * prices (cost_usage); a component that bills nothing by use (alarms, the DR region) writes
     * what it judged or ran into the replication's record (its state keeps eng_rep). The series
     * is flushed by then (record.c). */
    void (*meter)(void *state, sim_time end, cost_usage *u);
    /* Room for what is coming (issue 14), NULL in every component today and called by nobody
     * yet: writing its deployment config (src/emit/ does this from the scenario now), reading
     * one back (import), and naming the knobs a planner may turn. Their shapes are fixed when
     * their first user arrives, so none is declared here beyond the slot. */
    const void *emit, *import, *knobs;
} eng__component;

/* A component's state for its `init` (chain.c): `size` zeroed bytes in *state, whose first
 * member is a `sim_rng *`: with `stream` non-NULL, the random stream of that name for this
 * replication (r->s->seed, r->out->replication), else NULL. `what` names the component in the
 * out-of-memory message. eng__state_free frees both and fits the `free` slot. */
int eng__state_new(eng__run *r, size_t size, const char *stream, const char *what, void **state,
                   base_err *err);
void eng__state_free(void *state);

/* The chain (chain.c): every component in the order of a request's path. */
int eng__chain_init(eng__run *r, base_err *err);
void eng__chain_free(eng__run *r);
void eng__chain_start(eng__run *r);
/* One request along the chain: ENG__SERVED when a component answered it (h->delay its
 * latency); else ENG__TAKEN, the pods (the last component) having taken it on. */
enum eng__outcome eng__chain_request(eng__run *r, eng__hop *h);
void eng__chain_flow(eng__run *r, eng__flow_hop *h);
void eng__chain_tick(eng__run *r, sim_time now, double dt);
void eng__chain_meter(eng__run *r);

/* The two `request` slots the chain's resolved walk calls directly (chain.c): alb.c's (always
 * ENG__PASS) and pods.c's (always ENG__TAKEN). */
enum eng__outcome eng__alb_request(void *state, eng__hop *h);
enum eng__outcome eng__pods_request(void *state, eng__hop *h);

/* request.c: the end of a request's app phase (a sim_fn: ctx the run, arg the request), which
 * pods.c's plain workers schedule themselves */
void eng__on_app_done(void *ctx, void *arg);

/* The components (one file each) */
extern const eng__component eng__cloudfront_component; /* cloudfront.c */
extern const eng__component eng__route53_component;    /* route53.c */
extern const eng__component eng__alb_component;        /* alb.c */
extern const eng__component eng__schedule_component;   /* schedule.c */
extern const eng__component eng__pods_component;       /* pods.c */
extern const eng__component eng__redis_component;      /* redis.c */
extern const eng__component eng__pgbouncer_component;  /* pgbouncer.c */
extern const eng__component eng__database_component;   /* database.c, instance.c */
extern const eng__component eng__aurora_component;     /* aurora.c */
extern const eng__component eng__rds_component;        /* rds.c */
extern const eng__component eng__alarms_component;     /* alarms.c */
extern const eng__component eng__dr_component;         /* region.c */

#endif
