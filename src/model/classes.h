/*
 * classes.h — request classes and error causes: what every component's figures are counted by.
 * Part of model.h, the public face of src/model/ (include that); a header of its own so that
 * a change to one topic's types is a change to one file.
 */
#ifndef SIMULATE_MODEL_CLASSES_H
#define SIMULATE_MODEL_CLASSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/sim.h"

/* ---------------------------------------------------------------- request classes */

typedef enum mdl_class {
    MDL_STATIC = 0, /* SPA assets: CloudFront, S3 on a miss */
    MDL_API_READ,   /* /api/ GET: ALB -> pod -> database reads */
    MDL_API_WRITE,  /* /api/ POST/PUT/DELETE: ALB -> pod -> database writes */
    MDL_NCLASS
} mdl_class;

const char *mdl_class_name(mdl_class c); /* "static", "api_read", "api_write" */

/* Why a request failed, as the user would see it. */
typedef enum mdl_cause {
    MDL_ERR_BACKLOG_FULL = 0, /* 502: the pod's listen backlog was full (connection refused) */
    MDL_ERR_WORKER_TIMEOUT,   /* 502: gunicorn killed the worker after `timeout` */
    MDL_ERR_ALB_TIMEOUT,      /* 504: no response within the ALB idle timeout */
    MDL_ERR_NO_TARGET,        /* 503: no pod to route to */
    MDL_ERR_POD_TERMINATED,   /* 502: the pod shut down with the request waiting or running */
    MDL_ERR_OOM_KILLED,       /* 502: the container crossed its memory limit and was killed */
    MDL_ERR_TARGET_DOWN,      /* 502: routed to a crashed pod the ALB has not yet found out */
    MDL_ERR_DB_CONNECTIONS,   /* 500: "too many connections": the database's max_connections */
    MDL_ERR_POOL_TIMEOUT,     /* 500: waited query_wait_timeout for a server connection */
    MDL_ERR_CLIENT_REFUSED,   /* 500: PgBouncer's max_client_conn was reached */
    MDL_ERR_DB_FAILOVER,      /* 500: the database was failing over (connection lost or refused) */
    MDL_NCAUSE
} mdl_cause;

const char *mdl_cause_name(mdl_cause c); /* "backlog_full", ... */
int mdl_cause_http_status(mdl_cause c);  /* 502, 502, 504, 503 */

#endif
