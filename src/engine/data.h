/*
 * data.h — what the files of the data tier in the request engine share (eng__ names; the rest
 * of src/engine/ sees the data tier through internal.h's eng__data_*, eng__tx_*, eng__redis_*,
 * eng__db_* and eng__cache_* entry points). database.c sets the tier up and runs its failovers;
 * instance.c runs queries on a database instance; pgbouncer.c holds the connections; rds.c and
 * aurora.c are what differs between the two engines' instances (CPU credits; ACU scaling);
 * redis.c the cache.
 */
#ifndef SIMULATE_ENGINE_DATA_H
#define SIMULATE_ENGINE_DATA_H

#include "engine/internal.h"

/* instance.c: instance `index` brought up to now (its CPU integrals and queries' progress);
 * its next completion rescheduled after a change of load or capacity; q's query of `work` ns of
 * CPU added (-1: out of memory). */
void eng__dbi_account(eng__run *r, eng__dbi *d);
void eng__dbi_reschedule(eng__run *r, eng__dbi *d, int index);
int eng__dbi_add(eng__run *r, int index, eng__req *q, sim_time work);

/* pgbouncer.c: q's query finished on its instance (instance.c): its next query, or its
 * transaction ends and its connection serves the next waiter; a pool's connections break (a
 * failover) */
void eng__query_done(eng__run *r, eng__req *q);
void eng__tx_release(eng__run *r, eng__req *q);
void eng__pool_break(eng__run *r, eng__pool *p);

/* rds.c: the instances' burstable class (NULL: not burstable, or Aurora); the credit tick
 * started; the last part-minute of credits and each instance's surplus at the end */
const mdl_db_class *eng__rds_burstable(const eng__run *r);
void eng__rds_credits_start(eng__run *r);
void eng__rds_credits_finish(eng__run *r);

/* aurora.c: the writer's capacity measured and adjusted each second from the start */
void eng__aurora_start(eng__run *r);

/* redis.c: the primary set up (when the scenario enables Redis) and its node-seconds metered */
int eng__redis_init(eng__run *r, base_err *err);
void eng__redis_finish(eng__run *r);

#endif
