/*
 * test_pack_plan.c — a run's design-review pack opens with the decision: when the results store
 * holds a `simulate plan` answer for the run's scenario — made from the same files, or from a
 * plan file that extends the scenario — page 1 names the newest one's winner, its knobs and
 * figures and how this run differs from it; when it holds none, page 1 says so in one line; a
 * plan of another scenario is never named.
 *
 * Why: a reviewer who reads "what to deploy" must be told the planner's answer when there is
 * one, and never another scenario's answer as if it were this one's.
 *
 * The plans are put in the store with the store's own writer (store_put_plan), their plan.json
 * the small plan's (tests/data/plan/small-plan.json); the run is the failover scenario, drawn
 * again with `simulate plot RUN` after each plan is added. Text is compared with its
 * whitespace folded, so the checkout path's length (in the plan's file name) changes nothing.
 */
#define RUN_LIMIT_S  120.0
#define SUPPORT_NAME "test-pack-plan"
#include "support.h"
#include "support/b_text.h"

#include <ctype.h>
#include <jansson.h>

#include "io/io.h"
#include "store/store.h"

#define FAILOVER SIMULATE_TESTDATA "/flow/failover.yaml"

TestSuite(pack_plan, .fini = scratch_fini);

/* Page 1 of PDF `pdf` (in s->cwd) by pdftotext, every run of whitespace folded to one space. */
static char *page_one(scratch *s, const char *pdf)
{
    char cmd[512], txt[160];
    snprintf(txt, sizeof txt, "%s/page1.txt", s->dir);
    snprintf(cmd, sizeof cmd, "cd '%s' && pdftotext -f 1 -l 1 '%s' '%s'", s->cwd, pdf, txt);
    cr_assert_eq(system(cmd), 0, "pdftotext failed (tools/setup installs poppler-utils)");
    char *t = slurp(txt, NULL);
    cr_assert_not_null(t);
    char *w = t;
    for (const char *r = t; *r; r++) {
        if (isspace((unsigned char)*r)) {
            if (w > t && w[-1] != ' ')
                *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return t;
}

/* Adds plan.json (the small plan's, its `scenario` set to `file`) to the store, as made from
 * `sources` (the text the store hashes); returns its number. */
static int64_t put_plan(const char *db, const char *file, const char *sources)
{
    json_error_t je;
    json_t *doc = json_load_file(SIMULATE_TESTDATA "/plan/small-plan.json", 0, &je);
    cr_assert_not_null(doc, "%s", je.text);
    json_object_set_new(doc, "scenario", json_string(file));
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    store_plan p = {.scenario_name = "plan-small",
                    .scenario_file = file,
                    .scenario_text = sources,
                    .version = "test",
                    .engine = "flow",
                    .seed = 7,
                    .winner = "hpa.max_replicas=3, api.workers=1, "
                              "database.instance_class=db.t3.medium",
                    .cost = 2322.7,
                    .cost_half = 13.5,
                    .p99_ms = 100,
                    .p99_half = 1,
                    .confirmed = 1,
                    .plan_json = text};
    store *st;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(store_open(db, &st, &err), BASE_OK, "%s", err.msg);
    int64_t id = 0;
    cr_assert_eq(store_put_plan(st, &p, &id, &err), BASE_OK, "%s", err.msg);
    store_close(st);
    free(text);
    return id;
}

/* What scn_doc_sources gives for `file`: the text a run or a plan of it is hashed by. */
static char *sources_of(const char *file)
{
    scn_doc *d;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_doc_load(file, &d, &err), BASE_OK, "%s", err.msg);
    char *t = strdup(scn_doc_sources(d, NULL));
    scn_doc_free(d);
    cr_assert_not_null(t);
    return t;
}

/* Page 1 of run 1's pack drawn again from the store into folder `dir`. */
static char *replot(scratch *s, const char *dir)
{
    const char *args[] = {"plot", "1", "--db", "results.db", "-o", dir, NULL};
    run_result r;
    run(s, args, &r);
    cr_assert_eq(r.status, 0, "simulate plot 1: %s", r.err);
    run_free(&r);
    char pdf[128];
    snprintf(pdf, sizeof pdf, "%s/review.pdf", dir);
    return page_one(s, pdf);
}

Test(pack_plan, the_decision_names_the_scenarios_plan_or_says_there_is_none)
{
    scratch s;
    scratch_open(&s);
    char db[160];
    snprintf(db, sizeof db, "%s/results.db", s.cwd);
    const char *args[] = {"-q",  "--fidelity", "flow",       "-r",     "2", "-o",
                          "run", "--db",       "results.db", FAILOVER, NULL};
    run_result r;
    run(&s, args, &r);
    cr_assert_eq(r.status, 0, "simulate: %s", r.err);
    run_free(&r);
    char *p1 = page_one(&s, "run/review.pdf");
    cr_expect_not_null(strstr(p1, "What to deploy No plan of this scenario in the results store"),
                       "%s", p1);
    cr_expect_not_null(strstr(p1, "What this run deployed: "), "%s", p1);
    free(p1);

    /* another scenario's plan (its file gone, its text another's) is not this one's */
    put_plan(db, "gone/plan.yaml", "# ---- file: gone/plan.yaml\nname: other\n");
    p1 = replot(&s, "a");
    cr_expect_not_null(strstr(p1, "No plan of this scenario in the results store"), "%s", p1);
    free(p1);

    /* a plan file that extends the scenario, read where plan.json says it is */
    char plan[200];
    snprintf(plan, sizeof plan, "%s/plan.yaml", s.dir);
    FILE *f = fopen(plan, "w");
    cr_assert_not_null(f);
    fprintf(f, "extends: %s\nname: plan-failover\n", FAILOVER);
    fclose(f);
    char *text = sources_of(plan);
    cr_assert_eq(put_plan(db, plan, text), 2);
    free(text);
    p1 = replot(&s, "b");
    static const char *const want[] = {
        "The plan's winner (P2): hpa.max_replicas = 3, api.workers = 1, "
        "database.instance_class = db.t3.medium — $2,323 ± $14 a month, API p99 ",
        "(which extends this scenario)",
        "confirmed with fresh random numbers",
        "This run differs from the winner in hpa.max_replicas (this run ",
        "What this run deployed: ",
    };
    expect_each_in(p1, want, sizeof want / sizeof want[0], "page 1");
    free(p1);

    /* once the plan file changes, its stored plan no longer stands for the scenario */
    f = fopen(plan, "a");
    cr_assert_not_null(f);
    fputs("seed: 8\n", f);
    fclose(f);
    p1 = replot(&s, "c");
    cr_expect_not_null(strstr(p1, "No plan of this scenario in the results store"), "%s", p1);
    free(p1);

    /* a plan of the very files the run read is the scenario's, the newest first */
    text = sources_of(FAILOVER);
    cr_assert_eq(put_plan(db, FAILOVER, text), 3);
    free(text);
    p1 = replot(&s, "d");
    cr_expect_not_null(strstr(p1, "The plan's winner (P3): "), "%s", p1);
    cr_expect_not_null(strstr(p1, "(on this scenario's files)"), "%s", p1);
    free(p1);

    /* drawn from report.json alone, no store is searched, and the page says so */
    const char *from_file[] = {"plot", "run/report.json", "-o", "e", NULL};
    run(&s, from_file, &r);
    cr_assert_eq(r.status, 0, "simulate plot run/report.json: %s", r.err);
    run_free(&r);
    p1 = page_one(&s, "e/review.pdf");
    cr_expect_not_null(strstr(p1, "The plan's winner: not looked up"), "%s", p1);
    free(p1);
    scratch_close(&s);
}
