/*
 * engine.c — the clock and the pending-event set.
 *
 * The pending-event set is a 4-ary min-heap of 16-byte keys (time, seq<<24 | node). Ordering on
 * (time, seq) gives deterministic ties (insertion order). With four 16-byte keys per sibling
 * group and the array offset so that each group starts on a 64-byte line, a sift-down touches
 * one cache line per level; depth is log4(n), half that of a binary heap. Pops use Floyd's
 * bottom-up variant: move the hole to a leaf along the smallest children (3 comparisons a level,
 * no comparison against the moved element), then sift the former last element up from there —
 * it usually belongs near the bottom, so the upward pass is short.
 *
 * Event nodes (callback, ctx, arg) live in a pool indexed by 24 bits and recycled through a free
 * list. A node's generation changes each time it is released, so a sim_handle (generation<<32 |
 * node) goes stale as soon as its event has run or been dropped.
 */
#include "kernel/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NODE_BITS 24
#define NODE_MASK ((1u << NODE_BITS) - 1)
#define SEQ_LIMIT ((uint64_t)1 << (64 - NODE_BITS))
#define HEAP_PAD 3 /* entries before index 0 so that groups 4i+1..4i+4 share a cache line */

/* One 128-bit key: time (ns) in the high half, seq << NODE_BITS | node in the low half, so
 * (time, seq) order is one unsigned comparison, which the compiler turns into flag arithmetic
 * and conditional moves instead of two data-dependent branches per child. */
__extension__ typedef unsigned __int128 heap_key;
#define KEY_TIME(k) ((uint64_t)((k) >> 64))
#define KEY_LOW(k) ((uint64_t)(k))
#define MAKE_KEY(t, low) (((heap_key)(t) << 64) | (heap_key)(low))

typedef struct node {
    sim_fn fn; /* NULL: cancelled (or free) */
    void *ctx;
    void *arg;
    uint32_t gen;
    uint32_t next_free;
} node;

struct sim_engine {
    sim_time now;
    heap_key *heap; /* heap[0] is the minimum; heap = alloc + HEAP_PAD */
    heap_key *heap_alloc;
    uint32_t heap_len, heap_cap;
    node *nodes;
    uint32_t node_cap, free_head; /* free_head == UINT32_MAX: empty free list */
    uint32_t node_used;           /* nodes ever handed out (high-water mark) */
    uint64_t seq;
    uint64_t events_run;
    int stopped;
    int error;       /* status recorded by a failed schedule */
    char errmsg[128];
};

sim_time sim_from_sec(double s)
{
    if (!(s > 0))
        return 0;
    if (s >= 9.2e9)
        return SIM_NEVER;
    return (sim_time)(s * 1e9 + 0.5); /* round half up; s > 0 here */
}

sim_engine *sim_new(void)
{
    sim_engine *e = calloc(1, sizeof *e);
    if (e)
        e->free_head = UINT32_MAX;
    return e;
}

void sim_free(sim_engine *e)
{
    if (!e)
        return;
    free(e->heap_alloc);
    free(e->nodes);
    free(e);
}

sim_time sim_now(const sim_engine *e)
{
    return e->now;
}

uint64_t sim_pending(const sim_engine *e)
{
    return e->heap_len;
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
    e->stopped = 1;
}

static int grow_heap(sim_engine *e)
{
    uint32_t cap = e->heap_cap ? e->heap_cap * 2 : 1024;
    size_t bytes = ((size_t)cap + HEAP_PAD + 1) * sizeof(heap_key);
    bytes = (bytes + 63) & ~(size_t)63; /* aligned_alloc wants a multiple of the alignment */
    heap_key *a = aligned_alloc(64, bytes);
    if (!a)
        return -1;
    if (e->heap_len)
        memcpy(a + HEAP_PAD, e->heap, e->heap_len * sizeof(heap_key));
    free(e->heap_alloc);
    e->heap_alloc = a;
    e->heap = a + HEAP_PAD;
    e->heap_cap = cap;
    return 0;
}

static uint32_t alloc_node(sim_engine *e)
{
    if (e->free_head != UINT32_MAX) {
        uint32_t n = e->free_head;
        e->free_head = e->nodes[n].next_free;
        return n;
    }
    if (e->node_used == e->node_cap) {
        if (e->node_cap >= SIM_MAX_PENDING)
            return UINT32_MAX;
        uint32_t cap = e->node_cap ? e->node_cap * 2 : 1024;
        node *n = realloc(e->nodes, (size_t)cap * sizeof *n);
        if (!n)
            return UINT32_MAX;
        e->nodes = n;
        e->node_cap = cap;
    }
    uint32_t n = e->node_used++;
    e->nodes[n].gen = 1;
    return n;
}

static void release_node(sim_engine *e, uint32_t n)
{
    e->nodes[n].fn = NULL;
    e->nodes[n].gen++;
    if (e->nodes[n].gen == 0)
        e->nodes[n].gen = 1; /* generation 0 would let handle 0 name a real event */
    e->nodes[n].next_free = e->free_head;
    e->free_head = n;
}

static void sift_up(heap_key *h, uint32_t i, heap_key k)
{
    while (i > 0) {
        uint32_t p = (i - 1) >> 2;
        if (k >= h[p])
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = k;
}

/* Removes heap[0]; Floyd's bottom-up sift of the last key. */
static void pop_min(sim_engine *e)
{
    heap_key *h = e->heap;
    uint32_t n = --e->heap_len;
    if (n == 0)
        return;
    heap_key last = h[n];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 4 * i + 1;
        if (c + 3 < n) {
            /* the smallest of four siblings as a tournament: independent comparisons */
            uint32_t a = h[c + 1] < h[c] ? c + 1 : c;
            uint32_t b = h[c + 3] < h[c + 2] ? c + 3 : c + 2;
            uint32_t m = h[b] < h[a] ? b : a;
            h[i] = h[m];
            i = m;
        } else {
            if (c >= n)
                break;
            uint32_t m = c;
            for (uint32_t j = c + 1; j < n; j++)
                if (h[j] < h[m])
                    m = j;
            h[i] = h[m];
            i = m;
            break; /* a partial group has no children */
        }
    }
    sift_up(h, i, last);
}

sim_handle sim_schedule_at(sim_engine *e, sim_time at, sim_fn fn, void *ctx, void *arg)
{
    if (e->error)
        return SIM_NO_EVENT;
    if (at < e->now)
        at = e->now;
    if (e->seq >= SEQ_LIMIT) {
        fail(e, BASE_ELIMIT, "more than 2^40 events scheduled in one run");
        return SIM_NO_EVENT;
    }
    if (e->heap_len == e->heap_cap && grow_heap(e) != 0) {
        fail(e, BASE_ENOMEM, "out of memory for pending events");
        return SIM_NO_EVENT;
    }
    uint32_t n = alloc_node(e);
    if (n == UINT32_MAX) {
        fail(e, e->node_cap >= SIM_MAX_PENDING ? BASE_ELIMIT : BASE_ENOMEM,
             e->node_cap >= SIM_MAX_PENDING ? "more than 2^24 events pending at once"
                                            : "out of memory for pending events");
        return SIM_NO_EVENT;
    }
    node *nd = &e->nodes[n];
    nd->fn = fn;
    nd->ctx = ctx;
    nd->arg = arg;
    heap_key k = MAKE_KEY((uint64_t)at, (e->seq++ << NODE_BITS) | n);
    sift_up(e->heap, e->heap_len++, k);
    return ((uint64_t)nd->gen << 32) | n;
}

sim_handle sim_schedule(sim_engine *e, sim_time delay, sim_fn fn, void *ctx, void *arg)
{
    if (delay < 0)
        delay = 0;
    sim_time at = delay > SIM_NEVER - e->now ? SIM_NEVER : e->now + delay;
    return sim_schedule_at(e, at, fn, ctx, arg);
}

bool sim_cancel(sim_engine *e, sim_handle h)
{
    if (h == SIM_NO_EVENT)
        return false;
    uint32_t n = (uint32_t)(h & 0xffffffffu);
    uint32_t gen = (uint32_t)(h >> 32);
    if (n >= e->node_used || e->nodes[n].gen != gen || e->nodes[n].fn == NULL)
        return false;
    e->nodes[n].fn = NULL; /* dropped when it reaches the top of the heap */
    return true;
}

int sim_run(sim_engine *e, sim_time until, base_err *err)
{
    e->stopped = 0;
    while (!e->stopped && e->heap_len > 0) {
        heap_key top = e->heap[0];
        if ((sim_time)KEY_TIME(top) > until)
            break;
        uint32_t n = (uint32_t)(KEY_LOW(top) & NODE_MASK);
        node nd = e->nodes[n];
        pop_min(e);
        release_node(e, n);
        if (!nd.fn)
            continue; /* cancelled */
        e->now = (sim_time)KEY_TIME(top);
        e->events_run++;
        nd.fn(nd.ctx, nd.arg);
    }
    if (e->error)
        return base_err_set(err, e->error, NULL, 0, 0, "%s", e->errmsg);
    if (!e->stopped && until != SIM_NEVER && e->now < until)
        e->now = until;
    return BASE_OK;
}
