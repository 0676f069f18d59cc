/*
 * search.c — the planner's search (plan.h says the method and its sources).
 *
 * The space is the product of the knobs' values; a configuration's index is their mixed-radix
 * number (the first knob most significant). One knob may be bisected: the monotone knob with
 * the most values. A slice is the set of configurations that differ only in it; positions in a
 * slice run from the least capacity to the most (a knob whose larger value is less capacity,
 * monotone -1, is walked backwards), so cost and capacity both grow with the position.
 */
#include "plan/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The confirmation's seed: the plan's plus the 64-bit golden ratio (SplitMix64's increment,
 * Steele, Lea and Flood, OOPSLA 2014): unrelated streams, the same for every run of the plan. */
#define PLAN_CONFIRM_SEED_STEP 0x9E3779B97F4A7C15ull

static const char *const status_names[] = {"pruned",    "screened", "infeasible",
                                           "undecided", "feasible", "dominated"};

const char *plan_status_name(plan_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

const char *plan_value(const scn_plan *p, const plan_config *c, size_t k)
{
    return p->knobs[k].label[c->choice[k]];
}

typedef struct search {
    scn_plan *p;
    const plan_opts *o;
    plan_result *r;
    int nruns;  /* the scenario, then each failure */
    int n0;     /* screening replications */
    int maxrep; /* most replications of a configuration */
    double alpha;
    int bis;   /* the bisected knob, -1 none */
    int raise; /* 1: the finalists are decided on the request engine where auto picks it */
    size_t cap;
    mdl_scenario *tmp;
} search;

static size_t pos_to_value(const search *S, size_t pos)
{
    const scn_knob *k = &S->p->knobs[S->bis];
    return k->monotone < 0 ? k->n - 1 - pos : pos;
}

static uint64_t index_of(const scn_plan *p, const size_t *choice)
{
    uint64_t idx = 0;
    for (size_t k = 0; k < p->nknobs; k++)
        idx = idx * p->knobs[k].n + choice[k];
    return idx;
}

static int bind(search *S, const size_t *choice, int run, mdl_scenario *s, base_err *err)
{
    int st = scn_plan_bind(S->p, choice, run - 1, s, err);
    if (st != BASE_OK)
        return st;
    if (S->o->has_seed)
        s->seed = S->o->seed;
    if (S->o->fidelity) {
        if (!strcmp(S->o->fidelity, "request"))
            s->fidelity = MDL_FIDELITY_REQUEST;
        else if (!strcmp(S->o->fidelity, "flow"))
            s->fidelity = MDL_FIDELITY_FLOW;
        else
            s->fidelity = MDL_FIDELITY_AUTO;
    }
    if (s->month.nmix > 0)
        return base_err_set(err, BASE_EINPUT, S->p->path, 0, 0,
                            "simulate plan does not run month mixes (month.mix): plan on the "
                            "scenario's own window");
    return BASE_OK;
}

/* The configuration with this choice, added (not yet simulated) when new; -1 out of memory. */
static int find_or_add(search *S, const size_t *choice)
{
    uint64_t idx = index_of(S->p, choice);
    plan_result *r = S->r;
    for (size_t i = 0; i < r->ncfg; i++)
        if (r->cfg[i].index == idx)
            return (int)i;
    if (r->ncfg == S->cap) {
        size_t cap = S->cap ? 2 * S->cap : 64;
        plan_config *c = realloc(r->cfg, cap * sizeof *c);
        if (!c)
            return -1;
        r->cfg = c;
        S->cap = cap;
    }
    plan_config *c = &r->cfg[r->ncfg];
    memset(c, 0, sizeof *c);
    memcpy(c->choice, choice, sizeof c->choice);
    c->index = idx;
    c->status = PLAN_SCREENED;
    c->x = calloc(2 * (size_t)S->nruns * (size_t)S->maxrep * PLAN_NM, sizeof *c->x);
    if (!c->x)
        return -1;
    return (int)r->ncfg++;
}

/* Replication rep of run `run` on engine e (0 the scenario's, 1 request). */
static double *slot_e(const search *S, const plan_config *c, int e, int run, int rep)
{
    return c->x + (((size_t)e * (size_t)S->nruns + (size_t)run) * (size_t)S->maxrep + (size_t)rep) *
                      PLAN_NM;
}

/* The same on the configuration's own engine. */
static double *slot(const search *S, const plan_config *c, int run, int rep)
{
    return slot_e(S, c, c->eng, run, rep);
}

/* The minimised figure of replication i of c: the weighted sum of scn_plan.minimise_weight
 * (io.h), RTO from the first failure's run; PLAN_UNKNOWN when a weighed figure is unknown. */
static double minimised(const search *S, const plan_config *c, int i)
{
    double v = 0;
    for (int f = 0; f < PLAN_NFIG; f++) {
        double w = S->p->minimise_weight[f];
        if (w == 0)
            continue;
        double x = slot(S, c, f == PLAN_RTO && S->nruns > 1 ? 1 : 0, i)[f];
        if (x == PLAN_UNKNOWN)
            return PLAN_UNKNOWN;
        v += w * x;
    }
    return v;
}

/* 1 when the minimised figure weighs more than the cost: then more capacity may pay for
 * itself, and the search looks up a slice past its cheapest feasible position. */
static int trade_off(const search *S)
{
    for (int f = 1; f < PLAN_NFIG; f++)
        if (S->p->minimise_weight[f] != 0)
            return 1;
    return 0;
}

/* Judges configuration c on its replications so far (plan.h, plan_verdict). */
static void judge(const search *S, plan_config *c)
{
    double x[ENG_MAX_REPLICATIONS];
    int n = c->reps;
    for (int f = 0; f < PLAN_NFIG; f++) {
        int run = f == PLAN_RTO && S->nruns > 1 ? 1 : 0;
        int known = n > 0;
        for (int i = 0; i < n; i++) {
            x[i] = slot(S, c, run, i)[f];
            known = known && x[i] != PLAN_UNKNOWN;
        }
        c->fig[f] = known ? stat_mean_ci(x, n, 0.95) : (stat_ci){NAN, NAN, NAN, 0};
    }
    int oknown = n > 0;
    for (int i = 0; i < n; i++) {
        x[i] = minimised(S, c, i);
        oknown = oknown && x[i] != PLAN_UNKNOWN && isfinite(x[i]);
    }
    c->obj = oknown ? stat_mean_ci(x, n, 0.95) : (stat_ci){NAN, NAN, NAN, 0};
    c->nv = 0;
    int all_met = 1, missed = 0;
    for (int run = 0; run < S->nruns; run++) {
        /* the run's objectives: the scenario's, or what the failure's keys made them */
        for (size_t j = 0; j < MDL_MAX_OBJECTIVES; j++) {
            const char *text = S->tmp[run].objectives[j];
            if (j >= S->tmp[run].nobjectives)
                break;
            plan_verdict *v = &c->v[c->nv++];
            memset(v, 0, sizeof *v);
            base_err e;
            slo_parse(text, &v->o, &e);
            v->survive = run - 1;
            int known = n > 0, inf = 0;
            for (int i = 0; i < n; i++) {
                x[i] = slot(S, c, run, i)[PLAN_NFIG + j];
                known = known && x[i] != PLAN_UNKNOWN;
                inf = inf || isinf(x[i]);
            }
            v->known = known;
            if (!known)
                continue;
            v->ci = stat_mean_ci(x, n, 0.95);
            v->margin = v->ci.mean - v->o.value;
            int lt = v->o.op == SLO_LT || v->o.op == SLO_LE;
            if (inf) {
                v->verdict = lt ? -1 : 1;
            } else {
                /* one-sided at alpha: the (1 − 2α) two-sided half-width is t(1 − α)·s/√n */
                stat_ci one = stat_mean_ci(x, n, 1 - 2 * S->alpha);
                double h = isfinite(one.half) ? one.half : INFINITY;
                double hi = v->ci.mean + h, lo = v->ci.mean - h;
                if (lt)
                    v->verdict = slo_met(&v->o, hi) && h < INFINITY ? 1
                                 : !slo_met(&v->o, lo)              ? -1
                                                                    : 0;
                else
                    v->verdict = slo_met(&v->o, lo) && h < INFINITY ? 1
                                 : !slo_met(&v->o, hi)              ? -1
                                                                    : 0;
            }
            all_met = all_met && v->verdict == 1;
            missed = missed || v->verdict == -1;
        }
    }
    if (c->status == PLAN_FEASIBLE || c->status == PLAN_INFEASIBLE || c->status == PLAN_UNDECIDED)
        c->status = missed ? PLAN_INFEASIBLE : all_met ? PLAN_FEASIBLE : PLAN_UNDECIDED;
}

/* Screening's test for the bisection: clearly infeasible when some objective's two-sided 95%
 * interval lies wholly on the wrong side of its threshold (or it never recovered). */
static int clearly_infeasible(const plan_config *c)
{
    for (size_t j = 0; j < c->nv; j++) {
        const plan_verdict *v = &c->v[j];
        if (!v->known)
            continue;
        double h = isfinite(v->ci.half) ? v->ci.half : 0;
        int lt = v->o.op == SLO_LT || v->o.op == SLO_LE;
        if (isinf(v->ci.mean) ||
            (lt ? !slo_met(&v->o, v->ci.mean - h) : !slo_met(&v->o, v->ci.mean + h)))
            return 1;
    }
    return 0;
}

/* Brings each of configurations cs[0..n) to at least `reps` replications (with the seed moved
 * by seed_step), then judges them. */
static int simulate_cfgs(search *S, plan_config **cs, size_t n, int reps, uint64_t seed_step,
                         base_err *err)
{
    size_t nscn = 0, ntask = 0;
    for (size_t i = 0; i < n; i++)
        if (cs[i]->reps < reps) {
            nscn += (size_t)S->nruns;
            ntask += (size_t)S->nruns * (size_t)(reps - cs[i]->reps);
        }
    if (ntask == 0)
        return BASE_OK;
    mdl_scenario *scn = malloc(nscn * sizeof *scn);
    plan_task *t = malloc(ntask * sizeof *t);
    int st = scn && t ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    size_t a = 0, b = 0;
    for (size_t i = 0; st == BASE_OK && i < n; i++) {
        plan_config *c = cs[i];
        if (c->reps >= reps)
            continue;
        for (int run = 0; st == BASE_OK && run < S->nruns; run++) {
            mdl_scenario *s = &scn[a++];
            st = bind(S, c->choice, run, s, err);
            if (c->eng == 1)
                s->fidelity = MDL_FIDELITY_REQUEST;
            s->seed += seed_step;
            for (int k = c->reps; st == BASE_OK && k < reps; k++)
                t[b++] = (plan_task){s, (uint32_t)k, slot(S, c, run, k)};
        }
    }
    if (st == BASE_OK)
        st = plan__run_tasks(t, ntask, S->o->jobs, err);
    if (st == BASE_OK) {
        S->r->replications += ntask;
        for (size_t i = 0; i < n; i++) {
            if (cs[i]->reps < reps)
                cs[i]->reps = reps;
            judge(S, cs[i]);
        }
    }
    free(scn);
    free(t);
    return st;
}

/* The same for configurations cfg[idx[0..n)]. */
static int simulate(search *S, const int *idx, size_t n, int reps, base_err *err)
{
    plan_config **cs = malloc((n ? n : 1) * sizeof *cs);
    if (!cs)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        cs[i] = &S->r->cfg[idx[i]];
    int st = simulate_cfgs(S, cs, n, reps, 0, err);
    free(cs);
    return st;
}

/* ---------------------------------------------------------------- slices and bisection */

typedef struct slice {
    size_t choice[SCN_PLAN_MAX_KNOBS]; /* the bisected knob's entry set per position */
    size_t n;                          /* positions */
    size_t lo, hi; /* the bisection's bracket, positions: the boundary is in [lo, hi] */
    int hi_good;   /* hi is known not clearly infeasible (screened, or covered by a slice) */
    size_t at;     /* the position being screened */
    int done;
    size_t found; /* done: the boundary's position; n when nothing in the slice is feasible */
    int cand;     /* its configuration (index into cfg), -1 none */
} slice;

static int analytic_ok(search *S, slice *sl, size_t pos, char *why, size_t len, base_err *err,
                       int *ok)
{
    size_t choice[SCN_PLAN_MAX_KNOBS];
    memcpy(choice, sl->choice, sizeof choice);
    if (S->bis >= 0)
        choice[S->bis] = pos_to_value(S, pos);
    int st = bind(S, choice, 0, &S->tmp[S->nruns], err);
    if (st != BASE_OK)
        return st;
    *ok = !plan_bound(&S->tmp[S->nruns], why, len);
    return BASE_OK;
}

static int config_at(search *S, const slice *sl, size_t pos)
{
    size_t choice[SCN_PLAN_MAX_KNOBS];
    memcpy(choice, sl->choice, sizeof choice);
    if (S->bis >= 0)
        choice[S->bis] = pos_to_value(S, pos);
    return find_or_add(S, choice);
}

/* Whether slice b has at least slice a's capacity: the same value of every knob that is not
 * monotone, and of each monotone one a value at least as far in its direction. Then b's
 * boundary (its cheapest feasible position) is at most a's, and a's at least b's. */
static int covers(const search *S, const slice *a, const slice *b)
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
static long rank(const search *S, const slice *x)
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
static void narrow(const search *S, slice *sl, size_t nsl, slice *x)
{
    for (size_t j = 0; j < nsl && !x->done; j++) {
        const slice *d = &sl[j];
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
static int bisect(search *S, slice *sl, size_t nsl, base_err *err)
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
    int st = BASE_OK;
    for (size_t g0 = 0; st == BASE_OK && g0 < nsl; g0 += group) {
        size_t g1 = g0 + group < nsl ? g0 + group : nsl;
        for (;;) {
            size_t nb = 0;
            for (size_t gi = g0; gi < g1; gi++) {
                slice *x = &sl[order[gi]];
                narrow(S, sl, nsl, x);
                if (x->done)
                    continue;
                if (x->lo == x->hi && x->hi_good) {
                    x->done = 1;
                    x->found = x->lo;
                    continue;
                }
                size_t pos = !x->hi_good ? x->hi : x->lo + (x->hi - x->lo) / 2;
                int c = config_at(S, x, pos);
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
            if ((st = simulate(S, batch, nb, S->n0, err)) != BASE_OK)
                break;
            for (size_t b = 0; b < nb; b++) {
                slice *x = &sl[which[b]];
                int bad = clearly_infeasible(&r->cfg[batch[b]]);
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
        int c = config_at(S, &sl[i], sl[i].found);
        if (c < 0)
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        else
            batch[nb++] = sl[i].cand = c;
    }
    if (st == BASE_OK)
        st = simulate(S, batch, nb, S->n0, err);
    free(order);
    free(rk);
    free(batch);
    free(which);
    return st;
}

/* ---------------------------------------------------------------- selection */

/* The paired difference a − b of figure f (-1: the minimised one) over their common
 * replications. */
static stat_ci paired(const search *S, const plan_config *a, const plan_config *b, int f)
{
    double d[ENG_MAX_REPLICATIONS];
    if (a->eng != b->eng) {
        /* one decided on the request engine, one not: compare their screening on the
         * scenario's engine, which both have */
        plan_config a0 = *a, b0 = *b;
        if (a0.eng)
            a0.reps = a0.reps0;
        if (b0.eng)
            b0.reps = b0.reps0;
        a0.eng = b0.eng = 0;
        return paired(S, &a0, &b0, f);
    }
    int n = a->reps < b->reps ? a->reps : b->reps;
    for (int i = 0; i < n; i++)
        d[i] = f < 0 ? minimised(S, a, i) - minimised(S, b, i)
                     : slot(S, a, 0, i)[f] - slot(S, b, 0, i)[f];
    return stat_mean_ci(d, n, 0.95);
}

static int by_min(const search *S, const plan_config *a, const plan_config *b)
{
    (void)S;
    double x = a->obj.mean, y = b->obj.mean;
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (x != y)
        return x < y ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Sequential feasibility of configuration i: doubling stages to maxrep (plan.h, step 4). */
static int decide(search *S, int i, base_err *err)
{
    plan_config *c = &S->r->cfg[i];
    if (S->raise && c->eng == 0) {
        /* the request engine where `auto` would choose it for this configuration (issue 16:
         * "request fidelity where auto would choose it ... on the finalists"): the finalist
         * starts again there, its screening on the scenario's engine kept for comparisons */
        int st = bind(S, c->choice, 0, &S->tmp[S->nruns], err);
        if (st != BASE_OK)
            return st;
        S->tmp[S->nruns].fidelity = MDL_FIDELITY_AUTO;
        if (!strcmp(eng_engine_name(&S->tmp[S->nruns]), "request")) {
            c->reps0 = c->reps;
            c->reps = 0;
            c->eng = 1;
            snprintf(S->r->finalist_engine, sizeof S->r->finalist_engine, "request");
            if ((st = simulate(S, &i, 1, S->n0, err)) != BASE_OK)
                return st;
            c = &S->r->cfg[i];
        }
    }
    c->status = PLAN_UNDECIDED;
    judge(S, c);
    int reps = c->reps;
    while (c->status == PLAN_UNDECIDED && reps < S->maxrep) {
        reps = reps * 2 > S->maxrep ? S->maxrep : reps * 2;
        int st = simulate(S, &i, 1, reps, err);
        c = &S->r->cfg[i];
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

static int select_winner(search *S, slice *sl, size_t nsl, base_err *err)
{
    plan_result *r = S->r;
    int f = -1; /* the minimised figure */
    r->winner = -1;
    /* the finalists: each slice's candidate; a slice whose candidate fails offers its next */
    size_t *pos = calloc(nsl ? nsl : 1, sizeof *pos);
    int *open = calloc(nsl ? nsl : 1, sizeof *open);
    if (!pos || !open) {
        free(pos);
        free(open);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < nsl; i++) {
        open[i] = sl[i].cand;
        pos[i] = sl[i].lo;
    }
    int st = BASE_OK;
    for (;;) {
        /* the cheapest open finalist */
        int best = -1;
        size_t bs = 0;
        for (size_t i = 0; i < nsl; i++)
            if (open[i] >= 0 && (best < 0 || by_min(S, &r->cfg[open[i]], &r->cfg[best]) < 0)) {
                best = open[i];
                bs = i;
            }
        if (best < 0)
            break;
        open[bs] = -1;
        plan_config *c = &r->cfg[best];
        if (r->winner >= 0) {
            stat_ci d = paired(S, c, &r->cfg[r->winner], f);
            double h = isfinite(d.half) ? d.half : 0;
            if (d.mean - h > 0) {
                c->status = PLAN_DOMINATED; /* surely dearer than a feasible one */
                continue;
            }
        }
        if ((st = decide(S, best, err)) != BASE_OK)
            break;
        c = &r->cfg[best];
        int up = 0; /* offer the slice's next position up */
        if (c->status == PLAN_FEASIBLE) {
            if (r->winner < 0 || by_min(S, c, &r->cfg[r->winner]) < 0)
                r->winner = best;
            /* a trade-off may be cheaper a step up (more capacity, less latency): offered
             * when its screening says so, and walked while it keeps saying so (the minimised
             * figure taken as unimodal along a slice: cost grows, latency falls) */
            up = trade_off(S);
        } else {
            up = 1;
        }
        if (up && S->bis >= 0 && pos[bs] + 1 < sl[bs].n) {
            /* its slice's next position up: more capacity, more cost */
            pos[bs]++;
            int nx = config_at(S, &sl[bs], pos[bs]);
            if (nx < 0 || (st = simulate(S, &nx, 1, S->n0, err)) != BASE_OK) {
                if (nx < 0)
                    st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            if (r->cfg[nx].status == PLAN_SCREENED &&
                (r->cfg[best].status != PLAN_FEASIBLE ||
                 (!clearly_infeasible(&r->cfg[nx]) && r->cfg[nx].obj.mean < r->cfg[best].obj.mean)))
                open[bs] = nx;
        }
    }
    free(pos);
    free(open);
    if (st != BASE_OK || r->winner < 0)
        return st;
    /* feasible ones within the winner's interval, paired: indistinguishable from it */
    r->indistinguishable = 0;
    for (size_t i = 0; i < r->ncfg; i++) {
        if ((int)i == r->winner || r->cfg[i].status != PLAN_FEASIBLE)
            continue;
        stat_ci d = paired(S, &r->cfg[i], &r->cfg[r->winner], f);
        double h = isfinite(d.half) ? d.half : 0;
        if (d.mean - h <= 0)
            r->indistinguishable++;
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- after the search */

static int confirm(search *S, base_err *err)
{
    plan_result *r = S->r;
    plan_config *w = &r->cfg[r->winner];
    plan_config *c = &r->confirm;
    memset(c, 0, sizeof *c);
    memcpy(c->choice, w->choice, sizeof c->choice);
    c->index = w->index;
    c->eng = w->eng; /* confirmed on the engine it was decided on */
    c->status = PLAN_UNDECIDED;
    c->x = calloc(2 * (size_t)S->nruns * (size_t)S->maxrep * PLAN_NM, sizeof *c->x);
    if (!c->x)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = simulate_cfgs(S, &c, 1, w->reps, PLAN_CONFIRM_SEED_STEP, err);
    r->confirm_seed = S->tmp[0].seed + PLAN_CONFIRM_SEED_STEP;
    if (st != BASE_OK)
        return st;
    r->confirmed = 1;
    for (size_t j = 0; j < c->nv; j++)
        if (c->v[j].known && !slo_met(&c->v[j].o, c->v[j].ci.mean))
            r->confirmed = 0;
    return BASE_OK;
}

static int sensitivity(search *S, base_err *err)
{
    plan_result *r = S->r;
    for (size_t k = 0; k < S->p->nknobs; k++) {
        plan_sensitivity *ps = &r->sens[k];
        *ps = (plan_sensitivity){NAN, NAN, NAN, NAN, -1, -1};
        for (int dir = -1; dir <= 1; dir += 2) {
            size_t choice[SCN_PLAN_MAX_KNOBS];
            memcpy(choice, r->cfg[r->winner].choice, sizeof choice);
            if ((dir < 0 && choice[k] == 0) || (dir > 0 && choice[k] + 1 >= S->p->knobs[k].n))
                continue;
            choice[k] += (size_t)(long)dir;
            char why[256];
            int st = bind(S, choice, 0, &S->tmp[S->nruns], err);
            if (st != BASE_OK)
                return st;
            if (plan_bound(&S->tmp[S->nruns], why, sizeof why))
                continue;
            int i = find_or_add(S, choice);
            if (i < 0)
                return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            if ((st = simulate(S, &i, 1, S->n0, err)) != BASE_OK)
                return st;
            const plan_config *w = &r->cfg[r->winner], *n = &r->cfg[i];
            double dc = paired(S, n, w, PLAN_COST).mean, dp = paired(S, n, w, PLAN_P99).mean;
            int ok = !clearly_infeasible(n);
            if (dir > 0) {
                ps->cost_up = dc;
                ps->p99_up = dp;
                ps->up_feasible = ok;
            } else {
                ps->cost_down = dc;
                ps->p99_down = dp;
                ps->down_feasible = ok;
            }
        }
    }
    return BASE_OK;
}

static int by_cost_idx(const plan_result *r, int a, int b)
{
    double x = r->cfg[a].fig[PLAN_COST].mean, y = r->cfg[b].fig[PLAN_COST].mean;
    if (x != y)
        return x < y ? -1 : 1;
    return r->cfg[a].index < r->cfg[b].index ? -1 : 1;
}

/* The configurations no other beats on both cost and figure f (lower is better for both),
 * among those simulated that are not clearly infeasible: a trade-off between cost and latency
 * is a choice only among configurations that meet the rest. */
static int frontier(plan_result *r, int f, int **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int *idx = malloc((r->ncfg ? r->ncfg : 1) * sizeof *idx);
    if (!idx)
        return BASE_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < r->ncfg; i++)
        if (r->cfg[i].reps > 0 && isfinite(r->cfg[i].fig[PLAN_COST].mean) &&
            !isnan(r->cfg[i].fig[f].mean) && r->cfg[i].status != PLAN_INFEASIBLE &&
            !clearly_infeasible(&r->cfg[i]))
            idx[m++] = (int)i;
    /* insertion sort by cost: hundreds of entries at most */
    for (size_t i = 1; i < m; i++)
        for (size_t j = i; j > 0 && by_cost_idx(r, idx[j], idx[j - 1]) < 0; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    size_t k = 0;
    double best = INFINITY;
    for (size_t i = 0; i < m; i++) {
        const plan_config *c = &r->cfg[idx[i]];
        if (c->fig[f].mean >= best)
            continue;
        /* at the same cost as the last one kept, and better: that one is beaten */
        if (k > 0 && r->cfg[idx[k - 1]].fig[PLAN_COST].mean == c->fig[PLAN_COST].mean)
            k--;
        best = c->fig[f].mean;
        idx[k++] = idx[i];
    }
    *out = idx;
    *n = k;
    return BASE_OK;
}

int plan_search(scn_plan *p, const plan_opts *o, plan_result *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    out->winner = -1;
    out->bisected = -1;
    search S = {.p = p, .o = o, .r = out, .nruns = 1 + (int)p->nsurvive};
    S.n0 = p->screen_replications;
    S.maxrep = p->max_replications;
    S.tmp = malloc((size_t)(S.nruns + 1) * sizeof *S.tmp);
    if (!S.tmp)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    size_t choice0[SCN_PLAN_MAX_KNOBS] = {0};
    int st = BASE_OK;
    /* the objectives of each run (the knobs cannot change them: tmp[run] keeps them) */
    for (int run = 0; st == BASE_OK && run < S.nruns; run++)
        st = bind(&S, choice0, run, &S.tmp[run], err);
    if (st != BASE_OK) {
        free(S.tmp);
        return st;
    }
    out->seed = S.tmp[0].seed;
    snprintf(out->name, sizeof out->name, "%s", S.tmp[0].name);
    snprintf(out->fidelity, sizeof out->fidelity, "%s", eng_engine_name(&S.tmp[0]));
    /* the finalists on the request engine where `auto` would choose it (decide), unless
     * --fidelity forced an engine or the scenario already runs request by request */
    S.raise = !o->fidelity && strcmp(out->fidelity, "request") != 0;
    snprintf(out->finalist_engine, sizeof out->finalist_engine, "%s", out->fidelity);
    /* Bonferroni: every objective at every stage (Law 2015, §9.7 on joint intervals) */
    size_t nobj = 0;
    for (int run = 0; run < S.nruns; run++)
        nobj += S.tmp[run].nobjectives;
    int looks = 1;
    for (int reps = S.n0; reps < S.maxrep; reps *= 2)
        looks++;
    S.alpha = (1 - PLAN_CONFIDENCE) / (double)((nobj ? nobj : 1) * (size_t)looks);
    out->alpha_test = S.alpha;

    out->space = 1;
    S.bis = -1;
    for (size_t k = 0; k < p->nknobs; k++) {
        out->space *= p->knobs[k].n;
        if (p->knobs[k].monotone && p->knobs[k].n >= 3 &&
            (S.bis < 0 || p->knobs[k].n > p->knobs[S.bis].n))
            S.bis = (int)k;
    }
    out->bisected = S.bis;
    size_t per = S.bis >= 0 ? p->knobs[S.bis].n : 1;
    size_t nsl = (size_t)(out->space / per);
    slice *sl = calloc(nsl, sizeof *sl);
    if (!sl) {
        free(S.tmp);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* the slices in mixed-radix order of the other knobs */
    for (size_t i = 0; i < nsl; i++) {
        size_t rest = i;
        for (size_t k = p->nknobs; k-- > 0;) {
            if ((int)k == S.bis)
                continue;
            sl[i].choice[k] = rest % p->knobs[k].n;
            rest /= p->knobs[k].n;
        }
        sl[i].n = per;
    }
    st = bisect(&S, sl, nsl, err);
    if (st == BASE_OK)
        st = select_winner(&S, sl, nsl, err);
    out->simulated = out->ncfg;
    if (st == BASE_OK && out->winner >= 0)
        st = confirm(&S, err);
    if (st == BASE_OK && out->winner >= 0)
        st = sensitivity(&S, err);
    out->simulated = out->ncfg;
    out->skipped = out->space - out->pruned;
    out->skipped = out->skipped > out->simulated ? out->skipped - out->simulated : 0;
    if (st == BASE_OK && frontier(out, PLAN_P99, &out->pareto_p99, &out->npareto_p99) != BASE_OK)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == BASE_OK && S.nruns > 1 &&
        frontier(out, PLAN_RTO, &out->pareto_rto, &out->npareto_rto) != BASE_OK)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    free(sl);
    free(S.tmp);
    if (st != BASE_OK)
        plan_result_clear(out);
    return st;
}

void plan_result_clear(plan_result *r)
{
    for (size_t i = 0; i < r->ncfg; i++)
        free(r->cfg[i].x);
    free(r->cfg);
    free(r->confirm.x);
    free(r->pareto_p99);
    free(r->pareto_rto);
    memset(r, 0, sizeof *r);
    r->winner = -1;
}
