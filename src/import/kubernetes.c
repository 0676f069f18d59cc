/*
 * kubernetes.c — the API's Kubernetes objects and Karpenter's NodePools mapped back onto
 * scenario keys (docs/emit.md, "simulate import"): the inverse of src/emit/kubernetes.c and
 * karpenter.c, reading what a team's own manifests may also hold. A field the manifest leaves
 * out takes the Kubernetes default (core/v1, apps/v1 and autoscaling/v2 API reference), as the
 * cluster would; what no scenario key holds is a note.
 */
#include "import/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "io/io.h"

static const char *kind_of(const json_t *o)
{
    const char *k = json_string_value(json_object_get(o, "kind"));
    return k ? k : "";
}

static const char *name_of(const json_t *o)
{
    const char *n = json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
    return n ? n : "";
}

static json_t *path(json_t *o, const char *a, const char *b, const char *c)
{
    o = json_object_get(o, a);
    if (o && b)
        o = json_object_get(o, b);
    if (o && c)
        o = json_object_get(o, c);
    return o;
}

/* A Kubernetes quantity or number as text: "250m", 2 -> "2", 0.5 -> "0.5". */
static int text_of(const json_t *v, char *b, size_t n)
{
    if (json_is_string(v))
        snprintf(b, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(b, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(b, n, "%.15g", json_real_value(v));
    else
        return -1;
    return 0;
}

/* A whole number from an integer or a numeric string (annotations are strings). */
static int whole(const json_t *v, long long *out)
{
    char b[64], *end;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v) || text_of(v, b, sizeof b))
        return -1;
    *out = strtoll(b, &end, 10);
    return end == b || *end ? -1 : 0;
}

static int put_int(imp_ctx *c, const char *key, long long v)
{
    return imp__put(c, key, json_integer(v));
}

static int put_text(imp_ctx *c, const char *key, const char *text)
{
    return imp__put(c, key, emit_scalar_json(text, 1));
}

/* A field in seconds (an integer); def when absent. A value that is not a whole number of
 * seconds >= 0 is a note and the key is left alone. */
static int secs_field(imp_ctx *c, const char *file, const char *what, const json_t *v,
                      long long def, const char *key)
{
    long long s = def;
    if (v && (whole(v, &s) || s < 0))
        return imp__note(c, file, "%s: not a whole number of seconds: %s not set", what, key);
    return imp__put_secs(c, key, (double)s, -1);
}

/* ---------------------------------------------------------------- the API Deployment */

/* gunicorn's options in the command line (docs.gunicorn.org settings: -w/--workers,
 * --backlog, -t/--timeout), or its defaults (1 worker, backlog 2048, timeout 30 s). */
static int gunicorn(imp_ctx *c, const char *file, const json_t *ctr)
{
    const char *words[64];
    size_t n = 0;
    const json_t *lists[2] = {json_object_get(ctr, "command"), json_object_get(ctr, "args")};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *w;
        json_array_foreach(lists[l], i, w) if (json_is_string(w) && n < 64) words[n++] =
            json_string_value(w);
    }
    bool is_gunicorn = false;
    for (size_t i = 0; i < n; i++)
        if (strstr(words[i], "gunicorn"))
            is_gunicorn = true;
    if (!is_gunicorn)
        return imp__note(c, file,
                         "the API container's command is not gunicorn: api.workers, api.backlog "
                         "and api.timeout not set");
    long long workers = 1, backlog = 2048, timeout = 30;
    static const struct {
        const char *shrt, *lng;
    } opt[3] = {{"-w", "--workers"}, {NULL, "--backlog"}, {"-t", "--timeout"}};
    long long *dst[3] = {&workers, &backlog, &timeout};
    for (size_t i = 0; i < n; i++)
        for (int o = 0; o < 3; o++) {
            const char *val = NULL;
            size_t ln = strlen(opt[o].lng);
            if ((opt[o].shrt && !strcmp(words[i], opt[o].shrt)) || !strcmp(words[i], opt[o].lng))
                val = i + 1 < n ? words[i + 1] : NULL;
            else if (!strncmp(words[i], opt[o].lng, ln) && words[i][ln] == '=')
                val = words[i] + ln + 1;
            if (!val)
                continue;
            char *end;
            long long v = strtoll(val, &end, 10);
            if (end == val || *end || v < 0)
                return imp__note(c, file, "gunicorn %s '%s' is not a whole number: ignored",
                                 opt[o].lng, val);
            *dst[o] = v;
        }
    int st = put_int(c, "api.workers", workers);
    if (!st)
        st = put_int(c, "api.backlog", backlog);
    if (!st)
        st = imp__put_secs(c, "api.timeout", (double)timeout, -1);
    return st;
}

static int resources(imp_ctx *c, const char *file, const json_t *ctr)
{
    static const char *const kinds[2] = {"requests", "limits"};
    static const char *const what[2] = {"cpu", "memory"};
    for (int k = 0; k < 2; k++)
        for (int w = 0; w < 2; w++) {
            json_t *v = path((json_t *)ctr, "resources", kinds[k], what[w]);
            char text[64], key[64];
            snprintf(key, sizeof key, "api.resources.%s.%s", kinds[k], what[w]);
            base_err e;
            int64_t q;
            if (!v) {
                int st =
                    imp__note(c, file, "no resources.%s.%s: %s not set", kinds[k], what[w], key);
                if (st)
                    return st;
                continue;
            }
            if (text_of(v, text, sizeof text) ||
                (w == 0 ? scn_parse_cpu(text, &q, &e) : scn_parse_memory(text, &q, &e))) {
                int st = imp__note(c, file,
                                   "resources.%s.%s '%s' is not a quantity simulate "
                                   "reads: %s not set",
                                   kinds[k], what[w], text, key);
                if (st)
                    return st;
                continue;
            }
            /* the carried text when it is the same quantity ("1000m" against "1") */
            json_t *cv = imp__carried(c, key);
            char have[64];
            int64_t q2;
            int st;
            if (cv && !text_of(cv, have, sizeof have) &&
                (w == 0 ? scn_parse_cpu(have, &q2, &e) : scn_parse_memory(have, &q2, &e)) == 0 &&
                q2 == q)
                st = imp__put(c, key, json_deep_copy(cv));
            else
                st = put_text(c, key, text);
            if (st)
                return st;
        }
    return BASE_OK;
}

/* readinessProbe: core/v1 Probe defaults (initialDelaySeconds 0, periodSeconds 10,
 * successThreshold 1, failureThreshold 3) for what it leaves out. */
static int readiness(imp_ctx *c, const char *file, const json_t *ctr)
{
    const json_t *p = json_object_get(ctr, "readinessProbe");
    if (!p)
        return imp__note(c, file, "no readinessProbe: api.readiness_probe not set");
    int st = secs_field(c, file, "readinessProbe.initialDelaySeconds",
                        json_object_get(p, "initialDelaySeconds"), 0,
                        "api.readiness_probe.initial_delay");
    if (!st)
        st = secs_field(c, file, "readinessProbe.periodSeconds",
                        json_object_get(p, "periodSeconds"), 10, "api.readiness_probe.period");
    static const char *const f[2][2] = {
        {"successThreshold", "api.readiness_probe.success_threshold"},
        {"failureThreshold", "api.readiness_probe.failure_threshold"}};
    long long def[2] = {1, 3};
    for (int i = 0; i < 2 && !st; i++) {
        long long v = def[i];
        json_t *x = json_object_get(p, f[i][0]);
        if (x && whole(x, &v))
            st = imp__note(c, file, "readinessProbe.%s is not a whole number: %s not set", f[i][0],
                           f[i][1]);
        else
            st = put_int(c, f[i][1], v);
    }
    return st;
}

/* kubernetes.io/arch from the nodeSelector, or a required node affinity's In values. */
static int arch(imp_ctx *c, const json_t *pod)
{
    const char *sel =
        json_string_value(path((json_t *)pod, "nodeSelector", "kubernetes.io/arch", NULL));
    bool amd = false, arm = false;
    if (sel) {
        amd = !strcmp(sel, "amd64");
        arm = !strcmp(sel, "arm64");
    } else {
        json_t *terms = path((json_t *)pod, "affinity", "nodeAffinity",
                             "requiredDuringSchedulingIgnoredDuringExecution");
        terms = json_object_get(terms, "nodeSelectorTerms");
        size_t i, j, k;
        json_t *t, *e, *v;
        json_array_foreach(terms, i, t)
            json_array_foreach(json_object_get(t, "matchExpressions"), j, e)
        {
            const char *key = json_string_value(json_object_get(e, "key"));
            const char *op = json_string_value(json_object_get(e, "operator"));
            if (!key || strcmp(key, "kubernetes.io/arch") || !op || strcmp(op, "In"))
                continue;
            json_array_foreach(json_object_get(e, "values"), k, v)
            {
                const char *a = json_string_value(v);
                amd |= a && !strcmp(a, "amd64");
                arm |= a && !strcmp(a, "arm64");
            }
        }
    }
    return put_text(c, "api.node_selector", amd == arm ? "any" : amd ? "amd64" : "arm64");
}

static bool tolerates_spot(const json_t *pod)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(pod, "tolerations"), i, t)
    {
        const char *key = json_string_value(json_object_get(t, "key"));
        const char *op = json_string_value(json_object_get(t, "operator"));
        const char *val = json_string_value(json_object_get(t, "value"));
        if (!key && op && !strcmp(op, "Exists"))
            return true; /* tolerates every taint */
        if (key && !strcmp(key, "karpenter.sh/capacity-type") &&
            ((op && !strcmp(op, "Exists")) || (val && !strcmp(val, "spot"))))
            return true;
    }
    return false;
}

static bool is_pgbouncer(const json_t *ctr)
{
    const char *n = json_string_value(json_object_get(ctr, "name"));
    const char *img = json_string_value(json_object_get(ctr, "image"));
    return (n && strstr(n, "pgbouncer")) || (img && strstr(img, "pgbouncer"));
}

static int deployment(imp_ctx *c, const imp_doc *d)
{
    json_t *spec = json_object_get(d->obj, "spec");
    json_t *pod = path(spec, "template", "spec", NULL);
    json_t *ctrs = json_object_get(pod, "containers");
    const json_t *api = NULL;
    bool sidecar = false;
    size_t i;
    json_t *x;
    json_array_foreach(ctrs, i, x)
    {
        if (is_pgbouncer(x))
            sidecar = true;
        else if (!api)
            api = x;
    }
    if (!api)
        return imp__note(c, d->file,
                         "Deployment %s has no container besides PgBouncer: nothing "
                         "mapped",
                         name_of(d->obj));
    long long replicas = 1; /* apps/v1 default */
    json_t *r = json_object_get(spec, "replicas");
    int st = BASE_OK;
    if (r && whole(r, &replicas))
        st = imp__note(c, d->file, "spec.replicas is not a whole number: api.replicas not set");
    else
        st = put_int(c, "api.replicas", replicas);
    if (!st)
        st = gunicorn(c, d->file, api);
    if (!st)
        st = resources(c, d->file, api);
    if (!st)
        st = readiness(c, d->file, api);
    if (!st)
        st = secs_field(c, d->file, "terminationGracePeriodSeconds",
                        json_object_get(pod, "terminationGracePeriodSeconds"), 30,
                        "api.termination_grace");
    if (!st)
        st = arch(c, pod);
    if (!st)
        st = imp__put(c, "api.tolerate_spot", json_boolean(tolerates_spot(pod)));
    if (!st && sidecar)
        st = put_text(c, "pgbouncer.mode", "per_pod");
    if (!st && json_object_get(api, "livenessProbe"))
        st = imp__note(c, d->file, "livenessProbe: not simulated (the model's pods do not hang)");
    if (!st && json_object_get(spec, "strategy"))
        st = imp__note(c, d->file,
                       "spec.strategy: not a scenario key (a rollout's surge and "
                       "unavailability are a deploy event's)");
    return st;
}

/* ---------------------------------------------------------------- HPA */

static int hpa_rules(imp_ctx *c, const char *file, const json_t *r, bool up)
{
    char key[64];
    const char *dir = up ? "hpa.scale_up" : "hpa.scale_down";
    snprintf(key, sizeof key, "%s.stabilization", dir);
    int st = secs_field(c, file, "behavior stabilizationWindowSeconds",
                        json_object_get(r, "stabilizationWindowSeconds"), up ? 0 : 300, key);
    const char *sel = json_string_value(json_object_get(r, "selectPolicy"));
    snprintf(key, sizeof key, "%s.select", dir);
    if (!st)
        st = put_text(c, key,
                      !sel || !strcmp(sel, "Max") ? "max"
                      : !strcmp(sel, "Min")       ? "min"
                                                  : "disabled");
    json_t *pol = json_object_get(r, "policies");
    json_t *list = json_array();
    if (!pol) { /* autoscaling/v2 defaults (HPA docs, "Default Behavior") */
        json_array_append_new(
            list, json_pack("{s:s, s:i, s:s}", "type", "percent", "value", 100, "period", "15s"));
        if (up)
            json_array_append_new(
                list, json_pack("{s:s, s:i, s:s}", "type", "pods", "value", 4, "period", "15s"));
    }
    size_t i;
    json_t *p;
    json_array_foreach(pol, i, p)
    {
        const char *t = json_string_value(json_object_get(p, "type"));
        long long v, s;
        if (!t || (strcmp(t, "Pods") && strcmp(t, "Percent")) ||
            whole(json_object_get(p, "value"), &v) ||
            whole(json_object_get(p, "periodSeconds"), &s)) {
            json_decref(list);
            return st ? st
                      : imp__note(c, file,
                                  "behavior policy %zu is not Pods/Percent with a value "
                                  "and periodSeconds: %s.policies not set",
                                  i + 1, dir);
        }
        char per[32];
        snprintf(per, sizeof per, "%llds", s);
        json_array_append_new(list, json_pack("{s:s, s:I, s:s}", "type",
                                              !strcmp(t, "Pods") ? "pods" : "percent", "value",
                                              (json_int_t)v, "period", per));
    }
    snprintf(key, sizeof key, "%s.policies", dir);
    return st ? (json_decref(list), st) : imp__put(c, key, list);
}

static int hpa(imp_ctx *c, const imp_doc *d)
{
    json_t *spec = json_object_get(d->obj, "spec");
    long long min = 1, max;
    int st = imp__put(c, "hpa.enabled", json_true());
    json_t *m = json_object_get(spec, "minReplicas");
    if (!st && m && whole(m, &min))
        st = imp__note(c, d->file, "minReplicas is not a whole number: hpa.min_replicas not set");
    else if (!st)
        st = put_int(c, "hpa.min_replicas", min);
    if (!st && whole(json_object_get(spec, "maxReplicas"), &max))
        st = imp__note(c, d->file, "no maxReplicas: hpa.max_replicas not set");
    else if (!st)
        st = put_int(c, "hpa.max_replicas", max);
    long long target[2] = {0, 0};
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(spec, "metrics"), i, x)
    {
        const char *type = json_string_value(json_object_get(x, "type"));
        const char *res = json_string_value(path(x, "resource", "name", NULL));
        const char *tt = json_string_value(path(x, "resource", "target", "type"));
        long long v;
        if (type && !strcmp(type, "Resource") && res && tt && !strcmp(tt, "Utilization") &&
            (!strcmp(res, "cpu") || !strcmp(res, "memory")) &&
            !whole(path(x, "resource", "target", "averageUtilization"), &v))
            target[!strcmp(res, "memory")] = v;
        else if (!st)
            st = imp__note(c, d->file,
                           "metrics[%zu]: only CPU and memory Utilization targets "
                           "are simulated: not mapped",
                           i);
    }
    for (int k = 0; k < 2 && !st; k++) {
        char b[32];
        snprintf(b, sizeof b, "%lld%%", target[k]);
        st = put_text(c, k ? "hpa.memory_target" : "hpa.cpu_target", b);
    }
    json_t *beh = json_object_get(spec, "behavior");
    if (!st)
        st = hpa_rules(c, d->file, json_object_get(beh, "scaleUp"), true);
    if (!st)
        st = hpa_rules(c, d->file, json_object_get(beh, "scaleDown"), false);
    return st;
}

/* ---------------------------------------------------------------- Ingress (ALB) */

#define ALB "alb.ingress.kubernetes.io/"

/* "k=v,k=v" of the controller's attribute annotations: the value of key, into b. */
static bool attribute(const char *list, const char *key, char *b, size_t n)
{
    size_t kl = strlen(key);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            snprintf(b, n, "%.*s", (int)(len - kl - 1), p + kl + 1);
            return true;
        }
        p = e;
    }
    return false;
}

static int ingress(imp_ctx *c, const imp_doc *d)
{
    json_t *ann = path(d->obj, "metadata", "annotations", NULL);
    int st = BASE_OK;
    long long v;
    /* the AWS Load Balancer Controller's defaults (annotations.md): interval 15 s, thresholds
     * 2 and 2; the target group's deregistration delay 300 s; the ALB's idle timeout 60 s */
    json_t *iv = json_object_get(ann, ALB "healthcheck-interval-seconds");
    if (iv && whole(iv, &v))
        st = imp__note(c, d->file, ALB "healthcheck-interval-seconds is not a number: ignored");
    else
        st = imp__put_secs(c, "alb.health_check.interval", iv ? (double)v : 15, -1);
    static const char *const th[2][2] = {
        {ALB "healthy-threshold-count", "alb.health_check.healthy_threshold"},
        {ALB "unhealthy-threshold-count", "alb.health_check.unhealthy_threshold"}};
    for (int i = 0; i < 2 && !st; i++) {
        json_t *t = json_object_get(ann, th[i][0]);
        v = 2;
        if (t && whole(t, &v))
            st = imp__note(c, d->file, "%s is not a number: ignored", th[i][0]);
        else
            st = put_int(c, th[i][1], v);
    }
    const char *tg = json_string_value(json_object_get(ann, ALB "target-group-attributes"));
    const char *lb = json_string_value(json_object_get(ann, ALB "load-balancer-attributes"));
    char b[64], *end;
    double secs = 300;
    if (attribute(tg, "deregistration_delay.timeout_seconds", b, sizeof b)) {
        secs = strtod(b, &end);
        if (end == b || *end)
            secs = 300;
    }
    if (!st)
        st = imp__put_secs(c, "alb.deregistration_delay", secs, -1);
    if (!st)
        st = put_text(c, "alb.algorithm",
                      attribute(tg, "load_balancing.algorithm.type", b, sizeof b) &&
                              !strcmp(b, "least_outstanding_requests")
                          ? "least_outstanding_requests"
                          : "round_robin");
    secs = 60;
    if (attribute(lb, "idle_timeout.timeout_seconds", b, sizeof b)) {
        secs = strtod(b, &end);
        if (end == b || *end)
            secs = 60;
    }
    /* emit writes the model's "no timeout" (0) as the ALB's most, 4000 s */
    if (!st)
        st = imp__put_secs(c, "alb.idle_timeout", secs, 4000);
    return st;
}

/* ---------------------------------------------------------------- NodePools */

/* spec.limits into karpenter.nodepools[].limits (cpu and memory; Karpenter's other resources
 * are not simulated). A limits.cpu emit derived from a run's peak (its annotation holds the
 * value it wrote) was no scenario key and stays out; edited since, it is the team's own. */
static int nodepool_limits(imp_ctx *c, const imp_doc *d, const json_t *limits, json_t *p)
{
    static const char *const what[2] = {"cpu", "memory"};
    const char *derived = json_string_value(
        json_object_get(path(d->obj, "metadata", "annotations", NULL), EMIT_ANN_DERIVED_CPU));
    json_t *out = json_object();
    if (!out)
        return BASE_ENOMEM;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)limits, k, v)
    {
        int w = !strcmp(k, "cpu") ? 0 : !strcmp(k, "memory") ? 1 : -1;
        char text[64];
        int64_t q;
        base_err e;
        int st = BASE_OK;
        if (w < 0)
            st = imp__note(c, d->file, "NodePool %s limits.%s: not simulated (only cpu and memory)",
                           name_of(d->obj), k);
        else if (text_of(v, text, sizeof text) ||
                 (w == 0 ? scn_parse_cpu(text, &q, &e) : scn_parse_memory(text, &q, &e)))
            st = imp__note(c, d->file,
                           "NodePool %s limits.%s '%s' is not a quantity simulate reads: "
                           "karpenter.nodepools[].limits.%s not set",
                           name_of(d->obj), k, json_is_string(v) ? json_string_value(v) : "?",
                           what[w]);
        else if (!(w == 0 && derived && !strcmp(derived, text)))
            st = json_object_set_new(out, what[w], emit_scalar_json(text, 1)) ? BASE_ENOMEM
                                                                              : BASE_OK;
        if (st) {
            json_decref(out);
            return st;
        }
    }
    if (json_object_size(out) == 0) {
        json_decref(out);
        return BASE_OK;
    }
    return json_object_set_new(p, "limits", out) ? BASE_ENOMEM : BASE_OK;
}

static int nodepool(imp_ctx *c, const imp_doc *d, json_t *pools)
{
    json_t *spec = json_object_get(d->obj, "spec");
    json_t *p = json_object();
    json_object_set_new(p, "name", json_string(name_of(d->obj)));
    json_t *arch = NULL, *cap = NULL, *fam = NULL;
    size_t i, k;
    json_t *r, *v;
    int st = BASE_OK;
    json_array_foreach(path(spec, "template", "spec", "requirements"), i, r)
    {
        const char *key = json_string_value(json_object_get(r, "key"));
        const char *op = json_string_value(json_object_get(r, "operator"));
        json_t **dst = NULL;
        if (key && !strcmp(key, "kubernetes.io/arch"))
            dst = &arch;
        else if (key && !strcmp(key, "karpenter.sh/capacity-type"))
            dst = &cap;
        else if (key && !strcmp(key, "karpenter.k8s.aws/instance-family"))
            dst = &fam;
        if (!dst || !op || strcmp(op, "In")) {
            if (!st)
                st = imp__note(c, d->file,
                               "requirement %s %s: not simulated (only In on "
                               "kubernetes.io/arch, karpenter.sh/capacity-type and "
                               "karpenter.k8s.aws/instance-family)",
                               key ? key : "?", op ? op : "?");
            continue;
        }
        json_t *list = json_array();
        json_array_foreach(json_object_get(r, "values"), k, v) if (json_is_string(v))
            json_array_append(list, v);
        json_decref(*dst);
        *dst = list;
    }
    if (!fam) {
        json_decref(p);
        json_decref(arch);
        json_decref(cap);
        return st ? st
                  : imp__note(c, d->file,
                              "NodePool %s names no instance families (In on "
                              "karpenter.k8s.aws/instance-family): left out",
                              name_of(d->obj));
    }
    /* Karpenter's defaults when a requirement is missing: any architecture, On-Demand only
     * (karpenter.sh docs, NodePools "capacity-type": on-demand when not set) */
    json_object_set_new(p, "arch", arch ? arch : json_pack("[s, s]", "arm64", "amd64"));
    json_object_set_new(p, "families", fam);
    json_object_set_new(p, "capacity", cap ? cap : json_pack("[s]", "on-demand"));
    long long w;
    if (!whole(json_object_get(spec, "weight"), &w) && w > 0)
        json_object_set_new(p, "weight", json_integer(w));
    json_t *dis = json_object_get(spec, "disruption");
    const char *pol = json_string_value(json_object_get(dis, "consolidationPolicy"));
    json_object_set_new(p, "consolidation",
                        json_string(pol && !strcmp(pol, "WhenEmpty")
                                        ? "when_empty"
                                        : "when_empty_or_underutilized"));
    const char *after = json_string_value(json_object_get(dis, "consolidateAfter"));
    base_err e;
    int64_t ns;
    if (after && !strcmp(after, "Never"))
        json_object_set_new(p, "consolidate_after", json_string("never"));
    else if (after && scn_parse_duration(after, &ns, &e) == BASE_OK)
        json_object_set_new(p, "consolidate_after", json_string(after));
    else if (after && !st)
        st = imp__note(c, d->file, "consolidateAfter '%s' not read: Karpenter's 0s taken", after);
    const char *nodes = json_string_value(
        json_object_get(json_array_get(json_object_get(dis, "budgets"), 0), "nodes"));
    double share;
    if (nodes && scn_parse_percent(nodes, &share, &e) == BASE_OK)
        json_object_set_new(p, "budget", json_string(nodes));
    else if (nodes && !st)
        st = imp__note(c, d->file,
                       "disruption budget nodes '%s' is not a percentage: "
                       "Karpenter's 10%% taken",
                       nodes);
    if (!st && json_array_size(json_object_get(dis, "budgets")) > 1)
        st = imp__note(c, d->file, "only the first disruption budget is simulated");
    if (!st)
        st = nodepool_limits(c, d, json_object_get(spec, "limits"), p);
    if (st) {
        json_decref(p);
        return st;
    }
    return json_array_append_new(pools, p) ? BASE_ENOMEM : BASE_OK;
}

int imp__karpenter(imp_ctx *c)
{
    json_t *pools = json_array();
    int st = pools ? BASE_OK : BASE_ENOMEM;
    for (size_t i = 0; i < c->ndocs && !st; i++)
        if (!strcmp(kind_of(c->docs[i].obj), "NodePool"))
            st = nodepool(c, &c->docs[i], pools);
        else if (!strcmp(kind_of(c->docs[i].obj), "EC2NodeClass"))
            st = imp__note(c, c->docs[i].file,
                           "EC2NodeClass %s: not simulated (AMI, role, "
                           "subnets)",
                           name_of(c->docs[i].obj));
    if (st || json_array_size(pools) == 0) {
        json_decref(pools);
        return st;
    }
    json_t *carried = imp__carried(c, "karpenter.nodepools");
    size_t n = json_array_size(pools);
    for (size_t i = 1; i < n; i++) /* insertion sort: a few pools */
        for (size_t j = i; j > 0; j--) {
            json_t *a = json_array_get(pools, j - 1), *b = json_array_get(pools, j);
            const char *na = json_string_value(json_object_get(a, "name"));
            const char *nb = json_string_value(json_object_get(b, "name"));
            /* The carried list's order first (the simulation tries pools in it), then the rest
             * by name. */
            size_t oa = imp__index_by_name(carried, na), ob = imp__index_by_name(carried, nb);
            if (oa < ob || (oa == ob && strcmp(na, nb) <= 0))
                break;
            json_incref(a);
            json_array_set(pools, j - 1, b);
            json_array_set_new(pools, j, a);
        }
    st = imp__put(c, "nodes.enabled", json_true());
    return st ? (json_decref(pools), st) : imp__put(c, "karpenter.nodepools", pools);
}

/* ---------------------------------------------------------------- PgBouncer */

/* pgbouncer.ini's simulated settings (pgbouncer.org config.md; PgBouncer's defaults for what
 * the file leaves out, as PgBouncer would run). */
int imp__pgbouncer(imp_ctx *c)
{
    json_t *pgb = json_object_get(c->ini, "pgbouncer");
    if (!pgb)
        return c->ini ? imp__note(c, c->ini_file, "no [pgbouncer] section: nothing mapped")
                      : BASE_OK;
    static const struct {
        const char *ini, *key;
        int secs;
        double def;
    } f[] = {
        {"default_pool_size", "pgbouncer.default_pool_size", 0, 20},
        {"reserve_pool_size", "pgbouncer.reserve_pool_size", 0, 0},
        {"max_client_conn", "pgbouncer.max_client_conn", 0, 100},
        {"reserve_pool_timeout", "pgbouncer.reserve_pool_timeout", 1, 5},
        {"query_wait_timeout", "pgbouncer.query_wait_timeout", 1, 120},
    };
    int st = BASE_OK;
    for (size_t i = 0; i < sizeof f / sizeof f[0] && !st; i++) {
        const char *t = json_string_value(json_object_get(pgb, f[i].ini));
        double v = f[i].def;
        char *end = NULL;
        if (t) {
            v = strtod(t, &end);
            if (end == t || *end || v < 0 || (!f[i].secs && v != floor(v))) {
                st = imp__note(c, c->ini_file, "%s = %s is not a number: %s not set", f[i].ini, t,
                               f[i].key);
                continue;
            }
        }
        if (f[i].secs) {
            char b[48];
            snprintf(b, sizeof b, "%.9gs", v);
            json_t *cv = imp__carried(c, f[i].key);
            int64_t ns;
            base_err e;
            /* the carried text when it is the same duration ("5s" against "5000ms") */
            if (cv && json_is_string(cv) &&
                scn_parse_duration(json_string_value(cv), &ns, &e) == BASE_OK &&
                fabs((double)ns / 1e9 - v) < 1e-9)
                st = imp__put(c, f[i].key, json_deep_copy(cv));
            else
                st = put_text(c, f[i].key, b);
        } else
            st = put_int(c, f[i].key, (long long)v);
    }
    const char *mode = json_string_value(json_object_get(pgb, "pool_mode"));
    if (!st && mode && strcmp(mode, "transaction"))
        st = imp__note(c, c->ini_file,
                       "pool_mode = %s: the model's PgBouncer pools by "
                       "transaction (seed 6.5)",
                       mode);
    /* the listener says where it runs: loopback beside each pod, or a central service */
    const char *listen = json_string_value(json_object_get(pgb, "listen_addr"));
    json_t *have = json_object_get(json_object_get(c->set, "pgbouncer"), "mode");
    if (!st && !have)
        st = put_text(c, "pgbouncer.mode",
                      listen && (!strcmp(listen, "127.0.0.1") || !strcmp(listen, "localhost"))
                          ? "per_pod"
                          : "central");
    static const char *const quiet[] = {"listen_addr",
                                        "listen_port",
                                        "unix_socket_dir",
                                        "auth_type",
                                        "auth_file",
                                        "auth_user",
                                        "auth_query",
                                        "admin_users",
                                        "stats_users",
                                        "logfile",
                                        "pidfile",
                                        "pool_mode",
                                        "default_pool_size",
                                        "reserve_pool_size",
                                        "max_client_conn",
                                        "reserve_pool_timeout",
                                        "query_wait_timeout",
                                        "ignore_startup_parameters",
                                        "server_tls_sslmode",
                                        "client_tls_sslmode",
                                        "client_tls_key_file",
                                        "client_tls_cert_file"};
    const char *k;
    json_t *v;
    json_object_foreach(pgb, k, v)
    {
        bool known = false;
        for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
            known |= !strcmp(k, quiet[i]);
        if (!known && !st)
            st = imp__note(c, c->ini_file, "%s = %s: not simulated", k, json_string_value(v));
    }
    return st;
}

/* ---------------------------------------------------------------- the whole set */

int imp__kubernetes(imp_ctx *c)
{
    const json_t *api = NULL;
    int st = BASE_OK;
    bool have_hpa = false;
    for (size_t i = 0; i < c->ndocs && !st; i++) {
        const imp_doc *d = &c->docs[i];
        const char *k = kind_of(d->obj), *n = name_of(d->obj);
        if (!strcmp(k, "Deployment")) {
            bool central = strstr(n, "pgbouncer") != NULL;
            if (central) {
                json_t *have = json_object_get(json_object_get(c->set, "pgbouncer"), "mode");
                if (!have)
                    st = put_text(c, "pgbouncer.mode", "central");
            } else if (!api) {
                api = d->obj;
                st = deployment(c, d);
            } else
                st = imp__note(c, d->file,
                               "Deployment %s: the model has one API Deployment (%s "
                               "taken): not mapped",
                               n, name_of(api));
        } else if (!strcmp(k, "HorizontalPodAutoscaler")) {
            if (have_hpa)
                st = imp__note(c, d->file, "a second HorizontalPodAutoscaler (%s): not mapped", n);
            else
                st = hpa(c, d);
            have_hpa = true;
        } else if (!strcmp(k, "Ingress")) {
            st = ingress(c, d);
        } else if (!strcmp(k, "PodDisruptionBudget")) {
            st = imp__note(c, d->file,
                           "PodDisruptionBudget %s: not a scenario key (the model "
                           "evicts as the rollout and Karpenter's budget allow)",
                           n);
        } else if (!strcmp(k, "ConfigMap") &&
                   (!strcmp(n, EMIT_CARRY_NAME) ||
                    json_object_get(json_object_get(d->obj, "data"), "pgbouncer.ini"))) {
            /* read by folder.c */
        } else if (strcmp(k, "NodePool") && strcmp(k, "EC2NodeClass")) {
            st = imp__note(c, d->file, "%s %s: not simulated", k[0] ? k : "(no kind)", n);
        }
    }
    if (!st && api && !have_hpa)
        st = imp__put(c, "hpa.enabled", json_false());
    return st;
}
