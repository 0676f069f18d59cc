/*
 * plan.c — a scenario's `plan:` section (simulate plan, issue 16): the knobs over scenario keys,
 * what must be survived, what to minimise. A configuration — one value of each knob — is bound
 * as a variant is (variants.c): the knobs become a mapping of the keys they change, merged over
 * the rest of the file exactly as an extending file merges over its base, so a knob can set any
 * key the scenario language has and every error points at the line of the plan that caused it.
 *
 *   plan:
 *     knobs:
 *       api.replicas: {from: 4, to: 40, step: 4}     # a range with a step
 *       database.instance_class: [db.t4g.medium, db.m7g.large]   # or a list of choices
 *     minimise: monthly_cost                          # or api_latency_p99
 *     must_survive:
 *       - {name: az-loss, events: [{at: 1h, type: az_failure, az: a}], objectives: ["rto < 2m"]}
 */
#include "io/io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/yaml_internal.h"

/* Keys whose larger value never takes capacity away and never costs less (+1), or the
 * reverse (-1: a lower HPA target scales out sooner): the knobs bisected by default. A plan
 * may say otherwise per knob (`monotone: false`). */
static const struct {
    const char *key;
    int dir;
} monotone_keys[] = {
    {"api.replicas", 1},
    {"api.workers", 1},
    {"hpa.min_replicas", 1},
    {"hpa.max_replicas", 1},
    {"hpa.cpu_target", -1},
    {"database.read_replicas", 1},
    {"database.servers", 1},
    {"database.aurora.acu_min", 1},
    {"database.aurora.acu_max", 1},
    {"database.aurora.readers", 1},
    {"pgbouncer.default_pool_size", 1},
    /* replica scaling: more replicas kept, or allowed, or added sooner (a lower target) */
    {"database.replica_scaling.min", 1},
    {"database.replica_scaling.max", 1},
    {"database.replica_scaling.target", -1},
    {"database.aurora.reader_scaling.min", 1},
    {"database.aurora.reader_scaling.max", 1},
    {"database.aurora.reader_scaling.target", -1},
};

static int at(base_err *err, const scn_node *n, const char *fmt, const char *a, const char *b)
{
    return base_err_set(err, BASE_EINPUT, n->file, n->line, n->col, fmt, a, b);
}

/* A scalar node owned by the doc, placed at `where` (errors about it point there). */
static scn_node *scalar(scn_doc *doc, const scn_node *where, const char *text)
{
    scn_node *n = scn_doc_alloc(doc, sizeof *n);
    char *t = scn_doc_strdup(doc, text);
    if (!n || !t)
        return NULL;
    n->kind = SCN_SCALAR;
    n->file = where->file;
    n->line = where->line;
    n->col = where->col;
    n->text = t;
    n->plain = 1;
    return n;
}

/* A one-pair mapping {key: val}, owned by the doc. */
static scn_node *pair(scn_doc *doc, scn_node *key, scn_node *val)
{
    scn_node *m = scn_doc_alloc(doc, sizeof *m);
    scn_node **k = scn_doc_alloc(doc, sizeof *k);
    scn_node **v = scn_doc_alloc(doc, sizeof *v);
    if (!m || !k || !v)
        return NULL;
    *m = *key;
    m->kind = SCN_MAP;
    m->text = NULL;
    m->n = 1;
    k[0] = key;
    v[0] = val;
    m->keys = k;
    m->vals = v;
    return m;
}

/* {a: {b: {c: val}}} for the dotted key "a.b.c", its nodes placed at the knob's key. */
static scn_node *nest(scn_doc *doc, const scn_node *where, const char *dotted, scn_node *val)
{
    char buf[SCN_PLAN_KEY_MAX];
    snprintf(buf, sizeof buf, "%s", dotted);
    scn_node *cur = val;
    for (char *dot = strrchr(buf, '.');; dot = strrchr(buf, '.')) {
        const char *part = dot ? dot + 1 : buf;
        scn_node *k = scalar(doc, where, part);
        cur = k ? pair(doc, k, cur) : NULL;
        if (!cur || !dot)
            return cur;
        *dot = '\0';
    }
}

/* The number at the start of `text` and the unit after it ("250m" -> 250, "m"). */
static int split_number(const char *text, double *x, const char **unit)
{
    char *end;
    *x = strtod(text, &end);
    if (end == text || !isfinite(*x))
        return 0;
    *unit = end;
    return 1;
}

static int knob_range(scn_plan *p, scn_knob *k, const scn_node *r, base_err *err)
{
    const scn_node *f = scn_map_get(r, "from"), *t = scn_map_get(r, "to"),
                   *s = scn_map_get(r, "step");
    for (size_t i = 0; i < r->n; i++) {
        const char *w = r->keys[i]->text;
        if (strcmp(w, "from") && strcmp(w, "to") && strcmp(w, "step") && strcmp(w, "monotone"))
            return at(err, r->keys[i], "unknown key '%s' in a knob's range (from, to, step, %s)", w,
                      "monotone");
    }
    if (!f || !t || !s)
        return at(err, r, "knob '%s': a range needs from, to and step%s", k->key, "");
    double x0, x1, dx;
    const char *u0, *u1, *ud;
    const scn_node *bad = NULL;
    if (f->kind != SCN_SCALAR || !split_number(f->text, &x0, &u0))
        bad = f;
    else if (t->kind != SCN_SCALAR || !split_number(t->text, &x1, &u1))
        bad = t;
    else if (s->kind != SCN_SCALAR || !split_number(s->text, &dx, &ud))
        bad = s;
    if (bad)
        return at(err, bad, "knob '%s': expected a number (with its unit, as the key takes it)%s",
                  k->key, "");
    if (strcmp(u0, u1) || strcmp(u0, ud))
        return at(err, r, "knob '%s': from, to and step must have the same unit ('%s' ...)", k->key,
                  u0);
    if (!(dx > 0))
        return at(err, s, "knob '%s': the step must be above 0%s", k->key, "");
    if (x1 < x0)
        return at(err, t, "knob '%s': `to` must be at least `from`%s", k->key, "");
    double steps = floor((x1 - x0) / dx + 1e-9);
    if (steps + 1 > SCN_PLAN_MAX_VALUES)
        return base_err_set(err, BASE_EINPUT, r->file, r->line, r->col,
                            "knob '%s': %.0f values, at most %d", k->key, steps + 1,
                            SCN_PLAN_MAX_VALUES);
    for (size_t i = 0; i <= (size_t)steps; i++) {
        double x = x0 + dx * (double)i;
        char text[sizeof k->label[0]]; /* a value's text is also its label */
        int len = snprintf(text, sizeof text, "%.10g%s", x, u0);
        if (len < 0 || (size_t)len >= sizeof text)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "a knob's value '%.10g%s' is too long",
                                x, u0);
        scn_node *n = scalar(p->doc, f, text);
        if (!n)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        k->value[k->n] = n;
        k->num[k->n] = x;
        memcpy(k->label[k->n], text, sizeof text);
        k->n++;
    }
    return BASE_OK;
}

static int knob_list(scn_plan *p, scn_knob *k, const scn_node *l, base_err *err)
{
    (void)p;
    if (l->n == 0 || l->n > SCN_PLAN_MAX_VALUES)
        return base_err_set(err, BASE_EINPUT, l->file, l->line, l->col,
                            "knob '%s': expected 1 to %d choices", k->key, SCN_PLAN_MAX_VALUES);
    int numeric = 1;
    for (size_t i = 0; i < l->n; i++) {
        const scn_node *v = l->vals[i];
        k->value[k->n] = v;
        const char *unit = "";
        double x = NAN;
        if (v->kind != SCN_SCALAR || !split_number(v->text, &x, &unit))
            numeric = 0, x = NAN;
        k->num[k->n] = x;
        if (v->kind == SCN_SCALAR)
            snprintf(k->label[k->n], sizeof k->label[0], "%s", v->text);
        else
            snprintf(k->label[k->n], sizeof k->label[0], "choice %zu (line %d)", i + 1, v->line);
        k->n++;
    }
    /* bisection needs the choices in increasing order */
    for (size_t i = 1; numeric && i < k->n; i++)
        numeric = k->num[i] > k->num[i - 1];
    if (!numeric)
        k->monotone = 0;
    return BASE_OK;
}

static int parse_knobs(scn_plan *p, const scn_node *knobs, base_err *err)
{
    if (knobs->kind != SCN_MAP || knobs->n == 0 || knobs->n > SCN_PLAN_MAX_KNOBS)
        return base_err_set(err, BASE_EINPUT, knobs->file, knobs->line, knobs->col,
                            "plan.knobs: expected a mapping of 1 to %d scenario keys (dotted, "
                            "as api.replicas), each a range or a list of choices",
                            SCN_PLAN_MAX_KNOBS);
    for (size_t i = 0; i < knobs->n; i++) {
        const scn_node *key = knobs->keys[i], *v = knobs->vals[i];
        scn_knob *k = &p->knobs[p->nknobs++];
        if (strlen(key->text) >= sizeof k->key || !key->text[0])
            return at(err, key, "plan.knobs: '%s' is not a scenario key%s", key->text, "");
        snprintf(k->key, sizeof k->key, "%s", key->text);
        k->where = key;
        k->monotone = 0;
        for (size_t m = 0; m < sizeof monotone_keys / sizeof monotone_keys[0]; m++)
            if (!strcmp(monotone_keys[m].key, k->key))
                k->monotone = monotone_keys[m].dir;
        int st;
        if (v->kind == SCN_MAP) {
            st = knob_range(p, k, v, err);
            const scn_node *mono = scn_map_get(v, "monotone");
            if (st == BASE_OK && mono) {
                if (mono->kind != SCN_SCALAR ||
                    (strcmp(mono->text, "true") && strcmp(mono->text, "false")))
                    return at(err, mono, "knob '%s': monotone is true or false%s", k->key, "");
                if (!strcmp(mono->text, "false"))
                    k->monotone = 0;
                else if (!k->monotone)
                    k->monotone = 1;
            }
        } else if (v->kind == SCN_SEQ) {
            st = knob_list(p, k, v, err);
        } else {
            st = at(err, v,
                    "knob '%s': expected a range {from, to, step} or a list of choices, not a "
                    "single value%s",
                    k->key, "");
        }
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

static int parse_survive(scn_plan *p, const scn_node *l, base_err *err)
{
    if (l->kind != SCN_SEQ || l->n > SCN_PLAN_MAX_SURVIVE)
        return base_err_set(err, BASE_EINPUT, l->file, l->line, l->col,
                            "plan.must_survive: expected a list of at most %d failure scenarios "
                            "({name, events, objectives})",
                            SCN_PLAN_MAX_SURVIVE);
    for (size_t i = 0; i < l->n; i++) {
        const scn_node *m = l->vals[i];
        if (m->kind != SCN_MAP)
            return at(err, m,
                      "plan.must_survive: expected a mapping {name, events, "
                      "objectives, ...}%s%s",
                      "", "");
        const scn_node *name = scn_map_get(m, "name");
        if (!name || name->kind != SCN_SCALAR || !name->text[0] ||
            strlen(name->text) >= sizeof p->survive_name[0])
            return at(err, m, "plan.must_survive: each needs a name (at most 63 characters)%s%s",
                      "", "");
        if (!scn_map_get(m, "events"))
            return at(err, m, "plan.must_survive '%s': name the failure in `events:`%s", name->text,
                      "");
        /* the rest of the mapping, without `name`, merges over the configuration */
        scn_node *over = scn_doc_alloc(p->doc, sizeof *over);
        scn_node **keys = scn_doc_alloc(p->doc, m->n * sizeof *keys);
        scn_node **vals = scn_doc_alloc(p->doc, m->n * sizeof *vals);
        if (!over || !keys || !vals)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        *over = *m;
        over->n = 0;
        for (size_t j = 0; j < m->n; j++) {
            if (!strcmp(m->keys[j]->text, "name"))
                continue;
            keys[over->n] = m->keys[j];
            vals[over->n] = m->vals[j];
            over->n++;
        }
        over->keys = keys;
        over->vals = vals;
        snprintf(p->survive_name[p->nsurvive], sizeof p->survive_name[0], "%s", name->text);
        p->survive_over[p->nsurvive++] = over;
    }
    return BASE_OK;
}

static int parse_count(const scn_node *n, int lo, int hi, int *out, base_err *err)
{
    char *end;
    long v = n->kind == SCN_SCALAR ? strtol(n->text, &end, 10) : 0;
    if (n->kind != SCN_SCALAR || *end || !n->text[0] || v < lo || v > hi)
        return base_err_set(err, BASE_EINPUT, n->file, n->line, n->col,
                            "expected a whole number from %d to %d", lo, hi);
    *out = (int)v;
    return BASE_OK;
}

const char *const scn_plan_figures[SCN_PLAN_NFIG] = {"monthly_cost", "api_latency_p99",
                                                     "error_rate", "rto"};

/* The unit each figure is measured in, and so the unit of its weight's denominator. */
static const char *const figure_units[SCN_PLAN_NFIG] = {"USD", "ms", "%", "s"};

/* `minimise:` — one figure, or a weighted sum of figures in USD a month, each weight with its
 * unit said: "monthly_cost + 2 USD/ms * api_latency_p99 + 50 USD/% * error_rate". A weight's
 * unit is USD per the figure's unit (monthly_cost takes a bare number: USD per USD), so the
 * trade-off is stated, not implied: 2 USD/ms means one ms of p99 is worth $2 a month. */
static int parse_minimise(scn_plan *p, const scn_node *n, base_err *err)
{
    static const char *const usage =
        "plan.minimise: a figure (monthly_cost, api_latency_p99, error_rate, rto) or a weighted "
        "sum in USD a month such as 'monthly_cost + 2 USD/ms * api_latency_p99'";
    if (n->kind != SCN_SCALAR || strlen(n->text) >= sizeof p->minimise)
        return at(err, n, "%s%s", usage, "");
    memset(p->minimise_weight, 0, sizeof p->minimise_weight);
    snprintf(p->minimise, sizeof p->minimise, "%s", n->text);
    char unit[SCN_PLAN_NFIG][32];
    int weighted = 0, terms = 0;
    char buf[sizeof p->minimise];
    snprintf(buf, sizeof buf, "%s", n->text);
    for (char *save = NULL, *t = strtok_r(buf, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
        char fig[64] = "", u[32] = "";
        double w = 1;
        int used = 0;
        if (sscanf(t, " %63[a-z_0-9] %n", fig, &used) == 1 && t[used] == '\0') {
            /* a figure alone: weight 1 */
        } else if (sscanf(t, " %lf %31[^ *] * %63[a-z_0-9] %n", &w, u, fig, &used) == 3 &&
                   t[used] == '\0') {
            weighted = 1;
        } else if (sscanf(t, " %lf * %63[a-z_0-9] %n", &w, fig, &used) == 2 && t[used] == '\0') {
            weighted = 1; /* a bare number: only monthly_cost's weight may be one */
        } else {
            return at(err, n, "%s, not '%s'", usage, n->text);
        }
        size_t f = 0;
        while (f < SCN_PLAN_NFIG && strcmp(fig, scn_plan_figures[f]))
            f++;
        if (f == SCN_PLAN_NFIG)
            return at(err, n,
                      "plan.minimise: '%s' is not a figure (monthly_cost, api_latency_p99, "
                      "error_rate, rto)%s",
                      fig, "");
        if (!isfinite(w) || w <= 0)
            return at(err, n, "plan.minimise: the weight of %s must be above 0%s", fig, "");
        if (p->minimise_weight[f] != 0)
            return at(err, n, "plan.minimise: %s is named twice%s", fig, "");
        p->minimise_weight[f] = w;
        snprintf(unit[f], sizeof unit[f], "%s", u);
        terms++;
    }
    if (terms == 0)
        return at(err, n, "%s%s", usage, "");
    if (terms == 1 && !weighted) { /* one figure alone, in its own unit */
        for (size_t f = 0; f < SCN_PLAN_NFIG; f++)
            if (p->minimise_weight[f] != 0)
                snprintf(p->minimise_unit, sizeof p->minimise_unit, "%s", figure_units[f]);
        return BASE_OK;
    }
    /* a sum is in USD a month: each figure but the cost weighed in USD per its unit */
    for (size_t f = 0; f < SCN_PLAN_NFIG; f++) {
        if (p->minimise_weight[f] == 0)
            continue;
        char want[16];
        snprintf(want, sizeof want, "USD/%s", figure_units[f]);
        if (f == 0 ? unit[f][0] && strcmp(unit[f], want) : strcmp(unit[f], want))
            return at(err, n, "plan.minimise: a sum is in USD a month: weigh %s in %s",
                      scn_plan_figures[f], f == 0 ? "USD/USD or a bare number" : want);
    }
    snprintf(p->minimise_unit, sizeof p->minimise_unit, "USD");
    return BASE_OK;
}

static int parse_plan(scn_plan *p, const scn_node *plan, base_err *err)
{
    if (plan->kind != SCN_MAP)
        return at(err, plan, "plan: expected a mapping (knobs, minimise, must_survive, ...)%s%s",
                  "", "");
    static const char *const known[] = {"knobs", "minimise", "must_survive",
                                        "screening_replications", "max_replications"};
    for (size_t i = 0; i < plan->n; i++) {
        size_t k = 0;
        while (k < sizeof known / sizeof known[0] && strcmp(known[k], plan->keys[i]->text))
            k++;
        if (k == sizeof known / sizeof known[0]) {
            const char *s = scn_suggest(plan->keys[i]->text, known, sizeof known / sizeof known[0]);
            char hint[64] = "";
            if (s)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", s);
            return at(err, plan->keys[i], "unknown key '%s' in plan%s", plan->keys[i]->text, hint);
        }
    }
    const scn_node *knobs = scn_map_get(plan, "knobs");
    if (!knobs)
        return at(err, plan, "plan: name the knobs to turn (plan.knobs)%s%s", "", "");
    int st = parse_knobs(p, knobs, err);
    const scn_node *n;
    snprintf(p->minimise, sizeof p->minimise, "monthly_cost");
    snprintf(p->minimise_unit, sizeof p->minimise_unit, "USD");
    p->minimise_weight[0] = 1;
    const scn_node *mn = scn_map_get(plan, "minimise");
    if (st == BASE_OK && mn)
        st = parse_minimise(p, mn, err);
    if (st == BASE_OK && (n = scn_map_get(plan, "must_survive")))
        st = parse_survive(p, n, err);
    if (st == BASE_OK && mn && p->minimise_weight[3] != 0 && p->nsurvive == 0)
        return at(err, mn,
                  "plan.minimise: rto is measured through a failure: the plan needs "
                  "must_survive%s%s",
                  "", "");
    /* 3 replications to screen: the fewest with a t-interval of usable width (t(0.975, 2) =
     * 4.30; with 2 it is 12.7); 48 at most: past it the search's budget goes to few configs */
    p->screen_replications = 3;
    p->max_replications = 48;
    if (st == BASE_OK && (n = scn_map_get(plan, "screening_replications")))
        st = parse_count(n, 2, 64, &p->screen_replications, err);
    if (st == BASE_OK && (n = scn_map_get(plan, "max_replications")))
        st =
            parse_count(n, p->screen_replications, MDL_MAX_REPLICATIONS, &p->max_replications, err);
    return st;
}

/* A month mix prices other scenarios beside this one (src/app/run.c), and the knobs do not
 * reach them: a configuration's bill would mix it with parts it does not configure. Refused
 * where the mix is written (else at `plan:`, the mix coming from a scenario extended); s NULL:
 * the document only. */
static int no_month_mix(const scn_plan *p, const mdl_scenario *s, base_err *err)
{
    const scn_node *root = scn_doc_root(p->doc), *m = scn_map_get(root, "month");
    const scn_node *w = m && m->kind == SCN_MAP ? scn_map_get(m, "mix") : NULL;
    if (!w && (!s || s->month.nmix == 0))
        return BASE_OK;
    if (!w)
        w = m ? m : scn_map_get(root, "plan");
    return base_err_set(err, BASE_EINPUT, w->file, w->line, w->col,
                        "simulate plan does not price a month mix (month.mix): its other "
                        "scenarios are not configured by the knobs; plan on this scenario's "
                        "window, then run the mix with simulate");
}

int scn_plan_load(const char *path, scn_plan **out, base_err *err)
{
    *out = NULL;
    scn_plan *p = calloc(1, sizeof *p);
    if (!p)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    int st = scn_doc_load(path, &p->doc, err);
    if (st != BASE_OK) {
        free(p);
        return st;
    }
    snprintf(p->path, sizeof p->path, "%s", path);
    scn_node *root = (scn_node *)scn_doc_root(p->doc);
    const scn_node *plan = scn_map_get(root, "plan");
    if (!plan) {
        st = base_err_set(err, BASE_EINPUT, path, 0, 0,
                          "no `plan:` section: name the knobs to search (docs/plan.md)");
    } else {
        /* the base: the root without `plan` and `variants` */
        p->base = scn_doc_alloc(p->doc, sizeof *p->base);
        scn_node **keys = scn_doc_alloc(p->doc, root->n * sizeof *keys);
        scn_node **vals = scn_doc_alloc(p->doc, root->n * sizeof *vals);
        if (!p->base || !keys || !vals)
            st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
        else {
            *p->base = *root;
            p->base->n = 0;
            p->base->keys = keys;
            p->base->vals = vals;
            for (size_t i = 0; i < root->n; i++) {
                if (!strcmp(root->keys[i]->text, "plan") ||
                    !strcmp(root->keys[i]->text, "variants"))
                    continue;
                keys[p->base->n] = root->keys[i];
                vals[p->base->n] = root->vals[i];
                p->base->n++;
            }
            st = parse_plan(p, plan, err);
        }
    }
    /* every value of every knob, and every failure, must bind: found now, not mid-search */
    mdl_scenario *s = st == BASE_OK ? malloc(sizeof *s) : NULL;
    if (st == BASE_OK && !s)
        st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    size_t choice[SCN_PLAN_MAX_KNOBS] = {0};
    if (st == BASE_OK)
        st = no_month_mix(p, NULL, err); /* written here: said before any binding fails */
    for (size_t k = 0; st == BASE_OK && k < p->nknobs; k++) {
        for (size_t v = 0; st == BASE_OK && v < p->knobs[k].n; v++) {
            choice[k] = v;
            st = scn_plan_bind(p, choice, -1, s, err);
            if (st == BASE_OK)
                st = no_month_mix(p, s, err);
        }
        choice[k] = 0;
    }
    for (size_t f = 0; st == BASE_OK && f < p->nsurvive; f++)
        st = scn_plan_bind(p, choice, (int)f, s, err);
    free(s);
    if (st != BASE_OK) {
        scn_plan_free(p);
        return st;
    }
    *out = p;
    return BASE_OK;
}

void scn_plan_free(scn_plan *p)
{
    if (!p)
        return;
    scn_doc_free(p->doc);
    free(p);
}

int scn_plan_bind(scn_plan *p, const size_t *choice, int survive, mdl_scenario *out, base_err *err)
{
    scn_node *over = NULL;
    for (size_t k = 0; k < p->nknobs; k++) {
        const scn_knob *kn = &p->knobs[k];
        scn_node *one = nest(p->doc, kn->where, kn->key, (scn_node *)kn->value[choice[k]]);
        if (!one || (over && scn_doc_merge(p->doc, over, one, &one) != BASE_OK))
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        over = one;
    }
    scn_node *merged = p->base;
    if (over && scn_doc_merge(p->doc, merged, over, &merged) != BASE_OK)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (survive >= 0 && scn_doc_merge(p->doc, merged, p->survive_over[survive], &merged) != BASE_OK)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    scn_node *root = (scn_node *)scn_doc_root(p->doc);
    scn_doc_set_root(p->doc, merged);
    int st = scn_bind(p->doc, out, err);
    scn_doc_set_root(p->doc, root);
    if (st == BASE_OK && !out->name[0]) {
        const char *b = strrchr(p->path, '/');
        /* the file's name, cut to the field if it must be: a label only */
        const char *base = b ? b + 1 : p->path;
        size_t len = strlen(base);
        if (len >= sizeof out->name)
            len = sizeof out->name - 1;
        memcpy(out->name, base, len);
        out->name[len] = '\0';
        char *dot = strrchr(out->name, '.');
        if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
            *dot = '\0';
    }
    return st;
}
