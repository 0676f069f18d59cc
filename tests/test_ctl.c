/*
 * test_ctl.c — the control plane (src/ctl/) over a fake cluster of the test's own, without an
 * engine: the operations table (ctl_ops) is all it sees. The ReplicaSet controller's victim
 * order on a scale-down (kubernetes controller_utils.go, ActivePods), new pods of the current
 * generation on a scale-up, the HPA's bounds on the starting replicas, a rolling deploy's new
 * generation, a Spot storm's exact share of notices (selection sampling), and the HPA reading
 * each live pod's own metrics-server sample.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

#define MAXP 64
#define MAXN 16

typedef struct fake {
    ctl_pod pods[MAXP];
    size_t npods;
    ctl_node nodes[MAXN];
    size_t nnodes;
    int terminated[MAXP], nterminated; /* pod indexes, in the order terminated */
    int noticed[MAXN], nnoticed;       /* node indexes given a Spot notice */
    int added_version[MAXP], nadded;
    int oom;
    double cores[MAXP]; /* each running pod's CPU use, cores (from t = 0) */
    sim_engine *k;      /* the clock it reads CPU by; NULL: none */
} fake;

static size_t f_npods(const void *cl)
{
    return ((const fake *)cl)->npods;
}

/* The items of arr[0..n) not in phase `gone`, by increasing index and each with its index as
 * its id, into out, and their count into k: how the engine's reads give pods and nodes. */
#define COPY_LIVE(k, arr, n, gone, out)                                                            \
    do {                                                                                           \
        (k) = 0;                                                                                   \
        for (size_t i_ = 0; i_ < (n); i_++)                                                        \
            if ((arr)[i_].phase != (gone)) {                                                       \
                (out)[(k)] = (arr)[i_];                                                            \
                (out)[(k)++].id = i_;                                                              \
            }                                                                                      \
    } while (0)

/* The pods not gone, by increasing index, as the engine's read gives them */
static size_t f_pods(void *cl, ctl_pod *out)
{
    const fake *f = cl;
    size_t k;
    COPY_LIVE(k, f->pods, f->npods, CTL_POD_GONE, out);
    return k;
}

static size_t f_pods_cpu(void *cl, ctl_pod_cpu *out)
{
    const fake *f = cl;
    size_t k = 0;
    for (size_t i = 0; i < f->npods; i++) {
        int ph = f->pods[i].phase;
        if (ph == CTL_POD_GONE)
            continue;
        bool runs = ph == CTL_POD_RUNNING || ph == CTL_POD_READY || ph == CTL_POD_TERMINATING;
        double now = f->k ? (double)sim_now(f->k) : 0;
        out[k++] = (ctl_pod_cpu){.id = i, .phase = ph, .cpu = runs ? f->cores[i] * now : 0};
    }
    return k;
}

static int f_pods_existing(const void *cl)
{
    const fake *f = cl;
    int n = 0;
    for (size_t i = 0; i < f->npods; i++)
        n += f->pods[i].phase < CTL_POD_TERMINATING || f->pods[i].phase == CTL_POD_CRASHED;
    return n;
}

static size_t f_nnodes(const void *cl)
{
    return ((const fake *)cl)->nnodes;
}

static size_t f_nodes(const void *cl, ctl_node *out)
{
    const fake *f = cl;
    size_t k;
    COPY_LIVE(k, f->nodes, f->nnodes, CTL_NODE_GONE, out);
    return k;
}

static bool f_no(const void *cl)
{
    (void)cl;
    return false;
}

/* A new pod is starting; the test makes it Ready (the fake has no life cycle of its own). */
static int f_pod_add(void *cl, int version)
{
    fake *f = cl;
    if (f->npods == MAXP)
        return -1;
    f->pods[f->npods] = (ctl_pod){.phase = CTL_POD_STARTING, .node = -1, .version = version};
    f->added_version[f->nadded++] = version;
    return (int)f->npods++;
}

static void f_pod_terminate(void *cl, size_t i)
{
    fake *f = cl;
    f->pods[i].phase = CTL_POD_GONE;
    f->terminated[f->nterminated++] = (int)i;
}

static void f_spot_notice(void *cl, size_t i)
{
    fake *f = cl;
    f->nodes[i].phase = CTL_NODE_DISRUPTING;
    f->noticed[f->nnoticed++] = (int)i;
}

static void f_oom(void *cl)
{
    ((fake *)cl)->oom = 1;
}

static const ctl_ops ops = {
    .npods = f_npods,
    .pods = f_pods,
    .pods_cpu = f_pods_cpu,
    .pods_existing = f_pods_existing,
    .nnodes = f_nnodes,
    .nodes = f_nodes,
    .schedule_stopped = f_no,
    .region_down = f_no,
    .pod_add = f_pod_add,
    .pod_terminate = f_pod_terminate,
    .spot_notice = f_spot_notice,
    .out_of_memory = f_oom,
};

/* A scenario with nothing but what the test sets (the model's struct is large: on the heap). */
static mdl_scenario *scenario(int replicas)
{
    mdl_scenario *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    s->api.replicas = replicas;
    return s;
}

static ctl_plane *plane(const mdl_scenario *s, fake *f, sim_engine *k, sim_rng *g)
{
    ctl_config cfg = {.s = s,
                      .k = k,
                      .end = 3600 * SIM_SEC,
                      .phase = g,
                      .spot = g,
                      .failover = g,
                      .ops = &ops,
                      .cluster = f};
    ctl_plane *c = ctl_new(&cfg);
    cr_assert_not_null(c);
    return c;
}

/* A plane started on an engine of its own, which is also the fake's clock, with one random
 * stream for its phases, Spot and failovers. */
typedef struct running {
    sim_engine *k;
    sim_rng *g;
    ctl_plane *c;
} running;

static running start(const mdl_scenario *s, fake *f, uint64_t seed, uint32_t rep,
                     const char *stream)
{
    running r = {sim_new(), sim_rng_new(seed, rep, stream), NULL};
    cr_assert(r.k && r.g);
    f->k = r.k;
    r.c = plane(s, f, r.k, r.g);
    ctl_start(r.c);
    return r;
}

/* Runs r's engine until `until`; an error fails the test. */
static void run_until(running *r, sim_time until)
{
    base_err err;
    cr_assert_eq(sim_run(r->k, until, &err), BASE_OK, "%s", err.msg);
}

static void stop(running *r)
{
    ctl_free(r->c);
    sim_rng_free(r->g);
    sim_free(r->k);
}

Test(ctl, desired_starts_within_the_hpa_bounds, .timeout = 10)
{
    fake f = {0};
    mdl_scenario *s = scenario(2);
    s->hpa.enabled = true;
    s->hpa.min_replicas = 3;
    s->hpa.max_replicas = 10;
    ctl_plane *c = plane(s, &f, NULL, NULL);
    cr_expect_eq(ctl_desired(c), 3);
    ctl_free(c);
    s->api.replicas = 40;
    c = plane(s, &f, NULL, NULL);
    cr_expect_eq(ctl_desired(c), 10);
    ctl_free(c);
    s->hpa.enabled = false;
    c = plane(s, &f, NULL, NULL);
    cr_expect_eq(ctl_desired(c), 40, "without an HPA the Deployment's replicas stand");
    ctl_free(c);
    free(s);
}

/* Pending before bound, not running before running, not Ready before Ready, Ready for less time
 * before longer. */
Test(ctl, scale_down_terminates_in_victim_order, .timeout = 10)
{
    fake f = {0};
    f.npods = 5;
    f.pods[0] = (ctl_pod){.phase = CTL_POD_READY, .ready_since = 10 * SIM_SEC};
    f.pods[1] = (ctl_pod){.phase = CTL_POD_READY, .ready_since = 20 * SIM_SEC};
    f.pods[2] = (ctl_pod){.phase = CTL_POD_PENDING, .node = -1};
    f.pods[3] = (ctl_pod){.phase = CTL_POD_RUNNING};
    f.pods[4] = (ctl_pod){.phase = CTL_POD_GONE};
    mdl_scenario *s = scenario(4);
    ctl_plane *c = plane(s, &f, NULL, NULL);
    ctl_scale_to(c, 1);
    cr_assert_eq(f.nterminated, 3);
    cr_expect_eq(f.terminated[0], 2, "the Pending pod first");
    cr_expect_eq(f.terminated[1], 3, "then the one not Ready");
    cr_expect_eq(f.terminated[2], 1, "then the one Ready for less time");
    cr_expect_eq(f.pods[0].phase, CTL_POD_READY, "the oldest Ready pod stays");
    cr_expect_eq(f.nadded, 0);
    ctl_free(c);
    free(s);
}

Test(ctl, scale_up_adds_pods_of_the_current_generation, .timeout = 10)
{
    fake f = {0};
    f.npods = 2;
    f.pods[0] = f.pods[1] = (ctl_pod){.phase = CTL_POD_READY};
    mdl_scenario *s = scenario(2);
    ctl_plane *c = plane(s, &f, NULL, NULL);
    ctl_scale_to(c, 5);
    cr_expect_eq(f.nadded, 3);
    cr_expect_eq(f.added_version[0], 0);
    cr_expect_eq(ctl_desired(c), 5);
    cr_expect_eq(f_pods_existing(&f), 5);
    ctl_free(c);
    free(s);
}

/* A rolling deploy at t = 0 over 4 pods (surge 1, unavailable 1): each step adds a pod of
 * generation 1 and terminates one of 0; as the new pods become Ready (the engine calls
 * ctl_deploy_reconcile then) it goes on until every pod is of generation 1. */
Test(ctl, rolling_deploy_replaces_every_pod, .timeout = 10)
{
    fake f = {0};
    f.npods = 4;
    for (int i = 0; i < 4; i++)
        f.pods[i] = (ctl_pod){.phase = CTL_POD_READY, .created = i};
    mdl_scenario *s = scenario(4);
    mdl_event ev = {.type = MDL_EVENT_DEPLOY,
                    .at = 0,
                    .strategy = MDL_DEPLOY_ROLLING,
                    .max_surge = 0.25,
                    .max_unavailable = 0.25};
    s->events[0] = ev;
    s->nevents = 1;
    running r = start(s, &f, 1, 0, "test");
    ctl_plane *c = r.c;
    run_until(&r, SIM_SEC);
    cr_expect_eq(f.nadded, 1, "at most R + surge pods: one new one first");
    cr_expect_eq(f.nterminated, 1, "at least R - unavailable Ready: one old one goes");
    for (int step = 0; step < 10; step++) { /* the new pods' readiness probes pass */
        for (size_t i = 0; i < f.npods; i++)
            if (f.pods[i].phase == CTL_POD_STARTING)
                f.pods[i].phase = CTL_POD_READY;
        ctl_deploy_reconcile(c);
    }
    int old = 0, fresh = 0;
    for (size_t i = 0; i < f.npods; i++) {
        old += f.pods[i].phase == CTL_POD_READY && f.pods[i].version == 0;
        fresh += f.pods[i].phase == CTL_POD_READY && f.pods[i].version == 1;
    }
    cr_expect_eq(old, 0);
    cr_expect_eq(fresh, 4);
    cr_expect_eq(f.nterminated, 4);
    stop(&r);
    free(s);
}

/* A storm over half the Spot nodes: exactly round(0.5 × 6) = 3 notices, none to On-Demand,
 * system or gone nodes. */
Test(ctl, spot_storm_notices_exactly_its_share, .timeout = 10)
{
    fake f = {0};
    f.nnodes = 9;
    for (int i = 0; i < 6; i++)
        f.nodes[i] = (ctl_node){.phase = CTL_NODE_READY, .capacity = MDL_CAP_SPOT, .pool = 0};
    f.nodes[6] = (ctl_node){.phase = CTL_NODE_READY, .capacity = MDL_CAP_ON_DEMAND, .pool = 0};
    f.nodes[7] = (ctl_node){.phase = CTL_NODE_GONE, .capacity = MDL_CAP_SPOT, .pool = 0};
    f.nodes[8] = (ctl_node){
        .phase = CTL_NODE_READY, .capacity = MDL_CAP_ON_DEMAND, .pool = -1, .system = true};
    mdl_scenario *s = scenario(0);
    mdl_event ev = {.type = MDL_EVENT_SPOT_STORM, .at = 10 * SIM_SEC, .share = 0.5};
    s->events[0] = ev;
    s->nevents = 1;
    for (uint32_t rep = 0; rep < 20; rep++) {
        fake g0 = f;
        running r = start(s, &g0, 7, rep, "spot");
        run_until(&r, 60 * SIM_SEC);
        cr_expect_eq(g0.nnoticed, 3, "replication %u", rep);
        for (int j = 0; j < g0.nnoticed; j++)
            cr_expect_lt(g0.noticed[j], 6, "only the live Spot nodes");
        stop(&r);
    }
    free(s);
}

/* metrics-server's samples and the HPA go by each pod's own index, though the reads hand over
 * only the pods not gone: with pods 0 and 2 gone, pod 1 at 0.6 cores and pod 3 at 0.2 (1 core
 * requested each), the HPA sees (600 + 200) / 2000 = 40% of the requests. */
Test(ctl, hpa_reads_each_live_pods_own_sample, .timeout = 10)
{
    fake f = {0};
    f.npods = 4;
    f.pods[0] = f.pods[2] = (ctl_pod){.phase = CTL_POD_GONE};
    f.pods[1] = f.pods[3] = (ctl_pod){.phase = CTL_POD_READY, .node = 0};
    f.cores[0] = f.cores[2] = 5; /* a gone pod's figure must count for nothing */
    f.cores[1] = 0.6;
    f.cores[3] = 0.2;
    mdl_scenario *s = scenario(2);
    s->hpa.enabled = true;
    s->hpa.min_replicas = 1;
    s->hpa.max_replicas = 10;
    s->hpa.cpu_target = 50;
    s->hpa.tolerance = 0.1;
    s->hpa.sync_period = 15 * SIM_SEC;
    s->metrics_resolution = 15 * SIM_SEC;
    s->api.cpu_request = 1000;
    running r = start(s, &f, 3, 0, "test");
    /* two scrapes give a rate; the sync after them reads it */
    run_until(&r, 60 * SIM_SEC);
    cr_expect_eq(ctl_hpa_trace(r.c)->cpu_utilisation, 40);
    cr_expect_eq(f.oom, 0);
    stop(&r);
    free(s);
}
