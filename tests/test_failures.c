/*
 * test_failures.c — failures and recovery: an AZ lost with the seed's Multi-AZ database, and the
 * same AZ lost with a Single-AZ one, the other rows of the seed's HA table, and the region's DR
 * runbook, measured as RTO (from the failure until the paging alarm's window of requests is back
 * under its threshold: users served again) and RPO (data lost).
 *
 * Why: the seed promises RTO < 30 min and RPO < 5 min (§12.1) and puts an AZ failure at "< 2 min,
 * ~0" with Multi-AZ (§6.3). The two runs must tell a Multi-AZ database apart from a Single-AZ one
 * by minutes against tens of minutes, and by nothing lost against minutes of writes.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/engine.h"
#include "io/io.h"

static mdl_scenario scn; /* large: not on the stack */

/* Loads a scenario into scn: a fixture of tests/data/failures/, or a path from the root. */
static void load(const char *file)
{
    char path[1024];
    if (file[0] == '/')
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/failures/%s", SIMULATE_TESTDATA, file);
    base_err err;
    cr_assert_eq(scn_load(path, &scn, &err), BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
}

/* Plays scn on two threads. */
static void play(eng_summary *sum)
{
    base_err err;
    cr_assert_eq(eng_run(&scn, 2, NULL, NULL, NULL, sum, &err), BASE_OK, "%s", err.msg);
}

static void run(const char *file, eng_summary *sum)
{
    load(file);
    play(sum);
}

/* Plays a fixture in which pods are lost request by request, two replications: in each, requests
 * fail inside the lost pods and the lost pods are replaced (more than `more` pods created beyond
 * the Deployment's replicas). */
static void play_pods_lost(const char *file, double more, eng_summary *sum)
{
    load(file);
    scn.fidelity = MDL_FIDELITY_REQUEST;
    scn.replications = 2;
    play(sum);
    for (int r = 0; r < sum->replications; r++) {
        cr_expect_gt(sum->reps[r].errors[MDL_ERR_POD_TERMINATED], 0, "%s", file);
        cr_expect_gt(sum->reps[r].pods_created, scn.api.replicas + more,
                     "%s: the lost pods were replaced: %g created", file,
                     sum->reps[r].pods_created);
    }
}

Test(failures, az_failure_with_multi_az_recovers_in_minutes_losing_nothing, .timeout = 120)
{
    eng_summary sum;
    run("az-multi.yaml", &sum);
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        /* the standby serves after the RDS failover, 60-120 s (behaviour.md §5) */
        cr_expect(p->rto_s >= 60 && p->rto_s < 120, "replication %d: RTO %g s", r, p->rto_s);
        cr_expect_eq(p->rpo_s, 0.0, "synchronous standby: nothing lost");
        cr_expect_eq(p->lost_writes, 0.0);
        cr_expect_gt(p->errors[MDL_ERR_DB_FAILOVER], 0, "transactions fail during the failover");
    }
    const eng_figure *rto = eng_summary_figure(&sum, "rto");
    cr_assert_not_null(rto);
    cr_expect_lt(rto->ci.mean + rto->ci.half, 120.0, "RTO under 2 minutes, interval included");
    eng_summary_clear(&sum);
}

Test(failures, az_failure_with_single_az_waits_for_a_restore_and_loses_writes, .timeout = 120)
{
    eng_summary sum;
    run("az-single.yaml", &sum);
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        /* database.restore_time is 20-40 minutes in the fixture */
        cr_expect(p->rto_s >= 20 * 60 && p->rto_s <= 41 * 60, "replication %d: RTO %g s", r,
                  p->rto_s);
        cr_expect(p->rpo_s > 0 && p->rpo_s <= 300, "point-in-time restore: RPO %g s", p->rpo_s);
        cr_expect_gt(p->lost_writes, 0);
    }
    eng_summary_clear(&sum);
}

Test(failures, nodes_of_the_lost_az_are_replaced_in_the_others, .timeout = 120)
{
    /* request by request: the requests inside the lost pods fail, and the Deployment makes
     * new pods on nodes in the other AZs; the RTO agrees with the flow engine's range */
    eng_summary sum;
    play_pods_lost("az-multi.yaml", 0, &sum);
    for (int r = 0; r < sum.replications; r++)
        cr_expect(sum.reps[r].rto_s >= 60 && sum.reps[r].rto_s < 125, "RTO %g s",
                  sum.reps[r].rto_s);
    eng_summary_clear(&sum);
}

static size_t column(const char *name)
{
    for (size_t c = 0; c < eng_series_count; c++)
        if (!strcmp(eng_series_names[c], name))
            return c;
    cr_assert_fail("no series column %s", name);
    return 0;
}

Test(failures, a_lost_node_is_found_out_slowly, .timeout = 120)
{
    /* AZ b lost at 8 min (the database is in a): its pods die at once; the ALB keeps routing to
     * them until its health checks fail (2 × 15 s), and they are deleted — and replaced — only
     * when the node is marked unreachable (50 s) and their toleration runs out (300 s) */
    load("az-multi.yaml");
    scn.events[0].az = 1;
    scn.replications = 2;
    eng_summary sum;
    play(&sum);
    size_t ready = column("pods_ready"), down = column("errors_target_down_per_s");
    double dt = sim_to_sec(scn.series_resolution), lost = 8 * 60;
    for (int r = 0; r < sum.replications; r++) {
        const ser_table *t = sum.reps[r].series;
        /* a row is labelled with its start and holds the pods at its end */
        double before = ser_get(t, (size_t)(lost / dt) - 2, ready);
        double last_down = -1, back = -1;
        for (size_t i = (size_t)(lost / dt); i < ser_rows(t); i++) {
            double at = (double)i * dt;
            if (ser_get(t, i, down) > 0)
                last_down = at;
            if (back < 0 && ser_get(t, i, ready) >= before)
                back = at;
        }
        cr_expect(last_down >= lost && last_down < lost + 30,
                  "replication %d: routed to dead targets until %g s", r, last_down);
        cr_expect_gt(sum.reps[r].errors[MDL_ERR_TARGET_DOWN], 0);
        cr_expect_gt(back, lost + 350, "replication %d: %g pods Ready again at %g s", r, before,
                     back);
    }
    eng_summary_clear(&sum);
}

Test(failures, the_ready_failure_scenarios_tell_their_story, .timeout = 120)
{
    eng_summary sum;
    /* scenarios/az-failure.yaml: the seed's promise for an AZ failure, < 2 min and ~0 lost */
    load(SIMULATE_ROOT "/scenarios/az-failure.yaml");
    scn.replications = 3;
    play(&sum);
    const eng_figure *rto = eng_summary_figure(&sum, "rto");
    cr_assert_not_null(rto);
    cr_expect_lt(rto->ci.mean, 120.0);
    cr_expect_eq(eng_summary_figure(&sum, "rpo")->ci.mean, 0.0);
    eng_summary_clear(&sum);
    /* scenarios/spot-storm.yaml: every Spot node interrupted, Karpenter falls back */
    load(SIMULATE_ROOT "/scenarios/spot-storm.yaml");
    scn.replications = 3;
    play(&sum);
    for (int r = 0; r < sum.replications; r++) {
        cr_expect_gt(sum.reps[r].spot_interruptions, 0);
        cr_expect_gt(sum.reps[r].peak_nodes_by[1][1], 0, "On-Demand arm64 nodes as the fallback");
    }
    eng_summary_clear(&sum);
}

/* The runbook's steps before users were served add up to the RTO. */
static double steps_to_served(const eng_rep *p)
{
    double t = 0;
    for (int k = 0; k <= ENG_DR_SCALE; k++)
        t += p->dr_step_s[k];
    return t;
}

Test(failures, region_failure_runs_the_dr_runbook, .timeout = 120)
{
    /* every step at the seed's nominal time (§12.2): the alarm after 5 one-minute periods, 5
     * to confirm, 10 to promote, 2 for DNS: the first request is served then; users are
     * served again (the RTO) once the clients' cached answers expired (60 s) and the DR
     * cluster's HPA scaled its 3 warm pods up to the load */
    eng_summary sum;
    run("region.yaml", &sum);
    double paper = 300 + 300 + 600 + 120, fault = 15 * 60;
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        cr_expect(p->first_served_s >= paper && p->first_served_s < paper + 5,
                  "replication %d: first request served %g s", r, p->first_served_s);
        cr_expect(p->rto_s >= paper + 40 && p->rto_s <= paper + 600, "replication %d: RTO %g s", r,
                  p->rto_s);
        cr_expect(fabs(steps_to_served(p) - p->rto_s) < 1e-6, "the steps %g s, the RTO %g s",
                  steps_to_served(p), p->rto_s);
        cr_expect(p->dr_step_s[ENG_DR_TTL] > 0 && p->dr_step_s[ENG_DR_TTL] <= 60 + 1e-6);
        cr_expect_eq(p->dr_step_s[ENG_DR_DETECT], 300.0);
        cr_expect_eq(p->dr_step_s[ENG_DR_PROMOTE], 600.0);
        cr_expect(p->rpo_s >= 1 && p->rpo_s <= 10, "RPO: the replica lag, %g s", p->rpo_s);
        cr_expect(isfinite(p->dr_step_s[ENG_DR_SCALE]) && p->dr_step_s[ENG_DR_SCALE] > 0,
                  "3 warm pods do not carry the load: the DR cluster scaled up");
        bool hpa = false; /* the DR region's own HPA scaled it, from its warm size */
        for (size_t e = 0; e < p->nscale; e++)
            hpa |= p->scale[e].t >= fault + paper && p->scale[e].from == 3 && p->scale[e].to > 3;
        cr_expect(hpa, "replication %d: no HPA scale-up from the 3 warm pods", r);
        cr_expect_gt(p->errors[MDL_ERR_NO_TARGET] + p->errors[MDL_ERR_DB_FAILOVER], 0);
        /* meanwhile about every API request failed: 20,000 users × 4 a minute × 45% API */
        double api = 20000 * 4 / 60.0 * 0.45 * p->rto_s;
        cr_expect(p->outage_failed > 0.8 * api && p->outage_failed < 1.05 * api,
                  "replication %d: %g failed, API arrivals %g", r, p->outage_failed, api);
    }
    const eng_figure *rto = eng_summary_figure(&sum, "rto");
    cr_assert_not_null(rto);
    cr_expect_lt(rto->ci.mean, 30 * 60.0, "the seed's target: RTO < 30 min");
    eng_summary_clear(&sum);
}

Test(failures, region_failure_rto_follows_the_runbook_and_the_warm_size, .timeout = 120)
{
    /* a slower promotion moves the RTO by as much; a DR region kept at full size serves users
     * as soon as their cached answers expire, with no scale-up */
    eng_summary base, slow, full;
    run("region.yaml", &base);
    base_err err;
    cr_assert_eq(sim_dist_make(&scn.dr.promote,
                               &(sim_dist_spec){.kind = SIM_DIST_DETERMINISTIC, .mean = 1200},
                               &err),
                 BASE_OK);
    play(&slow);
    cr_assert_eq(sim_dist_make(&scn.dr.promote,
                               &(sim_dist_spec){.kind = SIM_DIST_DETERMINISTIC, .mean = 600}, &err),
                 BASE_OK);
    scn.dr.warm_replicas = 40;
    play(&full);
    for (int r = 0; r < base.replications; r++) {
        double d = slow.reps[r].rto_s - base.reps[r].rto_s;
        cr_expect(fabs(d - 600) < 90,
                  "replication %d: 10 more minutes to promote moved the RTO "
                  "by %g s",
                  r, d);
        cr_expect_eq(full.reps[r].dr_step_s[ENG_DR_SCALE], 0.0, "replication %d", r);
        cr_expect_lt(full.reps[r].rto_s, base.reps[r].rto_s, "replication %d", r);
        cr_expect_leq(full.reps[r].rto_s, 1320 + 60.0, "replication %d", r);
    }
    eng_summary_clear(&base);
    eng_summary_clear(&slow);
    eng_summary_clear(&full);
}

/* Plays region.yaml and then `variant` of it, and checks each replication r of the variant (p)
 * against replication r of region.yaml (base). */
static void against_region(const char *variant,
                           void (*check)(int r, const eng_rep *p, const eng_rep *base))
{
    eng_summary base, other;
    run("region.yaml", &base);
    run(variant, &other);
    for (int r = 0; r < other.replications; r++)
        check(r, &other.reps[r], &base.reps[r]);
    eng_summary_clear(&base);
    eng_summary_clear(&other);
}

/* the same region failure with Aurora: its Global Database secondary is promoted in ~1 min
 * instead of the RDS replica's 10, with under a second of lag */
static void aurora_promoted_sooner(int r, const eng_rep *p, const eng_rep *rds)
{
    cr_expect_float_eq(p->dr_step_s[ENG_DR_PROMOTE], 60.0, 1e-6);
    cr_expect(p->rpo_s >= 0 && p->rpo_s <= 1, "replication %d: RPO %g s", r, p->rpo_s);
    double gain = rds->rto_s - p->rto_s;
    cr_expect(gain > 540 - 120 && gain < 540 + 120,
              "replication %d: 9 minutes less to promote, %g s less RTO", r, gain);
}

Test(failures, an_aurora_global_database_is_promoted_in_a_minute, .timeout = 120)
{
    against_region("region-aurora.yaml", aurora_promoted_sooner);
}

Test(failures, lost_writes_follow_the_write_rate_at_the_failure, .timeout = 120)
{
    /* the load ramps from 2,000 to 20,000 users until the failure: the writes lost in the RPO
     * are those of the rate at that moment (20,000 users × 4 a minute × 7% writes = 93.3/s),
     * not the run's mean (about half of it here) */
    load("region.yaml");
    scn.traffic.phases[0].from = 2000;
    eng_summary sum;
    play(&sum);
    double at = 15 * 60, rate = mdl_traffic_rate(&scn.traffic, (sim_time)at * SIM_SEC) *
                                scn.traffic.mix[MDL_API_WRITE];
    cr_assert_float_eq(rate, 20000 * 4 / 60.0 * 0.07, 1e-6);
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        double want = rate * p->rpo_s;
        /* Poisson noise of a 10 s row at 93 writes/s: 3.3%; 15% leaves room for the flow
         * engine's step */
        cr_expect(fabs(p->lost_writes / want - 1) < 0.15, "replication %d: %g lost, %g expected", r,
                  p->lost_writes, want);
    }
    eng_summary_clear(&sum);
}

Test(failures, a_replica_that_cannot_replay_the_writes_falls_behind, .timeout = 120)
{
    /* the writes need 1.5 vCPUs of replay and the replica has one (model/replica.c): for the
     * 15 minutes before the failure its backlog grows by 0.5 s a second, 450 s in all, and the
     * RPO is that plus the lag with nothing waiting (1-10 s) */
    load("region.yaml");
    double writes = 20000 * 4 / 60.0 * scn.traffic.mix[MDL_API_WRITE];
    scn.dr.replica_replay_share = 1;
    base_err err;
    double t = 1.5 / (writes * scn.db.queries[MDL_API_WRITE]);
    cr_assert_eq(sim_dist_make(&scn.db.write_time,
                               &(sim_dist_spec){.kind = SIM_DIST_DETERMINISTIC, .mean = t}, &err),
                 BASE_OK);
    cr_assert_float_eq(mdl_replica_replay_cost(&scn) * writes, 1.5, 1e-9);
    eng_summary sum;
    play(&sum);
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        /* ± 5% for the Poisson noise of 84,000 writes and the 10 s rows */
        cr_expect(p->rpo_s > 0.95 * 450 && p->rpo_s < 1.05 * 450 + 10, "replication %d: RPO %g s",
                  r, p->rpo_s);
    }
    /* the series shows it growing */
    const ser_table *s = sum.reps[0].series;
    size_t lag = 0;
    for (size_t c = 0; c < eng_series_count; c++)
        if (strcmp(eng_series_names[c], "replica_lag_s") == 0)
            lag = c;
    cr_assert_gt(lag, 0);
    cr_expect_gt(ser_get(s, 80, lag), ser_get(s, 40, lag) + 150, "%g then %g", ser_get(s, 40, lag),
                 ser_get(s, 80, lag));
    eng_summary_clear(&sum);
}

Test(failures, latency_comes_back_after_the_errors, .timeout = 120)
{
    /* the region failure: once the error rate is back under the pager's threshold the DR
     * cluster is still scaling up from its 3 warm pods and requests wait — users feel the
     * outage until the p99 is back under twice its level before the failure, later */
    load("region.yaml");
    eng_summary sum;
    play(&sum);
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        cr_expect(isfinite(p->rto_latency_s), "replication %d: latency never back", r);
        /* in this fixture about 3 minutes later (1,440 s against 1,640 s) */
        cr_expect_gt(p->rto_latency_s, p->rto_s + 60, "replication %d: %g s against %g s", r,
                     p->rto_latency_s, p->rto_s);
        cr_expect_eq(p->faults[0].rto_latency_s, p->rto_latency_s);
    }
    eng_summary_clear(&sum);
    /* an objective no row can meet: latency is never back (NaN), errors are */
    snprintf(scn.objectives[scn.nobjectives++], sizeof scn.objectives[0], "p(99) < 1ms");
    play(&sum);
    for (int r = 0; r < sum.replications; r++) {
        cr_expect(isfinite(sum.reps[r].rto_s));
        cr_expect(isnan(sum.reps[r].rto_latency_s), "replication %d: %g s", r,
                  sum.reps[r].rto_latency_s);
    }
    eng_summary_clear(&sum);
}

/* the checkers see the endpoint fail 0-30 s after it goes (their phases), call it unhealthy
 * after 3 failed checks (60 s more), and the alarm fires at the end of that minute: the region
 * is lost at 15:00, so paged at 16:00 or 17:00 — not the error-rate alarm's 20:00 */
static void health_check_pages_sooner(int r, const eng_rep *p, const eng_rep *alarm)
{
    cr_expect(p->detected_by_health_check, "replication %d", r);
    double d = p->dr_step_s[ENG_DR_DETECT];
    cr_expect(fabs(d - 60) < 1e-6 || fabs(d - 120) < 1e-6, "replication %d: detection %g s", r,
              p->dr_step_s[ENG_DR_DETECT]);
    cr_expect_lt(p->rto_s, alarm->rto_s - 150, "replication %d: %g s vs %g s", r, p->rto_s,
                 alarm->rto_s);
    cr_expect(!alarm->detected_by_health_check);
}

Test(failures, a_route53_health_check_detects_a_region_failure_sooner, .timeout = 120)
{
    against_region("region-hc.yaml", health_check_pages_sooner);
}

Test(failures, health_check_delay_is_the_thirteenth_checker, .timeout = 120)
{
    /* 15 checkers; healthy while more than 18% say so: the 13th to see 3 failures decides */
    double phase[MDL_HEALTH_CHECKERS];
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++)
        phase[i] = (double)((i * 7) % MDL_HEALTH_CHECKERS) / MDL_HEALTH_CHECKERS; /* shuffled */
    cr_expect_eq(mdl_health_check_delay(30 * SIM_SEC, 3, phase), 24 * SIM_SEC + 60 * SIM_SEC);
    cr_expect_eq(mdl_health_check_delay(10 * SIM_SEC, 1, phase), 8 * SIM_SEC);
    for (int i = 0; i < MDL_HEALTH_CHECKERS; i++)
        phase[i] = 0;
    cr_expect_eq(mdl_health_check_delay(30 * SIM_SEC, 3, phase), 60 * SIM_SEC);
}

Test(failures, several_failures_in_a_run_are_each_measured, .timeout = 120)
{
    /* an instance failure at 8 min, AZ b lost at 20 min, instance failures at random from
     * 25 min: each recorded in time order with its own RTO and RPO */
    eng_summary sum;
    run("several.yaml", &sum);
    int random = 0;
    for (int r = 0; r < sum.replications; r++) {
        const eng_rep *p = &sum.reps[r];
        cr_assert_geq(p->nfaults, 2, "replication %d: %zu failures", r, p->nfaults);
        cr_expect_eq(p->faults[0].type, MDL_EVENT_DB_FAILOVER);
        cr_expect_float_eq(p->faults[0].at_s, 8 * 60.0, 1e-6);
        cr_expect_eq(p->faults[1].type, MDL_EVENT_AZ_FAILURE);
        cr_expect_float_eq(p->faults[1].at_s, 20 * 60.0, 1e-6);
        cr_expect_eq(p->rto_s, p->faults[0].rto_s, "the replication's RTO is the first's");
        for (size_t i = 0; i < p->nfaults; i++) {
            const eng_fault *f = &p->faults[i];
            if (i > 0)
                cr_expect_geq(f->at_s, p->faults[i - 1].at_s, "in time order");
            cr_expect_eq(f->rpo_s, 0.0, "synchronous standby: nothing lost");
            cr_expect(isfinite(f->rto_s) && f->rto_s < 125, "failure %zu: RTO %g s", i, f->rto_s);
            cr_expect_geq(f->rto_s, f->first_served_s, "never before the first request served");
            if (f->type == MDL_EVENT_DB_FAILOVER)
                cr_expect_geq(f->rto_s, 55, "failure %zu: the standby needs 60-120 s", i);
            random += i >= 2;
        }
    }
    cr_expect_gt(random, 0, "random failures happened and were measured");
    eng_summary_clear(&sum);
}

Test(failures, instance_corruption_and_deletion_rows_of_the_ha_table, .timeout = 120)
{
    /* each row: its RTO from rto_lo to rto_hi s (rto_hi itself allowed or not), its RPO from 0
     * to rpo_hi s, and writes lost or not */
    static const struct {
        const char *file;
        double rto_lo, rto_hi;
        bool rto_hi_in;
        double rpo_hi;
        bool loses;
    } rows[] = {
        /* instance failure: the Multi-AZ standby, < 2 min, nothing lost */
        {"instance.yaml", 60, 125, false, 0, false},
        /* data corruption: a point-in-time restore of 30-50 min, up to 5 min of writes lost */
        {"corruption.yaml", 1800, 3005, true, 300, false},
        /* accidental deletion: the latest daily snapshot, up to a day of writes lost */
        {"deletion.yaml", 1800, 3005, true, 86400, true},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        eng_summary sum;
        run(rows[k].file, &sum);
        for (int r = 0; r < sum.replications; r++) {
            const eng_rep *p = &sum.reps[r];
            bool below = rows[k].rto_hi_in ? p->rto_s <= rows[k].rto_hi : p->rto_s < rows[k].rto_hi;
            cr_expect(p->rto_s >= rows[k].rto_lo && below, "%s: RTO %g s", rows[k].file, p->rto_s);
            cr_expect(p->rpo_s >= 0 && p->rpo_s <= rows[k].rpo_hi, "%s: RPO %g s", rows[k].file,
                      p->rpo_s);
            if (rows[k].loses)
                cr_expect_gt(p->lost_writes, 0, "%s", rows[k].file);
        }
        eng_summary_clear(&sum);
    }
}

Test(failures, node_loss_once_and_at_random, .timeout = 120)
{
    /* request by request: the lost nodes' pods fail their requests and are replaced; the
     * random losses (every 5 minutes on average over the 12 minutes after minute 8) add more */
    eng_summary sum;
    play_pods_lost("node-loss.yaml", 10, &sum);
    eng_summary_clear(&sum);
    /* `every` is only for faults that can recur */
    load("node-loss.yaml");
    scn.events[0].type = MDL_EVENT_REGION_FAILURE;
    scn.events[0].every = 60 * SIM_SEC;
    char key[64];
    base_err err;
    cr_expect_eq(mdl_scenario_check(&scn, key, sizeof key, &err), BASE_EINPUT);
}
