/*
 * plot.h — charts of a run (report.json) or a comparison (compare.json), and the multi-page
 * design-review PDF. The one public header of src/plot/.
 *
 * The room reads the JSON document the run already wrote, never the engine's structures: a
 * chart can be drawn again from an old report, and the report stays the one contract between
 * the simulator and whatever shows its results. Drawing is cairo (PNG, SVG, PDF), text is
 * DejaVu Sans through cairo's toy font API, colours are the Okabe & Ito palette (see
 * docs/charts.md for what each chart shows and how to read it).
 *
 * Every function is reentrant (no globals: threads may render different charts at once), returns
 * BASE_OK or a negative BASE_E* code with `err` filled, and never prints. Every file is written
 * atomically (rendered in memory, then a temporary file renamed over the path), so a crash never
 * leaves half a chart. The same document gives byte-identical files: nothing in a chart or the
 * pack depends on the clock (the PDF's dates are fixed).
 *
 * The document is borrowed: the caller keeps ownership of `doc` and frees it; nothing here keeps
 * a pointer into it after returning.
 */
#ifndef SIMULATE_PLOT_H
#define SIMULATE_PLOT_H

#include <jansson.h>
#include <stddef.h>

#include "base/base.h"

typedef enum plot_format { PLOT_PNG, PLOT_SVG, PLOT_PDF } plot_format;

/* The default size of a chart: pixels for PNG, points for SVG and PDF. */
#define PLOT_WIDTH  1200
#define PLOT_HEIGHT 700

/* What a document is, told apart by its keys: a run's report has `figures` (and usually
 * `series`), a comparison has a `variants` array. */
typedef enum plot_doc_kind {
    PLOT_DOC_UNKNOWN,
    PLOT_DOC_REPORT,
    PLOT_DOC_COMPARE,
    PLOT_DOC_PLAN /* `simulate plan`'s plan.json: `knobs` and `search` (docs/plan.md) */
} plot_doc_kind;

plot_doc_kind plot_doc_kind_of(const json_t *doc);

/* The chart definitions: one YAML file per chart (docs/charts.md). */
typedef struct plot_set plot_set;

/* Loads every `*.yaml` of each folder of dirs (in order; NULL entries and folders that do not
 * exist are skipped; a file's chart replaces an earlier one of the same name), then each file
 * of files. Within a folder, files load in name order. A bad file is BASE_EINPUT with its
 * file, line and column; BASE_EIO when a named file cannot be read; BASE_ENOMEM. No chart at
 * all is BASE_EINPUT. Free with plot_set_free. */
int plot_set_load(const char *const *dirs, size_t ndirs, const char *const *files, size_t nfiles,
                  plot_set **out, base_err *err);
void plot_set_free(plot_set *set);

/* Parses doc's time series once, for every chart of doc drawn with this set from now on: a run
 * that draws its charts and its pack from one document walks its JSON rows (8,640 by 37 for a
 * day at 10 s) once instead of once per chart and page. doc must stay alive and unchanged while
 * bound; plot_set_bind(set, NULL) (or plot_set_free) lets it go. Not itself thread-safe: bind
 * before the threads draw, then they only read. A document without a usable series, or no
 * memory for it, binds nothing: each chart then reads (and reports on) the document as before,
 * so the files are the same bytes bound or not. */
void plot_set_bind(plot_set *set, const json_t *doc);

/* plot_set_bind in three parts, so that a caller can parse the rows on its threads while it
 * does other work: plot_set_bind_begin returns the number of rows to parse (0: nothing will be
 * bound, as plot_set_bind's cases), plot_set_bind_rows parses rows [from, to) — calls on
 * disjoint ranges may run at once, and nothing else may use the set meanwhile — and
 * plot_set_bind_end, once every row is parsed, binds the document. The result is the same as
 * plot_set_bind's. */
size_t plot_set_bind_begin(plot_set *set, const json_t *doc);
void plot_set_bind_rows(plot_set *set, size_t from, size_t to);
void plot_set_bind_end(plot_set *set);

/* The names of the charts of `set` this document can draw, in their order (the files'
 * `order`, then name), into names[0..max-1] (pointers into the set). Returns how many there
 * are, which may exceed max (call with max = 0 to count). A chart applies when it is drawn from
 * this kind of document and the document has what it `requires`. */
size_t plot_chart_names(const plot_set *set, const json_t *doc, const char **names, size_t max);

/* A one-line description of a chart, or NULL for a name that is no chart of the set. */
const char *plot_chart_describe(const plot_set *set, const char *name);

/* Draws chart `name` of `doc` into `path` at PLOT_WIDTH x PLOT_HEIGHT.
 * Errors: BASE_EINPUT for a name that is not a chart of this document (the message lists the
 * valid names), a document that is neither a report nor a comparison, or a chart that needs
 * what the document lacks (e.g. `latency` of a report without `series`); BASE_EIO when the file
 * cannot be written; BASE_ENOMEM; BASE_EINTERNAL when cairo fails. */
int plot_chart(const plot_set *set, const json_t *doc, const char *name, plot_format fmt,
               const char *path, base_err *err);

/* plot_chart at another size (width and height in pixels or points, 400x300 to 10000x10000;
 * BASE_EINPUT outside). The layout keeps its text size and gives the plot area what is left. */
int plot_chart_sized(const plot_set *set, const json_t *doc, const char *name, plot_format fmt,
                     double width, double height, const char *path, base_err *err);

/* Every chart of plot_chart_names into DIR/NAME.png (.svg, .pdf), creating DIR if needed. Stops
 * at the first failure. BASE_EINPUT when the document has no chart at all. */
int plot_all(const plot_set *set, const json_t *doc, const char *dir, plot_format fmt,
             base_err *err);

/* The design-review pack: an A4-landscape PDF. For a report: the decision first (what was
 * simulated and what it found: the objectives with their margins, the bill, the risks the
 * failures showed), a diagram of the architecture with the simulated figures on each tier, the
 * headline figures, one page per chart of the set, the recovery, the cost table, then the
 * assumptions as an appendix. For a comparison: the answer in words and the variants' figures
 * at the load they were run at, the comparison charts, the cost table per variant and the
 * sweep's points. Errors as plot_chart. */
int plot_pack(const plot_set *set, const json_t *doc, const char *path, base_err *err);

/* `simulate plan`'s answer for a report's scenario, as the caller found it in the results
 * store: the decision page names the plan's winner beside what the run deployed. */
typedef struct plot_plan_ref {
    int looked;           /* 0: no results store was searched (the page says so) */
    const json_t *plan;   /* the newest plan's plan.json; NULL: the store holds none */
    long long id;         /* its number in the store: P<id> */
    const char *relation; /* how it is this scenario's: "on this scenario's files", "which
                           * extends this scenario" */
    const char *started;  /* when it ran, UTC (ISO 8601) */
} plot_plan_ref;

/* plot_pack with what the results store holds of the scenario's plan (plan may be NULL, as
 * plot_pack: nothing looked up). Only a report's pack uses it. */
int plot_pack_planned(const plot_set *set, const json_t *doc, const plot_plan_ref *plan,
                      const char *path, base_err *err);

/* "png", "svg" or "pdf" (any case) into *out; anything else is BASE_EINPUT. */
int plot_parse_format(const char *text, plot_format *out, base_err *err);

/* The file extension of a format, without the dot: "png", "svg", "pdf". */
const char *plot_format_ext(plot_format fmt);

/* Reads a report.json or compare.json into *out (the caller json_decref's it). BASE_EIO when
 * the file cannot be read, BASE_EINPUT when it is not a regular file (a FIFO would block), not
 * JSON (with the line and column) or neither kind of document. */
int plot_load(const char *path, json_t **out, base_err *err);

#endif
