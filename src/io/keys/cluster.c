/*
 * keys/cluster.c — the scenario keys of the cluster: the API's pods and gunicorn, the HPA and
 * metrics-server, nodes, Karpenter's NodePools, Spot. Tables only, one section per component.
 */
#include "io/keys/keys.h"

/* ---------------------------------------------------------------- api
 * The Flask API Deployment (gunicorn in pods): resources,
 * memory, start-up, readiness.
 */

static const key service_keys[] = {
    {KEY_DIST("api_read", OFF(api.service[MDL_API_READ]), NULL),
     .doc = "Application time of a read, database time excluded.",
     .source = "your application's own measurements (the seed gives none)"},
    {KEY_DIST("api_write", OFF(api.service[MDL_API_WRITE]), NULL),
     .doc = "Application time of a write, database time excluded.",
     .source = "your application's own measurements (the seed gives none)"},
};
static const section service_section = {"api.service",
                                        "Service time of a request in a gunicorn worker.",
                                        service_keys, NKEYS(service_keys)};

static const key requests_keys[] = {
    {KEY_CPU("cpu", OFF(api.cpu_request), "250m", 1, 1e6, "> 0"),
     .doc = "CPU request of the API container.",
     .source = "seed §5.3 Deployment: requests.cpu 250m"},
    {KEY_MEMORY("memory", OFF(api.memory_request), "256Mi", 1, 1e15, "> 0"),
     .doc = "Memory request of the API container.",
     .source = "seed §5.3 Deployment: requests.memory 256Mi"},
};
static const section requests_section = {"api.resources.requests",
                                         "What the scheduler reserves for a pod; HPA "
                                         "utilisation is relative to it.",
                                         requests_keys, NKEYS(requests_keys)};
static const key limits_keys[] = {
    {KEY_CPU("cpu", OFF(api.cpu_limit), "1000m", 1, 1e6, "> 0"),
     .doc = "CPU limit: the CFS quota throttles the pod to it (workers share it).",
     .source = "seed §5.3 Deployment: limits.cpu 1000m"},
    {KEY_MEMORY("memory", OFF(api.memory_limit), "512Mi", 1, 1e15, "> 0"),
     .doc = "Memory limit: crossing it gets the container OOM-killed and restarted.",
     .source = "seed §5.3 Deployment: limits.memory 512Mi"},
};
static const section limits_section = {"api.resources.limits", "The container's limits.",
                                       limits_keys, NKEYS(limits_keys)};
static const key resources_keys[] = {
    {KEY_SECTION("requests", &requests_section), .doc = "Requests."},
    {KEY_SECTION("limits", &limits_section), .doc = "Limits."},
};
static const section resources_section = {"api.resources", "The container's resources.",
                                          resources_keys, NKEYS(resources_keys)};
static const key memory_keys[] = {
    {KEY_MEMORY("base", OFF(api.memory_base), "200Mi", 0, 1e15, ">= 0"),
     .doc = "Working set of a pod at rest: gunicorn's master and workers with Flask loaded.",
     .source = "ASSUMPTION: measure your image (kubectl top pod)"},
    {KEY_MEMORY("per_request", OFF(api.memory_per_request), "4Mi", 0, 1e15, ">= 0"),
     .doc = "Extra working set per request being served.", .source = "ASSUMPTION"},
};
static const section memory_section = {"api.memory", "What the pod's memory use is made of.",
                                       memory_keys, NKEYS(memory_keys)};
static const key startup_keys[] = {
    {.name = "image_pull",
     .bind = scn__bind_dist,
     .off = OFF(api.image_pull),
     .def = "{dist: uniform, min: 5s, max: 15s}",
     .type = "distribution",
     .doc = "Pulling the image onto a node that does not have it (0 when it does).",
     .source = "reference/behaviour.md §2: ~5–15 s for ~200 MB from same-region ECR (EST)"},
    {.name = "container_start",
     .bind = scn__bind_dist,
     .off = OFF(api.container_start),
     .def = "{dist: uniform, min: 1s, max: 5s}",
     .type = "distribution",
     .doc = "Process start to listening (Python imports, gunicorn forks its workers).",
     .source = "reference/behaviour.md §2: container start ~1–5 s"},
    {KEY_MEMORY("image_size", OFF(api.image_bytes), "200M", 0, 1e12, ">= 0"),
     .doc = "Compressed size of the API image: pulled through the NAT gateway onto each new "
            "node.",
     .source = "reference/behaviour.md §2: a ~200 MB Python image (EST)"},
};
static const section startup_section = {"api.startup", "How long a new pod takes to start.",
                                        startup_keys, NKEYS(startup_keys)};
static const key readiness_keys[] = {
    {KEY_DURATION("initial_delay", OFF(api.readiness.initial_delay), "0s", 0, 3600e9, "0s..1h"),
     .doc = "initialDelaySeconds.", .source = "Kubernetes default 0 (behaviour.md §2)"},
    {KEY_DURATION("period", OFF(api.readiness.period), "10s", 1e9, 3600e9, "1s..1h"),
     .doc = "periodSeconds.", .source = "Kubernetes default 10 s (behaviour.md §2)"},
    {KEY_INT("success_threshold", OFF(api.readiness.success_threshold), "1", 1, 100, "1..100"),
     .doc = "successThreshold.", .source = "Kubernetes default 1"},
    {KEY_INT("failure_threshold", OFF(api.readiness.failure_threshold), "3", 1, 100, "1..100"),
     .doc = "failureThreshold.", .source = "Kubernetes default 3"},
};
static const section readiness_section = {"api.readiness_probe", "The readinessProbe.",
                                          readiness_keys, NKEYS(readiness_keys)};

static const key api_keys[] = {
    {KEY_INT("replicas", OFF(api.replicas), "3", 1, 100000, "1..100000"),
     .doc = "Pods of the Flask API (fixed until autoscaling arrives).",
     .source = "seed §5.3: `replicas: 3`, HPA `minReplicas: 3`"},
    {KEY_INT("workers", OFF(api.workers), "1", 1, 1024, "1..1024"),
     .doc = "gunicorn sync workers per pod; each serves one request at a time.",
     .source = "gunicorn settings.rst: `workers` default 1 (the seed's Dockerfile CMD sets none)"},
    {KEY_INT("backlog", OFF(api.backlog), "2048", 0, 1000000, "0..1000000"),
     .doc = "Requests a pod holds waiting for a free worker; more are refused (502).",
     .source = "gunicorn settings.rst: `backlog` default 2048"},
    {KEY_DURATION("timeout", OFF(api.timeout), "30s", 0, 86400e9, "0s..24h"),
     .doc = "gunicorn kills a worker busy with one request this long (the client gets a 502); "
            "0s: never.",
     .source = "gunicorn settings.rst: `timeout` default 30 s"},
    {KEY_SECTION("service", &service_section),
     .doc = "Service time distributions by request class."},
    {KEY_SECTION("resources", &resources_section), .doc = "Requests and limits."},
    {KEY_SECTION("memory", &memory_section), .doc = "The memory model."},
    {.name = "node_selector",
     .bind = scn__bind_arch_selector,
     .off = OFF(api.arch),
     .def = "any",
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "arm64, amd64, any",
     .doc = "nodeSelector kubernetes.io/arch.",
     .source = "seed §5.3: kubernetes.io/arch: arm64 (the base sets it)"},
    {KEY_BOOL("tolerate_spot", OFF(api.spot_ok), "true"),
     .doc = "Tolerates karpenter.sh/capacity-type=spot.", .source = "seed §5.3 tolerations"},
    {KEY_SECTION("startup", &startup_section), .doc = "Start-up times."},
    {KEY_SECTION("readiness_probe", &readiness_section), .doc = "The readinessProbe."},
    {KEY_DURATION("termination_grace", OFF(api.termination_grace), "30s", 0, 3600e9, "0s..1h"),
     .doc = "terminationGracePeriodSeconds: in-flight requests get this long after SIGTERM.",
     .source = "Kubernetes default 30 s; gunicorn graceful_timeout 30 s (behaviour.md §2, §9)"},
    {KEY_DURATION("restart_backoff", OFF(api.restart_backoff), "10s", 0, 300e9, "0s..5m"),
     .doc = "Delay before a crashed (OOM-killed) container restarts.",
     .source = "Kubernetes pod lifecycle docs: restart back-off starts at 10 s"},
};
const section scn__api_section = {"api", "The Flask API Deployment (gunicorn in pods).", api_keys,
                                  NKEYS(api_keys)};

/* ---------------------------------------------------------------- hpa and metrics_server
 * The API's HorizontalPodAutoscaler and
 * its metrics source.
 */

static const char *const policy_types[] = {"pods", "percent", NULL};
static const char *const select_names[] = {"max", "min", "disabled", NULL};

static const key policy_keys[] = {
    {KEY_ENUM("type", offsetof(mdl_hpa_policy, type), NULL, policy_types, "pods, percent"),
     .doc = "Pods: add or remove up to `value` pods per period; Percent: up to `value`% of the "
            "replicas at the period's start."},
    {KEY_INT("value", offsetof(mdl_hpa_policy, value), NULL, 1, 100000, "1..100000"),
     .doc = "Pods or percent."},
    {KEY_DURATION("period", offsetof(mdl_hpa_policy, period), NULL, 1e9, 1800e9, "1s..1800s"),
     .doc = "periodSeconds.", .source = "autoscaling/v2: at most 1800 s"},
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
    {KEY_BOOL("enabled", OFF(hpa.enabled), "false"),
     .doc = "Autoscale the API's pods; false: `api.replicas` stays fixed."},
    {KEY_INT("min_replicas", OFF(hpa.min_replicas), "1", 1, 100000, "1..100000"),
     .doc = "minReplicas.", .source = "autoscaling/v2 default 1 (the seed sets 3)"},
    {KEY_INT("max_replicas", OFF(hpa.max_replicas), "10", 1, 100000, "1..100000"),
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
    {KEY_PERCENT("tolerance", OFF(hpa.tolerance), "10%", 0, 1, "0%..100%"),
     .doc = "No change while |usage/target − 1| is within it.",
     .source = "--horizontal-pod-autoscaler-tolerance 0.1 (behaviour.md §1)"},
    {KEY_DURATION("sync_period", OFF(hpa.sync_period), "15s", 1e9, 600e9, "1s..10m"),
     .doc = "How often the controller runs.",
     .source = "--horizontal-pod-autoscaler-sync-period 15 s"},
    {KEY_DURATION("cpu_initialization_period", OFF(hpa.cpu_initialization_period), "5m", 0, 3600e9,
                  "0s..1h"),
     .doc = "After a pod starts, CPU samples count only once taken fully while it is Ready.",
     .source = "--horizontal-pod-autoscaler-cpu-initialization-period 5 min"},
    {KEY_DURATION("initial_readiness_delay", OFF(hpa.initial_readiness_delay), "30s", 0, 3600e9,
                  "0s..1h"),
     .doc = "Unready pods this young are 'not yet ready'.",
     .source = "--horizontal-pod-autoscaler-initial-readiness-delay 30 s"},
    {KEY_SECTION("scale_up", &up_section), .doc = "behavior.scaleUp."},
    {KEY_SECTION("scale_down", &down_section), .doc = "behavior.scaleDown."},
};
const section scn__hpa_section = {"hpa", "The API's HorizontalPodAutoscaler (autoscaling/v2).",
                                  hpa_keys, NKEYS(hpa_keys)};

static const key metrics_keys[] = {
    {KEY_DURATION("resolution", OFF(metrics_resolution), "15s", 10e9, 600e9, "10s..10m"),
     .doc = "How often metrics-server scrapes pods; a CPU sample averages over this window.",
     .source = "metrics-server manifest --metric-resolution=15s (behaviour.md §1)"},
};
const section scn__metrics_section = {"metrics_server", "metrics-server, the HPA's source.",
                                      metrics_keys, NKEYS(metrics_keys)};

/* ---------------------------------------------------------------- nodes
 * The system node group and the per-node overhead.
 */

static const key system_keys[] = {
    {KEY_STRING("instance", OFF(cluster.system_type), 24, "t3.medium"),
     .doc = "Instance type of the system node group.", .source = "seed §5.2: t3.medium"},
    {KEY_INT("count", OFF(cluster.system_nodes), "2", 0, 100, "0..100"),
     .doc = "Its nodes (On-Demand, fixed, never used by the API's pods).",
     .source = "seed §5.2: 2–3 nodes (§10.2 prices 2)"},
};
static const section system_section = {"nodes.system", "The system node group.", system_keys,
                                       NKEYS(system_keys)};
static const key daemonset_keys[] = {
    {KEY_CPU("cpu", OFF(cluster.daemonset_cpu), "125m", 0, 1e6, ">= 0"),
     .doc = "DaemonSet CPU requests on every node.",
     .source = "aws-node 25m (amazon-vpc-cni-k8s aws-k8s-cni.yaml) + kube-proxy 100m (EKS "
               "add-on, from memory)"},
    {KEY_MEMORY("memory", OFF(cluster.daemonset_memory), "0", 0, 1e15, ">= 0"),
     .doc = "DaemonSet memory requests on every node.",
     .source = "aws-node and kube-proxy request no memory"},
};
static const section daemonset_section = {"nodes.daemonset", "Per-node overhead.", daemonset_keys,
                                          NKEYS(daemonset_keys)};
static const key nodes_keys[] = {
    {KEY_BOOL("enabled", OFF(cluster.enabled), "false"),
     .doc = "Model nodes, scheduling and Karpenter; false: pods need no node and start Ready "
            "(the queueing-theory checks)."},
    {KEY_SECTION("system", &system_section), .doc = "The system node group."},
    {KEY_SECTION("daemonset", &daemonset_section), .doc = "DaemonSet overhead per node."},
    {KEY_DURATION("unreachable_grace", OFF(cluster.unreachable_grace), "50s", 0, 3600e9, "0s..1h"),
     .doc = "A node lost without notice (its AZ, node_loss) is marked unreachable after this "
            "long without a status from its kubelet; its pods are still counted meanwhile.",
     .source = "kube-controller-manager --node-monitor-grace-period: 50 s since Kubernetes "
               "1.32 (kubernetes/kubernetes#127352), 40 s before"},
    {KEY_DURATION("unreachable_toleration", OFF(cluster.unreachable_toleration), "300s", 0, 86400e9,
                  "0s..1d"),
     .doc = "Then its pods tolerate the unreachable taint this long before they are deleted and "
            "the Deployment replaces them elsewhere.",
     .source = "kube-apiserver --default-unreachable-toleration-seconds 300 (DefaultToleration"
               "Seconds admission plugin); Karpenter's node repair, which would act sooner, is "
               "off by default"},
};
const section scn__nodes_section = {"nodes", "The cluster's nodes.", nodes_keys, NKEYS(nodes_keys)};

/* ---------------------------------------------------------------- karpenter
 * Karpenter and its NodePools.
 */

#include <string.h>

static const char *const capacity_names[] = {"spot", "on-demand", NULL};
static const char *const consolidation_names[] = {"when_empty", "when_empty_or_underutilized",
                                                  NULL};

/* consolidateAfter: a duration, or `never` */
static int bind_duration_or_never(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind == SCN_SCALAR && !strcmp(n->text, "never")) {
        *FIELD(c, k, sim_time) = SIM_NEVER;
        return BASE_OK;
    }
    return scn__bind_duration(k, n, c);
}

/* spec.limits.cpu and .memory: a quantity, or `none` (no limit: the default). The element is
 * the NodePool (c->base), whose flag says whether the limit is set. */
static int bind_limit(const key *k, const scn_node *n, bctx *c, bool cpu)
{
    mdl_nodepool *p = (mdl_nodepool *)c->base;
    bool *set = cpu ? &p->limit_cpu_set : &p->limit_memory_set;
    if (n->kind == SCN_SCALAR && !strcmp(n->text, "none")) {
        *set = false;
        *FIELD(c, k, int64_t) = 0;
        return BASE_OK;
    }
    int st = cpu ? scn__bind_cpu(k, n, c) : scn__bind_memory(k, n, c);
    *set = st == BASE_OK;
    return st;
}
static int bind_limit_cpu(const key *k, const scn_node *n, bctx *c)
{
    return bind_limit(k, n, c, true);
}
static int bind_limit_memory(const key *k, const scn_node *n, bctx *c)
{
    return bind_limit(k, n, c, false);
}

#define LIMITS_SOURCE                                                                              \
    "Karpenter v1 NodePool spec.limits (karpenter.sh docs, concepts/nodepools, \"spec.limits\": "  \
    "instance types that would exceed the limits are not launched; unset: no limit)"
static const key nodepool_limits_keys[] = {
    {KEY_NUM(bind_limit_cpu, "cpu", "cpu", offsetof(mdl_nodepool, limit_cpu), "none", 0, 1e9,
             ">= 0, or none"),
     .doc = "The most vCPUs of the nodes it has launched (launching ones included): a node "
            "that would take it over is not launched; the pool's pods wait, or go to the next "
            "pool by weight. `1000` = 1,000 vCPUs.",
     .source = LIMITS_SOURCE},
    {KEY_NUM(bind_limit_memory, "memory", "memory", offsetof(mdl_nodepool, limit_memory), "none", 0,
             1e18, ">= 0, or none"),
     .doc = "The same for the nodes' memory (the instance type's, e.g. `1000Gi`).",
     .source = LIMITS_SOURCE},
};
static const section nodepool_limits_section = {
    "karpenter.nodepools[].limits",
    "The NodePool's resource limits (spec.limits), a cost guard: no limit unless set.",
    nodepool_limits_keys, NKEYS(nodepool_limits_keys)};

static const key nodepool_keys[] = {
    {KEY_STRING("name", offsetof(mdl_nodepool, name), 32, NULL), .doc = "The NodePool's name."},
    {.name = "arch",
     .bind = scn__bind_mask,
     .off = offsetof(mdl_nodepool, arch),
     .def = "[arm64, amd64]",
     .type = "list",
     .min = 1,
     .max = 0,
     .range = "arm64, amd64",
     .choices = scn__arch_names,
     .doc = "kubernetes.io/arch values it may launch."},
    {.name = "families",
     .bind = scn__bind_families,
     .off = offsetof(mdl_nodepool, families),
     .def = NULL,
     .type = "list",
     .min = 1,
     .max = 0,
     .doc = "karpenter.k8s.aws/instance-family values it may launch (from the pricing file).",
     .count_off = offsetof(mdl_nodepool, nfamilies)},
    {.name = "capacity",
     .bind = scn__bind_mask,
     .off = offsetof(mdl_nodepool, capacity),
     .def = "[spot, on-demand]",
     .type = "list",
     .min = 1,
     .max = 0,
     .range = "spot, on-demand",
     .choices = capacity_names,
     .doc = "karpenter.sh/capacity-type values; with both, Spot first and On-Demand when "
            "Spot is unavailable.",
     .source = "seed §5.2: Spot -> On-Demand"},
    {KEY_INT("weight", offsetof(mdl_nodepool, weight), "0", 0, 100, "0..100"),
     .doc = "Higher-weight pools are tried first.", .source = "NodePool spec.weight"},
    {KEY_ENUM("consolidation", offsetof(mdl_nodepool, consolidation), "when_empty_or_underutilized",
              consolidation_names, "when_empty, when_empty_or_underutilized"),
     .doc = "consolidationPolicy.", .source = "Karpenter v1 default WhenEmptyOrUnderutilized"},
    {.name = "consolidate_after",
     .bind = bind_duration_or_never,
     .off = offsetof(mdl_nodepool, consolidate_after),
     .def = "0s",
     .type = "duration",
     .min = 0,
     .max = 1e18,
     .range = ">= 0s, or never",
     .doc = "How long a node must go without pod changes before it may be consolidated.",
     .source = "Karpenter v1 default 0s (behaviour.md §3)"},
    {KEY_PERCENT("budget", offsetof(mdl_nodepool, budget), "10%", 0, 1, "0%..100%"),
     .doc = "Disruption budget: share of the pool's nodes disrupted at once.",
     .source = "Karpenter v1 default nodes: 10%"},
    {KEY_SECTION("limits", &nodepool_limits_section),
     .doc = "spec.limits: the most vCPUs and memory its nodes may have (default: none)."},
};
static const section nodepool_section = {"karpenter.nodepools[]", "One Karpenter NodePool.",
                                         nodepool_keys, NKEYS(nodepool_keys)};

static const key karpenter_keys[] = {
    {KEY_DURATION("batch_idle", OFF(cluster.batch_idle), "1s", 0, 600e9, "0s..10m"),
     .doc = "A batch of pending pods closes after this long without a new one.",
     .source = "Karpenter BATCH_IDLE_DURATION 1 s (behaviour.md §3)"},
    {KEY_DURATION("batch_max", OFF(cluster.batch_max), "10s", 0, 600e9, "0s..10m"),
     .doc = "A batch closes at the latest this long after it opened.",
     .source = "Karpenter BATCH_MAX_DURATION 10 s"},
    {.name = "launch",
     .bind = scn__bind_dist,
     .off = OFF(cluster.launch),
     .def = "{dist: triangular, min: 35s, mode: 55s, max: 100s}",
     .type = "distribution",
     .doc = "From the NodeClaim to a Ready node.",
     .source = "behaviour.md §3: maintainers' 30–40 s, users' 80–100 s (EST)"},
    {KEY_DURATION("disruption_period", OFF(cluster.disruption_period), "10s", 1e9, 600e9,
                  "1s..10m"),
     .doc = "How often Karpenter looks for nodes to consolidate.",
     .source = "kubernetes-sigs/karpenter disruption controller polling period 10 s (from "
               "memory, unverified)"},
    {.name = "nodepools",
     .bind = scn__bind_list,
     .off = OFF(cluster.pools),
     .size = sizeof(mdl_nodepool),
     .def = "[{name: general-arm64, arch: [arm64], families: [t4g, m7g, c7g, r7g]}, "
            "{name: general-x86, arch: [amd64], families: [t3, m7i, c7i]}, "
            "{name: memory-optimized, arch: [arm64, amd64], families: [r7g]}]",
     .type = "list",
     .min = 1,
     .max = MDL_MAX_POOLS,
     .sub = &nodepool_section,
     .doc = "The NodePools.",
     .source = "seed §5.2 NodePool table",
     .count_off = OFF(cluster.npools)},
};
const section scn__karpenter_section = {"karpenter", "Karpenter (the node autoscaler).",
                                        karpenter_keys, NKEYS(karpenter_keys)};

/* ---------------------------------------------------------------- spot
 * EC2 Spot.
 */

/* spot.discount overrides the pricing file's default for every type; bound into a scratch
 * field and applied in scn_bind once the pricing file is read. */
static const key spot_keys[] = {
    {KEY_PERCENT("discount", OFF(cluster.spot_discount_override),
                 "(the pricing file's default_discount)", 0, 1, "0%..100%"),
     .doc = "Spot price as a discount off On-Demand, for every type."},
    {.name = "interruption_rate",
     .bind = scn__bind_monthly_share,
     .off = OFF(cluster.spot_interruption_rate),
     .def = "5%",
     .type = "percent",
     .min = 0,
     .max = 0.999,
     .range = "0%..99.9%",
     .doc = "Share of Spot nodes interrupted within a month (the Spot Instance Advisor's "
            "frequency of interruption), as a constant hazard per node.",
     .source = "AWS Spot Instance Advisor: historically < 5% (behaviour.md §4)"},
    {KEY_DURATION("notice", OFF(cluster.spot_notice), "2m", 0, 3600e9, "0s..1h"),
     .doc = "Interruption warning before the instance stops.",
     .source = "EC2 user guide: 2-minute notice"},
};
const section scn__spot_section = {"spot", "EC2 Spot.", spot_keys, NKEYS(spot_keys)};
