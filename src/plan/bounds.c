/*
 * bounds.c — the planner's analytic pruning: configurations that cannot carry the sustained
 * peak, whatever the randomness, are dropped before any simulation.
 *
 * The bound is the queueing one the flow engine rests on: a station of c servers whose offered
 * load a = λ·E[S] is at least c has utilisation ρ = a/c >= 1, and its queue grows without limit
 * for as long as the load lasts (Kleinrock, Queueing Systems vol. 1, 1975, §2.4; Erlang C is 1
 * there, mdl_erlang_c). Every quantity is taken on the side that makes the bound loose, so that
 * only what surely fails is pruned:
 *   - λ is the sustained peak (a ramp at its lower end), and only the API requests that surely
 *     reach a pod (writes, and reads not served from CloudFront's cache at its hit ratio);
 *   - pods: the most the configuration can have (the HPA's maximum, else the replicas);
 *   - a request holds a gunicorn worker for at least its application CPU time (the database's
 *     time is left out), and a pod's workers share at most its CPU limit;
 *   - the database's demand counts only the queries of the requests themselves (a Redis miss
 *     adds more, flow.c), on every vCPU of the primary and its replicas or readers — with
 *     replica scaling (RDS's replica_scaling, Aurora's reader_scaling), the most the rule may
 *     have in service, its max (fixed ones count towards it: model/data.h), each at the
 *     replicas' class (database.replica_class, else the primary's). The replicas' cost is the
 *     simulation's: they are billed for the seconds they serve (cost.c).
 */
#include "plan/plan.h"

#include <math.h>
#include <stdio.h>

double plan_sustained_peak(const mdl_scenario *s)
{
    const mdl_traffic_config *t = &s->traffic;
    double best = 0;
    sim_time start = 0;
    for (size_t i = 0; i < t->nphases; i++) {
        sim_time d = t->phases[i].duration;
        if (d > 2) {
            double a = mdl_traffic_rate(t, start + 1), b = mdl_traffic_rate(t, start + d - 1);
            double lo = a < b ? a : b;
            if (lo > best)
                best = lo;
        }
        start += d;
    }
    return best;
}

/* The most read replicas (RDS) or readers (Aurora) the configuration can have in service: the
 * fixed ones, or the replica scaling's max when it has one (its bounds include the fixed). */
static int most_copies(const mdl_scenario *s)
{
    int fixed = s->db.engine == MDL_DB_AURORA ? s->db.aurora_readers : s->db.read_replicas;
    const mdl_replica_scaling *rs = mdl_db_scaling(&s->db);
    return rs && rs->max > fixed ? rs->max : fixed;
}

int plan_bound(const mdl_scenario *s, char *why, size_t len)
{
    double lambda = plan_sustained_peak(s);
    const double *mix = s->traffic.mix;
    double read_hit = s->cdn.enabled ? s->cdn.api_cacheable * s->cdn.api_hit_ratio : 0;
    double rate[MDL_NCLASS] = {0};
    rate[MDL_API_READ] = lambda * mix[MDL_API_READ] * (1 - read_hit);
    rate[MDL_API_WRITE] = lambda * mix[MDL_API_WRITE];
    double api = rate[MDL_API_READ] + rate[MDL_API_WRITE];
    if (api <= 0)
        return 0;
    /* offered load on the pods, in worker-seconds (= CPU-seconds) per second */
    double cpu = 0;
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++)
        cpu += rate[c] * sim_dist_mean(&s->api.service[c]);
    double pods = s->hpa.enabled ? s->hpa.max_replicas : s->api.replicas;
    double workers = pods * s->api.workers;
    double cores = pods * (double)s->api.cpu_limit / 1000.0;
    /* the CFS quota throttles only on a cluster's nodes (run.c: r->throttled) */
    if (s->cluster.enabled && s->api.cpu_limit > 0 && cpu >= cores) {
        snprintf(why, len,
                 "the pods' CPU cannot carry the peak: %.0f req/s at the pods need %.1f cores, "
                 "%.0f pods × %.3g cores of limit give %.1f",
                 api, cpu, pods, (double)s->api.cpu_limit / 1000.0, cores);
        return 1;
    }
    if (cpu >= workers) {
        snprintf(why, len,
                 "too few gunicorn workers for the peak: %.0f req/s × their CPU time need %.1f "
                 "busy workers, %.0f pods × %d give %.0f",
                 api, cpu, pods, s->api.workers, workers);
        return 1;
    }
    if (!s->db.enabled)
        return 0;
    double demand = 0; /* vCPU-seconds per second */
    for (int c = MDL_API_READ; c < MDL_NCLASS; c++) {
        const sim_dist *qt = c == MDL_API_WRITE ? &s->db.write_time : &s->db.read_time;
        demand += rate[c] * s->db.queries[c] * sim_dist_mean(qt);
    }
    double vcpu = 0;
    const char *what = "";
    int copies = most_copies(s);
    const cost_catalog *cat = &s->cluster.catalog;
    if (s->db.engine == MDL_DB_QUEUE) {
        vcpu = s->db.servers;
        what = "servers";
    } else if (s->db.engine == MDL_DB_RDS && s->db.db_class >= 0 &&
               (size_t)s->db.db_class < cat->ndb) {
        const cost_db_class *rc = mdl_db_replica_class(s);
        double primary = cat->db[s->db.db_class].vcpu;
        vcpu = primary + (rc ? rc->vcpu : primary) * copies;
        what = s->db.instance_class;
    } else if (s->db.engine == MDL_DB_AURORA) {
        vcpu = s->db.acu_max * s->db.vcpu_per_acu * (1.0 + copies);
        what = "Aurora at acu_max";
    } else {
        return 0;
    }
    if (demand >= vcpu) {
        snprintf(why, len,
                 "the database cannot carry the peak: its queries need %.1f vCPUs, %s with %d "
                 "replica%s gives %.1f",
                 demand, what, copies, copies == 1 ? "" : "s", vcpu);
        return 1;
    }
    return 0;
}
