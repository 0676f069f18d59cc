/*
 * replicas.c — the database's read replicas (RDS) or readers (Aurora) in service, part of the
 * database component (database.c makes and starts it; data.h): which replicas take reads, and,
 * with replica scaling, the rule (model/replicas.c) that adds them under load and removes them
 * after it, once a minute on the last minute's CPU.
 *
 * A replica the rule adds is created for a time drawn from the scenario's create_time, then
 * serves reads; it is billed per second from then on (AWS RDS user guide, "On-Demand DB
 * instances": "Billing starts for a DB instance as soon as the DB instance is available ...
 * billed in one-second increments, with a minimum of 10 minutes"), so its creation is not
 * billed. One the rule removes stops taking reads at once and is billed to then (the 10-minute
 * minimum applied); its queries still running finish on it. Removed first are those still being
 * created (their creation is abandoned), then the newest in service; fixed replicas
 * (read_replicas, aurora.readers) never. Without replica scaling every replica serves from the
 * start to the end, as before.
 */
#include "engine/data.h"

#include <stdint.h>
#include <stdlib.h>

#define RULE_PERIOD SIM_MIN /* CloudWatch's one-minute datapoints */
#define MIN_BILLED  600.0   /* s: RDS bills at least 10 minutes (above) */

int eng__db_readers(const eng__run *r)
{
    return r->data->nroute;
}

double eng__db_read_share(const eng__run *r)
{
    const struct eng__database *data = r->data;
    if (data->nroute == 0)
        return 0;
    if (r->s->db.read_routing == MDL_READS_EVEN)
        return data->nroute / (data->nroute + 1.0); /* each instance 1/(n + 1) of the reads */
    return r->s->db.replica_read_share;
}

bool eng__db_serving(const eng__run *r, int i)
{
    return i == 0 || !r->data->reps || r->data->reps[i].state == ENG__REPLICA_SERVING;
}

int eng__db_read_instance(const eng__run *r, int turn)
{
    return r->data->route[turn % r->data->nroute];
}

/* Brings instance i's CPU integrals up to now. */
static eng__dbi *accounted(struct eng__database *data, int i)
{
    eng__dbi_account(data->r, &data->dbis[i]);
    return &data->dbis[i];
}

/* A replica begins serving reads: it joins the round robin and its billing starts. */
static void serve(struct eng__database *data, int i)
{
    eng__replica *p = &data->reps[i];
    eng__dbi *d = accounted(data, i);
    p->state = ENG__REPLICA_SERVING;
    p->ev = SIM_NO_EVENT;
    p->since = sim_now(data->r->k);
    p->acu0 = d->acu_area;
    p->busy0 = d->busy_area;
    p->cap0 = d->cap_area;
    data->route[data->nroute++] = i;
}

static void on_created(void *ctx, void *arg)
{
    struct eng__database *data = ctx;
    serve(data, (int)(intptr_t)arg);
}

/* One more replica: the lowest free slot, being created. */
static void add_one(struct eng__database *data)
{
    eng__run *r = data->r;
    for (int i = data->fixed + 1; i < data->ndbis; i++) {
        eng__replica *p = &data->reps[i];
        if (p->state != ENG__REPLICA_OFF)
            continue;
        p->state = ENG__REPLICA_CREATING;
        sim_time t = sim_dist_sample(&data->rs->create_time, data->rng);
        p->ev = sim_schedule(r->k, t, on_created, data, (void *)(intptr_t)i);
        return;
    }
}

/* One fewer: the newest still being created, else the newest in service. */
static void remove_one(struct eng__database *data)
{
    eng__run *r = data->r;
    for (int i = data->ndbis - 1; i > data->fixed; i--) {
        eng__replica *p = &data->reps[i];
        if (p->state == ENG__REPLICA_CREATING) {
            sim_cancel(r->k, p->ev);
            p->ev = SIM_NO_EVENT;
            p->state = ENG__REPLICA_OFF;
            return;
        }
    }
    if (data->nroute <= data->fixed)
        return;
    int i = data->route[--data->nroute]; /* the newest in service: the last to join */
    eng__replica *p = &data->reps[i];
    eng__dbi *d = accounted(data, i);
    double lived = sim_to_sec(sim_now(r->k) - p->since);
    data->billed_s += lived > MIN_BILLED ? lived : MIN_BILLED;
    data->acu_s += (d->acu_area - p->acu0) / 1e9;
    p->state = ENG__REPLICA_OFF;
}

/* CPU utilisation over the minute since *p's snapshot, which moves to now. */
static double minute_cpu(eng__replica *p, const eng__dbi *d)
{
    double busy = d->busy_area - p->busy0, cap = d->cap_area - p->cap0;
    p->busy0 = d->busy_area;
    p->cap0 = d->cap_area;
    return cap > 0 ? busy / cap : 0;
}

/* The rule's datapoint: the primary's CPU, or the replicas' in service averaged; -1 when there
 * is nothing to measure (the primary failing over, no replica in service). Every snapshot moves
 * on either way. */
static double datapoint(struct eng__database *data)
{
    double primary = minute_cpu(&data->primary, accounted(data, 0));
    double sum = 0;
    int n = 0;
    for (int i = 1; i < data->ndbis; i++) {
        double u = minute_cpu(&data->reps[i], accounted(data, i));
        if (data->reps[i].state == ENG__REPLICA_SERVING) {
            sum += u;
            n++;
        }
    }
    if (data->rs->metric == MDL_RS_READER_CPU)
        return n > 0 ? sum / n : -1;
    return data->down ? -1 : primary;
}

static void on_rule(void *ctx, void *arg)
{
    (void)arg;
    struct eng__database *data = ctx;
    eng__run *r = data->r;
    sim_time now = sim_now(r->k);
    double metric = datapoint(data);
    int current = 0;
    for (int i = 1; i < data->ndbis; i++)
        current += data->reps[i].state != ENG__REPLICA_OFF;
    int floor = data->rs->min > data->fixed ? data->rs->min : data->fixed;
    int want =
        mdl_replica_rule_step(data->rs, &data->rule, metric, current, data->nroute, floor, now);
    for (; current < want; current++)
        add_one(data);
    for (; current > want; current--)
        remove_one(data);
    if (now + RULE_PERIOD <= r->end)
        sim_schedule(r->k, RULE_PERIOD, on_rule, data, NULL);
}

int eng__replicas_init(struct eng__database *data, base_err *err)
{
    eng__run *r = data->r;
    const mdl_db_config *db = &r->s->db;
    int nrep = data->ndbis - 1;
    data->route = base_malloc((size_t)(nrep > 0 ? nrep : 1) * sizeof *data->route);
    if (!data->route)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    data->rs = mdl_db_scaling(db);
    data->fixed = db->engine == MDL_DB_RDS ? db->read_replicas : db->aurora_readers;
    if (!data->rs) { /* fixed replicas: all of them serve throughout */
        for (int i = 1; i < data->ndbis; i++)
            data->route[data->nroute++] = i;
        return BASE_OK;
    }
    data->reps = base_calloc((size_t)data->ndbis, sizeof *data->reps);
    data->rng = sim_rng_new(r->s->seed, r->out->replication, "database.replicas");
    if (!data->reps || !data->rng)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    mdl_replica_rule_init(&data->rule);
    /* the fixed replicas and those the rule's minimum keeps serve from the start */
    int start = data->rs->min > data->fixed ? data->rs->min : data->fixed;
    for (int i = 1; i <= start; i++)
        serve(data, i);
    return BASE_OK;
}

void eng__replicas_start(struct eng__database *data)
{
    if (data->rs && RULE_PERIOD <= data->r->end)
        sim_schedule(data->r->k, RULE_PERIOD, on_rule, data, NULL);
}

void eng__replicas_free(struct eng__database *data)
{
    free(data->route);
    free(data->reps);
}

double eng__replica_seconds(eng__run *r, sim_time end)
{
    const struct eng__database *data = r->data;
    if (!data->rs)
        return sim_to_sec(end) * (data->ndbis - 1);
    double s = data->billed_s;
    for (int k = 0; k < data->nroute; k++)
        s += sim_to_sec(end - data->reps[data->route[k]].since);
    return s;
}

double eng__replica_acu_seconds(eng__run *r)
{
    struct eng__database *data = r->data;
    double s = data->acu_s;
    for (int i = 1; i < data->ndbis; i++)
        if (!data->reps || data->reps[i].state == ENG__REPLICA_SERVING)
            s += (data->dbis[i].acu_area - (data->reps ? data->reps[i].acu0 : 0)) / 1e9;
    return s;
}
