/*
 * pack_internal.h — what the files of the design-review pack share (pack.c the document, its
 * page frame, text and tables; pack_decision.c a report's first page; pack_report.c a
 * report's other pages; pack_appendix.c the assumptions; pack_compare.c a comparison's pack;
 * pack_plan.c a plan's).
 * Only pack*.c include it; the rest of src/plot/ sees plot_pack alone.
 *
 * Layout is in PDF points on an A4-landscape page; the pack's state is the page being drawn
 * and where on it the next thing goes.
 */
#ifndef SIMULATE_PLOT_PACK_INTERNAL_H
#define SIMULATE_PLOT_PACK_INTERNAL_H

#include "plot/internal.h"

/* A4 landscape in points (297 x 210 mm) */
#define PAGE_W   841.89
#define PAGE_H   595.28
#define PM       40.0 /* page margin */
#define BOTTOM   (PAGE_H - PM - 8)
#define BODY     10.0 /* body text size */
#define CELL_PAD 4.0

typedef struct pk_pack {
    cairo_t *cr;
    const plot_set *set;
    const json_t *doc;
    const plot_plan_ref *plan; /* the scenario's stored plan, or NULL (not looked up) */
    char name[256];
    int page; /* pages begun */
    int open; /* a page is being drawn */
    double y; /* where the next thing goes */
} pk_pack;

typedef struct pk_column {
    const char *head;
    double frac; /* share of the table's width */
    int right;   /* 1: right-aligned (numbers) */
} pk_column;

typedef struct pk_table {
    const pk_column *cols;
    size_t n;
    double x, w;
    const char *title; /* repeated, "(continued)", when the table runs onto a new page */
    double size;       /* text size; 0: BODY */
} pk_table;

/* ---------------------------------------------------------------- pack.c: pages and text */

/* Starts a page (ending the one being drawn with its footer). */
void pk_page_begin(pk_pack *k);
/* Makes room for h more points on this page, or starts a new one. Returns 1 on a new page. */
int pk_need(pk_pack *k, double h);
/* Lines s takes in width w in the current font (at least 1); draws them when draw is set. */
int pk_wrapped(cairo_t *cr, const char *s, double x, double y, double w, double ha, int draw);
void pk_heading(pk_pack *k, const char *text, double size);
/* Text wrapped to the page's width, continuing on a new page when it must. */
void pk_paragraph(pk_pack *k, const char *text, double size, int bold, pl_rgb colour);
/* What a section shows and how to read it: a grey body paragraph, then `gap` more points. */
void pk_explain(pk_pack *k, const char *text, double gap);

/* ---------------------------------------------------------------- pack.c: tables */

void pk_table_head(pk_pack *k, const pk_table *t);
/* One row; colours may be NULL (all dark) or give each cell's colour. A row that does not fit
 * starts a new page, with the table's title "(continued)" and its header. */
void pk_table_row(pk_pack *k, const pk_table *t, const char *const *cells, int bold,
                  const pl_rgb *colours);
/* The title, the header, and room for two rows, together. */
void pk_table_start(pk_pack *k, const pk_table *t);

/* ---------------------------------------------------------------- pack.c: shared content */

/* An objective's verdict in words ("met", "failed", "uncertain (...)") and its colour. */
const char *pk_verdict_text(const json_t *o, pl_rgb *colour);
/* The unit an objective's measured value is in, from its text: "ms" for a percentile, "s" for
 * RTO and RPO, "%" for a rate, "USD" for a budget, "" otherwise. */
const char *pk_objective_unit(const char *objective);
/* A page for each chart the document can draw, in plot_chart_names' order. */
int pk_chart_pages(pk_pack *k, base_err *err);
/* A new page headed by the document's name and a subtitle: the first page of either pack. */
void pk_title_page(pk_pack *k, const char *subtitle);
/* "key = value, key = value" of a plan's configuration object. */
void pk_configuration_text(const json_t *cfg, char *buf, size_t n);
/* A duration for people: seconds below two minutes, minutes above; "–" for none. */
void pk_duration_text(double s, char *buf, size_t len);

/* ---------------------------------------------------------------- the packs' parts */

/* The variants a comparison's tables show (one column each). */
#define PK_MAX_VARIANTS 12

/* pack_decision.c: a report's page 1 — what to deploy, the objectives with their margins, the
 * bill, the risks. */
void pk_decision(pk_pack *k);
/* pack_appendix.c: the assumptions and their sources. */
void pk_assumptions(pk_pack *k);
/* pack_report.c: a report's pack; pack_compare.c: a comparison's; pack_plan.c: a plan's (what
 * to deploy, the Pareto frontier, the runners-up and the knobs' sensitivity). */
int pk_report(pk_pack *k, base_err *err);
int pk_compare(pk_pack *k, base_err *err);
int pk_plan(pk_pack *k, base_err *err);
/* pack_answer.c: a comparison's answer in words, from its sweep (page 1). */
void pk_compare_answer(pk_pack *k);
/* A load as the answer and the tables state it: "22k users", "1.5k req/s". */
void pk_load_text(double load, const char *unit, char *buf, size_t n);

#endif
