/*
 * test_import.c — `simulate import` (issue 15): the round trip (run a scenario, which writes its
 * deploy/ folder; import that folder; run the import) gives the same report.json for every
 * scenario in scenarios/ and the docs' examples; the manifests win over the carried copy; a
 * team's own manifests map onto the right keys; hostile files are one line and exit 2.
 *
 * What the round trip compares: all of report.json but `scenario.file` (the path of the file
 * that was run) and, in `assumptions`, each key's `set_in` (the file and line that set it) and
 * the value of `replications` (the runs here take -r 1 on the command line; the report records
 * the file's own value, and the emitted copy records the 1 the run used). The exit code must be
 * the same too (1 when an objective failed).
 */
#define SUPPORT_NAME "import"
#define RUN_LIMIT_S  300.0
#include "support.h"
#include "support/a_scratch.h"

#include <jansson.h>

#include "emit/emit.h"
#include "import/import.h"
#include "io/io.h"

TestSuite(import, .fini = scratch_fini);

static json_t *report(const char *path)
{
    json_error_t je;
    json_t *r = json_load_file(path, 0, &je);
    cr_assert_not_null(r, "%s: %s", path, je.text);
    json_object_del(json_object_get(r, "scenario"), "file");
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(r, "assumptions"), i, a)
    {
        json_object_del(a, "set_in");
        const char *k = json_string_value(json_object_get(a, "key"));
        if (k && !strcmp(k, "replications"))
            json_object_del(a, "value");
    }
    return r;
}

/* out: where the imported scenario is written (relative to the scratch folder); prepare: what
 * the folder needs first (NULL: nothing). */
static void round_trip_to(const char *scenario, const char *out, void (*prepare)(const scratch *));

static void round_trip(const char *scenario)
{
    round_trip_to(scenario, "imported.yaml", NULL);
}

static void round_trip_to(const char *scenario, const char *out, void (*prepare)(const scratch *))
{
    scratch sc;
    scratch_open(&sc);
    if (prepare)
        prepare(&sc);
    run_result r;
    run(&sc, (const char *const[]){"-q", "-r", "1", "-j", "1", "-o", "a", scenario, NULL}, &r);
    /* 1: an objective failed (the report is written all the same) */
    int status = r.status;
    cr_assert(status == 0 || status == 1, "%s: %s", scenario, r.err);
    run_free(&r);
    run(&sc, (const char *const[]){"import", "-q", "a/deploy", "-o", out, NULL}, &r);
    cr_assert_eq(r.status, 0, "import of %s: %s", scenario, r.err);
    cr_assert_eq(r.out_len, 0, "%s", r.out);
    run_free(&r);
    run(&sc, (const char *const[]){"-q", "-r", "1", "-j", "1", "-o", "b", out, NULL}, &r);
    cr_assert_eq(r.status, status, "imported %s: %s", scenario, r.err);
    run_free(&r);
    char pa[200], pb[200];
    snprintf(pa, sizeof pa, "%s/a/report.json", sc.cwd);
    snprintf(pb, sizeof pb, "%s/b/report.json", sc.cwd);
    json_t *a = report(pa), *b = report(pb);
    const char *k;
    json_t *v;
    json_object_foreach(a, k, v)
    {
        cr_expect(json_equal(v, json_object_get(b, k)),
                  "%s: report.json's %s differs after the "
                  "round trip (%s/%s)",
                  scenario, k, sc.cwd, out);
    }
    cr_assert_eq(json_object_size(a), json_object_size(b));
    json_decref(a);
    json_decref(b);
    scratch_close(&sc);
}

#define ROUND_TRIP(name, path)                                                                     \
    Test(import, round_trip_##name)                                                                \
    {                                                                                              \
        round_trip(SIMULATE_ROOT "/" path);                                                        \
    }
ROUND_TRIP(az_failure, "scenarios/az-failure.yaml")
ROUND_TRIP(black_friday, "scenarios/black-friday.yaml")
ROUND_TRIP(dev, "scenarios/dev.yaml")
ROUND_TRIP(dr_options, "scenarios/dr-options.yaml")
ROUND_TRIP(mvp_low_traffic, "scenarios/mvp-low-traffic.yaml")
ROUND_TRIP(rds_vs_aurora, "scenarios/rds-vs-aurora.yaml")
ROUND_TRIP(region_failure_aurora, "scenarios/region-failure-aurora.yaml")
ROUND_TRIP(region_failure, "scenarios/region-failure.yaml")
ROUND_TRIP(spot_storm, "scenarios/spot-storm.yaml")
ROUND_TRIP(read_replicas, "scenarios/read-replicas.yaml")
ROUND_TRIP(example_mvp_with_dr, "docs/examples/mvp-with-dr.yaml")
ROUND_TRIP(example_black_friday_pr, "docs/examples/black-friday-pr.yaml")

/* multi-region.yaml names its second pricing file relative to itself
 * (../models/pricing/eu-west-1.yaml), which the carried copy keeps as written (docs/emit.md):
 * the imported scenario goes where that path resolves. */
static void eu_pricing_beside(const scratch *sc)
{
    char dir[600], cmd[2048];
    snprintf(dir, sizeof dir, "%s/models/pricing", sc->cwd);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/s' && cp '%s/models/pricing/eu-west-1.yaml' '%s/'",
             dir, sc->cwd, SIMULATE_ROOT, dir);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

Test(import, round_trip_multi_region)
{
    round_trip_to(SIMULATE_ROOT "/scenarios/multi-region.yaml", "s/imported.yaml",
                  eu_pricing_beside);
}

/* karpenter.nodepools[].limits: emitted as the NodePool's spec.limits and read back into the
 * key, so the run of the import is the run of the scenario (its nodes_vcpu column and
 * peak_vcpu figure included). The scenarios above, without limits, check the other half: the
 * limit emit derives from their peak is not read back as one. */
static void limited_scenario(const scratch *sc)
{
    char path[700];
    snprintf(path, sizeof path, "%s/limited.yaml", sc->cwd);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fprintf(f,
            "extends: %s/scenarios/mvp-low-traffic.yaml\n"
            "karpenter:\n  nodepools:\n"
            "    - {name: general-arm64, arch: [arm64], families: [t4g, m7g, c7g],\n"
            "       limits: {cpu: 6, memory: 24Gi}}\n",
            SIMULATE_ROOT);
    fclose(f);
}

Test(import, round_trip_nodepool_limits)
{
    round_trip_to("limited.yaml", "imported.yaml", limited_scenario);
}

/* An edited manifest wins over the scenario emit carried beside it. */
Test(import, the_manifest_wins_over_the_carried_copy)
{
    scratch sc;
    scratch_open(&sc);
    run_ok(&sc, (const char *const[]){"-q", "-r", "1", "-o", "a",
                                      SIMULATE_ROOT "/scenarios/mvp-low-traffic.yaml", NULL});
    char *y = read_in(&sc, "a/deploy/kubernetes/deployment.yaml");
    char *at = strstr(y, "\n  replicas: ");
    cr_assert_not_null(at, "%s", y);
    char *end = strchr(at + 1, '\n');
    base_buf b = {0};
    base_buf_add(&b, y, (size_t)(at - y));
    base_buf_adds(&b, "\n  replicas: 7");
    base_buf_adds(&b, end);
    write_in(&sc, "a/deploy/kubernetes/deployment.yaml", b.p);
    base_buf_free(&b);
    free(y);
    run_result r;
    run(&sc, (const char *const[]){"import", "a/deploy", "-o", "i.yaml", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "PodDisruptionBudget flask-api: not a scenario key"), "%s",
                       r.err);
    run_free(&r);
    y = read_in(&sc, "i.yaml");
    cr_assert_not_null(strstr(y, "replicas: 7"), "%s", y);
    free(y);
    scratch_close(&sc);
}

/* A team's own manifests, no carried scenario: each field onto its key, the rest noted. */
Test(import, a_teams_manifests_map_onto_the_keys)
{
    scratch sc;
    scratch_open(&sc);
    mkdir_in(&sc, "team");
    write_in(&sc, "team/app.yaml",
             "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
             "  replicas: 4\n  template:\n    spec:\n"
             "      nodeSelector: {kubernetes.io/arch: amd64}\n      containers:\n"
             "        - name: api\n          image: registry.example/api:1.2\n"
             "          command: [gunicorn, \"--workers=4\", -t, \"60\", app:app]\n"
             "          resources:\n            requests: {cpu: 500m, memory: 512Mi}\n"
             "            limits: {cpu: 1, memory: 1Gi}\n"
             "          readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}\n"
             "        - name: pgbouncer\n          image: bitnami/pgbouncer:1.22\n"
             "---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\n"
             "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
             "metadata: {name: api}\nspec:\n  scaleTargetRef: {kind: Deployment, name: api}\n"
             "  minReplicas: 4\n  maxReplicas: 30\n  metrics:\n    - type: Resource\n"
             "      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}\n");
    write_in(&sc, "team/pool.yaml",
             "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: x86}\nspec:\n"
             "  template:\n    spec:\n      requirements:\n"
             "        - {key: kubernetes.io/arch, operator: In, values: [amd64]}\n"
             "        - {key: karpenter.k8s.aws/instance-family, operator: In, values: [m7i]}\n"
             "  disruption: {consolidationPolicy: WhenEmpty, consolidateAfter: 5m}\n");
    write_in(&sc, "team/pgbouncer.ini",
             "[databases]\n* = host=db\n[pgbouncer]\npool_mode = transaction\n"
             "default_pool_size = 40\nserver_idle_timeout = 600\n");
    write_in(&sc, "team/db.tf.json",
             "{\"resource\": {\"aws_db_instance\": {\"main\": {\"engine\": \"postgres\", "
             "\"instance_class\": \"db.r7g.large\", \"multi_az\": true, "
             "\"allocated_storage\": 200}}}}\n");
    run_result r;
    run(&sc,
        (const char *const[]){"import", "team", "-o", "t.yaml", "--base",
                              SIMULATE_ROOT "/scenarios/mvp-low-traffic.yaml", NULL},
        &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "simulate: team/app.yaml: Service api: not simulated"), "%s",
                       r.err);
    cr_assert_not_null(strstr(r.err, "team/pgbouncer.ini: server_idle_timeout = 600: not "
                                     "simulated"),
                       "%s", r.err);
    run_free(&r);
    char *y = read_in(&sc, "t.yaml");
    static const char *const want[] = {"extends: ../../../../work",
                                       "replicas: 4",
                                       "workers: 4",
                                       "timeout: \"60s\"",
                                       "cpu: \"500m\"",
                                       "node_selector: amd64",
                                       "max_replicas: 30",
                                       "cpu_target: \"60%\"",
                                       "memory_target: \"0%\"",
                                       "default_pool_size: 40",
                                       "name: x86",
                                       "consolidation: when_empty",
                                       "instance_class: db.r7g.large",
                                       "storage_gb: 200",
                                       "tolerate_spot: false"};
    for (size_t i = 1; i < sizeof want / sizeof want[0]; i++)
        cr_expect_not_null(strstr(y, want[i]), "no '%s' in\n%s", want[i], y);
    /* the base's values are not repeated: mvp-low-traffic's multi_az is the seed's true */
    cr_expect_null(strstr(y, "multi_az"), "%s", y);
    free(y);
    /* and it runs */
    run(&sc, (const char *const[]){"--check", "t.yaml", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    scratch_close(&sc);
}

/* Malformed or hostile files: one line naming the file and position, exit 2, nothing written. */
Test(import, hostile_files_are_one_line_and_exit_2)
{
    static const struct {
        const char *file, *text, *msg;
    } cases[] = {
        {"x.yaml", "kind: Deployment\nspec: [1, 2\n", "x.yaml:"},
        {"x.yaml", "a: &a [1]\nb: *a\n", "anchors"},
        {"x.yaml", "a: 1\na: 2\n", "duplicate key"},
        {"pgbouncer.ini", "[pgbouncer]\nthis line is junk\n", "pgbouncer.ini:2:1:"},
        {"pgbouncer.ini", "default_pool_size = 2\n", "before any [section]"},
        {"main.tf.json", "{\"resource\": {\"aws_db_instance\": ", "main.tf.json:"},
        {"main.tf.json", "[1, 2]", "must be an object"},
        {"x.yaml", "a: \"\\x00\"\n\001\002", "x.yaml:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scratch sc;
        scratch_open(&sc);
        mkdir_in(&sc, "in");
        char rel[64];
        snprintf(rel, sizeof rel, "in/%s", cases[i].file);
        write_in(&sc, rel, cases[i].text);
        run_result r;
        run(&sc, (const char *const[]){"import", "in", "-o", "out.yaml", NULL}, &r);
        assert_refused(&r, 2, cases[i].msg, cases[i].text);
        cr_expect(!exists_in(&sc, "out.yaml"), "%s: wrote out.yaml", cases[i].text);
        run_free(&r);
        scratch_close(&sc);
    }
}

Test(import, an_empty_folder_is_refused)
{
    scratch sc;
    scratch_open(&sc);
    run_result r;
    run(&sc, (const char *const[]){"import", ".", "-o", "out.yaml", NULL}, &r);
    assert_refused(&r, 2, "nothing to import", "empty folder");
    run_free(&r);
    scratch_close(&sc);
}

/* --base names the user's own file: one that is not there is bad input (2), not an I/O failure
 * of ours (3), and nothing is written. */
Test(import, a_missing_base_is_refused_as_input)
{
    scratch sc;
    scratch_open(&sc);
    mkdir_in(&sc, "in");
    write_in(&sc, "in/pgbouncer.ini", "[pgbouncer]\ndefault_pool_size = 20\n");
    run_result r;
    run(&sc, (const char *const[]){"import", "in", "--base=missing.yaml", "-o", "out.yaml", NULL},
        &r);
    assert_refused(&r, 2, "missing.yaml", "--base=missing.yaml");
    cr_expect(!exists_in(&sc, "out.yaml"), "wrote out.yaml");
    run_free(&r);
    scratch_close(&sc);
}

/* The readers directly: several documents, numbers and quantities as Kubernetes reads them. */
Test(import, the_yaml_reader_resolves_scalars_as_kubernetes)
{
    const char *t = "a: 1\nb: 0.5\nc: \"1\"\nd: true\ne: 250m\n---\n---\nx: ~\n";
    json_t *docs = NULL;
    base_err e;
    cr_assert_eq(imp_yaml_load("t", t, strlen(t), &docs, &e), BASE_OK, "%s", e.msg);
    cr_assert_eq(json_array_size(docs), 2);
    json_t *a = json_array_get(docs, 0);
    cr_expect(json_is_integer(json_object_get(a, "a")));
    cr_expect(json_is_real(json_object_get(a, "b")));
    cr_expect(json_is_string(json_object_get(a, "c")));
    cr_expect(json_is_true(json_object_get(a, "d")));
    cr_expect_str_eq(json_string_value(json_object_get(a, "e")), "250m");
    cr_expect(json_is_null(json_object_get(json_array_get(docs, 1), "x")));
    json_decref(docs);
    const char *ini = "; c\n[PgBouncer]\n  Default_Pool_Size =  20  \n# c\n";
    json_t *o = NULL;
    cr_assert_eq(imp_ini_load("i", ini, strlen(ini), &o, &e), BASE_OK, "%s", e.msg);
    cr_expect_str_eq(
        json_string_value(json_object_get(json_object_get(o, "pgbouncer"), "default_pool_size")),
        "20");
    json_decref(o);
}

/* The DR region's Terraform (emit's dr.c) read back: a resource under provider aws.dr and a
 * SECONDARY failover record make dr.enabled; the health check the PRIMARY record names gives
 * dns.health_check, its interval and failure threshold. */
Test(import, the_dr_region_and_route53_map_onto_dr_and_dns)
{
    scratch sc;
    scratch_open(&sc);
    mkdir_in(&sc, "team");
    write_in(&sc, "team/db.tf.json",
             "{\"resource\": {\"aws_db_instance\": {"
             "\"main\": {\"engine\": \"postgres\", \"instance_class\": \"db.r7g.large\", "
             "\"multi_az\": true, \"allocated_storage\": 200},"
             "\"dr\": {\"provider\": \"aws.dr\", \"instance_class\": \"db.r7g.large\", "
             "\"replicate_source_db\": \"${aws_db_instance.main.arn}\"}}}}\n");
    write_in(&sc, "team/dns.tf.json",
             "{\"resource\": {\"aws_route53_health_check\": {\"up\": {\"type\": \"HTTPS\", "
             "\"request_interval\": 10, \"failure_threshold\": 5}},"
             "\"aws_route53_record\": {"
             "\"a\": {\"zone_id\": \"Z\", \"name\": \"api\", \"type\": \"A\", "
             "\"health_check_id\": \"${aws_route53_health_check.up.id}\", "
             "\"failover_routing_policy\": [{\"type\": \"PRIMARY\"}]},"
             "\"b\": {\"zone_id\": \"Z\", \"name\": \"api\", \"type\": \"A\", "
             "\"failover_routing_policy\": [{\"type\": \"SECONDARY\"}]}}}}\n");
    run_ok(&sc, (const char *const[]){"import", "-q", "team", "-o", "t.yaml", "--base",
                                      SIMULATE_ROOT "/scenarios/mvp-low-traffic.yaml", NULL});
    char path[300];
    cwd_path(&sc, "t.yaml", path, sizeof path);
    static mdl_scenario s;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(path, &s, &err), BASE_OK, "%s", err.msg);
    cr_assert(s.dr.enabled, "mvp-low-traffic has none; the Terraform has one");
    cr_assert(s.dr.health_check);
    cr_assert_eq(s.dr.health_check_fast, 1, "request_interval 10: the fast interval");
    cr_assert_eq(s.dr.health_check_failures, 5);
    /* without the DR region's resources and the health check: no DR region, no check */
    cr_assert_eq(unlink(path), 0);
    char dns[300];
    cr_assert_eq(unlink(cwd_path(&sc, "team/dns.tf.json", dns, sizeof dns)), 0);
    write_in(&sc, "team/db.tf.json",
             "{\"resource\": {\"aws_db_instance\": {\"main\": {\"engine\": \"postgres\", "
             "\"instance_class\": \"db.r7g.large\", \"allocated_storage\": 200}}}}\n");
    run_ok(&sc, (const char *const[]){"import", "-q", "team", "-o", "t.yaml", "--base",
                                      SIMULATE_ROOT "/scenarios/black-friday.yaml", NULL});
    cr_assert_eq(scn_load(path, &s, &err), BASE_OK, "%s", err.msg);
    cr_assert(!s.dr.enabled, "black-friday has one; the Terraform has none");
    cr_assert(!s.dr.health_check);
    scratch_close(&sc);
}

/* The config emit writes for scenario (no run: the library's build and write), into dir. */
static void emit_into(const char *scenario, const char *dir)
{
    static mdl_scenario s;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(scenario, &s, &err), BASE_OK, "%s", err.msg);
    emit_input in = {.s = &s, .scenario = scenario};
    memset(in.sha256, 'a', 64);
    emit_set set;
    cr_assert_eq(emit_build(&in, &set, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(emit_write(&in, &set, NULL, dir, &err), BASE_OK, "%s", err.msg);
    emit_set_clear(&set);
}

/* In file rel of the scratch folder, the first `from` becomes `to`. */
static void edit(const scratch *sc, const char *rel, const char *from, const char *to)
{
    char *y = read_in(sc, rel);
    char *at = strstr(y, from);
    cr_assert_not_null(at, "%s: no %s", rel, from);
    base_buf b = {0};
    base_buf_add(&b, y, (size_t)(at - y));
    base_buf_adds(&b, to);
    base_buf_adds(&b, at + strlen(from));
    write_in(sc, rel, b.p);
    base_buf_free(&b);
    free(y);
}

/* The read replica rule's alarms and Aurora's scaling policy map back onto their keys (an
 * edited one wins over the carried copy); the second region's folder is one note. */
Test(import, the_replica_rule_and_the_second_region_map_back)
{
    scratch sc;
    scratch_open(&sc);
    char dir[300], path[340];
    snprintf(dir, sizeof dir, "%s/rr", sc.cwd);
    emit_into(SIMULATE_ROOT "/scenarios/read-replicas.yaml", dir);
    edit(&sc, "rr/terraform/replica-scaling.tf.json", "\"threshold\": 70.0", "\"threshold\": 60.0");
    run_ok(&sc, (const char *const[]){"import", "rr", "-o", "rr.yaml", NULL});
    char *y = read_in(&sc, "rr.yaml");
    cr_assert_not_null(strstr(y, "target: \"60%\""), "%s", y);
    free(y);

    /* Aurora Auto Scaling: the target's bounds */
    write_textf(cwd_path(&sc, "aurora.yaml", path, sizeof path),
                "extends: %s/scenarios/region-failure-aurora.yaml\n"
                "database:\n  aurora:\n    reader_scaling: {enabled: true, min: 2, max: 7}\n",
                SIMULATE_ROOT);
    snprintf(dir, sizeof dir, "%s/au", sc.cwd);
    emit_into(path, dir);
    edit(&sc, "au/terraform/replica-scaling.tf.json", "\"max_capacity\": 7", "\"max_capacity\": 9");
    run_ok(&sc, (const char *const[]){"import", "au", "-o", "au.yaml", NULL});
    y = read_in(&sc, "au.yaml");
    cr_assert_not_null(strstr(y, "max: 9"), "%s", y);
    free(y);

    /* two regions: eu-west-1's folder is noted, not read as a second API */
    snprintf(dir, sizeof dir, "%s/mr", sc.cwd);
    emit_into(SIMULATE_ROOT "/scenarios/multi-region.yaml", dir);
    run_result r;
    run(&sc, (const char *const[]){"import", "mr", "-o", "mr.yaml", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_not_null(strstr(r.err, "mr/eu-west-1: the second region's manifests: not mapped"),
                       "%s", r.err);
    cr_assert_null(strstr(r.err, "a second"), "%s", r.err);
    /* eu-west-1's cluster and the VPC peering are deployment, not simulated: noted, and
     * neither makes a DR region (the round trip above gives the same report) */
    cr_assert_not_null(strstr(r.err, "aws_eks_cluster (1): not simulated"), "%s", r.err);
    cr_assert_not_null(strstr(r.err, "aws_vpc_peering_connection (1): not simulated"), "%s", r.err);
    run_free(&r);
    scratch_close(&sc);
}
