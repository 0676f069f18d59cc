/*
 * test_plot.c — the charts and the design-review pack (src/plot/), as a reader meets them.
 *
 * Why: a chart nobody can read, or one that silently comes out blank, is worse than none; a pack
 * that drops a page misleads a review; a file that changes from one run to the next cannot be
 * checked into a review or diffed. So: every chart renders at its size with real content in the
 * palette's colours, SVG and PDF are what they claim, the pack has the pages it should, the same
 * input gives the same bytes, and a wrong request is a clear error, never a crash.
 *
 * The report comes from the real binary (SIMULATE_BIN) on a small scenario with a database
 * failover (errors) in a scratch folder, so the test follows report.json's current format.
 * tests/data/plot/compare.json is a comparison (three variants, a five-point sweep) cut down
 * from `simulate compare scenarios/rds-vs-aurora.yaml`.
 *
 * Every test has the same .timeout: Criterion 2.4's runner leaks an allocation when tests of one
 * executable have different timeouts and run in parallel, and ctest fails on the leak report.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <criterion/criterion.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot/internal.h"
#include "plot/plot.h"
#include "files.h"
#include "support/b_text.h"

#define FAILOVER SIMULATE_TESTDATA "/flow/failover.yaml"
#define COMPARE  SIMULATE_TESTDATA "/plot/compare.json"

/* ---------------------------------------------------------------- scratch folder */

/* The running test's scratch folder (each test is its own process), removed by .fini even when
 * an assertion ends the test early. */
static char scratch[64];
/* the built-in charts, from the source tree's plots/ */
static plot_set *charts;

static void setup(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/simulate-test-plot-XXXXXX");
    cr_assert_not_null(mkdtemp(scratch));
    const char *dir = SIMULATE_ROOT "/plots";
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_set_load(&dir, 1, NULL, 0, &charts, &err), BASE_OK, "%s", err.msg);
}

static void teardown(void)
{
    if (scratch[0])
        remove_tree(scratch);
    plot_set_free(charts);
    charts = NULL;
    /* cairo and fontconfig keep caches for the life of the process; release them so that
     * LeakSanitizer sees only what is ours. FcFini through dlsym: the test links cairo, which
     * brings fontconfig, but not fontconfig itself. */
    cairo_debug_reset_static_data();
    void (*fc_fini)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "FcFini");
    if (fc_fini)
        fc_fini();
}

TestSuite(plot, .init = setup, .fini = teardown, .timeout = 60);

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", scratch, name);
}

/* ---------------------------------------------------------------- helpers */

/* report.json of the failover scenario (flow engine, 2 replications), run now by the real
 * binary. The caller json_decref's it. */
static json_t *failover_report(void)
{
    char out[128], report[160];
    path_in(out, sizeof out, "run");
    snprintf(report, sizeof report, "%s/report.json", out);
    char *const argv[] = {SIMULATE_BIN, "-q", "-o", out,  FAILOVER, "--fidelity",
                          "flow",       "-r", "2",  "-j", "1",      NULL};
    char errs[160];
    path_in(errs, sizeof errs, "stderr");
    int st = spawn_wait(argv, NULL, NULL, errs, 120);
    char *e = slurp(errs, NULL);
    cr_assert(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "simulate failed (status %d): %s",
              st, e ? e : "");
    free(e);
    json_t *doc = NULL;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_load(report, &doc, &err), BASE_OK, "%s", err.msg);
    return doc;
}

static json_t *compare_doc(void)
{
    json_t *doc = NULL;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_load(COMPARE, &doc, &err), BASE_OK, "%s", err.msg);
    return doc;
}

/* Okabe & Ito's eight colours, as published (0xRRGGBB). */
static const unsigned palette[8] = {0x000000, 0xE69F00, 0x56B4E9, 0x009E73,
                                    0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7};

typedef struct png_stats {
    int width, height;
    double nonwhite; /* share of pixels that are not the white background */
    int colours;     /* palette colours with at least 30 exact pixels */
} png_stats;

static png_stats png_read(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS, "%s: %s", path,
                 cairo_status_to_string(cairo_surface_status(s)));
    png_stats st = {cairo_image_surface_get_width(s), cairo_image_surface_get_height(s), 0, 0};
    cairo_surface_flush(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    long white = 0, counts[8] = {0};
    for (int y = 0; y < st.height; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (long)y * stride);
        for (int x = 0; x < st.width; x++) {
            unsigned rgb = row[x] & 0xFFFFFF;
            if (rgb == 0xFFFFFF)
                white++;
            for (int i = 0; i < 8; i++)
                if (rgb == palette[i])
                    counts[i]++;
        }
    }
    st.nonwhite = 1 - (double)white / ((double)st.width * st.height);
    for (int i = 0; i < 8; i++)
        st.colours += counts[i] >= 30;
    cairo_surface_destroy(s);
    return st;
}

/* Pages of a PDF: page objects are `/Type /Page` not followed by `s` (that is /Pages). */
static int pdf_pages(const char *path)
{
    size_t len;
    unsigned char *b = (unsigned char *)slurp(path, &len);
    cr_assert_not_null(b, "cannot read %s", path);
    int n = 0;
    static const char key[] = "/Type /Page";
    for (size_t i = 0; i + sizeof key < len; i++)
        if (memcmp(b + i, key, sizeof key - 1) == 0 && b[i + sizeof key - 1] != 's')
            n++;
    free(b);
    return n;
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    unsigned char *x = (unsigned char *)slurp(a, &la), *y = (unsigned char *)slurp(b, &lb);
    cr_assert(x && y);
    int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static int has_prefix_file(const char *path, const char *prefix)
{
    size_t len;
    unsigned char *b = (unsigned char *)slurp(path, &len);
    cr_assert_not_null(b, "cannot read %s", path);
    int ok = len > strlen(prefix) && memcmp(b, prefix, strlen(prefix)) == 0;
    free(b);
    return ok;
}

/* Sets each errors_* column of doc's series, row by row, to at(the row's time in s, the
 * column's name). */
static void set_errors(json_t *doc, double (*at)(double t_s, const char *column))
{
    json_t *ser = json_object_get(doc, "series");
    json_t *cols = json_object_get(ser, "columns");
    json_t *rows = json_object_get(ser, "rows");
    for (size_t c = 0; c < json_array_size(cols); c++) {
        const char *n = json_string_value(json_array_get(cols, c));
        if (strncmp(n, "errors_", 7) != 0)
            continue;
        for (size_t r = 0; r < json_array_size(rows); r++) {
            json_t *row = json_array_get(rows, r);
            json_array_set_new(row, c, json_real(at(json_number_value(json_array_get(row, 0)), n)));
        }
    }
}

/* doc's pack, with the built-in charts, rendered at path pdf. */
static void pack_at(const json_t *doc, const char *pdf)
{
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_pack(charts, doc, pdf, &err), BASE_OK, "%s", err.msg);
}

/* ---------------------------------------------------------------- charts */

Test(plot, report_charts_render_with_content)
{
    json_t *doc = failover_report();
    const char *names[16];
    size_t n = plot_chart_names(charts, doc, names, 16);
    cr_assert_eq(n, 5, "a report with a series, a database and costs has five charts, got %zu", n);
    static const char *const want[5] = {"latency", "capacity", "errors", "database", "cost"};
    /* at least this many palette colours each (lines and legend swatches) */
    static const int min_colours[5] = {4, 3, 1, 2, 1}; /* cost: one colour of bars */
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(names[i], want[i]);
        char path[160];
        snprintf(path, sizeof path, "%s/%s.png", scratch, names[i]);
        base_err err;
        base_err_clear(&err);
        cr_assert_eq(plot_chart(charts, doc, names[i], PLOT_PNG, path, &err), BASE_OK, "%s: %s",
                     names[i], err.msg);
        png_stats st = png_read(path);
        cr_expect_eq(st.width, PLOT_WIDTH);
        cr_expect_eq(st.height, PLOT_HEIGHT);
        cr_expect_gt(st.nonwhite, 0.02, "%s is nearly blank (%.3f drawn)", names[i], st.nonwhite);
        cr_expect_geq(st.colours, min_colours[i], "%s shows %d palette colours, want >= %d",
                      names[i], st.colours, min_colours[i]);
    }
    json_decref(doc);
}

Test(plot, compare_charts_render_with_content)
{
    json_t *doc = compare_doc();
    const char *names[16];
    size_t n = plot_chart_names(charts, doc, names, 16);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(names[0], "variants");
    cr_assert_str_eq(names[1], "crossover");
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_all(charts, doc, scratch, PLOT_PNG, &err), BASE_OK, "%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s.png", scratch, names[i]);
        png_stats st = png_read(path);
        cr_expect_eq(st.width, PLOT_WIDTH);
        cr_expect_eq(st.height, PLOT_HEIGHT);
        cr_expect_gt(st.nonwhite, 0.02, "%s is nearly blank", names[i]);
        cr_expect_geq(st.colours, 3, "%s: one colour per variant, got %d", names[i], st.colours);
    }
    json_decref(doc);
}

Test(plot, svg_and_pdf_are_what_they_claim)
{
    json_t *doc = failover_report();
    json_t *cmp = compare_doc();
    base_err err;
    base_err_clear(&err);
    char svg[160], pdf[160], csvg[160];
    path_in(svg, sizeof svg, "latency.svg");
    path_in(pdf, sizeof pdf, "errors.pdf");
    path_in(csvg, sizeof csvg, "crossover.svg");
    cr_assert_eq(plot_chart(charts, doc, "latency", PLOT_SVG, svg, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(plot_chart(charts, doc, "errors", PLOT_PDF, pdf, &err), BASE_OK, "%s", err.msg);
    cr_assert_eq(plot_chart(charts, cmp, "crossover", PLOT_SVG, csvg, &err), BASE_OK, "%s",
                 err.msg);
    cr_expect(has_prefix_file(svg, "<?xml"), "an SVG starts with <?xml");
    cr_expect(has_prefix_file(csvg, "<?xml"));
    size_t len;
    unsigned char *b = (unsigned char *)slurp(svg, &len);
    cr_expect_not_null(strstr((char *)b, "<svg"), "and holds an <svg> element");
    cr_expect_not_null(strstr((char *)b, "width=\"1200pt\""), "at the default size");
    free(b);
    cr_expect(has_prefix_file(pdf, "%PDF-"), "a PDF starts with %%PDF-");
    cr_expect_eq(pdf_pages(pdf), 1);
    /* plot_all in every format: one file per chart, nothing left half-written */
    char dir[160];
    path_in(dir, sizeof dir, "all/pdf");
    cr_assert_eq(plot_all(charts, doc, dir, PLOT_PDF, &err), BASE_OK, "%s", err.msg);
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        files++;
        cr_expect_null(strstr(e->d_name, ".tmp"), "left behind: %s", e->d_name);
        cr_expect_not_null(strstr(e->d_name, ".pdf"));
    }
    closedir(d);
    cr_expect_eq(files, 5);
    json_decref(cmp);
    json_decref(doc);
}

/* ---------------------------------------------------------------- the pack */

/* An assumption object as the report writes them. */
static json_t *assumption(const char *key, const char *value, const char *source)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", key, "value", value, "type", "count",
                     "set_in", "default", "source", source);
}

Test(plot, pack_has_its_pages)
{
    json_t *doc = failover_report();
    char pdf[160];
    path_in(pdf, sizeof pdf, "pack.pdf");

    /* the decision + the architecture + the figures + 5 charts + recovery (a failover) + cost
     * table + the assumptions' page (here: "lists none") */
    json_t *real = json_incref(json_object_get(doc, "assumptions"));
    json_object_del(doc, "assumptions");
    cr_assert(json_is_object(json_object_get(doc, "recovery")));
    pack_at(doc, pdf);
    cr_expect(has_prefix_file(pdf, "%PDF-"));
    cr_expect_eq(pdf_pages(pdf), 11, "got %d pages", pdf_pages(pdf));
    /* no failure: no recovery page */
    json_t *rec = json_incref(json_object_get(doc, "recovery"));
    json_object_del(doc, "recovery");
    pack_at(doc, pdf);
    cr_expect_eq(pdf_pages(pdf), 10, "got %d pages", pdf_pages(pdf));
    json_object_set_new(doc, "recovery", rec);

    /* a few short assumptions fit one page */
    json_t *as = json_array();
    json_array_append_new(as, assumption("api.workers", "4", "gunicorn docs"));
    json_array_append_new(as, assumption("database.max_connections", "100", "RDS defaults"));
    json_object_set_new(doc, "assumptions", as);
    pack_at(doc, pdf);
    cr_expect_eq(pdf_pages(pdf), 11);

    /* many long ones (URLs with no space to break at) take as many pages as they need */
    as = json_array();
    char key[64], src[400];
    for (int i = 0; i < 120; i++) {
        snprintf(key, sizeof key, "section_%d.a_rather_long_setting_name_%d", i, i);
        snprintf(src, sizeof src,
                 "https://docs.aws.amazon.com/some/very/long/path/that/does/not/break/at/spaces/"
                 "page-%d.html and a sentence of explanation that wraps over lines",
                 i);
        json_array_append_new(as, assumption(key, "a value with several words in it", src));
    }
    json_object_set_new(doc, "assumptions", as);
    pack_at(doc, pdf);
    int pages = pdf_pages(pdf);
    cr_expect_geq(pages, 10, "120 wrapped rows take several pages, got %d in all", pages);
    cr_expect_leq(pages, 30);

    /* the real report's own assumptions, whatever they are, also render */
    if (real)
        json_object_set_new(doc, "assumptions", real);
    pack_at(doc, pdf);
    cr_expect_geq(pdf_pages(pdf), 8);
    json_decref(doc);
}

Test(plot, compare_pack_has_its_pages)
{
    json_t *doc = compare_doc();
    char pdf[160];
    path_in(pdf, sizeof pdf, "compare.pdf");
    pack_at(doc, pdf);
    /* the answer and the figures (two pages), paired differences, 2 charts, cost per variant,
     * the sweep */
    cr_expect_eq(pdf_pages(pdf), 7, "got %d pages", pdf_pages(pdf));
    /* without a sweep: no crossover chart, no sweep page (the answer says there is none) */
    json_object_del(doc, "sweep");
    pack_at(doc, pdf);
    cr_expect_eq(pdf_pages(pdf), 5, "got %d pages", pdf_pages(pdf));
    json_decref(doc);
}

/* ---------------------------------------------------------------- determinism */

Test(plot, same_input_same_bytes)
{
    json_t *doc = failover_report();
    base_err err;
    base_err_clear(&err);
    char a[160], b[160];
    static const plot_format fmts[3] = {PLOT_PNG, PLOT_SVG, PLOT_PDF};
    for (int f = 0; f < 3; f++) {
        snprintf(a, sizeof a, "%s/a.%s", scratch, plot_format_ext(fmts[f]));
        snprintf(b, sizeof b, "%s/b.%s", scratch, plot_format_ext(fmts[f]));
        cr_assert_eq(plot_chart(charts, doc, "capacity", fmts[f], a, &err), BASE_OK, "%s", err.msg);
        cr_assert_eq(plot_chart(charts, doc, "capacity", fmts[f], b, &err), BASE_OK, "%s", err.msg);
        cr_expect(same_file(a, b), "two %s renderings differ", plot_format_ext(fmts[f]));
    }
    path_in(a, sizeof a, "a-pack.pdf");
    path_in(b, sizeof b, "b-pack.pdf");
    pack_at(doc, a);
    pack_at(doc, b);
    cr_expect(same_file(a, b), "two packs of the same report differ");
    json_decref(doc);
}

/* The run draws its charts from report.json's document in memory, `simulate plot report.json`
 * from the file, whose reals have 10 significant digits: the same bytes either way (issue 18:
 * black-friday's latency.png differed, its log/linear and tick choices resting on the last
 * digits). The failover run wrote its charts and pack beside its report; each is drawn again
 * from the parsed report and compared. */
Test(plot, the_run_and_plot_draw_the_same_bytes)
{
    json_t *doc = failover_report();
    base_err err;
    base_err_clear(&err);
    const char *names[16];
    size_t n = plot_chart_names(charts, doc, names, 16);
    cr_assert_geq(n, 4, "%zu charts", n);
    for (size_t i = 0; i < n && i < 16; i++) {
        char ran[200], again[200];
        snprintf(ran, sizeof ran, "%s/run/%s.png", scratch, names[i]);
        snprintf(again, sizeof again, "%s/again-%s.png", scratch, names[i]);
        cr_assert_eq(plot_chart(charts, doc, names[i], PLOT_PNG, again, &err), BASE_OK, "%s",
                     err.msg);
        cr_expect(same_file(ran, again), "%s.png: the run's and plot's differ", names[i]);
    }
    json_decref(doc);
}

/* A latency value given with every digit (the run's document in memory) is drawn as the same
 * value given with report.json's ten digits: pl_num reads both as the file holds it. */
Test(plot, numbers_read_as_the_report_holds_them)
{
    static const double v[] = {119.71234567891234, 0.1 + 0.2,         1e-7 / 3,
                               86390.00000000001,  5092871921.123456, 2.0 / 3};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        json_t *full = json_real(v[i]);
        json_t *arr = json_array();
        json_array_append(arr, full);
        char *text = json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(10));
        json_t *back = json_loads(text, 0, NULL);
        cr_assert_not_null(back);
        double a = pl_num(full), b = pl_num(json_array_get(back, 0));
        cr_expect(memcmp(&a, &b, sizeof a) == 0, "%.17g: %.17g in memory, %.17g from %s", v[i], a,
                  b, text);
        free(text);
        json_decref(back);
        json_decref(arr);
        json_decref(full);
    }
    /* pl_num's fast rounding against print-and-read-back, over many decades and mantissas
     * (a splitmix64 sequence: the same values every run) */
    uint64_t z = 18;
    size_t wrong = 0;
    for (int n = 0; n < 200000; n++) {
        uint64_t r = (z += 0x9E3779B97F4A7C15ull);
        r = (r ^ (r >> 30)) * 0xBF58476D1CE4E5B9ull;
        r = (r ^ (r >> 27)) * 0x94D049BB133111EBull;
        r ^= r >> 31;
        double m = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
        double x = (1 + 9 * m) * pow(10, (int)(r % 48) - 24) * (r & 1 ? -1 : 1);
        char t[40];
        if (n % 5 == 0) { /* a value already of ten digits, as a parsed report's */
            snprintf(t, sizeof t, "%.10g", x);
            x = strtod(t, NULL);
        }
        snprintf(t, sizeof t, "%.10g", x);
        double want = strtod(t, NULL);
        json_t *j = json_real(x);
        double got = pl_num(j);
        json_decref(j);
        if (memcmp(&got, &want, sizeof got) != 0 && wrong++ < 5)
            cr_expect(0, "%.17g: %.17g, printf and strtod %.17g", x, got, want);
    }
    cr_expect_eq(wrong, 0, "%zu of 200,000 values rounded unlike the file", wrong);
    json_t *i = json_integer(42);
    cr_expect_eq(pl_num(i), 42);
    json_decref(i);
    cr_expect(isnan(pl_num(NULL)));
}

/* A count of things ticks at whole numbers: the read-replicas chart's replicas axis (the mean
 * across replications, 1.3 replicas) showed 0.2, 0.4, ... (issue 18). */
Test(plot, count_axes_tick_at_whole_numbers)
{
    static const double tops[] = {0.4, 1.3, 2.6, 3.9, 7, 26, 1000};
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
        pl_axis a;
        pl_axis_linear(&a, 0, tops[i] * 1.05, 6, PL_COUNT);
        pl_axis_whole(&a);
        cr_expect_geq(a.nticks, 2, "top %g: %zu ticks", tops[i], a.nticks);
        cr_expect_leq(a.lo, 0);
        cr_expect_geq(a.hi, tops[i], "top %g: axis to %g", tops[i], a.hi);
        for (size_t k = 0; k < a.nticks; k++)
            cr_expect_eq(a.ticks[k], round(a.ticks[k]), "top %g: tick %g", tops[i], a.ticks[k]);
    }
    pl_axis l;
    pl_axis_log(&l, 0.3, 40, PL_COUNT);
    pl_axis_whole(&l);
    cr_expect_geq(l.nticks, 3);
    for (size_t k = 0; k < l.nticks; k++)
        cr_expect_eq(l.ticks[k], round(l.ticks[k]), "log: tick %g", l.ticks[k]);
    /* the built-in charts' counts of things are whole axes: pods, nodes, connections, replicas */
    static const struct {
        const char *chart, *column;
    } whole[] = {{"capacity", "pods_ready"},
                 {"capacity", "nodes_spot_arm64"},
                 {"database", "database_connections"},
                 {"database", "db_replicas"}};
    for (size_t w = 0; w < sizeof whole / sizeof whole[0]; w++) {
        const pl_chartdef *d = pl_chart_find(charts, whole[w].chart);
        cr_assert_not_null(d, "%s", whole[w].chart);
        int found = 0;
        for (size_t p = 0; p < d->npanels; p++)
            for (size_t q = 0; q < d->panels[p].nseries; q++)
                if (!strcmp(d->panels[p].series[q].column, whole[w].column)) {
                    found = 1;
                    cr_expect(d->panels[p].left.whole, "%s: the axis of %s is not `whole`",
                              whole[w].chart, whole[w].column);
                }
        cr_expect(found, "%s has no %s", whole[w].chart, whole[w].column);
    }
}

/* ---------------------------------------------------------------- errors */

Test(plot, unknown_chart_lists_the_valid_ones)
{
    json_t *doc = failover_report();
    base_err err;
    base_err_clear(&err);
    char path[160];
    path_in(path, sizeof path, "x.png");
    cr_assert_eq(plot_chart(charts, doc, "latncy", PLOT_PNG, path, &err), BASE_EINPUT);
    cr_expect_not_null(strstr(err.msg, "latncy"), "%s", err.msg);
    static const char *const names[] = {"latency", "capacity", "errors", "database", "cost"};
    for (size_t i = 0; i < 5; i++)
        cr_expect_not_null(strstr(err.msg, names[i]), "'%s' missing from: %s", names[i], err.msg);
    cr_expect_eq(access(path, F_OK), -1, "no file for a failed chart");
    /* a comparison's chart asked of a report */
    cr_assert_eq(plot_chart(charts, doc, "crossover", PLOT_PNG, path, &err), BASE_EINPUT);
    cr_expect_not_null(strstr(err.msg, "compare.json"), "%s", err.msg);
    /* a folder that cannot be created or written */
    cr_expect_eq(
        plot_chart(charts, doc, "latency", PLOT_PNG, "/nonexistent-dir/x/latency.png", &err),
        BASE_EIO);
    json_decref(doc);
}

Test(plot, report_without_series_is_a_clear_error)
{
    json_t *doc = failover_report();
    json_object_del(doc, "series");
    base_err err;
    base_err_clear(&err);
    const char *names[16];
    size_t n = plot_chart_names(charts, doc, names, 16);
    cr_assert_eq(n, 1, "only the cost chart needs no series");
    cr_expect_str_eq(names[0], "cost");
    char path[160];
    path_in(path, sizeof path, "latency.png");
    cr_assert_eq(plot_chart(charts, doc, "latency", PLOT_PNG, path, &err), BASE_EINPUT);
    cr_expect_not_null(strstr(err.msg, "series"), "%s", err.msg);
    cr_expect_not_null(strstr(err.msg, "cost"), "and says what there is: %s", err.msg);
    cr_assert_eq(plot_all(charts, doc, scratch, PLOT_PNG, &err), BASE_OK, "%s", err.msg);
    path_in(path, sizeof path, "pack.pdf");
    json_object_del(doc, "assumptions"); /* one page saying so */
    pack_at(doc, path);
    cr_expect_eq(pdf_pages(path), 7,
                 "decision, architecture, figures, cost chart, recovery, cost table, "
                 "assumptions: got %d",
                 pdf_pages(path));
    /* a series that is there but malformed */
    json_object_set_new(doc, "series",
                        json_pack("{s:[s], s:[[f]]}", "columns", "users", "rows", 1.0));
    cr_assert_eq(plot_chart(charts, doc, "latency", PLOT_PNG, path, &err), BASE_EINPUT);
    cr_expect_not_null(strstr(err.msg, "time_s"), "%s", err.msg);
    json_decref(doc);

    /* neither kind of document */
    json_t *empty = json_object();
    cr_expect_eq(plot_chart_names(charts, empty, names, 16), 0);
    cr_expect_eq(plot_chart(charts, empty, "latency", PLOT_PNG, path, &err), BASE_EINPUT);
    cr_expect_eq(plot_pack(charts, empty, path, &err), BASE_EINPUT);
    cr_expect_eq(plot_all(charts, empty, scratch, PLOT_PNG, &err), BASE_EINPUT);
    json_decref(empty);
}

/* A copy of a column's values replaced by NaN-making nulls every other row, another column
 * renamed (an older report without it), and every error zeroed: charts still draw. */
static double no_errors(double t_s, const char *column)
{
    (void)t_s;
    (void)column;
    return 0;
}

Test(plot, missing_columns_and_gaps_are_drawn_around)
{
    json_t *doc = failover_report();
    json_t *ser = json_object_get(doc, "series");
    json_t *cols = json_object_get(ser, "columns");
    json_t *rows = json_object_get(ser, "rows");
    size_t p95 = 0, p99 = 0;
    for (size_t c = 0; c < json_array_size(cols); c++) {
        const char *n = json_string_value(json_array_get(cols, c));
        if (!strcmp(n, "api_latency_p95_ms"))
            p95 = c;
        if (!strcmp(n, "api_latency_p99_ms"))
            p99 = c;
    }
    cr_assert(p95 > 0 && p99 > 0);
    json_array_set_new(cols, p99, json_string("renamed_column"));
    for (size_t r = 0; r < json_array_size(rows); r += 2)
        json_array_set_new(json_array_get(rows, r), p95, json_null());
    set_errors(doc, no_errors);
    /* and a short row, as a truncated file might have */
    json_array_remove(json_array_get(rows, 3), 10);
    base_err err;
    base_err_clear(&err);
    char path[160];
    path_in(path, sizeof path, "latency.png");
    cr_assert_eq(plot_chart(charts, doc, "latency", PLOT_PNG, path, &err), BASE_OK, "%s", err.msg);
    png_stats st = png_read(path);
    cr_expect_gt(st.nonwhite, 0.02);
    path_in(path, sizeof path, "errors.png");
    cr_assert_eq(plot_chart(charts, doc, "errors", PLOT_PNG, path, &err), BASE_OK, "%s", err.msg);
    st = png_read(path);
    cr_expect_gt(st.nonwhite, 0.02, "no errors still draws its axes and says so");
    json_decref(doc);
}

/* ---------------------------------------------------------------- small pieces */

Test(plot, formats_parse)
{
    plot_format f;
    base_err err;
    base_err_clear(&err);
    cr_expect_eq(plot_parse_format("png", &f, &err), BASE_OK);
    cr_expect_eq(f, PLOT_PNG);
    cr_expect_eq(plot_parse_format("SVG", &f, &err), BASE_OK);
    cr_expect_eq(f, PLOT_SVG);
    cr_expect_eq(plot_parse_format("pdf", &f, &err), BASE_OK);
    cr_expect_eq(f, PLOT_PDF);
    cr_expect_eq(plot_parse_format("gif", &f, &err), BASE_EINPUT);
    cr_expect_not_null(strstr(err.msg, "png, svg, pdf"), "%s", err.msg);
    cr_expect_str_eq(plot_format_ext(PLOT_PDF), "pdf");
    cr_expect_not_null(plot_chart_describe(charts, "latency"));
    cr_expect_null(plot_chart_describe(charts, "nope"));
}

static void expect_label(double v, pl_unit u, double step, const char *want)
{
    char buf[64];
    pl_format(v, u, step, buf, sizeof buf);
    cr_expect_str_eq(buf, want, "pl_format(%g, %d, %g) = '%s', want '%s'", v, (int)u, step, buf,
                     want);
}

Test(plot, axis_labels_read_as_numbers_people_use)
{
    expect_label(250, PL_MS, 50, "250 ms");
    expect_label(1500, PL_MS, 500, "1.5 s");
    expect_label(2000, PL_MS, 500, "2 s");
    expect_label(0.5, PL_MS, 0.1, "0.5 ms");
    expect_label(12000, PL_COUNT, 2000, "12k");
    expect_label(2e6, PL_COUNT, 1e6, "2M");
    expect_label(1500, PL_COUNT, 500, "1.5k");
    expect_label(500, PL_COUNT, 500, "500");
    expect_label(1200, PL_USD, 200, "$1.2k");
    expect_label(40, PL_PCT, 20, "40%");
    expect_label(0, PL_COUNT, 5, "0");
    /* dollars in steps finer than a hundred are whole dollars, not "$2.345k" */
    expect_label(2345, PL_USD, 5, "$2,345");
    expect_label(2000, PL_USD, 1000, "$2k");
    /* minutes only in whole-minute steps: an axis in 50-s steps stays in seconds */
    expect_label(150000, PL_MS, 50000, "150 s");
    expect_label(180000, PL_MS, 60000, "3 min");

    cr_expect_float_eq(pl_nice_step(100, 5), 20, 1e-9);
    cr_expect_float_eq(pl_nice_step(7, 5), 1, 1e-9);
    cr_expect_float_eq(pl_nice_step(80, 4), 20, 1e-9);
    cr_expect_float_eq(pl_nice_step(1.2, 6), 0.2, 1e-9);

    pl_axis a;
    pl_axis_linear(&a, 0, 77, 5, PL_COUNT);
    cr_expect_float_eq(a.lo, 0, 1e-9);
    cr_expect_geq(a.hi, 77);
    cr_expect_leq(a.nticks, 10);

    char buf[32];
    pl_axis_time(&a, 86400); /* a day: h:mm */
    pl_axis_label(&a, a.ticks[a.nticks - 1], buf, sizeof buf);
    cr_expect_str_eq(buf, "24:00");
    pl_axis_label(&a, a.ticks[1], buf, sizeof buf);
    cr_expect_str_eq(buf, "3:00");
    pl_axis_time(&a, 900); /* a quarter hour: minutes */
    pl_axis_label(&a, a.ticks[1], buf, sizeof buf);
    cr_expect_str_eq(buf, "2");
    cr_expect_str_eq(pl_time_title(&a), "time since start (min)");

    pl_format_ci(1200919.333, 2198.97, "requests", buf, sizeof buf);
    cr_expect_str_eq(buf, "1,200,919 ± 2,199 requests");
    pl_format_ci(12343.8788, 25.48, "USD", buf, sizeof buf);
    cr_expect_str_eq(buf, "$12,344 ± $25");
    pl_format_ci(160.257, 3.0078, "ms", buf, sizeof buf);
    cr_expect_str_eq(buf, "160.3 ± 3.0 ms");
    pl_format_ci(6, 0, "nodes", buf, sizeof buf);
    cr_expect_str_eq(buf, "6 ± 0 nodes");
    pl_format_ci(5.68, NAN, "%", buf, sizeof buf);
    cr_expect_str_eq(buf, "5.68%");
}

/* Issue 18: a limit line's value that counts reads whole with its unit ("HPA max replicas 4
 * pods", not "4.00"), and a narrow zoom's caption breaks between words on two lines, never
 * mid-word. */
Test(plot, limit_counts_read_whole_and_zoom_captions_break_between_words)
{
    pl_rdef r;
    memset(&r, 0, sizeof r);
    snprintf(r.label, sizeof r.label, "HPA max replicas");
    snprintf(r.unit, sizeof r.unit, "pods");
    char buf[128];
    pl_ref_text(&r, 4, PL_COUNT, buf, sizeof buf);
    cr_expect_str_eq(buf, "HPA max replicas 4 pods");
    pl_ref_text(&r, 3616, PL_COUNT, buf, sizeof buf);
    cr_expect_str_eq(buf, "HPA max replicas 3,616 pods");
    r.unit[0] = '\0';
    snprintf(r.label, sizeof r.label, "p99 objective");
    pl_ref_text(&r, 300, PL_MS, buf, sizeof buf);
    cr_expect_str_eq(buf, "p99 objective 300 ms");

    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 100);
    cairo_t *cr = cairo_create(s);
    pl_font(cr, 14, 1);
    const char *cap = "zoom: API pods around the mon-arrive (7:30 to 9:30)";
    char l1[200], l2[200];
    pl_zoom_caption(cr, cap, 1000, l1, l2, sizeof l1);
    cr_expect_str_eq(l1, cap);
    cr_expect_str_eq(l2, "");
    double w = pl_text_width(cr, "zoom: API pods around the mon-arrive") + 2;
    pl_zoom_caption(cr, cap, w, l1, l2, sizeof l1);
    cr_expect_str_eq(l1, "zoom: API pods around the mon-arrive");
    cr_expect_str_eq(l2, "(7:30 to 9:30)");
    /* too narrow for the rest on one line: its last whole word, then the ellipsis */
    w = pl_text_width(cr, "zoom: API pods") + 2;
    pl_zoom_caption(cr, cap, w, l1, l2, sizeof l1);
    cr_expect_str_eq(l1, "zoom: API pods");
    cr_expect_str_eq(l2, "around the\xE2\x80\xA6", "line 2 '%s'", l2);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* The x labels of a placed panel: each tick labelled, and no two closer than a label's width
 * plus a gap (a narrow range in long labels, a zoom's h:mm in a third of a chart). */
static void expect_xlabels_apart(cairo_t *cr, const pl_panel *p, const char *what)
{
    cr_expect_geq(p->xa.nticks, 2, "%s: %zu ticks", what, p->xa.nticks);
    pl_font(cr, PL_FONT_TICK, 0);
    char a[64], b[64];
    for (size_t i = 0; i + 1 < p->xa.nticks; i++) {
        pl_axis_label(&p->xa, p->xa.ticks[i], a, sizeof a);
        pl_axis_label(&p->xa, p->xa.ticks[i + 1], b, sizeof b);
        double room = pl_px(p, p->xa.ticks[i + 1]) - pl_px(p, p->xa.ticks[i]);
        double need = (pl_text_width(cr, a) + pl_text_width(cr, b)) / 2;
        cr_expect_gt(room, need, "%s: '%s' and '%s' %.1f apart, need %.1f", what, a, b, room, need);
    }
}

/* Labels that would run into each other get fewer ticks (a coarser step), not every other
 * label: the Pareto p99 at 135.0-135.9 ms in a half-page panel, an RTO axis in 10-s steps, a
 * two-hour zoom in a third of the width. Labels that fit keep their ticks. */
Test(plot, long_x_labels_get_fewer_ticks)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 700);
    cairo_t *cr = cairo_create(s);
    pl_font_options(cr);
    pl_panel p[2];
    memset(p, 0, sizeof p);
    pl_axis_linear(&p[0].xa, 134.95, 135.95, 6, PL_MS);
    pl_axis_linear(&p[0].ya, 0, 100, 6, PL_USD);
    p[0].xlabels = 1;
    size_t before = p[0].xa.nticks;
    pl_panels_place(cr, p, 1, 24, 80, 330, 600);
    cr_expect_lt(p[0].xa.nticks, before, "%zu ticks in a 300-unit panel", p[0].xa.nticks);
    cr_expect_leq(p[0].xa.lo, 134.95);
    cr_expect_geq(p[0].xa.hi, 135.95);
    expect_xlabels_apart(cr, &p[0], "p99 135-136 ms");

    /* two panels stacked over one time axis: the grid of the upper one follows the labelled */
    memset(p, 0, sizeof p);
    for (int i = 0; i < 2; i++) {
        pl_axis_time_range(&p[i].xa, 27000, 34200, 604800); /* 7:30 to 9:30 of a week */
        pl_axis_linear(&p[i].ya, 0, 3, 6, PL_COUNT);
    }
    p[1].xlabels = 1;
    pl_panels_place(cr, p, 2, 24, 80, 380, 600);
    expect_xlabels_apart(cr, &p[1], "a two-hour zoom");
    cr_expect_eq(p[0].xa.nticks, p[1].xa.nticks, "stacked panels share their ticks");
    cr_expect_float_eq(p[0].xa.step, p[1].xa.step, 1e-9);

    /* the same day axis over a whole chart fits as it is: untouched */
    memset(p, 0, sizeof p);
    pl_axis_time(&p[0].xa, 86400);
    pl_axis_linear(&p[0].ya, 0, 3, 6, PL_COUNT);
    p[0].xlabels = 1;
    before = p[0].xa.nticks;
    pl_panels_place(cr, p, 1, 24, 80, 1176, 600);
    cr_expect_eq(p[0].xa.nticks, before);
    expect_xlabels_apart(cr, &p[0], "a day");
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

/* ---------------------------------------------------------------- chart files (plots/) */

/* The text of a PDF by pdftotext (poppler-utils), malloc'd. */
static char *pdf_text(const char *pdf)
{
    char txt[200];
    path_in(txt, sizeof txt, "pack.txt");
    char *const argv[] = {"/usr/bin/pdftotext", "-layout", (char *)pdf, txt, NULL};
    int st = spawn_wait(argv, NULL, NULL, NULL, 60);
    cr_assert(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
              "pdftotext failed (tools/setup installs poppler-utils)");
    char *t = slurp(txt, NULL);
    cr_assert_not_null(t);
    return t;
}

/* The text of PDF page `page` (1-based): pdftotext separates pages with a form feed. */
static char *page_of(const char *text, int page)
{
    const char *p = text;
    for (int i = 1; i < page && p; i++) {
        p = strchr(p, '\f');
        if (p)
            p++;
    }
    cr_assert_not_null(p, "no page %d", page);
    const char *e = strchr(p, '\f');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char *out = malloc(n + 1);
    cr_assert_not_null(out);
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* doc's pack rendered into the scratch folder's `name`, and its text (pdf_text; the caller
 * frees it). */
static char *pack_text(const json_t *doc, const char *name)
{
    char pdf[200];
    path_in(pdf, sizeof pdf, name);
    pack_at(doc, pdf);
    return pdf_text(pdf);
}

/* Page `page` (1-based) of doc's pack rendered into the scratch folder's `name` (the caller
 * frees it). */
static char *pack_page(const json_t *doc, const char *name, int page)
{
    char *text = pack_text(doc, name), *p = page_of(text, page);
    free(text);
    return p;
}

/* A y axis' title along a short panel reads whole: black-friday's database chart, four panels
 * high, cut "connections" to "connecti…" (issue 18); the title's font shrinks first. */
Test(plot, short_panels_keep_their_axis_titles_whole)
{
    char pdf[200];
    path_in(pdf, sizeof pdf, "panel.pdf");
    cairo_surface_t *s = cairo_pdf_surface_create(pdf, 600, 200);
    cairo_t *cr = cairo_create(s);
    pl_font_options(cr);
    pl_panel p;
    memset(&p, 0, sizeof p);
    pl_axis_time(&p.xa, 3600);
    pl_axis_linear(&p.ya, 0, 2000, 4, PL_COUNT);
    p.ytitle = "connections";
    p.xlabels = 1;
    pl_panels_place(cr, &p, 1, 10, 10, 590, 100);
    pl_font(cr, PL_FONT_AXIS, 0);
    cr_assert_lt(p.h + 20, pl_text_width(cr, "connections"), "the panel (%.0f) is not short", p.h);
    pl_panel_frame(cr, &p);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    char *text = pdf_text(pdf);
    cr_expect(strstr(text, "connections") && !strstr(text, "\xE2\x80\xA6"), "%s", text);
    free(text);
}

/* 100 database-failover errors a second from 5:00 to 6:40, none of any other kind */
static double failover_block(double t_s, const char *column)
{
    return !strcmp(column, "errors_db_failover_per_s") && t_s >= 300 && t_s < 400 ? 100 : 0;
}

/* A stack of rates (the errors chart) rises where its interval starts: 100 failures a second
 * from 5:00 to 6:40 is a block with upright sides, not a trapezoid whose ramp starts 5 s before
 * the failure (the interval's middle joined to the one before's, as az-failure's errors zoom
 * showed them rising before the AZ failure's marker). */
Test(plot, a_stack_of_rates_rises_where_its_interval_starts)
{
    json_t *doc = failover_report();
    set_errors(doc, failover_block);
    char png[200];
    const char *dirs[1] = {SIMULATE_TESTDATA "/plot/stack-chart"};
    plot_set *set;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_set_load(dirs, 1, NULL, 0, &set, &err), BASE_OK, "%s", err.msg);
    path_in(png, sizeof png, "steps.png");
    cr_assert_eq(plot_chart(set, doc, "steps", PLOT_PNG, png, &err), BASE_OK, "%s", err.msg);
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    cr_assert_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    int *height = calloc((size_t)w, sizeof *height), top = 0, cols_with = 0, ramp = 0;
    cr_assert_not_null(height);
    for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) {
            const uint32_t *row = (const uint32_t *)(const void *)(data + (long)y * stride);
            height[x] += (row[x] & 0xFFFFFF) == 0x009E73; /* Okabe & Ito's bluish green */
        }
        top = height[x] > top ? height[x] : top;
    }
    cr_assert_gt(top, 20, "no block drawn");
    for (int x = 0; x < w; x++) {
        cols_with += height[x] > 0;
        ramp += height[x] > top / 10 && height[x] < top * 9 / 10;
    }
    cr_expect_leq(ramp, 2, "%d of %d columns of the block are a ramp", ramp, cols_with);
    free(height);
    cairo_surface_destroy(s);
    plot_set_free(set);
    json_decref(doc);
}

/* Every file of plots/ is a chart that draws, in each format, from the document it is for. */
Test(plot, every_chart_file_renders)
{
    json_t *rep = failover_report(), *cmp = compare_doc(), *plan = NULL;
    base_err perr;
    /* a plan's chart (plots/pareto.yaml) from the small plan's plan.json (test_plan_store.c) */
    cr_assert_eq(plot_load(SIMULATE_TESTDATA "/plan/small-plan.json", &plan, &perr), BASE_OK, "%s",
                 perr.msg);
    cr_assert_geq(charts->n, 7, "plots/ holds the seven built-in charts, found %zu", charts->n);
    static const plot_format fmts[] = {PLOT_PNG, PLOT_SVG, PLOT_PDF};
    for (size_t i = 0; i < charts->n; i++) {
        const pl_chartdef *d = &charts->defs[i];
        json_t *doc = d->doc == PLOT_DOC_COMPARE ? cmp : d->doc == PLOT_DOC_PLAN ? plan : rep;
        for (size_t f = 0; f < 3; f++) {
            char path[200];
            snprintf(path, sizeof path, "%s/%s.%s", scratch, d->name, plot_format_ext(fmts[f]));
            base_err err;
            base_err_clear(&err);
            cr_assert_eq(plot_chart(charts, doc, d->name, fmts[f], path, &err), BASE_OK,
                         "%s (%s): %s", d->name, d->file, err.msg);
        }
        char png[200];
        snprintf(png, sizeof png, "%s/%s.png", scratch, d->name);
        cr_expect_gt(png_read(png).nonwhite, 0.02, "%s is nearly blank", d->name);
    }
    json_decref(rep);
    json_decref(cmp);
    json_decref(plan);
}

/* A chart a user adds in a folder of their own (tests/data/plot/user-charts) is drawn with the
 * others and has its page in the pack. */
Test(plot, user_chart_appears_in_the_pack)
{
    json_t *doc = failover_report();
    char pdf[200];
    const char *dirs[2] = {SIMULATE_ROOT "/plots", SIMULATE_TESTDATA "/plot/user-charts"};
    plot_set *set;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_set_load(dirs, 2, NULL, 0, &set, &err), BASE_OK, "%s", err.msg);
    const char *names[16];
    size_t n = plot_chart_names(set, doc, names, 16);
    cr_assert_eq(n, 6, "five built-in charts and the user's, got %zu", n);
    cr_expect_str_eq(names[5], "users");
    path_in(pdf, sizeof pdf, "review.pdf");
    cr_assert_eq(plot_pack(set, doc, pdf, &err), BASE_OK, "%s", err.msg);
    char *text = pdf_text(pdf);
    cr_expect_not_null(strstr(text, "concurrent shoppers online"), "the user's chart has no page");
    free(text);
    plot_set_free(set);
    json_decref(doc);
}

/* A bad chart file is one line, `simulate: FILE:LINE:COL: what is wrong`, and exit 2, as a bad
 * scenario is. */
Test(plot, bad_chart_file_is_one_line_with_its_position)
{
    json_t *doc = failover_report();
    json_decref(doc);
    static const struct {
        const char *text, *want;
        int line;
    } cases[] = {
        {"name: x\ntitle: t\npanels:\n  - axis: {title: a, unit: ms}\n    series:\n"
         "      - {column: users, colour: purple}\n",
         "is not one of", 6},
        {"name: x\ntitel: t\n", "did you mean 'title'", 2},
        {"name: x\npanels:\n  - axis: {unit: ms}\n", "needs `series`", 3},
        {"name: x\nkind: cost\ndocument: compare\n", "drawn from a report", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char file[200], out[200], errs[200], report[200];
        snprintf(file, sizeof file, "%s/bad%zu.yaml", scratch, i);
        write_text(file, cases[i].text);
        path_in(out, sizeof out, "stdout");
        path_in(errs, sizeof errs, "stderr");
        snprintf(report, sizeof report, "%s/run/report.json", scratch);
        char *const argv[] = {SIMULATE_BIN, "plot", report, "--chart", file, "-o", scratch, NULL};
        int st = spawn_wait(argv, NULL, out, errs, 60);
        cr_assert(st != -1 && WIFEXITED(st));
        cr_expect_eq(WEXITSTATUS(st), 2, "case %zu: exit %d", i, WEXITSTATUS(st));
        char *e = slurp(errs, NULL);
        cr_assert_not_null(e);
        char want[300];
        snprintf(want, sizeof want, "simulate: %s:%d:", file, cases[i].line);
        cr_expect_eq(strncmp(e, want, strlen(want)), 0, "case %zu: %s", i, e);
        cr_expect_not_null(strstr(e, cases[i].want), "case %zu: %s", i, e);
        cr_expect_eq(strchr(e, '\n'), e + strlen(e) - 1, "case %zu: one line: %s", i, e);
        free(e);
    }
}

/* The pack opens with the decision: page 1 says what to deploy, the objectives with their
 * margins, the bill and the risks; page 2 is the architecture with the run's figures. */
Test(plot, pack_opens_with_the_decision)
{
    json_t *doc = failover_report();
    char *text = pack_text(doc, "review.pdf");
    char *p1 = page_of(text, 1), *p2 = page_of(text, 2);
    static const char *const want1[] = {"What to deploy", "Objectives", "The bill",
                                        "a month",        "730 hours",  "Risks the run showed"};
    expect_each_in(p1, want1, sizeof want1 / sizeof want1[0], "page 1");
    static const char *const want2[] = {"architecture", "CloudFront", "ALB", "PgBouncer", "p99"};
    expect_each_in(p2, want2, sizeof want2 / sizeof want2[0], "page 2");
    free(p1);
    free(p2);
    free(text);
    json_decref(doc);
}

/* The compare pack's page 1 says the answer in words, computed from the sweep (the fixture's
 * five points: rds fails at 25k; aurora is the cheapest at 1k only, rds from 7k to 19k,
 * rds-xlarge at 25k), and each table states its load (compare.json's peak_load). */
Test(plot, compare_pack_says_the_answer_on_page_one)
{
    json_t *doc = compare_doc();
    char *text = pack_text(doc, "answer.pdf"), *p1 = page_of(text, 1);
    static const char *const words[] = {
        "The answer",
        "rds meets the objectives up to 19k users; it misses them at 25k users.",
        "rds-xlarge meets the objectives at every load of the sweep.",
        "At 1k users, aurora is the cheapest that meets the objectives, $977 a month, $11 less",
        "From 7k to 19k users, rds is the cheapest that meets the objectives, $3,889 to $9,731",
        "At 25k users, rds-xlarge is the cheapest that meets the objectives, $13,518 a month, "
        "$1,132 less than aurora.",
        "aurora is never the cheapest that meets the objectives above 1k users.",
        "Figures at a peak of 10k users",
    };
    expect_each_in(p1, words, sizeof words / sizeof words[0], "page 1");
    cr_expect_not_null(strstr(text, "Monthly cost by component, per variant at a peak of 10k"));
    cr_expect_not_null(strstr(text, "peak users"), "the sweep's load column names its unit");
    free(p1);
    free(text);
    /* a variant that says what its database is (compare.json's "database") is introduced by it
       in its first sentence; the later ones use its name */
    json_object_set_new(json_array_get(json_object_get(doc, "variants"), 0), "database",
                        json_string("RDS PostgreSQL db.t3.medium Multi-AZ"));
    p1 = pack_page(doc, "answer.pdf", 1);
    cr_expect_not_null(strstr(p1, "rds (RDS PostgreSQL db.t3.medium Multi-AZ) meets the objectives "
                                  "up to 19k users"),
                       "%s", p1);
    cr_expect_not_null(strstr(p1, "From 7k to 19k users, rds is the cheapest"), "%s", p1);
    free(p1);
    /* a cost crossover inside the stretch names where the costs cross */
    json_t *cx = json_object_get(json_object_get(doc, "sweep"), "cost_crossovers");
    json_t *first = json_array_get(cx, 0);
    json_object_set_new(first, "between", json_pack("[f, f]", 1000.0, 7000.0));
    p1 = pack_page(doc, "answer.pdf", 1);
    cr_expect_not_null(strstr(p1, "aurora is never the cheapest that meets the objectives above "
                                  "about 1.12k users (where its cost crosses rds's)."),
                       "%s", p1);
    free(p1);
    json_decref(doc);
}

/* The bill as a reviewer reads it: two regions' "of which" figures (eu-west-1's lines, the
 * inter-region transfer) are not components beside the ones they are part of, a component of
 * $0 is no bar, a share under 0.1% reads "<0.1%" in the table as in the chart, an interval under
 * a cent is "<$0.01", and a month of repeated windows is not called "this run's load for 730 h".
 */
Test(plot, the_bill_adds_up_and_says_what_the_month_is)
{
    json_t *figs = json_pack("{s:{s:f}, s:{s:f}, s:{s:f}, s:{s:f}, s:{s:f}}", "cost_nodes", "mean",
                             100.0, "cost_cloudfront", "mean", 300.0, "cost_eu_west_1", "mean",
                             150.0, "cost_inter_region", "mean", 4.0, "cost_dr", "mean", 0.0);
    pl_cost_part parts[8];
    size_t n = pl_cost_parts(figs, parts, 8);
    cr_expect_eq(n, 3, "CloudFront, EC2 nodes and the DR region, got %zu", n);
    for (size_t i = 0; i < n; i++)
        cr_expect(strcmp(parts[i].key, "cost_eu_west_1") &&
                      strcmp(parts[i].key, "cost_inter_region"),
                  "%s is part of the other lines", parts[i].key);
    json_decref(figs);

    char buf[96];
    pl_format_ci(1.99, 0.001, "USD", buf, sizeof buf);
    cr_expect_str_eq(buf, "$1.99 ± <$0.01");
    pl_format_ci(-10.26, 0, "USD", buf, sizeof buf);
    cr_expect_str_eq(buf, "-$10.3 ± $0");

    json_t *doc = failover_report();
    json_t *f = json_object_get(doc, "figures");
    json_object_set_new(
        f, "cost_other",
        json_pack("{s:s, s:f, s:f}", "unit", "USD", "mean", 0.01, "ci95_half_width", 0.0));
    json_object_set_new(
        f, "cost_dr",
        json_pack("{s:s, s:f, s:f}", "unit", "USD", "mean", 0.0, "ci95_half_width", 0.0));
    json_t *as = json_object_get(doc, "assumptions");
    for (size_t i = 0; i < json_array_size(as); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(as, i), "key")),
                    "month.repeat"))
            json_object_set_new(json_array_get(as, i), "value", json_string("weekdays"));
    char *text = pack_text(doc, "bill.pdf");
    cr_expect_not_null(strstr(text, "monthly cost by component, a month of the run's windows"));
    cr_expect_null(strstr(text, "at this run's load for 730 h"));
    cr_expect_null(strstr(text, "0.0%"), "a share under 0.1%% reads <0.1%%");
    cr_expect_not_null(strstr(text, "<0.1%"));
    cr_expect_null(strstr(text, "± $0.00"));
    free(text);
    json_decref(doc);
}

/* Sets assumption `key` of doc to value (added when the report has none). */
static void set_assumption(json_t *doc, const char *key, const char *value, const char *set_in)
{
    json_t *as = json_object_get(doc, "assumptions");
    for (size_t i = 0; i < json_array_size(as); i++) {
        json_t *a = json_array_get(as, i);
        if (!strcmp(json_string_value(json_object_get(a, "key")), key)) {
            json_object_set_new(a, "value", json_string(value));
            json_object_set_new(a, "set_in", json_string(set_in));
            return;
        }
    }
    json_t *a = assumption(key, value, "test");
    json_object_set_new(a, "set_in", json_string(set_in));
    json_array_append_new(as, a);
}

/* Page 1 in words a reviewer reads without tripping: a week is "7 days" (not "10080 min"), a
 * failure in every replication "once in each of the 2 replications" (not "2 occurrences"), read
 * replicas scaled by a rule say so (not just "0 read replicas"), two regions say whose latency
 * the charts show; the appendix gives the pricing file's path from the project's root. */
Test(plot, page_one_says_it_in_words)
{
    json_t *doc = failover_report();
    json_object_set_new(json_object_get(doc, "scenario"), "duration_s", json_real(604800));
    json_t *rows = json_object_get(json_object_get(doc, "recovery"), "rows");
    cr_assert_gt(json_array_size(rows), 0, "the failover run has a recovery row");
    json_object_set_new(json_array_get(rows, 0), "occurrences", json_integer(2));
    json_object_set_new(doc, "replications", json_integer(2));
    set_assumption(doc, "database.engine", "rds", "x.yaml:1");
    set_assumption(doc, "database.replica_scaling.enabled", "true", "x.yaml:2");
    set_assumption(doc, "database.replica_scaling.min", "0", "x.yaml:3");
    set_assumption(doc, "database.replica_scaling.max", "4", "x.yaml:4");
    set_assumption(doc, "pricing", "../pricing/us-east-1.yaml",
                   "scenarios/../models/architecture/innovate.yaml:12");
    json_t *f = json_object_get(doc, "figures");
    json_object_set_new(f, "api_latency_p99_us",
                        json_pack("{s:s, s:f}", "unit", "ms", "mean", 137.0));
    json_object_set_new(f, "api_latency_p99_emea",
                        json_pack("{s:s, s:f}", "unit", "ms", "mean", 286.0));
    char *text = pack_text(doc, "words.pdf"), *p1 = page_of(text, 1);
    static const char *const want[] = {"Simulated: 7 days (", "once in each of the 2 replications",
                                       "added and removed by a rule between 0",
                                       "Two regions: US users' API p99 137 ms",
                                       "time charts draw what each region served"};
    expect_each_in(p1, want, sizeof want / sizeof want[0], "page 1");
    cr_expect_null(strstr(p1, "occurrences"), "%s", p1);
    cr_expect_null(strstr(p1, "10080 min"));
    cr_expect_not_null(strstr(text, "models/pricing/us-east-1.yaml"));
    cr_expect_null(strstr(text, "../pricing"));
    cr_expect_null(strstr(text, "\nAssumptions and sources (continued)"),
                   "a continued appendix page is headed as the appendix");
    free(p1);
    free(text);
    json_decref(doc);
}

/* The architecture page names the database by its engine with its class on a line of its own
 * (the name "Aurora Serverless v2" whole did not fit its box), and gives the peak of server
 * connections as a whole number, as counted things are. */
Test(plot, architecture_names_the_database_and_counts_whole)
{
    json_t *doc = failover_report();
    char *p2 = pack_page(doc, "arch.pdf", 2);
    cr_expect_not_null(strstr(p2, "RDS PostgreSQL"), "%s", p2);
    const char *c = strstr(p2, " connections (peak)");
    cr_assert_not_null(c, "%s", p2);
    cr_expect(c > p2 && c[-1] >= '0' && c[-1] <= '9', "%s", p2);
    const char *d = c;
    while (d > p2 && d[-1] != ' ')
        d--;
    cr_expect_null(memchr(d, '.', (size_t)(c - d)), "a whole count: %.*s", (int)(c - d), d);
    free(p2);
    set_assumption(doc, "database.engine", "aurora", "x.yaml:1");
    p2 = pack_page(doc, "arch.pdf", 2);
    cr_expect_not_null(strstr(p2, "Serverless v2 writer"), "%s", p2);
    cr_expect_null(strstr(p2, "Aurora Serverless v2"), "%s", p2);
    free(p2);
    json_decref(doc);
}

/* The compare pack gives each objective's measured value with its unit ("met (162 ms)", not
 * "met (162)") and names the sweep's load on the crossover chart's axis in compare.json's unit. */
Test(plot, compare_pack_gives_units)
{
    json_t *doc = compare_doc();
    char *text = pack_text(doc, "units.pdf");
    const char *m = strstr(text, "met (");
    cr_assert_not_null(m, "%s", text);
    const char *close = strchr(m, ')');
    cr_assert_not_null(close);
    cr_expect(close - m > 4 && (!strncmp(close - 2, "ms", 2) || close[-1] == '%'),
              "a verdict with its unit: %.*s", (int)(close - m + 1), m);
    cr_expect_not_null(strstr(text, "peak concurrent users at the point of the sweep"));
    free(text);
    json_decref(doc);
}

/* A runner-up's undecided objective that holds at the mean has a negative "by" in plan.json: the
 * plan pack says it is inside the limit, not that it missed by "-93.8 s". */
Test(plot, plan_pack_says_an_undecided_margin_inside_the_limit)
{
    json_t *plan = NULL;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(plot_load(SIMULATE_TESTDATA "/plan/small-plan.json", &plan, &err), BASE_OK, "%s",
                 err.msg);
    json_t *r0 = json_array_get(json_object_get(plan, "runners_up"), 0);
    cr_assert_not_null(r0);
    json_object_set_new(r0, "missed",
                        json_pack("[{s:s, s:s, s:f, s:s}]", "objective", "rpo < 5m", "status",
                                  "undecided", "by", -93.8, "unit", "s"));
    char *text = pack_text(plan, "plan.pdf");
    cr_expect_null(strstr(text, "by -93.8"), "%s", text);
    cr_expect_not_null(strstr(text, "inside the limit by"), "%s", text);
    free(text);
    json_decref(plan);
}

/* A lost region (report.c's events of a two-region run): its marker says which region, Route
 * 53's move 84 s later gets its own marker but no second, near-identical zoom, and us-east-1's
 * promotion a quarter of an hour later gets its zoom. */
Test(plot, a_lost_region_is_marked_and_zoomed_once)
{
    json_t *doc = json_loads(
        "{\"scenario\": {\"phases\": [{\"name\": \"day\", \"start_s\": 0, \"duration_s\": 7200}],"
        " \"events\": [{\"type\": \"region_failure\", \"at_s\": 3600, \"every_s\": null,"
        " \"region\": \"us-east-1\"},"
        " {\"type\": \"region_moved\", \"at_s\": 3684, \"every_s\": null, \"region\": "
        "\"us-east-1\", \"to\": \"eu-west-1\"},"
        " {\"type\": \"replica_promoted\", \"at_s\": 4584, \"every_s\": null,"
        " \"region\": \"eu-west-1\"}]}}",
        0, NULL);
    cr_assert_not_null(doc);
    pl_event_mark m[8], z[3];
    size_t n = pl_marks_of(doc, m, 8);
    cr_assert_eq(n, 3);
    cr_expect_str_eq(m[0].label, "loss of us-east-1");
    cr_expect_str_eq(m[1].label, "users moved to eu-west-1");
    cr_expect_str_eq(m[2].label, "promotion of eu-west-1's copy");
    size_t nz = pl_zooms_of(m, n, 7200, 3, z);
    cr_expect_eq(nz, 2, "%zu zooms", nz);
    cr_expect_float_eq(z[0].t, 3600, 1e-9);
    cr_expect_float_eq(z[1].t, 4584, 1e-9);
    json_decref(doc);
}

/* A pattern's `*` stands for no unit word (issue 19): capacity's eu-west-1 nodes, once
 * `nodes_*_eu_west_1`, stacked eu-west-1's dollars an hour on its node counts ("cost usd per
 * hour" in the legend); the errors chart's `errors_*_per_s` still picks every cause. */
Test(plot, a_pattern_does_not_match_a_column_of_another_unit)
{
    cr_expect(pl_column_matches("nodes_*_eu_west_1", "nodes_spot_arm64_eu_west_1"));
    cr_expect(pl_column_matches("nodes_*_eu_west_1", "nodes_on_demand_amd64_eu_west_1"));
    cr_expect_not(pl_column_matches("nodes_*_eu_west_1", "nodes_cost_usd_per_hour_eu_west_1"));
    cr_expect_not(pl_column_matches("nodes_*", "nodes_cost_usd_per_hour"));
    cr_expect(pl_column_matches("errors_*_per_s", "errors_db_failover_per_s"));
    cr_expect(pl_column_matches("errors_*_per_s", "errors_pool_timeout_per_s"));
    cr_expect_not(pl_column_matches("errors_*_per_s", "errors_per_s"));
    cr_expect_not(pl_column_matches("*_eu_west_1", "api_latency_p99_ms_eu_west_1"));
    cr_expect(pl_column_matches("pods_ready", "pods_ready"));
    cr_expect_not(pl_column_matches("pods_ready", "pods_ready_eu_west_1"));
    /* and no built-in chart names the cost column on a panel of counts */
    const pl_chartdef *cap = pl_chart_find(charts, "capacity");
    cr_assert_not_null(cap);
    for (size_t p = 0; p < cap->npanels; p++)
        for (size_t i = 0; i < cap->panels[p].nseries; i++)
            cr_expect_not(pl_column_matches(cap->panels[p].series[i].column,
                                            "nodes_cost_usd_per_hour_eu_west_1"),
                          "%s", cap->panels[p].series[i].column);
}
