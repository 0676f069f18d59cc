/*
 * data.h — the data tier's components (component.h) and what their files share (eng__ names;
 * the rest of src/engine/ reaches the tier through eng__run's handles — r->cache, r->pgb,
 * r->data, r->rds, r->aurora — and internal.h's eng__tx_*, eng__redis_*, eng__db_* and
 * eng__cache_* entry points). Five components, one file each, in chain.c's order: redis.c the
 * cache; pgbouncer.c the connections; database.c the instances (their queries in instance.c)
 * and failovers; aurora.c Aurora Serverless v2's capacity; rds.c RDS's CPU credits. Each makes
 * its state in `init`, schedules its own events in `start` with that state as their context,
 * and bills in `meter`. Their request step is not a chain slot: a request reaches them from the
 * pods after the app phase, asynchronously (request.c calls eng__redis_begin, eng__tx_begin);
 * the flow engine solves pods, connections, instances and cache as one closed loop
 * (flow_loop.c) reading these states.
 */
#ifndef SIMULATE_ENGINE_DATA_H
#define SIMULATE_ENGINE_DATA_H

#include "engine/component.h"

/* The data tier's components' states (component.h; each made by its `init`, reached by the
 * engines' files through eng__run's handles). Each begins with a `sim_rng *` for
 * eng__state_new (none of them draws from a stream of its own: NULL) and the run its events go
 * back to: their event callbacks take the state as context. */

/* redis.c: the primary */
struct eng__redis {
    sim_rng *rng;
    eng__run *r;
    mdl_station *st; /* the primary's one thread; NULL: the scenario has no Redis */
    sim_time op;     /* one operation's service time, ns */
    int down;        /* a cache_failover in progress */
};

/* pgbouncer.c: the connections (the pods' pools are in their eng__pod) */
struct eng__pgbouncer {
    sim_rng *rng;
    eng__run *r;
    eng__pool central; /* pgbouncer.mode central: the one pool */
    int clients;       /* clients the central PgBouncer has accepted */
    int conns;         /* server connections open on the primary */
    int replica_rr;    /* round robin over replicas */
};

/* replicas.c: a replica (reader) slot's life under replica scaling */
enum { ENG__REPLICA_OFF, ENG__REPLICA_CREATING, ENG__REPLICA_SERVING };
typedef struct eng__replica {
    int state;
    sim_handle ev;      /* CREATING: its creation's end */
    sim_time since;     /* SERVING: when it began serving (and billing) */
    double acu0;        /* Aurora: its acu_area then */
    double busy0, cap0; /* its CPU integrals at the rule's last datapoint */
} eng__replica;

/* database.c, instance.c, replicas.c: the instances (rds/aurora; none for the queue engine's
 * station) */
struct eng__database {
    sim_rng *rng; /* replica scaling: the creation times' stream; else NULL */
    eng__run *r;
    eng__dbi *dbis; /* [0] the primary/writer, then replicas/readers (every slot replica
                     * scaling may fill) */
    int ndbis;
    int max_conns; /* the primary's max_connections */
    int down;      /* a db_failover in progress: the primary (writer) is unreachable */
    int *route;    /* the replicas in service, where reads go, in the order they came */
    int nroute;
    /* replica scaling (replicas.c); rs NULL: the replicas are fixed and serve throughout */
    const mdl_replica_scaling *rs;
    eng__replica *reps; /* [ndbis]; [0], the primary, unused */
    int fixed;          /* slots 1..fixed: replicas the rule never removes */
    mdl_replica_rule rule;
    eng__replica primary; /* the primary's CPU integrals at the last datapoint */
    double billed_s;      /* replica-seconds of the replicas already removed */
    double acu_s;         /* Aurora: ACU-seconds of the readers already removed */
};

/* replicas.c: the replicas in service and where reads go (set up by database.c's init and
 * start): how many serve, the share of reads they take, a read transaction's instance (turn
 * `turn` of the round robin); what the replicas bill to `end` (instance-seconds, and Aurora's
 * ACU-seconds of the readers). */
int eng__replicas_init(struct eng__database *data, base_err *err);
void eng__replicas_start(struct eng__database *data);
void eng__replicas_free(struct eng__database *data);
int eng__db_readers(const eng__run *r);
double eng__db_read_share(const eng__run *r);
int eng__db_read_instance(const eng__run *r, int turn);
bool eng__db_serving(const eng__run *r, int i); /* the primary, or a replica in service */
double eng__replica_seconds(eng__run *r, sim_time end);
double eng__replica_acu_seconds(eng__run *r);

/* rds.c: burstable classes' CPU credits */
struct eng__rds {
    sim_rng *rng;
    eng__run *r;
    const cost_db_class *burst; /* the instances' class when burstable RDS, else NULL */
};

/* aurora.c: Serverless v2's capacity */
struct eng__aurora {
    sim_rng *rng;
    eng__run *r;
    bool on; /* the scenario's database is Aurora with transactions */
};

/* A data tier component's state for its `init`: eng__state_new's (no stream), its second
 * member `r` set to the run. NULL, with err set, when out of memory. */
void *eng__data_state(eng__run *r, size_t size, const char *what, void **state, base_err *err);

/* instance.c: instance `index` brought up to now (its CPU integrals and queries' progress);
 * its next completion rescheduled after a change of load or capacity; q's query of `work` ns of
 * CPU added (-1: out of memory). */
void eng__dbi_account(eng__run *r, eng__dbi *d);
void eng__dbi_reschedule(eng__run *r, eng__dbi *d, int index);
int eng__dbi_add(eng__run *r, int index, eng__req *q, sim_time work);

/* geo.c: the two regions coupled inside a run (model/regions.h's clone fields). In
 * us-east-1's run, EMEA's API writes from eu-west-1 at `now`: their statements' vCPUs on the
 * primary and the connections they hold there (each statement a crossing from the next). In
 * eu-west-1's run, q's write statement of `work` ns on the us-east-1 primary: answered a
 * crossing later, or failed at once while the primary is lost and its copy not yet promoted
 * (-1: out of memory). All 0 (ENG__GEO_LOCAL) without regions. */
enum { ENG__GEO_LOCAL, ENG__GEO_REMOTE, ENG__GEO_DOWN };
int eng__geo_write_route(const eng__run *r); /* where this run's writes go now */
double eng__geo_remote_cpu(const eng__run *r);
double eng__geo_remote_conns(const eng__run *r);
int eng__geo_remote_query(eng__run *r, eng__req *q, sim_time work);
double eng__geo_rtt_s(const eng__run *r);                   /* a statement's crossings' mean, s */
sim_time eng__geo_crossings(const eng__run *r, sim_rng *g); /* a statement's, drawn */
/* eu-west-1's run: how much slower a statement runs on the us-east-1 primary now than unloaded
 * (us-east-1's run's utilisation; 1 without it) */
double eng__geo_primary_slowdown(const eng__run *r);

/* pgbouncer.c: q's query finished on its instance (instance.c): its next query, or its
 * transaction ends and its connection serves the next waiter; a pool's connections break (a
 * failover) */
void eng__query_done(eng__run *r, eng__req *q);
void eng__tx_release(eng__run *r, eng__req *q);
void eng__pool_break(eng__run *r, eng__pool *p);

#endif
