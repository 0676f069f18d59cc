/*
 * test_plan.c — the planner (src/plan/, `simulate plan`): it finds a known optimum (M/M/c
 * staffing by Erlang C), agrees with an exhaustive search on a small space for several seeds,
 * does not call an infeasible configuration feasible more often than its stated error, gives the
 * same plan.json for any number of threads, and refuses a bad plan with one positioned error.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost/cost.h"
#include "engine/engine.h"
#include "io/io.h"
#include "plan/plan.h"
#include "validate/validate.h"

#define DATA SIMULATE_TESTDATA "/plan/"

/* Writes text into a fresh file under /tmp and returns its path (static buffer per call site). */
static void write_tmp(char *path, size_t len, const char *text)
{
    snprintf(path, len, "/tmp/simulate-plan-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* ---------------------------------------------------------------- M/M/c by Erlang C */

static double erlang_c(int c, double a)
{
    double term = 1, sum = 1; /* a^k / k! */
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double last = term * a / c * c / (c - a);
    return last / (sum + last);
}

/* P(T > x) of the response time of M/M/c FCFS (wait + exponential service): Gross and Harris,
 * Fundamentals of Queueing Theory, 4th ed., §2.3 (the sojourn-time distribution). */
static double sojourn_tail(int c, double lambda, double mu, double x)
{
    double C = erlang_c(c, lambda / mu), d = c * mu - lambda;
    if (fabs(d - mu) < 1e-12)
        return exp(-mu * x) * (1 + C * mu * x);
    return (1 + C * mu / (d - mu)) * exp(-mu * x) - C * mu / (d - mu) * exp(-d * x);
}

static double sojourn_p99(int c, double lambda, double mu)
{
    double lo = 0, hi = 1000;
    for (int i = 0; i < 200; i++) {
        double m = (lo + hi) / 2;
        if (sojourn_tail(c, lambda, mu, m) > 0.01)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* The API alone, nothing in front of it or behind it: its pods' workers are the servers of an
 * M/M/c station (exponential service, mean 1 s), for the scenarios below. */
#define API_STATION                                                                                \
    "cloudfront: {enabled: false}\n"                                                               \
    "alb: {latency: 0s, idle_timeout: 0s}\n"                                                       \
    "api:\n"                                                                                       \
    "  replicas: 1\n"                                                                              \
    "  backlog: 1000000\n"                                                                         \
    "  timeout: 0s\n"                                                                              \
    "  service:\n"                                                                                 \
    "    api_read: {dist: exponential, mean: 1s}\n"                                                \
    "    api_write: 1s\n"                                                                          \
    "database: {enabled: false}\n"

static const char *mmc_text =
    "name: plan-mmc\n"
    "seed: 1\n"
    "replications: 3\n"
    "warmup: 500s\n"
    "traffic:\n"
    "  phases: [{duration: 4000s, rate: 9/s}]\n"
    "  mix: {api_read: 100%%}\n" API_STATION "objectives: [\"p(99) < %.0fms\"]\n"
    "plan:\n"
    "  knobs:\n"
    "    api.workers: %s\n";

static plan_result run_plan(const char *path, uint64_t seed, int jobs, scn_plan **pp)
{
    base_err err;
    base_err_clear(&err);
    scn_plan *p = NULL;
    int st = scn_plan_load(path, &p, &err);
    cr_assert_eq(st, BASE_OK, "%s", err.msg);
    plan_opts o = {.jobs = jobs, .has_seed = 1, .seed = seed};
    plan_result r;
    st = plan_search(p, &o, &r, &err);
    cr_assert_eq(st, BASE_OK, "%s", err.msg);
    *pp = p;
    return r;
}

/* The fewest workers c with the response time's p99 under the objective, for λ = 9/s and a
 * 1 s mean service: the objective halfway between the p99 of c* − 1 and of c*, so that the
 * answer does not hang on the simulation's noise. */
Test(plan, mmc_staffing_by_erlang_c, .timeout = 300)
{
    const double lambda = 9, mu = 1;
    /* c* = 11: p99 4.96 s; c = 10: 6.25 s (sojourn_p99) */
    double p10 = sojourn_p99(10, lambda, mu), p11 = sojourn_p99(11, lambda, mu);
    cr_assert(p10 > p11 + 0.5);
    double limit_ms = (p10 + p11) / 2 * 1000; /* 5.6 s */
    char text[2048], path[64];
    snprintf(text, sizeof text, mmc_text, limit_ms, "{from: 1, to: 24, step: 1}");
    write_tmp(path, sizeof path, text);
    int want = 0; /* the smallest c under the limit by the formula */
    for (int c = 10; c < 30 && !want; c++)
        if (sojourn_p99(c, lambda, mu) * 1000 < limit_ms)
            want = c;
    char ws[16];
    snprintf(ws, sizeof ws, "%d", want);
    cr_assert_eq(want, 11);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        scn_plan *p;
        plan_result r = run_plan(path, seed, 2, &p);
        cr_assert_geq(r.winner, 0, "seed %llu: nothing feasible", (unsigned long long)seed);
        cr_expect_str_eq(plan_value(p, &r.cfg[r.winner], 0), ws, "seed %llu",
                         (unsigned long long)seed);
        cr_expect(r.pruned > 0, "the bound prunes c <= 9 (λ/μ = 9)");
        cr_expect(r.simulated < r.space);
        plan_result_clear(&r);
        scn_plan_free(p);
    }
    unlink(path);
}

/* A configuration that misses its objective (c = 10: p99 6.25 s against 6.0 s) is called
 * feasible in at most the stated share of seeded trials: 5%. With 20 trials, 3 or more such
 * calls would have probability under 8% if the true rate were 5% (binomial), so more than 3
 * fails the test. */
Test(plan, infeasible_called_feasible_rarely, .timeout = 600)
{
    char text[2048], path[64];
    snprintf(text, sizeof text, mmc_text, 6000.0, "[10]");
    write_tmp(path, sizeof path, text);
    int wrong = 0;
    for (uint64_t seed = 100; seed < 120; seed++) {
        scn_plan *p;
        plan_result r = run_plan(path, seed, 2, &p);
        wrong += r.winner >= 0;
        plan_result_clear(&r);
        scn_plan_free(p);
    }
    unlink(path);
    cr_expect_leq(wrong, 3, "%d of 20 trials called an infeasible configuration feasible", wrong);
}

/* ---------------------------------------------------------------- against exhaustive search */

/* Every configuration of small.yaml with 8 replications: the cheapest whose objectives' means
 * are met (judged as `simulate` judges a run), and each one's cost interval. */
typedef struct exh {
    double cost, half, p99, err;
    int met;
} exh;

static void exhaustive(scn_plan *p, uint64_t seed, exh *out, size_t *n)
{
    base_err err;
    mdl_scenario *s = malloc(sizeof *s);
    cost_month *m = malloc(sizeof *m);
    cr_assert(s && m);
    size_t total = 1;
    for (size_t k = 0; k < p->nknobs; k++)
        total *= p->knobs[k].n;
    for (size_t i = 0; i < total; i++) {
        size_t choice[SCN_PLAN_MAX_KNOBS] = {0}, rest = i;
        for (size_t k = p->nknobs; k-- > 0;) {
            choice[k] = rest % p->knobs[k].n;
            rest /= p->knobs[k].n;
        }
        cr_assert_eq(scn_plan_bind(p, choice, -1, s, &err), BASE_OK, "%s", err.msg);
        s->seed = seed;
        s->replications = 8;
        eng_summary sum;
        cr_assert_eq(eng_run(s, 2, NULL, NULL, NULL, &sum, &err), BASE_OK, "%s", err.msg);
        double c[8];
        for (int k = 0; k < 8; k++) {
            cr_assert_eq(cost_price(s, &sum.reps[k].usage, m, &err), BASE_OK);
            c[k] = (double)m->total / 1e6;
        }
        stat_ci ci = stat_mean_ci(c, 8, 0.95);
        out[i].cost = ci.mean;
        out[i].half = ci.half;
        out[i].p99 = eng_summary_figure(&sum, "api_latency_p99")->ci.mean;
        out[i].err = eng_summary_figure(&sum, "error_rate")->ci.mean;
        out[i].met = out[i].p99 < 400 && out[i].err < 0.1; /* small.yaml's objectives */
        eng_summary_clear(&sum);
    }
    *n = total;
    free(s);
    free(m);
}

Test(plan, exhaustive_answer_on_a_small_space, .timeout = 600)
{
    for (uint64_t seed = 7; seed <= 8; seed++) {
        scn_plan *p;
        plan_result r = run_plan(DATA "small.yaml", seed, 2, &p);
        exh e[64];
        size_t n;
        exhaustive(p, seed, e, &n);
        cr_assert_eq(n, r.space);
        int best = -1;
        for (size_t i = 0; i < n; i++)
            if (e[i].met && (best < 0 || e[i].cost < e[best].cost))
                best = (int)i;
        cr_assert_geq(best, 0);
        cr_assert_geq(r.winner, 0, "seed %llu: the planner found nothing",
                      (unsigned long long)seed);
        uint64_t w = r.cfg[r.winner].index;
        /* the same, or one the exhaustive search cannot tell from it: feasible there too and
         * its cost within the exhaustive best's interval */
        cr_expect(w == (uint64_t)best ||
                      (e[w].met && e[w].cost <= e[best].cost + e[best].half + e[w].half),
                  "seed %llu: planner %llu ($%.2f), exhaustive %d ($%.2f ± %.2f)",
                  (unsigned long long)seed, (unsigned long long)w, e[w].cost, best, e[best].cost,
                  e[best].half);
        cr_expect(r.simulated < r.space, "bisection simulated %zu of %llu", r.simulated,
                  (unsigned long long)r.space);
        plan_result_clear(&r);
        scn_plan_free(p);
    }
}

/* ---------------------------------------------------------------- determinism, bad input */

Test(plan, same_json_for_any_jobs, .timeout = 300)
{
    char *text[2];
    for (int j = 0; j < 2; j++) {
        scn_plan *p;
        plan_result r = run_plan(DATA "small.yaml", 7, j + 1, &p);
        json_t *doc = plan_json(p, &r);
        text[j] = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        json_decref(doc);
        plan_result_clear(&r);
        scn_plan_free(p);
    }
    cr_expect_str_eq(text[0], text[1]);
    /* and it matches its schema */
    val_schema *schema = NULL;
    base_err err;
    cr_assert_eq(val_schema_load(SIMULATE_ROOT "/docs/plan-schema.json", &schema, &err), BASE_OK,
                 "%s", err.msg);
    json_t *doc = json_loads(text[0], 0, NULL);
    cr_assert_not_null(doc);
    cr_expect_eq(val_check(schema, doc, &err), BASE_OK, "plan.json: %s", err.msg);
    json_decref(doc);
    val_schema_free(schema);
    free(text[0]);
    free(text[1]);
}

/* yaml after a base that binds (name and one phase: 2 lines) */
static void refused(const char *yaml, const char *want, int line)
{
    char path[64], text[1024];
    snprintf(text, sizeof text, "traffic: {phases: [{duration: 1m, rate: 1/s}]}\n%s", yaml);
    write_tmp(path, sizeof path, text);
    scn_plan *p = NULL;
    base_err err;
    base_err_clear(&err);
    cr_expect_eq(scn_plan_load(path, &p, &err), BASE_EINPUT, "%s", yaml);
    cr_expect(strstr(err.msg, want) != NULL, "'%s' not in '%s'", want, err.msg);
    cr_expect_eq(err.line, line, "%s: line %d", err.msg, err.line);
    cr_expect_null(p);
    unlink(path);
}

Test(plan, bad_plans_refused_at_their_line)
{
    refused("name: x\nplan:\n  knobs:\n    api.replicsa: [1, 2]\n", "unknown key 'replicsa'", 5);
    refused("name: x\nplan:\n  knobs:\n    api.cpu: {from: 1, to: 5m, step: 1}\n", "same unit", 5);
    refused("name: x\nplan:\n  knobs:\n    api.replicas: 3\n", "a range", 5);
    refused("name: x\nplan:\n  knobs:\n    api.replicas: [1, 0]\n", "", 5);
    refused("name: x\nplan:\n  knobz: {}\n", "did you mean 'knobs'", 4);
    refused("name: x\nplan:\n  knobs: {api.replicas: [1]}\n  must_survive: [{name: a}]\n", "events",
            5);
    refused("name: x\n", "no `plan:` section", 0);
    /* a month mix: the knobs would not reach its other scenarios; refused where it is written */
    refused("name: x\nmonth:\n  repeat: 29\n  mix: [{scenario: y.yaml, repeat: 1}]\nplan:\n"
            "  knobs: {api.replicas: [1, 2]}\n",
            "does not price a month mix (month.mix)", 5);
}

/* A plan whose `minimise:` is m is refused with want in the message, at m's line. */
static void refused_minimise(const char *m, const char *want)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml, "name: x\nplan:\n  knobs: {api.replicas: [1, 2]}\n  minimise: %s\n",
             m);
    refused(yaml, want, 5);
}

/* `minimise:` a stated trade-off. Parsed with its units, refused without them; and a weight on
 * p99 alone walks the M/M/c slice past the fewest workers that meet the objective (c = 11) to
 * where more workers stop buying latency: the answer moves, as the trade-off says it should. */
Test(plan, minimise_a_stated_trade_off)
{
    char path[64], text[1024];
    snprintf(text, sizeof text, mmc_text, 5600.0,
             "[1, 2]\n  minimise: \"monthly_cost + 2 USD/ms * api_latency_p99 + 0.5 USD/% * "
             "error_rate\"");
    write_tmp(path, sizeof path, text);
    scn_plan *p = NULL;
    base_err err;
    cr_assert_eq(scn_plan_load(path, &p, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(p->minimise_weight[0], 1);
    cr_expect_eq(p->minimise_weight[1], 2);
    cr_expect_eq(p->minimise_weight[2], 0.5);
    cr_expect_eq(p->minimise_weight[3], 0);
    cr_expect_str_eq(p->minimise_unit, "USD");
    scn_plan_free(p);
    unlink(path);
    refused_minimise("\"monthly_cost + 2 * api_latency_p99\"", "weigh api_latency_p99 in USD/ms");
    refused_minimise("\"monthly_cost + 2 USD/s * api_latency_p99\"",
                     "weigh api_latency_p99 in USD/ms");
    refused_minimise("\"monthly_cost + api_latency_p99\"", "weigh api_latency_p99 in USD/ms");
    refused_minimise("\"monthly_cost + 2 USD/ms * p99\"", "'p99' is not a figure");
    refused_minimise("\"monthly_cost + -2 USD/ms * api_latency_p99\"", "");
    refused_minimise("\"monthly_cost + monthly_cost\"", "named twice");
    refused_minimise("rto", "needs must_survive");
}

Test(plan, trade_off_moves_the_answer, .timeout = 300)
{
    char text[2048], path[64];
    /* objective 5.6 s (between c = 10 and 11, as mmc_staffing_by_erlang_c) */
    snprintf(text, sizeof text, mmc_text, 5600.0,
             "{from: 1, to: 24, step: 1}\n  minimise: \"1 USD/ms * api_latency_p99\"");
    write_tmp(path, sizeof path, text);
    scn_plan *p;
    plan_result r = run_plan(path, 1, 2, &p);
    cr_assert_geq(r.winner, 0);
    int c = atoi(plan_value(p, &r.cfg[r.winner], 0));
    /* p99 at c = 12 is 0.23 s under c = 11's (sojourn_p99: 4.73 s against 4.96 s) */
    cr_expect_gt(c, 11, "the trade-off bought workers past the cheapest feasible (got %d)", c);
    cr_expect(sojourn_p99(12, 9, 1) < sojourn_p99(11, 9, 1) - 0.2);
    plan_result_clear(&r);
    scn_plan_free(p);
    unlink(path);
}

/* ---------------------------------------------------------------- every monotone knob bisected */

/* M/M/c's queue split over pods: λ = 6/s, exponential service of 1 s, `replicas` pods of
 * `workers` workers each, p(99) < 6 s. One worker a pod misses it at any number of pods up to
 * 8 (each pod an M/M/1 at ρ ≥ 0.75: p99 = ln 100 / (1 − ρ) s ≥ 18 s), yet 8 pods can carry
 * the load, so the analytic bound does not rule it out. The slices run over the pods (the most
 * values); bisecting api.workers with the rest at their most capacity finds that one worker
 * cannot do, and rules out every slice with one worker without screening them: the same
 * answer as bisecting the pods alone, from fewer configurations simulated. */
static const char *axes_text =
    "name: plan-axes\n"
    "seed: 1\n"
    "replications: 3\n"
    "warmup: 500s\n"
    "traffic:\n"
    "  phases: [{duration: 4000s, rate: 6/s}]\n"
    "  mix: {api_read: 100%}\n" API_STATION "objectives: [\"p(99) < 6s\"]\n"
    "plan:\n"
    "  knobs:\n"
    "    api.workers: [1, 2, 3]\n"
    "    api.replicas: {from: 1, to: 8, step: 1}\n"
    "    api.backlog: {from: 200000, to: 1000000, step: 400000, "
    "monotone: true}\n";

Test(plan, every_monotone_knob_bisected, .timeout = 300)
{
    char path[64], text[2048];
    snprintf(text, sizeof text, "%s", axes_text);
    write_tmp(path, sizeof path, text);
    plan_result r[2];
    scn_plan *p[2];
    for (int only = 0; only < 2; only++) {
        base_err err;
        cr_assert_eq(scn_plan_load(path, &p[only], &err), BASE_OK, "%s", err.msg);
        plan_opts o = {.jobs = 2, .has_seed = 1, .seed = 1, .slices_only = only};
        cr_assert_eq(plan_search(p[only], &o, &r[only], &err), BASE_OK, "%s", err.msg);
    }
    cr_expect_eq(r[0].bisected, 1, "the slices run over api.replicas");
    cr_expect(r[0].axis[0] && r[0].axis[2] && !r[1].axis[0], "api.workers and api.backlog too");
    cr_expect_eq(r[0].axis_least[0], 1, "one worker a pod cannot do: the least is 2");
    cr_assert_geq(r[0].winner, 0);
    cr_assert_geq(r[1].winner, 0);
    cr_expect_eq(r[0].cfg[r[0].winner].index, r[1].cfg[r[1].winner].index, "the same answer");
    cr_expect_lt(r[0].simulated, r[1].simulated,
                 "every monotone knob bisected simulated %zu, the "
                 "slices' alone %zu",
                 r[0].simulated, r[1].simulated);
    json_t *doc = plan_json(p[0], &r[0]);
    json_t *b = json_object_get(json_object_get(doc, "search"), "bisected");
    cr_expect_eq(json_array_size(b), 3);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(b, 1), "least_value")), "2");
    json_decref(doc);
    for (int i = 0; i < 2; i++) {
        plan_result_clear(&r[i]);
        scn_plan_free(p[i]);
    }
    unlink(path);
}
