/*
 * test_emit.c — the deployment config (src/emit, `simulate emit`, issue 15): every emitted
 * object passes its schema through our validator and through Debian's python3-jsonschema
 * (schemas/validate.py); the policy and consistency checks catch deliberately bad input; the
 * security posture and the SHA-256 annotation are there; the real PgBouncer reads the emitted
 * pgbouncer.ini back.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emit/emit.h"
#include "io/io.h"

#define CONN_FIXED   SIMULATE_TESTDATA "/data/conn-fixed.yaml"
#define CONN_EXHAUST SIMULATE_TESTDATA "/data/conn-exhaust.yaml"
#define BASE         SIMULATE_ROOT "/scenarios/black-friday.yaml" /* the seed, at scale */
#define SCHEMAS      SIMULATE_ROOT "/schemas"
#define RUN_LIMIT_S  60.0
/* The binary runs use the flow engine: the request engine leaks PgBouncer wait entries on
 * these scenarios (engine/database.c wait_push, LeakSanitizer under tools/test --sanitize),
 * which is the engine's to fix, not what these tests are about. */
#define FLOW         "--fidelity", "flow"
#define SUPPORT_NAME "test-emit"

#include "support.h"

TestSuite(emit, .fini = scratch_fini);

/* The scenario file `path`, its objects built without a run. */
static void build_file(const char *path, mdl_scenario *s, emit_input *in, emit_set *set)
{
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(path, s, &err), BASE_OK, "%s: %s", path, err.msg);
    memset(in, 0, sizeof *in);
    in->s = s;
    memset(in->sha256, 'a', 64);
    cr_assert_eq(emit_build(in, set, &err), BASE_OK, "%s", err.msg);
}

/* The seed's architecture, its objects built without a run. */
static void build_base(mdl_scenario *s, emit_input *in, emit_set *set)
{
    build_file(BASE, s, in, set);
}

/* The fixture of the tests on the seed's objects (.init = open_base, .fini = close_base): the
 * scenario, the emit input and the set build_base makes (each test is a process of its own). */
static mdl_scenario base_s;
static emit_input base_in;
static emit_set base_set;

static void open_base(void)
{
    build_base(&base_s, &base_in, &base_set);
}

static void close_base(void)
{
    emit_set_clear(&base_set);
}

static bool has_line(const emit_findings *f, const char *a, const char *b)
{
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->line[i], a) && (!b || strstr(f->line[i], b)))
            return true;
    return false;
}

static char *all_lines(const emit_findings *f)
{
    static char buf[8192];
    buf[0] = '\0';
    for (size_t i = 0; i < f->n; i++) {
        strncat(buf, f->line[i], sizeof buf - strlen(buf) - 2);
        strcat(buf, "\n");
    }
    return buf;
}

/* The API's Deployment (flask-api) in set; its pod's spec in *pod and first container in *c. */
static json_t *api_deployment(const emit_set *set, json_t **pod, json_t **c)
{
    json_t *d = emit_find(set, "Deployment", "flask-api");
    cr_assert_not_null(d);
    *pod = json_object_get(json_object_get(json_object_get(d, "spec"), "template"), "spec");
    *c = json_array_get(json_object_get(*pod, "containers"), 0);
    cr_assert_not_null(*c);
    return d;
}

/* The findings of the schema check of set into f (the caller frees them); the check itself must
 * run. */
static void check_schemas(const emit_set *set, emit_findings *f)
{
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(emit_check_schemas(set, SCHEMAS, f, &err), BASE_OK, "%s", err.msg);
}

Test(emit, every_object_passes_its_schema_and_the_policy, .init = open_base, .fini = close_base)
{
    cr_assert_geq(base_set.n, 10, "the API's objects, PgBouncer's ConfigMap, the NodePools");
    emit_findings f = {0};
    check_schemas(&base_set, &f);
    cr_assert_eq(f.n, 0, "schema findings:\n%s", all_lines(&f));
    cr_assert_eq(emit_check_policy(&base_set, &f), BASE_OK);
    cr_assert_eq(f.n, 0, "policy findings:\n%s", all_lines(&f));
    emit_findings_free(&f);
}

Test(emit, the_security_posture_is_there, .init = open_base, .fini = close_base)
{
    json_t *pod, *c;
    json_t *d = api_deployment(&base_set, &pod, &c);
    json_t *sc = json_object_get(c, "securityContext");
    cr_assert(json_is_true(json_object_get(sc, "runAsNonRoot")));
    cr_assert(json_is_true(json_object_get(sc, "readOnlyRootFilesystem")));
    cr_assert(json_is_false(json_object_get(sc, "allowPrivilegeEscalation")));
    cr_assert_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(sc, "capabilities"), "drop"), 0)),
                     "ALL");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(sc, "seccompProfile"), "type")),
        "RuntimeDefault");
    /* /tmp is an emptyDir, since the root is read-only */
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(c, "volumeMounts"), 0), "mountPath")),
                     "/tmp");
    /* secrets only by reference */
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(c, "env"), i, e)
    {
        const char *n = json_string_value(json_object_get(e, "name"));
        if (strstr(n, "PASSWORD") || strstr(n, "AUTH")) {
            cr_assert_null(json_object_get(e, "value"), "%s by value", n);
            cr_assert_not_null(json_object_get(json_object_get(e, "valueFrom"), "secretKeyRef"));
        }
    }
    /* gunicorn's settings as simulated */
    char *y = emit_yaml(d);
    char want[64];
    snprintf(want, sizeof want, "- \"--workers\"\n        - \"%d\"", base_s.api.workers);
    cr_assert_not_null(strstr(y, want), "%s", y);
    free(y);
}

Test(emit, policy_catches_a_bad_deployment, .init = open_base, .fini = close_base)
{
    json_t *pod, *c;
    api_deployment(&base_set, &pod, &c);
    json_object_del(c, "readinessProbe");
    json_object_del(json_object_get(c, "resources"), "limits");
    json_object_set_new(json_object_get(c, "securityContext"), "readOnlyRootFilesystem",
                        json_false());
    json_object_set_new(json_object_get(c, "securityContext"), "allowPrivilegeEscalation",
                        json_true());
    json_object_del(pod, "topologySpreadConstraints");
    json_array_append_new(json_object_get(c, "env"),
                          json_pack("{s:s, s:s}", "name", "DB_PASSWORD2", "value", "hunter2"));
    emit_findings f = {0};
    cr_assert_eq(emit_check_policy(&base_set, &f), BASE_OK);
    cr_assert(has_line(&f, "containers/0/readinessProbe", "missing"), "%s", all_lines(&f));
    cr_assert(has_line(&f, "resources/limits/cpu", "missing"), "%s", all_lines(&f));
    cr_assert(has_line(&f, "readOnlyRootFilesystem", NULL), "%s", all_lines(&f));
    cr_assert(has_line(&f, "allowPrivilegeEscalation", NULL), "%s", all_lines(&f));
    cr_assert(has_line(&f, "topologySpreadConstraints", NULL), "%s", all_lines(&f));
    cr_assert(has_line(&f, "DB_PASSWORD2", "by value"), "%s", all_lines(&f));
    emit_findings_free(&f);
}

Test(emit, the_schema_check_names_the_field, .init = open_base, .fini = close_base)
{
    json_t *h = emit_find(&base_set, "HorizontalPodAutoscaler", NULL);
    json_object_set_new(json_object_get(h, "spec"), "maxReplica", json_integer(3)); /* typo */
    emit_findings f = {0};
    check_schemas(&base_set, &f);
    cr_assert_eq(f.n, 1, "%s", all_lines(&f));
    cr_assert(has_line(&f, "HorizontalPodAutoscaler flask-api", "/spec"), "%s", all_lines(&f));
    emit_findings_free(&f);
}

Test(emit, consistency_catches_a_pdb_that_blocks_every_eviction, .init = open_base,
     .fini = close_base)
{
    json_t *p = emit_find(&base_set, "PodDisruptionBudget", NULL);
    json_object_set_new(json_object_get(p, "spec"), "maxUnavailable", json_integer(0));
    emit_findings f = {0};
    cr_assert_eq(emit_check_consistency(&base_in, &base_set, &f), BASE_OK);
    cr_assert(has_line(&f, "PodDisruptionBudget flask-api", "allows no eviction"), "%s",
              all_lines(&f));
    emit_findings_free(&f);
}

/* The HPA check says what to do: the scenario key to raise and the least value that passes,
 * and whether the run was capped (its peak at the maximum) or only short of headroom. */
Test(emit, an_hpa_short_of_the_peak_says_which_key_to_raise_and_to_what, .init = open_base,
     .fini = close_base)
{
    json_t *h = emit_find(&base_set, "HorizontalPodAutoscaler", NULL);
    cr_assert_not_null(h);
    int max = (int)json_integer_value(json_object_get(json_object_get(h, "spec"), "maxReplicas"));
    cr_assert_geq(max, 10);
    static eng_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.replications = 2;
    sum.reps = calloc(2, sizeof *sum.reps);
    cr_assert_not_null(sum.reps);
    base_in.sum = &sum;
    char what[96], to[96];
    /* the busiest replication at the maximum: the HPA capped the run */
    sum.reps[0].peak_pods = max - 5;
    sum.reps[1].peak_pods = max;
    emit_findings f = {0};
    cr_assert_eq(emit_check_consistency(&base_in, &base_set, &f), BASE_OK);
    snprintf(what, sizeof what, "/spec/maxReplicas: %d was the run's ceiling", max);
    snprintf(to, sizeof to, "raise hpa.max_replicas in the scenario to at least %.0f",
             ceil(max * EMIT_HPA_HEADROOM));
    cr_assert(has_line(&f, what, to), "%s", all_lines(&f));
    cr_assert(has_line(&f, what, "run it again"), "%s", all_lines(&f));
    emit_findings_free(&f);
    /* under the maximum but within the headroom: not capped, still short */
    sum.reps[1].peak_pods = max - 1;
    memset(&f, 0, sizeof f);
    cr_assert_eq(emit_check_consistency(&base_in, &base_set, &f), BASE_OK);
    snprintf(to, sizeof to, "raise hpa.max_replicas in the scenario to at least %.0f",
             ceil((max - 1) * EMIT_HPA_HEADROOM));
    cr_assert(has_line(&f, "headroom above the simulated peak", to), "%s", all_lines(&f));
    cr_assert(!has_line(&f, "ceiling", NULL), "%s", all_lines(&f));
    emit_findings_free(&f);
    /* with the headroom: no finding on the HPA */
    sum.reps[0].peak_pods = sum.reps[1].peak_pods = (int)floor(max / EMIT_HPA_HEADROOM);
    memset(&f, 0, sizeof f);
    cr_assert_eq(emit_check_consistency(&base_in, &base_set, &f), BASE_OK);
    cr_assert(!has_line(&f, "HorizontalPodAutoscaler", NULL), "%s", all_lines(&f));
    emit_findings_free(&f);
    free(sum.reps);
}

/* The SHA-256 of a scenario as the results store keeps it. */
static void sha_of(const char *path, char out[65])
{
    scn_doc *doc = NULL;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_doc_load(path, &doc, &err), BASE_OK, "%s", err.msg);
    size_t len = 0;
    const char *text = scn_doc_sources(doc, &len);
    base_sha256_hex(text, len, out);
    scn_doc_free(doc);
}

/* `simulate emit scenario` with the flow engine into deploy/ of sc, quietly; it must exit `want`
 * (1: the config emitted fails a check). */
static void emit_deploy(scratch *sc, const char *scenario, int want, run_result *r)
{
    run(sc, (const char *const[]){"emit", scenario, FLOW, "-o", "deploy", "-q", NULL}, r);
    cr_assert_eq(r->status, want, "emit %s: exit %d; stderr: %s", scenario, r->status, r->err);
}

Test(emit, the_command_writes_a_folder_python_jsonschema_accepts)
{
    scratch sc;
    scratch_open(&sc);
    run_result r;
    emit_deploy(&sc, CONN_FIXED, 0, &r);
    char path[256];
    snprintf(path, sizeof path, "%s/deploy/kubernetes/deployment.yaml", sc.cwd);
    size_t n;
    char *y = slurp(path, &n);
    cr_assert_not_null(y);
    char sha[65], want[128];
    sha_of(CONN_FIXED, sha);
    /* plain or quoted, as YAML needs it: "0123..." must be quoted, "cd5d..." need not */
    snprintf(want, sizeof want, "scenario-sha256: %s", sha);
    char quoted[128];
    snprintf(quoted, sizeof quoted, "scenario-sha256: \"%s\"", sha);
    cr_assert(strstr(y, want) || strstr(y, quoted), "no %s in\n%s", want, y);
    cr_assert_not_null(strstr(y, "run-id: \"1\""), "%s", y);
    free(y);
    snprintf(path, sizeof path, "%s/deploy/README.md", sc.cwd);
    y = slurp(path, &n);
    cr_assert_not_null(y);
    cr_assert_not_null(strstr(y, "${CLUSTER_NAME}"));
    cr_assert_not_null(strstr(y, "passed three checks"));
    free(y);

    /* Debian's python3-jsonschema on every emitted file */
    if (access("/usr/bin/python3", X_OK) != 0) {
        scratch_close(&sc);
        cr_skip("python3 is absent: the cross-check needs it (tools/setup)");
    }
    const char *const sub[] = {"kubernetes", "karpenter"};
    char *argv[40] = {"/usr/bin/python3", SCHEMAS "/validate.py", SCHEMAS};
    int argc = 3;
    static char names[40][512]; /* indexed by argc, up to 38 */
    for (size_t k = 0; k < 2; k++) {
        char d[200];
        snprintf(d, sizeof d, "%s/deploy/%s", sc.cwd, sub[k]);
        DIR *dir = opendir(d);
        if (!dir)
            continue;
        struct dirent *de;
        while ((de = readdir(dir)) && argc < 38) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(names[argc], sizeof names[argc], "%s/%s", d, de->d_name);
            argv[argc] = names[argc];
            argc++;
        }
        closedir(dir);
    }
    argv[argc] = NULL;
    cr_assert_geq(argc, 3 + 6, "too few files emitted");
    char out[200];
    snprintf(out, sizeof out, "%s/validate.out", sc.dir);
    int st = spawn_wait(argv, NULL, out, NULL, RUN_LIMIT_S);
    char *o = slurp(out, &n);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "validate.py:\n%s", o ? o : "");
    free(o);
    run_free(&r);
    scratch_close(&sc);
}

Test(emit, the_command_fails_on_a_database_the_pools_overrun)
{
    scratch sc;
    scratch_open(&sc);
    run_result r;
    emit_deploy(&sc, CONN_EXHAUST, 1, &r);
    cr_assert_not_null(strstr(r.err, "ConfigMap pgbouncer: data/pgbouncer.ini"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "max_connections 450"), "%s", r.err);
    run_free(&r);
    scratch_close(&sc);
}

Test(emit, emit_needs_an_output_folder)
{
    scratch sc;
    scratch_open(&sc);
    run_result r;
    run(&sc, (const char *const[]){"emit", CONN_FIXED, NULL}, &r);
    cr_assert_eq(r.status, 2);
    cr_assert_not_null(strstr(r.err, "-o DIR"), "%s", r.err);
    run_free(&r);
    scratch_close(&sc);
}

/* Replaces the line starting with `key` in ini by `line`. */
static void set_line(char *ini, size_t cap, const char *key, const char *line)
{
    char *p = strstr(ini, key);
    cr_assert_not_null(p, "no %s", key);
    char *end = strchr(p, '\n');
    char rest[4096];
    snprintf(rest, sizeof rest, "%s", end ? end : "");
    snprintf(p, cap - (size_t)(p - ini), "%s%s", line, rest);
}

Test(emit, pgbouncer_reads_the_emitted_settings_back)
{
    if (access("/usr/sbin/pgbouncer", X_OK) != 0 || access("/usr/bin/psql", X_OK) != 0)
        cr_skip("pgbouncer or psql is absent (Debian pgbouncer, postgresql-client: tools/setup)");
    static mdl_scenario s;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(CONN_FIXED, &s, &err), BASE_OK, "%s", err.msg);
    char *emitted = emit_pgbouncer_ini(&s);
    cr_assert_not_null(emitted);
    scratch sc;
    scratch_open(&sc);
    /* PgBouncer refuses to run as root: it drops to nobody, who must read and write here */
    chmod(sc.dir, 0777);
    static char ini[8192];
    snprintf(ini, sizeof ini, "%s", emitted);
    free(emitted);
    char line[256];
    int port = 20000 + (int)(getpid() % 20000);
    /* only what ties it to a real cluster changes: the database, the socket, the auth */
    set_line(ini, sizeof ini, "* = host=", "* = host=127.0.0.1 port=1");
    snprintf(line, sizeof line, "listen_port = %d", port);
    set_line(ini, sizeof ini, "listen_port =", line);
    set_line(ini, sizeof ini, "listen_addr =", "listen_addr = 127.0.0.1");
    snprintf(line, sizeof line, "unix_socket_dir = %s", sc.dir);
    set_line(ini, sizeof ini, "unix_socket_dir =", line);
    set_line(ini, sizeof ini, "auth_type =", "auth_type = trust");
    snprintf(line, sizeof line, "auth_file = %s/userlist.txt", sc.dir);
    set_line(ini, sizeof ini, "auth_file =", line);
    char path[256];
    snprintf(path, sizeof path, "%s/pgbouncer.ini", sc.dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(ini, f);
    fclose(f);
    chmod(path, 0644);
    snprintf(path, sizeof path, "%s/userlist.txt", sc.dir);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("\"pgbouncer\" \"\"\n", f);
    fclose(f);
    chmod(path, 0644);

    snprintf(path, sizeof path, "%s/pgbouncer.ini", sc.dir);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl("/usr/sbin/pgbouncer", "pgbouncer", "-u", "nobody", path, (char *)NULL);
        _exit(127);
    }
    /* wait for its socket (a readiness wait, not a timing assertion) */
    char sock[256];
    snprintf(sock, sizeof sock, "%s/.s.PGSQL.%d", sc.dir, port);
    for (int i = 0; i < 100 && access(sock, F_OK) != 0; i++)
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    char porttext[16];
    snprintf(porttext, sizeof porttext, "%d", port);
    char *argv[] = {
        "/usr/bin/psql", "-h",  sc.dir, "-p",          porttext, "-U", "pgbouncer", "-d",
        "pgbouncer",     "-At", "-c",   "SHOW CONFIG", NULL};
    char out[256];
    snprintf(out, sizeof out, "%s/show.out", sc.dir);
    int st = spawn_wait(argv, NULL, out, NULL, RUN_LIMIT_S);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    size_t n;
    char *o = slurp(out, &n);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "psql failed: %s", o ? o : "");
    char want[96];
    const struct {
        const char *key;
        long long v;
    } keys[] = {{"default_pool_size", s.pgbouncer.default_pool_size},
                {"reserve_pool_size", s.pgbouncer.reserve_pool_size},
                {"max_client_conn", s.pgbouncer.max_client_conn},
                {"query_wait_timeout", s.pgbouncer.query_wait_timeout / SIM_SEC}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        snprintf(want, sizeof want, "\n%s|%lld|", keys[i].key, keys[i].v);
        cr_assert_not_null(strstr(o, want), "no %s in SHOW CONFIG:\n%s", want + 1, o);
    }
    cr_assert_not_null(strstr(o, "\npool_mode|transaction|"), "%s", o);
    free(o);
    scratch_close(&sc);
}

Test(emit, the_same_scenario_gives_the_same_bytes_at_any_jobs)
{
    scratch sc;
    scratch_open(&sc);
    run_result r1, r2;
    run(&sc,
        (const char *const[]){"emit", CONN_FIXED, FLOW, "-o", "a", "--db", "a.db", "-j", "1", "-q",
                              NULL},
        &r1);
    run(&sc,
        (const char *const[]){"emit", CONN_FIXED, FLOW, "-o", "b", "--db", "b.db", "-j", "2", "-q",
                              NULL},
        &r2);
    cr_assert_eq(r1.status, 0, "%s", r1.err);
    cr_assert_eq(r2.status, 0, "%s", r2.err);
    const char *const files[] = {"kubernetes/deployment.yaml", "kubernetes/ingress.yaml",
                                 "kubernetes/pgbouncer-configmap.yaml", "pgbouncer.ini",
                                 "README.md"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char pa[256], pb[256];
        snprintf(pa, sizeof pa, "%s/a/%s", sc.cwd, files[i]);
        snprintf(pb, sizeof pb, "%s/b/%s", sc.cwd, files[i]);
        size_t na, nb;
        char *a = slurp(pa, &na), *b = slurp(pb, &nb);
        cr_assert(a && b, "%s missing", files[i]);
        cr_assert(na == nb && !memcmp(a, b, na), "%s differs between -j 1 and -j 2", files[i]);
        free(a);
        free(b);
    }
    run_free(&r1);
    run_free(&r2);
    scratch_close(&sc);
}

Test(emit, a_central_pgbouncer_gets_its_own_deployment_and_service)
{
    scratch sc;
    scratch_open(&sc);
    run_result r;
    run(&sc,
        (const char *const[]){"emit", SIMULATE_TESTDATA "/flow/grid/pool.yaml", "-o", "d", "-q",
                              NULL},
        &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char path[256];
    snprintf(path, sizeof path, "%s/d/kubernetes/pgbouncer-deployment.yaml", sc.cwd);
    size_t n;
    char *y = slurp(path, &n);
    cr_assert_not_null(y, "no central PgBouncer Deployment");
    cr_assert_not_null(strstr(y, "configMap:\n          name: pgbouncer"), "%s", y);
    free(y);
    snprintf(path, sizeof path, "%s/d/pgbouncer.ini", sc.cwd);
    y = slurp(path, &n);
    cr_assert_not_null(strstr(y, "listen_addr = 0.0.0.0"), "%s", y);
    free(y);
    run_free(&r);
    scratch_close(&sc);
}

/* ---------------------------------------------------------------- Terraform */

/* The Terraform objects of a set, each checked against schemas/terraform-aws-5.json. */
static size_t check_terraform(const emit_set *set)
{
    emit_findings f = {0};
    check_schemas(set, &f);
    cr_assert_eq(f.n, 0, "schema findings:\n%s", all_lines(&f));
    emit_findings_free(&f);
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        if (strstr(set->o[i].file, "terraform/") == set->o[i].file) {
            cr_assert_str_eq(set->o[i].schema, "terraform-aws-5.json");
            n++;
        }
    return n;
}

static json_t *tf_file(const emit_set *set, const char *file)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->o[i].file, file))
            return set->o[i].obj;
    return NULL;
}

static json_t *tf_resource(const emit_set *set, const char *file, const char *type,
                           const char *name)
{
    return json_object_get(json_object_get(json_object_get(tf_file(set, file), "resource"), type),
                           name);
}

/* Every argument that carries a secret is a ${...} reference to Secrets Manager; returns how
 * many there are. */
static size_t secrets_by_reference(json_t *o)
{
    static const char *const names[] = {"password", "master_password", "auth_token"};
    size_t n = 0;
    const char *k;
    json_t *v;
    size_t i;
    if (json_is_array(o))
        json_array_foreach(o, i, v)
        {
            n += secrets_by_reference(v);
        }
    json_object_foreach(o, k, v)
    {
        for (size_t j = 0; j < 3; j++)
            if (!strcmp(k, names[j])) {
                const char *s = json_string_value(v);
                cr_assert(s && !strncmp(s, "${data.aws_secretsmanager_secret_version.", 41),
                          "%s: a secret by value", k);
                n++;
            }
        n += secrets_by_reference(v);
    }
    return n;
}

Test(emit, terraform_of_the_seed_rds_passes_its_schema)
{
    static mdl_scenario s;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(SIMULATE_ROOT "/scenarios/mvp-low-traffic.yaml", &s, &err), BASE_OK, "%s",
                 err.msg);
    cr_assert(s.db.enabled && s.db.engine == MDL_DB_RDS, "the seed's database is RDS");
    s.db.read_replicas = 2; /* and its replicas */
    emit_input in = {.s = &s};
    memset(in.sha256, 'a', 64);
    emit_set set;
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    cr_assert_geq(check_terraform(&set), 3);
    json_t *db = tf_resource(&set, "terraform/database.tf.json", "aws_db_instance", "main");
    cr_assert_not_null(db);
    cr_assert_str_eq(json_string_value(json_object_get(db, "engine")), "postgres");
    cr_assert_str_eq(json_string_value(json_object_get(db, "instance_class")), s.db.instance_class);
    cr_assert_eq(json_is_true(json_object_get(db, "multi_az")), s.db.multi_az);
    cr_assert_str_eq(json_string_value(json_object_get(db, "storage_type")), "gp3");
    cr_assert_eq(json_integer_value(json_object_get(db, "backup_retention_period")), 35);
    json_t *rep = tf_resource(&set, "terraform/database.tf.json", "aws_db_instance", "replica_2");
    cr_assert_not_null(rep);
    cr_assert_str_eq(json_string_value(json_object_get(rep, "replicate_source_db")),
                     "${aws_db_instance.main.identifier}");
    /* one alarm per alarm of the scenario */
    json_t *al =
        json_object_get(json_object_get(tf_file(&set, "terraform/alarms.tf.json"), "resource"),
                        "aws_cloudwatch_metric_alarm");
    cr_assert_eq(json_object_size(al), s.nalarms);
    /* no run: no budget */
    cr_assert_null(tf_file(&set, "terraform/budget.tf.json"));
    /* a wrong argument is a finding */
    json_object_set_new(db, "storage_type", json_string("gp9"));
    emit_findings f = {0};
    cr_assert_eq(emit_check_schemas(&set, SCHEMAS, &f, &err), BASE_OK, "%s", err.msg);
    cr_assert(has_line(&f, "terraform/database.tf.json", "storage_type"), "%s", all_lines(&f));
    emit_findings_free(&f);
    emit_set_clear(&set);
}

Test(emit, terraform_of_aurora_passes_its_schema_and_the_budget_covers_the_bill, .init = open_base,
     .fini = close_base)
{
    /* black-friday: Aurora Serverless v2 */
    cr_assert_eq(base_s.db.engine, MDL_DB_AURORA);
    emit_set_clear(&base_set);
    /* a run's monthly cost, as the engine's summary gives it */
    static eng_summary sum;
    memset(&sum, 0, sizeof sum);
    snprintf(sum.figures[0].key, sizeof sum.figures[0].key, "monthly_cost");
    sum.figures[0].ci = (stat_ci){.mean = 12345.4, .half = 321.2, .n = 5};
    sum.nfigures = 1;
    base_in.sum = &sum;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(emit_build(&base_in, &base_set, &err), BASE_OK, "%s", err.msg);
    cr_assert_geq(check_terraform(&base_set), 6);
    json_t *c = tf_resource(&base_set, "terraform/database.tf.json", "aws_rds_cluster", "main");
    cr_assert_not_null(c);
    cr_assert_str_eq(json_string_value(json_object_get(c, "engine")), "aurora-postgresql");
    json_t *sc = json_object_get(c, "serverlessv2_scaling_configuration");
    cr_assert_float_eq(json_number_value(json_object_get(sc, "min_capacity")), base_s.db.acu_min,
                       1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(sc, "max_capacity")), base_s.db.acu_max,
                       1e-9);
    json_t *all = json_object_get(
        json_object_get(tf_file(&base_set, "terraform/database.tf.json"), "resource"),
        "aws_rds_cluster_instance");
    cr_assert_eq(json_object_size(all), (size_t)base_s.db.aurora_readers + 1, "writer + readers");
    json_t *rg = tf_resource(&base_set, "terraform/cache.tf.json",
                             "aws_elasticache_replication_group", "main");
    cr_assert_eq(json_integer_value(json_object_get(rg, "num_cache_clusters")), base_s.redis.nodes);
    /* the budget is at least the upper end of the bill's interval */
    json_t *b = tf_resource(&base_set, "terraform/budget.tf.json", "aws_budgets_budget", "monthly");
    cr_assert_not_null(b);
    double limit = strtod(json_string_value(json_object_get(b, "limit_amount")), NULL);
    cr_assert_geq(limit, 12345.4 + 321.2);
    cr_assert_lt(limit, 12345.4 + 321.2 + 1);
    cr_assert_str_eq(json_string_value(json_object_get(b, "budget_type")), "COST");
    /* no secret value: the password and the AUTH token are references, read at apply time */
    size_t secrets = 0;
    for (size_t i = 0; i < base_set.n; i++)
        if (!strncmp(base_set.o[i].file, "terraform/", 10))
            secrets += secrets_by_reference(base_set.o[i].obj);
    cr_assert_eq(secrets, 2, "the database password and the Redis AUTH token");
}

/* The DR region's Terraform (dr.c): provider alias, the database's copy there, Route 53's
 * failover with the health check as the model played it. */
static void load_dr(const char *file, mdl_scenario *s, emit_set *set)
{
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(file, s, &err), BASE_OK, "%s", err.msg);
    cr_assert(s->dr.enabled, "%s has a DR region", file);
    s->dr.health_check = true; /* dns.health_check, 10 s, 2 failures (dr-options' fast one) */
    s->dr.health_check_fast = 1;
    s->dr.health_check_failures = 2;
    emit_input in = {.s = s};
    memset(in.sha256, 'a', 64);
    cr_assert_eq(emit_build(&in, set, &err), BASE_OK, "%s", err.msg);
    check_terraform(set);
}

static const char *str_at(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

Test(emit, terraform_of_the_dr_region_follows_the_model)
{
    static mdl_scenario s;
    emit_set set;
    load_dr(SIMULATE_ROOT "/scenarios/region-failure.yaml", &s, &set);
    /* the aliased provider in the DR region */
    json_t *aws = json_object_get(
        json_object_get(tf_file(&set, "terraform/providers.tf.json"), "provider"), "aws");
    cr_assert(json_is_array(aws) && json_array_size(aws) == 2);
    cr_assert_str_eq(str_at(json_array_get(aws, 1), "alias"), "dr");
    /* RDS: a cross-region read replica of the primary, by ARN, in the DR region */
    json_t *rep = tf_resource(&set, "terraform/dr.tf.json", "aws_db_instance", "dr_replica");
    cr_assert_not_null(rep);
    cr_assert_str_eq(str_at(rep, "provider"), "aws.dr");
    cr_assert_str_eq(str_at(rep, "replicate_source_db"), "${aws_db_instance.main.arn}");
    cr_assert_str_eq(str_at(rep, "instance_class"), s.db.instance_class);
    cr_assert_str_eq(str_at(rep, "kms_key_id"), "${var.dr_kms_key_id}");
    /* Route 53: the health check as simulated, failover records PRIMARY (with it), SECONDARY */
    json_t *hc =
        tf_resource(&set, "terraform/route53.tf.json", "aws_route53_health_check", "primary");
    cr_assert_eq(json_integer_value(json_object_get(hc, "request_interval")), 10);
    cr_assert_eq(json_integer_value(json_object_get(hc, "failure_threshold")), 2);
    json_t *p = tf_resource(&set, "terraform/route53.tf.json", "aws_route53_record", "primary");
    json_t *d = tf_resource(&set, "terraform/route53.tf.json", "aws_route53_record", "dr");
    cr_assert_str_eq(
        str_at(json_array_get(json_object_get(p, "failover_routing_policy"), 0), "type"),
        "PRIMARY");
    cr_assert_str_eq(
        str_at(json_array_get(json_object_get(d, "failover_routing_policy"), 0), "type"),
        "SECONDARY");
    cr_assert_str_eq(str_at(p, "health_check_id"), "${aws_route53_health_check.primary.id}");
    cr_assert_null(json_object_get(d, "health_check_id"));
    cr_assert_str_neq(str_at(p, "set_identifier"), str_at(d, "set_identifier"));
    json_t *al = tf_resource(&set, "terraform/route53.tf.json", "aws_cloudwatch_metric_alarm",
                             "route53_primary_health_check");
    cr_assert_str_eq(str_at(al, "metric_name"), "HealthCheckStatus");
    /* an interval Route 53 does not offer is a finding */
    json_object_set_new(hc, "request_interval", json_integer(15));
    emit_findings f = {0};
    check_schemas(&set, &f);
    cr_assert(has_line(&f, "terraform/route53.tf.json", "request_interval"), "%s", all_lines(&f));
    emit_findings_free(&f);
    emit_set_clear(&set);
    /* without the health check: the records alone, the switch is the runbook's step 4 */
    s.dr.health_check = false;
    emit_input in = {.s = &s};
    base_err err;
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    check_terraform(&set);
    cr_assert_null(
        tf_resource(&set, "terraform/route53.tf.json", "aws_route53_health_check", "primary"));
    p = tf_resource(&set, "terraform/route53.tf.json", "aws_route53_record", "primary");
    cr_assert_not_null(p);
    cr_assert_null(json_object_get(p, "health_check_id"));
    emit_set_clear(&set);
}

Test(emit, terraform_of_an_aurora_dr_region_is_a_global_database)
{
    static mdl_scenario s;
    emit_set set;
    load_dr(SIMULATE_ROOT "/scenarios/region-failure-aurora.yaml", &s, &set);
    cr_assert_eq(s.db.engine, MDL_DB_AURORA);
    json_t *g = tf_resource(&set, "terraform/dr.tf.json", "aws_rds_global_cluster", "main");
    cr_assert_str_eq(str_at(g, "engine"), "aurora-postgresql");
    json_t *primary = tf_resource(&set, "terraform/database.tf.json", "aws_rds_cluster", "main");
    json_t *second = tf_resource(&set, "terraform/dr.tf.json", "aws_rds_cluster", "dr");
    cr_assert_str_eq(str_at(primary, "global_cluster_identifier"),
                     "${aws_rds_global_cluster.main.id}");
    cr_assert_str_eq(str_at(second, "global_cluster_identifier"),
                     "${aws_rds_global_cluster.main.id}");
    cr_assert_str_eq(str_at(second, "provider"), "aws.dr");
    cr_assert_null(json_object_get(second, "master_password"), "a secondary has no credentials");
    json_t *sc = json_object_get(second, "serverlessv2_scaling_configuration");
    cr_assert_float_eq(json_number_value(json_object_get(sc, "min_capacity")), s.db.acu_min, 1e-9);
    json_t *i = tf_resource(&set, "terraform/dr.tf.json", "aws_rds_cluster_instance", "dr_1");
    cr_assert_str_eq(str_at(i, "provider"), "aws.dr");
    cr_assert_null(tf_resource(&set, "terraform/dr.tf.json", "aws_db_instance", "dr_replica"));
    emit_set_clear(&set);
    /* no DR region (mvp-low-traffic: dr.enabled false): none of it */
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(SIMULATE_ROOT "/scenarios/mvp-low-traffic.yaml", &s, &err), BASE_OK, "%s",
                 err.msg);
    emit_input in = {.s = &s};
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    cr_assert_null(tf_file(&set, "terraform/dr.tf.json"));
    cr_assert_null(tf_file(&set, "terraform/route53.tf.json"));
    cr_assert(json_is_object(json_object_get(
        json_object_get(tf_file(&set, "terraform/providers.tf.json"), "provider"), "aws")));
    emit_set_clear(&set);
}

/* The files under dir/rel (two levels: the emitted folder's layout), sorted, into names. */
static size_t list_files(const char *dir, const char *rel, char names[][128], size_t n, size_t cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[128];
        int w = snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        cr_assert(w > 0 && (size_t)w < sizeof sub, "%s: a long name", e->d_name);
        char full[1024];
        struct stat sb;
        w = snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        cr_assert(w > 0 && (size_t)w < sizeof full);
        if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode))
            n = list_files(dir, sub, names, n, cap);
        else if (n < cap)
            snprintf(names[n++], 128, "%s", sub);
    }
    closedir(d);
    qsort(names, n, 128, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* Whether two texts are the same line for line, but for lines that name the run (its id
 * annotation, README's "run N of the results store") when runs_may_differ. */
static bool same_text(const char *a, const char *b, bool runs_may_differ)
{
    while (*a || *b) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        char x[4096], y[4096];
        snprintf(x, sizeof x, "%.*s", (int)la, a);
        snprintf(y, sizeof y, "%.*s", (int)lb, b);
        bool names_run = strstr(x, "/run-id") || strstr(x, "of the results store");
        if (strcmp(x, y) && !(runs_may_differ && names_run))
            return false;
        a += la + (ea ? 1 : 0);
        b += lb + (eb ? 1 : 0);
    }
    return true;
}

static void same_folders(const scratch *sc, const char *x, const char *y, bool runs_may_differ)
{
    static char fa[64][128], fb[64][128];
    char da[256], db[256];
    snprintf(da, sizeof da, "%s/%s", sc->cwd, x);
    snprintf(db, sizeof db, "%s/%s", sc->cwd, y);
    size_t na = list_files(da, "", fa, 0, 64), nb = list_files(db, "", fb, 0, 64);
    cr_assert_eq(na, nb, "%s has %zu files, %s %zu", x, na, y, nb);
    cr_assert_geq(na, 15, "the whole config (the DR region's Terraform with it)");
    for (size_t i = 0; i < na; i++) {
        cr_assert_str_eq(fa[i], fb[i]);
        char pa[512], pb[512];
        snprintf(pa, sizeof pa, "%s/%s", da, fa[i]);
        snprintf(pb, sizeof pb, "%s/%s", db, fb[i]);
        size_t la, lb;
        char *a = slurp(pa, &la), *b = slurp(pb, &lb);
        cr_assert(a && b);
        cr_assert(same_text(a, b, runs_may_differ), "%s differs between %s and %s", fa[i], x, y);
        free(a);
        free(b);
    }
}

/* `simulate emit RUN`: the stored run's config, from what the store kept (the scenario's text
 * and its pricing file's), equals the deploy/ folder that run wrote, byte for byte; and
 * `simulate emit SCENARIO` (another run) gives the same but for the run's id. */
Test(emit, a_stored_run_emits_what_its_run_wrote)
{
    scratch sc;
    scratch_open(&sc);
    const char *scn = SIMULATE_ROOT "/scenarios/region-failure.yaml";
    run_result r;
    run(&sc,
        (const char *const[]){"-q", "-r", "2", "-j", "1", FLOW, "-o", "a", "--db", "r.db", scn,
                              NULL},
        &r);
    cr_assert(r.status == 0 || r.status == 1, "%s", r.err);
    run_free(&r);
    run(&sc, (const char *const[]){"emit", "1", "--db", "r.db", "-o", "e", "-q", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    same_folders(&sc, "a/deploy", "e", false);
    run(&sc,
        (const char *const[]){"emit", scn, "-r", "2", "-j", "1", FLOW, "--db", "r.db", "-o", "f",
                              "-q", NULL},
        &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    same_folders(&sc, "e", "f", true);
    /* a run that is not there is the user's input */
    run(&sc, (const char *const[]){"emit", "9", "--db", "r.db", "-o", "g", NULL}, &r);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "no run 9"), "%s", r.err);
    run_free(&r);
    scratch_close(&sc);
}

/* The dev environment's schedule (schedule.c): CronJobs at the scenario's times that only may
 * patch the Deployment's scale, and EventBridge Scheduler entries stopping and starting RDS. */
static const char *cron_of(const emit_set *set, const char *name)
{
    json_t *o = emit_find(set, "CronJob", name);
    cr_assert_not_null(o, "CronJob %s", name);
    return json_string_value(json_object_get(json_object_get(o, "spec"), "schedule"));
}

Test(emit, the_dev_schedule_emits_cronjobs_and_scheduler_entries)
{
    static mdl_scenario s;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(SIMULATE_ROOT "/scenarios/dev.yaml", &s, &err), BASE_OK, "%s", err.msg);
    emit_input in = {.s = &s};
    memset(in.sha256, 'a', 64);
    emit_set set;
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    cr_assert_str_eq(cron_of(&set, "flask-api-stop"), "0 20 * * *");
    cr_assert_str_eq(cron_of(&set, "flask-api-start"), "0 8 * * *");
    json_t *rule = json_array_get(json_object_get(emit_find(&set, "Role", NULL), "rules"), 0);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(rule, "resources"), 0)),
                     "deployments/scale");
    cr_assert_eq(json_array_size(json_object_get(rule, "verbs")), 1);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(rule, "verbs"), 0)), "patch");
    check_terraform(&set);
    json_t *stop =
        tf_resource(&set, "terraform/schedule.tf.json", "aws_scheduler_schedule", "db_stop");
    json_t *start =
        tf_resource(&set, "terraform/schedule.tf.json", "aws_scheduler_schedule", "db_start");
    cr_assert_not_null(stop);
    cr_assert_not_null(start);
    cr_assert_str_eq(str_at(stop, "schedule_expression"), "cron(0 20 * * ? *)");
    cr_assert_str_eq(str_at(start, "schedule_expression"), "cron(0 8 * * ? *)");
    cr_assert_str_eq(str_at(json_object_get(stop, "target"), "arn"),
                     "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance");
    cr_assert_str_eq(str_at(json_object_get(start, "target"), "arn"),
                     "arn:aws:scheduler:::aws-sdk:rds:startDBInstance");
    /* weekdays only: Kubernetes numbers Sunday 0, EventBridge names the days */
    s.schedule.days = 0x1f;
    emit_set_clear(&set);
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    cr_assert_str_eq(cron_of(&set, "flask-api-stop"), "0 20 * * 1,2,3,4,5");
    stop = tf_resource(&set, "terraform/schedule.tf.json", "aws_scheduler_schedule", "db_stop");
    cr_assert_str_eq(str_at(stop, "schedule_expression"), "cron(0 20 ? * MON,TUE,WED,THU,FRI *)");
    emit_set_clear(&set);

    /* without a schedule: none of it */
    s.schedule.enabled = false;
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    cr_assert_null(emit_find(&set, "CronJob", NULL));
    cr_assert_null(emit_find(&set, "Role", NULL));
    cr_assert_null(tf_file(&set, "terraform/schedule.tf.json"));
    emit_set_clear(&set);
}

/* ---------------------------------------------------------------- two regions, replicas */

/* The file at path of the set, or NULL. */
static json_t *object_at(const emit_set *set, const char *file)
{
    return tf_file(set, file);
}

/* The README emit writes for in and set, read back (allocated). */
static char *readme_of(const emit_input *in, const emit_set *set)
{
    scratch sc;
    scratch_open(&sc);
    base_err err;
    base_err_clear(&err);
    char dir[300], path[340];
    snprintf(dir, sizeof dir, "%s/out", sc.cwd);
    cr_assert_eq(emit_write(in, set, NULL, dir, &err), BASE_OK, "%s", err.msg);
    snprintf(path, sizeof path, "%s/README.md", dir);
    size_t n;
    char *y = slurp(path, &n);
    cr_assert_not_null(y);
    scratch_close(&sc);
    return y;
}

static void build_two_regions(mdl_scenario *s, emit_input *in, emit_set *set)
{
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(SIMULATE_ROOT "/scenarios/multi-region.yaml", s, &err), BASE_OK, "%s",
                 err.msg);
    cr_assert(s->regions.enabled && s->regions.serve == MDL_REGIONS_TWO);
    memset(in, 0, sizeof *in);
    in->s = s;
    memset(in->sha256, 'a', 64);
    cr_assert_eq(emit_build(in, set, &err), BASE_OK, "%s", err.msg);
}

Test(emit, the_second_region_gets_its_manifests_terraform_and_latency_records)
{
    static mdl_scenario s;
    emit_input in;
    emit_set set;
    build_two_regions(&s, &in, &set);
    s.regions.max_replicas = 60; /* its own HPA bound, beside the primary's 200 */
    emit_set_clear(&set);
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    static const char *const files[] = {
        "eu-west-1/kubernetes/deployment.yaml",
        "eu-west-1/kubernetes/service.yaml",
        "eu-west-1/kubernetes/ingress.yaml",
        "eu-west-1/kubernetes/poddisruptionbudget.yaml",
        "eu-west-1/kubernetes/networkpolicy.yaml",
        "eu-west-1/kubernetes/horizontalpodautoscaler.yaml",
        "eu-west-1/karpenter/ec2nodeclass.yaml",
        "terraform/region-eu-west-1.tf.json",
        "terraform/route53-latency.tf.json",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        cr_assert_not_null(object_at(&set, files[i]), "%s is not emitted", files[i]);
    /* every object, both regions', passes its schema and the policy (the security posture) */
    check_terraform(&set);
    emit_findings f = {0};
    cr_assert_eq(emit_check_policy(&set, &f), BASE_OK);
    cr_assert_eq(f.n, 0, "policy findings:\n%s", all_lines(&f));
    emit_findings_free(&f);
    /* its own HPA bounds; the primary's unchanged */
    json_t *hpa = object_at(&set, "eu-west-1/kubernetes/horizontalpodautoscaler.yaml");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(hpa, "spec"), "maxReplicas")),
                 60);
    hpa = object_at(&set, "kubernetes/horizontalpodautoscaler.yaml");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(hpa, "spec"), "maxReplicas")),
                 s.hpa.max_replicas);
    /* the provider alias of the second region */
    json_t *aws = json_object_get(
        json_object_get(tf_file(&set, "terraform/providers.tf.json"), "provider"), "aws");
    cr_assert(json_is_array(aws));
    json_t *last = json_array_get(aws, json_array_size(aws) - 1);
    cr_assert_str_eq(str_at(last, "alias"), "eu_west_1");
    cr_assert_str_eq(str_at(last, "region"), "eu-west-1");
    /* the RDS replica in eu-west-1: its source is the primary, by ARN */
    json_t *rep = tf_resource(&set, "terraform/region-eu-west-1.tf.json", "aws_db_instance",
                              "eu_west_1_replica");
    cr_assert_not_null(rep);
    cr_assert_str_eq(str_at(rep, "replicate_source_db"), "${aws_db_instance.main.arn}");
    cr_assert_str_eq(str_at(rep, "provider"), "aws.eu_west_1");
    cr_assert_str_eq(str_at(rep, "instance_class"), s.db.instance_class);
    /* latency records name both regions, each with its health check at the dns.* settings */
    const char *regions[2] = {NULL, NULL};
    static const char *const recs[] = {"primary_latency", "eu_west_1_latency"};
    for (int i = 0; i < 2; i++) {
        json_t *r =
            tf_resource(&set, "terraform/route53-latency.tf.json", "aws_route53_record", recs[i]);
        cr_assert_not_null(r, "%s", recs[i]);
        regions[i] =
            str_at(json_array_get(json_object_get(r, "latency_routing_policy"), 0), "region");
        cr_assert_str_eq(str_at(r, "set_identifier"), regions[i]);
        char want[96];
        snprintf(want, sizeof want, "${aws_route53_health_check.%s.id}", recs[i]);
        cr_assert_str_eq(str_at(r, "health_check_id"), want);
        json_t *hc = tf_resource(&set, "terraform/route53-latency.tf.json",
                                 "aws_route53_health_check", recs[i]);
        cr_assert_eq(json_integer_value(json_object_get(hc, "failure_threshold")),
                     s.dr.health_check_failures);
    }
    cr_assert_str_eq(regions[0], "us-east-1");
    cr_assert_str_eq(regions[1], "eu-west-1");
    /* what a team needs to apply it: eu-west-1's EKS cluster (private API server, seed §4.4)
     * with the system node group the model bills and the Karpenter nodes' access entry; the
     * VPC peering accepted in eu-west-1, routed both ways; CloudFront's API origin domain */
    const char *eks_file = "terraform/eks-eu-west-1.tf.json";
    json_t *eks = tf_resource(&set, eks_file, "aws_eks_cluster", "eu_west_1");
    cr_assert_not_null(eks, "no EKS cluster for eu-west-1");
    cr_assert_str_eq(str_at(eks, "provider"), "aws.eu_west_1");
    json_t *vpc = json_array_get(json_object_get(eks, "vpc_config"), 0);
    cr_assert(json_is_false(json_object_get(vpc, "endpoint_public_access")));
    cr_assert(json_is_true(json_object_get(vpc, "endpoint_private_access")));
    json_t *ng = tf_resource(&set, eks_file, "aws_eks_node_group", "eu_west_1_system");
    cr_assert_not_null(ng);
    cr_assert_eq(json_integer_value(json_object_get(
                     json_array_get(json_object_get(ng, "scaling_config"), 0), "desired_size")),
                 s.cluster.system_nodes);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ng, "instance_types"), 0)),
                     s.cluster.system_type);
    json_t *entry = tf_resource(&set, eks_file, "aws_eks_access_entry", "eu_west_1_karpenter_node");
    cr_assert_str_eq(str_at(entry, "type"), "EC2_LINUX");
    cr_assert_str_eq(str_at(entry, "principal_arn"),
                     "${aws_iam_role.eu_west_1_karpenter_node.arn}");
    cr_assert_not_null(json_object_get(json_object_get(tf_file(&set, eks_file), "output"),
                                       "eu_west_1_karpenter_node_role"));
    const char *link = "terraform/vpc-peering.tf.json";
    json_t *pc = tf_resource(&set, link, "aws_vpc_peering_connection", "eu_west_1");
    cr_assert_str_eq(str_at(pc, "peer_region"), "eu-west-1");
    cr_assert(json_is_false(json_object_get(pc, "auto_accept")), "inter-Region: accepted there");
    json_t *acc = tf_resource(&set, link, "aws_vpc_peering_connection_accepter", "eu_west_1");
    cr_assert_str_eq(str_at(acc, "provider"), "aws.eu_west_1");
    cr_assert_str_eq(
        str_at(tf_resource(&set, link, "aws_route", "to_eu_west_1"), "destination_cidr_block"),
        "${var.eu_west_1_vpc_cidr}");
    cr_assert_str_eq(str_at(tf_resource(&set, link, "aws_route", "eu_west_1_to_primary"),
                            "destination_cidr_block"),
                     "${var.vpc_cidr}");
    json_t *origin = json_object_get(
        json_object_get(tf_file(&set, "terraform/route53-latency.tf.json"), "output"),
        "cloudfront_api_origin_domain");
    cr_assert_str_eq(str_at(origin, "value"), "${var.api_domain_name}");
    /* the schema holds the new resources to their documented arguments */
    json_object_set_new(eks, "endpoint_public_access", json_true()); /* vpc_config's, misplaced */
    emit_findings bad = {0};
    base_err berr;
    base_err_clear(&berr);
    cr_assert_eq(emit_check_schemas(&set, SCHEMAS, &bad, &berr), BASE_OK, "%s", berr.msg);
    cr_assert_eq(bad.n, 1, "%s", all_lines(&bad));
    cr_assert_not_null(strstr(bad.line[0], "endpoint_public_access"), "%s", all_lines(&bad));
    emit_findings_free(&bad);
    json_object_del(eks, "endpoint_public_access");
    /* eu-west-1's pods write to the primary */
    char *readme = readme_of(&in, &set);
    cr_assert_not_null(strstr(readme, "## The second region (eu-west-1)"));
    cr_assert_not_null(strstr(readme, "${PRIMARY_DB_ENDPOINT}"));
    free(readme);
    emit_set_clear(&set);
}

Test(emit, an_aurora_second_region_is_a_global_database_secondary)
{
    static mdl_scenario s;
    emit_input in;
    emit_set set;
    build_two_regions(&s, &in, &set);
    emit_set_clear(&set);
    s.db.engine = MDL_DB_AURORA; /* regions.database auto: the Global Database */
    s.regions.database = MDL_REGIONS_DB_AUTO;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    check_terraform(&set);
    json_t *g =
        tf_resource(&set, "terraform/region-eu-west-1.tf.json", "aws_rds_global_cluster", "main");
    cr_assert_not_null(g);
    json_t *second =
        tf_resource(&set, "terraform/region-eu-west-1.tf.json", "aws_rds_cluster", "eu_west_1");
    cr_assert_str_eq(str_at(second, "global_cluster_identifier"),
                     "${aws_rds_global_cluster.main.id}");
    cr_assert_str_eq(str_at(second, "provider"), "aws.eu_west_1");
    cr_assert_null(json_object_get(second, "master_password"), "a secondary has no credentials");
    json_t *primary = tf_resource(&set, "terraform/database.tf.json", "aws_rds_cluster", "main");
    cr_assert_str_eq(str_at(primary, "global_cluster_identifier"),
                     "${aws_rds_global_cluster.main.id}");
    emit_set_clear(&set);
}

Test(emit, aurora_reader_scaling_is_application_auto_scaling_at_the_scenarios_bounds)
{
    scratch sc;
    scratch_open(&sc);
    char path[300];
    snprintf(path, sizeof path, "%s/aurora-readers.yaml", sc.cwd);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fprintf(fp,
            "extends: %s/scenarios/region-failure-aurora.yaml\n"
            "database:\n  aurora:\n    reader_scaling: {enabled: true, min: 2, max: 7, "
            "target: 55%%, scale_in_cooldown: 10m}\n",
            SIMULATE_ROOT);
    fclose(fp);
    static mdl_scenario s;
    emit_input in;
    emit_set set;
    build_file(path, &s, &in, &set);
    check_terraform(&set);
    const char *f = "terraform/replica-scaling.tf.json";
    json_t *t = tf_resource(&set, f, "aws_appautoscaling_target", "aurora_readers");
    json_t *p = tf_resource(&set, f, "aws_appautoscaling_policy", "aurora_readers");
    cr_assert_not_null(t);
    cr_assert_not_null(p);
    cr_assert_eq(json_integer_value(json_object_get(t, "min_capacity")), 2);
    cr_assert_eq(json_integer_value(json_object_get(t, "max_capacity")), 7);
    cr_assert_str_eq(str_at(t, "scalable_dimension"), "rds:cluster:ReadReplicaCount");
    cr_assert_str_eq(str_at(t, "service_namespace"), "rds");
    cr_assert_str_eq(str_at(p, "policy_type"), "TargetTrackingScaling");
    json_t *cfg =
        json_array_get(json_object_get(p, "target_tracking_scaling_policy_configuration"), 0);
    cr_assert_float_eq(json_number_value(json_object_get(cfg, "target_value")), 55.0, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(cfg, "scale_in_cooldown")), 600);
    cr_assert_str_eq(
        str_at(json_array_get(json_object_get(cfg, "predefined_metric_specification"), 0),
               "predefined_metric_type"),
        "RDSReaderAverageCPUUtilization");
    /* no rule alarms: AWS runs this one */
    cr_assert_null(tf_resource(&set, f, "aws_cloudwatch_metric_alarm", "db_replicas_scale_out"));
    emit_set_clear(&set);
    scratch_close(&sc);
}

Test(emit, rds_replica_scaling_emits_the_rules_alarms_and_says_who_runs_it)
{
    static mdl_scenario s;
    emit_input in;
    emit_set set;
    build_file(SIMULATE_ROOT "/scenarios/read-replicas.yaml", &s, &in, &set);
    check_terraform(&set);
    const char *f = "terraform/replica-scaling.tf.json";
    cr_assert_null(tf_resource(&set, f, "aws_appautoscaling_target", "aurora_readers"),
                   "RDS has no replica auto scaling");
    json_t *out = tf_resource(&set, f, "aws_cloudwatch_metric_alarm", "db_replicas_scale_out");
    json_t *in_ = tf_resource(&set, f, "aws_cloudwatch_metric_alarm", "db_replicas_scale_in");
    cr_assert_float_eq(json_number_value(json_object_get(out, "threshold")),
                       s.db.replica_scaling.target * 100, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(out, "evaluation_periods")),
                 s.db.replica_scaling.out_periods);
    cr_assert_float_eq(json_number_value(json_object_get(in_, "threshold")),
                       s.db.replica_scaling.target * s.db.replica_scaling.in_ratio * 100, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(in_, "evaluation_periods")),
                 s.db.replica_scaling.in_periods);
    char *readme = readme_of(&in, &set);
    cr_assert_not_null(strstr(readme, "Nothing in AWS adds or removes these replicas by itself"));
    free(readme);
    emit_set_clear(&set);
}

/* Without regions: or replica scaling, none of it (the outputs of such scenarios are byte for
 * byte what they were: checked against the previous build when this was written). */
Test(emit, no_second_region_and_no_replica_rule_without_their_keys, .init = open_base,
     .fini = close_base)
{
    cr_assert(!base_s.regions.enabled || base_s.regions.serve != MDL_REGIONS_TWO);
    for (size_t i = 0; i < base_set.n; i++)
        cr_assert(strncmp(base_set.o[i].file, "eu-west-1/", 10), "%s", base_set.o[i].file);
    cr_assert_null(tf_file(&base_set, "terraform/region-eu-west-1.tf.json"));
    cr_assert_null(tf_file(&base_set, "terraform/route53-latency.tf.json"));
    cr_assert_null(tf_file(&base_set, "terraform/replica-scaling.tf.json"));
    char *readme = readme_of(&base_in, &base_set);
    cr_assert_null(strstr(readme, "## The second region"));
    cr_assert_null(strstr(readme, "## Read replicas added under load"));
    free(readme);
}

/* karpenter.nodepools[].limits.cpu as set is what the NodePool says (no annotation of a derived
 * one), it passes the schema, and the consistency check says when the run's pool reached it. */
Test(emit, a_nodepool_limit_is_written_and_checked)
{
    static mdl_scenario s; /* large: not on the stack */
    emit_input in;
    emit_set set;
    build_file(SIMULATE_TESTDATA "/compute/nodepool-limit.yaml", &s, &in, &set);
    json_t *np = emit_find(&set, "NodePool", "general-arm64");
    cr_assert_not_null(np);
    json_t *lim = json_object_get(json_object_get(np, "spec"), "limits");
    cr_assert_str_eq(json_string_value(json_object_get(lim, "cpu")), "4");
    cr_assert_null(json_object_get(lim, "memory"), "no memory limit was set");
    cr_assert_null(json_object_get(json_object_get(json_object_get(np, "metadata"), "annotations"),
                                   EMIT_ANN_DERIVED_CPU));
    emit_findings f = {0};
    check_schemas(&set, &f);
    cr_assert_eq(f.n, 0, "schema findings:\n%s", all_lines(&f));

    /* a run whose pool peaked at 4 vCPUs (no 2-vCPU node fits under 4 more) reached it; one at
     * 2 did not */
    eng_rep rep;
    memset(&rep, 0, sizeof rep);
    rep.peak_pool_vcpu[0] = 4;
    eng_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.scenario = &s;
    sum.replications = 1;
    sum.reps = &rep;
    in.sum = &sum;
    cr_assert_eq(emit_check_consistency(&in, &set, &f), BASE_OK);
    cr_assert(has_line(&f, "NodePool general-arm64: /spec/limits/cpu: 4 was reached", NULL), "%s",
              all_lines(&f));
    emit_findings_free(&f);
    rep.peak_pool_vcpu[0] = 2;
    emit_findings g = {0};
    cr_assert_eq(emit_check_consistency(&in, &set, &g), BASE_OK);
    cr_assert(!has_line(&g, "NodePool general-arm64", NULL), "%s", all_lines(&g));
    emit_findings_free(&g);
    emit_set_clear(&set);

    /* without the key: the limit from the run's peak, and the annotation saying so */
    build_file(SIMULATE_TESTDATA "/compute/base.yaml", &s, &in, &set);
    np = emit_find(&set, "NodePool", "general-arm64");
    const char *cpu = json_string_value(
        json_object_get(json_object_get(json_object_get(np, "spec"), "limits"), "cpu"));
    const char *ann = json_string_value(json_object_get(
        json_object_get(json_object_get(np, "metadata"), "annotations"), EMIT_ANN_DERIVED_CPU));
    cr_assert_not_null(cpu);
    cr_assert_not_null(ann);
    cr_assert_str_eq(cpu, ann);
    emit_set_clear(&set);
}
