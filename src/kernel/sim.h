/*
 * sim.h — the discrete-event kernel: simulation clock, pending-event set, random streams and
 * service-time distributions. The only header of src/kernel/; every public name is sim_*.
 *
 * Time. Simulated time is an integer count of nanoseconds (sim_time, int64). Integers keep a
 * 24-hour run free of floating-point drift (a double clock loses sub-microsecond resolution
 * after ~10^9 s of sums, and equal times must compare equal for deterministic ties); int64 ns
 * covers 292 years. Models convert to seconds (double) only to do arithmetic on rates.
 *
 * Events. An event is a callback with two pointers: `ctx` (the component, like ae's clientData
 * and libuv's data) and `arg` (the entity, usually a request). Events are ordered by
 * (time, insertion sequence): two events at the same time run in the order they were
 * scheduled, and an event scheduled "now" runs after the current one. Event nodes come from a
 * pool owned by the engine (no malloc per event). The pending-event set orders 16-byte keys
 * (time, insertion sequence, node); two implementations give the identical order: a ladder queue
 * (Tang, Goh, Thng, ACM TOMACS 15(3), 2005), amortised O(1) and the default, and a 4-ary heap,
 * O(log n), kept as the reference (sim_new_with).
 *
 * Cancellation is lazy: sim_cancel marks the node dead and the set drops it when it reaches the
 * front. A sim_handle names one scheduling of one node (node index + generation), so a stale
 * handle — the event already ran, or was cancelled — is harmless.
 *
 * Threads. There is no global state: each sim_engine and sim_rng is independent, so separate
 * simulations may run on separate threads. One engine must not be shared between threads.
 */
#ifndef SIMULATE_SIM_H
#define SIMULATE_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

/* ---------------------------------------------------------------- time */

typedef int64_t sim_time; /* ns */

#define SIM_NS    ((sim_time)1)
#define SIM_US    ((sim_time)1000)
#define SIM_MS    ((sim_time)1000000)
#define SIM_SEC   ((sim_time)1000000000)
#define SIM_MIN   (60 * SIM_SEC)
#define SIM_HOUR  (3600 * SIM_SEC)
#define SIM_NEVER INT64_MAX

static inline double sim_to_sec(sim_time t)
{
    return (double)t * 1e-9;
}

/* Seconds to ns, rounded to nearest; saturates at SIM_NEVER, clamps negatives to 0. */
sim_time sim_from_sec(double s);

/* ---------------------------------------------------------------- engine and events */

typedef struct sim_engine sim_engine;

/* The one callback shape. ctx: the component; arg: the entity. */
typedef void (*sim_fn)(void *ctx, void *arg);

/* Names one scheduled event; 0 (SIM_NO_EVENT) names none. */
typedef uint64_t sim_handle;
#define SIM_NO_EVENT ((sim_handle)0)

/* A new engine with its clock at 0 and no events. NULL when out of memory. Free with sim_free.
 * Its pending-event set adapts to its size (SIM_PES_AUTO). */
sim_engine *sim_new(void);
void sim_free(sim_engine *e);

/* The pending-event set implementations. Both run any workload in the identical order; they
 * differ only in speed (tools/bench/bench_hold.c). */
typedef enum sim_pes_kind {
    SIM_PES_HEAP = 0, /* 4-ary heap of keys: O(log n) per operation; the reference */
    SIM_PES_LADDER,   /* ladder queue: amortised O(1) per operation */
    SIM_PES_AUTO,     /* a sorted array up to 32 pending events, the heap while few, the
                       * ladder when many: the default (the heap is faster below ~500 pending
                       * events, the ladder above; bench_hold). Switching moves the keys, never
                       * their order. */
} sim_pes_kind;

/* Like sim_new, with the given pending-event set. NULL when out of memory or `kind` is not a
 * sim_pes_kind. */
sim_engine *sim_new_with(sim_pes_kind kind);

/* The name of the engine's pending-event set: "heap", "ladder" or "auto". Never NULL. */
const char *sim_pes_name(const sim_engine *e);

/* The clock: the time of the event being run, or where sim_run stopped. */
sim_time sim_now(const sim_engine *e);

/* Schedules fn(ctx, arg) at now + delay (delay >= 0; a negative delay is treated as 0).
 * Never fails from the caller's point of view: if the event pool cannot grow (out of memory,
 * or more than SIM_MAX_PENDING events pending) the engine records the error, returns
 * SIM_NO_EVENT, and sim_run stops with that error. */
sim_handle sim_schedule(sim_engine *e, sim_time delay, sim_fn fn, void *ctx, void *arg);

/* Schedules at an absolute time (>= now; earlier times are treated as now). */
sim_handle sim_schedule_at(sim_engine *e, sim_time at, sim_fn fn, void *ctx, void *arg);

/* Schedules the next event of an arrival stream — an event that the model keeps one of pending
 * at a time and never cancels — at an absolute time (>= now; earlier times are treated as now).
 * It runs in the same (time, insertion sequence) order as if sim_schedule_at had scheduled it,
 * but waits in a slot beside the pending-event set, which saves it a node and an insertion among
 * the other events. While the slot holds one, a second goes into the set (sim_schedule_at).
 * Failures are recorded as sim_schedule's; there is no handle to cancel it with. */
void sim_schedule_arrival(sim_engine *e, sim_time at, sim_fn fn, void *ctx, void *arg);

/* Cancels a pending event. Returns true if it was pending and is now cancelled; false for
 * SIM_NO_EVENT or a handle whose event already ran or was cancelled. */
bool sim_cancel(sim_engine *e, sim_handle h);

/* Runs events in (time, sequence) order while the next one is at or before `until`, then sets
 * the clock to `until` (if `until` is not SIM_NEVER and the clock is behind it). Returns BASE_OK,
 * or the error recorded by sim_schedule (BASE_ENOMEM, BASE_ELIMIT) with *err filled. */
int sim_run(sim_engine *e, sim_time until, base_err *err);

/* Makes sim_run return after the current event. */
void sim_stop(sim_engine *e);

/* Events pending (cancelled ones not yet dropped are counted until they are). */
uint64_t sim_pending(const sim_engine *e);

/* Events run so far (cancelled events are not counted). */
uint64_t sim_events_run(const sim_engine *e);

/* Largest number of simultaneously pending events the engine accepts. */
#define SIM_MAX_PENDING (1u << 24)

/* ---------------------------------------------------------------- random streams */

/*
 * One independent stream per purpose. A stream's seed is derived from (scenario seed,
 * replication, stream name) by hashing, never from a shared sequence: adding, removing or
 * reordering components does not change any other stream's numbers, which is what makes
 * common random numbers across variants work. See docs/randomness.md for the scheme.
 */
typedef struct sim_rng sim_rng;

/* The 64-bit seed of the stream named `name` for (seed, replication). Pure function. */
uint64_t sim_stream_seed(uint64_t seed, uint32_t replication, const char *name);

/* A new stream (GSL mt19937 seeded from sim_stream_seed). NULL when out of memory. */
sim_rng *sim_rng_new(uint64_t seed, uint32_t replication, const char *name);
void sim_rng_free(sim_rng *r);

/* Uniform on the open interval (0, 1). */
double sim_rng_uniform(sim_rng *r);

/* Exponential with the given mean (same units as mean). */
double sim_rng_exponential(sim_rng *r, double mean);

/* The underlying GSL generator, for other gsl_ran_* samplers. Owned by r. */
void *sim_rng_gsl(sim_rng *r);

/* ---------------------------------------------------------------- distributions */

typedef enum sim_dist_kind {
    SIM_DIST_DETERMINISTIC = 0, /* always `mean` */
    SIM_DIST_EXPONENTIAL,       /* mean */
    SIM_DIST_LOGNORMAL,         /* given mean and p99 (reference/queueing.md) */
    SIM_DIST_GAMMA,             /* given mean and coefficient of variation */
    SIM_DIST_UNIFORM,           /* on [min, max] */
    SIM_DIST_TRIANGULAR,        /* min, mode, max */
} sim_dist_kind;

/* A positive random duration. Plain value; build it with sim_dist_make. */
typedef struct sim_dist {
    sim_dist_kind kind;
    double mean; /* s */
    double a;    /* kind-specific, derived: lognormal mu_ln; gamma shape; uniform/tri min (s) */
    double b;    /* lognormal sigma; gamma scale (s); uniform/tri max (s) */
    double c;    /* triangular mode (s) */
} sim_dist;

/* Parameters as a user writes them; unused ones are ignored. Times in seconds. */
typedef struct sim_dist_spec {
    sim_dist_kind kind;
    double mean; /* deterministic, exponential, lognormal, gamma */
    double p99;  /* lognormal */
    double cv;   /* gamma: standard deviation / mean */
    double min;  /* uniform, triangular */
    double mode; /* triangular */
    double max;  /* uniform, triangular */
} sim_dist_spec;

/* Builds a distribution. BASE_EINPUT with a message (no position) if the parameters are
 * impossible, e.g. a lognormal whose p99 is below its mean. */
int sim_dist_make(sim_dist *d, const sim_dist_spec *spec, base_err *err);

/* One draw, in ns (>= 0). */
sim_time sim_dist_sample(const sim_dist *d, sim_rng *r);

/* Moments, for the flow engine's approximations: mean (s) and squared coefficient of variation
 * (variance / mean^2; 0 for deterministic, 1 for exponential). */
double sim_dist_mean(const sim_dist *d);
double sim_dist_scv(const sim_dist *d);

/* The name a scenario uses for a kind ("exponential", ...), and back (-1 when unknown). */
const char *sim_dist_kind_name(sim_dist_kind k);
int sim_dist_kind_parse(const char *name);

#endif
