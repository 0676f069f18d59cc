/*
 * internal.h — what the files of src/plot/ share and nobody else sees (plot.h is the public
 * face): reading the document (data.c), axes and number labels (axis.c), drawing primitives
 * (draw.c), the charts (charts.c), rendering into files (render.c) and the PDF pack (pack*.c).
 *
 * Coordinates are cairo user units: pixels for PNG, points for SVG and PDF. A chart is laid out
 * for the box it is given (w x h) with fixed text sizes, so a small box gives a smaller plot
 * area, never smaller letters; the pack scales a larger box down onto its page.
 */
#ifndef SIMULATE_PLOT_INTERNAL_H
#define SIMULATE_PLOT_INTERNAL_H

#include <cairo.h>
#include <jansson.h>
#include <stddef.h>

#include "base/base.h"
#include "plot/plot.h"

/* ---------------------------------------------------------------- data.c */

/* A report's time series, column-major (a column is contiguous), NaN where a cell is null or
 * missing. Names point into the document: valid while the document lives. */
typedef struct pl_series {
    size_t nrows, ncols;
    const char **names;
    double *v;       /* ncols * nrows */
    double dt;       /* interval_s: the length of one row's interval */
    double *x_rate;  /* per row: where a rate is drawn (its interval's middle) */
    double *x_gauge; /* per row: where a gauge is drawn (its interval's end, when it was read) */
    double t_end;    /* the time axis' end: the scenario's duration or the last row's end */
    double warmup;   /* the unmeasured warm-up at the start (s), 0 when unknown */
    int borrowed;    /* a view of a set's bound series (plot_set_bind): not freed here */
} pl_series;

/* Loads doc's `series`. BASE_EINPUT with a message naming `chart` when there is none or it is
 * malformed; BASE_ENOMEM. On success free with pl_series_free. */
int pl_series_load(const json_t *doc, const char *chart, pl_series *s, base_err *err);
void pl_series_free(pl_series *s);
/* pl_series_load, or a view of the series set->bound holds when doc is that document (no copy,
 * no JSON walk). set may be NULL. Free with pl_series_free either way. */
int pl_series_get(const plot_set *set, const json_t *doc, const char *chart, pl_series *s,
                  base_err *err);
/* The column called `name`, or NULL when the report has no such column. */
const double *pl_col(const pl_series *s, const char *name);
/* 1 when the column has a finite value other than zero. */
int pl_col_nonzero(const pl_series *s, const double *col);
/* 1 when the document has a usable series (an object with columns and at least one row). */
int pl_has_series(const json_t *doc);

/* A figure: `mean` and `ci95_half_width` (NaN when null or absent) and its unit ("" absent). */
typedef struct pl_fig {
    double mean, half;
    const char *unit;
} pl_fig;

/* Reads figures[key]; returns 1 when it exists with a finite mean, 0 otherwise (*f then holds
 * NaNs). `figures` may be NULL. */
int pl_fig_get(const json_t *figures, const char *key, pl_fig *f);

/* What `doc` is into *kind: BASE_OK, or BASE_EINPUT when it is none of the documents the charts
 * draw from (*kind PLOT_DOC_UNKNOWN). */
int pl_doc_kind(const json_t *doc, plot_doc_kind *kind, base_err *err);

/* A JSON number as a double (NaN for anything else, NULL included). */
double pl_num(const json_t *j);
/* A JSON string's text, or `fallback` when j is not a string. */
const char *pl_str(const json_t *j, const char *fallback);
/* The value of assumption `key` in report.json's `assumptions`, or NULL. */
const char *pl_assumption(const json_t *doc, const char *key);

/* The name a chart's title gives the document: the scenario's name for a report; for a
 * comparison its scenario's name when it has one, else its variants' names ("a vs b vs c"). */
void pl_doc_name(const json_t *doc, char *buf, size_t n);

/* Cost components of a figures object, largest first (ties by key): keys cost_* but
 * cost_per_million, with a human label. Returns how many were found (at most max). */
typedef struct pl_cost_part {
    const char *key;
    const char *label;
    pl_fig fig;
} pl_cost_part;
size_t pl_cost_parts(const json_t *figures, pl_cost_part *parts, size_t max);
/* The month's total: the report's monthly_cost, or (no such figure) the parts' sum with no
 * interval. */
pl_fig pl_cost_total(const json_t *figures, const pl_cost_part *parts, size_t n);
/* One row of a table that gives a key its words (a figure's, a cost component's, an event
 * type's). */
typedef struct pl_word {
    const char *key, *label;
} pl_word;
/* The label of `key` in words[0..n), or `fallback` when the table has no row for it. */
const char *pl_label(const pl_word *words, size_t n, const char *key, const char *fallback);
/* A figure's key as words ("api_latency_p99" -> "API latency p99"). */
void pl_figure_label(const char *key, char *buf, size_t n);
/* The label of a cost figure's key ("cost_nodes" -> "EC2 nodes"). */
const char *pl_cost_label(const char *key);

/* ---------------------------------------------------------------- axis.c */

typedef enum pl_unit {
    PL_COUNT, /* 12, 1.5k, 2M */
    PL_MS,    /* 250 ms, 1.5 s */
    PL_USD,   /* $500, $1.2k */
    PL_PCT,   /* 40% */
    PL_TIME,  /* seconds since the start, labelled h:mm, minutes or seconds */
} pl_unit;

#define PL_MAX_TICKS 40

typedef struct pl_axis {
    double lo, hi; /* the range shown */
    int log;       /* 1: logarithmic (lo > 0) */
    pl_unit unit;
    double step;  /* linear: the tick step; log: 0 */
    int time_fmt; /* PL_TIME: 0 seconds, 1 minutes, 2 h:mm */
    size_t nticks;
    double ticks[PL_MAX_TICKS];
} pl_axis;

/* The 1-2-5 step nearest to span/target. */
double pl_nice_step(double span, int target);
/* A linear axis covering [lo, hi], widened to whole steps, about `target` ticks. */
void pl_axis_linear(pl_axis *a, double lo, double hi, int target, pl_unit unit);
/* A logarithmic axis covering [lo, hi] (both > 0), widened to whole decades. */
void pl_axis_log(pl_axis *a, double lo, double hi, pl_unit unit);
/* A count of things (pods, nodes, connections, replicas) ticks at whole numbers: a linear axis
 * whose step is under 1 is widened to whole bounds and a step of 1; a log axis drops its ticks
 * under 1 that are not whole (0.2, 0.5). The lines drawn on it may still be fractional (means
 * across replications). */
void pl_axis_whole(pl_axis *a);
/* A time axis over [0, end] seconds exactly (not widened), ticks on round minutes or hours. */
void pl_axis_time(pl_axis *a, double end);
/* A time axis over [lo, hi] seconds (a zoom), its ticks and labels those of a run of run_end
 * seconds (h:mm for a day), on round minutes or hours. */
void pl_axis_time_range(pl_axis *a, double lo, double hi, double run_end);
/* The next coarser ticks of a linear or time axis (the next 1-2-5 step, the next clock step),
 * for labels that would not fit: 1 when it changed, 0 when it cannot (a log axis, two ticks). */
int pl_axis_coarser(pl_axis *a);
/* The position of v along the axis, 0 at lo and 1 at hi (NaN when v cannot be shown). */
double pl_axis_frac(const pl_axis *a, double v);
/* A tick's label. */
void pl_axis_label(const pl_axis *a, double v, char *buf, size_t n);
/* The axis' title for a time axis: "time (h:mm)", "time (min)" or "time (s)". */
const char *pl_time_title(const pl_axis *a);

/* A value with a unit, with as many decimals as `step` needs (step <= 0: 3 significant
 * digits), trailing zeros dropped: "1.5k", "$12k", "250 ms", "40%". */
void pl_format(double v, pl_unit unit, double step, char *buf, size_t n);
/* "mean ± half unit" with the decimals the half-width warrants and thousands separators:
 * "1,200,919 ± 2,199 requests", "$12,344 ± 25", "160.3 ± 3.0 ms"; the mean alone when half is
 * NaN (one replication); "n/a" when mean is NaN. */
void pl_format_ci(double mean, double half, const char *unit, char *buf, size_t n);
/* A whole number with thousands separators ("3,616"): a count, never "4.00". */
void pl_format_whole(double v, char *buf, size_t n);

/* Dollars for a cost table: "$1,081", "$38", "$0.10" (cents only below $10). */
void pl_format_usd(double v, char *buf, size_t n);

/* ---------------------------------------------------------------- draw.c */

typedef struct pl_rgb {
    double r, g, b;
} pl_rgb;

/* Okabe & Ito's colour-blind-safe palette, by name (index into pl_palette). */
enum {
    PL_BLACK,
    PL_ORANGE,
    PL_SKY_BLUE,
    PL_BLUISH_GREEN,
    PL_YELLOW,
    PL_BLUE,
    PL_VERMILLION,
    PL_REDDISH_PURPLE,
    PL_NPALETTE
};
pl_rgb pl_palette(int i);
/* The order series take colours in when nothing else decides (yellow last: weak on white). */
pl_rgb pl_series_colour(size_t i);
pl_rgb pl_grey(double level);
void pl_set_rgb(cairo_t *cr, pl_rgb c);

/* Text sizes, in user units at a chart's design size. */
#define PL_FONT_TITLE    24.0
#define PL_FONT_SUBTITLE 15.0
#define PL_FONT_AXIS     15.0
#define PL_FONT_TICK     14.0
#define PL_FONT_LEGEND   15.0
#define PL_FONT_NOTE     20.0

void pl_font(cairo_t *cr, double size, int bold);
/* Width of text in the current font. */
double pl_text_width(cairo_t *cr, const char *s);
/* The line height (ascent + descent) of the current font. */
double pl_line_height(cairo_t *cr);
/* Draws s with (x, y) at the point of its box given by ha (0 left, 0.5 centre, 1 right) and va
 * (0 top, 0.5 middle, 1 bottom), in the current font and source. */
void pl_text(cairo_t *cr, double x, double y, const char *s, double ha, double va);
/* pl_text turned a quarter anticlockwise (reading upward), centred on (x, y). */
void pl_text_up(cairo_t *cr, double x, double y, const char *s);
/* s cut to fit maxw with "…" (whole UTF-8 characters) into out. */
void pl_ellipsize(cairo_t *cr, const char *s, double maxw, char *out, size_t n);
/* The length in bytes of the first line of s that fits maxw: up to the last space that fits,
 * or, when one word is wider than maxw, up to the last '/', '-', '_', '.' or ',' that fits (a
 * path, a URL), else as many whole characters as fit (at least one). A '\n' ends a line. */
size_t pl_wrap_next(cairo_t *cr, const char *s, double maxw);

/* A legend entry: how its swatch is drawn. */
typedef enum pl_mark {
    PL_MARK_LINE,
    PL_MARK_DASH,
    PL_MARK_AREA,
    PL_MARK_AREA_HATCHED,
    PL_MARK_DOT,      /* a filled circle (a point that met its objectives) */
    PL_MARK_OPEN,     /* an open diamond (a point that failed them) */
    PL_MARK_BAND,     /* a light band (the warm-up) */
    PL_MARK_AREA_LINE /* a light area under a line (the load) */
} pl_mark;

typedef struct pl_legend_item {
    const char *label;
    pl_rgb colour;
    pl_mark mark;
} pl_legend_item;

/* An item's swatch (30 wide) with its left edge at x, centred on ymid; label not drawn. */
void pl_swatch(cairo_t *cr, const pl_legend_item *it, double x, double ymid);
/* Lays out items in rows within width w starting at (x, y); draws them when draw is 1.
 * Returns the height used. */
double pl_legend(cairo_t *cr, const pl_legend_item *items, size_t n, double x, double y, double w,
                 int draw);

/* A plot area with its axes. */
typedef struct pl_panel {
    double x, y, w, h; /* the plot area, set by pl_panels_place */
    pl_axis xa, ya, ya2;
    int has_ya2;
    const char *ytitle, *ya2title, *xtitle;
    int xlabels; /* 1: tick labels and title under this panel */
    const pl_legend_item *legend;
    size_t nlegend;
    double legend_h;      /* set by pl_panels_place */
    double lab_w, lab_w2; /* widest tick label left and right, set by pl_panels_place */
    double weight;        /* share of the height (0 counts as 1) */
} pl_panel;

/* Places n panels stacked top to bottom in [x0, x1] x [y0, y1]: margins from the widest tick
 * labels (shared, so the time axes line up), each panel's legend above it, the x labels under
 * the last one. */
void pl_panels_place(cairo_t *cr, pl_panel *p, size_t n, double x0, double y0, double x1,
                     double y1);
/* Grid, axes, tick labels, titles and legend of a placed panel (drawn before the data). */
void pl_panel_frame(cairo_t *cr, const pl_panel *p);
/* x or y of a value in a panel (y on axis 1 = left, 2 = right). */
double pl_px(const pl_panel *p, double x);
double pl_py(const pl_panel *p, int axis, double y);
/* Clips to the panel's plot area (cairo_save'd: undo with cairo_restore). */
void pl_clip(cairo_t *cr, const pl_panel *p);

/* A polyline of (x[i], y[i]), broken at NaN (and, on a log axis, at values <= 0), reduced to at
 * most four points per pixel column (first, min, max, last) so a day of rows draws as fast as
 * a minute and keeps its spikes. width in user units; dashed when dash > 0. */
int pl_line(cairo_t *cr, const pl_panel *p, int axis, const double *x, const double *y, size_t n,
            pl_rgb c, double width, double dash);
/* Stacked areas of k layers (ys[j][i], NaN counted as 0) over x, bottom layer first; each layer
 * filled in colours[j], hatched where hatched[j] (may be NULL). Rows are averaged per pixel
 * column, which keeps the area (the count) a rate stands for. */
int pl_stack(cairo_t *cr, const pl_panel *p, const double *x, const double *const *ys, size_t k,
             size_t n, const pl_rgb *colours, const int *hatched);
/* An area from 0 up to y (light fill: alpha), same reduction as pl_stack. */
int pl_area(cairo_t *cr, const pl_panel *p, int axis, const double *x, const double *y, size_t n,
            pl_rgb c, double alpha);
/* A shaded band across the panel for x in [x0, x1], labelled at its top. */
void pl_band(cairo_t *cr, const pl_panel *p, double x0, double x1, const char *label);
/* Diagonal stripes inside the current path (which it consumes) over the box (x, y, w, h), for
 * layers beyond the palette's eight. */
void pl_hatch(cairo_t *cr, double x, double y, double w, double h);
/* A vertical error bar from lo to hi at x with caps of half-width cap. */
void pl_errorbar(cairo_t *cr, double x, double ylo, double yhi, double cap, pl_rgb c);
/* A text in the middle of the panel's plot area ("no errors"). */
void pl_note(cairo_t *cr, const pl_panel *p, const char *text);
/* Background and title block (title, and a smaller subtitle when not NULL) of a chart of size
 * w x h. Returns the y under the block. */
double pl_chart_head(cairo_t *cr, double w, double h, const char *title, const char *subtitle);

/* ---------------------------------------------------------------- chartfile.c */

/* A chart as its file in plots/ defines it (docs/charts.md is the format). Sizes bound what a
 * file may ask for; a file over them is refused with the position of the offending entry. */
#define PL_MAX_SERIES 24
#define PL_MAX_PANELS 4
#define PL_MAX_REFS   4
#define PL_TEXT       160

typedef enum pl_draw {
    PL_DRAW_LINE,  /* a line */
    PL_DRAW_DASH,  /* a dashed line */
    PL_DRAW_RAW,   /* a thin light line: the raw values a rolling line smooths */
    PL_DRAW_AREA,  /* a light area under a line */
    PL_DRAW_STACK, /* stacked with the panel's other stack series */
} pl_draw;

typedef struct pl_sdef {
    char column[64]; /* a series column; one '*' matches any run of characters */
    char label[PL_TEXT];
    int colour; /* palette index; -1: the next in the chart's order */
    pl_draw draw;
    int right;        /* on the right axis */
    int gauge;        /* 1: drawn at its interval's end (a reading), 0: its middle (a rate) */
    double rolling_s; /* > 0: the rolling mean over this window, trailing */
    double width;     /* line width at the chart's design size */
    int skip_zero;    /* left out (legend too) when it is zero all along */
} pl_sdef;

typedef enum pl_ref_kind { PL_REF_VALUE, PL_REF_OBJECTIVE, PL_REF_LIMIT } pl_ref_kind;

typedef struct pl_rdef {
    pl_ref_kind kind;
    double value;  /* PL_REF_VALUE */
    char what[64]; /* the objective's start ("p(99)") or the limit's key (scenario.limits) */
    char label[PL_TEXT];
    char unit[32]; /* the word after a count's value ("pods"): "HPA max replicas 4 pods" */
    int colour;
} pl_rdef;

/* A reference line's text: its label, its value in the axis' unit (a whole count whole, "HPA
 * max replicas 4 pods") and its `unit` word. */
void pl_ref_text(const pl_rdef *r, double v, pl_unit unit, char *buf, size_t n);

/* A zoom's caption in the current font on one line, or two when wider than maxw, broken between
 * words (line2 empty when one is enough; a second line too long ends in an ellipsis after its
 * last whole word). */
void pl_zoom_caption(cairo_t *cr, const char *cap, double maxw, char *line1, char *line2, size_t n);

typedef struct pl_axdef {
    char title[PL_TEXT];
    pl_unit unit;
    int scale;         /* 0 linear, 1 log, 2 auto (log when a spike would flatten the rest) */
    int ignore_warmup; /* the range comes from the measured window only */
    double at_least;   /* the axis reaches at least this (100 for a utilisation) */
    int whole;         /* a count of things: ticks at whole numbers only (pl_axis_whole) */
} pl_axdef;

typedef struct pl_pdef {
    pl_axdef left, right;
    int has_right;
    pl_sdef series[PL_MAX_SERIES];
    size_t nseries;
    pl_rdef refs[PL_MAX_REFS];
    size_t nrefs;
    int optional;        /* left out when none of its series has data */
    char empty[PL_TEXT]; /* the note in the panel when nothing in it has data */
    double weight;       /* share of the height */
} pl_pdef;

typedef enum pl_kind {
    PL_KIND_TIME,
    PL_KIND_COST,
    PL_KIND_VARIANTS,
    PL_KIND_CROSSOVER,
    PL_KIND_PARETO /* a plan's Pareto frontier (pareto.c) */
} pl_kind;

/* What a chart needs of its document to be drawn (bits of pl_chartdef.requires). */
enum { PL_NEEDS_SERIES = 1, PL_NEEDS_DATABASE = 2, PL_NEEDS_COST = 4, PL_NEEDS_SWEEP = 8 };

typedef struct pl_chartdef {
    char file[512]; /* where it was defined */
    char name[64];
    char title[PL_TEXT]; /* the title's second half, after the scenario's name */
    char subtitle[256];
    char describe[256];
    plot_doc_kind doc;
    pl_kind kind;
    int order;
    int requires;
    int markers;          /* the scenario's phases and events as vertical markers */
    int zoom;             /* at most this many zoomed panels, one around each event */
    char pack_empty[256]; /* with no data at all: the pack says this line instead of a page */
    int log;              /* cost: a logarithmic value axis */
    pl_pdef panels[PL_MAX_PANELS];
    size_t npanels;
} pl_chartdef;

struct plot_set {
    pl_chartdef *defs;
    size_t n, cap;
    const json_t *bound; /* plot_set_bind's document, whose series is parsed once: */
    pl_series series;
    const json_t *binding; /* between plot_set_bind_begin and _end: the document parsed */
};

/* Reads one chart file and adds (or, for a name already there, replaces) its chart. */
int pl_chartfile_load(plot_set *set, const char *path, base_err *err);

/* ---------------------------------------------------------------- marks.c */

/* A mark on a time chart's x axis: a scenario event, or the start of a phase. */
typedef struct pl_event_mark {
    double t, dur; /* s since the start; a phase's duration (0 for an event) */
    char label[96];
    int event; /* 1: a failure or deploy; 0: a phase starts */
} pl_event_mark;

/* The report's events and the starts of its phases (after the first), in time order, into
 * m[0..max); returns how many. */
size_t pl_marks_of(const json_t *doc, pl_event_mark *m, size_t max);
/* A zoom's shortest span, s: 20 minutes around an event (ten times a longer phase). */
#define PL_ZOOM_MIN_S 1200.0
/* The marks of m[0..nm) that deserve a zoomed panel, into z[0..max); returns how many. */
size_t pl_zooms_of(const pl_event_mark *m, size_t nm, double t_end, size_t max, pl_event_mark *z);
/* The marks' dashed lines across panel p, drawn under the data. */
void pl_mark_lines(cairo_t *cr, const pl_panel *p, const pl_event_mark *m, size_t nm);
/* The marks' labels at the top of panel p in text of `size`, each at most maxw wide, drawn over
 * the data on a light box. */
void pl_mark_labels(cairo_t *cr, const pl_panel *p, const pl_event_mark *m, size_t nm, double size,
                    double maxw);

/* ---------------------------------------------------------------- charts.c */

/* Whether a series' `column` pat names the column `name`: the same name, or with one '*' any
 * run of characters that holds no unit word (`usd`, `per`, `ms`, `pct`, `s`, `gb`, `hour`
 * between '_'), so that a pattern picks columns of its own kind: `nodes_*_eu_west_1` is
 * eu-west-1's node counts, not `nodes_cost_usd_per_hour_eu_west_1`'s dollars (issue 19). */
int pl_column_matches(const char *pat, const char *name);

/* The chart called name, or NULL. */
const pl_chartdef *pl_chart_find(const plot_set *set, const char *name);

/* Draws chart `name` of doc into cr over the box [0, w] x [0, h]. Errors as plot_chart. */
int pl_chart_draw(cairo_t *cr, double w, double h, const plot_set *set, const json_t *doc,
                  const char *name, base_err *err);

/* 1 when chart `name` would draw no data at all from doc (an errors chart of a run without an
 * error) and its file gives the line the pack says instead: then *line is that line. */
int pl_chart_empty(const plot_set *set, const json_t *doc, const char *name, const char **line);

/* ---------------------------------------------------------------- diagram.c */

/* The seed's architecture with the run's figures on each tier, in the box (x, y, w, h). */
void pl_diagram(cairo_t *cr, double x, double y, double w, double h, const json_t *doc);

/* ---------------------------------------------------------------- kinds.c */

/* The charts that are not time series: cost by component, variants side by side, cost across a
 * sweep. Each draws the whole box under the title block. */
typedef struct pl_chart {
    const plot_set *set;
    cairo_t *cr;
    double w, h;
    const json_t *doc;
    const pl_chartdef *def;
    double top; /* y under the title block */
    const char
        *title_tail; /* after the file's title, or NULL (the cost chart: what the month is) */
} pl_chart;

/* The title block of a chart: "scenario — title", and the subtitle (a run's with the engine,
 * replications and seed before it). */
void pl_chart_begin(pl_chart *c, const char *subtitle);
int pl_chart_done(pl_chart *c, int st, base_err *err);
int pl_draw_cost(pl_chart *c, base_err *err);
int pl_draw_variants(pl_chart *c, base_err *err);
int pl_draw_crossover(pl_chart *c, base_err *err);
/* 1 when the run had a database / the comparison has a sweep / the report has cost figures. */
int pl_has_database(const json_t *doc);
int pl_has_sweep(const json_t *doc);
int pl_has_cost(const json_t *doc);

/* ---------------------------------------------------------------- pareto.c */

/* A plan's Pareto frontier: cost against p99, and against RTO when the plan has failures. */
int pl_draw_pareto(pl_chart *c, base_err *err);
/* 1 when the plan has a frontier of cost against RTO. */
int pl_has_rto_frontier(const json_t *doc);

/* ---------------------------------------------------------------- render.c */

/* A growing memory buffer that cairo's stream writers append to. */
typedef struct pl_buf {
    unsigned char *data;
    size_t len, cap;
    int oom;
} pl_buf;
cairo_status_t pl_buf_write(void *closure, const unsigned char *data, unsigned int length);
/* Sets a PDF surface's dates to a fixed instant (cairo would stamp the clock: the same input
 * must give the same bytes) and its title and creator. */
void pl_pdf_metadata(cairo_surface_t *s, const char *title);
/* Font options every surface is drawn with (hinting off: text measures the same in PNG, SVG
 * and PDF, so a layout that fits one fits all). */
void pl_font_options(cairo_t *cr);
/* Checks cr and its surface for a cairo error (BASE_ENOMEM or BASE_EINTERNAL). */
int pl_cairo_check(cairo_t *cr, const char *path, base_err *err);

#endif
