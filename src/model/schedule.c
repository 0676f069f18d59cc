/*
 * schedule.c — when a scheduled environment runs (schedule.h): the week's start and stop
 * instants, walked in order.
 */
#include "model/model.h"

const char *const mdl_schedule_day_names[8] = {"mon", "tue", "wed", "thu",
                                               "fri", "sat", "sun", NULL};

/* Day d of the window (0: the first) as a weekday, 0 = Monday. */
static int weekday(const mdl_schedule_config *c, int64_t d)
{
    int64_t w = ((int64_t)c->first_day + d) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static bool runs_on(const mdl_schedule_config *c, int64_t d)
{
    return (c->days >> weekday(c, d)) & 1;
}

static int64_t floor_div(sim_time t, sim_time d)
{
    return t >= 0 ? t / d : -((-t + d - 1) / d);
}

bool mdl_schedule_running(const mdl_schedule_config *c, sim_time t)
{
    if (!c->enabled)
        return true;
    int64_t d = floor_div(t, MDL_DAY);
    sim_time tod = t - d * MDL_DAY;
    if (c->start < c->stop) /* a day shift: start and stop on the same day */
        return runs_on(c, d) && tod >= c->start && tod < c->stop;
    /* overnight: started on day d at `start`, stopped on day d + 1 at `stop` */
    return (runs_on(c, d) && tod >= c->start) || (runs_on(c, d - 1) && tod < c->stop);
}

sim_time mdl_schedule_next_change(const mdl_schedule_config *c, sim_time t)
{
    if (!c->enabled)
        return SIM_NEVER;
    bool now = mdl_schedule_running(c, t);
    sim_time lo = c->start < c->stop ? c->start : c->stop;
    sim_time hi = c->start < c->stop ? c->stop : c->start;
    /* the running state changes only at a start or a stop instant; a week and a day of them
     * holds the next change if there is one */
    for (int64_t d = floor_div(t, MDL_DAY); d <= floor_div(t, MDL_DAY) + 8; d++) {
        sim_time at[2] = {d * MDL_DAY + lo, d * MDL_DAY + hi};
        for (int i = 0; i < 2; i++)
            if (at[i] > t && mdl_schedule_running(c, at[i]) != now)
                return at[i];
    }
    return SIM_NEVER;
}

double mdl_schedule_stopped_seconds(const mdl_schedule_config *c, sim_time from, sim_time to)
{
    double s = 0;
    sim_time t = from;
    while (t < to) {
        sim_time next = mdl_schedule_next_change(c, t);
        sim_time end = next < to ? next : to;
        if (!mdl_schedule_running(c, t))
            s += sim_to_sec(end - t);
        t = end;
    }
    return s;
}

sim_time mdl_schedule_longest_stop(const mdl_schedule_config *c)
{
    if (!c->enabled || c->days == 0)
        return c->enabled ? SIM_NEVER : 0;
    /* from a running instant, every stretch within the next week */
    sim_time t = 0, longest = 0;
    while (mdl_schedule_running(c, t) == false)
        t = mdl_schedule_next_change(c, t);
    sim_time week_end = t + 7 * MDL_DAY;
    while (t < week_end) {
        sim_time next = mdl_schedule_next_change(c, t);
        if (next == SIM_NEVER)
            break;
        if (!mdl_schedule_running(c, t) && next - t > longest)
            longest = next - t;
        t = next;
    }
    return longest;
}

#include <stdio.h>

int mdl_schedule_check(const mdl_scenario *s, char *key, size_t keylen, base_err *err)
{
    const mdl_schedule_config *c = &s->schedule;
    const mdl_db_config *db = &s->db;
    if (!c->enabled || c->database != MDL_SCHEDULE_DB_STOP || !db->enabled ||
        db->engine == MDL_DB_QUEUE)
        return BASE_OK;
    snprintf(key, keylen, "%s", "schedule.database");
    if (db->engine == MDL_DB_AURORA)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "stopping an Aurora cluster on a schedule is not modelled (its "
                            "capacity's billing while stopped is not): use `database: keep`, or "
                            "engine: rds");
    /* Amazon RDS User Guide, "Stopping an Amazon RDS DB instance temporarily", Limitations:
     * "You can't stop a DB instance that has a read replica, or that is a read replica." */
    if (db->read_replicas > 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "RDS cannot stop an instance that has a read replica "
                            "(database.read_replicas is %d): set it to 0, or `database: keep`",
                            db->read_replicas);
    if (s->dr.enabled)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "RDS cannot stop an instance that has a read replica (the DR "
                            "region's): set dr.enabled: false, or `database: keep`");
    return BASE_OK;
}
