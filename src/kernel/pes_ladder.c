/*
 * pes_ladder.c — the ladder-queue pending-event set (see pes.h for the keys and the tiers).
 *
 * Source: W. T. Tang, R. S. M. Goh, I. L.-J. Thng, "Ladder queue: An O(1) priority queue
 * structure for large-scale discrete event simulation", ACM TOMACS 15(3):175–204, 2005. The
 * structure is theirs: an unsorted Top that takes far-future events in O(1); a ladder of rungs,
 * each an array of buckets over a time range, built lazily from Top and refined by spawning a
 * finer child rung from a bucket that holds too many events (more than THRES); and a sorted
 * Bottom from which events leave in order. An event is moved a few times on its way down, so an
 * operation costs O(1) amortised for the increment distributions the paper studies (uniform,
 * exponential, bimodal, Pareto, ...), against O(log n) for a heap. In the hold model
 * at 10^5 pending events an event is appended to a rung-0 bucket, handed to Bottom with ~130
 * others and popped: about 17 ns a hold for the set alone (keys only, no callbacks), where the
 * 4-ary heap takes 86; 21 against 274 at 10^6, 23 against 45 at 10^3.
 *
 * Where this version departs from the paper, and why (measured with tools/bench/bench_hold.c):
 *
 * - Keys, not nodes, travel. Buckets are chains of 128-byte chunks of 16-byte keys from a pool,
 *   not lists threaded through the event records, so handing a bucket down reads a few cache
 *   lines instead of chasing one pointer per event across a working set larger than L2. Bottom
 *   is a sorted array popped by advancing an index, so the engine can prefetch the event records
 *   of the next keys (engine.c), and the chunks of a bucket are prefetched before it is read.
 * - Bucket widths are powers of two: the bucket of a time is a subtraction and a shift. A rung's
 *   last bucket also takes everything up to the end of the rung's range, so a rung is sized to
 *   the events it is built from (their min..max), not to the whole range it must cover.
 * - Rungs are sized by count: about TARGET events per bucket, TOP_FACTOR times finer for rung 0
 *   (exponential increments make rung 0 densest at its start, where its buckets also collect
 *   most later insertions), not the paper's one bucket per event, which costs a chunk and a
 *   header per event. THRES is high because Bottom is not filled by insertion sort: a bucket is
 *   counting-sorted by time into 2n slots, then finished by an insertion pass over the nearly
 *   sorted result (distribute_sort), linear in practice; insertion-sorting 30-key buckets was
 *   half of the set's time. With THRES = 256 the hold model never spawns a child rung.
 * - Appends to rungs are batched (pes.h, sim__ladder_flush): a key later than everything in
 *   Bottom cannot be the next to leave, so up to 16 of them wait and are appended together with
 *   their bucket headers and tails prefetched; the misses overlap instead of stalling each push
 *   (+7% holds/s at 10^5, +21% at 10^6). Every restructuring flushes first.
 * - A child rung covers [min time of its events, end of the parent bucket): a burst at one
 *   instant inside a wide bucket is isolated in one step instead of one rung per halving. A
 *   bucket whose events all share one time is moved to Bottom directly (it cannot be split); if
 *   it is large, an empty rung is put over the rest of its range so that Bottom then only takes
 *   events at that time, which are appended at its end.
 * - Times are integers, so refinement stops at width 1 ns; the rung limit (48) is a guard that
 *   the progress argument (a child of a non-last bucket has a smaller width than its parent)
 *   makes practically unreachable; past it a bucket goes to Bottom as it is (correct, slower).
 * - Bottom turns into a rung when it holds more than BOT_MAX events of more than one time (the
 *   paper's "Bottom to rung" transfer), which bounds the cost of a sorted insertion into it.
 * - Pools of 2 MiB or more are advised for transparent huge pages (sim__alloc_big): at 10^6
 *   pending events the node and chunk pools span thousands of 4 KiB pages (+17% holds/s).
 *
 * Allocation: Top, Bottom, the chunk pool and each depth's bucket array grow by doubling and are
 * kept, so a steady state allocates nothing. Every restructuring step reserves what it needs
 * before it changes anything, so running out of memory loses no event.
 *
 * Correctness does not depend on the tuning: keys are unique and every sort and comparison is
 * on the whole key, so any bucket sizes give the order (time, seq). tests/test_kernel.c checks
 * it against the heap, both through the engine and key by key at the ladder's seams.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "kernel/pes.h"

#include "base/base.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CH        SIM__LQ_CHUNK
#define NONE      SIM__LQ_NONE
#define MAX_RUNGS SIM__LQ_MAX_RUNGS

/*
 * Tuning (overridable with -D for experiments). Holds/s of bench_hold at 10^3 / 10^5 / 10^6
 * pending events, best of several runs on the 2-core development machine, with T = TARGET,
 * THRES and F = TOP_FACTOR: (32, 256, 4) 23.2 / 23.8 / 18.4 M; (32, 256, 2) 21.6 / 24.2 / 16.3;
 * (32, 256, 8) 23.4 / 23.0 / 17.1; (64, 512, 4) 21.8 / 24.2 / 19.1; (16, 256, 4) 23.5 / 23.1 /
 * 17.0. With insertion-sorted Bottom fills the best was (16, 48, 4) at 14.8 M at 10^5.
 */
#ifndef LQ_TARGET
#define LQ_TARGET 32 /* events per bucket a new rung aims for */
#endif
#ifndef LQ_THRES
#define LQ_THRES 256 /* a fuller bucket spawns a child rung instead of going to Bottom */
#endif
#ifndef LQ_TOP_FACTOR
#define LQ_TOP_FACTOR 4 /* rung 0 built from Top gets TOP_FACTOR times more buckets */
#endif
#ifndef LQ_BOT_MAX
#define LQ_BOT_MAX (2 * LQ_THRES) /* a larger Bottom of more than one time becomes a rung */
#endif
#define BOT_SLACK 16  /* room left before Bottom's first key for insertions at its front */
#define CSORT_MAX 512 /* larger sets (or sets of one time) are merge-sorted */

void sim__ladder_init(sim__ladder *q)
{
    memset(q, 0, sizeof *q);
    q->cfree = NONE;
    q->top_min = UINT64_MAX;
}

void sim__ladder_free(sim__ladder *q)
{
    free(q->bot);
    free(q->scratch);
    free(q->top);
    free(q->ck);
    free(q->cnext);
    for (uint32_t d = 0; d < MAX_RUNGS; d++)
        free(q->rung[d].b);
    sim__ladder_init(q);
}

void *sim__alloc_big(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    if (bytes < huge)
        return aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    bytes = (bytes + huge - 1) & ~(huge - 1);
    void *p = aligned_alloc(huge, bytes);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure changes nothing */
#endif
    return p;
}

/* ---------------------------------------------------------------- chunk pool */

static uint32_t chunks_of(uint32_t count)
{
    return (count + CH - 1) / CH;
}

/* Ensures m chunks can be taken without allocating. */
static int chunks_reserve(sim__ladder *q, uint64_t m)
{
    uint64_t avail = (uint64_t)q->nfree + (q->ccap - q->cused);
    if (avail >= m)
        return 0;
    uint64_t want = (uint64_t)q->cused + (m - q->nfree);
    uint64_t cap = q->ccap ? q->ccap : 256;
    while (cap < want)
        cap *= 2;
    if (cap >= NONE)
        return -1;
    sim__key *ck = sim__alloc_big((size_t)cap * CH * sizeof(sim__key));
    if (!ck)
        return -1;
    uint32_t *nx = realloc(q->cnext, (size_t)cap * sizeof *nx);
    if (!nx) {
        free(ck);
        return -1;
    }
    if (q->cused)
        memcpy(ck, q->ck, (size_t)q->cused * CH * sizeof(sim__key));
    free(q->ck);
    q->ck = ck;
    q->cnext = nx;
    q->ccap = (uint32_t)cap;
    return 0;
}

/* One chunk; chunks_reserve must have guaranteed it. */
static uint32_t chunk_take(sim__ladder *q)
{
    uint32_t c = q->cfree;
    if (c != NONE) {
        q->cfree = q->cnext[c];
        q->nfree--;
    } else {
        c = q->cused++;
    }
    q->cnext[c] = NONE;
    return c;
}

/* Returns a bucket's chain to the pool in O(1). */
static void chain_release(sim__ladder *q, sim__lq_bucket b)
{
    if (b.count == 0)
        return;
    q->cnext[b.tail] = q->cfree;
    q->cfree = b.head;
    q->nfree += chunks_of(b.count);
}

/* Appends k to b; a chunk must be reserved when b's tail is full. */
static void bucket_add(sim__ladder *q, sim__lq_bucket *b, sim__key k)
{
    uint32_t fill = b->count & (CH - 1);
    if (fill == 0) {
        uint32_t c = chunk_take(q);
        if (b->count == 0)
            b->head = c;
        else
            q->cnext[b->tail] = c;
        b->tail = c;
    }
    q->ck[(size_t)b->tail * CH + fill] = k;
    b->count++;
}

/* ---------------------------------------------------------------- rungs */

static uint32_t bitlen(uint64_t x)
{
    return x ? 64u - (uint32_t)__builtin_clzll(x) : 0u;
}

/* The smallest s with (span >> s) < nbt (nbt >= 2): buckets of width 2^s over a span. */
static uint32_t shift_for(uint64_t span, uint64_t nbt)
{
    if (span < nbt)
        return 0;
    uint32_t s = bitlen(span) - bitlen(nbt);
    if ((span >> s) >= nbt)
        s++;
    return s;
}

static uint32_t rung_index(const sim__lq_rung *r, uint64_t t)
{
    uint64_t i = (t - r->start) >> r->shift;
    return i >= r->nb ? r->nb - 1 : (uint32_t)i;
}

/*
 * Makes the rung at depth d cover [lo, end) for `count` keys whose times lie in [lo, hi], with
 * about nbt buckets over [lo, hi] (the last one reaching to end). Reserves the bucket array and
 * the chunks the keys will need first: on failure returns -1 and nothing has changed.
 */
/* base_grow for an array whose capacity the ladder keeps in 32 bits (a rung's buckets, Top):
 * `pp` is the address of the array's pointer, which is replaced by the grown array; 0, or -1
 * out of memory (nothing changed) or past 2^32 elements (the capacity left as it was, which the
 * array still holds). The pointer moves by memcpy, so that any array type's pointer can. */
static int grow32(void *pp, uint32_t *cap32, size_t need, size_t size, size_t first)
{
    void *p;
    memcpy(&p, pp, sizeof p);
    size_t cap = *cap32;
    p = base_grow(p, &cap, need, size, first);
    if (!p)
        return -1;
    memcpy(pp, &p, sizeof p);
    if (cap > UINT32_MAX)
        return -1;
    *cap32 = (uint32_t)cap;
    return 0;
}

static int rung_setup(sim__ladder *q, uint32_t d, uint64_t lo, uint64_t hi, uint64_t end,
                      uint32_t count, uint64_t nbt)
{
    if (nbt < 2)
        nbt = 2;
    if (nbt > (1u << 22))
        nbt = 1u << 22;
    uint32_t shift = shift_for(hi - lo, nbt);
    uint32_t nb = (uint32_t)((hi - lo) >> shift) + 1;
    sim__lq_rung *r = &q->rung[d];
    if (r->bcap < nb && grow32(&r->b, &r->bcap, nb, sizeof *r->b, 64) != 0)
        return -1;
    if (chunks_reserve(q, (uint64_t)chunks_of(count) + nb) != 0)
        return -1;
    memset(r->b, 0, (size_t)nb * sizeof *r->b);
    r->start = r->live = lo;
    r->end = end;
    r->shift = shift;
    r->nb = nb;
    r->cur = 0;
    return 0;
}

static void scatter(sim__ladder *q, sim__lq_rung *r, const sim__key *a, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++)
        bucket_add(q, &r->b[rung_index(r, SIM__KEY_TIME(a[j]))], a[j]);
}

static void scatter_chain(sim__ladder *q, sim__lq_rung *r, sim__lq_bucket b)
{
    uint32_t left = b.count;
    for (uint32_t c = b.head; left > 0; c = q->cnext[c]) {
        uint32_t m = left < CH ? left : CH;
        scatter(q, r, q->ck + (size_t)c * CH, m);
        left -= m;
    }
}

/* The time range of a bucket's keys, and the keys themselves copied to `out` in chain order
 * when it is not NULL (chain_to_bottom); inline, so that each caller gets its own loop. */
static inline __attribute__((always_inline)) void
chain_gather(const sim__ladder *q, sim__lq_bucket b, uint64_t *lo, uint64_t *hi, sim__key *out)
{
    uint64_t mn = UINT64_MAX, mx = 0;
    uint32_t left = b.count;
    for (uint32_t c = b.head; left > 0; c = q->cnext[c]) {
        uint32_t m = left < CH ? left : CH;
        const sim__key *a = q->ck + (size_t)c * CH;
        for (uint32_t j = 0; j < m; j++) {
            uint64_t t = SIM__KEY_TIME(a[j]);
            mn = t < mn ? t : mn;
            mx = t > mx ? t : mx;
            if (out)
                out[j] = a[j];
        }
        if (out)
            out += m;
        left -= m;
    }
    *lo = mn;
    *hi = mx;
}

/* ---------------------------------------------------------------- Bottom */

static void insertion_sort(sim__key *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        sim__key x = a[i];
        uint32_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Sorts a[0..n) ascending: linear when already sorted (a bucket of one time is in insertion
 * order), insertion sort for the usual small bucket, else a bottom-up merge sort through tmp. */
static void sort_keys(sim__key *a, uint32_t n, sim__key *tmp)
{
    uint32_t i = 1;
    while (i < n && a[i - 1] < a[i])
        i++;
    if (i >= n)
        return;
    if (n <= 32) {
        insertion_sort(a, n);
        return;
    }
    const uint32_t run = 16;
    for (uint32_t s = 0; s < n; s += run)
        insertion_sort(a + s, n - s < run ? n - s : run);
    sim__key *src = a, *dst = tmp;
    for (uint32_t w = run; w < n; w *= 2) {
        for (uint32_t s = 0; s < n; s += 2 * w) {
            uint32_t m = s + w < n ? s + w : n, e = s + 2 * w < n ? s + 2 * w : n;
            uint32_t x = s, y = m, o = s;
            while (x < m && y < e)
                dst[o++] = src[y] < src[x] ? src[y++] : src[x++];
            while (x < m)
                dst[o++] = src[x++];
            while (y < e)
                dst[o++] = src[y++];
        }
        sim__key *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, (size_t)n * sizeof *a);
}

/* Finishes a nearly sorted array by insertion; if that turns out to need many moves, sorts it
 * properly instead (tmp: n keys). */
static void insertion_finish(sim__key *a, uint32_t n, sim__key *tmp)
{
    uint32_t budget = 4 * n + 64;
    for (uint32_t i = 1; i < n; i++) {
        sim__key x = a[i];
        uint32_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
            if (--budget == 0) {
                a[j] = x;
                sort_keys(a, n, tmp);
                return;
            }
        }
        a[j] = x;
    }
}

/*
 * Sorts src[0..n) (times in [lo, hi]) into out[0..n): a counting sort of the keys into 2n slots
 * by time, stable so that keys of one time keep their (insertion) order, then an insertion pass
 * over the nearly sorted result. About ten instructions a key and few mispredicted branches,
 * where a plain insertion sort of a 30-key bucket mispredicts once a key and moved n/4 keys each
 * (it was half of the ladder's time in the hold benchmark). src is clobbered.
 */
static void distribute_sort(sim__key *src, uint32_t n, uint64_t lo, uint64_t hi, sim__key *out)
{
    if (n > CSORT_MAX || lo == hi) {
        memcpy(out, src, (size_t)n * sizeof *out);
        sort_keys(out, n, src);
        return;
    }
    uint32_t m = 1;
    while (m < 2 * n)
        m *= 2;
    uint32_t sh = shift_for(hi - lo, m);
    uint16_t pos[2 * CSORT_MAX];
    memset(pos, 0, m * sizeof pos[0]);
    for (uint32_t j = 0; j < n; j++)
        pos[(SIM__KEY_TIME(src[j]) - lo) >> sh]++;
    uint32_t sum = 0;
    for (uint32_t i = 0; i < m; i++) {
        uint32_t c = pos[i];
        pos[i] = (uint16_t)sum;
        sum += c;
    }
    for (uint32_t j = 0; j < n; j++)
        out[pos[(SIM__KEY_TIME(src[j]) - lo) >> sh]++] = src[j];
    insertion_finish(out, n, src);
}

/* Ensures room for `extra` more keys after bt (and, when Bottom is empty, resets it to start at
 * BOT_SLACK). Moves the live keys to the front instead of growing when that frees enough. */
static int bottom_reserve(sim__ladder *q, uint32_t extra)
{
    uint32_t n = q->bt - q->bh;
    if (n == 0)
        q->bh = q->bt = BOT_SLACK < q->bcap ? BOT_SLACK : 0;
    if ((uint64_t)q->bt + extra <= q->bcap)
        return 0;
    if (n + extra + BOT_SLACK <= q->bcap / 2) {
        memmove(q->bot + BOT_SLACK, q->bot + q->bh, (size_t)n * sizeof(sim__key));
        q->bh = BOT_SLACK;
        q->bt = BOT_SLACK + n;
        return 0;
    }
    uint64_t need = (uint64_t)n + extra + BOT_SLACK;
    uint64_t cap = q->bcap ? q->bcap : 256;
    while (cap < 2 * need)
        cap *= 2;
    if (cap > UINT32_MAX)
        return -1;
    sim__key *b = malloc((size_t)cap * sizeof *b);
    sim__key *s = malloc((size_t)cap * sizeof *s);
    if (!b || !s) {
        free(b);
        free(s);
        return -1;
    }
    if (n)
        memcpy(b + BOT_SLACK, q->bot + q->bh, (size_t)n * sizeof *b);
    free(q->bot);
    free(q->scratch);
    q->bot = b;
    q->scratch = s;
    q->bcap = (uint32_t)cap;
    q->bh = BOT_SLACK;
    q->bt = BOT_SLACK + n;
    return 0;
}

/* Bottom is empty: fills it with a bucket's keys, sorted, and returns the chain to the pool. The
 * keys are gathered into scratch first (with their time range), then sorted into Bottom. */
static int chain_to_bottom(sim__ladder *q, sim__lq_bucket b)
{
    if (bottom_reserve(q, b.count) != 0)
        return -1;
    /* the chunks lie anywhere in the pool: ask for all of them before reading the first
     * (b.count > 0: empty buckets are skipped) */
    uint32_t left = b.count;
    for (uint32_t c = b.head;; c = q->cnext[c]) {
        __builtin_prefetch(q->ck + (size_t)c * CH);
        __builtin_prefetch(q->ck + (size_t)c * CH + CH / 2);
        if (left <= CH)
            break;
        left -= CH;
    }
    uint64_t lo, hi;
    chain_gather(q, b, &lo, &hi, q->scratch);
    distribute_sort(q->scratch, b.count, lo, hi, q->bot + q->bt);
    q->bt += b.count;
    chain_release(q, b);
    return 0;
}

/* The end of Bottom's range: where the deepest rung's own events begin, or Top's. */
static uint64_t bottom_end(const sim__ladder *q)
{
    return q->nr ? q->rung[q->nr - 1].live : q->top_start;
}

static int bottom_insert(sim__ladder *q, sim__key k)
{
    uint32_t n = q->bt - q->bh;
    if (n >= LQ_BOT_MAX && q->nr < MAX_RUNGS && sim__ladder_flush(q) == 0) {
        uint64_t lo = SIM__KEY_TIME(q->bot[q->bh]), hi = SIM__KEY_TIME(q->bot[q->bt - 1]);
        if (lo < hi && rung_setup(q, q->nr, lo, hi, bottom_end(q), n, n / LQ_TARGET) == 0) {
            scatter(q, &q->rung[q->nr], q->bot + q->bh, n);
            q->nr++;
            q->bh = q->bt;
            return sim__ladder_push_slow(q, k);
        }
    }
    if (bottom_reserve(q, 1) != 0)
        return -1;
    /* upper bound: the first key greater than k (usually the end: k has the largest seq) */
    uint32_t a = q->bh, b = q->bt;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (q->bot[m] < k)
            a = m + 1;
        else
            b = m;
    }
    if (a - q->bh < q->bt - a && q->bh > 0) {
        memmove(q->bot + q->bh - 1, q->bot + q->bh, (size_t)(a - q->bh) * sizeof(sim__key));
        q->bh--;
        q->bot[a - 1] = k;
    } else {
        memmove(q->bot + a + 1, q->bot + a, (size_t)(q->bt - a) * sizeof(sim__key));
        q->bot[a] = k;
        q->bt++;
    }
    return 0;
}

/* ---------------------------------------------------------------- operations */

/* The rung a key at or after the deepest rung's live start goes to. */
static sim__lq_rung *route(sim__ladder *q, uint64_t t)
{
    uint32_t d = 0;
    while (t < q->rung[d].live)
        d++;
    return &q->rung[d];
}

int sim__ladder_flush(sim__ladder *q)
{
    uint32_t n = q->npend;
    if (n == 0)
        return 0;
    if (chunks_reserve(q, n) != 0)
        return -1;
    sim__lq_bucket *b[SIM__LQ_BATCH];
    for (uint32_t j = 0; j < n; j++) {
        uint64_t t = SIM__KEY_TIME(q->pend[j]);
        sim__lq_rung *r = route(q, t);
        b[j] = &r->b[rung_index(r, t)];
        __builtin_prefetch(b[j], 1);
    }
    for (uint32_t j = 0; j < n; j++) {
        uint32_t fill = b[j]->count & (CH - 1);
        if (fill != 0)
            __builtin_prefetch(&q->ck[(size_t)b[j]->tail * CH + fill], 1);
    }
    for (uint32_t j = 0; j < n; j++)
        bucket_add(q, b[j], q->pend[j]);
    q->npend = 0;
    return 0;
}

int sim__ladder_push_slow(sim__ladder *q, sim__key k)
{
    uint64_t t = SIM__KEY_TIME(k);
    if (t >= q->top_start) {
        if (q->ntop == q->topcap &&
            grow32(&q->top, &q->topcap, (size_t)q->ntop + 1, sizeof *q->top, 1024) != 0)
            return -1;
        sim__ladder_top_add(q, k, t);
        return 0;
    }
    for (uint32_t d = 0; d < q->nr; d++) {
        sim__lq_rung *r = &q->rung[d];
        if (t >= r->live) {
            if (chunks_reserve(q, 1) != 0)
                return -1;
            bucket_add(q, &r->b[rung_index(r, t)], k);
            return 0;
        }
    }
    return bottom_insert(q, k);
}

/* No rungs and Bottom empty: Top becomes rung 0, or goes to Bottom whole when it is small or of
 * one time. Top's range then starts after its latest event. */
static int top_to_ladder(sim__ladder *q)
{
    uint32_t n = q->ntop;
    uint64_t lo = q->top_min, hi = q->top_max;
    if (n <= LQ_THRES || lo == hi) {
        if (bottom_reserve(q, n) != 0)
            return -1;
        distribute_sort(q->top, n, lo, hi, q->bot + q->bt);
        q->bt += n;
    } else {
        uint64_t nbt = (uint64_t)n * LQ_TOP_FACTOR / LQ_TARGET;
        if (rung_setup(q, 0, lo, hi, hi + 1, n, nbt) != 0)
            return -1;
        scatter(q, &q->rung[0], q->top, n);
        q->nr = 1;
    }
    q->top_start = hi + 1; /* hi <= INT64_MAX: no overflow */
    q->ntop = 0;
    q->top_min = UINT64_MAX;
    q->top_max = 0;
    return 0;
}

int sim__ladder_refill(sim__ladder *q)
{
    if (sim__ladder_flush(q) != 0)
        return -1;
    for (;;) {
        if (q->nr == 0) {
            if (q->ntop == 0)
                return 0;
            if (top_to_ladder(q) != 0)
                return -1;
            if (q->bh < q->bt)
                return 1;
            continue;
        }
        uint32_t d = q->nr - 1;
        sim__lq_rung *r = &q->rung[d];
        uint32_t i = r->cur;
        while (i < r->nb && r->b[i].count == 0)
            i++;
        if (i == r->nb) {
            q->nr--; /* exhausted: its range now belongs to Bottom */
            continue;
        }
        r->cur = i;
        r->live = r->start + ((uint64_t)i << r->shift);
        sim__lq_bucket bk = r->b[i];
        bool last = i == r->nb - 1;
        uint64_t be = last ? r->end : r->start + ((uint64_t)(i + 1) << r->shift);
        uint64_t lo = 0, hi = 0;
        if (bk.count > LQ_THRES) {
            chain_gather(q, bk, &lo, &hi, NULL);
            if (lo < hi && (last || q->nr < MAX_RUNGS)) {
                /* spawn a child over [lo, be); it replaces a rung whose last bucket this is */
                uint32_t cd = last ? d : d + 1;
                if (rung_setup(q, cd, lo, hi, be, bk.count, bk.count / LQ_TARGET) != 0)
                    return -1;
                scatter_chain(q, &q->rung[cd], bk);
                chain_release(q, bk);
                if (!last) {
                    r->b[i].count = 0;
                    r->cur = i + 1;
                    r->live = be;
                }
                q->nr = cd + 1;
                continue;
            }
        }
        if (chain_to_bottom(q, bk) != 0)
            return -1;
        if (last) {
            q->nr--;
        } else {
            r->b[i].count = 0;
            r->cur = i + 1;
            r->live = be;
        }
        /* a large bucket of one time: an empty rung over the rest of its range keeps later
         * events out of Bottom, which then only ever appends (best effort: skipped without
         * memory, which costs time, not correctness) */
        if (bk.count > LQ_THRES && lo == hi && lo + 1 < be && q->nr < MAX_RUNGS &&
            rung_setup(q, q->nr, lo + 1, be - 1, be, 0, 2) == 0)
            q->nr++;
        return 1;
    }
}
