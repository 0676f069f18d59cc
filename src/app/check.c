/*
 * check.c — the gate a CI job puts on a pull request (`simulate check`), as a library: each
 * scenario runs exactly as `simulate SCENARIO` runs it (app_run: report.json, results store),
 * then faces three kinds of checks, each PASS, FAIL, UNCERTAIN or SKIP (report.h, rep_status):
 *   - its objectives, already judged by app_judge; one the run cannot measure (rto without a
 *     failure) is SKIP, never a pass;
 *   - a budget: the monthly cost must be below it;
 *   - a maximum increase: the monthly cost may not rise more than a fraction over a baseline's.
 * Every check is judged on the mean across replications, as the objectives are. UNCERTAIN is a
 * pass whose interval straddles the threshold (a warning: more replications would tell); a
 * failure whose interval straddles it stays a FAIL, marked uncertain.
 *
 * Money is compared in whole cents, the unit the comment shows: a baseline read back from a
 * report.json carries 10 significant digits, so "the same run" must compare equal, and a
 * budget or an increase exactly at its threshold must land on the documented side of it.
 */
#include "app/app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* ---------------------------------------------------------------- baselines */

/* An amount the cent arithmetic below holds exactly: from $0 to a trillion dollars a month. */
static int plausible(double usd)
{
    return isfinite(usd) && usd >= 0 && usd < 1e12;
}

static int from_json(json_t *root, const char *file, rep_baseline *b, base_err *err)
{
    /* a report of a newer schema may mean its figures differently: refuse rather than guess */
    json_t *ver = json_object_get(root, "schema_version");
    if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
                json_integer_value(ver) > REP_SCHEMA_VERSION)) {
        char v[32] = "not a whole number";
        if (json_is_integer(ver))
            snprintf(v, sizeof v, "%lld", (long long)json_integer_value(ver));
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "baseline: schema_version %s is not one this simulate reads (1 to %d)",
                            v, REP_SCHEMA_VERSION);
    }
    json_t *figs = json_object_get(root, "figures");
    json_t *mc = json_object_get(json_object_get(figs, fig_key(FIG_MONTHLY_COST)), "mean");
    if (!json_is_object(figs))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "the baseline is not a report.json of simulate (no figures)");
    if (!json_is_number(mc))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "the baseline has no monthly cost (its run had no pricing file)");
    b->total = json_number_value(mc);
    if (!plausible(b->total))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "the baseline's monthly cost is not an amount of US dollars");
    const char *name =
        json_string_value(json_object_get(json_object_get(root, "scenario"), "name"));
    snprintf(b->name, sizeof b->name, "%s", name ? name : "");
    json_t *reps = json_object_get(root, "replications");
    b->replications = json_is_integer(reps) && json_integer_value(reps) > 0 &&
                              json_integer_value(reps) <= ENG_MAX_REPLICATIONS
                          ? (int)json_integer_value(reps)
                          : 0;
    for (size_t k = 0; k < COST_NPARTS; k++) {
        json_t *m = json_object_get(json_object_get(figs, cost_part_key((cost_part)k)), "mean");
        b->has_part[k] = json_is_number(m) && plausible(json_number_value(m));
        b->part[k] = b->has_part[k] ? json_number_value(m) : 0;
    }
    return BASE_OK;
}

/* A run number (all digits) in the results store check's runs go to, else the path of a
 * report.json (write ./12 for a file named 12). */
int app_baseline_load(const char *arg, const char *db, const char *output, rep_baseline *b,
                      base_err *err)
{
    memset(b, 0, sizeof b[0]);
    uint64_t id;
    json_t *root = NULL;
    json_error_t je;
    const char *file = arg;
    char path[4096];
    if (app_is_run_number(arg) && app_parse_uint(arg, INT64_MAX, &id) != 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "--baseline: a run's number goes up to 2^63-1, not '%s'", arg);
    if (app_parse_uint(arg, INT64_MAX, &id) == 0) {
        if (id < 1)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "--baseline: a run's number starts at 1, not '%s'", arg);
        app_store_path(db, output, path, sizeof path);
        file = path;
        store *st;
        char *text = NULL;
        int rc = store_open_read(path, &st, err); /* looking for a run must not create a store */
        if (rc != BASE_OK)
            return rc;
        rc = store_report(st, (int64_t)id, &text, err);
        store_close(st);
        if (rc != BASE_OK)
            return rc;
        root = json_loads(text, 0, &je);
        free(text);
        snprintf(b->source, sizeof b->source, "run %s of %s", arg, path);
    } else {
        FILE *f;
        int rc = base_open_regular(arg, 0, &f, err); /* a FIFO would block forever */
        if (rc != BASE_OK)
            return rc == BASE_EIO ? BASE_EINPUT : rc; /* a missing baseline is the user's input */
        root = json_loadf(f, 0, &je);
        fclose(f);
        snprintf(b->source, sizeof b->source, "%s", arg);
    }
    if (!root) /* jansson's column is 0 at the end of a line: point at the line, then */
        return base_err_set(err, BASE_EINPUT, file, je.line > 0 ? je.line : 0,
                            je.line > 0 ? (je.column > 0 ? je.column : 1) : 0, "baseline: %s",
                            je.text);
    int rc = from_json(root, file, b, err);
    json_decref(root);
    return rc;
}

int app_baseline_parse(const char *file, const char *text, size_t len, rep_baseline *b,
                       base_err *err)
{
    json_error_t je;
    memset(b, 0, sizeof *b);
    snprintf(b->source, sizeof b->source, "%s", file);
    json_t *root = json_loadb(text, len, 0, &je);
    int rc = root ? from_json(root, file, b, err)
                  : base_err_set(err, BASE_EINPUT, file, je.line > 0 ? je.line : 0,
                                 je.line > 0 ? (je.column > 0 ? je.column : 1) : 0, "baseline: %s",
                                 je.text);
    json_decref(root);
    return rc;
}

/* ---------------------------------------------------------------- checks */

/* A figure for people: 412.3, 59357.5, 0.05. */
static void num(char *buf, size_t len, double x, int sig)
{
    if (fabs(x) >= 100)
        snprintf(buf, len, "%.1f", x);
    else
        snprintf(buf, len, "%.*g", sig, x);
}

static void measured_text(char *buf, size_t len, const char *unit, double mean, double half)
{
    char m[48], h[48];
    if (!strcmp(unit, "USD")) {
        cost_format((int64_t)llround(mean * 1e6), m, sizeof m);
        cost_format((int64_t)llround(half * 1e6), h, sizeof h);
    } else {
        num(m, sizeof m, mean, 4);
        num(h, sizeof h, half, 3);
    }
    const char *sp = !strcmp(unit, "USD") || !unit[0] ? "" : " ";
    const char *u = !strcmp(unit, "USD") ? "" : unit;
    if (isfinite(half))
        snprintf(buf, len, "%s ± %s%s%s", m, h, sp, u);
    else
        snprintf(buf, len, "%s%s%s", m, sp, u);
}

static const char *op_text(slo_op op)
{
    return op == SLO_LT ? "<" : op == SLO_LE ? "<=" : op == SLO_GT ? ">" : ">=";
}

void app_check_objectives(rep_outcome *oc, const app_verdict *verdicts, size_t nv)
{
    for (size_t i = 0; i < nv && oc->n < REP_MAX_CHECKS; i++) {
        const app_verdict *v = &verdicts[i];
        rep_check *c = &oc->checks[oc->n++];
        snprintf(c->name, sizeof c->name, "%s", v->o.text);
        const char *unit = slo_unit(&v->o);
        char val[48];
        if (!strcmp(unit, "USD"))
            cost_format((int64_t)llround(v->o.value * 1e6), val, sizeof val);
        else
            snprintf(val, sizeof val, "%g %s", v->o.value, unit);
        snprintf(c->threshold, sizeof c->threshold, "%s %s", op_text(v->o.op), val);
        if (!v->known) {
            c->status = REP_SKIP;
            snprintf(c->measured, sizeof c->measured, "not measured by this run");
            continue;
        }
        char m[150]; /* with the bound's words, within c->measured */
        measured_text(m, sizeof m, unit, v->ci.mean, v->ci.half);
        /* beyond: a lower bound (app_verdict.beyond) */
        snprintf(c->measured, sizeof c->measured,
                 v->beyond ? "> %s (beyond the histograms' range)" : "%s", m);
        c->uncertain = v->uncertain;
        c->status = !v->met ? REP_FAIL : v->uncertain ? REP_UNCERTAIN : REP_PASS;
    }
}

void app_check_budget(rep_outcome *oc, int64_t budget)
{
    if (oc->n >= REP_MAX_CHECKS)
        return;
    rep_check *c = &oc->checks[oc->n++];
    char b[40];
    cost_format(budget, b, sizeof b);
    snprintf(c->name, sizeof c->name, "budget: monthly_cost < %s", b);
    snprintf(c->threshold, sizeof c->threshold, "< %s", b);
    measured_text(c->measured, sizeof c->measured, "USD", oc->total, oc->total_half);
    /* below the budget, to the cent; uncertain as app_judge says it of an objective */
    int met = (int64_t)oc->total_c * 10000 < budget;
    if ((int64_t)oc->total_c * 10000 == budget) { /* never "$549.50 < $549.50": say it is at it */
        size_t l = strlen(c->measured);
        snprintf(c->measured + l, sizeof c->measured - l, " (at the budget, not below it)");
    }
    c->uncertain =
        isfinite(oc->total_half) && fabs(oc->total - (double)budget / 1e6) < oc->total_half;
    c->status = !met ? REP_FAIL : c->uncertain ? REP_UNCERTAIN : REP_PASS;
}

void app_check_increase(rep_outcome *oc, double max_increase, const char *why_none)
{
    if (oc->n >= REP_MAX_CHECKS)
        return;
    rep_check *c = &oc->checks[oc->n++];
    char pct[32];
    snprintf(pct, sizeof pct, "%g%%", max_increase * 100);
    snprintf(c->name, sizeof c->name, "max increase: monthly_cost <= baseline + %s", pct);
    if (!oc->base) {
        c->status = REP_SKIP;
        snprintf(c->threshold, sizeof c->threshold, "<= baseline + %s", pct);
        snprintf(c->measured, sizeof c->measured, "%.180s", why_none); /* names cut short */
        return;
    }
    long long base = rep_cents(oc->base->total), now = oc->total_c;
    /* fail when (now - base) / base > f, in integers: f as parts per 10^8 (exact for a
     * percentage with up to six decimals), products exact below 2^53 cents */
    long long f8 = llround(max_increase * 1e8);
    int met = base > 0 ? (double)(now - base) * 1e8 <= (double)f8 * (double)base : now <= base;
    double limit = (double)base / 100.0 * (1 + max_increase);
    char lim[40], n[40], bs[40], ch[32];
    cost_format((int64_t)llround(limit * 1e6), lim, sizeof lim);
    snprintf(c->threshold, sizeof c->threshold, "<= +%s (%s)", pct, lim);
    snprintf(c->measured, sizeof c->measured, "%s: %s vs %s",
             rep_pct_change(now, base, ch, sizeof ch), rep_money_cents(now, n, sizeof n),
             rep_money_cents(base, bs, sizeof bs));
    c->uncertain = base > 0 && isfinite(oc->total_half) && fabs(oc->total - limit) < oc->total_half;
    c->status = !met ? REP_FAIL : c->uncertain ? REP_UNCERTAIN : REP_PASS;
}

/* ---------------------------------------------------------------- the gate */

/* Which baseline scenario `name` is compared with: the only one for the only scenario (the
 * user paired them), else the one of the same name. */
static const rep_baseline *match(const rep_baseline *bl, const app_check_opts *o, const char *name)
{
    if (o->nfiles == 1 && o->nbaselines == 1)
        return &bl[0];
    for (int k = 0; k < o->nbaselines; k++)
        if (!strcmp(bl[k].name, name))
            return &bl[k];
    return NULL;
}

static void why_no_baseline(char *buf, size_t len, const rep_baseline *bl, int nb)
{
    int at = snprintf(buf, len, "no baseline matched (baseline%s of", nb == 1 ? "" : "s");
    for (int k = 0; k < nb && at > 0 && (size_t)at < len; k++)
        at += snprintf(buf + at, len - (size_t)at, "%s '%s'", k ? "," : "", bl[k].name);
    if (at > 0 && (size_t)at < len)
        snprintf(buf + at, len - (size_t)at, ")");
}

/* Loads every scenario before running any, so a bad one, or a budget that cannot be judged,
 * costs no run. */
static int validate(const app_check_opts *o, const rep_baseline *bl, rep_outcome *oc, base_err *err)
{
    for (int i = 0; i < o->nfiles; i++) {
        app_run_opts ro = {.scenario = o->files[i]};
        mdl_scenario *s;
        int st = app_load(&ro, &s, err);
        if (st != BASE_OK)
            return st;
        oc[i].file = o->files[i];
        snprintf(oc[i].name, sizeof oc[i].name, "%s", s->name);
        oc[i].priced = s->cluster.catalog.region[0] != '\0';
        free(s);
        const char *need = o->has_budget                      ? "--budget"
                           : match(bl, o, oc[i].name) != NULL ? "--baseline"
                                                              : NULL;
        if (need && !oc[i].priced)
            return base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                                "%s needs a monthly cost, and this scenario names no pricing "
                                "file (add `pricing:`, or extend a scenario that has one)",
                                need);
        for (int k = 0; k < i; k++)
            if (!strcmp(oc[k].name, oc[i].name))
                return base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                                    "two scenarios named '%s' (%s too): their outputs would "
                                    "collide; give them different names",
                                    oc[i].name, o->files[k]);
    }
    return BASE_OK;
}

/* Runs scenario i and judges it into oc. */
static int run_one(const app_check_opts *o, const rep_baseline *bl, int i, rep_outcome *oc,
                   const char *why, base_err *err)
{
    char out[4096], db[4096];
    app_run_opts ro = o->run;
    ro.scenario = o->files[i];
    if (o->run.output && o->nfiles > 1) {
        /* one folder per scenario, and one store for all of them, as a plain run has */
        snprintf(out, sizeof out, "%s/%s", o->run.output, oc->name);
        app_store_path(o->run.db, o->run.output, db, sizeof db);
        ro.output = out;
        ro.db = db;
    }
    app_run_result *res = base_calloc(1, sizeof *res);
    if (!res)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = app_run(&ro, res, err);
    if (st != BASE_OK) {
        free(res);
        return st;
    }
    snprintf(oc->engine, sizeof oc->engine, "%s", res->sum.engine);
    oc->seed = res->s->seed;
    oc->replications = res->sum.replications;
    snprintf(oc->report, sizeof oc->report, "%s", res->report);
    snprintf(oc->pack, sizeof oc->pack, "%s", res->pack);
    const eng_figure *mc = app_figure(&res->sum, FIG_MONTHLY_COST);
    oc->priced = mc != NULL;
    oc->month_hours = res->bill ? res->bill->month_hours : COST_MONTH_HOURS;
    if (mc) {
        oc->total = mc->ci.mean;
        oc->total_half = mc->ci.half;
        oc->total_c = rep_cents(mc->ci.mean);
        for (size_t k = 0; k < COST_NPARTS; k++) {
            const eng_figure *f = eng_summary_figure(&res->sum, cost_part_key((cost_part)k));
            oc->now_c[k] = f ? rep_cents(f->ci.mean) : 0;
        }
        oc->base = match(bl, o, oc->name);
        /* a baseline of another precision: its cost is a mean of other replications, and a
         * difference within both intervals may be only that */
        if (oc->base && oc->base->replications && oc->base->replications != oc->replications)
            snprintf(oc->note, sizeof oc->note,
                     "the baseline ran %d replications and this run %d: the costs are means of "
                     "different samples",
                     oc->base->replications, oc->replications);
    }
    app_check_objectives(oc, res->verdicts, res->nv);
    app_run_clear(res);
    free(res);
    /* validate() saw a pricing file; a cost gate must still never pass on a missing cost */
    if (!mc && (o->has_budget || match(bl, o, oc->name)))
        return base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                            "the run has no monthly cost to judge --budget or --baseline on");
    if (o->has_budget)
        app_check_budget(oc, o->budget);
    if (o->has_max_increase)
        app_check_increase(oc, o->max_increase, why);
    return BASE_OK;
}

int app_write_output(const char *path, const base_buf *b, base_err *err)
{
    if (b->oom)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        int rc = base_mkdir_p(dir, err);
        if (rc != BASE_OK)
            return rc;
    }
    return base_write_file_atomic(path, b->p ? b->p : "", b->len, err);
}

int app_check(const app_check_opts *o, rep_baseline *bl, rep_outcome *oc, app_outcome_fn after_each,
              void *ctx, base_err *err)
{
    int st = BASE_OK;
    memset(oc, 0, (size_t)o->nfiles * sizeof *oc);
    /* the baselines first: one in the output folder is about to be overwritten by this run */
    for (int k = 0; st == BASE_OK && k < o->nbaselines; k++)
        st = app_baseline_load(o->baselines[k], o->run.db, o->run.output, &bl[k], err);
    if (st == BASE_OK)
        st = validate(o, bl, oc, err);
    char why[1024];
    why_no_baseline(why, sizeof why, bl, o->nbaselines);
    for (int i = 0; st == BASE_OK && i < o->nfiles; i++) {
        st = run_one(o, bl, i, &oc[i], why, err);
        if (st == BASE_OK && after_each)
            after_each(ctx, &oc[i], why);
    }
    return st;
}
