/*
 * keys/nodes.c — the scenario keys of nodes: the system node group and the per-node overhead.
 */
#include "io/keys/keys.h"

static const key system_keys[] = {
    {.name = "instance",
     .bind = scn__bind_string,
     .off = OFF(cluster.system_type),
     .size = 24,
     .def = "t3.medium",
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "Instance type of the system node group.",
     .source = "seed §5.2: t3.medium"},
    {.name = "count",
     .bind = scn__bind_int,
     .off = OFF(cluster.system_nodes),
     .def = "2",
     .type = "integer",
     .min = 0,
     .max = 100,
     .range = "0..100",
     .doc = "Its nodes (On-Demand, fixed, never used by the API's pods).",
     .source = "seed §5.2: 2–3 nodes (§10.2 prices 2)"},
};
static const section system_section = {"nodes.system", "The system node group.", system_keys,
                                       NKEYS(system_keys)};
static const key daemonset_keys[] = {
    {.name = "cpu",
     .bind = scn__bind_cpu,
     .off = OFF(cluster.daemonset_cpu),
     .def = "125m",
     .type = "cpu",
     .min = 0,
     .max = 1e6,
     .range = ">= 0",
     .doc = "DaemonSet CPU requests on every node.",
     .source = "aws-node 25m (amazon-vpc-cni-k8s aws-k8s-cni.yaml) + kube-proxy 100m (EKS "
               "add-on, from memory)"},
    {.name = "memory",
     .bind = scn__bind_memory,
     .off = OFF(cluster.daemonset_memory),
     .def = "0",
     .type = "memory",
     .min = 0,
     .max = 1e15,
     .range = ">= 0",
     .doc = "DaemonSet memory requests on every node.",
     .source = "aws-node and kube-proxy request no memory"},
};
static const section daemonset_section = {"nodes.daemonset", "Per-node overhead.", daemonset_keys,
                                          NKEYS(daemonset_keys)};
static const key nodes_keys[] = {
    {.name = "enabled",
     .bind = scn__bind_bool,
     .off = OFF(cluster.enabled),
     .def = "false",
     .type = "boolean",
     .min = 1,
     .max = 0,
     .doc = "Model nodes, scheduling and Karpenter; false: pods need no node and start Ready "
            "(the queueing-theory checks)."},
    {.name = "system",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &system_section,
     .doc = "The system node group."},
    {.name = "daemonset",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &daemonset_section,
     .doc = "DaemonSet overhead per node."},
    {.name = "unreachable_grace",
     .bind = scn__bind_duration,
     .off = OFF(cluster.unreachable_grace),
     .def = "50s",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "A node lost without notice (its AZ, node_loss) is marked unreachable after this "
            "long without a status from its kubelet; its pods are still counted meanwhile.",
     .source = "kube-controller-manager --node-monitor-grace-period: 50 s since Kubernetes "
               "1.32 (kubernetes/kubernetes#127352), 40 s before"},
    {.name = "unreachable_toleration",
     .bind = scn__bind_duration,
     .off = OFF(cluster.unreachable_toleration),
     .def = "300s",
     .type = "duration",
     .min = 0,
     .max = 86400e9,
     .range = "0s..1d",
     .doc = "Then its pods tolerate the unreachable taint this long before they are deleted and "
            "the Deployment replaces them elsewhere.",
     .source = "kube-apiserver --default-unreachable-toleration-seconds 300 (DefaultToleration"
               "Seconds admission plugin); Karpenter's node repair, which would act sooner, is "
               "off by default"},
};
const section scn__nodes_section = {"nodes", "The cluster's nodes.", nodes_keys, NKEYS(nodes_keys)};
