/*
 * engine.h — the traffic engines that play a scenario forward, and the summary of their
 * replications. The only header of src/engine/; every public name is eng_*.
 *
 * The request engine (request.c) makes every request an entity: it arrives at CloudFront,
 * is served from the edge or passes to the ALB, waits for a gunicorn worker in a pod, visits
 * the database once per query, and returns. The flow engine (flow.c) plays the same models a
 * time step at a time, with rates instead of requests.
 *
 * A replication is one independent run with its own random streams (kernel's stream seeds take
 * the replication number). The summary (summary.c) puts each figure's mean and 95% confidence
 * interval across replications side by side; outputs (io, cli) read it and never reach back.
 */
#ifndef SIMULATE_ENGINE_H
#define SIMULATE_ENGINE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"
#include "cost/usage.h"
#include "metrics/metrics.h"
#include "model/model.h"

/* Two regions (a scenario's `regions:`, engine/geo.c): what a replication measured per users'
 * region ([0] US users, [1] EMEA users) and what eu-west-1 used. All zero without `regions:`. */
typedef struct eng_geo {
    double api_p99_ms[2];   /* API latency p99 as each users saw it (EMEA's with the crossings) */
    double write_p50_ms[2]; /* API write latency p50 */
    double write_min_ms[2]; /* and its lowest bucket */
    double error_rate[2];   /* % of each users' requests that failed (after the warm-up) */
    double lost_failed;     /* eu-west-1 lost: EMEA requests failed until Route 53 moved them */
    double lost_failed_us;  /* us-east-1 lost: the Americas' requests failed likewise */
    double moved_s;         /* a region lost: from the loss until Route 53 answered the other */
    double transfer_gb;     /* us-east-1 <-> eu-west-1: EMEA's writes and the replication */
    double peak_pods_eu;    /* eu-west-1's API pods Ready at its peak */
    double promoted_s;      /* us-east-1 lost: from the loss until eu-west-1's copy took writes */
    double replica_lag_s;   /* eu-west-1's replica behind the primary at its busiest write
                             * second (model/replica.c), s */
    cost_usage usage_eu;    /* eu-west-1's (priced with its pricing file) */
} eng_geo;

/* One decision of the HPA that changed the Deployment's replicas. */
typedef struct eng_scale_event {
    double t;     /* s */
    int from, to; /* replicas */
    int cpu_pct;  /* the utilisation the HPA reported (its status), percent of requests */
} eng_scale_event;

#define ENG_MAX_SCALE_EVENTS 512

/* The DR runbook's steps, in order (eng_rep.dr_step_s). */
enum {
    ENG_DR_DETECT,
    ENG_DR_CONFIRM,
    ENG_DR_PROMOTE,
    ENG_DR_DNS,
    ENG_DR_TTL,
    ENG_DR_SCALE,
    ENG_DR_SMOKE,
    ENG_DR_COMMUNICATE,
    ENG_DR_STEPS
};
extern const char *const eng_dr_step_names[ENG_DR_STEPS]; /* for people */
extern const char *const eng_dr_step_keys[ENG_DR_STEPS];  /* the summary's figures */
/* Each step as the seed's runbook puts it on paper, s (§12.2; NaN: a step it does not name —
 * the clients' DNS caches). Its total, ~29 min, ends with the status page. */
extern const double eng_dr_step_paper_s[ENG_DR_STEPS];

/* One failure of the seed's HA table (mdl_ha_row_of) as it happened in a replication, and the
 * recovery from it, measured as eng_rep's rto_s etc. are for the first. A later failure that
 * comes before users are served again ends its outage at the same moment. */
#define ENG_MAX_FAULTS 64

/* Without a p(99) objective, the API's p99 counts as back once under this multiple of its value
 * before the failure (the median of the series' rows over the 5 minutes before it). Why 2: a
 * healthy 10-second row's p99 wanders by tens of percent around its level (a few hundred
 * requests decide it), so a smaller factor would call noise a slow recovery; twice the usual
 * p99 is what users notice. ASSUMPTION, stated in docs/models.md "Failures". */
#define ENG_LATENCY_BACK_FACTOR   2.0
#define ENG_LATENCY_BACK_BEFORE_S 300.0
typedef struct eng_fault {
    int type;    /* mdl_event_type */
    double at_s; /* s from the start */
    double rto_s, rpo_s, lost_writes, first_served_s;
    double rto_latency_s; /* until the API's p99 is back too (eng_rep.rto_latency_s) */
    double failed;        /* requests that failed from its series row until users were served again
                           * (or the end of the run) */
} eng_fault;

/* What one replication measured. Counts are of requests that arrived after the warm-up and
 * before the end of the last phase (the measurement window); they are followed to completion. */
typedef struct eng_rep {
    uint32_t replication;
    double window;                   /* s: length of the measurement window */
    double requests_total;           /* every arrival of the run, warm-up included (for cost) */
    double arrivals[MDL_NCLASS];     /* requests that arrived, by class */
    double served[MDL_NCLASS];       /* answered successfully */
    double served_in_window;         /* answered successfully within the window, whenever
                                      * they arrived: what throughput counts */
    double errors[MDL_NCAUSE];       /* failed, by cause */
    double unfinished;               /* still in the system when the run gave up draining */
    hist *latency;                   /* ns, edge arrival -> response, successful requests */
    hist *latency_class[MDL_NCLASS]; /* the same by class */
    hist *api_latency;               /* the same for API requests (read and write) */
    hist *pod_wait;                  /* ns, pod arrival -> a worker takes it (API requests) */
    double pods_in_system;           /* time-average API requests at pods, waiting or served */
    double db_utilisation;           /* time-average busy share of the database's servers */
    double db_failover_s;            /* db_failover events: time the primary was unreachable */
    double cache_failover_s;         /* cache_failover events: time Redis was unreachable */
    uint64_t events;                 /* kernel events run */
    cost_usage usage;
    ser_table *series;                 /* the time series (columns: eng_series_names) */
    int peak_pods;                     /* most API pods Ready at once */
    int peak_nodes;                    /* most Karpenter nodes at once (launching included) */
    int peak_nodes_by[2][2];           /* the same by capacity [0 Spot, 1 On-Demand] and
                                        * architecture [0 amd64, 1 arm64], each its own peak */
    int peak_pool_vcpu[MDL_MAX_POOLS]; /* most vCPUs of each NodePool's nodes at once
                                        * (launching included): what its limits cap */
    double pods_created;               /* pods the Deployment created during the run */
    double nodes_launched;             /* nodes Karpenter launched during the run */
    double spot_interruptions;         /* Spot interruption notices received */
    eng_scale_event scale[ENG_MAX_SCALE_EVENTS]; /* the first HPA decisions, in order */
    size_t nscale;
    double first_ready_after[ENG_MAX_SCALE_EVENTS]; /* s from each scale-up until `to` pods
                                                     * were Ready; -1: never within the run */
    double alarm_first_s[MDL_MAX_ALARMS]; /* each scenario alarm: when it first fired (s from
                                           * the start; -1: never) */
    double alarm_s[MDL_MAX_ALARMS];       /* and how long it was in ALARM, s */
    /* recovery from the run's first failure (NaN without one): RTO, from the failure until
     * users are served again — the first window of the paging alarm's period whose error rate
     * is back at or under its threshold (mdl_alarm_clear), and not before the first request
     * served after it (NaN: not within the run); RPO, the
     * data lost — 0 with a synchronous standby, the replica's lag or the age of the latest
     * restorable point; lost_writes, the API writes committed in the RPO before it;
     * first_served_s, from the failure to the first API request that arrived after it and
     * succeeded (a lower bound: one request, perhaps among many failing) */
    double rto_s, rpo_s, lost_writes, first_served_s;
    /* latency recovered: from the failure until the API's p99 is back and stays back for the
     * paging alarm's period — under the scenario's p(99) objective, or without one under
     * ENG_LATENCY_BACK_FACTOR × its value before the failure; never before rto_s (NaN: not
     * within the run, or no reference to judge it by) */
    double rto_latency_s;
    double outage_failed;             /* the first failure's eng_fault.failed */
    double refused_stopped;           /* API requests that arrived (measured) while a schedule
                                       * had the environment stopped (engine/schedule.c) */
    eng_fault faults[ENG_MAX_FAULTS]; /* every failure, in time order (the first is the above) */
    size_t nfaults;
    size_t faults_dropped; /* failures past ENG_MAX_FAULTS: played, not measured */
    /* region_failure: the DR runbook's steps as they went (s; NaN without one): detection (the
     * alarm), confirmation, promotion, DNS update, the clients' cached answers, the DR cluster
     * scaling up until users are served again (measured: the RTO's part after the switch; NaN:
     * not within the run), smoke tests, the status page */
    double dr_step_s[ENG_DR_STEPS];
    bool detected_by_health_check; /* the Route 53 health check's alarm paged first */
    eng_geo geo;                   /* two regions: per users' region (zero without) */
} eng_rep;

/* Most rows a replication's time series keeps: past it, every two rows fold into one and the
 * interval doubles (ser_set_max_rows), so a run of years holds as much series as one of days.
 * 2^15 rows are 3.8 days at the default 10 s interval — four times Black Friday's 8,700, so
 * the scenarios of scenarios/ never fold — and about 10 MB a replication (37 columns of 8
 * bytes); report.json's copy of them, as JSON, is the larger share (eng_project). */
#define ENG_SERIES_MAX_ROWS 32768

/* What a run will take, from its scenario alone (project.c): estimates for `--check` and for
 * the command line's --max-memory, made before anything runs. */
typedef struct eng_projection {
    const char *engine;  /* "request" or "flow" (eng_engine_name) */
    double requests;     /* expected arrivals, one replication */
    double events;       /* kernel events, one replication */
    double series_rows;  /* rows of its time series (after folding: ENG_SERIES_MAX_ROWS) */
    double memory_bytes; /* the whole run's peak with `jobs` threads */
} eng_projection;

int eng_project(const mdl_scenario *s, int jobs, eng_projection *out, base_err *err);

/* The time series' columns, in order (docs/report.md). */
extern const char *const eng_series_names[];
extern const size_t eng_series_count;

/* Runs replication `replication` of scenario `s` with the request engine. On success *out holds
 * histograms the caller frees with eng_rep_clear. */
int eng_run_request(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err);

/* The same with the flow engine (flow.c): one step of s->flow_step at a time. */
int eng_run_flow(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err);

/* `fidelity: auto` plays a scenario request by request while it expects at most this many
 * requests per replication: about 1.4 s of the request engine on one core, which runs the full
 * pipeline (CloudFront, ALB, pods, PgBouncer, RDS, Redis, HPA, Karpenter) at 2.9 M requests per
 * CPU-second (`bench_flow request tests/data/flow/steady.yaml`, 2026-12-02; docs/performance.md);
 * above it, the flow engine, whose cost does not grow with the load (about 1 s a day-long
 * replication). Re-derived after the request path's speed-ups of 2026-12-02: 2–3% on that
 * pipeline, then 5% more (0.55 -> 0.52 s of CPU, 3.1 M requests per CPU-second: 1.4 s is 4.3 M);
 * kept at 4 M, since every limit from 4 to 4.7 M picks the same engine for every scenario. */
#define ENG_AUTO_REQUEST_LIMIT 4e6

/* The engine a scenario runs on: "request" or "flow" (auto resolved). */
const char *eng_engine_name(const mdl_scenario *s);

/* One replication with the engine eng_engine_name chooses. */
int eng_run_replication(const mdl_scenario *s, uint32_t replication, eng_rep *out, base_err *err);

void eng_rep_clear(eng_rep *r);

/* A finished replication as bytes appended to *out, for another process of the same build (an
 * MPI rank, src/task/), and back: eng_rep_unpack fills *out (released with eng_rep_clear) with
 * the identical replication. */
int eng_rep_pack(const eng_rep *r, base_buf *out, base_err *err);
int eng_rep_unpack(const char *p, size_t n, eng_rep *out, base_err *err);

/* ---------------------------------------------------------------- summary */

/* One reported figure: its key (as in report.json), unit, per-replication values and CI. */
typedef struct eng_figure {
    char key[64];
    char unit[16];  /* "ms", "req/s", "%", "requests", "" */
    stat_ci ci;     /* 95% across replications */
    double *values; /* one per replication; owned by the summary */
    int beyond;     /* a latency percentile beyond the histograms' range (HIST_DEFAULT_HIGHEST,
                     * 73 min) in some replication: its value there is that bound, so the
                     * figure is a lower bound ("> 4398046.5 ms"), never a clamped midpoint */
} eng_figure;

#define ENG_MAX_FIGURES 96

typedef struct eng_summary {
    const mdl_scenario *scenario; /* borrowed */
    int replications;
    const char *engine;     /* "request" or "flow" */
    eng_rep *reps;          /* owned: replications entries */
    hist *latency_pooled;   /* owned: all replications' latency histograms merged */
    ser_table *series_mean; /* owned: the time series averaged across replications row by
                             * row (NULL without series); what report.json and the store keep */
    eng_figure figures[ENG_MAX_FIGURES];
    size_t nfigures;
    uint64_t events; /* kernel events over all replications */
} eng_summary;

/* Called as each replication finishes, with its results (read-only: still owned by the
 * summary being built), the number finished so far and the total. Calls come from the worker
 * threads one at a time, in the order the replications finish — so a results store can commit
 * each replication the moment it exists. May be NULL. */
typedef void (*eng_progress_fn)(void *ctx, const eng_rep *rep, int done, int total);

/* Most replications a run may have. */
#define ENG_MAX_REPLICATIONS MDL_MAX_REPLICATIONS

/* A run in progress as another thread sees it (the command line's progress line): each running
 * replication publishes its simulated time and the kernel events it has run at every series
 * interval; the reader may look at any time. Zero it (memset) before eng_run; one per run. */
typedef struct eng_live {
    _Atomic long long now_ns[ENG_MAX_REPLICATIONS]; /* simulated time of each replication */
    _Atomic unsigned long long events;              /* kernel events so far, all replications */
    _Atomic int done;                               /* replications finished */
    _Atomic int failed;                             /* a replication stopped with an error */
} eng_live;

/* Most threads eng_run starts. */
#define ENG_MAX_JOBS 256

/* Runs s->replications replications on up to `jobs` threads (and, under MPI, on the other
 * ranks: src/task/) and summarises them. The result is the same whatever `jobs` is: each
 * replication has its own streams and slot. Under MPI a rank other than 0 returns the status
 * with *out empty (nothing to release). *out is filled on
 * success and must be released with eng_summary_clear; on failure it holds nothing to release
 * (the error is that of the lowest-numbered replication that failed). `progress` is called
 * from the worker threads, one at a time. `live` (may be NULL) is kept up to date for a
 * reader on another thread. */
int eng_run(const mdl_scenario *s, int jobs, eng_progress_fn progress, void *ctx, eng_live *live,
            eng_summary *out, base_err *err);

void eng_summary_clear(eng_summary *sum);

/* eng_run in two halves, for a caller that runs many scenarios' replications as one task list
 * (compare: variants × sweep points × replications): eng_summary_start sets out up for s's
 * replications, the caller fills out->reps[i] with eng_run_replication(s, i, ...), and
 * eng_summary_end summarises them (on failure *out is cleared). */
int eng_summary_start(const mdl_scenario *s, eng_summary *out, base_err *err);
int eng_summary_end(eng_summary *out, base_err *err);

/* A replication's estimated cost, kernel events (eng_project): what a task list sorts by. */
double eng_rep_cost(const mdl_scenario *s);

/* Adds a figure computed outside the engine (the cost of each replication, say): values has
 * one entry per replication; the summary keeps a copy. BASE_ELIMIT past ENG_MAX_FIGURES. */
int eng_summary_add_figure(eng_summary *sum, const char *key, const char *unit,
                           const double *values);

/* The figure with this key, or NULL. */
const eng_figure *eng_summary_figure(const eng_summary *sum, const char *key);

#endif
