/*
 * names.c — names of request classes and error causes (the checks between keys that the key
 * tables cannot express are in check.c).
 */
#include "model/model.h"

#include <string.h>

static const char *const class_names[MDL_NCLASS] = {"static", "api_read", "api_write"};

static const struct {
    const char *name;
    int http;
} causes[MDL_NCAUSE] = {
    [MDL_ERR_BACKLOG_FULL] = {"backlog_full", 502},
    [MDL_ERR_WORKER_TIMEOUT] = {"worker_timeout", 502},
    [MDL_ERR_ALB_TIMEOUT] = {"alb_timeout", 504},
    [MDL_ERR_NO_TARGET] = {"no_target", 503},
    [MDL_ERR_POD_TERMINATED] = {"pod_terminated", 502},
    [MDL_ERR_OOM_KILLED] = {"oom_killed", 502},
    [MDL_ERR_TARGET_DOWN] = {"target_down", 502},
    [MDL_ERR_DB_CONNECTIONS] = {"db_connections", 500},
    [MDL_ERR_POOL_TIMEOUT] = {"pool_timeout", 500},
    [MDL_ERR_CLIENT_REFUSED] = {"client_refused", 500},
    [MDL_ERR_DB_FAILOVER] = {"db_failover", 500},
};

static const char *const fidelity_names[] = {
    [MDL_FIDELITY_REQUEST] = "request", [MDL_FIDELITY_FLOW] = "flow", [MDL_FIDELITY_AUTO] = "auto"};

const char *mdl_fidelity_name(mdl_fidelity f)
{
    return (unsigned)f <= MDL_FIDELITY_AUTO ? fidelity_names[f] : "?";
}

int mdl_fidelity_parse(const char *text, mdl_fidelity *out)
{
    for (int f = MDL_FIDELITY_REQUEST; f <= MDL_FIDELITY_AUTO; f++)
        if (!strcmp(text, fidelity_names[f])) {
            *out = (mdl_fidelity)f;
            return 0;
        }
    return -1;
}

const char *mdl_class_name(mdl_class c)
{
    return (unsigned)c < MDL_NCLASS ? class_names[c] : "?";
}

const char *mdl_cause_name(mdl_cause c)
{
    return (unsigned)c < MDL_NCAUSE ? causes[c].name : "?";
}

int mdl_cause_http_status(mdl_cause c)
{
    return (unsigned)c < MDL_NCAUSE ? causes[c].http : 500;
}

double mdl_event_expected(const mdl_scenario *s, size_t i)
{
    const mdl_event *e = &s->events[i];
    sim_time end = mdl_traffic_duration(&s->traffic);
    if (e->at >= end)
        return 0;
    return e->every > 0 ? (double)(end - e->at) / (double)e->every : 1;
}
