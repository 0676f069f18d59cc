/*
 * test_queueing.c — the request engine against exact queueing theory.
 *
 * Scenarios in tests/data/queueing/ strip the architecture to a queue: Poisson arrivals, one pod
 * whose c gunicorn workers share its FIFO backlog, no CDN, no ALB delay or timeout, no database.
 * Each check runs the scenario's replications, takes one estimate per replication (after the
 * warm-up), builds the 95% confidence interval across replications (Law 2015, ch. 9) and asserts
 * that the theoretical value lies inside it. The theory is computed here, from the parameters the
 * scenario file itself gives, by the formulas of ../shared/reference/queueing.md:
 *   M/M/1  Wq = ρ/(μ−λ), P(T > t) = e^{−(μ−λ)t}                       (Kleinrock 1975)
 *   M/M/c  Erlang C, Wq = C/(cμ−λ), P(Wq > t) = C·e^{−(cμ−λ)t}          (Kleinrock 1975)
 *   Little L = λW                                                       (Little 1961)
 *   M/D/1  Wq = ρ·E[S]/(2(1−ρ))                                         (Pollaczek–Khinchine)
 *   M/M/c/c  P(refused) = Erlang B(c, a)                                (Erlang 1917)
 * The interval is never widened. Because one 95% interval misses a correct value one time in
 * twenty, each check is repeated over ten seeds and judged on how often its interval holds the
 * theory (see SEEDS below).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "io/io.h"
#include "support/b_load.h"

typedef struct model {
    mdl_scenario s;
    eng_summary sum;
    double lam, mu;
    int c;
} model;

static void load_run(model *m, const char *file, uint64_t seed)
{
    load_testdata(&m->s, "queueing", file);
    base_err err;
    if (seed)
        m->s.seed = seed;
    m->lam = m->s.traffic.phases[0].from;
    m->mu = 1.0 / sim_dist_mean(&m->s.api.service[MDL_API_READ]);
    m->c = m->s.api.workers;
    m->s.fidelity = MDL_FIDELITY_REQUEST; /* these check the request engine against theory */
    cr_assert_eq(eng_run(&m->s, 1, NULL, NULL, NULL, &m->sum, &err), BASE_OK, "%s", err.msg);
}

/* Erlang B by its numerically stable recursion (reference/queueing.md). */
static double erlang_b(int c, double a)
{
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

/* Erlang C from Erlang B. */
static double erlang_c(int c, double a)
{
    double b = erlang_b(c, a);
    double rho = a / c;
    return b / (1.0 - rho * (1.0 - b));
}

typedef double (*estimate_fn)(const eng_rep *r, double arg);

static stat_ci across(const model *m, estimate_fn f, double arg)
{
    int n = m->sum.replications;
    double *x = malloc((size_t)n * sizeof *x);
    cr_assert_not_null(x);
    for (int i = 0; i < n; i++)
        x[i] = f(&m->sum.reps[i], arg);
    stat_ci ci = stat_mean_ci(x, n, 0.95);
    free(x);
    return ci;
}

/* Each check is an experiment repeated over SEEDS independent seeds: each gives a 95%
 * interval, and the theory must lie inside at least MIN_INSIDE of them. Under a correct model
 * the number inside is binomial(10, 0.95): P(fewer than 7) = 0.1%, so a failure means bias, not
 * bad luck; a model that is off by an interval's width drops coverage to ~50%, and then passing
 * has probability 17%. A single interval would fail a correct model one time in twenty. */
#define SEEDS      10
#define MIN_INSIDE 7

typedef struct check {
    const char *what;
    int inside, runs;
    double theory; /* the last seed's: each seed's scenario is the same */
    char log[2048];
} check;

/* Records one seed's interval for the check `what` (k: its slot) against its theory. */
static void record(check *k, const char *what, stat_ci ci, double theory)
{
    k->what = what;
    int in = fabs(ci.mean - theory) <= ci.half;
    k->inside += in;
    k->runs++;
    k->theory = theory;
    size_t l = strlen(k->log);
    snprintf(k->log + l, sizeof k->log - l, " %.5g±%.3g%s", ci.mean, ci.half, in ? "" : "(out)");
}

static void verdict(const check *k)
{
    cr_expect(k->inside >= MIN_INSIDE,
              "%s: theory %.6g inside the 95%% CI in only %d of %d seeds:%s", k->what, k->theory,
              k->inside, k->runs, k->log);
}

/* The most checks an experiment records. */
#define CHECKS 4

/* One seed's run of a scenario: records each check's estimate against its theory, into
 * checks[0], checks[1], ... */
typedef void (*trial_fn)(const model *m, check *checks);

/* The experiment: file run under each of the SEEDS seeds, trial recording each run's estimates,
 * then the verdict of each check it recorded. */
static void experiment(const char *file, trial_fn trial)
{
    check checks[CHECKS] = {0};
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        model m;
        load_run(&m, file, seed);
        trial(&m, checks);
        eng_summary_clear(&m.sum);
    }
    cr_assert_gt(checks[0].runs, 0);
    for (size_t i = 0; i < CHECKS && checks[i].runs; i++)
        verdict(&checks[i]);
}

static double wait_mean(const eng_rep *r, double arg)
{
    (void)arg;
    return hist_mean(r->pod_wait) / 1e9;
}

static double wait_share_at_or_above(const eng_rep *r, double floor_ns)
{
    return hist_count_at_or_above(r->pod_wait, (int64_t)floor_ns) / hist_count(r->pod_wait);
}

static double sojourn_share_at_or_above(const eng_rep *r, double floor_ns)
{
    const hist *h = r->latency_class[MDL_API_READ];
    return hist_count_at_or_above(h, (int64_t)floor_ns) / hist_count(h);
}

static double in_system(const eng_rep *r, double arg)
{
    (void)arg;
    return r->pods_in_system;
}

static double sojourn_mean(const eng_rep *r, double arg)
{
    (void)arg;
    return hist_mean(r->latency_class[MDL_API_READ]) / 1e9;
}

static double throughput(const eng_rep *r, double arg)
{
    (void)arg;
    return r->served[MDL_API_READ] / r->window;
}

static void mm1_trial(const model *m, check *k)
{
    cr_assert_eq(m->c, 1);
    double rho = m->lam / m->mu;
    /* P(T > t) at the bucket floor nearest below 10 s, where the histogram's count is exact */
    double b = (double)hist_bucket_floor(m->sum.reps[0].latency_class[MDL_API_READ], 10 * SIM_SEC);
    record(&k[0], "M/M/1 mean wait Wq", across(m, wait_mean, 0), rho / (m->mu - m->lam));
    record(&k[1], "M/M/1 mean sojourn W", across(m, sojourn_mean, 0), 1 / (m->mu - m->lam));
    record(&k[2], "M/M/1 P(T > t)", across(m, sojourn_share_at_or_above, b),
           exp(-(m->mu - m->lam) * b / 1e9));
    record(&k[3], "M/M/1 throughput", across(m, throughput, 0), m->lam);
}

Test(queueing, mm1, .timeout = 300)
{
    experiment("mm1.yaml", mm1_trial);
}

static void mmc_trial(const model *m, check *k)
{
    cr_assert(m->c > 1);
    double a = m->lam / m->mu, C = erlang_c(m->c, a), theta = m->c * m->mu - m->lam;
    double b = (double)hist_bucket_floor(m->sum.reps[0].pod_wait, SIM_SEC);
    double wq = C / theta;
    record(&k[0], "M/M/c P(wait > 0) = Erlang C", across(m, wait_share_at_or_above, 1), C);
    /* the summary's figure is the same share, in percent */
    const eng_figure *share = eng_summary_figure(&m->sum, "pod_wait_share");
    cr_assert_not_null(share);
    cr_expect_float_eq(share->values[0], 100 * wait_share_at_or_above(&m->sum.reps[0], 1), 1e-9);
    record(&k[1], "M/M/c mean wait Wq", across(m, wait_mean, 0), wq);
    record(&k[2], "M/M/c P(Wq > t)", across(m, wait_share_at_or_above, b),
           C * exp(-theta * b / 1e9));
    /* time-average number at the pod against λ·W */
    record(&k[3], "Little L = λW (M/M/c)", across(m, in_system, 0), m->lam * (wq + 1 / m->mu));
}

Test(queueing, mmc_erlang_c_and_little, .timeout = 600)
{
    experiment("mmc.yaml", mmc_trial);
}

static void md1_trial(const model *m, check *k)
{
    cr_assert_eq(m->s.api.service[MDL_API_READ].kind, SIM_DIST_DETERMINISTIC);
    double rho = m->lam / m->mu, es = 1 / m->mu;
    record(&k[0], "M/D/1 mean wait (P-K)", across(m, wait_mean, 0), rho * es / (2 * (1 - rho)));
}

Test(queueing, md1_pollaczek_khinchine, .timeout = 300)
{
    experiment("md1.yaml", md1_trial);
}

static double refused_share(const eng_rep *r, double arg)
{
    (void)arg;
    return r->errors[MDL_ERR_BACKLOG_FULL] / r->arrivals[MDL_API_READ];
}

static void mmcc_trial(const model *m, check *k)
{
    cr_assert_eq(m->s.api.backlog, 0);
    record(&k[0], "M/M/c/c P(refused) = Erlang B", across(m, refused_share, 0),
           erlang_b(m->c, m->lam / m->mu));
}

Test(queueing, mmcc_erlang_b, .timeout = 300)
{
    experiment("mmcc.yaml", mmcc_trial);
}
