/*
 * names.c — names of request classes and error causes, and the checks between keys that the
 * key table cannot express.
 */
#include "model/model.h"

#include <math.h>

static const char *const class_names[MDL_NCLASS] = {"static", "api_read", "api_write"};

static const struct {
    const char *name;
    int http;
} causes[MDL_NCAUSE] = {
    [MDL_ERR_BACKLOG_FULL] = {"backlog_full", 502},
    [MDL_ERR_WORKER_TIMEOUT] = {"worker_timeout", 502},
    [MDL_ERR_ALB_TIMEOUT] = {"alb_timeout", 504},
    [MDL_ERR_NO_TARGET] = {"no_target", 503},
};

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

int mdl_scenario_check(const mdl_scenario *s, const char **key, base_err *err)
{
    *key = "traffic.mix";
    double sum = 0;
    for (int c = 0; c < MDL_NCLASS; c++)
        sum += s->traffic.mix[c];
    /* shares are written as percentages with at most a few decimals: 1e-9 is generous */
    if (fabs(sum - 1.0) > 1e-9)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "traffic.mix must add up to 100%% (it adds up to %.6g%%)", sum * 100);
    *key = "traffic.phases";
    if (s->traffic.nphases == 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "traffic.phases needs at least one phase");
    *key = "warmup";
    if (mdl_traffic_duration(&s->traffic) <= s->warmup)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "warmup must be shorter than the phases together");
    *key = "cloudfront.enabled";
    if (!s->cdn.enabled && s->traffic.mix[MDL_STATIC] > 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "traffic.mix sends static requests but cloudfront is disabled "
                            "(static assets are served only by CloudFront + S3)");
    *key = "traffic.requests_per_user_per_minute";
    if (!s->traffic.by_rate && !(s->traffic.requests_per_user_min > 0))
        return base_err_set(
            err, BASE_EINPUT, NULL, 0, 0,
            "traffic.requests_per_user_per_minute is needed when phases give users");
    *key = "fidelity";
    if (s->fidelity == MDL_FIDELITY_FLOW)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "fidelity 'flow' is not available yet: the flow engine is not built "
                            "(use 'request' or 'auto')");
    *key = NULL;
    return BASE_OK;
}
