/*
 * entries.c — the fuzz targets' entry points (entries.h). The readers that take a path (the
 * pricing file, the charts' output) get a scratch file or folder made once per process under
 * $TMPDIR (else /tmp) and removed at exit, so that many fuzzing or test processes never share one.
 */
#include "entries.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "io/io.h"
#include "plot/plot.h"

/* ---------------------------------------------------------------- scratch space */

static char scratch_dir[4096];

static void scratch_remove(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/input.yaml", scratch_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/chart.svg", scratch_dir);
    unlink(path);
    rmdir(scratch_dir);
}

/* The process's scratch folder, made on first use; NULL if it cannot be made. */
static const char *scratch(void)
{
    if (scratch_dir[0])
        return scratch_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch_dir, sizeof scratch_dir, "%s/simulate-fuzz-XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(scratch_dir)) {
        scratch_dir[0] = '\0';
        return NULL;
    }
    atexit(scratch_remove);
    return scratch_dir;
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
    const char *dir = scratch();
    if (!dir)
        return 0;
    char path[4200];
    snprintf(path, sizeof path, "%s/input.yaml", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    size_t put = size ? fwrite(data, 1, size, f) : 0; /* fwrite(NULL, ...) is undefined */
    if (fclose(f) != 0 || put != size)
        return 0;
    mdl_catalog *cat = calloc(1, sizeof *cat);
    base_err err;
    if (cat)
        (void)scn_load_pricing(path, cat, &err);
    free(cat);
    return 0;
}

int fuzz_report(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, size, 0, &je);
    if (!doc)
        return 0;
    const char *dir = scratch();
    if (dir && plot_doc_kind_of(doc) != PLOT_DOC_UNKNOWN) {
        char path[4200];
        snprintf(path, sizeof path, "%s/chart.svg", dir);
        const char *names[64];
        size_t n = plot_chart_names(doc, names, sizeof names / sizeof names[0]);
        if (n > sizeof names / sizeof names[0])
            n = sizeof names / sizeof names[0];
        for (size_t i = 0; i < n; i++) {
            base_err err;
            /* the smallest size plot_chart_sized draws: the reading is what is fuzzed */
            (void)plot_chart_sized(doc, names[i], PLOT_SVG, 400, 300, path, &err);
        }
    }
    json_decref(doc);
    return 0;
}

int fuzz_baseline(const uint8_t *data, size_t size)
{
    base_err err;
    double usd;
    (void)cli_baseline_parse("fuzz.json", (const char *)data, size, &usd, &err);
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
