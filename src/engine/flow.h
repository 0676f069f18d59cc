/*
 * flow.h — what the flow engine's files share (eng__flow names; internal to src/engine/): its
 * state (struct eng__flow), the per-class demand a step offers and the closed loop's state at a
 * throughput. flow.c runs the step; flow_loop.c solves the closed loop (a worker's hold time,
 * the database's and the pools' queues, the sustainable throughput); flow_outcomes.c turns a
 * step's counts into answered and failed requests with their latencies.
 */
#ifndef SIMULATE_ENGINE_FLOW_H
#define SIMULATE_ENGINE_FLOW_H

#include "engine/data.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Latency samples per class per step (each weighted by the requests it stands for): up to
 * K_MAX, fewer on long runs so that a run records about SAMPLES_PER_RUN in all — plenty for the
 * histograms' tails, and a cost per step that does not grow with the load. */
#define K_MAX           24
#define K_MIN           6
#define SAMPLES_PER_RUN 3e6

/* Bisection steps for the sustainable throughput: 2^-50 of the bracket. */
#define BISECT 50

/* Pods that joined together hold the same backlog under round robin (each gets every n-th
 * request and serves at the same pace), so the backlog is kept per cohort of pods: new pods
 * start a cohort with none, while the old ones still work through theirs — as in the request
 * engine, where a pod's listen queue is its own. MAX_COHORTS bounds the bookkeeping: beyond it
 * the two cohorts with the closest backlogs merge. */
#define MAX_COHORTS 32

struct cohort {
    int pods;
    double b;     /* requests waiting at each of its pods */
    double early; /* of those, arrived before the warm-up ended (while `full`) */
    double head;  /* the oldest waiting request's place in the arrival count (below) */
    bool full;    /* the listen backlog overflowed: arrival places are no longer contiguous */
};

/* The arrival count: requests each pod has been sent since the start (round robin sends every
 * pod the same), with the time each step began, so that a backlog served first in, first out
 * knows when its requests arrived. RING steps are kept: more than any wait. */
#define RING 8192

struct eng__flow {
    sim_time dt;
    struct cohort cohorts[MAX_COHORTS]; /* oldest first */
    int ncohorts;
    double acum;                       /* arrivals per pod before this step */
    double cur_per_pod;                /* this step's, per pod */
    double ring_t[RING], ring_a[RING]; /* at each recent step's start: time (s), acum */
    int ring_head, ring_len;
    double *work;         /* the representative pod's workers' remaining work, s */
    double backlog;       /* API requests waiting at the pods, all pods together */
    double backlog_early; /* of those, arrived before the warm-up ended (not measured) */
    double open_per_pod;  /* server connections a pod's pool holds (none, per_pod) */
    double open_central;  /* the central pool's */
    sim_rng *rng;         /* samples */
    sim_rng *r_arrivals;  /* arrival counts */
    sim_rng *r_pods;      /* the pods' CPU noise */
    /* sustainable() is costly (a bisection, then a sum over every worker) and its inputs
     * rarely change: the last answer and what it was for */
    struct {
        int n, redis_down, db_down;
        double cores0, cores1, x;
        int readers;   /* replicas in service (replica scaling changes them) */
        double remote; /* the primary's vCPUs EMEA's writes from eu-west-1 use (geo.c) */
        bool valid;
    } xmax_cache;
    int k_samples;        /* latency samples per class and step */
    int k_fluid;          /* the same for each backlogged cohort this step (they share them) */
    double g, gv;         /* per serving pod: CPU used since the start (core·ns), variance */
    int in_service;       /* requests a serving pod holds, about */
    double busy;          /* the same as a mean: busy workers of a serving pod */
    bool stop_when_empty; /* draining after the last phase */
};

/* Per-class means the formulas need, for this step (Redis may be failing over). */
typedef struct demand {
    double w[MDL_NCLASS];       /* share of the API requests reaching pods */
    double app[MDL_NCLASS];     /* mean app CPU time, s */
    double lookups[MDL_NCLASS]; /* Redis look-ups per request */
    double queries[MDL_NCLASS]; /* queries per request (misses included) */
    double p_tx[MDL_NCLASS];    /* probability that a request makes a transaction */
    double qtime[MDL_NCLASS];   /* mean query CPU time, s */
    double qscv[MDL_NCLASS];
    double app_scv; /* of the app time, mixed over classes */
} demand;

/* The state of the loop at a throughput X (API requests/s reaching the pods). */
typedef struct loop {
    double hold;       /* mean time a worker holds a request, s */
    double hold_scv;   /* its squared coefficient of variation (approximate) */
    double f[2];       /* query slowdown: [0] primary/writer, [1] replicas/readers */
    double db_busy[2]; /* vCPUs busy on the primary, on each replica */
    double redis_wait; /* mean wait for Redis, s */
    double pool_wait;  /* mean wait for a PgBouncer connection, s */
    mdl_mgc pool;      /* the pool's queue */
    mdl_patience tmo;  /* the same with query_wait_timeout: M/M/P+D (used when timed) */
    bool timed;        /* the pool's clients give up after query_wait_timeout */
    double throttle;   /* app-time stretch from the CPU limit (1: none) */
    double queue_wait; /* queue engine: mean wait per query, s */
    double prim_cpu;   /* rds/aurora: a request's mean query CPU on the primary, s */
    double others;     /* hold less prim_cpu × f[0]: app, Redis, replicas, pool, s */
    bool ok;           /* below every saturation */
} loop;

/* The two failure probabilities a step's pool accounting gives each request (flow_outcomes.c) */
typedef struct losses {
    double conn, client; /* probabilities: too many connections, max_client_conn */
} losses;

/* flow_loop.c */
int eng__flow_db_tx(const eng__run *r); /* the scenario has a database */
/* The per-class means of a step whose API requests per class are api[] (shares of it) */
void eng__flow_demands(const eng__run *r, const double *api, demand *d);
double eng__flow_cores(const eng__run *r, int i); /* vCPUs of instance i (0: primary) */
/* The loop's state at throughput X (API requests/s) over n serving pods */
void eng__flow_loop_at(const eng__run *r, const demand *d, double X, int n, loop *L);
/* The largest throughput n pods sustain for the demand, requests/s */
double eng__flow_sustainable(const eng__run *r, const demand *d, int n);

/* flow_outcomes.c */
void eng__flow_fail_n(eng__run *r, mdl_cause cause, double n, bool measured);
/* the chain's recorders (component.h's eng__flow_hop): eng is the run */
void eng__flow_hop_served(void *eng, int cls, int64_t lat, double w, bool measured);
void eng__flow_hop_failed(void *eng, mdl_cause cause, double n, bool measured);
/* A step's requests at the pods into outcomes (each defined with its method in flow_outcomes.c):
 * behind a fluid backlog (mean wait and its sd); a FIFO backlog's `done` requests per pod from
 * place `head` over [now, now + dt); the pooled queue of least outstanding requests (Erlang C);
 * round robin's per-pod queues (Lindley's recursion over sampled arrivals). */
void eng__flow_outcomes_fluid(eng__run *r, const double *count, const demand *d, const loop *L,
                              const losses *x, double wait, double sd, bool measured);
void eng__flow_outcomes_fifo(eng__run *r, int pods, const demand *d, const loop *L, const losses *x,
                             double head, double done, double now, double dt, double mu);
void eng__flow_outcomes_pooled(eng__run *r, const double *count, const demand *d, const loop *L,
                               const losses *x, const mdl_mgc *q, bool measured);
void eng__flow_outcomes_rr(eng__run *r, const double *count, const demand *d, const loop *L,
                           const losses *x, double lambda_pod, int n, bool measured);

#endif
