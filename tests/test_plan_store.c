/*
 * test_plan_store.c — a plan after the search: kept in the results store (store_put_plan, read
 * back by store_plans and store_plan_get, as `simulate history` and `simulate show PN` do), its
 * Pareto frontier drawn through the chart files (plots/pareto.yaml) and its design-review pack
 * (page 1: what to deploy); and the command line end to end.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "plan/plan.h"
#include "plot/plot.h"
#include "store/store.h"

#define DATA SIMULATE_TESTDATA "/plan/"

/* The small plan of test_plan.c (24 configurations, flow engine: a few seconds). */
static json_t *small_plan(plan_result *r, scn_plan **pp)
{
    base_err err;
    scn_plan *p = NULL;
    cr_assert_eq(scn_plan_load(DATA "small.yaml", &p, &err), BASE_OK, "%s", err.msg);
    plan_opts o = {.jobs = 2, .has_seed = 1, .seed = 7};
    cr_assert_eq(plan_search(p, &o, r, &err), BASE_OK, "%s", err.msg);
    cr_assert_geq(r->winner, 0);
    *pp = p;
    return plan_json(p, r);
}

static int count(void *ctx, const store_plan_entry *e)
{
    (void)e;
    ++*(int *)ctx;
    return 0;
}

static int keep_last(void *ctx, const store_plan_entry *e)
{
    *(store_plan_entry *)ctx = *e;
    return 0;
}

Test(plan_store, kept_listed_and_read_back)
{
    char dir[] = "/tmp/simulate-plan-store-XXXXXX", db[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/results.db", dir);
    base_err err;
    store *st;
    cr_assert_eq(store_open(db, &st, &err), BASE_OK, "%s", err.msg);
    store_plan sp = {.scenario_name = "plan-x",
                     .scenario_file = "x.yaml",
                     .scenario_text = "name: plan-x\n",
                     .version = "0",
                     .engine = "flow",
                     .seed = UINT64_MAX,
                     .space = 13680,
                     .simulated = 676,
                     .replications = 2133,
                     .wall_s = 1.5,
                     .winner = "api.workers=3, hpa.max_replicas=400",
                     .cost = 571887.123456789,
                     .cost_half = 27.3,
                     .p99_ms = 283.8,
                     .p99_half = NAN, /* stored as NULL, read back as NaN */
                     .confirmed = 1,
                     .plan_json = "{\"winner\": null}"};
    int64_t id1 = 0, id2 = 0;
    cr_assert_eq(store_put_plan(st, &sp, &id1, &err), BASE_OK, "%s", err.msg);
    sp.winner = NULL; /* nothing feasible */
    sp.confirmed = -1;
    cr_assert_eq(store_put_plan(st, &sp, &id2, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(id1, 1);
    cr_expect_eq(id2, 2);
    store_close(st);

    cr_assert_eq(store_open_read(db, &st, &err), BASE_OK, "%s", err.msg);
    int n = 0;
    cr_expect_eq(store_plans(st, 0, count, &n, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(n, 2);
    store_plan_entry last;
    n = 0;
    cr_expect_eq(store_plans(st, 1, count, &n, &err), BASE_OK);
    cr_expect_eq(n, 1, "limit 1: the newest only");
    cr_expect_eq(store_plans(st, 1, keep_last, &last, &err), BASE_OK);
    cr_expect_eq(last.id, 2);
    cr_expect_str_eq(last.winner, "");
    cr_expect_eq(last.confirmed, -1);
    char *json = NULL;
    store_plan_entry e;
    cr_assert_eq(store_plan_get(st, 1, &e, &json, &err), BASE_OK, "%s", err.msg);
    cr_expect_str_eq(json, "{\"winner\": null}");
    free(json);
    cr_expect_str_eq(e.name, "plan-x");
    cr_expect_str_eq(e.seed, "18446744073709551615");
    cr_expect_str_eq(e.winner, "api.workers=3, hpa.max_replicas=400");
    cr_expect_eq(e.cost, 571887.123456789, "every bit of the cost kept");
    cr_expect(isnan(e.p99_half));
    cr_expect_eq(e.space, 13680);
    cr_expect_eq(e.confirmed, 1);
    cr_expect_eq(store_plan_get(st, 3, &e, &json, &err), BASE_EINPUT);
    cr_expect(strstr(err.msg, "no plan P3") != NULL, "%s", err.msg);
    store_close(st);

    /* a store written before plans were kept: none listed, no error */
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, "DROP TABLE plans", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    cr_assert_eq(store_open_read(db, &st, &err), BASE_OK, "%s", err.msg);
    n = 0;
    cr_expect_eq(store_plans(st, 0, count, &n, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(n, 0);
    cr_expect_eq(store_plan_get(st, 1, &e, &json, &err), BASE_EINPUT);
    store_close(st);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The finalists on the request engine where `auto` would choose it: the small plan screens on
 * the flow engine (its `fidelity: flow`), and at 240,000 requests a replication auto would
 * play it request by request (ENG_AUTO_REQUEST_LIMIT, 4e6), so its finalists and winner run
 * there — unless --fidelity forces an engine. */
Test(plan_store, finalists_on_the_engine_auto_picks, .timeout = 120)
{
    plan_result r;
    scn_plan *p;
    json_t *doc = small_plan(&r, &p);
    cr_expect_str_eq(r.fidelity, "flow");
    cr_expect_str_eq(r.finalist_engine, "request");
    cr_expect_eq(r.cfg[r.winner].eng, 1);
    cr_expect_eq(r.confirm.eng, 1);
    cr_expect_str_eq(json_string_value(json_object_get(doc, "finalist_engine")), "request");
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(doc, "winner"), "engine")),
                     "request");
    json_decref(doc);
    plan_result_clear(&r);
    base_err err;
    plan_opts o = {.jobs = 2, .has_seed = 1, .seed = 7, .fidelity = "flow"};
    cr_assert_eq(plan_search(p, &o, &r, &err), BASE_OK, "%s", err.msg);
    cr_expect_str_eq(r.finalist_engine, "flow");
    for (size_t i = 0; i < r.ncfg; i++)
        cr_expect_eq(r.cfg[i].eng, 0);
    plan_result_clear(&r);
    scn_plan_free(p);
}

/* The frontier as a chart of the set and the plan's pack, from plan.json alone. */
Test(plan_store, pareto_chart_and_pack, .timeout = 120)
{
    plan_result r;
    scn_plan *p;
    json_t *doc = small_plan(&r, &p);
    cr_assert_not_null(doc);
    cr_expect_eq(plot_doc_kind_of(doc), PLOT_DOC_PLAN);
    cr_expect_gt(json_array_size(json_object_get(json_object_get(doc, "pareto"), "cost_vs_p99")),
                 0);
    const char *dirs[] = {SIMULATE_ROOT "/plots"};
    plot_set *set;
    base_err err;
    cr_assert_eq(plot_set_load(dirs, 1, NULL, 0, &set, &err), BASE_OK, "%s", err.msg);
    const char *names[8];
    size_t n = plot_chart_names(set, doc, names, 8);
    cr_assert_eq(n, 1, "a plan has one chart of the built-ins");
    cr_expect_str_eq(names[0], "pareto");
    char dir[] = "/tmp/simulate-plan-chart-XXXXXX", png[128], png2[128], pdf[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(png, sizeof png, "%s/pareto.png", dir);
    snprintf(png2, sizeof png2, "%s/again.png", dir);
    snprintf(pdf, sizeof pdf, "%s/review.pdf", dir);
    cr_expect_eq(plot_chart(set, doc, "pareto", PLOT_PNG, png, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(plot_chart(set, doc, "pareto", PLOT_PNG, png2, &err), BASE_OK, "%s", err.msg);
    cr_expect_gt(file_size(png), 10000);
    cr_expect_eq(file_size(png), file_size(png2), "the same plan draws the same bytes");
    /* a run's chart is not a plan's */
    cr_expect_eq(plot_chart(set, doc, "latency", PLOT_PNG, png, &err), BASE_EINPUT);
    cr_expect_eq(plot_pack(set, doc, pdf, &err), BASE_OK, "%s", err.msg);
    cr_expect_gt(file_size(pdf), 5000);
    /* page 1 names the winner: the PDF's text holds "what to deploy" and the winner's values */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -l 1 %s - 2>/dev/null | grep -ci 'what to deploy'", pdf);
    FILE *f = popen(cmd, "r");
    int hits = 0;
    if (f) {
        if (fscanf(f, "%d", &hits) != 1)
            hits = -1;
        pclose(f);
    }
    if (hits >= 0) /* -1: no pdftotext on this machine */
        cr_expect_gt(hits, 0, "page 1 says what to deploy");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
    plot_set_free(set);
    json_decref(doc);
    plan_result_clear(&r);
    scn_plan_free(p);
}

/* `simulate plan` keeps the plan; `simulate history` lists it with its winner and cost;
 * `simulate show P1` shows it; a plan that is not there is the user's input (exit 2). */
Test(plan_store, command_line, .timeout = 120)
{
    char dir[] = "/tmp/simulate-plan-cli-XXXXXX", cmd[1024], out[8192];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "%s plan %s -o %s -q -j 2", SIMULATE_BIN, DATA "small.yaml", dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/pareto.png", dir);
    cr_expect_gt(file_size(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/review.pdf", dir);
    cr_expect_gt(file_size(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s history -o %s; %s show P1 -o %s", SIMULATE_BIN, dir, SIMULATE_BIN,
             dir);
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    cr_expect_eq(pclose(f), 0);
    cr_expect(strstr(out, "P1 ") != NULL, "%s", out);
    cr_expect(strstr(out, "plan-small") != NULL, "%s", out);
    cr_expect(
        strstr(out, "hpa.max_replicas=3, api.workers=1, database.instance_class=db.t3.medium") !=
            NULL,
        "history lists the winner: %s", out);
    cr_expect(strstr(out, "cheapest feasible configuration") != NULL, "%s", out);
    cr_expect(strstr(out, "confirmed with fresh random numbers") != NULL, "%s", out);
    snprintf(cmd, sizeof cmd, "%s show P7 -o %s 2>&1 >/dev/null", SIMULATE_BIN, dir);
    f = popen(cmd, "r");
    n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    int rc = pclose(f);
    cr_expect_eq(WEXITSTATUS(rc), 2);
    cr_expect(strstr(out, "no plan P7") != NULL, "%s", out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}
