/*
 * test_check.c — `simulate check`, the CI gate, as a workflow meets it: exit codes, the failed
 * checks named on stderr, the JUnit XML a test reporter reads and the Markdown posted on a pull
 * request.
 *
 * Why: a gate that passes when it should fail costs money silently, and one that fails for
 * nothing gets switched off. So each check is tested on both sides of its threshold and at it
 * (a cost exactly equal to the budget fails: "below" it; an increase of exactly 0% passes
 * --max-increase 0), an objective the run cannot measure must be a skip, a budget on a scenario
 * without prices must be an error, and the same inputs must give the same bytes (a sticky PR
 * comment would otherwise change on every push).
 *
 * Every test runs the real binary (SIMULATE_BIN) in an empty temporary working directory on
 * tests/data/check/steady.yaml, the flow engine's 20,000-user steady scenario with objectives
 * (well under a second with --fidelity flow -r 2). Every test has the same .timeout: Criterion
 * 2.4's runner leaks an allocation when tests of one executable have different timeouts.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STEADY   SIMULATE_TESTDATA "/check/steady.yaml"
#define FAILS    SIMULATE_TESTDATA "/check/fails.yaml"
#define UNPRICED SIMULATE_TESTDATA "/check/unpriced.yaml"
#define TYPO     SIMULATE_TESTDATA "/check/typo.yaml"
/* generous: a sanitizer build runs the flow engine several times slower */
#define RUN_LIMIT_S  60.0
#define SUPPORT_NAME "test-check"
#define TIMEOUT      240
/* how check-fails.yaml's one failed check begins on stderr */
#define FAILS_P95 "simulate: check failed: check-fails: p(95) < 1ms (measured "

#include "support/a_test_scratch.h"

TestSuite(check, .init = open_scratch, .fini = scratch_fini);

static int occurrences(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* `simulate check` on `scenario` with the fast settings and `extra` options, in s->cwd; it must
 * exit `want` (1: a check failed; 2: refused). */
static void check(scratch *s, const char *scenario, const char *const *extra, int want,
                  run_result *r)
{
    const char *args[40] = {"check", "--fidelity", "flow", "-r", "2", "-j", "2", scenario};
    size_t n = 8;
    char opts[256] = "";
    for (size_t k = 0; extra && extra[k]; k++) {
        cr_assert_lt(n, 38);
        args[n++] = extra[k];
        size_t used = strlen(opts);
        snprintf(opts + used, sizeof opts - used, " %s", extra[k]);
    }
    args[n] = NULL;
    run(s, args, r);
    cr_assert_eq(r->status, want, "check%s: exit %d, want %d; stdout: %s; stderr: %s", opts,
                 r->status, want, r->out, r->err);
}

/* check() of a run in which exactly one check fails: exit 1, and one line on stderr (one line
 * per failed check) that begins with `says`. */
static void check_fails_once(scratch *s, const char *scenario, const char *const *extra,
                             const char *says, run_result *r)
{
    check(s, scenario, extra, 1, r);
    cr_assert_eq(count_lines(r->err), 1, "one line per failed check: %s", r->err);
    cr_assert(!strncmp(r->err, says, strlen(says)), "stderr does not begin with '%s': %s", says,
              r->err);
}

/* The element of testcase `name` (XML-escaped as written in the file): from its start tag to
 * its end tag, in a malloc'd string. */
static char *testcase(const char *xml, const char *name)
{
    char tag[256];
    snprintf(tag, sizeof tag, "name=\"%s\"", name);
    const char *a = strstr(xml, tag);
    cr_assert_not_null(a, "no testcase %s in %s", name, xml);
    const char *e = strstr(a, "</testcase>");
    cr_assert_not_null(e);
    size_t len = (size_t)(e - a);
    char *t = malloc(len + 1);
    cr_assert_not_null(t);
    memcpy(t, a, len);
    t[len] = '\0';
    return t;
}

/* A well-formed-looking JUnit document: declaration, one root, every element closed. */
static void assert_junit_shape(const char *xml, int suites, int cases)
{
    cr_assert(!strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 51), "%s",
              xml);
    cr_assert(strlen(xml) > 14 && !strcmp(xml + strlen(xml) - 14, "</testsuites>\n"), "%s", xml);
    cr_assert_eq(occurrences(xml, "<testsuites "), 1);
    cr_assert_eq(occurrences(xml, "<testsuite "), suites, "%s", xml);
    cr_assert_eq(occurrences(xml, "</testsuite>"), suites);
    cr_assert_eq(occurrences(xml, "<testcase "), cases, "%s", xml);
    cr_assert_eq(occurrences(xml, "</testcase>"), cases);
    cr_assert_eq(occurrences(xml, "<failure "), occurrences(xml, "</failure>"));
    /* no raw '<' inside attribute values: every '<' opens a tag or a declaration */
    for (const char *p = xml; (p = strchr(p, '<')); p++)
        cr_assert(p[1] == '/' || p[1] == '?' || (p[1] >= 'a' && p[1] <= 'z'), "stray '<' at %.40s",
                  p);
    cr_assert(!strstr(xml, "time="), "a time attribute breaks byte-identical output");
}

/* The monthly cost's mean in a report.json, USD. */
static double report_cost(const char *path)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    cr_assert_not_null(root, "%s: %s", path, je.text);
    json_t *m =
        json_object_get(json_object_get(json_object_get(root, "figures"), "monthly_cost"), "mean");
    cr_assert(json_is_number(m));
    double v = json_number_value(m);
    json_decref(root);
    return v;
}

/* ---------------------------------------------------------------- passing */

Test(check, passing_scenario_exits_0_with_junit_and_markdown, .timeout = TIMEOUT)
{
    const char *extra[] = {"--junit", "ci/junit.xml", "--markdown", "ci/comment.md", NULL};
    run_result r;
    check(&sc, STEADY, extra, 0, &r);
    cr_assert_eq(r.err_len, 0, "stderr: %s", r.err);
    cr_assert(strstr(r.out, "PASS"), "%s", r.out);
    cr_assert(strstr(r.out, "SKIP") && strstr(r.out, "rto < 30s"), "%s", r.out);
    run_free(&r);

    char *xml = read_in(&sc, "ci/junit.xml");
    assert_junit_shape(xml, 1, 3);
    cr_assert(strstr(xml, "<testsuite name=\"check-steady\" tests=\"3\" failures=\"0\""), "%s",
              xml);
    cr_assert(strstr(xml, "classname=\"simulate.check.check-steady\" name=\"p(99) &lt; 300ms\""),
              "%s", xml);
    cr_assert_eq(occurrences(xml, "<failure"), 0);
    /* an objective the run cannot measure is skipped, not passed */
    char *rto = testcase(xml, "rto &lt; 30s");
    cr_assert(strstr(rto, "<skipped"), "%s", rto);
    free(rto);

    char *md = read_in(&sc, "ci/comment.md");
    cr_assert(strstr(md, "| Component | Baseline | Now | Difference |"), "%s", md);
    cr_assert(strstr(md, "| **Total** | – | **$"), "%s", md);
    cr_assert(strstr(md, "| EKS control plane | – | $73.00 | – |"), "%s", md);
    cr_assert(strstr(md, "| ✅ | `p(99) < 300ms` |"), "%s", md);
    cr_assert(strstr(md, "| ⏭️ | `rto < 30s` | not measured by this run |"), "%s", md);

    /* the same inputs, the same bytes */
    run_result r2;
    check(&sc, STEADY, extra, 0, &r2);
    run_free(&r2);
    char *xml2 = read_in(&sc, "ci/junit.xml"), *md2 = read_in(&sc, "ci/comment.md");
    cr_assert_str_eq(xml, xml2);
    cr_assert_str_eq(md, md2);
    free(xml);
    free(xml2);
    free(md);
    free(md2);
}

Test(check, help_and_quiet, .timeout = TIMEOUT)
{
    const char *help[] = {"check", "--help", NULL};
    run_result r;
    run(&sc, help, &r);
    cr_assert_eq(r.status, 0);
    const char *words[] = {"usage: simulate check",
                           "--budget",
                           "--baseline",
                           "--max-increase",
                           "--junit",
                           "--markdown",
                           "--db",
                           "exit codes"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        cr_assert(strstr(r.out, words[k]), "help lacks %s: %s", words[k], r.out);
    /* docs/ci.md shows the help as it is */
    char *doc = slurp(SIMULATE_ROOT "/docs/ci.md", NULL);
    cr_assert_not_null(doc);
    cr_assert(strstr(doc, r.out), "docs/ci.md does not contain 'simulate check --help' verbatim");
    free(doc);
    run_free(&r);
    const char *quiet[] = {"-q", NULL};
    check(&sc, STEADY, quiet, 0, &r);
    cr_assert_eq(r.out_len + r.err_len, 0, "-q printed: %s%s", r.out, r.err);
    run_free(&r);
}

/* ---------------------------------------------------------------- failing */

Test(check, failing_objective_exits_1_and_is_named, .timeout = TIMEOUT)
{
    const char *extra[] = {"--junit", "junit.xml", "--markdown", "comment.md", NULL};
    run_result r;
    check_fails_once(&sc, FAILS, extra, FAILS_P95, &r);
    cr_assert(strstr(r.err, " ms)\n"), "%s", r.err);
    cr_assert(strstr(r.out, "FAIL"), "%s", r.out);
    run_free(&r);

    /* written even though checks failed, and the failure is that testcase's alone */
    char *xml = read_in(&sc, "junit.xml");
    assert_junit_shape(xml, 1, 3);
    cr_assert(strstr(xml, "tests=\"3\" failures=\"1\""), "%s", xml);
    cr_assert_eq(occurrences(xml, "<failure"), 1, "%s", xml);
    char *bad = testcase(xml, "p(95) &lt; 1ms");
    cr_assert(strstr(bad, "<failure message=\"measured "), "%s", bad);
    free(bad);
    char *good = testcase(xml, "p(99) &lt; 300ms");
    cr_assert_null(strstr(good, "<failure"), "%s", good);
    free(good);
    free(xml);
    char *md = read_in(&sc, "comment.md");
    cr_assert(strstr(md, "## ❌ simulate check: 1 of 3 checks failed"), "%s", md);
    cr_assert(strstr(md, "| ❌ | `p(95) < 1ms` |"), "%s", md);
    free(md);
}

/* ---------------------------------------------------------------- budget */

Test(check, budget_on_both_sides_and_at_it, .timeout = TIMEOUT)
{
    run_result r;
    const char *low[] = {"--budget", "$1,000", "-o", "out", NULL};
    check(&sc, STEADY, low, 1, &r);
    cr_assert(strstr(r.err, "simulate: check failed: check-steady: budget: monthly_cost < "
                            "$1,000.00 (measured $"),
              "%s", r.err);
    run_free(&r);

    /* the forms people write a budget in, all above the ~$12,400 this scenario costs */
    const char *forms[] = {"20000", "$20000", "20k", "$20,000.50", "0.02M"};
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        const char *high[] = {"--budget", forms[k], "-o", "out", NULL};
        check(&sc, STEADY, high, 0, &r);
        cr_assert(strstr(r.out, "PASS      budget: monthly_cost < $20,000"), "%s", r.out);
        run_free(&r);
    }

    /* at the budget: the cost must be below it, so equal fails and a cent more passes */
    char path[256], at[64], above[64];
    cwd_path(&sc, "out/report.json", path, sizeof path);
    long long c = llround(report_cost(path) * 100);
    snprintf(at, sizeof at, "%lld.%02lld", c / 100, c % 100);
    snprintf(above, sizeof above, "%lld.%02lld", (c + 1) / 100, (c + 1) % 100);
    const char *eq[] = {"--budget", at, "-o", "out", NULL};
    check(&sc, STEADY, eq, 1, &r);
    cr_assert(strstr(r.out, "uncertain"), "the interval straddles it: %s", r.out);
    run_free(&r);
    const char *up[] = {"--budget", above, "-o", "out", NULL};
    check(&sc, STEADY, up, 0, &r);
    cr_assert(strstr(r.out, "UNCERTAIN"), "%s", r.out);
    run_free(&r);
}

Test(check, budget_without_pricing_is_an_error, .timeout = TIMEOUT)
{
    const char *extra[] = {"--budget", "5000", "--junit", "junit.xml", NULL};
    run_result r;
    check(&sc, UNPRICED, extra, 2, &r);
    assert_refused(&r, 2, "no pricing file", "--budget without pricing");
    cr_assert(strstr(r.err, "unpriced.yaml"), "%s", r.err);
    run_free(&r);
    cr_assert(!exists_in(&sc, "junit.xml"), "an error must not leave a JUnit file that passes");
    /* without a budget it runs, and its cost objective is skipped, not passed */
    const char *plain[] = {"--junit", "junit.xml", NULL};
    check(&sc, UNPRICED, plain, 0, &r);
    run_free(&r);
    char *xml = read_in(&sc, "junit.xml");
    char *cost = testcase(xml, "monthly_cost &lt; $100");
    cr_assert(strstr(cost, "<skipped"), "%s", cost);
    free(cost);
    free(xml);
}

/* ---------------------------------------------------------------- baseline */

/* Runs steady.yaml as a plain run into `dir` (its report.json and results store there). */
static void baseline_run(scratch *s, const char *dir)
{
    const char *args[] = {"-q", "--fidelity", "flow", "-r", "2", "-o", dir, STEADY, NULL};
    run_ok(s, args);
}

Test(check, baseline_of_the_same_run_differs_by_nothing, .timeout = TIMEOUT)
{
    baseline_run(&sc, "base");
    run_result r;
    const char *extra[] = {
        "--baseline", "base/report.json", "--max-increase", "5", "--markdown", "comment.md", NULL};
    check(&sc, STEADY, extra, 0, &r);
    cr_assert(strstr(r.out, "PASS      max increase: monthly_cost <= baseline + 5%  +0.0%: "), "%s",
              r.out);
    run_free(&r);
    char *md = read_in(&sc, "comment.md");
    const char *total = strstr(md, "| **Total** | **$");
    cr_assert_not_null(total, "%s", md);
    cr_assert(strstr(total, "** | **$0.00 (+0.0%)** |"), "%s", total);
    cr_assert(strstr(md, "| EKS control plane | $73.00 | $73.00 | $0.00 (+0.0%) |"), "%s", md);
    cr_assert(strstr(md, "baseline `base/report.json` (`check-steady`)"), "%s", md);
    free(md);

    /* at the threshold: an increase of exactly 0% is not more than 0% */
    const char *zero[] = {"--baseline", "base/report.json", "--max-increase", "0%", NULL};
    check(&sc, STEADY, zero, 0, &r);
    run_free(&r);

    /* the baseline as a run number in the results store */
    const char *byrun[] = {"--db", "base/results.db", "--baseline", "1", "--max-increase", "5",
                           NULL};
    check(&sc, STEADY, byrun, 0, &r);
    cr_assert(strstr(r.out, "monthly cost against run 1 of base/results.db"), "%s", r.out);
    run_free(&r);
    const char *norun[] = {"--db", "base/results.db", "--baseline", "99", NULL};
    check(&sc, STEADY, norun, 2, &r);
    assert_refused(&r, 2, "99", "--baseline 99");
    run_free(&r);
}

Test(check, cost_increase_over_the_limit_fails, .timeout = TIMEOUT)
{
    baseline_run(&sc, "base");
    /* a baseline half as expensive: the run now costs +100% */
    char in[256], out[256];
    cwd_path(&sc, "base/report.json", in, sizeof in);
    cwd_path(&sc, "cheaper.json", out, sizeof out);
    json_error_t je;
    json_t *root = json_load_file(in, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    json_t *mean =
        json_object_get(json_object_get(json_object_get(root, "figures"), "monthly_cost"), "mean");
    cr_assert(json_is_number(mean));
    json_object_set_new(json_object_get(json_object_get(root, "figures"), "monthly_cost"), "mean",
                        json_real(json_number_value(mean) * 0.5));
    cr_assert_eq(json_dump_file(root, out, JSON_INDENT(2)), 0);
    json_decref(root);

    const char *extra[] = {"--baseline", "cheaper.json", "--max-increase", "10", "--markdown",
                           "comment.md", "--junit",      "junit.xml",      NULL};
    run_result r;
    check_fails_once(&sc, STEADY, extra,
                     "simulate: check failed: check-steady: max increase: monthly_cost <= "
                     "baseline + 10% (measured +100.0%: $",
                     &r);
    run_free(&r);
    char *md = read_in(&sc, "comment.md");
    const char *total = strstr(md, "| **Total** | **$");
    cr_assert_not_null(total, "%s", md);
    cr_assert(strstr(total, "** | **+$") && strstr(total, " (+100.0%)** |"), "%s", total);
    cr_assert(strstr(md, "| ❌ | `max increase: monthly_cost <= baseline + 10%` | +100.0%: "), "%s",
              md);
    free(md);
    char *xml = read_in(&sc, "junit.xml");
    cr_assert_eq(occurrences(xml, "<failure"), 1, "%s", xml);
    char *tc = testcase(xml, "max increase: monthly_cost &lt;= baseline + 10%");
    cr_assert(strstr(tc, "<failure"), "%s", tc);
    free(tc);
    free(xml);
}

Test(check, several_scenarios_match_the_baseline_by_name, .timeout = TIMEOUT)
{
    baseline_run(&sc, "base");
    const char *extra[] = {FAILS, "--baseline", "base/report.json", "--max-increase", "5",
                           "-o",  "all",        "--markdown",       "comment.md",     NULL};
    run_result r;
    check_fails_once(&sc, STEADY, extra, FAILS_P95, &r);
    cr_assert(strstr(r.out, "SKIP      max increase: monthly_cost <= baseline + 5%  no baseline "
                            "matched (baseline of 'check-steady')"),
              "%s", r.out);
    run_free(&r);
    /* one folder per scenario under -o, one store for both */
    cr_assert(exists_in(&sc, "all/check-steady/report.json"));
    cr_assert(exists_in(&sc, "all/check-fails/report.json"));
    cr_assert(exists_in(&sc, "all/results.db"));
    char *md = read_in(&sc, "comment.md");
    cr_assert(strstr(md, "### ✅ check-steady") && strstr(md, "### ❌ check-fails"), "%s", md);
    cr_assert(strstr(md, "no baseline matched this scenario"), "%s", md);
    free(md);
}

/* ---------------------------------------------------------------- bad input */

Test(check, bad_option_values_exit_2_with_one_line, .timeout = TIMEOUT)
{
    const char *cases[][4] = {
        {"--budget", "abc", NULL, "--budget needs a monthly amount"},
        {"--budget", "-5", NULL, "--budget needs a monthly amount"},
        {"--budget", "0", NULL, "--budget needs a monthly amount"},
        {"--budget", "5,00", NULL, "--budget needs a monthly amount"},
        {"--max-increase", "-3", NULL, "--max-increase needs a percentage"},
        {"--max-increase", "ten", NULL, "--max-increase needs a percentage"},
        {"--max-increase", "5", NULL, "--max-increase needs a --baseline"},
        {"--baseline", "missing.json", NULL, "missing.json"},
        {"--frobnicate", NULL, NULL, "unknown option '--frobnicate'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *extra[] = {cases[k][0], cases[k][1], NULL};
        run_result r;
        check(&sc, STEADY, extra, 2, &r);
        char what[96];
        snprintf(what, sizeof what, "%s %s", cases[k][0], cases[k][1] ? cases[k][1] : "");
        assert_refused(&r, 2, cases[k][3], what);
        run_free(&r);
    }
    /* a bad scenario: the usual FILE:LINE:COL line, before anything runs */
    run_result r;
    check(&sc, TYPO, NULL, 2, &r);
    assert_refused(&r, 2, "typo.yaml:6:3: unknown key 'replicsa'", "bad scenario");
    run_free(&r);
}
