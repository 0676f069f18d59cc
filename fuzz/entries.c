/*
 * entries.c — the fuzz targets' entry points (entries.h). The readers that take a path (the
 * pricing file, the charts' output) get a scratch folder of their own for the one input, under
 * $TMPDIR (else /tmp), removed before the entry returns.
 */
#include "entries.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "io/io.h"
#include "plot/plot.h"

/* ---------------------------------------------------------------- scratch space */

/* A new scratch folder under $TMPDIR (else /tmp) in dir; 0 when it cannot be made. Each call
 * makes its own and scratch_remove takes it away again, so nothing outlives the input (a test
 * process that ends without atexit leaves nothing behind). */
static int scratch_make(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/simulate-fuzz-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    return mkdtemp(dir) != NULL;
}

static void scratch_remove(const char *dir, const char *file)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    unlink(path);
    rmdir(dir);
}

/* ---------------------------------------------------------------- the entries */

int fuzz_scenario(const uint8_t *data, size_t size)
{
    scn_doc *doc = NULL;
    base_err err;
    if (scn_doc_parse("fuzz.yaml", (const char *)data, size, &doc, &err) != BASE_OK)
        return 0;
    mdl_scenario *s = calloc(1, sizeof *s);
    if (s && scn_bind(doc, s, &err) == BASE_OK) {
        eng_projection p;
        (void)eng_project(s, 2, &p, &err);
    }
    free(s);
    scn_doc_free(doc);
    return 0;
}

int fuzz_pricing(const uint8_t *data, size_t size)
{
    char dir[4096], path[4200];
    if (!scratch_make(dir, sizeof dir))
        return 0;
    snprintf(path, sizeof path, "%s/input.yaml", dir);
    FILE *f = fopen(path, "wb");
    size_t put = f && size ? fwrite(data, 1, size, f) : 0; /* fwrite(NULL, ...) is undefined */
    int written = f && fclose(f) == 0 && put == size;
    cost_catalog *cat = written ? calloc(1, sizeof *cat) : NULL;
    base_err err;
    if (cat)
        (void)scn_load_pricing(path, cat, &err);
    free(cat);
    scratch_remove(dir, "input.yaml");
    return 0;
}

int fuzz_report(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, size, 0, &je);
    if (!doc)
        return 0;
    char dir[4096];
    /* the built-in charts (plots/): what a report is drawn with */
    const char *plots = SIMULATE_PLOTS;
    plot_set *set = NULL;
    base_err lerr;
    if (plot_set_load(&plots, 1, NULL, 0, &set, &lerr) != BASE_OK) {
        json_decref(doc);
        return 0;
    }
    if (plot_doc_kind_of(doc) != PLOT_DOC_UNKNOWN && scratch_make(dir, sizeof dir)) {
        char path[4200];
        snprintf(path, sizeof path, "%s/chart.svg", dir);
        const char *names[64];
        size_t n = plot_chart_names(set, doc, names, sizeof names / sizeof names[0]);
        if (n > sizeof names / sizeof names[0])
            n = sizeof names / sizeof names[0];
        for (size_t i = 0; i < n; i++) {
            base_err err;
            /* the smallest size plot_chart_sized draws: the reading is what is fuzzed */
            (void)plot_chart_sized(set, doc, names[i], PLOT_SVG, 400, 300, path, &err);
        }
        scratch_remove(dir, "chart.svg");
    }
    plot_set_free(set);
    json_decref(doc);
    return 0;
}

int fuzz_baseline(const uint8_t *data, size_t size)
{
    base_err err;
    rep_baseline *b = malloc(sizeof *b); /* 4 KB of source: not on a fuzzer's stack */
    if (b)
        (void)app_baseline_parse("fuzz.json", (const char *)data, size, b, &err);
    free(b);
    return 0;
}

fuzz_entry fuzz_entry_named(const char *name)
{
    static const struct {
        const char *name;
        fuzz_entry fn;
    } all[] = {
        {"scenario", fuzz_scenario},
        {"pricing", fuzz_pricing},
        {"report", fuzz_report},
        {"baseline", fuzz_baseline},
    };
    for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i].name, name) == 0)
            return all[i].fn;
    return NULL;
}
