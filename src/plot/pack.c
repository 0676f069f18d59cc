/*
 * pack.c — the design-review pack: one A4-landscape PDF that a reviewer reads without the
 * simulator at hand. This file is the document and its page frame: pages with their footer,
 * wrapped text, tables that continue across pages, the chart pages, and the entry point that
 * picks a report's pack (pack_report.c), a comparison's (pack_compare.c) or a plan's
 * (pack_plan.c).
 *
 * Text is measured with cairo before it is placed: every cell wraps to its column (breaking a
 * long word such as a URL between characters when it must), and a table that runs off a page
 * continues on the next with its header repeated. The charts are drawn by charts.c into a box
 * larger than the page and scaled down, so they keep the proportions of the PNGs.
 */
#include "plot/pack_internal.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double tsize(const pk_table *t)
{
    return t->size > 0 ? t->size : BODY;
}

/* ---------------------------------------------------------------- pages */

static void page_end(pk_pack *k)
{
    if (!k->open)
        return;
    cairo_t *cr = k->cr;
    char buf[400];
    pl_font(cr, 8.5, 0);
    pl_set_rgb(cr, pl_grey(0.45));
    snprintf(buf, sizeof buf, "simulate %s · %s · design review", SIMULATE_VERSION, k->name);
    char fit[400];
    pl_ellipsize(cr, buf, PAGE_W - 2 * PM - 80, fit, sizeof fit);
    pl_text(cr, PM, PAGE_H - 22, fit, 0, 1);
    snprintf(buf, sizeof buf, "page %d", k->page);
    pl_text(cr, PAGE_W - PM, PAGE_H - 22, buf, 1, 1);
    cairo_show_page(cr);
    k->open = 0;
}

void pk_page_begin(pk_pack *k)
{
    page_end(k);
    k->page++;
    k->open = 1;
    k->y = PM;
    cairo_set_source_rgb(k->cr, 1, 1, 1);
    cairo_paint(k->cr);
}

/* Makes room for h more points on this page, or starts a new one. Returns 1 on a new page. */
int pk_need(pk_pack *k, double h)
{
    if (k->open && k->y + h <= BOTTOM)
        return 0;
    pk_page_begin(k);
    return 1;
}

/* ---------------------------------------------------------------- text */

/* Draws the first len bytes of s. */
static void text_n(cairo_t *cr, double x, double y, const char *s, size_t len, double ha)
{
    char buf[2048];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    pl_text(cr, x, y, buf, ha, 0);
}

/* Where the text after a wrapped line of len bytes at p starts: past the newline that ended the
 * line, or past the spaces where it broke. */
static const char *after_line(const char *p, size_t len)
{
    p += len;
    if (*p == '\n')
        return p + 1;
    while (*p == ' ')
        p++;
    return p;
}

/* Lines s takes in width w in the current font (at least 1); draws them when draw is set. */
int pk_wrapped(cairo_t *cr, const char *s, double x, double y, double w, double ha, int draw)
{
    double lh = pl_line_height(cr) * 1.1;
    int lines = 0;
    const char *p = s;
    if (!*p)
        return 1;
    while (*p) {
        size_t len = pl_wrap_next(cr, p, w);
        if (draw)
            text_n(cr, ha > 0 ? x + w : x, y + lines * lh, p, len, ha);
        lines++;
        p = after_line(p, len);
    }
    return lines;
}

void pk_heading(pk_pack *k, const char *text, double size)
{
    pl_font(k->cr, size, 1);
    double lh = pl_line_height(k->cr);
    pk_need(k, lh + 40); /* a heading never ends a page alone */
    pl_set_rgb(k->cr, pl_grey(0.05));
    pl_text(k->cr, PM, k->y, text, 0, 0);
    k->y += lh + 8;
}

void pk_paragraph(pk_pack *k, const char *text, double size, int bold, pl_rgb colour)
{
    cairo_t *cr = k->cr;
    pl_font(cr, size, bold);
    double lh = pl_line_height(cr) * 1.1;
    double w = PAGE_W - 2 * PM;
    const char *p = text;
    while (*p) {
        pk_need(k, lh);
        size_t len = pl_wrap_next(cr, p, w);
        pl_font(cr, size, bold);
        pl_set_rgb(cr, colour);
        text_n(cr, PM, k->y, p, len, 0);
        k->y += lh;
        p = after_line(p, len);
    }
    k->y += 4;
}

void pk_explain(pk_pack *k, const char *text, double gap)
{
    pk_paragraph(k, text, BODY, 0, pl_grey(0.25));
    k->y += gap;
}

/* ---------------------------------------------------------------- tables */

static double col_x(const pk_table *t, size_t c)
{
    double x = t->x;
    for (size_t i = 0; i < c; i++)
        x += t->cols[i].frac * t->w;
    return x;
}

static void rule(cairo_t *cr, double x, double y, double w, double grey)
{
    pl_set_rgb(cr, pl_grey(grey));
    cairo_set_line_width(cr, 0.6);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w, y);
    cairo_stroke(cr);
}

void pk_table_head(pk_pack *k, const pk_table *t)
{
    cairo_t *cr = k->cr;
    pl_font(cr, tsize(t), 1);
    double h = 0;
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        int lines = pk_wrapped(cr, t->cols[c].head, 0, 0, cw, 0, 0);
        h = fmax(h, lines * pl_line_height(cr) * 1.1);
    }
    h += 2 * CELL_PAD;
    pk_need(k, h + 30);
    pl_set_rgb(cr, pl_grey(0.94));
    cairo_rectangle(cr, t->x, k->y, t->w, h);
    cairo_fill(cr);
    pl_font(cr, tsize(t), 1);
    pl_set_rgb(cr, pl_grey(0.05));
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        pk_wrapped(cr, t->cols[c].head, col_x(t, c) + CELL_PAD, k->y + CELL_PAD, cw,
                   t->cols[c].right, 1);
    }
    k->y += h;
    rule(cr, t->x, k->y, t->w, 0.5);
}

/* One row; colours may be NULL (all dark) or give each cell's colour. */
void pk_table_row(pk_pack *k, const pk_table *t, const char *const *cells, int bold,
                  const pl_rgb *colours)
{
    cairo_t *cr = k->cr;
    pl_font(cr, tsize(t), bold);
    double lh = pl_line_height(cr) * 1.1;
    int lines = 1;
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        int l = pk_wrapped(cr, cells[c] ? cells[c] : "", 0, 0, cw, 0, 0);
        lines = l > lines ? l : lines;
    }
    double h = lines * lh + 2 * CELL_PAD;
    if (h > BOTTOM - PM - 60) /* a cell longer than a page: it is cut, not lost in a loop */
        h = BOTTOM - PM - 60;
    if (!k->open || k->y + h > BOTTOM) {
        pk_page_begin(k);
        if (t->title) {
            char buf[300];
            snprintf(buf, sizeof buf, "%s (continued)", t->title);
            pk_heading(k, buf, 13);
        }
        pk_table_head(k, t);
    }
    cairo_save(cr);
    cairo_rectangle(cr, t->x, k->y, t->w, h);
    cairo_clip(cr);
    for (size_t c = 0; c < t->n; c++) {
        double cw = t->cols[c].frac * t->w - 2 * CELL_PAD;
        pl_font(cr, tsize(t), bold);
        pl_set_rgb(cr, colours ? colours[c] : pl_grey(0.08));
        pk_wrapped(cr, cells[c] ? cells[c] : "", col_x(t, c) + CELL_PAD, k->y + CELL_PAD, cw,
                   t->cols[c].right, 1);
    }
    cairo_restore(cr);
    k->y += h;
    rule(cr, t->x, k->y, t->w, 0.85);
}

void pk_table_start(pk_pack *k, const pk_table *t)
{
    pk_need(k, 100); /* the title, the header and two rows stay together */
    if (t->title)
        pk_heading(k, t->title, 13);
    pk_table_head(k, t);
}

/* ---------------------------------------------------------------- shared content */

static int chart_page(pk_pack *k, const char *name, base_err *err)
{
    pk_page_begin(k);
    /* the chart is laid out in a box 1/0.72 the page's size and scaled down: its text then
     * prints at about 10 pt, its lines stay fine */
    const double sc = 0.72, x0 = 20, y0 = 16;
    double w = (PAGE_W - 2 * x0) / sc, h = (PAGE_H - y0 - 34) / sc;
    cairo_save(k->cr);
    cairo_translate(k->cr, x0, y0);
    cairo_scale(k->cr, sc, sc);
    int st = pl_chart_draw(k->cr, w, h, k->set, k->doc, name, err);
    cairo_restore(k->cr);
    return st;
}

const char *pk_verdict_text(const json_t *o, pl_rgb *colour)
{
    const char *st = pl_str(json_object_get(o, "status"), "");
    int unc = json_is_true(json_object_get(o, "uncertain"));
    *colour = pl_grey(0.08);
    if (unc) {
        *colour = pl_palette(PL_BLACK);
        return strcmp(st, "met") == 0 ? "uncertain (met at the mean)"
                                      : "uncertain (failed at the mean)";
    }
    if (strcmp(st, "met") == 0) {
        *colour = pl_palette(PL_BLUISH_GREEN);
        return "met";
    }
    if (strcmp(st, "failed") == 0) {
        *colour = pl_palette(PL_VERMILLION);
        return "failed";
    }
    return *st ? st : "?";
}

const char *pk_objective_unit(const char *o)
{
    return strchr(o, '$')                                           ? "USD"
           : strncmp(o, "rto", 3) == 0 || strncmp(o, "rpo", 3) == 0 ? "s"
           : strncmp(o, "p(", 2) == 0                               ? "ms"
           : strchr(o, '%')                                         ? "%"
                                                                    : "";
}

/* A page for each chart the document can draw, in plot_chart_names' order. */
int pk_chart_pages(pk_pack *k, base_err *err)
{
    const char *names[64];
    size_t n = plot_chart_names(k->set, k->doc, names, 64);
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *line;
        if (pl_chart_empty(k->set, k->doc, names[i], &line))
            continue; /* said in one line on the first page, not a page of nothing */
        int st = chart_page(k, names[i], err);
        if (st != BASE_OK)
            return st;
    }
    return BASE_OK;
}

/* A new page headed by the document's name and a subtitle: the first page of either pack. */
void pk_title_page(pk_pack *k, const char *subtitle)
{
    cairo_t *cr = k->cr;
    pk_page_begin(k);
    pl_font(cr, 24, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    char fit[512];
    pl_ellipsize(cr, k->name, PAGE_W - 2 * PM, fit, sizeof fit);
    pl_text(cr, PM, k->y, fit, 0, 0);
    k->y += pl_line_height(cr) + 2;
    pk_paragraph(k, subtitle, 12, 0, pl_grey(0.35));
}

/* A duration for people: seconds below two minutes, minutes above; "–" for none. */
void pk_duration_text(double s, char *buf, size_t len)
{
    if (!isfinite(s))
        snprintf(buf, len, "–");
    else if (s < 120)
        snprintf(buf, len, "%.0f s", s);
    else
        snprintf(buf, len, "%.1f min", s / 60);
}

/* "key = value, key = value" of a plan's configuration object. */
void pk_configuration_text(const json_t *cfg, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)cfg, key, v)
    {
        if (len >= n)
            break;
        len +=
            (size_t)snprintf(buf + len, n - len, "%s%s = %s", len ? ", " : "", key, pl_str(v, "?"));
    }
}

/* ---------------------------------------------------------------- entry */

int plot_pack(const plot_set *set, const json_t *doc, const char *path, base_err *err)
{
    return plot_pack_planned(set, doc, NULL, path, err);
}

int plot_pack_planned(const plot_set *set, const json_t *doc, const plot_plan_ref *plan,
                      const char *path, base_err *err)
{
    plot_doc_kind kind;
    int known = pl_doc_kind(doc, &kind, err);
    if (known != BASE_OK)
        return known;
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "no output path for the pack");
    pl_buf buf = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pl_buf_write, &buf, PAGE_W, PAGE_H);
    pk_pack k = {.set = set, .doc = doc, .plan = plan};
    pl_doc_name(doc, k.name, sizeof k.name);
    char title[320];
    snprintf(title, sizeof title, "%s — design review", k.name);
    pl_pdf_metadata(s, title);
    k.cr = cairo_create(s);
    pl_font_options(k.cr);
    int st = kind == PLOT_DOC_PLAN     ? pk_plan(&k, err)
             : kind == PLOT_DOC_REPORT ? pk_report(&k, err)
                                       : pk_compare(&k, err);
    page_end(&k);
    if (st == BASE_OK)
        st = pl_cairo_check(k.cr, path, err);
    cairo_destroy(k.cr);
    cairo_surface_finish(s);
    if (st == BASE_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = base_err_set(err, buf.oom ? BASE_ENOMEM : BASE_EINTERNAL, path, 0, 0, "cairo: %s",
                          cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    if (st == BASE_OK)
        st = base_write_file_atomic(path, buf.data, buf.len, err);
    free(buf.data);
    return st;
}
