/*
 * engine.c — the clock, the event nodes, and the dispatch loop over a pending-event set.
 *
 * An event is a node (callback, ctx, arg) in a pool indexed by 24 bits and recycled through a
 * LIFO free list, so a steady state allocates nothing and the node released by the event being
 * run is the one its callback's next sim_schedule reuses, still in cache. A node's generation
 * changes each time it is released, so a sim_handle (generation << 32 | node) goes stale as soon
 * as its event has run or been dropped. What the pending-event set orders is a 128-bit key per
 * event (time, seq << 24 | node; pes.h): seq, the engine's insertion counter, makes keys unique,
 * so (time, insertion order) is the whole order and two sets give the same sequence.
 *
 * Two sets are kept behind one switch on the engine's kind, both over the same keys: the 4-ary
 * heap (pes_heap.c), the reference, and the ladder queue (pes_ladder.c), amortised O(1) and the
 * default — at 10^5 pending events it does about 2.5 times the heap's holds per second, at 10^6
 * about 5 times (tools/bench/bench_hold.c). The switch is per operation and always predicted;
 * the ladder's hot paths are inline (pes.h). Because the ladder's Bottom is a sorted array, the
 * run loop knows the next events and prefetches their nodes, which at 10^5 events and beyond
 * are no longer in cache when their time comes.
 *
 * An adaptive engine (SIM_PES_AUTO, the default) has a third set below the heap: a sorted array
 * of at most 32 keys (SMALL_MAX), the earliest at its end, so a pop is a decrement and a push
 * moves the keys that are due before the new one. The request engine's common runs have a
 * handful of events pending (M/M/10: the next arrival and the busy workers' completions, about
 * ten), where this costs fewer instructions than the heap's sifts (M/M/10 through the whole
 * request engine: 1,152 -> 985 instructions a customer, callgrind, with the fast path below).
 * A push compares times only, one 64-bit word: the new key has the largest sequence number of
 * all, so it goes after every key of its own time. sim_schedule_at's common case — the small
 * set with room, a free node, no error — is a short function that saves no register; every
 * other case is one jump away in schedule_general (the ladder's holds pay one test for it). The
 * array hands its keys to the heap when a 33rd arrives, and the heap gives them back when 8 or
 * fewer are pending; the order is the keys', so it is the same on every set.
 *
 * The heap's pop is deferred: while an event runs, its key stays at the heap's top (`held`), and
 * the first event its callback schedules takes that place in one sift (sim__heap_replace_top)
 * instead of a pop's and a push's; a callback that schedules nothing has its key popped before
 * the next one runs. Most events schedule one (an arrival the next arrival, a service start its
 * end), so most pops and pushes go together. The set holds the same keys either way, so the
 * order is the same.
 *
 * The arrival slot (sim_schedule_arrival) keeps one event out of every set: the next external
 * arrival, which a model's arrival stream always has pending, one at a time. Its key is made
 * with the same counter as every other key, and each run loop compares it with the set's
 * earliest key before taking one, so the order is the keys' as before (the same bytes); what
 * it saves is the arrival's node and its insertion among the set's keys (M/M/10: the arrival is
 * nearly always the earliest pending event, so in the small set it was one key move and a
 * decrement, in the heap a sift). A second arrival while the slot is full goes into the set.
 *
 * Cancellation is lazy for both sets: sim_cancel clears the node's callback and the node stays
 * in the set until its key is popped, when it is released without running. So cancel is O(1),
 * and the sets never need to find a key by node.
 *
 * Errors: a schedule that cannot get a node or room in the set records the error and stops the
 * run; sim_run returns it, and runs nothing while it is recorded.
 */
#include "kernel/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/pes.h"

#ifndef LADDER_PREFETCH
#define LADDER_PREFETCH 8 /* keys ahead in Bottom whose nodes are prefetched */
#endif

/* SIM_PES_AUTO's third set, below the heap: a sorted array of at most SMALL_MAX keys (see
 * above). Its kind is private: the public kinds name the sets one can ask for. */
#define SET_SMALL ((int)SIM_PES_AUTO + 1)
#ifndef SMALL_MAX
#define SMALL_MAX 32 /* keys the small set holds; one more moves them to the heap */
#endif
#ifndef SMALL_BACK
#define SMALL_BACK 8 /* pending events at or below which the heap hands its keys back */
#endif

/* The arrival slot's key when it is empty: later than every event (whose times are at most
 * SIM_NEVER = 2^63 - 1), so that one comparison with the set's earliest key decides. */
#define SLOT_EMPTY (~(sim__key)0)
/* small[0] while the small set is in use (the end of small_insert's scan), and while it is not:
 * the smallest key, so that run_small, taking small[0] when the array is empty, neither runs
 * the slot before it (the slot is never earlier) nor goes on (see run_small) */
#define SMALL_SENTINEL SIM__MAKE_KEY(UINT64_MAX, 0, 0)
#define SMALL_OFF      ((sim__key)0)

typedef struct node {
    sim_fn fn; /* NULL: cancelled (a free node keeps its last: see release_node) */
    void *ctx;
    void *arg;
    uint32_t gen;
    uint32_t next_free;
} node;

/* SIM_PES_AUTO's thresholds, in pending events, from bench_hold: the heap wins below about 500
 * (16.8 vs 13.8 M holds/s at 384), the ladder above (22.1 vs 15.7 at 512, 19.1 vs 11.2 at 1024).
 * The gap between them keeps a set hovering near one threshold from moving back and forth. */
#define AUTO_TO_LADDER 768
#define AUTO_TO_HEAP   128

struct sim_engine {
    sim_time now;
    int kind;     /* the set in use: SIM_PES_HEAP, SIM_PES_LADDER or SET_SMALL */
    int adaptive; /* created as SIM_PES_AUTO: kind follows the pending count */
    node *nodes;
    uint32_t node_cap, free_head; /* free_head == UINT32_MAX: empty free list */
    uint32_t node_used;           /* nodes ever handed out (high-water mark) */
    uint64_t seq;
    /* sim_schedule's one test for its two rare failures: SIM__SEQ_LIMIT, or 0 once an error is
     * recorded (fail), so that a healthy schedule pays one comparison for both */
    uint64_t seq_limit;
    /* the pending count above which the heap hands its keys to the ladder: AUTO_TO_LADDER for
     * an adaptive engine on the heap, otherwise never (UINT64_MAX): one comparison per schedule
     * instead of three */
    uint64_t to_ladder;
    /* the pending counts below which an adaptive engine's ladder hands its keys to the heap
     * (AUTO_TO_HEAP) and its heap to the small set (SMALL_BACK + 1); 0 for the other engines, so
     * that the run loops test one comparison, not the engine's kind and then the count */
    uint64_t to_heap, to_small;
    uint64_t pending; /* in the set, and the slot's one */
    uint64_t events_run;
    /* the arrival slot: its key (SLOT_EMPTY: none) and event */
    sim__key slot;
    uint64_t slot_t; /* the slot's time (UINT64_MAX: empty), for the heap's and the ladder's
                      * loops: one 64-bit comparison where the set's key is earlier, the common
                      * case of the hold model, which has no arrivals */
    sim_fn slot_fn;
    void *slot_ctx, *slot_arg;
    int stopped;
    int error; /* status recorded by a failed schedule */
    char errmsg[128];
    sim__heap heap; /* SIM_PES_HEAP */
    int held;       /* heap.h[0] is the running event's key, still in the heap (see above) */
    sim__ladder lq; /* SIM_PES_LADDER */
    /* SET_SMALL: small[1..slen] in decreasing order, so the earliest is small[slen]; small[0]
     * is a sentinel later than any event (time UINT64_MAX), which ends small_insert's scan;
     * SMALL_OFF while another set is in use */
    uint32_t slen;
    sim__key small[SMALL_MAX + 1];
};

sim_time sim_from_sec(double s)
{
    if (!(s > 0))
        return 0;
    if (s >= 9.2e9)
        return SIM_NEVER;
    return (sim_time)(s * 1e9 + 0.5); /* round half up; s > 0 here */
}

sim_engine *sim_new_with(sim_pes_kind kind)
{
    if (kind != SIM_PES_HEAP && kind != SIM_PES_LADDER && kind != SIM_PES_AUTO)
        return NULL;
    sim_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->adaptive = kind == SIM_PES_AUTO;
    e->kind = kind == SIM_PES_AUTO ? SET_SMALL : (int)kind;
    e->free_head = UINT32_MAX;
    e->seq_limit = SIM__SEQ_LIMIT;
    e->to_ladder = UINT64_MAX; /* the heap's threshold: an adaptive engine starts small */
    e->to_heap = e->adaptive ? AUTO_TO_HEAP : 0;
    e->to_small = e->adaptive ? SMALL_BACK + 1 : 0;
    e->small[0] = e->kind == SET_SMALL ? SMALL_SENTINEL : SMALL_OFF;
    e->slot = SLOT_EMPTY;
    e->slot_t = UINT64_MAX;
    sim__ladder_init(&e->lq);
    return e;
}

sim_engine *sim_new(void)
{
    return sim_new_with(SIM_PES_AUTO);
}

void sim_free(sim_engine *e)
{
    if (!e)
        return;
    sim__heap_free(&e->heap);
    sim__ladder_free(&e->lq);
    free(e->nodes);
    free(e);
}

const char *sim_pes_name(const sim_engine *e)
{
    return e->adaptive ? "auto" : e->kind == SIM_PES_LADDER ? "ladder" : "heap";
}

sim_time sim_now(const sim_engine *e)
{
    return e->now;
}

uint64_t sim_pending(const sim_engine *e)
{
    return e->pending;
}

uint64_t sim_events_run(const sim_engine *e)
{
    return e->events_run;
}

void sim_stop(sim_engine *e)
{
    e->stopped = 1;
}

static void fail(sim_engine *e, int status, const char *msg)
{
    if (!e->error) {
        e->error = status;
        snprintf(e->errmsg, sizeof e->errmsg, "%s", msg);
    }
    e->seq_limit = 0; /* every later schedule takes the slow path, which refuses it */
    e->stopped = 1;
}

/* A node past the high-water mark, growing the pool when it is full. UINT32_MAX when it cannot. */
static __attribute__((noinline)) uint32_t new_node(sim_engine *e)
{
    if (e->node_used == e->node_cap) {
        if (e->node_cap >= SIM_MAX_PENDING)
            return UINT32_MAX;
        uint32_t cap = e->node_cap ? e->node_cap * 2 : 1024;
        node *n = sim__alloc_big((size_t)cap * sizeof *n);
        if (!n)
            return UINT32_MAX;
        if (e->node_used)
            memcpy(n, e->nodes, (size_t)e->node_used * sizeof *n);
        free(e->nodes);
        e->nodes = n;
        e->node_cap = cap;
    }
    uint32_t n = e->node_used++;
    e->nodes[n].gen = 1;
    return n;
}

static inline uint32_t alloc_node(sim_engine *e)
{
    if (__builtin_expect(e->free_head == UINT32_MAX, 0))
        return new_node(e);
    uint32_t n = e->free_head;
    e->free_head = e->nodes[n].next_free;
    return n;
}

static void release_node(sim_engine *e, uint32_t n)
{
    node *nd = &e->nodes[n];
    /* fn is left as it is: the new generation already makes every handle to the node stale, so
     * sim_cancel never reads a free node's fn, and the next schedule overwrites it */
    nd->gen += 2; /* odd from 1, so never 0, which would let handle 0 name a real event */
    nd->next_free = e->free_head;
    e->free_head = n;
}

/* The running event's key leaves the heap (its callback scheduled nothing in its place). */
static inline void drop_held(sim_engine *e)
{
    if (e->held) {
        sim__heap_pop(&e->heap);
        e->held = 0;
    }
}

/* SIM_PES_AUTO: moves every key from the heap to the ladder. Keys carry their own order, so
 * the events run exactly as they would have. On failure the engine keeps the heap. */
static void heap_to_ladder(sim_engine *e)
{
    sim__heap *h = &e->heap;
    drop_held(e);
    for (uint32_t i = 0; i < h->len; i++) {
        if (sim__ladder_push(&e->lq, h->h[i]) != 0) {
            /* out of memory half-way: the heap still holds every key; forget the copies */
            sim__ladder_free(&e->lq);
            sim__ladder_init(&e->lq);
            return;
        }
    }
    h->len = 0;
    e->kind = SIM_PES_LADDER;
    e->to_ladder = UINT64_MAX;
}

/* SIM_PES_AUTO: moves every key from the ladder back to the heap, in order. */
static void ladder_to_heap(sim_engine *e)
{
    sim__ladder *q = &e->lq;
    for (;;) {
        if (!sim__ladder_ready(q)) {
            int rc = sim__ladder_refill(q);
            if (rc == 0)
                break;
            if (rc < 0)
                goto undo;
        }
        if (sim__heap_reserve(&e->heap) != 0)
            goto undo;
        sim__heap_push(&e->heap, q->bot[q->bh++]);
    }
    e->kind = SIM_PES_HEAP;
    e->to_ladder = AUTO_TO_LADDER; /* only an adaptive engine comes back to the heap */
    return;
undo:
    /* out of memory half-way: put back what moved and stay on the ladder */
    while (e->heap.len > 0) {
        sim__key k = e->heap.h[0];
        sim__heap_pop(&e->heap);
        if (sim__ladder_push(q, k) != 0) {
            fail(e, BASE_ENOMEM, "out of memory for pending events");
            return;
        }
    }
}

/* SIM_PES_AUTO: the small set is full; its keys go to the heap, in increasing order, so that each
 * push is a sift of no step. 0, or -1 when out of memory (the small set is unchanged). */
static __attribute__((noinline)) int small_to_heap(sim_engine *e)
{
    for (uint32_t i = e->slen; i > 0; i--) {
        if (sim__heap_reserve(&e->heap) != 0) {
            e->heap.len = 0; /* forget the copies: the small set still holds every key */
            return -1;
        }
        sim__heap_push(&e->heap, e->small[i]);
    }
    e->slen = 0;
    e->small[0] = SMALL_OFF;
    e->held = 0;
    e->kind = SIM_PES_HEAP;
    e->to_ladder = AUTO_TO_LADDER;
    return 0;
}

/* SIM_PES_AUTO: the heap's few keys go back to the small set, popped in order (no allocation, so
 * it cannot fail). The running event's key has left the heap (drop_held). */
static __attribute__((noinline)) void heap_to_small(sim_engine *e)
{
    uint32_t n = e->heap.len;
    for (uint32_t i = n; i > 0; i--) {
        e->small[i] = e->heap.h[0];
        sim__heap_pop(&e->heap);
    }
    e->slen = n;
    e->small[0] = SMALL_SENTINEL;
    e->kind = SET_SMALL;
    e->to_ladder = UINT64_MAX;
}

/* Adds k to the small set, which has room. k has the largest seq of any pending key (keys are
 * made in sim_schedule_at with the engine's counter), so it goes after every key of its own
 * time: only the times need comparing, one 64-bit word instead of the whole key, and the
 * sentinel small[0] ends the scan without a test of the index. */
static inline void small_insert(sim_engine *e, sim__key k)
{
    uint64_t t = SIM__KEY_TIME(k);
    sim__key *p = e->small + ++e->slen;
    while (SIM__KEY_TIME(p[-1]) <= t) {
        p[0] = p[-1];
        p--;
    }
    *p = k;
}

/* sim_schedule_at's rare cases: a recorded error, or the 2^40-th event. Out of line, so that
 * the common path stays short. */
static __attribute__((noinline, cold)) bool schedule_refused(sim_engine *e)
{
    if (e->error)
        return true;
    if (e->seq >= SIM__SEQ_LIMIT) {
        fail(e, BASE_ELIMIT, "more than 2^40 events scheduled in one run");
        return true;
    }
    return false;
}

static __attribute__((noinline, cold)) void schedule_no_node(sim_engine *e)
{
    fail(e, e->node_cap >= SIM_MAX_PENDING ? BASE_ELIMIT : BASE_ENOMEM,
         e->node_cap >= SIM_MAX_PENDING ? "more than 2^24 events pending at once"
                                        : "out of memory for pending events");
}

/* Adds k to the set in use. 0, or -1 when out of memory. */
static inline int set_push(sim_engine *e, sim__key k)
{
    if (e->kind == SIM_PES_LADDER)
        return sim__ladder_push(&e->lq, k);
    if (e->kind == SET_SMALL) {
        if (e->slen < SMALL_MAX) {
            small_insert(e, k);
            return 0;
        }
        if (small_to_heap(e) != 0)
            return -1;
    }
    if (e->held) {
        sim__heap_replace_top(&e->heap, k); /* in the running event's place */
        e->held = 0;
        return 0;
    }
    if (sim__heap_reserve(&e->heap) != 0)
        return -1;
    sim__heap_push(&e->heap, k);
    return 0;
}

/* sim_schedule_at for every set and every case. */
static __attribute__((noinline)) sim_handle schedule_general(sim_engine *e, sim_time at, sim_fn fn,
                                                             void *ctx, void *arg)
{
    if (__builtin_expect(e->seq >= e->seq_limit, 0) && schedule_refused(e))
        return SIM_NO_EVENT;
    if (at < e->now)
        at = e->now;
    uint32_t n = alloc_node(e);
    if (__builtin_expect(n == UINT32_MAX, 0)) {
        schedule_no_node(e);
        return SIM_NO_EVENT;
    }
    /* the node is filled before the key goes in, so that fn, ctx and arg need not be kept
     * (spilled) across the sift */
    node *nd = &e->nodes[n];
    nd->fn = fn;
    nd->ctx = ctx;
    nd->arg = arg;
    sim_handle h = ((uint64_t)nd->gen << 32) | n;
    if (__builtin_expect(set_push(e, SIM__MAKE_KEY(at, e->seq, n)) != 0, 0)) {
        release_node(e, n); /* the node is free again; no handle to it was given */
        fail(e, BASE_ENOMEM, "out of memory for pending events");
        return SIM_NO_EVENT;
    }
    e->seq++;
    if (__builtin_expect(++e->pending > e->to_ladder, 0))
        heap_to_ladder(e);
    return h;
}

/* The small set's common case here, with nothing that can fail (a free node, room, no error
 * recorded) and few enough registers that it saves none; everything else in schedule_general,
 * one jump away. `at` is not before now: sim_schedule's times never are, so only
 * sim_schedule_at clamps. */
static inline __attribute__((always_inline)) sim_handle
schedule_due(sim_engine *e, sim_time at, sim_fn fn, void *ctx, void *arg)
{
    if (e->kind != SET_SMALL) /* first and alone: the ladder's holds pay one test for this */
        return schedule_general(e, at, fn, ctx, arg);
    uint32_t n = e->free_head;
    if (__builtin_expect(e->slen == SMALL_MAX || n == UINT32_MAX || e->seq >= e->seq_limit, 0))
        return schedule_general(e, at, fn, ctx, arg);
    node *nd = &e->nodes[n];
    nd->fn = fn; /* first: their registers are then free for the insertion */
    nd->ctx = ctx;
    nd->arg = arg;
    e->free_head = nd->next_free;
    small_insert(e, SIM__MAKE_KEY(at, e->seq, n));
    e->seq++;
    e->pending++;
    return ((uint64_t)nd->gen << 32) | n;
}

sim_handle sim_schedule_at(sim_engine *e, sim_time at, sim_fn fn, void *ctx, void *arg)
{
    if (at < e->now)
        at = e->now;
    return schedule_due(e, at, fn, ctx, arg);
}

/* The slot when it is empty and nothing can fail; otherwise the set, as sim_schedule_at. */
void sim_schedule_arrival(sim_engine *e, sim_time at, sim_fn fn, void *ctx, void *arg)
{
    if (__builtin_expect(e->slot != SLOT_EMPTY || e->seq >= e->seq_limit, 0)) {
        sim_schedule_at(e, at, fn, ctx, arg);
        return;
    }
    if (at < e->now)
        at = e->now;
    e->slot = SIM__MAKE_KEY(at, e->seq, 0);
    e->slot_t = (uint64_t)at;
    e->slot_fn = fn;
    e->slot_ctx = ctx;
    e->slot_arg = arg;
    e->seq++;
    e->pending++;
}

sim_handle sim_schedule(sim_engine *e, sim_time delay, sim_fn fn, void *ctx, void *arg)
{
    if (delay < 0)
        delay = 0;
    sim_time at = delay > SIM_NEVER - e->now ? SIM_NEVER : e->now + delay; /* >= now */
    return schedule_due(e, at, fn, ctx, arg);
}

bool sim_cancel(sim_engine *e, sim_handle h)
{
    if (h == SIM_NO_EVENT)
        return false;
    uint32_t n = (uint32_t)(h & 0xffffffffu);
    uint32_t gen = (uint32_t)(h >> 32);
    if (n >= e->node_used || e->nodes[n].gen != gen || e->nodes[n].fn == NULL)
        return false;
    e->nodes[n].fn = NULL; /* released when its key is popped */
    return true;
}

/* Runs the event of a key just removed from the set (or drops it if it was cancelled). */
static inline void dispatch(sim_engine *e, sim__key k)
{
    uint32_t n = SIM__KEY_NODE(k);
    node nd = e->nodes[n];
    e->pending--;
    release_node(e, n);
    if (!nd.fn)
        return; /* cancelled */
    e->now = (sim_time)SIM__KEY_TIME(k);
    e->events_run++;
    nd.fn(nd.ctx, nd.arg);
}

/* Runs the slot's event, which is earlier than the set's. */
static inline void run_slot(sim_engine *e)
{
    e->now = (sim_time)SIM__KEY_TIME(e->slot);
    e->slot = SLOT_EMPTY; /* first: the event usually schedules the next arrival there */
    e->slot_t = UINT64_MAX;
    e->pending--;
    e->events_run++;
    e->slot_fn(e->slot_ctx, e->slot_arg);
}

static void run_small(sim_engine *e, sim_time until)
{
    /* sim_run enters with the engine running (not stopped). A move to the heap empties the
     * array and sets small[0] to SMALL_OFF, which no slot precedes, so the loop ends there
     * without a test of the kind; while the array is in use, an empty one shows small[0], the
     * sentinel, later than any slot */
    for (;;) {
        sim__key k = e->small[e->slen];
        if (e->slot < k) {
            if ((sim_time)SIM__KEY_TIME(e->slot) > until)
                break;
            run_slot(e);
        } else {
            if (e->slen == 0 || (sim_time)SIM__KEY_TIME(k) > until)
                break;
            e->slen--;
            dispatch(e, k);
        }
        if (e->stopped)
            break;
    }
}

static void run_heap(sim_engine *e, sim_time until)
{
    sim__heap *q = &e->heap;
    while (!e->stopped && e->kind == SIM_PES_HEAP) {
        drop_held(e);
        if (__builtin_expect(e->pending < e->to_small, 0)) {
            heap_to_small(e);
            return;
        }
        sim__key k = q->len > 0 ? q->h[0] : SLOT_EMPTY;
        if (__builtin_expect(SIM__KEY_TIME(k) >= e->slot_t, 0) && e->slot < k) {
            if ((sim_time)SIM__KEY_TIME(e->slot) > until)
                break;
            run_slot(e);
            continue;
        }
        if (q->len == 0)
            break;
        if ((sim_time)SIM__KEY_TIME(k) > until)
            break;
        e->held = 1; /* popped when the callback has scheduled nothing in its place */
        dispatch(e, k);
    }
    if (e->kind == SIM_PES_HEAP)
        drop_held(e);
}

static void run_ladder(sim_engine *e, sim_time until)
{
    sim__ladder *q = &e->lq;
    while (!e->stopped && e->kind == SIM_PES_LADDER) {
        if (__builtin_expect(e->pending < e->to_heap, 0)) {
            ladder_to_heap(e);
            if (e->kind == SIM_PES_HEAP)
                return;
        }
        if (!sim__ladder_ready(q)) {
            int rc = sim__ladder_refill(q);
            if (rc < 0) {
                fail(e, BASE_ENOMEM, "out of memory for pending events");
                break;
            }
            /* a fresh Bottom: fetch the nodes of its first keys, the loop below the rest */
            for (uint32_t i = q->bh; i < q->bt && i < q->bh + LADDER_PREFETCH; i++)
                __builtin_prefetch(&e->nodes[SIM__KEY_NODE(q->bot[i])]);
        }
        sim__key k = sim__ladder_ready(q) ? q->bot[q->bh] : SLOT_EMPTY;
        if (__builtin_expect(SIM__KEY_TIME(k) >= e->slot_t, 0) && e->slot < k) {
            if ((sim_time)SIM__KEY_TIME(e->slot) > until)
                break;
            run_slot(e);
            continue;
        }
        if (!sim__ladder_ready(q) || (sim_time)SIM__KEY_TIME(k) > until)
            break;
        q->bh++;
        /* Bottom says which events come next: start fetching their nodes now */
        if (q->bh + LADDER_PREFETCH < q->bt)
            __builtin_prefetch(&e->nodes[SIM__KEY_NODE(q->bot[q->bh + LADDER_PREFETCH])]);
        dispatch(e, k);
    }
}

int sim_run(sim_engine *e, sim_time until, base_err *err)
{
    e->stopped = 0;
    /* an adaptive engine may change sets inside either loop: go on in the other one */
    int was;
    do {
        was = e->kind;
        if (e->error)
            break;
        if (e->kind == SET_SMALL)
            run_small(e, until);
        else if (e->kind == SIM_PES_LADDER)
            run_ladder(e, until);
        else
            run_heap(e, until);
    } while (!e->stopped && !e->error && e->kind != was);
    if (e->error)
        return base_err_set(err, e->error, NULL, 0, 0, "%s", e->errmsg);
    if (!e->stopped && until != SIM_NEVER && e->now < until)
        e->now = until;
    return BASE_OK;
}
