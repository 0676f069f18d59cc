/*
 * pes_heap.c — the 4-ary min-heap pending-event set (see pes.h for the keys).
 *
 * Why this shape: with four 16-byte keys per sibling group and the array offset so that each
 * group starts on a 64-byte line, a sift-down touches one cache line per level, and the depth is
 * log4(n), half that of a binary heap. Keys are compared as one unsigned 128-bit value, which the
 * compiler turns into flag arithmetic and conditional moves instead of two data-dependent
 * branches per child. Pops use Floyd's bottom-up variant (Floyd, "Algorithm 245: Treesort 3",
 * CACM 7(12), 1964; analysed for d-ary heaps by Wegener, "Bottom-up heapsort", TCS 118, 1993):
 * move the hole to a leaf along the smallest children (3 comparisons a level, none against the
 * moved element), then sift the former last key up from there — it usually belongs near the
 * bottom, so the upward pass is short. The deferred pop's replacement (sim__heap_replace_top,
 * engine.c) sifts from the top instead: its key is a new event, often due soon, which stops
 * high (M/M/10: 1,471 -> 1,408 instructions per customer, callgrind).
 *
 * The heap is the reference implementation: simple enough to be obviously right, and the ladder
 * queue (pes_ladder.c) is tested against it. It is O(log n) per operation and its sift-downs
 * miss the cache once the set outgrows L2, which is why it is not the default.
 */
#include "kernel/pes.h"

#include <stdlib.h>
#include <string.h>

#define HEAP_PAD 3 /* entries before index 0 so that groups 4i+1..4i+4 share a cache line */

int sim__heap_reserve(sim__heap *q)
{
    if (q->len < q->cap)
        return 0;
    uint32_t cap = q->cap ? q->cap * 2 : 1024;
    size_t bytes = ((size_t)cap + HEAP_PAD + 1) * sizeof(sim__key);
    bytes = (bytes + 63) & ~(size_t)63; /* aligned_alloc wants a multiple of the alignment */
    sim__key *a = aligned_alloc(64, bytes);
    if (!a)
        return -1;
    if (q->len)
        memcpy(a + HEAP_PAD, q->h, q->len * sizeof(sim__key));
    free(q->alloc);
    q->alloc = a;
    q->h = a + HEAP_PAD;
    q->cap = cap;
    return 0;
}

void sim__heap_free(sim__heap *q)
{
    free(q->alloc);
    q->alloc = q->h = NULL;
    q->len = q->cap = 0;
}

static void sift_up(sim__key *h, uint32_t i, sim__key k)
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

void sim__heap_push(sim__heap *q, sim__key k)
{
    sift_up(q->h, q->len++, k);
}

/* Fills h[0], whose key has left, with k, over h[0..n): Floyd's bottom-up way, the hole down to a
 * leaf along the smallest children, then k up. */
static inline void fill_root(sim__key *h, uint32_t n, sim__key k)
{
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
    sift_up(h, i, k);
}

void sim__heap_pop(sim__heap *q)
{
    uint32_t n = --q->len;
    if (n == 0)
        return;
    fill_root(q->h, n, q->h[n]); /* the last key fills the minimum's place */
}

/* Fills h[0] with k over h[0..n) from the top: the smallest child moves up while it is smaller
 * than k. The key that replaces the running event's is a new event, often due soon (the next
 * arrival), so it tends to stop high, where Floyd's way would take it to a leaf and back.
 * Pointers rather than indices: a 16-byte key's index costs a shift and an add per access. */
static inline void sift_root_down(sim__key *h, uint32_t n, sim__key k)
{
    sim__key *hole = h, *end = h + n;
    for (;;) {
        sim__key *c = h + 4 * (hole - h) + 1, *m;
        if (c + 3 < end) {
            sim__key *a = c[1] < c[0] ? c + 1 : c;
            sim__key *b = c[3] < c[2] ? c + 3 : c + 2;
            m = *b < *a ? b : a;
        } else {
            if (c >= end)
                break;
            m = c;
            for (sim__key *j = c + 1; j < end; j++)
                if (*j < *m)
                    m = j;
        }
        if (k < *m)
            break;
        *hole = *m;
        hole = m;
    }
    *hole = k;
}

void sim__heap_replace_top(sim__heap *q, sim__key k)
{
    sift_root_down(q->h, q->len, k);
}
