/*
 * figures.c — the keys of the figures other modules name by id (metrics.h, fig_id): one
 * table, so the string "monthly_cost" is written once.
 */
#include "metrics/metrics.h"

static const char *const keys[FIG_NIDS] = {
    [FIG_REQUESTS] = "requests",
    [FIG_THROUGHPUT] = "throughput",
    [FIG_ERROR_RATE] = "error_rate",
    [FIG_LATENCY_P99] = "latency_p99",
    [FIG_API_LATENCY_P50] = "api_latency_p50",
    [FIG_API_LATENCY_P95] = "api_latency_p95",
    [FIG_API_LATENCY_P99] = "api_latency_p99",
    [FIG_PEAK_PODS_READY] = "peak_pods_ready",
    [FIG_PEAK_NODES] = "peak_nodes",
    [FIG_DATABASE_UTILISATION] = "database_utilisation",
    [FIG_AURORA_ACU_MEAN] = "aurora_acu_mean",
    [FIG_RTO] = "rto",
    [FIG_RTO_LATENCY] = "rto_latency",
    [FIG_RPO] = "rpo",
    [FIG_OUTAGE_FAILED] = "outage_failed",
    [FIG_MONTHLY_COST] = "monthly_cost",
    [FIG_COST_PER_MILLION] = "cost_per_million",
};

const char *fig_key(fig_id id)
{
    return (unsigned)id < FIG_NIDS ? keys[id] : "?";
}
