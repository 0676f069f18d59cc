/*
 * test_compute.c — the compute tier played end to end on small scenarios
 * (tests/data/compute/): the HPA's trajectory after a step in load against a hand computation,
 * the time to Ready pods through Karpenter, Spot fallback to On-Demand, Graviton chosen when it
 * is cheaper, consolidation after the load drops, and a Spot interruption storm.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "io/io.h"
#include "series_col.h"
#include "support/a_engine.h"

static void run(const char *file, eng_rep *out)
{
    static mdl_scenario s; /* large: not on the stack */
    char path[1024];
    snprintf(path, sizeof path, "%s/compute/%s", SIMULATE_TESTDATA, file);
    base_err err;
    cr_assert_eq(scn_load(path, &s, &err), BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
    run_request(&s, 0, out);
}

/* The series' value at the row covering time t (s). */
static double at(const ser_table *t, const char *name, double when)
{
    size_t row = (size_t)(when / ((double)ser_resolution(t) / 1e9));
    return ser_get(t, row, col(t, name));
}

/*
 * The ×5 step, by hand (tests/test_hpa.c does the same on the algorithm alone). Four pods at
 * 560 req/s × 1.25 ms = 0.7 cores, 175m each: 70% of the 250m request, the target. At 300 s the
 * load becomes 2720 req/s × 1.25 ms = 3.4 cores.
 *   1st sync seeing the step: 850m per pod = 340%, ratio 4.86, ⌈4.86·4⌉ = 20, but the scale-up
 *       policies allow max(4·2, 4+4) = 8                                              -> 8
 *   2nd: the 4 new pods are not Ready (set aside at 0%): ⌊100·4·850/(8·250)⌋ = 170%, ratio
 *       2.43, ⌈19.4⌉ = 20, limit max(16, 12) = 16                                      -> 16
 *   3rd: ⌊100·3400/(16·250)⌋ = 85%, ratio 1.21, ⌈19.4⌉ = 20, within max(32, 20)        -> 20
 *   then 3.4 cores over 20 pods = 170m = 68%: within the tolerance                      -> 20
 * (whether one of the first new pods lands on a node with room changes none of these, since each
 * proposal exceeds its limit until the last.) The syncs are 15 s apart; the first comes at most
 * one metric window plus one sync period after the step.
 */
Test(compute, hpa_step_follows_the_hand_computation, .timeout = 120)
{
    eng_rep r;
    run("base.yaml", &r);
    cr_assert_geq(r.nscale, 3, "the HPA scaled %zu times", r.nscale);
    int want[] = {8, 16, 20};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(r.scale[i].to, want[i], "decision %d: %d -> %d at %.1f s (want %d)", i,
                     r.scale[i].from, r.scale[i].to, r.scale[i].t, want[i]);
        cr_expect_eq(r.scale[i].from, i == 0 ? 4 : want[i - 1]);
    }
    cr_expect_gt(r.scale[0].t, 300.0, "no decision before the step");
    cr_expect_leq(r.scale[0].t, 300.0 + 15 + 15,
                  "first decision %.1f s: more than one metric "
                  "window and one sync after the step",
                  r.scale[0].t);
    cr_expect_float_eq(r.scale[1].t - r.scale[0].t, 15.0, 1e-6, "syncs are 15 s apart");
    cr_expect_float_eq(r.scale[2].t - r.scale[1].t, 15.0, 1e-6);
    for (size_t i = 3; i < r.nscale; i++)
        cr_expect_eq(r.scale[i].to, 20, "settled at 20, then moved to %d at %.1f s", r.scale[i].to,
                     r.scale[i].t);
    /* Time to 20 Ready pods: the last four need new nodes, so at least Karpenter's batch (1 s
     * idle), the node launch (35 s at least), an image pull (5 s) and a container start (1 s);
     * at most a batch of 10 s, 100 s of launch, 15 + 5 s of pull and start, a probe period
     * (10 s), and the next syncs. */
    double ready20 = r.first_ready_after[2];
    cr_assert_geq(ready20, 0, "20 pods never became Ready");
    cr_expect_geq(ready20, 1 + 35 + 5 + 1,
                  "20 Ready %.1f s after the decision: faster than "
                  "Karpenter can launch a node",
                  ready20);
    cr_expect_leq(ready20, 10 + 100 + 15 + 5 + 10 + 5, "20 Ready only %.1f s after the decision",
                  ready20);
    cr_expect_gt(r.nodes_launched, 0, "Karpenter launched nodes for the new pods");
    cr_expect_eq(at(r.series, "pods_ready", 890), 20);
    eng_rep_clear(&r);
}

Test(compute, spot_unavailable_falls_back_to_on_demand, .timeout = 120)
{
    eng_rep r;
    run("spot-unavailable.yaml", &r);
    /* the node of the first 4 pods was Spot, launched before the shortage; every launch after
     * it is On-Demand */
    cr_expect_gt(r.nodes_launched, 0);
    cr_expect_gt(r.peak_nodes_by[1][1], 0, "On-Demand arm64 nodes: %d", r.peak_nodes_by[1][1]);
    cr_expect_eq(at(r.series, "nodes_spot_arm64", 890), at(r.series, "nodes_spot_arm64", 200),
                 "no new Spot node during the shortage");
    cr_expect_eq(at(r.series, "pods_ready", 890), 20, "the pods still came up, On-Demand");
    eng_rep_clear(&r);
}

Test(compute, graviton_when_it_is_cheaper, .timeout = 120)
{
    eng_rep r;
    run("graviton.yaml", &r);
    cr_expect_gt(r.peak_nodes_by[0][1] + r.peak_nodes_by[1][1], 0, "arm64 nodes");
    cr_expect_eq(r.peak_nodes_by[0][0] + r.peak_nodes_by[1][0], 0,
                 "no amd64 node: x86 costs more for the same shape");
    eng_rep_clear(&r);
}

/* karpenter.nodepools[].limits.cpu: no row's Karpenter vCPUs over the limit, pods Pending for
 * want of a node at the peak, and fewer Ready than the HPA wants. */
Test(compute, nodepool_cpu_limit_holds_and_pods_wait, .timeout = 120)
{
    eng_rep r;
    run("nodepool-limit.yaml", &r);
    size_t vcpu = col(r.series, "nodes_vcpu"), pending = col(r.series, "pods_pending");
    double most = 0, waiting = 0;
    for (size_t i = 0; i < ser_rows(r.series); i++) {
        double v = ser_get(r.series, i, vcpu);
        cr_expect_leq(v, 4, "row %zu: %.0f vCPUs of Karpenter nodes, over the limit of 4", i, v);
        most = v > most ? v : most;
        double p = ser_get(r.series, i, pending);
        waiting = p > waiting ? p : waiting;
    }
    cr_expect_gt(most, 0, "Karpenter launched nodes within the limit");
    cr_expect_eq(r.peak_pool_vcpu[0], (int)most, "the pool's peak is the column's");
    cr_expect_gt(waiting, 0, "pods waited for a node the limit did not allow");
    cr_expect_eq(at(r.series, "pods_desired", 890), 20, "the HPA still wants 20");
    cr_expect_lt(at(r.series, "pods_ready", 890), 20, "but fewer are Ready");
    eng_rep_clear(&r);

    /* without limits the column is not written (the reports of other runs keep their bytes) */
    run("base.yaml", &r);
    for (size_t c = 0; c < ser_cols(r.series); c++)
        cr_expect_neq(strcmp(ser_name(r.series, c), "nodes_vcpu"), 0, "nodes_vcpu without limits");
    eng_rep_clear(&r);
}

/* A limited pool first by weight, an unlimited one next: the first stays within its limit,
 * the second takes the rest, and every pod comes up. */
Test(compute, nodepool_limit_falls_to_the_next_pool, .timeout = 120)
{
    eng_rep r;
    run("nodepool-fallback.yaml", &r);
    cr_expect_leq(r.peak_pool_vcpu[0], 4, "capped: %d vCPUs", r.peak_pool_vcpu[0]);
    cr_expect_gt(r.peak_pool_vcpu[0], 0, "the heavier pool was tried first");
    cr_expect_gt(r.peak_pool_vcpu[1], 0, "the next pool took what the limit refused");
    cr_expect_eq(at(r.series, "pods_ready", 890), 20, "every pod came up");
    eng_rep_clear(&r);
}

Test(compute, consolidation_removes_idle_nodes, .timeout = 120)
{
    eng_rep r;
    run("consolidation.yaml", &r);
    double peak = 0;
    for (double t = 300; t < 900; t += 10) {
        double n = at(r.series, "nodes_spot_arm64", t) + at(r.series, "nodes_on_demand_arm64", t);
        if (n > peak)
            peak = n;
    }
    double end =
        at(r.series, "nodes_spot_arm64", 2090) + at(r.series, "nodes_on_demand_arm64", 2090);
    cr_expect_gt(peak, 1, "the step needed more nodes (peak %.0f)", peak);
    cr_expect_lt(end, peak, "nodes after the drop: %.0f, at the peak: %.0f", end, peak);
    cr_expect_eq(at(r.series, "pods_desired", 2090), 4, "the HPA scaled back to its minimum");
    eng_rep_clear(&r);
}

Test(compute, spot_storm_reschedules_and_costs_errors, .timeout = 120)
{
    eng_rep r;
    run("storm.yaml", &r);
    cr_expect_gt(r.spot_interruptions, 0, "notices received");
    cr_expect_gt(r.pods_created, 4, "evicted pods were replaced (%.0f created)", r.pods_created);
    cr_expect_gt(r.nodes_launched, 0, "replacement nodes launched");
    cr_expect_gt(r.errors[MDL_ERR_NO_TARGET], 0,
                 "with every pod evicted, requests found no target until replacements were "
                 "Ready");
    cr_expect_eq(at(r.series, "pods_ready", 1190), 4, "recovered: 4 pods Ready at the end");
    cr_expect_eq(at(r.series, "errors_per_s", 1190), 0, "no errors once recovered");
    eng_rep_clear(&r);
}

/* What a deployment scenario (4 pods replaced by 4 of a new version) did: the most pods alive
 * (Ready, starting or pending) and the fewest Ready over [from, to) s, and the requests that
 * found no target. Every rollout creates 8 pods and ends with 4 Ready by 890 s. */
typedef struct rollout {
    double most, fewest, no_target;
} rollout;

static rollout deploy(const char *file, double from, double to)
{
    eng_rep r;
    run(file, &r);
    cr_expect_eq(r.pods_created, 8, "%s: 4 pods, then 4 of the new version (%.0f)", file,
                 r.pods_created);
    cr_expect_eq(at(r.series, "pods_ready", 890), 4, "%s: 4 Ready at the end", file);
    rollout d = {0, 1e9, r.errors[MDL_ERR_NO_TARGET]};
    for (double t = from; t < to; t += 10) {
        double alive = at(r.series, "pods_ready", t) + at(r.series, "pods_starting", t) +
                       at(r.series, "pods_pending", t);
        double ready = at(r.series, "pods_ready", t);
        if (alive > d.most)
            d.most = alive;
        if (ready < d.fewest)
            d.fewest = ready;
    }
    eng_rep_clear(&r);
    return d;
}

Test(compute, rolling_update_respects_surge_and_unavailable, .timeout = 120)
{
    rollout d = deploy("deploy-rolling.yaml", 300, 900);
    cr_expect_leq(d.most, 5, "maxSurge 25%%: at most 5 pods (saw %.0f)", d.most);
    cr_expect_geq(d.fewest, 3, "maxUnavailable 25%%: at least 3 Ready (saw %.0f)", d.fewest);
    cr_expect_eq(d.no_target, 0);
}

Test(compute, blue_green_doubles_then_switches, .timeout = 120)
{
    rollout d = deploy("deploy-blue-green.yaml", 300, 900);
    cr_expect_eq(d.most, 8, "green beside blue: 8 pods at once (saw %.0f)", d.most);
    cr_expect_geq(d.fewest, 4, "never fewer than 4 Ready (saw %.0f)", d.fewest);
}

Test(compute, canary_then_the_rest, .timeout = 120)
{
    /* during the pause (about 5:30 to 8:00) only the one canary pod is new: 4 pods */
    rollout d = deploy("deploy-canary.yaml", 360, 470);
    cr_expect_eq(d.most, 4, "during the canary's pause: 4 pods (saw %.0f)", d.most);
}

Test(compute, oom_kill_restarts_the_pod, .timeout = 120)
{
    eng_rep r;
    run("oom.yaml", &r);
    cr_expect_gt(r.errors[MDL_ERR_OOM_KILLED], 0, "requests lost with the killed container");
    cr_expect_gt(r.errors[MDL_ERR_TARGET_DOWN], 0,
                 "requests routed to the dead container before the health checks noticed");
    cr_expect_eq(r.pods_created, 4, "a crash restarts the container, not the pod");
    cr_expect_gt(r.served[MDL_API_READ], 0);
    eng_rep_clear(&r);
}
