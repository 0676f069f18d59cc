/*
 * regions.h — two active regions (seed §11.3, "Phase 3"): us-east-1, the primary, and a second
 * region (eu-west-1) for EMEA users, behind Route 53 latency-based routing. Part of model.h,
 * the public face of src/model/ (include that); regions.c holds the behaviour: how the scenario
 * splits into one scenario per region (its users' share, its shifted daily curve, its prices,
 * its cluster bounds) and how a lost region's users arrive at the survivor.
 *
 * What the split keeps apart and what couples the regions is in docs/multi-region.md.
 */
#ifndef SIMULATE_MODEL_REGIONS_H
#define SIMULATE_MODEL_REGIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"
#include "cost/catalog.h"
#include "model/traffic.h"

/* Where EMEA users are served. */
typedef enum mdl_regions_serve {
    MDL_REGIONS_ONE = 0, /* everyone in us-east-1: EMEA's API requests cross the Atlantic */
    MDL_REGIONS_TWO      /* EMEA users in eu-west-1, routed there by Route 53 latency records */
} mdl_regions_serve;

/* The second region's database. */
typedef enum mdl_regions_db {
    MDL_REGIONS_DB_AUTO = 0, /* the primary's engine's: RDS -> replica, Aurora -> Global */
    MDL_REGIONS_DB_REPLICA,  /* RDS cross-region read replica */
    MDL_REGIONS_DB_GLOBAL    /* Aurora Global Database secondary cluster */
} mdl_regions_db;

typedef struct mdl_regions_config {
    bool enabled;             /* the scenario has a `regions:` */
    int serve;                /* mdl_regions_serve */
    double emea_share;        /* of the scenario's users, in EMEA */
    sim_time emea_offset;     /* EMEA's day runs this much ahead of the phases' clock */
    sim_dist rtt;             /* us-east-1 <-> eu-west-1 round trip */
    double write_round_trips; /* per EMEA write request to the primary; 0: the scenario's
                               * database.queries.api_write */
    int min_replicas;         /* eu-west-1's HPA bounds; 0: the primary's */
    int max_replicas;
    int database; /* mdl_regions_db */
    /* the latency records' health checks are dns.health_check_interval and
     * health_check_failure_threshold; their TTL dr.dns_ttl */
    sim_time lose_at;     /* eu-west-1 lost at this time; 0: not lost */
    sim_time lose_us_at;  /* us-east-1 (the primary's region) lost at this time; 0: not lost */
    cost_catalog catalog; /* eu-west-1's pricing file */
    bool has_catalog;
    /* Set in a clone only (mdl_regions_clone), where the regions couple inside a run:
     *   remote_writes (eu-west-1's clone): its API writes' statements run on the us-east-1
     *     primary, each a crossing (rtt) away — its own database serves reads only, and the
     *     worker (and its pool's connection) waits through the crossings;
     *   has_remote (us-east-1's clone): `remote` is the curve of the users (EMEA's, share
     *     applied) whose API writes reach this primary from eu-west-1: their statements load
     *     its CPU and hold its connections (engine/geo.c). */
    bool remote_writes;
    bool has_remote;
    mdl_traffic_config remote;
    /* eu-west-1's clone with us-east-1 lost: its writes go to the primary before remote_until,
     * fail (the primary gone, its replica not yet promoted) until promoted_at, and run on its
     * own promoted instance from then. 0, 0: always to the primary. */
    sim_time remote_until, promoted_at;
    /* eu-west-1's clone: the us-east-1 primary's slowdown of a statement in each interval of
     * `primary_step` from the start (processor sharing at the utilisation us-east-1's run
     * measured, EMEA's writes included: engine/geo.c), which its remote statements run at.
     * Borrowed from the replication's us-east-1 run; NULL: the primary unloaded. */
    const double *primary_slowdown;
    size_t primary_n;
    sim_time primary_step;
} mdl_regions_config;

/* Which of the two regions a clone is. */
enum { MDL_REGION_US = 0, MDL_REGION_EU = 1 };

/* Round trips an EMEA write request pays to the us-east-1 primary. */
double mdl_regions_write_trips(const struct mdl_scenario *s);

/* The scenario as region `which` runs it (out is overwritten; `regions` off in it):
 *   one region (serve one): which US is the whole load, both curves added; which EU is empty;
 *   two regions: US has (1 - emea_share) of the users on the phases' clock, EU has emea_share
 *   on the clock shifted by emea_offset (the phases read as a cycle), eu-west-1's catalog and
 *   HPA bounds, no DR standby of its own, its database a Single-AZ replica (or an Aurora
 *   secondary) of the primary's class.
 * With eu-west-1 lost at lose_at, its users fail from then until moved_at (ns), and from
 * moved_at they join US as Route 53 answers for us-east-1 and the clients' cached answers expire
 * (linearly over dns_ttl). BASE_ELIMIT when the merged phases exceed MDL_MAX_PHASES. */
int mdl_regions_clone(const struct mdl_scenario *s, int which, sim_time moved_at,
                      struct mdl_scenario *out);

/* With us-east-1 lost at lose_us_at (two regions): its users fail from then until moved_at,
 * and from moved_at they join eu-west-1 as the clients' cached answers expire (over dns_ttl);
 * eu-west-1's writes fail from the loss until promoted_at (its copy promoted), and run on it
 * after. us-east-1's clone has no users from the loss. */
int mdl_regions_clone_us_lost(const struct mdl_scenario *s, int which, sim_time moved_at,
                              sim_time promoted_at, struct mdl_scenario *out);

/* The phases' curve shifted by `offset` (ns; the window read as a cycle): the level at t is the
 * original's at t + offset. BASE_ELIMIT past MDL_MAX_PHASES. */
int mdl_traffic_shift(const mdl_traffic_config *t, sim_time offset, mdl_traffic_config *out);

/* a's and b's levels added (a piecewise-linear sum over both's breakpoints), each scaled
 * (wa, wb), b's counted only between from and to (and ramped in from `from` over `ramp`). */
int mdl_traffic_add(const mdl_traffic_config *a, double wa, const mdl_traffic_config *b, double wb,
                    sim_time from, sim_time ramp, mdl_traffic_config *out);

/* Checks the section against the rest of the scenario: the catalog names the primary's
 * resolved against (the second pricing file must hold the same instance types, DB classes
 * and cache types, in the same order). */
int mdl_regions_check(const struct mdl_scenario *s, char *key, size_t keylen, struct base_err *err);

#endif
