/*
 * keys/schedule.c — the scenario keys of a non-production environment's daily schedule (seed
 * §11.2: "Schedule: Stop at 8pm, start at 8am"). Tables only; model/schedule.c says when the
 * environment runs, engine/schedule.c stops and starts it.
 */
#include "io/keys/keys.h"

#include <stdio.h>
#include <string.h>

/* A time of day, "HH:MM" (00:00 .. 24:00), into a sim_time after midnight. */
static int bind_time_of_day(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    int h = -1, m = -1, used = 0;
    if (sscanf(n->text, "%2d:%2d%n", &h, &m, &used) != 2 || (size_t)used != strlen(n->text) ||
        strlen(n->text) != 5 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
        return scn__at(c, n, "expected a time of day such as \"20:00\" (00:00 to %s), found '%s'",
                       k->max > 86400e9 - 1 ? "24:00" : "23:59", n->text);
    sim_time t = (sim_time)h * SIM_HOUR + (sim_time)m * SIM_MIN;
    if ((double)t > k->max)
        return scn__at(c, n, "%s is not a time the environment can start: use 00:00 to 23:59",
                       n->text);
    *FIELD(c, k, sim_time) = t;
    return BASE_OK;
}

static const char *const database_names[] = {"stop", "keep", NULL};

static const key schedule_keys[] = {
    {KEY_NUM(bind_time_of_day, "time of day", "start", OFF(schedule.start), NULL, 0, 86340e9,
             "00:00..23:59"),
     .doc = "When the environment starts, local time: the Deployment is scaled back up (to "
            "hpa.min_replicas, or the replicas it had), Karpenter launches nodes for it, the "
            "database is started.",
     .source = "seed §11.2: \"start at 8am\""},
    {KEY_NUM(bind_time_of_day, "time of day", "stop", OFF(schedule.stop), NULL, 0, 86400e9,
             "00:00..24:00"),
     .doc = "When it stops, local time: the Deployment is scaled to 0 (the HPA leaves a "
            "Deployment at 0 replicas alone), Karpenter's consolidation removes the empty "
            "nodes, the database is stopped; API requests meanwhile get the ALB's 503. Before "
            "`start`: it runs overnight, from `start` to `stop` the next day. `start: \"00:00\"` "
            "with `stop: \"24:00\"` runs around the clock.",
     .source = "seed §11.2: \"Stop at 8pm\"; Kubernetes HPA: \"scaling is disabled since the "
               "replica count of the target is zero\" (pkg/controller/podautoscaler/"
               "horizontal.go)"},
    {KEY_PLAIN(scn__bind_mask, "list", "days", OFF(schedule.days),
               "[mon, tue, wed, thu, fri, sat, sun]"),
     .range = "mon, tue, wed, thu, fri, sat, sun", .choices = mdl_schedule_day_names,
     .doc = "The days the environment starts at `start` (it stays stopped on the others): "
            "`[mon, tue, wed, thu, fri]` keeps it off at weekends.",
     .source = "seed §11.2 names no days: every day"},
    {KEY_ENUM("first_day", OFF(schedule.first_day), "mon", mdl_schedule_day_names,
              "mon, tue, wed, thu, fri, sat, sun"),
     .doc = "The weekday of the window's first day; the window starts at its local midnight, "
            "as the phases are written."},
    {KEY_ENUM("database", OFF(schedule.database), "stop", database_names, "stop, keep"),
     .doc = "stop: RDS stops with the environment — its instance hours are not billed while "
            "stopped, its storage is (a stopped instance restarts by itself after 7 days; a "
            "weekly schedule never stops it that long). keep: it runs and is billed all month. "
            "Redis is billed all month either way: ElastiCache has no stop.",
     .source = "Amazon RDS User Guide, \"Stopping an Amazon RDS DB instance temporarily\" "
               "(storage billed while stopped, instance hours not; automatic start after 7 "
               "days; no stop with a read replica); the ElastiCache API has no Stop action"},
    {KEY_DIST("database_start", OFF(schedule.database_start),
              "{dist: triangular, min: 5m, mode: 8m, max: 20m}"),
     .doc = "With `database: stop`: how long the RDS instance takes to start, drawn at each "
            "`start` (the scheduler starts it then). Until it is available the API's "
            "transactions fail (500, counted as errors_db_failover) and the time is added to "
            "db_failover_s.",
     .source = "Amazon RDS User Guide, \"Stopping an Amazon RDS DB instance temporarily\": "
               "\"Starting a DB instance requires instance recovery and can take from minutes "
               "to hours\". AWS publishes no figure: 5-20 min (mode 8) is an ESTIMATE; read "
               "yours from the instance's RDS events (started at, available at)"},
};

/* The top level's row (keys/top.c): the section, then `enabled`. */
int scn__bind_schedule(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_sub(k, n, c);
    if (st != BASE_OK)
        return st;
    mdl_schedule_config *sc = &c->s->schedule;
    if (sc->start == sc->stop)
        return scn__at(c, n,
                       "`start` and `stop` are the same time: the environment would "
                       "never run (or never stop: use start \"00:00\", stop \"24:00\")");
    sc->enabled = true;
    return BASE_OK;
}

const section scn__schedule_section = {
    "schedule",
    "A non-production environment's daily stop and start (seed §11.2, \"Scale-to-Zero for "
    "Non-Production\"): while stopped, no API pods nor Karpenter nodes, the database stopped.",
    schedule_keys, NKEYS(schedule_keys)};
