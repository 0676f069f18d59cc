/*
 * pes.h — private to src/kernel/: the two pending-event sets behind a sim_engine.
 *
 * Both sets hold the same thing, a 128-bit key per pending event: time (ns, as uint64) in the
 * high half and seq << 24 | node in the low half, where seq is the engine's insertion counter
 * and node the index of the event's callback record in the engine's node pool. Because seq is
 * unique, keys are unique and their unsigned order is exactly (time, insertion sequence); any
 * correct priority queue over these keys therefore produces the same event order, which is what
 * lets the ladder queue be checked against the heap event by event (tests/test_kernel.c). The
 * sets know nothing of callbacks or cancellation: engine.c drops cancelled events when their key
 * is popped, for either set alike.
 *
 *   sim__heap    a 4-ary min-heap (pes_heap.c): O(log n) per operation, compact, no tuning; kept
 *                as the reference implementation and for tiny sets.
 *   sim__ladder  a ladder queue (pes_ladder.c; Tang, Goh and Thng, ACM TOMACS 15(3), 2005):
 *                amortised O(1) per operation; the default.
 *
 * The ladder's hot paths (append to Top or to the batch of rung-bound keys, take the next key of
 * Bottom) are inline here so that sim_schedule and sim_run reach them without a call even without
 * link-time optimisation; everything that restructures the ladder is out of line.
 *
 * Names are sim__* (two underscores): shared between the kernel's files, never public.
 */
#ifndef SIMULATE_KERNEL_PES_H
#define SIMULATE_KERNEL_PES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- keys */

__extension__ typedef unsigned __int128 sim__key;

#define SIM__NODE_BITS   24
#define SIM__NODE_MASK   ((1u << SIM__NODE_BITS) - 1)
#define SIM__SEQ_LIMIT   ((uint64_t)1 << (64 - SIM__NODE_BITS))
#define SIM__KEY_TIME(k) ((uint64_t)((k) >> 64))
#define SIM__KEY_NODE(k) ((uint32_t)(uint64_t)(k)&SIM__NODE_MASK)
#define SIM__MAKE_KEY(t, seq, node)                                                                \
    (((sim__key)(uint64_t)(t) << 64) | (sim__key)(((uint64_t)(seq) << SIM__NODE_BITS) | (node)))

/* ---------------------------------------------------------------- memory */

/* Allocates `bytes` (> 0) aligned to 64; blocks of 2 MiB or more are aligned to 2 MiB and
 * advised for transparent huge pages, so that random access over a large pool does not miss the
 * TLB on every touch. Free with free(). NULL when out of memory. (pes_ladder.c) */
void *sim__alloc_big(size_t bytes);

/* ---------------------------------------------------------------- 4-ary heap (pes_heap.c) */

typedef struct sim__heap {
    sim__key *h;     /* h[0] is the minimum; h = alloc + pad, so sibling groups share a line */
    sim__key *alloc; /* what aligned_alloc returned */
    uint32_t len, cap;
} sim__heap;

/* Makes room for one more key. 0, or -1 when out of memory (the heap is unchanged). */
int sim__heap_reserve(sim__heap *q);
/* Adds k; sim__heap_reserve must have succeeded since the last push. */
void sim__heap_push(sim__heap *q, sim__key k);
/* Removes h[0]; len > 0. */
void sim__heap_pop(sim__heap *q);
/* Removes h[0] and adds k, as a pop then a push would but in one pass; len > 0. */
void sim__heap_replace_top(sim__heap *q, sim__key k);
void sim__heap_free(sim__heap *q);

/* ---------------------------------------------------------------- ladder queue (pes_ladder.c) */

#define SIM__LQ_CHUNK     8  /* keys per bucket chunk: 128 bytes, two cache lines */
#define SIM__LQ_MAX_RUNGS 48 /* deeper spawns are refused: the bucket goes to Bottom as it is */
#define SIM__LQ_NONE      UINT32_MAX
#define SIM__LQ_BATCH     16 /* keys bound for rungs, appended to their buckets together */

/* A bucket: a chain of chunks, filled in order, so the tail chunk holds count % CHUNK keys (a
 * full chunk when that is 0 and count > 0). */
typedef struct sim__lq_bucket {
    uint32_t head, tail, count;
} sim__lq_bucket;

/* A rung: nb buckets over [start, end). Bucket i < nb - 1 covers [start + i·w, start + (i+1)·w)
 * with w = 2^shift; the last bucket also takes everything up to `end`. Buckets before `cur` have
 * been handed down (to a child rung or to Bottom); `live` = start + cur·w is where the rung's
 * own events begin. Invariant: cur < nb for every rung in use. */
typedef struct sim__lq_rung {
    uint64_t start, live, end;
    uint32_t shift, nb, cur;
    uint32_t bcap;     /* capacity of b; the array belongs to this depth and is reused */
    sim__lq_bucket *b; /* nb buckets */
} sim__lq_rung;

/*
 * The three tiers cover consecutive, disjoint time ranges, earliest first:
 *   Bottom   (-inf, live of the deepest rung, or top_start without rungs): sorted, popped in order
 *   rung d   [live_d, live_{d-1})   (rung 0 ends at top_start)
 *   Top      [top_start, +inf): unsorted, appended in insertion order
 * so a key goes to the first tier, searching from Top down, whose range holds its time.
 */
typedef struct sim__ladder {
    /* Bottom: keys bot[bh..bt) in increasing order */
    sim__key *bot;
    sim__key *scratch; /* merge-sort buffer, same capacity as bot */
    uint32_t bh, bt, bcap;
    /* rungs 0..nr-1, 0 the coarsest */
    uint32_t nr;
    uint64_t top_start;
    /* Top */
    sim__key *top;
    uint32_t ntop, topcap;
    uint64_t top_min, top_max;
    /* keys bound for a rung, not yet in their buckets (see sim__ladder_push) */
    uint32_t npend;
    sim__key pend[SIM__LQ_BATCH];
    /* chunk pool: chunk c holds ck[c·CHUNK ..]; cnext[c] links a chain or the free list */
    sim__key *ck;
    uint32_t *cnext;
    uint32_t ccap, cused, cfree, nfree;
    sim__lq_rung rung[SIM__LQ_MAX_RUNGS];
} sim__ladder;

void sim__ladder_init(sim__ladder *q);
void sim__ladder_free(sim__ladder *q);
/* Adds k outside the fast paths below. 0, or -1 when out of memory (the set is unchanged). */
int sim__ladder_push_slow(sim__ladder *q, sim__key k);
/* Appends the batched keys to their buckets. 0, or -1 when out of memory (they stay batched). */
int sim__ladder_flush(sim__ladder *q);
/* Called when Bottom is empty: hands keys down until Bottom holds the earliest ones. 1 when
 * Bottom is then non-empty, 0 when the set is empty, -1 when out of memory (nothing lost). */
int sim__ladder_refill(sim__ladder *q);

/* Appends k, due at t, to Top, which has room for it; Top's range follows. */
static inline void sim__ladder_top_add(sim__ladder *q, sim__key k, uint64_t t)
{
    q->top[q->ntop++] = k;
    if (t < q->top_min)
        q->top_min = t;
    if (t > q->top_max)
        q->top_max = t;
}

/* Adds k. 0, or -1 when out of memory (the set is unchanged).
 *
 * A key later than all of Bottom (at or after the deepest rung's live start) cannot be the next
 * to leave, so it is only batched here; sim__ladder_flush appends a batch to its buckets with
 * the bucket headers and tails prefetched, so that the cache misses of random appends overlap
 * instead of stalling one push at a time. Every restructuring (sim__ladder_refill) flushes first.
 */
static inline int sim__ladder_push(sim__ladder *q, sim__key k)
{
    uint64_t t = SIM__KEY_TIME(k);
    if (t >= q->top_start) {
        if (q->ntop == q->topcap)
            return sim__ladder_push_slow(q, k);
        sim__ladder_top_add(q, k, t);
        return 0;
    }
    if (q->nr == 0 || t < q->rung[q->nr - 1].live)
        return sim__ladder_push_slow(q, k);
    if (q->npend == SIM__LQ_BATCH && sim__ladder_flush(q) != 0)
        return -1;
    q->pend[q->npend++] = k;
    return 0;
}

/* The earliest key is q->bot[q->bh] when q->bh < q->bt; otherwise call sim__ladder_refill. */
static inline bool sim__ladder_ready(const sim__ladder *q)
{
    return q->bh < q->bt;
}

#endif
