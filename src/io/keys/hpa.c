/*
 * keys/hpa.c — the scenario keys of hpa and metrics_server: the API's HorizontalPodAutoscaler and
 * its metrics source.
 */
#include "io/keys/keys.h"

static const char *const policy_types[] = {"pods", "percent", NULL};
static const char *const select_names[] = {"max", "min", "disabled", NULL};

static const key policy_keys[] = {
    {.name = "type",
     .bind = scn__bind_enum,
     .off = offsetof(mdl_hpa_policy, type),
     .def = NULL,
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "pods, percent",
     .choices = policy_types,
     .doc = "Pods: add or remove up to `value` pods per period; Percent: up to `value`% of the "
            "replicas at the period's start."},
    {.name = "value",
     .bind = scn__bind_int,
     .off = offsetof(mdl_hpa_policy, value),
     .def = NULL,
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = "1..100000",
     .doc = "Pods or percent."},
    {.name = "period",
     .bind = scn__bind_duration,
     .off = offsetof(mdl_hpa_policy, period),
     .def = NULL,
     .type = "duration",
     .min = 1e9,
     .max = 1800e9,
     .range = "1s..1800s",
     .doc = "periodSeconds.",
     .source = "autoscaling/v2: at most 1800 s"},
};
static const section policy_section = {"hpa.scale_up.policies[]",
                                       "One scaling policy (HPAScalingPolicy); the same for "
                                       "scale_down.",
                                       policy_keys, NKEYS(policy_keys)};

#define RULES(dir, stab, stabsrc, pol, polsrc)                                                     \
    {.name = "stabilization",                                                                      \
     .bind = scn__bind_duration,                                                                   \
     .off = OFF(hpa.dir.stabilization),                                                            \
     .def = stab,                                                                                  \
     .type = "duration",                                                                           \
     .min = 0,                                                                                     \
     .max = 3600e9,                                                                                \
     .range = "0s..1h",                                                                            \
     .doc = "stabilizationWindowSeconds.",                                                         \
     .source = stabsrc},                                                                           \
        {.name = "select",                                                                         \
         .bind = scn__bind_enum,                                                                   \
         .off = OFF(hpa.dir.select),                                                               \
         .def = "max",                                                                             \
         .type = "choice",                                                                         \
         .min = 1,                                                                                 \
         .max = 0,                                                                                 \
         .range = "max, min, disabled",                                                            \
         .choices = select_names,                                                                  \
         .doc = "selectPolicy: the policy allowing the largest (max) or smallest (min) change.",   \
         .source = "autoscaling/v2 default Max"},                                                  \
    {                                                                                              \
        .name = "policies", .bind = scn__bind_list, .off = OFF(hpa.dir.policies),                  \
        .size = sizeof(mdl_hpa_policy), .def = pol, .type = "list", .min = 1,                      \
        .max = MDL_HPA_MAX_POLICIES, .sub = &policy_section, .doc = "The scaling policies.",       \
        .source = polsrc, .count_off = OFF(hpa.dir.npolicies)                                      \
    }

static const key up_keys[] = {
    RULES(up, "0s", "Kubernetes default behaviour: scale-up window 0 s",
          "[{type: percent, value: 100, period: 15s}, {type: pods, value: 4, period: 15s}]",
          "Kubernetes default: 100% or 4 pods per 15 s, the larger (HPA docs, behaviour.md §1)"),
};
static const section up_section = {"hpa.scale_up", "spec.behavior.scaleUp.", up_keys,
                                   NKEYS(up_keys)};
static const key down_keys[] = {
    RULES(down, "300s", "Kubernetes default: scale-down window 300 s",
          "[{type: percent, value: 100, period: 15s}]",
          "Kubernetes default: 100% per 15 s (HPA docs, behaviour.md §1)"),
};
static const section down_section = {"hpa.scale_down", "spec.behavior.scaleDown.", down_keys,
                                     NKEYS(down_keys)};

static const key hpa_keys[] = {
    {.name = "enabled",
     .bind = scn__bind_bool,
     .off = OFF(hpa.enabled),
     .def = "false",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "Autoscale the API's pods; false: `api.replicas` stays fixed."},
    {.name = "min_replicas",
     .bind = scn__bind_int,
     .off = OFF(hpa.min_replicas),
     .def = "1",
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = "1..100000",
     .doc = "minReplicas.",
     .source = "autoscaling/v2 default 1 (the seed sets 3)"},
    {.name = "max_replicas",
     .bind = scn__bind_int,
     .off = OFF(hpa.max_replicas),
     .def = "10",
     .type = "integer",
     .min = 1,
     .max = 100000,
     .range = "1..100000",
     .doc = "maxReplicas.",
     .source = "required by the API; 10 here only so a bare `enabled: true` runs (the seed "
               "sets 50)"},
    {.name = "cpu_target",
     .bind = scn__bind_int_percent,
     .off = OFF(hpa.cpu_target),
     .def = "0%",
     .type = "percent",
     .min = 0,
     .max = 100,
     .range = "0% (none) or a whole percent",
     .doc = "averageUtilization of CPU relative to requests; 0%: no CPU metric.",
     .source = "seed §5.3: 70%"},
    {.name = "memory_target",
     .bind = scn__bind_int_percent,
     .off = OFF(hpa.memory_target),
     .def = "0%",
     .type = "percent",
     .min = 0,
     .max = 100,
     .range = "0% (none) or a whole percent",
     .doc = "averageUtilization of memory relative to requests; 0%: no memory metric.",
     .source = "seed §5.3: 80%"},
    {.name = "tolerance",
     .bind = scn__bind_percent,
     .off = OFF(hpa.tolerance),
     .def = "10%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "No change while |usage/target − 1| is within it.",
     .source = "--horizontal-pod-autoscaler-tolerance 0.1 (behaviour.md §1)"},
    {.name = "sync_period",
     .bind = scn__bind_duration,
     .off = OFF(hpa.sync_period),
     .def = "15s",
     .type = "duration",
     .min = 1e9,
     .max = 600e9,
     .range = "1s..10m",
     .doc = "How often the controller runs.",
     .source = "--horizontal-pod-autoscaler-sync-period 15 s"},
    {.name = "cpu_initialization_period",
     .bind = scn__bind_duration,
     .off = OFF(hpa.cpu_initialization_period),
     .def = "5m",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "After a pod starts, CPU samples count only once taken fully while it is Ready.",
     .source = "--horizontal-pod-autoscaler-cpu-initialization-period 5 min"},
    {.name = "initial_readiness_delay",
     .bind = scn__bind_duration,
     .off = OFF(hpa.initial_readiness_delay),
     .def = "30s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "Unready pods this young are 'not yet ready'.",
     .source = "--horizontal-pod-autoscaler-initial-readiness-delay 30 s"},
    {.name = "scale_up",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &up_section,
     .doc = "behavior.scaleUp."},
    {.name = "scale_down",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &down_section,
     .doc = "behavior.scaleDown."},
};
const section scn__hpa_section = {"hpa", "The API's HorizontalPodAutoscaler (autoscaling/v2).",
                                  hpa_keys, NKEYS(hpa_keys)};

static const key metrics_keys[] = {
    {.name = "resolution",
     .bind = scn__bind_duration,
     .off = OFF(metrics_resolution),
     .def = "15s",
     .type = "duration",
     .min = 10e9,
     .max = 600e9,
     .range = "10s..10m",
     .doc = "How often metrics-server scrapes pods; a CPU sample averages over this window.",
     .source = "metrics-server manifest --metric-resolution=15s (behaviour.md §1)"},
};
const section scn__metrics_section = {"metrics_server", "metrics-server, the HPA's source.",
                                      metrics_keys, NKEYS(metrics_keys)};
