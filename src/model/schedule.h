/*
 * schedule.h — a non-production environment's daily schedule (seed §11.2, "Scale-to-Zero for
 * Non-Production": "Schedule: Stop at 8pm, start at 8am"): when the environment runs and when it
 * is stopped, as pure functions of the simulated time. Part of model.h, the public face of
 * src/model/ (include that); the engine (engine/schedule.c) carries the stops and starts out and
 * the cost model bills what they leave running.
 *
 * The simulated window begins at local midnight of `first_day`, as every scenario's phases are
 * written (a day's first phase is the night). Times of day are the team's local time.
 */
#ifndef SIMULATE_MODEL_SCHEDULE_H
#define SIMULATE_MODEL_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

#define MDL_DAY (24 * SIM_HOUR)

/* Days of the week as `days` and `first_day` name them, NULL-terminated: bit d of a day mask
 * is mdl_schedule_day_names[d]. */
extern const char *const mdl_schedule_day_names[8];

/* What happens to the database while the environment is stopped. */
typedef enum mdl_schedule_db {
    MDL_SCHEDULE_DB_STOP = 0, /* RDS StopDBInstance: instance hours stop, storage is billed */
    MDL_SCHEDULE_DB_KEEP      /* left running (and billed) */
} mdl_schedule_db;

typedef struct mdl_schedule_config {
    bool enabled;            /* the scenario has a `schedule:` */
    sim_time start;          /* ns after local midnight: the environment starts (0 .. 24 h) */
    sim_time stop;           /* ns after local midnight: it stops (0 .. 24 h; 24 h: midnight) */
    int days;                /* bit d (0 = Monday): a day the environment starts at `start`; the
                              * running stretch that begins then ends at the next `stop` */
    int first_day;           /* the window's first day, 0 = Monday */
    int database;            /* mdl_schedule_db */
    sim_dist database_start; /* database: stop: an RDS instance's start, from the start
                              * command (at `start`) until it takes connections; drawn per start */
} mdl_schedule_config;

/* RDS starts a stopped instance by itself after this long (Amazon RDS User Guide, "Stopping an
 * Amazon RDS DB instance temporarily": "You can stop a DB instance for up to seven days. If you
 * don't manually start your DB instance after seven days, your DB instance is automatically
 * started"). A weekly schedule that runs on at least one day never stops for this long. */
#define MDL_RDS_MAX_STOP (7 * MDL_DAY)

/* Whether the environment runs at t (ns from the window's start). Without a schedule, always.
 * Right-continuous: at a start instant it runs, at a stop instant it is stopped. */
bool mdl_schedule_running(const mdl_schedule_config *c, sim_time t);

/* The first instant after t at which mdl_schedule_running changes; SIM_NEVER when it never
 * does (no schedule, or one that runs around the clock). */
sim_time mdl_schedule_next_change(const mdl_schedule_config *c, sim_time t);

/* Seconds of [from, to) during which the environment is stopped. */
double mdl_schedule_stopped_seconds(const mdl_schedule_config *c, sim_time from, sim_time to);

/* The schedule against the rest of the scenario (model/check.c runs it): a stopped database
 * must be an RDS instance without read replicas, and the DR region's cross-region replica is
 * one. On failure BASE_EINPUT, with the dotted key to blame in `key`. */
struct mdl_scenario;
int mdl_schedule_check(const struct mdl_scenario *s, char *key, size_t keylen, base_err *err);

/* The longest stopped stretch of the schedule's week, ns (0: it never stops). */
sim_time mdl_schedule_longest_stop(const mdl_schedule_config *c);

#endif
