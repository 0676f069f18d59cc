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

/* Every slice: the analytic bound bisected (monotone in the position); then, a group of slices
 * at a time, rounds of screening at each open slice's midpoint, all of a round in one batch.
 * Slices are taken in the order least capacity, most, the next least, the next most, ...: a
 * slice done bounds the bisection of every slice that covers it or that it covers (narrow). */
int plan__bisect(plan__search *S, plan__slice *sl, size_t nsl, base_err *err)
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
    int st = plan__bisect_axes(S, sl, nsl, err);
    if (st != BASE_OK)
        return st;
    size_t *order = malloc((nsl ? nsl : 1) * sizeof *order);
    long *rk = malloc((nsl ? nsl : 1) * sizeof *rk);
    int *batch = malloc((nsl ? nsl : 1) * sizeof *batch);
    size_t *which = malloc((nsl ? nsl : 1) * sizeof *which);
    if (!order || !rk || !batch || !which) {
        free(order);
        free(rk);
        free(batch);
        free(which);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* by rank (ties: space order), then interleaved from both ends */
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
        which[i] = i % 2 == 0 ? order[lo++] : order[--hi];
    memcpy(order, which, nsl * sizeof *order);
    /* a group: enough slices to keep a few threads busy with screening replications (a
     * constant, not --jobs: the order of the search must not depend on the threads) */
    size_t group = 8;
    for (size_t g0 = 0; st == BASE_OK && g0 < nsl; g0 += group) {
        size_t g1 = g0 + group < nsl ? g0 + group : nsl;
        for (;;) {
            size_t nb = 0;
            for (size_t gi = g0; gi < g1; gi++) {
                plan__slice *x = &sl[order[gi]];
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
                if (c < 0) {
                    st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
                x->at = pos;
                batch[nb] = c;
                which[nb++] = order[gi];
            }
            if (st != BASE_OK || nb == 0)
                break;
            if ((st = plan__simulate(S, batch, nb, S->n0, err)) != BASE_OK)
                break;
            for (size_t b = 0; b < nb; b++) {
                plan__slice *x = &sl[which[b]];
                int bad = plan__clearly_infeasible(&r->cfg[batch[b]]);
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
    }
    /* each slice's boundary is its finalist: screened now if a neighbour's bound placed it */
    size_t nb = 0;
    for (size_t i = 0; st == BASE_OK && i < nsl; i++) {
        if (!sl[i].done || sl[i].found >= sl[i].n)
            continue;
        sl[i].lo = sl[i].found;
        int c = plan__config_at(S, &sl[i], sl[i].found);
        if (c < 0)
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        else
            batch[nb++] = sl[i].cand = c;
    }
    if (st == BASE_OK)
        st = plan__simulate(S, batch, nb, S->n0, err);
    free(order);
    free(rk);
    free(batch);
    free(which);
    return st;
}
