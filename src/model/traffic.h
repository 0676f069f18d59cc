/*
 * traffic.h — the load: phases and the request mix (traffic.c holds its behaviour).
 * Part of model.h, the public face of src/model/ (include that); a header of its own so that
 * a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_TRAFFIC_H
#define SIMULATE_MODEL_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"
#include "model/classes.h"

#define MDL_MAX_PHASES 64
#define MDL_NAME_MAX   128

/* A stretch of the load shape (Artillery's phases): `duration` long, moving linearly from
 * `from` to `to` (equal for a hold). The quantity is concurrent users, or requests per second
 * when the traffic is given as a rate. */
typedef struct mdl_phase {
    char name[MDL_NAME_MAX];
    sim_time duration;
    double from; /* users, or requests/s */
    double to;
} mdl_phase;

typedef struct mdl_traffic_config {
    mdl_phase phases[MDL_MAX_PHASES];
    size_t nphases;
    bool by_rate;                       /* phases give requests/s instead of users */
    double requests_per_user_min;       /* requests per user per minute (users mode) */
    double mix[MDL_NCLASS];             /* share of each class; sums to 1 */
    double max_requests;                /* stop arriving after this many; 0: no limit */
    int64_t response_bytes[MDL_NCLASS]; /* mean response size, for metering (bytes) */
    int64_t request_bytes;              /* mean request size, for metering (bytes) */
} mdl_traffic_config;

#endif
