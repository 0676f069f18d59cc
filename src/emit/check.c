/*
 * check.c — the three validations of the emitted config (issue 15): each object against its
 * JSON Schema (the project's validator, src/validate), a reviewer's policy (kube-score-like:
 * kube-score's checks "container-resources", "pod-probes", "pod-networkpolicy",
 * "deployment-has-poddisruptionbudget", "container-security-context-*"), and consistency with
 * what the run measured. Each failure is one line: the object, the field's path, and why.
 */
#include "emit/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/validate.h"

static int add(emit_findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add(emit_findings *f, const char *fmt, ...)
{
    void *p = base_grow(f->line, &f->cap, f->n + 1, sizeof *f->line, 16);
    if (!p)
        return BASE_ENOMEM;
    f->line = p;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->line[f->n++], sizeof f->line[0], fmt, ap);
    va_end(ap);
    return BASE_OK;
}

void emit_findings_free(emit_findings *f)
{
    free(f->line);
    memset(f, 0, sizeof *f);
}

static const char *kind_of(const json_t *o)
{
    const char *k = json_string_value(json_object_get(o, "kind"));
    return k ? k : "Terraform"; /* the only objects without a kind (terraform.c) */
}

static const char *name_of(const json_t *o)
{
    const char *n = json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
    return n ? n : "JSON";
}

int emit_check_schemas(const emit_set *set, const char *schema_dir, emit_findings *out,
                       base_err *err)
{
    for (size_t i = 0; i < set->n; i++) {
        const emit_object *o = &set->o[i];
        if (!o->schema[0])
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", schema_dir, o->schema);
        val_schema *vs = NULL;
        int st = val_schema_load(path, &vs, err);
        if (st != BASE_OK)
            return st;
        base_err e;
        base_err_clear(&e);
        st = val_check(vs, o->obj, &e);
        val_schema_free(vs);
        if (st == BASE_EINPUT)
            st = add(out, "%s %s (%s): schema %s: %s", kind_of(o->obj), name_of(o->obj), o->file,
                     o->schema, e.msg);
        if (st != BASE_OK)
            return base_err_set(err, st, NULL, 0, 0, "%s", e.msg);
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- policy */

static json_t *at(json_t *o, const char *a, const char *b)
{
    json_t *x = json_object_get(o, a);
    return b ? json_object_get(x, b) : x;
}

static bool is_true(json_t *v)
{
    return json_is_true(v);
}

/* A name that says it carries a secret: its value must come by reference. */
static bool secret_name(const char *n)
{
    static const char *const words[] = {"PASSWORD", "SECRET", "TOKEN", "AUTH", "KEY"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(n, words[i]))
            return true;
    return false;
}

static int container_policy(emit_findings *f, const char *who, json_t *pod, size_t ci, json_t *c)
{
    char p[96];
    snprintf(p, sizeof p, "/spec/template/spec/containers/%zu", ci);
    int st = BASE_OK;
    static const char *const probes[] = {"readinessProbe", "livenessProbe"};
    for (size_t i = 0; i < 2; i++)
        if (!json_object_get(c, probes[i]))
            st |= add(f, "%s: %s/%s: missing (kube-score pod-probes)", who, p, probes[i]);
    static const char *const res[][2] = {
        {"requests", "cpu"}, {"requests", "memory"}, {"limits", "cpu"}, {"limits", "memory"}};
    for (size_t i = 0; i < 4; i++)
        if (!at(at(c, "resources", res[i][0]), res[i][1], NULL))
            st |= add(f, "%s: %s/resources/%s/%s: missing (kube-score container-resources)", who, p,
                      res[i][0], res[i][1]);
    json_t *sc = json_object_get(c, "securityContext");
    json_t *psc = json_object_get(pod, "securityContext");
    if (!is_true(json_object_get(sc, "runAsNonRoot")) &&
        !is_true(json_object_get(psc, "runAsNonRoot")))
        st |= add(f, "%s: %s/securityContext/runAsNonRoot: not true (may run as root)", who, p);
    if (!is_true(json_object_get(sc, "readOnlyRootFilesystem")))
        st |= add(f, "%s: %s/securityContext/readOnlyRootFilesystem: not true", who, p);
    if (!json_is_false(json_object_get(sc, "allowPrivilegeEscalation")))
        st |= add(f, "%s: %s/securityContext/allowPrivilegeEscalation: not false", who, p);
    bool all = false;
    size_t k;
    json_t *d;
    json_array_foreach(at(json_object_get(sc, "capabilities"), "drop", NULL), k, d)
    {
        all |= json_is_string(d) && !strcmp(json_string_value(d), "ALL");
    }
    if (!all)
        st |= add(f, "%s: %s/securityContext/capabilities/drop: does not drop ALL", who, p);
    const char *seccomp = json_string_value(at(at(sc, "seccompProfile", NULL), "type", NULL));
    if (!seccomp)
        seccomp = json_string_value(at(at(psc, "seccompProfile", NULL), "type", NULL));
    if (!seccomp || strcmp(seccomp, "RuntimeDefault"))
        st |= add(f, "%s: %s/securityContext/seccompProfile/type: not RuntimeDefault", who, p);
    json_t *e;
    json_array_foreach(json_object_get(c, "env"), k, e)
    {
        const char *n = json_string_value(json_object_get(e, "name"));
        if (n && secret_name(n) && json_object_get(e, "value"))
            st |= add(f, "%s: %s/env/%zu/value: secret %s given by value, not by reference", who, p,
                      k, n);
    }
    const char *img = json_string_value(json_object_get(c, "image"));
    if (img && strlen(img) >= 7 && !strcmp(img + strlen(img) - 7, ":latest"))
        st |= add(f, "%s: %s/image: tag latest (kube-score container-image-tag)", who, p);
    return st;
}

/* Whether a PodDisruptionBudget of the set selects the pods labelled app=app. */
static bool has_pdb(const emit_set *set, const char *app)
{
    for (size_t i = 0; i < set->n; i++) {
        json_t *o = set->o[i].obj;
        if (strcmp(kind_of(o), "PodDisruptionBudget"))
            continue;
        const char *a =
            json_string_value(at(at(at(o, "spec", "selector"), "matchLabels", NULL), "app", NULL));
        if (a && !strcmp(a, app))
            return true;
    }
    return false;
}

int emit_check_policy(const emit_set *set, emit_findings *out)
{
    int st = BASE_OK;
    for (size_t i = 0; i < set->n; i++) {
        json_t *o = set->o[i].obj;
        if (strcmp(kind_of(o), "Deployment"))
            continue;
        char who[160];
        snprintf(who, sizeof who, "Deployment %s (%s)", name_of(o), set->o[i].file);
        json_t *pod = at(at(o, "spec", "template"), "spec", NULL);
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(pod, "containers"), k, c)
        {
            st |= container_policy(out, who, pod, k, c);
        }
        bool zone = false;
        json_t *t;
        json_array_foreach(json_object_get(pod, "topologySpreadConstraints"), k, t)
        {
            const char *key = json_string_value(json_object_get(t, "topologyKey"));
            zone |= key && !strcmp(key, "topology.kubernetes.io/zone");
        }
        if (!zone)
            st |= add(out,
                      "%s: /spec/template/spec/topologySpreadConstraints: no spread over "
                      "topology.kubernetes.io/zone",
                      who);
        const char *app =
            json_string_value(at(at(at(o, "spec", "selector"), "matchLabels", NULL), "app", NULL));
        json_int_t replicas = json_integer_value(at(o, "spec", "replicas"));
        if (replicas > 1 && (!app || !has_pdb(set, app)))
            st |= add(out,
                      "%s: /spec/selector: no PodDisruptionBudget selects its pods "
                      "(kube-score deployment-has-poddisruptionbudget)",
                      who);
    }
    return st ? BASE_ENOMEM : BASE_OK;
}

/* ---------------------------------------------------------------- consistency */

static int peak_pods(const eng_summary *sum)
{
    int p = 0;
    for (int r = 0; sum && r < sum->replications; r++)
        if (sum->reps[r].peak_pods > p)
            p = sum->reps[r].peak_pods;
    return p;
}

/* Whether the run played disruptions that go through the eviction API (and so the PDB):
 * consolidation, Spot interruptions (drains on notice), node losses. */
static bool evictions_played(const mdl_scenario *s)
{
    for (size_t i = 0; i < s->cluster.npools; i++)
        if (s->cluster.pools[i].consolidate_after != SIM_NEVER)
            return true;
    if (s->api.spot_ok && s->cluster.spot_interruption_rate > 0)
        return true;
    for (size_t i = 0; i < s->nevents; i++)
        if (s->events[i].type == MDL_EVENT_SPOT_STORM || s->events[i].type == MDL_EVENT_DEPLOY)
            return true;
    return false;
}

int emit_check_consistency(const emit_input *in, const emit_set *set, emit_findings *out)
{
    const mdl_scenario *s = in->s;
    int st = BASE_OK;
    int peak = peak_pods(in->sum);
    json_t *h = emit_find(set, "HorizontalPodAutoscaler", EMIT_APP);
    int max_pods = s->api.replicas;
    if (h) {
        max_pods = (int)json_integer_value(at(h, "spec", "maxReplicas"));
        double need = ceil(peak * EMIT_HPA_HEADROOM);
        /* the finding says what to do: which scenario key to raise, and to what. A peak at the
         * maximum means the HPA capped the run (its figures are a capped HPA's: the peak pods
         * are a lower bound of what the load asked for), so the run is to be made again;
         * below it, the headroom is short of what a busier day needs. */
        if (in->sum && max_pods < need && peak >= max_pods)
            st |= add(out,
                      "HorizontalPodAutoscaler %s: /spec/maxReplicas: %d was the run's ceiling "
                      "(its peak reached %d pods, the most it allows: the HPA may have wanted "
                      "more, and the run's figures are a capped HPA's): raise hpa.max_replicas in "
                      "the scenario to at "
                      "least %.0f (the peak + %.0f%% headroom) and run it again",
                      EMIT_APP, max_pods, peak, need, (EMIT_HPA_HEADROOM - 1) * 100);
        else if (in->sum && max_pods < need)
            st |= add(out,
                      "HorizontalPodAutoscaler %s: /spec/maxReplicas: %d leaves under %.0f%% "
                      "headroom above the simulated peak of %d pods: raise hpa.max_replicas in "
                      "the scenario to at least %.0f",
                      EMIT_APP, max_pods, (EMIT_HPA_HEADROOM - 1) * 100, peak, need);
    }
    int maxc = mdl_db_max_connections(s);
    /* the pods the run reached (each pod's pool opens server connections up to its size);
     * without a run, the most the HPA allows */
    int conn_pods = in->sum ? peak : max_pods;
    if (maxc > 0) {
        const mdl_pgbouncer_config *b = &s->pgbouncer;
        long long conns;
        const char *how;
        if (b->mode == MDL_PGB_NONE) {
            conns = (long long)conn_pods * s->api.workers;
            how = "pods x gunicorn workers";
        } else if (b->mode == MDL_PGB_PER_POD) {
            /* in transaction mode a pod's PgBouncer opens a server connection only for a
             * client's transaction (pgbouncer.org/features.html), so a pod holds at most the
             * smaller of its pool (with the reserve) and its clients: its gunicorn workers,
             * capped by max_client_conn — what the engine plays (database.c) */
            int pool = b->default_pool_size + b->reserve_pool_size;
            int clients = s->api.workers < b->max_client_conn ? s->api.workers : b->max_client_conn;
            conns = (long long)conn_pods * (pool < clients ? pool : clients);
            how = "pods x min(default_pool_size + reserve_pool_size, workers, max_client_conn)";
        } else {
            conns = b->default_pool_size + b->reserve_pool_size;
            how = "default_pool_size + reserve_pool_size";
        }
        if (conns > maxc)
            st |= add(out,
                      "ConfigMap %s: data/pgbouncer.ini: %s at %d pods (%s) = %lld server "
                      "connections, over the database's max_connections %d",
                      EMIT_PGB_NAME, how, conn_pods,
                      in->sum ? "the simulated peak" : "the HPA's maximum", conns, maxc);
    }
    for (size_t i = 0; i < s->cluster.npools && in->sum; i++) {
        json_t *np = emit_find(set, "NodePool", s->cluster.pools[i].name);
        if (s->cluster.pools[i].limit_cpu_set) {
            /* the scenario's own limit, which the run played: it cannot be exceeded, so say
             * when it bound — at the pool's peak no node of its smallest type fitted under it,
             * and pods that needed one waited (the capacity chart's vCPU panel) */
            int most = emit__pool_peak_vcpu(in, i), least = emit__pool_least_vcpu(in, i);
            const mdl_nodepool *p = &s->cluster.pools[i];
            if (np && least > 0 && (int64_t)(most + least) * 1000 > p->limit_cpu)
                st |= add(out,
                          "NodePool %s: /spec/limits/cpu: %s was reached in the run (its nodes' "
                          "peak %d vCPUs, no room for another node): pods that needed one "
                          "waited",
                          p->name, json_string_value(at(at(np, "spec", "limits"), "cpu", NULL)),
                          most);
            continue;
        }
        const char *lim = json_string_value(at(at(np, "spec", "limits"), "cpu", NULL));
        double need = emit__pool_peak_cpu(in, i);
        if (np && (!lim || atof(lim) < need))
            st |= add(out,
                      "NodePool %s: /spec/limits/cpu: %s is under the simulated peak of %.0f "
                      "vCPUs",
                      s->cluster.pools[i].name, lim ? lim : "(none)", need);
    }
    json_t *pdb = emit_find(set, "PodDisruptionBudget", EMIT_APP);
    if (pdb && evictions_played(s)) {
        json_t *mu = at(pdb, "spec", "maxUnavailable");
        json_t *ma = at(pdb, "spec", "minAvailable");
        int min_pods = emit__min_pods(s);
        int allowed = json_is_integer(mu)   ? (int)json_integer_value(mu)
                      : json_is_integer(ma) ? min_pods - (int)json_integer_value(ma)
                                            : -1;
        if (allowed >= 0 && allowed < 1)
            st |= add(out,
                      "PodDisruptionBudget %s: /spec: allows no eviction at %d pods, but the run "
                      "played consolidation, Spot drains or deploys",
                      EMIT_APP, min_pods);
        if (allowed >= min_pods)
            st |= add(out,
                      "PodDisruptionBudget %s: /spec/maxUnavailable: %d of %d pods protects "
                      "nothing",
                      EMIT_APP, allowed, min_pods);
    }
    return st ? BASE_ENOMEM : BASE_OK;
}
