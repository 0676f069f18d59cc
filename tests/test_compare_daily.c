/*
 * test_compare_daily.c — `simulate compare` on a daily load profile as well as a steady one
 * (sweep.profile, --profile): each sweep point's month costed also as days of `peak_hours` at
 * the point's load and the rest at `off_peak` of it, with its own cheapest variant and cost
 * crossovers in compare.json; a day that is all peak costs what the steady month does; a bad
 * --profile is one line and exit 2.
 *
 * Why: a steady load is the worst case for a database that scales down (Aurora Serverless);
 * the answer "which is cheaper where" must also be given for a load that falls at night.
 */
#define RUN_LIMIT_S  120.0
#define SUPPORT_NAME "test-daily"
#include <jansson.h>
#include <math.h>

#include "support.h"

#define VARIANTS SIMULATE_TESTDATA "/cli/variants.yaml"

TestSuite(daily, .fini = scratch_fini, .timeout = 240);

static json_t *compare(scratch *s, const char *const *args)
{
    run_result r;
    run(s, args, &r);
    cr_assert_eq(r.status, 0, "compare failed: %s", r.err);
    run_free(&r);
    char path[200];
    snprintf(path, sizeof path, "%s/cmp/compare.json", s->dir);
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    cr_assert_not_null(doc, "%s: %s", path, je.text);
    return doc;
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    cr_assert(json_is_number(v), "no number %s", key);
    return json_number_value(v);
}

Test(daily, profile_option_costs_a_daily_month_beside_the_steady_one)
{
    scratch s;
    scratch_open(&s);
    char out[160];
    snprintf(out, sizeof out, "%s/cmp", s.dir);
    const char *args[] = {"compare", "-q", "-o", out, "--profile", "daily", VARIANTS, NULL};
    json_t *doc = compare(&s, args);
    const json_t *sweep = json_object_get(doc, "sweep");
    const json_t *daily = json_object_get(sweep, "daily");
    cr_expect_eq(num(daily, "peak_hours"), 12); /* the defaults (scenarios.md, sweep) */
    cr_expect_eq(num(daily, "off_peak_share"), 0.25);
    cr_expect(json_is_array(json_object_get(sweep, "cost_crossovers_daily")));
    const json_t *pts = json_object_get(sweep, "points");
    cr_assert_eq(json_array_size(pts), 3);
    for (size_t p = 0; p < json_array_size(pts); p++) {
        const json_t *pt = json_array_get(pts, p), *per = json_object_get(pt, "variants");
        cr_expect(json_object_get(pt, "cheapest_meeting_objectives_daily") != NULL);
        const char *name;
        const json_t *e;
        json_object_foreach((json_t *)per, name, e)
        {
            double steady = num(e, "monthly_cost"), day = num(e, "monthly_cost_daily");
            /* quieter hours cost no more (fewer nodes, requests, bytes), and the fixed
             * resources are billed all month either way */
            cr_expect(day > 0 && day <= steady, "%s at %g: daily %g, steady %g", name,
                      num(pt, "peak_load"), day, steady);
            cr_expect(num(e, "monthly_cost_daily_ci95_half_width") >= 0);
        }
    }
    json_decref(doc);
    scratch_close(&s);
}

Test(daily, a_day_all_at_the_peak_costs_the_steady_month)
{
    scratch s;
    scratch_open(&s);
    char yaml[200], out[160];
    snprintf(yaml, sizeof yaml, "%s/day.yaml", s.dir);
    write_textf(yaml,
                "extends: %s\nname: day\nsweep: {from: 50, to: 250, steps: 3, profile: daily, "
                "peak_hours: 6, off_peak: 100%%}\n",
                VARIANTS);
    snprintf(out, sizeof out, "%s/cmp", s.dir);
    const char *args[] = {"compare", "-q", "-o", out, yaml, NULL};
    json_t *doc = compare(&s, args);
    const json_t *sweep = json_object_get(doc, "sweep");
    cr_expect_eq(num(json_object_get(sweep, "daily"), "peak_hours"), 6);
    const json_t *pts = json_object_get(sweep, "points");
    for (size_t p = 0; p < json_array_size(pts); p++) {
        const json_t *pt = json_array_get(pts, p);
        const char *name;
        const json_t *e;
        json_object_foreach(json_object_get(pt, "variants"), name, e)
        {
            /* the off-peak run is the peak run again (same load, same seed) */
            double steady = num(e, "monthly_cost"), day = num(e, "monthly_cost_daily");
            cr_expect(fabs(day - steady) <= 1e-9 * steady, "%s: %.6f vs %.6f", name, day, steady);
        }
        cr_expect_str_eq(
            json_string_value(json_object_get(pt, "cheapest_meeting_objectives")),
            json_string_value(json_object_get(pt, "cheapest_meeting_objectives_daily")));
    }
    json_decref(doc);
    scratch_close(&s);
}

Test(daily, a_bad_profile_is_one_line_and_exit_2)
{
    scratch s;
    scratch_open(&s);
    const char *args[] = {"compare", "--profile", "nightly", VARIANTS, NULL};
    run_result r;
    run(&s, args, &r);
    cr_expect_eq(r.status, 2);
    cr_expect_not_null(strstr(r.err, "--profile must be steady or daily, not 'nightly'"), "%s",
                       r.err);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    run_free(&r);
    /* the scenario key: its line and column, and the choices */
    char yaml[200];
    snprintf(yaml, sizeof yaml, "%s/bad.yaml", s.dir);
    write_textf(yaml, "extends: %s\nsweep: {from: 50, to: 250, profile: nightly}\n", VARIANTS);
    const char *bad[] = {"compare", yaml, NULL};
    run(&s, bad, &r);
    cr_expect_eq(r.status, 2);
    cr_expect_not_null(strstr(r.err, "bad.yaml:2:37: sweep.profile: unknown value 'nightly' "
                                     "(expected steady or daily)"),
                       "%s", r.err);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    run_free(&r);
    scratch_close(&s);
}
