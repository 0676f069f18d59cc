/*
 * test_hpa.c — the HPA controller (src/model/hpa.c) against hand computations of the
 * autoscaling/v2 algorithm: ratio and tolerance, unready and missing pods, several metrics, the
 * stabilization windows and the scaling policies, with Kubernetes' default behaviour
 * (scale-up: 0 s window, max(100% , 4 pods) per 15 s; scale-down: 300 s window, 100% per 15 s).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "model/model.h"

static mdl_hpa_config defaults(void)
{
    mdl_hpa_config c;
    memset(&c, 0, sizeof c);
    c.enabled = true;
    c.min_replicas = 3;
    c.max_replicas = 50;
    c.cpu_target = 70;
    c.tolerance = 0.1;
    c.sync_period = 15 * SIM_SEC;
    c.cpu_initialization_period = 300 * SIM_SEC;
    c.initial_readiness_delay = 30 * SIM_SEC;
    c.up.stabilization = 0;
    c.up.select = MDL_HPA_SELECT_MAX;
    c.up.npolicies = 2;
    c.up.policies[0] = (mdl_hpa_policy){MDL_HPA_PERCENT, 100, 15 * SIM_SEC};
    c.up.policies[1] = (mdl_hpa_policy){MDL_HPA_PODS, 4, 15 * SIM_SEC};
    c.down.stabilization = 300 * SIM_SEC;
    c.down.select = MDL_HPA_SELECT_MAX;
    c.down.npolicies = 1;
    c.down.policies[0] = (mdl_hpa_policy){MDL_HPA_PERCENT, 100, 15 * SIM_SEC};
    return c;
}

/* A ready pod, started long ago, with a fresh 15 s CPU sample of `cpu` millicores. */
static mdl_hpa_pod ready_pod(int64_t cpu, sim_time now)
{
    mdl_hpa_pod p;
    memset(&p, 0, sizeof p);
    p.ready = true;
    p.start = -3600 * SIM_SEC;
    p.ready_change = -3590 * SIM_SEC;
    p.has_metrics = true;
    p.sample_time = now;
    p.sample_window = 15 * SIM_SEC;
    p.cpu_usage = cpu;
    p.cpu_request = 250;
    p.memory_usage = 100 << 20;
    p.memory_request = 256 << 20;
    return p;
}

/* A pod created at `start`, not Ready yet, no sample. */
static mdl_hpa_pod new_pod(sim_time start)
{
    mdl_hpa_pod p;
    memset(&p, 0, sizeof p);
    p.pending = false;
    p.start = start;
    p.ready_change = start;
    p.cpu_request = 250;
    p.memory_request = 256 << 20;
    return p;
}

/* An HPA of Kubernetes' default behaviour (tests edit c) with its state, room for 64 pods and
 * the trace of its last sync. */
typedef struct hpa {
    mdl_hpa_config c;
    mdl_hpa_state st;
    mdl_hpa_pod p[64];
    mdl_hpa_trace tr;
} hpa;

/* f anew, its first n pods Ready at `cpu` millicores at t = 0 (ready_pod). */
static void hpa_open(hpa *f, int n, int64_t cpu)
{
    memset(f, 0, sizeof *f);
    f->c = defaults();
    for (int i = 0; i < n; i++)
        f->p[i] = ready_pod(cpu, 0);
}

/* One sync at `now` of `current` replicas over the first npods pods: the replicas it wants. */
static int hpa_sync(hpa *f, sim_time now, int current, size_t npods)
{
    return mdl_hpa_sync(&f->c, &f->st, now, current, f->p, npods, &f->tr);
}

Test(hpa, within_tolerance_no_change, .timeout = 10)
{
    hpa f;
    hpa_open(&f, 4, 189); /* 75% of 250m: ratio 75/70 = 1.071 <= 1.1 */
    cr_expect_eq(hpa_sync(&f, 0, 4, 4), 4);
    cr_expect_eq(f.tr.cpu_utilisation, 75);
    cr_expect_eq(f.tr.proposal_cpu, 4);
    for (int i = 0; i < 4; i++)
        f.p[i].cpu_usage = 200; /* 80%: ratio 1.143 > 1.1: ⌈1.143 · 4⌉ = 5 */
    cr_expect_eq(hpa_sync(&f, 15 * SIM_SEC, 4, 4), 5);
    mdl_hpa_state_clear(&f.st);
}

/* The ×5 step by hand. Three pods at 70% (175m of 250m) jump to 350% (875m).
 *  t=0:  ratio 350/70 = 5, ⌈5·3⌉ = 15; scale-up limit max(⌈3·2⌉ = 6, 3+4 = 7) = 7   -> 7
 *  t=15: the 4 new pods are not Ready: set aside at 0% on a scale-up:
 *        utilisation ⌊100·(3·875)/(7·250)⌋ = 150%, ratio 150/70 = 2.142857, ⌈2.142857·7⌉ = 15;
 *        the +4 at t=0 is not within (t−15, t], so the limit starts from 7: max(14, 11) = 14 -> 14
 *  t=30: 11 pods set aside: ⌊100·2625/(14·250)⌋ = 75%, ratio 1.0714 within tolerance -> 14
 * Then the new pods become Ready and carry their share of the load (the same total, 2625m):
 *  t=45: 14 ready pods at 2625/14 = 187.5 -> 187m each (75%), within tolerance           -> 14 */
Test(hpa, step_times_five_trajectory, .timeout = 10)
{
    hpa f;
    hpa_open(&f, 3, 175);
    cr_assert_eq(hpa_sync(&f, -15 * SIM_SEC, 3, 3), 3);
    for (int i = 0; i < 3; i++)
        f.p[i].cpu_usage = 875;
    int n = hpa_sync(&f, 0, 3, 3);
    cr_expect_eq(f.tr.proposal_cpu, 15);
    cr_expect_eq(n, 7);
    for (int i = 3; i < n; i++)
        f.p[i] = new_pod(0);
    sim_time t = 15 * SIM_SEC;
    for (int i = 0; i < 3; i++)
        f.p[i].sample_time = t;
    int n2 = hpa_sync(&f, t, n, (size_t)n);
    cr_expect_eq(f.tr.cpu_utilisation, 350, "status shows the raw average of the ready pods");
    cr_expect_eq(f.tr.proposal_cpu, 15);
    cr_expect_eq(n2, 14);
    for (int i = n; i < n2; i++)
        f.p[i] = new_pod(t);
    t = 30 * SIM_SEC;
    int n3 = hpa_sync(&f, t, n2, (size_t)n2);
    cr_expect_eq(f.tr.proposal_cpu, 14);
    cr_expect_eq(n3, 14);
    t = 45 * SIM_SEC;
    for (int i = 0; i < n3; i++) {
        f.p[i] = ready_pod(187, t);
        f.p[i].start = i < 3 ? -3600 * SIM_SEC : 0;
        f.p[i].ready_change = i < 3 ? -3590 * SIM_SEC : 20 * SIM_SEC;
    }
    /* the new pods are within their CPU-initialisation period, became Ready at 20 s and their
     * sample window (30..45 s) began after that: they count */
    cr_expect_eq(hpa_sync(&f, t, n3, (size_t)n3), 14);
    cr_expect_eq(f.tr.cpu_utilisation, 74);
    mdl_hpa_state_clear(&f.st);
}

/* Scale-down waits for the 300 s window: the highest recommendation within it wins. */
Test(hpa, scale_down_stabilization_window, .timeout = 10)
{
    hpa f;
    hpa_open(&f, 10, 175); /* 70%: recommendation 10 */
    cr_assert_eq(hpa_sync(&f, 0, 10, 10), 10);
    /* load falls to 14% (35m): recommendation ⌈0.2·10⌉ = 2, but 10 is in the window */
    int n = 10;
    for (sim_time t = 15 * SIM_SEC; t < 300 * SIM_SEC; t += 15 * SIM_SEC) {
        for (int i = 0; i < 10; i++) {
            f.p[i].cpu_usage = 35;
            f.p[i].sample_time = t;
        }
        n = hpa_sync(&f, t, n, 10);
        cr_expect_eq(f.tr.proposal_cpu, 2);
        cr_expect_eq(n, 10, "at t = %lld s the t = 0 recommendation of 10 still holds",
                     (long long)(t / SIM_SEC));
    }
    /* at 300 s the recommendation of 10 made at t = 0 is no longer *after* the window's start
     * (now − 300 s; horizontal.go uses timestamp.After(cutoff)): down to 2, floored at
     * minReplicas 3; the 100%-per-15 s policy allows it in one step */
    for (int i = 0; i < 10; i++)
        f.p[i].sample_time = 300 * SIM_SEC;
    cr_expect_eq(hpa_sync(&f, 300 * SIM_SEC, 10, 10), 3);
    mdl_hpa_state_clear(&f.st);
}

Test(hpa, missing_metrics_count_as_full_on_scale_down, .timeout = 10)
{
    hpa f;
    hpa_open(&f, 6, 70); /* 28% */
    f.c.down.stabilization = 0;
    f.p[4].has_metrics = f.p[5].has_metrics = false;
    /* first pass: 4 pods at 28%, ratio 0.4 (scale down); missing pods at 100% of request:
     * ⌊100·(4·70 + 2·250)/(6·250)⌋ = 52%, ratio 0.742857, ⌈0.742857·6⌉ = 5 */
    cr_expect_eq(hpa_sync(&f, 0, 6, 6), 5);
    cr_expect_eq(f.tr.proposal_cpu, 5);
    mdl_hpa_state_clear(&f.st);
}

Test(hpa, largest_metric_wins_and_partial_metrics_block_scale_down, .timeout = 10)
{
    hpa f;
    hpa_open(&f, 4, 100); /* CPU 40%: ⌈(40/70)·4⌉ = 3 */
    f.c.memory_target = 80;
    f.c.down.stabilization = 0;
    for (int i = 0; i < 4; i++)
        f.p[i].memory_usage = 240ll << 20; /* memory 93%: ⌈(93/80)·4⌉ = 5 */
    cr_expect_eq(hpa_sync(&f, 0, 4, 4), 5);
    cr_expect_eq(f.tr.proposal_cpu, 3);
    cr_expect_eq(f.tr.proposal_memory, 5);
    mdl_hpa_state_clear(&f.st);
}

Test(hpa, custom_policy_and_bounds, .timeout = 10)
{
    hpa f;
    hpa_open(&f, 8, 875);
    f.c.up.npolicies = 1;
    f.c.up.policies[0] = (mdl_hpa_policy){MDL_HPA_PODS, 1, 60 * SIM_SEC};
    f.c.max_replicas = 5;
    int n = hpa_sync(&f, 0, 3, 3);
    cr_expect_eq(n, 4, "one pod per 60 s");
    f.p[3] = ready_pod(875, 0);
    cr_expect_eq(hpa_sync(&f, 15 * SIM_SEC, 4, 4), 4, "still within 60 s");
    cr_expect_eq(hpa_sync(&f, 60 * SIM_SEC, 4, 4), 5, "a new period");
    f.p[4] = ready_pod(875, 0);
    cr_expect_eq(hpa_sync(&f, 180 * SIM_SEC, 5, 5), 5, "maxReplicas");
    cr_expect_eq(hpa_sync(&f, 195 * SIM_SEC, 8, 8), 5, "above maxReplicas: back to it");
    mdl_hpa_state_clear(&f.st);
}
