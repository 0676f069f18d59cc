/*
 * json.c — plan.json (schemas/plan.schema.json; docs/plan.md): the search's answer as data.
 * Deterministic: the same plan and seed give the same bytes whatever --jobs, so no wall time
 * (the command line prints it).
 */
#include "plan/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Runners-up listed: enough to see the alternatives, few enough to read. */
#define PLAN_RUNNERS_UP 10

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *ci(const stat_ci *c)
{
    return json_pack("{s:o, s:o}", "mean", num(c->mean), "ci95_half_width", num(c->half));
}

static json_t *config(const scn_plan *p, const plan_config *c)
{
    json_t *o = json_object();
    for (size_t k = 0; k < p->nknobs; k++)
        json_object_set_new(o, p->knobs[k].key, json_string(plan_value(p, c, k)));
    return o;
}

static json_t *figures(const plan_config *c)
{
    json_t *o = json_object();
    for (int f = 0; f < PLAN_NFIG; f++)
        if (!isnan(c->fig[f].mean))
            json_object_set_new(o, plan_fig_keys[f], ci(&c->fig[f]));
    return o;
}

static const char *verdict_word(const plan_verdict *v)
{
    return !v->known        ? "not measured"
           : v->verdict > 0 ? "met"
           : v->verdict < 0 ? "missed"
                            : "undecided";
}

static json_t *objectives(const scn_plan *p, const plan_config *c)
{
    json_t *a = json_array();
    for (size_t j = 0; j < c->nv; j++) {
        const plan_verdict *v = &c->v[j];
        json_t *e = json_object();
        json_object_set_new(e, "objective", json_string(v->o.text));
        json_object_set_new(
            e, "failure", v->survive >= 0 ? json_string(p->survive_name[v->survive]) : json_null());
        json_object_set_new(e, "status", json_string(verdict_word(v)));
        json_object_set_new(e, "unit", json_string(slo_unit(&v->o)));
        json_object_set_new(e, "mean", v->known ? num(v->ci.mean) : json_null());
        json_object_set_new(e, "ci95_half_width", v->known ? num(v->ci.half) : json_null());
        json_array_append_new(a, e);
    }
    return a;
}

/* The objectives a configuration missed, each with how far its mean is on the wrong side. */
static json_t *missed(const scn_plan *p, const plan_config *c)
{
    json_t *a = json_array();
    for (size_t j = 0; j < c->nv; j++) {
        const plan_verdict *v = &c->v[j];
        if (!v->known || v->verdict > 0)
            continue;
        int lt = v->o.op == SLO_LT || v->o.op == SLO_LE;
        double by = lt ? v->margin : -v->margin;
        json_t *e =
            json_pack("{s:s, s:o, s:s, s:o, s:s}", "objective", v->o.text, "failure",
                      v->survive >= 0 ? json_string(p->survive_name[v->survive]) : json_null(),
                      "status", verdict_word(v), "by", num(by), "unit", slo_unit(&v->o));
        json_array_append_new(a, e);
    }
    return a;
}

static json_t *entry(const scn_plan *p, const plan_config *c, const char *engine)
{
    json_t *o = json_object();
    json_object_set_new(o, "configuration", config(p, c));
    json_object_set_new(o, "status", json_string(plan_status_name(c->status)));
    json_object_set_new(o, "engine", json_string(c->eng ? "request" : engine));
    json_object_set_new(o, "replications", json_integer(c->reps));
    json_object_set_new(o, "figures", figures(c));
    json_object_set_new(o, "minimised", ci(&c->obj));
    json_object_set_new(o, "objectives", objectives(p, c));
    json_object_set_new(o, "missed", missed(p, c));
    return o;
}

static json_t *frontier(const scn_plan *p, const plan_result *r, const int *idx, size_t n, int f)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const plan_config *c = &r->cfg[idx[i]];
        json_t *e = json_object();
        json_object_set_new(e, "configuration", config(p, c));
        json_object_set_new(e, "status", json_string(plan_status_name(c->status)));
        json_object_set_new(e, "monthly_cost", num(c->fig[PLAN_COST].mean));
        json_object_set_new(e, plan_fig_keys[f], num(c->fig[f].mean));
        json_array_append_new(a, e);
    }
    return a;
}

static json_t *step(const scn_plan *p, size_t k, size_t at, double cost, double p99, int ok)
{
    if (isnan(cost) && ok < 0)
        return json_null();
    return json_pack("{s:s, s:o, s:o, s:o}", "value", p->knobs[k].label[at], "monthly_cost_change",
                     num(cost), "api_latency_p99_change_ms", num(p99), "feasible_at_screening",
                     ok < 0 ? json_null() : json_boolean(ok));
}

/* What was run: the version, scenario, seed, engines, confidence and what is minimised. */
static void head(json_t *root, const scn_plan *p, const plan_result *r)
{
    json_object_set_new(root, "schema_version", json_integer(1));
    json_object_set_new(root, "simulate_version", json_string(SIMULATE_VERSION));
    json_object_set_new(root, "scenario", json_string(p->path));
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    json_object_set_new(root, "seed", json_string(seed));
    json_object_set_new(root, "engine", json_string(r->fidelity));
    json_object_set_new(root, "finalist_engine", json_string(r->finalist_engine));
    json_object_set_new(root, "confidence", json_real(PLAN_CONFIDENCE));
    json_object_set_new(root, "alpha_per_test", json_real(r->alpha_test));
    json_object_set_new(root, "minimise", json_string(p->minimise));
    json_object_set_new(root, "minimise_unit", json_string(p->minimise_unit));
    json_t *mw = json_object();
    for (int f = 0; f < PLAN_NFIG; f++)
        if (p->minimise_weight[f] != 0)
            json_object_set_new(mw, plan_fig_keys[f], json_real(p->minimise_weight[f]));
    json_object_set_new(root, "minimise_weights", mw);
}

/* The space: each knob's values, whether it is monotone and bisected; the failures. */
static void space(json_t *root, const scn_plan *p, const plan_result *r)
{
    json_t *knobs = json_array();
    for (size_t k = 0; k < p->nknobs; k++) {
        json_t *vals = json_array();
        for (size_t v = 0; v < p->knobs[k].n; v++)
            json_array_append_new(vals, json_string(p->knobs[k].label[v]));
        json_array_append_new(knobs, json_pack("{s:s, s:o, s:i, s:b}", "key", p->knobs[k].key,
                                               "values", vals, "monotone", p->knobs[k].monotone,
                                               "bisected", (int)k == r->bisected || r->axis[k]));
    }
    json_object_set_new(root, "knobs", knobs);
    json_t *surv = json_array();
    for (size_t f = 0; f < p->nsurvive; f++)
        json_array_append_new(surv, json_string(p->survive_name[f]));
    json_object_set_new(root, "must_survive", surv);
}

/* The knobs bisected: the slices' one in each slice, then each other monotone knob with the
 * rest at their most capacity, with the least value found there. */
static json_t *bisected(const scn_plan *p, const plan_result *r)
{
    json_t *a = json_array();
    if (r->bisected >= 0)
        json_array_append_new(
            a, json_pack("{s:s, s:s}", "knob", p->knobs[r->bisected].key, "along", "each slice"));
    for (size_t k = 0; k < p->nknobs; k++) {
        if (!r->axis[k])
            continue;
        int v = r->axis_least[k];
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:o}", "knob", p->knobs[k].key, "along",
                         "the other monotone knobs at their most capacity", "least_value",
                         v >= 0 ? json_string(p->knobs[k].label[v]) : json_null()));
    }
    return a;
}

/* What the search did. */
static json_t *search(const scn_plan *p, const plan_result *r)
{
    json_t *o =
        json_pack("{s:I, s:I, s:I, s:I, s:f, s:I, s:i, s:i}", "space", (json_int_t)r->space,
                  "pruned", (json_int_t)r->pruned, "skipped_by_bisection", (json_int_t)r->skipped,
                  "simulated", (json_int_t)r->simulated, "simulated_fraction",
                  r->space ? (double)r->simulated / (double)r->space : 0.0, "replications",
                  (json_int_t)r->replications, "screening_replications", p->screen_replications,
                  "max_replications", p->max_replications);
    json_object_set_new(o, "bisected", bisected(p, r));
    return o;
}

/* The winner with its confirmation. */
static json_t *winner(const scn_plan *p, const plan_result *r)
{
    const plan_config *w = &r->cfg[r->winner];
    json_t *win = entry(p, w, r->fidelity);
    json_object_del(win, "missed");
    json_object_set_new(win, "indistinguishable_from", json_integer(r->indistinguishable));
    json_t *conf = json_object();
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->confirm_seed);
    json_object_set_new(conf, "seed", json_string(seed));
    json_object_set_new(conf, "replications", json_integer(r->confirm.reps));
    json_object_set_new(conf, "confirmed", json_boolean(r->confirmed));
    json_object_set_new(conf, "figures", figures(&r->confirm));
    json_object_set_new(conf, "objectives", objectives(p, &r->confirm));
    json_object_set_new(win, "confirmation", conf);
    return win;
}

/* Each knob a step down and up from the winner. */
static json_t *sensitivity(const scn_plan *p, const plan_result *r)
{
    const plan_config *w = &r->cfg[r->winner];
    json_t *sens = json_array();
    for (size_t k = 0; k < p->nknobs; k++) {
        const plan_sensitivity *s = &r->sens[k];
        size_t at = w->choice[k];
        json_t *e = json_object();
        json_object_set_new(e, "knob", json_string(p->knobs[k].key));
        json_object_set_new(e, "step_down",
                            at > 0 ? step(p, k, at - 1, s->cost_down, s->p99_down, s->down_feasible)
                                   : json_null());
        json_object_set_new(e, "step_up",
                            at + 1 < p->knobs[k].n
                                ? step(p, k, at + 1, s->cost_up, s->p99_up, s->up_feasible)
                                : json_null());
        json_array_append_new(sens, e);
    }
    return sens;
}

/* Runners-up: the finalists and screened configurations by the minimised figure. */
static json_t *runners_up(const scn_plan *p, const plan_result *r)
{
    json_t *ru = json_array();
    int *order = base_malloc((r->ncfg ? r->ncfg : 1) * sizeof *order);
    size_t m = 0;
    for (size_t i = 0; order && i < r->ncfg; i++)
        if ((int)i != r->winner && r->cfg[i].reps > 0 && !isnan(r->cfg[i].obj.mean))
            order[m++] = (int)i;
    for (size_t i = 1; order && i < m; i++)
        for (size_t j = i; j > 0; j--) {
            const plan_config *a = &r->cfg[order[j]], *b = &r->cfg[order[j - 1]];
            if (a->obj.mean > b->obj.mean || (a->obj.mean == b->obj.mean && a->index > b->index))
                break;
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; order && i < m && i < PLAN_RUNNERS_UP; i++)
        json_array_append_new(ru, entry(p, &r->cfg[order[i]], r->fidelity));
    free(order);
    return ru;
}

json_t *plan_json(const scn_plan *p, const plan_result *r)
{
    json_t *root = json_object();
    if (!root)
        return NULL;
    head(root, p, r);
    space(root, p, r);
    json_object_set_new(root, "search", search(p, r));
    json_object_set_new(root, "winner", r->winner >= 0 ? winner(p, r) : json_null());
    json_object_set_new(root, "sensitivity", r->winner >= 0 ? sensitivity(p, r) : json_array());
    json_object_set_new(root, "runners_up", runners_up(p, r));
    json_t *par = json_object();
    json_object_set_new(par, "cost_vs_p99",
                        frontier(p, r, r->pareto_p99, r->npareto_p99, PLAN_P99));
    json_object_set_new(par, "cost_vs_rto",
                        frontier(p, r, r->pareto_rto, r->npareto_rto, PLAN_RTO));
    json_object_set_new(root, "pareto", par);
    return root;
}
