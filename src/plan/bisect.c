/*
 * bisect.c — the slices of the space and their bisection: each slice's analytic bound, then
 * rounds of screening at its midpoint, the slices bounding each other where one has at least
 * another's capacity in every monotone knob. Each slice's boundary is its finalist.
 */
#include "plan/internal.h"

#include <stdlib.h>
#include <string.h>

static size_t pos_to_value(const plan__search *S, size_t pos)
{
    const scn_knob *k = &S->p->knobs[S->bis];
    return k->monotone < 0 ? k->n - 1 - pos : pos;
}

static int analytic_ok(plan__search *S, plan__slice *sl, size_t pos, char *why, size_t len,
                       base_err *err, int *ok)
{
    size_t choice[SCN_PLAN_MAX_KNOBS];
    memcpy(choice, sl->choice, sizeof choice);
    if (S->bis >= 0)
        choice[S->bis] = pos_to_value(S, pos);
    int st = plan__bind(S, choice, 0, &S->tmp[S->nruns], err);
    if (st != BASE_OK)
        return st;
    *ok = !plan_bound(&S->tmp[S->nruns], why, len);
    return BASE_OK;
}

int plan__config_at(plan__search *S, const plan__slice *sl, size_t pos)
{
    size_t choice[SCN_PLAN_MAX_KNOBS];
    memcpy(choice, sl->choice, sizeof choice);
    if (S->bis >= 0)
        choice[S->bis] = pos_to_value(S, pos);
    return plan__find_or_add(S, choice);
}

/* Whether slice b has at least slice a's capacity: the same value of every knob that is not
 * monotone, and of each monotone one a value at least as far in its direction. Then b's
 * boundary (its cheapest feasible position) is at most a's, and a's at least b's. */
static int covers(const plan__search *S, const plan__slice *a, const plan__slice *b)
{
    for (size_t k = 0; k < S->p->nknobs; k++) {
        if ((int)k == S->bis)
            continue;
        int dir = S->p->knobs[k].monotone;
        long d = (long)b->choice[k] - (long)a->choice[k];
        if (dir == 0 ? d != 0 : d * dir < 0)
            return 0;
    }
    return 1;
}

/* The capacity rank of a slice: its monotone knobs' positions in their direction, summed. */
static long rank(const plan__search *S, const plan__slice *x)
{
    long r = 0;
    for (size_t k = 0; k < S->p->nknobs; k++) {
        int dir = S->p->knobs[k].monotone;
        if ((int)k != S->bis && dir)
            r += dir > 0 ? (long)x->choice[k] : (long)(S->p->knobs[k].n - 1 - x->choice[k]);
    }
    return r;
}

/* Narrows open slice x by the boundaries of the slices done (their `found`: the boundary's
 * position, n when no position was feasible). */
void plan__narrow(const plan__search *S, plan__slice *sl, size_t nsl, plan__slice *x)
{
    for (size_t j = 0; j < nsl && !x->done; j++) {
        const plan__slice *d = &sl[j];
        if (!d->done || d == x)
            continue;
        if (covers(S, d, x) && d->found < x->n && d->found <= x->hi) {
            x->hi = d->found < x->lo ? x->lo : d->found;
            x->hi_good = 1;
        }
        if (covers(S, x, d)) {
            if (d->found >= x->n) {
                x->done = 1; /* less capacity than a slice with nothing feasible */
                x->found = x->n;
                x->cand = -1;
            } else if (d->found > x->lo) {
                x->lo = d->found > x->hi ? x->hi : d->found;
            }
        }
    }
}

/* Each slice's analytic bound bisected (monotone in the position): the positions below the
 * first the bound allows are pruned, and a slice whose top the bound refuses is done with nothing
 * feasible. The rest are open with the bracket [first allowed, top]. */
static int bound_slices(plan__search *S, plan__slice *sl, size_t nsl, base_err *err)
{
    char why[256];
    plan_result *r = S->r;
    for (size_t i = 0; i < nsl; i++) {
        int ok;
        sl[i].cand = -1;
        int st = analytic_ok(S, &sl[i], sl[i].n - 1, why, sizeof why, err, &ok);
        if (st != BASE_OK)
            return st;
        if (!ok) {
            r->pruned += sl[i].n;
            sl[i].done = 1;
            sl[i].found = sl[i].n;
            continue;
        }
        size_t lo = 0, hi = sl[i].n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((st = analytic_ok(S, &sl[i], mid, why, sizeof why, err, &ok)) != BASE_OK)
                return st;
            if (ok)
                hi = mid;
            else
                lo = mid + 1;
        }
        r->pruned += lo;
        sl[i].lo = lo;
        sl[i].hi = sl[i].n - 1;
    }
    return BASE_OK;
}

/* The scratch of the screening rounds, nsl entries each. */
typedef struct rounds {
    size_t *order; /* the slices in search order */
    long *rk;      /* each slice's capacity rank */
    int *batch;    /* a round's configurations (index into cfg) */
    size_t *which; /* the slice of each batch entry */
} rounds;

static void rounds_free(rounds *w)
{
    free(w->order);
    free(w->rk);
    free(w->batch);
    free(w->which);
}

static int rounds_new(rounds *w, size_t nsl)
{
    size_t n = nsl ? nsl : 1;
    w->order = base_malloc(n * sizeof *w->order);
    w->rk = base_malloc(n * sizeof *w->rk);
    w->batch = base_malloc(n * sizeof *w->batch);
    w->which = base_malloc(n * sizeof *w->which);
    if (w->order && w->rk && w->batch && w->which)
        return 0;
    rounds_free(w);
    return -1;
}

/* The search order: by rank (ties: space order, the sort is stable), then interleaved from both
 * ends — least capacity, most, the next least, the next most, ... */
static void search_order(const plan__search *S, const plan__slice *sl, size_t nsl, rounds *w)
{
    size_t *order = w->order;
    long *rk = w->rk;
    for (size_t i = 0; i < nsl; i++) {
        order[i] = i;
        rk[i] = rank(S, &sl[i]);
    }
    for (size_t i = 1; i < nsl; i++)
        for (size_t j = i; j > 0 && rk[order[j]] < rk[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0, lo = 0, hi = nsl; i < nsl; i++)
        w->which[i] = i % 2 == 0 ? order[lo++] : order[--hi];
    memcpy(order, w->which, nsl * sizeof *order);
}

/* One round's positions for the slices order[g0..g1): each open slice narrowed by those done,
 * closed where its bracket has shrunk to a known position, else its next position (its top
 * until that is known, then its bracket's midpoint) added to the batch. Sets *nb to the batch's
 * size; -1 out of memory. */
static int pick_round(plan__search *S, plan__slice *sl, size_t nsl, rounds *w, size_t g0, size_t g1,
                      size_t *nb)
{
    *nb = 0;
    for (size_t gi = g0; gi < g1; gi++) {
        plan__slice *x = &sl[w->order[gi]];
        plan__narrow(S, sl, nsl, x);
        if (x->done)
            continue;
        if (x->lo == x->hi && x->hi_good) {
            x->done = 1;
            x->found = x->lo;
            continue;
        }
        size_t pos = !x->hi_good ? x->hi : x->lo + (x->hi - x->lo) / 2;
        int c = plan__config_at(S, x, pos);
        if (c < 0)
            return -1;
        x->at = pos;
        w->batch[*nb] = c;
        w->which[(*nb)++] = w->order[gi];
    }
    return 0;
}

/* A screened round's verdicts: a slice's top clearly infeasible leaves nothing feasible in it;
 * a midpoint clearly infeasible raises the bracket's floor above it, else lowers its top to it. */
static void take_round(const plan__search *S, plan__slice *sl, const rounds *w, size_t nb)
{
    for (size_t b = 0; b < nb; b++) {
        plan__slice *x = &sl[w->which[b]];
        int bad = plan__clearly_infeasible(&S->r->cfg[w->batch[b]]);
        if (!x->hi_good) { /* its top */
            if (bad) {
                x->done = 1;
                x->found = x->n;
            } else {
                x->hi_good = 1;
            }
        } else if (bad) {
            x->lo = x->at + 1;
        } else {
            x->hi = x->at;
        }
    }
}

/* Rounds of screening over the slices order[g0..g1), all of a round in one batch, until every
 * one of them is done. */
static int screen_group(plan__search *S, plan__slice *sl, size_t nsl, rounds *w, size_t g0,
                        size_t g1, base_err *err)
{
    for (;;) {
        size_t nb;
        if (pick_round(S, sl, nsl, w, g0, g1, &nb) != 0)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        if (nb == 0)
            return BASE_OK;
        int st = plan__simulate(S, w->batch, nb, S->n0, err);
        if (st != BASE_OK)
            return st;
        take_round(S, sl, w, nb);
    }
}

/* Each slice's boundary is its finalist (its cand): screened now if a neighbour's bound placed
 * it. */
static int screen_finalists(plan__search *S, plan__slice *sl, size_t nsl, int *batch, base_err *err)
{
    size_t nb = 0;
    for (size_t i = 0; i < nsl; i++) {
        if (!sl[i].done || sl[i].found >= sl[i].n)
            continue;
        sl[i].lo = sl[i].found;
        int c = plan__config_at(S, &sl[i], sl[i].found);
        if (c < 0)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        batch[nb++] = sl[i].cand = c;
    }
    return plan__simulate(S, batch, nb, S->n0, err);
}

/* Every slice: the analytic bound bisected (monotone in the position); then, a group of slices
 * at a time, rounds of screening at each open slice's midpoint, all of a round in one batch.
 * Slices are taken in the order least capacity, most, the next least, the next most, ...: a
 * slice done bounds the bisection of every slice that covers it or that it covers (narrow). */
int plan__bisect(plan__search *S, plan__slice *sl, size_t nsl, base_err *err)
{
    int st = bound_slices(S, sl, nsl, err);
    if (st != BASE_OK)
        return st;
    if ((st = plan__bisect_axes(S, sl, nsl, err)) != BASE_OK)
        return st;
    rounds w;
    if (rounds_new(&w, nsl) != 0)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    search_order(S, sl, nsl, &w);
    /* a group: enough slices to keep a few threads busy with screening replications (a
     * constant, not --jobs: the order of the search must not depend on the threads) */
    size_t group = 8;
    for (size_t g0 = 0; st == BASE_OK && g0 < nsl; g0 += group)
        st = screen_group(S, sl, nsl, &w, g0, g0 + group < nsl ? g0 + group : nsl, err);
    if (st == BASE_OK)
        st = screen_finalists(S, sl, nsl, w.batch, err);
    rounds_free(&w);
    return st;
}
