/*
 * axes.c — every monotone knob bisected, not only the slices' one (issue 16: "monotone knobs
 * are bisected"). Each other monotone knob j is bisected along a line on which every other
 * monotone knob — the slices' one included — is at its most capacity (one line for each
 * combination of the knobs that are not monotone). A slice of that line whose top, its most
 * capacity, is clearly infeasible has no feasible position; neither has any slice it covers
 * (at most its capacity in every monotone knob). So the least value of j whose slice is not
 * clearly infeasible at its top, found in about log2(n) screenings, rules out every slice
 * below it without screening them (bisect.c's narrow), where the slices' own bisection would
 * have screened each of their tops. The monotone assumption is the same as the slices': more
 * capacity never makes an objective worse (docs/plan.md, "How it searches").
 */
#include "plan/internal.h"

#include <stdlib.h>
#include <string.h>

/* One bisection: knob j from the base slice (every monotone knob at its most capacity) down,
 * over j's capacity positions q (0 the least): the least q not clearly infeasible is in
 * [lo, hi], hi = n meaning none. */
typedef struct line {
    int knob;
    size_t base; /* the slice at the line's most capacity */
    size_t lo, hi;
} line;

static size_t most(const scn_knob *k)
{
    return k->monotone < 0 ? 0 : k->n - 1;
}

static size_t value_at(const scn_knob *k, size_t q)
{
    return k->monotone < 0 ? k->n - 1 - q : q;
}

/* The slice whose choices these are: slices are in mixed-radix order of every knob but the
 * bisected one (search.c). */
static size_t slice_index(const plan__search *S, const size_t *choice)
{
    size_t i = 0;
    for (size_t k = 0; k < S->p->nknobs; k++)
        if ((int)k != S->bis)
            i = i * S->p->knobs[k].n + choice[k];
    return i;
}

static size_t slice_at(const plan__search *S, const plan__slice *sl, const line *l, size_t q)
{
    size_t choice[SCN_PLAN_MAX_KNOBS];
    memcpy(choice, sl[l->base].choice, sizeof choice);
    choice[l->knob] = value_at(&S->p->knobs[l->knob], q);
    return slice_index(S, choice);
}

/* What slice x's top says so far: 1 not clearly infeasible, 0 nothing feasible, -1 unknown. */
static int top_known(const plan__search *S, plan__slice *sl, size_t nsl, plan__slice *x)
{
    plan__narrow(S, sl, nsl, x);
    if (x->done)
        return x->found < x->n;
    return x->hi_good ? 1 : -1;
}

/* Whether slice i is the base of a line of knob j: every monotone knob at its most capacity. */
static int is_base(const plan__search *S, const plan__slice *x)
{
    for (size_t k = 0; k < S->p->nknobs; k++)
        if ((int)k != S->bis && S->p->knobs[k].monotone && x->choice[k] != most(&S->p->knobs[k]))
            return 0;
    return 1;
}

/* Advances every open line as far as what is known allows; the slices whose tops it needs
 * screened go to probe[] (each once). */
static size_t advance(const plan__search *S, plan__slice *sl, size_t nsl, line *ln, size_t nln,
                      size_t *probe)
{
    size_t np = 0;
    for (size_t i = 0; i < nln; i++) {
        line *l = &ln[i];
        while (l->lo < l->hi) {
            size_t mid = l->lo + (l->hi - l->lo) / 2, x = slice_at(S, sl, l, mid);
            int k = top_known(S, sl, nsl, &sl[x]);
            if (k < 0) {
                size_t j = 0;
                while (j < np && probe[j] != x)
                    j++;
                if (j == np)
                    probe[np++] = x;
                break;
            }
            if (k)
                l->hi = mid;
            else
                l->lo = mid + 1;
        }
    }
    return np;
}

/* The lines: each monotone knob with two values or more but the slices' one, from each base
 * slice, in knob order then slice order (the search's order never depends on the threads). */
static size_t lines_of(const plan__search *S, const plan__slice *sl, size_t nsl, line *ln)
{
    size_t n = 0;
    for (size_t k = 0; k < S->p->nknobs; k++) {
        if ((int)k == S->bis || !S->p->knobs[k].monotone || S->p->knobs[k].n < 2)
            continue;
        for (size_t i = 0; i < nsl; i++)
            if (is_base(S, &sl[i]))
                ln[n++] = (line){(int)k, i, 0, S->p->knobs[k].n};
    }
    return n;
}

int plan__bisect_axes(plan__search *S, plan__slice *sl, size_t nsl, base_err *err)
{
    plan_result *r = S->r;
    for (size_t k = 0; k < SCN_PLAN_MAX_KNOBS; k++)
        r->axis_least[k] = -1;
    if (S->o->slices_only)
        return BASE_OK;
    size_t cap = (S->p->nknobs ? S->p->nknobs : 1) * (nsl ? nsl : 1);
    line *ln = base_malloc(cap * sizeof *ln);
    size_t *probe = base_malloc(cap * sizeof *probe);
    int *batch = base_malloc(cap * sizeof *batch);
    int st = ln && probe && batch ? BASE_OK
                                  : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    size_t nln = st == BASE_OK ? lines_of(S, sl, nsl, ln) : 0;
    while (st == BASE_OK) {
        size_t np = advance(S, sl, nsl, ln, nln, probe);
        if (np == 0)
            break;
        for (size_t i = 0; st == BASE_OK && i < np; i++) {
            plan__slice *x = &sl[probe[i]];
            x->at = x->hi; /* its top: hi is n - 1 until a covering slice lowers it */
            if ((batch[i] = plan__config_at(S, x, x->at)) < 0)
                st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (st == BASE_OK)
            st = plan__simulate(S, batch, np, S->n0, err);
        for (size_t i = 0; st == BASE_OK && i < np; i++) {
            plan__slice *x = &sl[probe[i]];
            if (plan__clearly_infeasible(&r->cfg[batch[i]])) {
                x->done = 1;
                x->found = x->n;
                x->cand = -1;
            } else {
                x->hi_good = 1;
            }
        }
    }
    for (size_t i = 0; st == BASE_OK && i < nln; i++) {
        const scn_knob *k = &S->p->knobs[ln[i].knob];
        r->axis[ln[i].knob] = 1;
        if (ln[i].lo < k->n) {
            int v = (int)value_at(k, ln[i].lo);
            int *least = &r->axis_least[ln[i].knob];
            /* over the lines, the least capacity any configuration may have */
            if (*least < 0 || (k->monotone > 0 ? v < *least : v > *least))
                *least = v;
        }
    }
    free(ln);
    free(probe);
    free(batch);
    return st;
}
