/*
 * kubernetes.c — the API's Kubernetes v1.30 objects from the typed scenario: what the engine
 * played, field by field (docs/emit.md gives each field's origin). Shapes follow the seed's
 * §5.3 Deployment and HPA; what the model does not play (the liveness probe, the image, the
 * account's ARNs) is either Kubernetes' documented default or a ${PARAMETER} the user fills.
 */
#include "emit/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whole seconds of a duration, rounded up so a timeout is never emitted shorter than what
 * was simulated (the Kubernetes and ALB fields take whole seconds). */
long long emit__secs(sim_time t)
{
    if (t <= 0)
        return 0;
    return (long long)((t + SIM_SEC - 1) / SIM_SEC);
}

/* A CPU quantity in millicores, as Kubernetes writes them ("250m", or "2" for whole cores). */
json_t *emit__cpu(int64_t millicores)
{
    char b[32];
    if (millicores % 1000 == 0)
        snprintf(b, sizeof b, "%lld", (long long)(millicores / 1000));
    else
        snprintf(b, sizeof b, "%lldm", (long long)millicores);
    return json_string(b);
}

/* A memory quantity in bytes, in the largest binary unit that divides it ("256Mi"). */
json_t *emit__memory(int64_t bytes)
{
    static const char *const unit[] = {"", "Ki", "Mi", "Gi", "Ti"};
    int u = 0;
    while (u < 4 && bytes != 0 && bytes % 1024 == 0) {
        bytes /= 1024;
        u++;
    }
    char b[40];
    snprintf(b, sizeof b, "%lld%s", (long long)bytes, unit[u]);
    return json_string(b);
}

/* A share as an IntOrString percentage ("25%"), rounded to a whole percent. */
static json_t *percent(double share)
{
    char b[16];
    snprintf(b, sizeof b, "%d%%", (int)lround(share * 100.0));
    return json_string(b);
}

json_t *emit__meta(const emit_input *in, const char *name, const char *component)
{
    json_t *ann = json_object();
    json_object_set_new(ann, EMIT_ANN_SHA, json_string(in->sha256));
    if (in->run_id > 0) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)in->run_id);
        json_object_set_new(ann, EMIT_ANN_RUN, json_string(id));
    }
    json_object_set_new(ann, EMIT_ANN_VERSION, json_string(SIMULATE_VERSION));
    json_object_set_new(ann, EMIT_ANN_SCENARIO, json_string(in->s->name));
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o}", "name", name, "labels", "app", EMIT_APP,
                     "app.kubernetes.io/component", component, "app.kubernetes.io/managed-by",
                     "simulate", "annotations", ann);
}

static json_t *head(const char *api, const char *kind, json_t *meta)
{
    return json_pack("{s:s, s:s, s:o}", "apiVersion", api, "kind", kind, "metadata", meta);
}

/* The rolling update the run played: the first rolling deploy event's surge and
 * unavailability, else the Deployment's defaults (25% and 25%, Kubernetes "Deployments",
 * "Rolling Update Deployment"), which the model uses too (src/io/keys/failures.c). */
void emit__rolling(const mdl_scenario *s, double *surge, double *unavailable)
{
    *surge = 0.25;
    *unavailable = 0.25;
    for (size_t i = 0; i < s->nevents; i++)
        if (s->events[i].type == MDL_EVENT_DEPLOY && s->events[i].strategy == MDL_DEPLOY_ROLLING) {
            *surge = s->events[i].max_surge;
            *unavailable = s->events[i].max_unavailable;
            return;
        }
}

/* Whether any NodePool offers Spot: the toleration only matters (and is only emitted) then. */
static bool pools_offer_spot(const mdl_scenario *s)
{
    for (size_t i = 0; i < s->cluster.npools; i++)
        if (s->cluster.pools[i].capacity & MDL_CAP_SPOT)
            return true;
    return false;
}

static json_t *arch_list(int mask)
{
    json_t *a = json_array();
    if (mask & MDL_ARCH_AMD64)
        json_array_append_new(a, json_string("amd64"));
    if (mask & MDL_ARCH_ARM64)
        json_array_append_new(a, json_string("arm64"));
    return a;
}

json_t *emit__arch_list(int mask)
{
    return arch_list(mask);
}

/* The restricted security posture (Pod Security Standards, "Restricted" profile). */
static json_t *container_security(void)
{
    return json_pack("{s:b, s:b, s:b, s:{s:[s]}, s:{s:s}}", "allowPrivilegeEscalation", 0,
                     "readOnlyRootFilesystem", 1, "runAsNonRoot", 1, "capabilities", "drop", "ALL",
                     "seccompProfile", "type", "RuntimeDefault");
}

static json_t *probe(const char *path, long long initial, long long period, int success,
                     int failure)
{
    return json_pack("{s:{s:s, s:s}, s:I, s:I, s:I, s:i, s:i}", "httpGet", "path", path, "port",
                     "http", "initialDelaySeconds", (json_int_t)initial, "periodSeconds",
                     (json_int_t)(period < 1 ? 1 : period), "timeoutSeconds", (json_int_t)1,
                     "successThreshold", success, "failureThreshold", failure);
}

static json_t *api_container(const mdl_scenario *s)
{
    const mdl_api_config *a = &s->api;
    char workers[16], backlog[16], timeout[24];
    snprintf(workers, sizeof workers, "%d", a->workers);
    snprintf(backlog, sizeof backlog, "%d", a->backlog);
    /* gunicorn --timeout 0 disables the worker timeout, as the model's 0 does */
    snprintf(timeout, sizeof timeout, "%lld", emit__secs(a->timeout));
    json_t *args = json_pack("[s, s, s, s, s, s, s, s, s]", "--bind", "0.0.0.0:8080", "--workers",
                             workers, "--backlog", backlog, "--timeout", timeout, "app:app");
    json_t *env = json_array();
    if (s->db.enabled) {
        /* through PgBouncer when there is one: the sidecar on loopback, or the central
         * Service; else the database endpoint itself (a parameter) */
        const char *host = s->pgbouncer.mode == MDL_PGB_PER_POD   ? "127.0.0.1"
                           : s->pgbouncer.mode == MDL_PGB_CENTRAL ? EMIT_PGB_NAME
                                                                  : "${DB_ENDPOINT}";
        const char *port = s->pgbouncer.mode == MDL_PGB_NONE ? "5432" : "6432";
        json_array_append_new(env, json_pack("{s:s, s:s}", "name", "DB_HOST", "value", host));
        json_array_append_new(env, json_pack("{s:s, s:s}", "name", "DB_PORT", "value", port));
        json_array_append_new(env, json_pack("{s:s, s:{s:{s:s, s:s}}}", "name", "DB_PASSWORD",
                                             "valueFrom", "secretKeyRef", "name", "db-credentials",
                                             "key", "password"));
    }
    if (s->redis.enabled)
        json_array_append_new(env, json_pack("{s:s, s:{s:{s:s, s:s}}}", "name", "REDIS_AUTH",
                                             "valueFrom", "secretKeyRef", "name",
                                             "redis-credentials", "key", "auth-token"));
    /* the liveness probe is not simulated: Kubernetes' defaults (period 10 s, 3 failures,
     * core/v1 Probe) after the readiness probe's initial delay */
    const mdl_probe *r = &a->readiness;
    json_t *c = json_pack(
        "{s:s, s:s, s:[s], s:o, s:[{s:s, s:i, s:s}], s:o, s:{s:{s:o, s:o}, s:{s:o, s:o}}, "
        "s:o, s:o, s:o, s:[{s:s, s:s}]}",
        "name", EMIT_APP, "image", "${API_IMAGE}", "command", "gunicorn", "args", args, "ports",
        "name", "http", "containerPort", 8080, "protocol", "TCP", "env", env, "resources",
        "requests", "cpu", emit__cpu(a->cpu_request), "memory", emit__memory(a->memory_request),
        "limits", "cpu", emit__cpu(a->cpu_limit), "memory", emit__memory(a->memory_limit),
        "readinessProbe",
        probe("/ready", emit__secs(r->initial_delay), emit__secs(r->period), r->success_threshold,
              r->failure_threshold),
        "livenessProbe", probe("/health", emit__secs(r->initial_delay), 10, 1, 3),
        "securityContext", container_security(), "volumeMounts", "name", "tmp", "mountPath",
        "/tmp");
    return c;
}

/* PgBouncer beside each API pod (seed §6.5 "PgBouncer in EKS ... per app pod"). Its resources
 * are not simulated (the model gives PgBouncer no CPU): requests and limits are PgBouncer's
 * one core at most (it is single-threaded, pgbouncer.org/usage.html) and a small memory. */
json_t *emit__pgbouncer_container(void)
{
    return json_pack("{s:s, s:s, s:[s], s:[{s:s, s:i, s:s}], s:{s:{s:o, s:o}, s:{s:o, s:o}}, "
                     "s:{s:{s:i}, s:i}, s:{s:{s:i}, s:i}, s:o, s:[{s:s, s:s, s:b}, {s:s, s:s, "
                     "s:b}, {s:s, s:s}]}",
                     "name", EMIT_PGB_NAME, "image", "${PGBOUNCER_IMAGE}", "args",
                     "/etc/pgbouncer/pgbouncer.ini", "ports", "name", "pgbouncer", "containerPort",
                     6432, "protocol", "TCP", "resources", "requests", "cpu", emit__cpu(100),
                     "memory", emit__memory(64LL << 20), "limits", "cpu", emit__cpu(1000), "memory",
                     emit__memory(128LL << 20), "readinessProbe", "tcpSocket", "port", 6432,
                     "periodSeconds", 5, "livenessProbe", "tcpSocket", "port", 6432,
                     "periodSeconds", 10, "securityContext", container_security(), "volumeMounts",
                     "name", "pgbouncer-ini", "mountPath", "/etc/pgbouncer", "readOnly", 1, "name",
                     "pgbouncer-auth", "mountPath", "/etc/pgbouncer-auth", "readOnly", 1, "name",
                     "tmp", "mountPath", "/tmp");
}

static json_t *pod_security(void)
{
    /* uid 1000: the seed's Dockerfile's `adduser appuser` (§5.4), Debian's first user id;
     * numeric so the kubelet can verify runAsNonRoot */
    return json_pack("{s:b, s:i, s:i, s:{s:s}}", "runAsNonRoot", 1, "runAsUser", 1000, "runAsGroup",
                     1000, "seccompProfile", "type", "RuntimeDefault");
}

json_t *emit__pod_spec(const emit_input *in, json_t *containers, bool api)
{
    const mdl_scenario *s = in->s;
    json_t *spec = json_object();
    json_object_set_new(spec, "serviceAccountName", json_string(EMIT_APP));
    json_object_set_new(spec, "automountServiceAccountToken", json_false());
    json_object_set_new(spec, "terminationGracePeriodSeconds",
                        json_integer(emit__secs(s->api.termination_grace)));
    json_object_set_new(spec, "securityContext", pod_security());
    /* the seed's §5.3 nodeSelector for one architecture; node affinity for several */
    int arch = api ? s->api.arch : (MDL_ARCH_AMD64 | MDL_ARCH_ARM64);
    if (arch == MDL_ARCH_ARM64 || arch == MDL_ARCH_AMD64)
        json_object_set_new(
            spec, "nodeSelector",
            json_pack("{s:s}", "kubernetes.io/arch", arch == MDL_ARCH_ARM64 ? "arm64" : "amd64"));
    else
        json_object_set_new(spec, "affinity",
                            json_pack("{s:{s:{s:[{s:[{s:s, s:s, s:o}]}]}}}", "nodeAffinity",
                                      "requiredDuringSchedulingIgnoredDuringExecution",
                                      "nodeSelectorTerms", "matchExpressions", "key",
                                      "kubernetes.io/arch", "operator", "In", "values",
                                      arch_list(arch)));
    if (s->api.spot_ok && pools_offer_spot(s))
        json_object_set_new(spec, "tolerations",
                            json_pack("[{s:s, s:s, s:s}]", "key", "karpenter.sh/capacity-type",
                                      "operator", "Equal", "value", "spot"));
    /* the model spreads nodes over MDL_AZS zones in turn; the pods follow them */
    json_object_set_new(spec, "topologySpreadConstraints",
                        json_pack("[{s:i, s:s, s:s, s:{s:{s:s}}}]", "maxSkew", 1, "topologyKey",
                                  "topology.kubernetes.io/zone", "whenUnsatisfiable",
                                  "ScheduleAnyway", "labelSelector", "matchLabels", "app",
                                  api ? EMIT_APP : EMIT_PGB_NAME));
    json_object_set_new(spec, "containers", containers);
    json_t *vols = json_pack("[{s:s, s:{}}]", "name", "tmp", "emptyDir");
    if (s->pgbouncer.mode == MDL_PGB_PER_POD || !api) {
        /* the ini from its ConfigMap; the users' SCRAM secrets only by reference */
        json_array_append_new(vols, json_pack("{s:s, s:{s:s}}", "name", "pgbouncer-ini",
                                              "configMap", "name", EMIT_PGB_NAME));
        json_array_append_new(vols, json_pack("{s:s, s:{s:s}}", "name", "pgbouncer-auth", "secret",
                                              "secretName", "pgbouncer-userlist"));
    }
    json_object_set_new(spec, "volumes", vols);
    return spec;
}

static json_t *deployment(const emit_input *in)
{
    const mdl_scenario *s = in->s;
    double surge, unavailable;
    emit__rolling(s, &surge, &unavailable);
    json_t *containers = json_array();
    json_array_append_new(containers, api_container(s));
    if (s->pgbouncer.mode == MDL_PGB_PER_POD && s->db.enabled)
        json_array_append_new(containers, emit__pgbouncer_container());
    json_t *d = head("apps/v1", "Deployment", emit__meta(in, EMIT_APP, "api"));
    json_object_set_new(d, "spec",
                        json_pack("{s:i, s:{s:{s:s}}, s:{s:s, s:{s:o, s:o}}, s:{s:{s:{s:s}}, s:o}}",
                                  "replicas", s->api.replicas, "selector", "matchLabels", "app",
                                  EMIT_APP, "strategy", "type", "RollingUpdate", "rollingUpdate",
                                  "maxSurge", percent(surge), "maxUnavailable",
                                  percent(unavailable), "template", "metadata", "labels", "app",
                                  EMIT_APP, "spec", emit__pod_spec(in, containers, true)));
    return d;
}

static json_t *service(const emit_input *in)
{
    json_t *o = head("v1", "Service", emit__meta(in, EMIT_APP, "api"));
    json_object_set_new(o, "spec",
                        json_pack("{s:s, s:{s:s}, s:[{s:s, s:i, s:s, s:s}]}", "type", "ClusterIP",
                                  "selector", "app", EMIT_APP, "ports", "name", "http", "port", 80,
                                  "targetPort", "http", "protocol", "TCP"));
    return o;
}

/* The AWS Load Balancer Controller's annotations (kubernetes-sigs/aws-load-balancer-controller
 * docs, "Ingress annotations"), with the ALB model's figures. */
static json_t *ingress(const emit_input *in)
{
    const mdl_alb_config *a = &in->s->alb;
    json_t *meta = emit__meta(in, EMIT_APP, "api");
    json_t *ann = json_object_get(meta, "annotations");
    char b[160];
    json_object_set_new(ann, "alb.ingress.kubernetes.io/scheme", json_string("internet-facing"));
    json_object_set_new(ann, "alb.ingress.kubernetes.io/target-type", json_string("ip"));
    json_object_set_new(ann, "alb.ingress.kubernetes.io/certificate-arn",
                        json_string("${ACM_CERTIFICATE_ARN}"));
    json_object_set_new(ann, "alb.ingress.kubernetes.io/listen-ports",
                        json_string("[{\"HTTPS\":443}]"));
    json_object_set_new(ann, "alb.ingress.kubernetes.io/healthcheck-path", json_string("/ready"));
    snprintf(b, sizeof b, "%lld", emit__secs(a->hc_interval));
    json_object_set_new(ann, "alb.ingress.kubernetes.io/healthcheck-interval-seconds",
                        json_string(b));
    snprintf(b, sizeof b, "%d", a->hc_healthy);
    json_object_set_new(ann, "alb.ingress.kubernetes.io/healthy-threshold-count", json_string(b));
    snprintf(b, sizeof b, "%d", a->hc_unhealthy);
    json_object_set_new(ann, "alb.ingress.kubernetes.io/unhealthy-threshold-count", json_string(b));
    snprintf(
        b, sizeof b, "deregistration_delay.timeout_seconds=%lld,load_balancing.algorithm.type=%s",
        emit__secs(a->deregistration_delay),
        a->algorithm == MDL_ALB_LEAST_OUTSTANDING ? "least_outstanding_requests" : "round_robin");
    json_object_set_new(ann, "alb.ingress.kubernetes.io/target-group-attributes", json_string(b));
    /* the ALB's idle timeout: 1 to 4000 s (ELB user guide); the model's 0 (none) as the most */
    snprintf(b, sizeof b, "idle_timeout.timeout_seconds=%lld",
             a->idle_timeout > 0 ? emit__secs(a->idle_timeout) : 4000);
    json_object_set_new(ann, "alb.ingress.kubernetes.io/load-balancer-attributes", json_string(b));
    json_t *o = head("networking.k8s.io/v1", "Ingress", meta);
    json_object_set_new(o, "spec",
                        json_pack("{s:s, s:[{s:{s:[{s:s, s:s, s:{s:{s:s, s:{s:s}}}}]}}]}",
                                  "ingressClassName", "alb", "rules", "http", "paths", "path",
                                  "/api", "pathType", "Prefix", "backend", "service", "name",
                                  EMIT_APP, "port", "name", "http"));
    return o;
}

static json_t *hpa_rules(const mdl_hpa_rules *r)
{
    json_t *pol = json_array();
    for (int i = 0; i < r->npolicies; i++)
        json_array_append_new(pol,
                              json_pack("{s:s, s:i, s:I}", "type",
                                        r->policies[i].type == MDL_HPA_PODS ? "Pods" : "Percent",
                                        "value", r->policies[i].value, "periodSeconds",
                                        (json_int_t)emit__secs(r->policies[i].period)));
    const char *sel = r->select == MDL_HPA_SELECT_MIN ? "Min"
                      : r->select == MDL_HPA_DISABLED ? "Disabled"
                                                      : "Max";
    json_t *o = json_pack("{s:I, s:s}", "stabilizationWindowSeconds",
                          (json_int_t)emit__secs(r->stabilization), "selectPolicy", sel);
    if (r->npolicies > 0)
        json_object_set_new(o, "policies", pol);
    else
        json_decref(pol);
    return o;
}

static json_t *hpa(const emit_input *in)
{
    const mdl_hpa_config *h = &in->s->hpa;
    json_t *metrics = json_array();
    if (h->cpu_target > 0)
        json_array_append_new(metrics,
                              json_pack("{s:s, s:{s:s, s:{s:s, s:i}}}", "type", "Resource",
                                        "resource", "name", "cpu", "target", "type", "Utilization",
                                        "averageUtilization", h->cpu_target));
    if (h->memory_target > 0)
        json_array_append_new(metrics,
                              json_pack("{s:s, s:{s:s, s:{s:s, s:i}}}", "type", "Resource",
                                        "resource", "name", "memory", "target", "type",
                                        "Utilization", "averageUtilization", h->memory_target));
    json_t *o = head("autoscaling/v2", "HorizontalPodAutoscaler", emit__meta(in, EMIT_APP, "api"));
    json_object_set_new(o, "spec",
                        json_pack("{s:{s:s, s:s, s:s}, s:i, s:i, s:o, s:{s:o, s:o}}",
                                  "scaleTargetRef", "apiVersion", "apps/v1", "kind", "Deployment",
                                  "name", EMIT_APP, "minReplicas", h->min_replicas, "maxReplicas",
                                  h->max_replicas, "metrics", metrics, "behavior", "scaleUp",
                                  hpa_rules(&h->up), "scaleDown", hpa_rules(&h->down)));
    return o;
}

/* The fewest pods the API runs with: the HPA's minimum, else the fixed replicas. */
int emit__min_pods(const mdl_scenario *s)
{
    return s->hpa.enabled ? s->hpa.min_replicas : s->api.replicas;
}

/* maxUnavailable of the PDB: the rolling update's unavailability at the fewest pods (what the
 * run's deploys took down at once), at least 1 so that Karpenter's consolidation and Spot
 * drains, which evict one pod at a time through the eviction API, can proceed. */
int emit__pdb_max_unavailable(const mdl_scenario *s)
{
    double surge, unavailable;
    emit__rolling(s, &surge, &unavailable);
    int n = (int)floor(unavailable * emit__min_pods(s));
    return n < 1 ? 1 : n;
}

static json_t *pdb(const emit_input *in)
{
    json_t *o = head("policy/v1", "PodDisruptionBudget", emit__meta(in, EMIT_APP, "api"));
    json_object_set_new(o, "spec",
                        json_pack("{s:i, s:{s:{s:s}}}", "maxUnavailable",
                                  emit__pdb_max_unavailable(in->s), "selector", "matchLabels",
                                  "app", EMIT_APP));
    return o;
}

static json_t *service_account(const emit_input *in)
{
    json_t *meta = emit__meta(in, EMIT_APP, "api");
    /* IAM roles for service accounts (EKS user guide, "IAM roles for service accounts") */
    json_object_set_new(json_object_get(meta, "annotations"), "eks.amazonaws.com/role-arn",
                        json_string("${API_ROLE_ARN}"));
    json_t *o = head("v1", "ServiceAccount", meta);
    json_object_set_new(o, "automountServiceAccountToken", json_false());
    return o;
}

/* Ingress only from the VPC (the ALB's IP targets), egress to DNS, the database or PgBouncer,
 * Redis and HTTPS (AWS APIs, Secrets Manager) — seed §4.2's security groups, as pod policy. */
static json_t *network_policy(const emit_input *in)
{
    const mdl_scenario *s = in->s;
    json_t *egress = json_array();
    json_array_append_new(egress,
                          json_pack("{s:[{s:{s:{s:s}}}], s:[{s:s, s:i}, {s:s, s:i}]}", "to",
                                    "namespaceSelector", "matchLabels",
                                    "kubernetes.io/metadata.name", "kube-system", "ports",
                                    "protocol", "UDP", "port", 53, "protocol", "TCP", "port", 53));
    json_t *ports = json_array();
    if (s->db.enabled)
        json_array_append_new(ports, json_pack("{s:s, s:i}", "protocol", "TCP", "port", 5432));
    if (s->db.enabled && s->pgbouncer.mode == MDL_PGB_CENTRAL)
        json_array_append_new(ports, json_pack("{s:s, s:i}", "protocol", "TCP", "port", 6432));
    if (s->redis.enabled)
        json_array_append_new(ports, json_pack("{s:s, s:i}", "protocol", "TCP", "port", 6379));
    json_array_append_new(ports, json_pack("{s:s, s:i}", "protocol", "TCP", "port", 443));
    json_array_append_new(egress, json_pack("{s:[{s:{s:s}}], s:o}", "to", "ipBlock", "cidr",
                                            "${VPC_CIDR}", "ports", ports));
    json_t *o = head("networking.k8s.io/v1", "NetworkPolicy", emit__meta(in, EMIT_APP, "api"));
    json_object_set_new(
        o, "spec",
        json_pack("{s:{s:{s:s}}, s:[s, s], s:[{s:[{s:{s:s}}], s:[{s:s, s:s}]}], s:o}",
                  "podSelector", "matchLabels", "app", EMIT_APP, "policyTypes", "Ingress", "Egress",
                  "ingress", "from", "ipBlock", "cidr", "${VPC_CIDR}", "ports", "protocol", "TCP",
                  "port", "http", "egress", egress));
    return o;
}

int emit__kubernetes(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (emit__add(set, "kubernetes/serviceaccount.yaml", "serviceaccount-v1.json",
                  service_account(in)) ||
        emit__add(set, "kubernetes/deployment.yaml", "deployment-apps-v1.json", deployment(in)) ||
        emit__add(set, "kubernetes/service.yaml", "service-v1.json", service(in)) ||
        emit__add(set, "kubernetes/ingress.yaml", "ingress-networking-v1.json", ingress(in)) ||
        emit__add(set, "kubernetes/poddisruptionbudget.yaml", "poddisruptionbudget-policy-v1.json",
                  pdb(in)) ||
        emit__add(set, "kubernetes/networkpolicy.yaml", "networkpolicy-networking-v1.json",
                  network_policy(in)))
        return BASE_ENOMEM;
    if (s->hpa.enabled && emit__add(set, "kubernetes/horizontalpodautoscaler.yaml",
                                    "horizontalpodautoscaler-autoscaling-v2.json", hpa(in)))
        return BASE_ENOMEM;
    return BASE_OK;
}
