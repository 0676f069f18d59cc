/*
 * draw.c — the drawing primitives every chart is made of: palette, text, legend, panels with
 * their axes, lines, stacked areas, bands, error bars.
 *
 * Colours are Okabe & Ito's palette (M. Okabe and K. Ito, "Color Universal Design (CUD): how
 * to make figures and presentations that are friendly to colorblind people", 2008,
 * https://jfly.uni-koeln.de/color/): eight colours that stay distinct under the common colour
 * vision deficiencies. Beyond eight layers a pattern (hatching) tells them apart, not a ninth
 * colour.
 *
 * Legend swatches sit on whole pixels and are filled in the exact palette colour, so a chart
 * always holds its series' colours unblended (the tests count them). Lines keep at most four
 * points per pixel column (first, lowest, highest, last) and areas one averaged point: a
 * day-long series of 8,640 rows draws in a few hundred segments, with its spikes intact.
 */
#include "plot/internal.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PL_PI 3.14159265358979323846

pl_rgb pl_palette(int i)
{
    /* Okabe & Ito (2008), Table "Color Universal Design": the RGB values as published */
    static const unsigned char rgb[PL_NPALETTE][3] = {
        {0, 0, 0},       /* black */
        {230, 159, 0},   /* orange */
        {86, 180, 233},  /* sky blue */
        {0, 158, 115},   /* bluish green */
        {240, 228, 66},  /* yellow */
        {0, 114, 178},   /* blue */
        {213, 94, 0},    /* vermillion */
        {204, 121, 167}, /* reddish purple */
    };
    if (i < 0 || i >= PL_NPALETTE)
        i = PL_BLACK;
    pl_rgb c = {rgb[i][0] / 255.0, rgb[i][1] / 255.0, rgb[i][2] / 255.0};
    return c;
}

pl_rgb pl_series_colour(size_t i)
{
    static const int order[PL_NPALETTE] = {PL_BLUE,       PL_ORANGE,   PL_BLUISH_GREEN,
                                           PL_VERMILLION, PL_SKY_BLUE, PL_REDDISH_PURPLE,
                                           PL_BLACK,      PL_YELLOW};
    return pl_palette(order[i % PL_NPALETTE]);
}

pl_rgb pl_grey(double level)
{
    pl_rgb c = {level, level, level};
    return c;
}

void pl_set_rgb(cairo_t *cr, pl_rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/* ---------------------------------------------------------------- text */

void pl_font(cairo_t *cr, double size, int bold)
{
    /* the toy API through fontconfig: DejaVu Sans is Debian's fonts-dejavu-core */
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double pl_text_width(cairo_t *cr, const char *s)
{
    cairo_text_extents_t te;
    cairo_text_extents(cr, s, &te);
    return te.x_advance;
}

double pl_line_height(cairo_t *cr)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    return fe.ascent + fe.descent;
}

void pl_text(cairo_t *cr, double x, double y, const char *s, double ha, double va)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double w = pl_text_width(cr, s);
    cairo_move_to(cr, x - ha * w, y - va * (fe.ascent + fe.descent) + fe.ascent);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
}

void pl_text_up(cairo_t *cr, double x, double y, const char *s)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -PL_PI / 2);
    pl_text(cr, 0, 0, s, 0.5, 0.5);
    cairo_restore(cr);
}

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static size_t u8len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if (s[i] == '\0')
            return i;
    return n;
}

/* Back from position `len` of s to the start of a UTF-8 character. */
static size_t u8back(const char *s, size_t len)
{
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

void pl_ellipsize(cairo_t *cr, const char *s, double maxw, char *out, size_t n)
{
    if (n == 0)
        return;
    snprintf(out, n, "%s", s);
    if (pl_text_width(cr, out) <= maxw)
        return;
    static const char ell[] = "\xE2\x80\xA6"; /* … */
    size_t len = strlen(out);
    if (len + sizeof ell > n)
        len = n > sizeof ell ? n - sizeof ell : 0;
    len = u8back(out, len);
    for (;;) {
        memcpy(out + len, ell, sizeof ell); /* with its NUL */
        if (len == 0 || pl_text_width(cr, out) <= maxw)
            return;
        len = u8back(out, len - 1);
    }
}

size_t pl_wrap_next(cairo_t *cr, const char *s, double maxw)
{
    char buf[2048];
    size_t len = strcspn(s, "\n");
    if (len >= sizeof buf)
        len = u8back(s, sizeof buf - 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (pl_text_width(cr, buf) <= maxw)
        return len;
    size_t best = 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i] != ' ')
            continue;
        buf[i] = '\0';
        int fits = pl_text_width(cr, buf) <= maxw;
        buf[i] = ' ';
        if (!fits)
            break;
        best = i;
    }
    if (best > 0)
        return best;
    /* one word wider than the line (a URL, a path): break it after a separator if one fits,
     * else between characters */
    size_t fit = 0, sep = 0;
    for (size_t i = 0; i < len;) {
        size_t next = i + u8len(s + i);
        char keep = buf[next];
        buf[next] = '\0';
        int fits = pl_text_width(cr, buf) <= maxw;
        buf[next] = keep;
        if (!fits)
            break;
        fit = next;
        if (strchr("/-_.,", s[i]) && next < len)
            sep = next;
        i = next;
    }
    if (sep > 0)
        return sep;
    return fit > 0 ? fit : u8len(s);
}

/* ---------------------------------------------------------------- legend */

#define SWATCH_W   30.0
#define SWATCH_GAP 8.0
#define ITEM_GAP   26.0

void pl_swatch(cairo_t *cr, const pl_legend_item *it, double x, double ymid)
{
    pl_rgb c = it->colour;
    double y = round(ymid);
    switch (it->mark) {
    case PL_MARK_LINE:
        pl_set_rgb(cr, c);
        cairo_rectangle(cr, x, y - 2, SWATCH_W, 4);
        cairo_fill(cr);
        break;
    case PL_MARK_DASH:
        pl_set_rgb(cr, c);
        for (int i = 0; i < 3; i++)
            cairo_rectangle(cr, x + i * 11, y - 2, 8, 4);
        cairo_fill(cr);
        break;
    case PL_MARK_AREA:
    case PL_MARK_AREA_HATCHED:
        pl_set_rgb(cr, c);
        cairo_rectangle(cr, x, y - 8, SWATCH_W, 16);
        cairo_fill_preserve(cr);
        if (it->mark == PL_MARK_AREA_HATCHED)
            pl_hatch(cr, x, y - 8, SWATCH_W, 16);
        cairo_new_path(cr);
        break;
    case PL_MARK_DOT:
        pl_set_rgb(cr, c);
        cairo_arc(cr, x + SWATCH_W / 2, y, 6, 0, 2 * PL_PI);
        cairo_fill(cr);
        break;
    case PL_MARK_OPEN:
        cairo_move_to(cr, x + SWATCH_W / 2, y - 7);
        cairo_line_to(cr, x + SWATCH_W / 2 + 7, y);
        cairo_line_to(cr, x + SWATCH_W / 2, y + 7);
        cairo_line_to(cr, x + SWATCH_W / 2 - 7, y);
        cairo_close_path(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        pl_set_rgb(cr, c);
        cairo_set_line_width(cr, 2.5);
        cairo_stroke(cr);
        break;
    case PL_MARK_BAND:
        pl_set_rgb(cr, pl_grey(0.9));
        cairo_rectangle(cr, x, y - 8, SWATCH_W, 16);
        cairo_fill(cr);
        break;
    case PL_MARK_AREA_LINE:
        cairo_set_source_rgba(cr, c.r, c.g, c.b, 0.22);
        cairo_rectangle(cr, x, y - 6, SWATCH_W, 14);
        cairo_fill(cr);
        pl_set_rgb(cr, c);
        cairo_rectangle(cr, x, y - 8, SWATCH_W, 2);
        cairo_fill(cr);
        break;
    }
}

double pl_legend(cairo_t *cr, const pl_legend_item *items, size_t n, double x, double y, double w,
                 int draw)
{
    if (n == 0)
        return 0;
    pl_font(cr, PL_FONT_LEGEND, 0);
    double lh = pl_line_height(cr);
    double row_h = fmax(lh, 18) + 6;
    double cx = x, cy = y;
    for (size_t i = 0; i < n; i++) {
        char label[256];
        pl_ellipsize(cr, items[i].label, w - SWATCH_W - SWATCH_GAP, label, sizeof label);
        double iw = SWATCH_W + SWATCH_GAP + pl_text_width(cr, label);
        if (cx > x && cx + iw > x + w) {
            cx = x;
            cy += row_h;
        }
        if (draw) {
            double ymid = cy + row_h / 2;
            pl_swatch(cr, &items[i], round(cx), ymid);
            pl_set_rgb(cr, pl_grey(0.1));
            pl_text(cr, cx + SWATCH_W + SWATCH_GAP, ymid, label, 0, 0.5);
        }
        cx += iw + ITEM_GAP;
    }
    return cy + row_h - y;
}

/* ---------------------------------------------------------------- panels */

static double widest_label(cairo_t *cr, const pl_axis *a)
{
    double w = 0;
    char buf[64];
    for (size_t i = 0; i < a->nticks; i++) {
        pl_axis_label(a, a->ticks[i], buf, sizeof buf);
        w = fmax(w, pl_text_width(cr, buf));
    }
    return w;
}

/* Fewer ticks when the panel is too short for the labels to stand apart (a small chart, or a
 * third panel): a label needs about 1.6 times its height. */
static void thin_ticks(pl_axis *a, double h, double tick_h)
{
    size_t fit = (size_t)fmax(2, floor(h / (1.6 * tick_h)) + 1);
    if (a->nticks <= fit || a->unit == PL_TIME)
        return;
    if (a->log) { /* decades only */
        size_t k = 0;
        for (size_t i = 0; i < a->nticks; i++) {
            double d = log10(a->ticks[i]);
            if (fabs(d - round(d)) < 1e-9)
                a->ticks[k++] = a->ticks[i];
        }
        a->nticks = k;
        return;
    }
    pl_axis_linear(a, a->lo, a->hi, (int)fit - 1, a->unit);
}

/* 1 when the x axis' tick labels, spaced over width w, would run into each other. */
static int xlabels_collide(cairo_t *cr, const pl_axis *a, double w, double gap)
{
    if (a->nticks < 2 || !(w > 0))
        return 0;
    double widest = widest_label(cr, a);
    double spacing = w * fabs(pl_axis_frac(a, a->ticks[1]) - pl_axis_frac(a, a->ticks[0]));
    return widest + gap > spacing;
}

/* Fewer ticks on an x axis whose labels would run into each other over width w (a narrow
 * range in long labels: the plan's Pareto p99 at 135.0-135.9 ms; a zoom's h:mm in a third of
 * the width): the next coarser step until every label has room, so each tick keeps its label.
 * Returns 1 when it changed. */
static int thin_xticks(cairo_t *cr, pl_axis *a, double w, double gap)
{
    int changed = 0;
    while (a->nticks > 2 && xlabels_collide(cr, a, w, gap) && pl_axis_coarser(a))
        changed = 1;
    return changed;
}

/* Half the width of the last x tick label of the panels that show them (room right of the
 * plot area for it). */
static double last_xlabel_half(cairo_t *cr, const pl_panel *p, size_t n)
{
    double half = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].xlabels && p[i].xa.nticks > 0) {
            char buf[64];
            pl_axis_label(&p[i].xa, p[i].xa.ticks[p[i].xa.nticks - 1], buf, sizeof buf);
            half = fmax(half, pl_text_width(cr, buf) / 2);
        }
    return half;
}

void pl_panels_place(cairo_t *cr, pl_panel *p, size_t n, double x0, double y0, double x1, double y1)
{
    pl_font(cr, PL_FONT_AXIS, 0);
    double th = pl_line_height(cr);
    pl_font(cr, PL_FONT_TICK, 0);
    double tick_h = pl_line_height(cr);
    double lw = 0, rw = 0;
    int any2 = 0;
    for (size_t i = 0; i < n; i++) {
        lw = fmax(lw, widest_label(cr, &p[i].ya));
        if (p[i].has_ya2) {
            rw = fmax(rw, widest_label(cr, &p[i].ya2));
            any2 = 1;
        }
    }
    double left = x0 + th + 12 + lw + 8;
    double right = any2 ? x1 - (th + 12 + rw + 8) : x1 - fmax(last_xlabel_half(cr, p, n) + 4, 16);
    /* x labels that would collide: fewer ticks, and the right margin for the new last label */
    int thinned = 0;
    for (size_t i = 0; i < n; i++) {
        pl_axis before = p[i].xa;
        if (!p[i].xlabels || !thin_xticks(cr, &p[i].xa, right - left, tick_h))
            continue;
        thinned = 1;
        /* the panels stacked over the same axis keep their gridlines in line with it */
        for (size_t j = 0; j < n; j++)
            if (j != i && p[j].xa.unit == before.unit && p[j].xa.lo == before.lo &&
                p[j].xa.hi == before.hi && p[j].xa.step == before.step)
                p[j].xa = p[i].xa;
    }
    if (thinned && !any2)
        right = x1 - fmax(last_xlabel_half(cr, p, n) + 4, 16);
    double xlab_h = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].xlabels)
            xlab_h = 6 + tick_h + (p[i].xtitle ? 8 + th : 0) + 2;
    double legends = 0, weights = 0;
    for (size_t i = 0; i < n; i++) {
        p[i].legend_h = pl_legend(cr, p[i].legend, p[i].nlegend, left, 0, right - left, 0);
        legends += p[i].legend_h + (p[i].nlegend ? 6 : 0);
        weights += p[i].weight > 0 ? p[i].weight : 1;
        p[i].lab_w = lw;
        p[i].lab_w2 = rw;
    }
    /* room above each plot area for its top tick label's upper half, and between panels */
    double top_pad = tick_h / 2 + 4, gap = 22;
    double avail = (y1 - y0) - xlab_h - legends - (double)n * top_pad - (double)(n - 1) * gap;
    if (avail < 40 * (double)n)
        avail = 40 * (double)n;
    double y = y0;
    for (size_t i = 0; i < n; i++) {
        double share = (p[i].weight > 0 ? p[i].weight : 1) / weights;
        y += p[i].legend_h + (p[i].nlegend ? 6 : 0) + top_pad;
        p[i].x = round(left);
        p[i].w = round(right - left);
        p[i].y = round(y);
        p[i].h = round(avail * share);
        thin_ticks(&p[i].ya, p[i].h, tick_h);
        if (p[i].has_ya2)
            thin_ticks(&p[i].ya2, p[i].h, tick_h);
        y = p[i].y + p[i].h + gap;
    }
}

double pl_px(const pl_panel *p, double x)
{
    return p->x + pl_axis_frac(&p->xa, x) * p->w;
}

double pl_py(const pl_panel *p, int axis, double y)
{
    return p->y + p->h - pl_axis_frac(axis == 2 ? &p->ya2 : &p->ya, y) * p->h;
}

void pl_clip(cairo_t *cr, const pl_panel *p)
{
    cairo_save(cr);
    cairo_rectangle(cr, p->x, p->y - 1, p->w, p->h + 2);
    cairo_clip(cr);
}

/* The font of a y axis' title: the axis size, or smaller (to three quarters of it) when the
 * title would not fit along a short panel — a stacked panel's "connections" read whole rather
 * than cut to "connecti…"; a title that does not fit even then is ellipsized. */
static void ytitle_font(cairo_t *cr, const char *t, double room)
{
    double size = PL_FONT_AXIS;
    pl_font(cr, size, 0);
    while (pl_text_width(cr, t) > room && size > PL_FONT_AXIS * 0.75) {
        size -= 0.5;
        pl_font(cr, size, 0);
    }
}

void pl_panel_frame(cairo_t *cr, const pl_panel *p)
{
    char buf[64];
    cairo_set_line_width(cr, 1);
    cairo_set_dash(cr, NULL, 0, 0);
    /* grid: horizontal lines where the left axis has ticks, fainter verticals at the x ticks */
    pl_set_rgb(cr, pl_grey(0.93));
    for (size_t i = 0; i < p->xa.nticks; i++) {
        double x = round(pl_px(p, p->xa.ticks[i])) + 0.5;
        cairo_move_to(cr, x, p->y);
        cairo_line_to(cr, x, p->y + p->h);
    }
    cairo_stroke(cr);
    pl_set_rgb(cr, pl_grey(0.85));
    for (size_t i = 0; i < p->ya.nticks; i++) {
        double y = round(pl_py(p, 1, p->ya.ticks[i])) + 0.5;
        cairo_move_to(cr, p->x, y);
        cairo_line_to(cr, p->x + p->w, y);
    }
    cairo_stroke(cr);
    /* axis lines */
    pl_set_rgb(cr, pl_grey(0.35));
    cairo_move_to(cr, p->x + 0.5, p->y);
    cairo_line_to(cr, p->x + 0.5, p->y + p->h + 0.5);
    cairo_line_to(cr, p->x + p->w + 0.5, p->y + p->h + 0.5);
    if (p->has_ya2)
        cairo_line_to(cr, p->x + p->w + 0.5, p->y);
    cairo_stroke(cr);

    pl_font(cr, PL_FONT_TICK, 0);
    pl_set_rgb(cr, pl_grey(0.2));
    for (size_t i = 0; i < p->ya.nticks; i++) {
        pl_axis_label(&p->ya, p->ya.ticks[i], buf, sizeof buf);
        pl_text(cr, p->x - 8, pl_py(p, 1, p->ya.ticks[i]), buf, 1, 0.5);
    }
    if (p->has_ya2)
        for (size_t i = 0; i < p->ya2.nticks; i++) {
            pl_axis_label(&p->ya2, p->ya2.ticks[i], buf, sizeof buf);
            pl_text(cr, p->x + p->w + 8, pl_py(p, 2, p->ya2.ticks[i]), buf, 0, 0.5);
        }
    double tick_h = pl_line_height(cr);
    if (p->xlabels) /* pl_panels_place chose ticks whose labels have room */
        for (size_t i = 0; i < p->xa.nticks; i++) {
            pl_axis_label(&p->xa, p->xa.ticks[i], buf, sizeof buf);
            pl_text(cr, pl_px(p, p->xa.ticks[i]), p->y + p->h + 6, buf, 0.5, 0);
        }

    pl_font(cr, PL_FONT_AXIS, 0);
    double th = pl_line_height(cr);
    pl_set_rgb(cr, pl_grey(0.1));
    char title[256];
    if (p->ytitle) {
        ytitle_font(cr, p->ytitle, p->h + 20);
        pl_ellipsize(cr, p->ytitle, p->h + 20, title, sizeof title);
        pl_text_up(cr, p->x - 8 - p->lab_w - 12 - th / 2, p->y + p->h / 2, title);
    }
    if (p->has_ya2 && p->ya2title) {
        ytitle_font(cr, p->ya2title, p->h + 20);
        pl_ellipsize(cr, p->ya2title, p->h + 20, title, sizeof title);
        pl_text_up(cr, p->x + p->w + 8 + p->lab_w2 + 12 + th / 2, p->y + p->h / 2, title);
    }
    pl_font(cr, PL_FONT_AXIS, 0);
    if (p->xlabels && p->xtitle)
        pl_text(cr, p->x + p->w / 2, p->y + p->h + 6 + tick_h + 8, p->xtitle, 0.5, 0);
    if (p->nlegend)
        pl_legend(cr, p->legend, p->nlegend, p->x, p->y - tick_h / 2 - 4 - 6 - p->legend_h, p->w,
                  1);
}

/* ---------------------------------------------------------------- data */

/* A point on screen, clamped far outside the plot area (the clip hides it) so that an absurd
 * value cannot overflow cairo's fixed-point coordinates. */
static double clamp_y(const pl_panel *p, double y)
{
    return fmin(fmax(y, p->y - 4 * p->h), p->y + 5 * p->h);
}

typedef struct bucket {
    int have;
    long col;
    double x0, y0, x1, y1, xmin, ymin, xmax, ymax;
    size_t imin, imax;
} bucket;

static void emit(cairo_t *cr, int *pen, double x, double y)
{
    if (*pen)
        cairo_line_to(cr, x, y);
    else
        cairo_move_to(cr, x, y);
    *pen = 1;
}

static void flush(cairo_t *cr, bucket *b, int *pen)
{
    if (!b->have)
        return;
    emit(cr, pen, b->x0, b->y0);
    /* the extremes in the order they happened, so the line goes through both */
    int minfirst = b->imin <= b->imax;
    double ax = minfirst ? b->xmin : b->xmax, ay = minfirst ? b->ymin : b->ymax;
    double bx = minfirst ? b->xmax : b->xmin, by = minfirst ? b->ymax : b->ymin;
    emit(cr, pen, ax, ay);
    emit(cr, pen, bx, by);
    emit(cr, pen, b->x1, b->y1);
    b->have = 0;
}

int pl_line(cairo_t *cr, const pl_panel *p, int axis, const double *x, const double *y, size_t n,
            pl_rgb c, double width, double dash)
{
    const pl_axis *ya = axis == 2 ? &p->ya2 : &p->ya;
    pl_clip(cr, p);
    pl_set_rgb(cr, c);
    cairo_set_line_width(cr, width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (dash > 0) {
        double d[2] = {dash, dash * 0.6};
        cairo_set_dash(cr, d, 2, 0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
    bucket b = {0};
    int pen = 0;
    for (size_t i = 0; i < n; i++) {
        double fx = pl_axis_frac(&p->xa, x[i]), fy = pl_axis_frac(ya, y[i]);
        /* x beyond the axis is off the chart: a gap (and no absurd pixel column) */
        if (!isfinite(fx) || !isfinite(fy) || fx < -0.05 || fx > 1.05) {
            flush(cr, &b, &pen);
            pen = 0; /* a gap: the next point starts a new piece */
            continue;
        }
        double X = p->x + fx * p->w, Y = clamp_y(p, p->y + p->h - fy * p->h);
        long col = (long)floor(X);
        if (!b.have || col != b.col) {
            flush(cr, &b, &pen);
            b.have = 1;
            b.col = col;
            b.x0 = b.x1 = b.xmin = b.xmax = X;
            b.y0 = b.y1 = b.ymin = b.ymax = Y;
            b.imin = b.imax = i;
            continue;
        }
        b.x1 = X;
        b.y1 = Y;
        if (Y < b.ymin) { /* screen y grows downward: ymin is the highest value */
            b.ymin = Y;
            b.xmin = X;
            b.imin = i;
        }
        if (Y > b.ymax) {
            b.ymax = Y;
            b.xmax = X;
            b.imax = i;
        }
    }
    flush(cr, &b, &pen);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_restore(cr);
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? BASE_OK : BASE_EINTERNAL;
}

static int stack_impl(cairo_t *cr, const pl_panel *p, int axis, const double *x,
                      const double *const *ys, size_t k, size_t n, const pl_rgb *colours,
                      const int *hatched, double alpha)
{
    if (n == 0 || k == 0)
        return BASE_OK;
    const pl_axis *ya = axis == 2 ? &p->ya2 : &p->ya;
    /* per pixel column: the mean x and the mean of each cumulative layer */
    double *bx = malloc(n * (k + 1) * sizeof *bx);
    if (!bx)
        return BASE_ENOMEM;
    double *bc = bx + n; /* bc[j * n + m] */
    size_t m = 0, cnt = 0;
    long col = LONG_MIN;
    for (size_t i = 0; i < n; i++) {
        double fx = pl_axis_frac(&p->xa, x[i]);
        if (!isfinite(fx) || fx < -0.05 || fx > 1.05)
            continue;
        double X = p->x + fx * p->w;
        long c = (long)floor(X);
        if (c != col || m == 0) {
            if (m > 0 && cnt > 0) {
                bx[m - 1] /= (double)cnt;
                for (size_t j = 0; j < k; j++)
                    bc[j * n + m - 1] /= (double)cnt;
            }
            col = c;
            cnt = 0;
            bx[m] = 0;
            for (size_t j = 0; j < k; j++)
                bc[j * n + m] = 0;
            m++;
        }
        bx[m - 1] += X;
        double cum = 0;
        for (size_t j = 0; j < k; j++) {
            double v = ys[j][i];
            cum += isfinite(v) && v > 0 ? v : 0;
            bc[j * n + m - 1] += cum;
        }
        cnt++;
    }
    if (m > 0 && cnt > 0) {
        bx[m - 1] /= (double)cnt;
        for (size_t j = 0; j < k; j++)
            bc[j * n + m - 1] /= (double)cnt;
    }
    pl_clip(cr, p);
    double base = p->y + p->h;
    for (size_t j = 0; j < k && m > 0; j++) {
        for (size_t q = 0; q < m; q++) {
            double Y = clamp_y(p, p->y + p->h - pl_axis_frac(ya, bc[j * n + q]) * p->h);
            if (q == 0)
                cairo_move_to(cr, bx[q], Y);
            else
                cairo_line_to(cr, bx[q], Y);
        }
        for (size_t q = m; q-- > 0;) {
            double Y = j == 0
                           ? base
                           : clamp_y(p, p->y + p->h - pl_axis_frac(ya, bc[(j - 1) * n + q]) * p->h);
            cairo_line_to(cr, bx[q], Y);
        }
        cairo_close_path(cr);
        pl_rgb c = colours[j];
        if (alpha < 1)
            cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
        else
            pl_set_rgb(cr, c);
        cairo_fill_preserve(cr);
        if (hatched && hatched[j])
            pl_hatch(cr, p->x, p->y, p->w, p->h);
        cairo_new_path(cr);
    }
    cairo_restore(cr);
    free(bx);
    return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? BASE_OK : BASE_EINTERNAL;
}

int pl_stack(cairo_t *cr, const pl_panel *p, const double *x, const double *const *ys, size_t k,
             size_t n, const pl_rgb *colours, const int *hatched)
{
    return stack_impl(cr, p, 1, x, ys, k, n, colours, hatched, 1);
}

int pl_area(cairo_t *cr, const pl_panel *p, int axis, const double *x, const double *y, size_t n,
            pl_rgb c, double alpha)
{
    const double *ys[1] = {y};
    return stack_impl(cr, p, axis, x, ys, 1, n, &c, NULL, alpha);
}

void pl_hatch(cairo_t *cr, double x, double y, double w, double h)
{
    cairo_save(cr);
    cairo_clip(cr);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.75);
    cairo_set_line_width(cr, 2.5);
    cairo_set_dash(cr, NULL, 0, 0);
    for (double d = -h; d < w; d += 9) {
        cairo_move_to(cr, x + d, y + h);
        cairo_line_to(cr, x + d + h, y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void pl_band(cairo_t *cr, const pl_panel *p, double x0, double x1, const char *label)
{
    double a = pl_px(p, x0), b = pl_px(p, x1);
    if (!isfinite(a) || !isfinite(b) || b <= a)
        return;
    a = fmax(a, p->x);
    b = fmin(b, p->x + p->w);
    pl_set_rgb(cr, pl_grey(0.9));
    cairo_rectangle(cr, round(a), p->y, round(b) - round(a), p->h);
    cairo_fill(cr);
    if (label) {
        pl_font(cr, 13, 0);
        if (pl_text_width(cr, label) + 10 <= b - a) {
            pl_set_rgb(cr, pl_grey(0.4));
            pl_text(cr, a + 5, p->y + 4, label, 0, 0);
        }
    }
}

void pl_errorbar(cairo_t *cr, double x, double ylo, double yhi, double cap, pl_rgb c)
{
    if (!isfinite(ylo) || !isfinite(yhi))
        return;
    pl_set_rgb(cr, c);
    cairo_set_line_width(cr, 2);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_move_to(cr, x, ylo);
    cairo_line_to(cr, x, yhi);
    cairo_move_to(cr, x - cap, ylo);
    cairo_line_to(cr, x + cap, ylo);
    cairo_move_to(cr, x - cap, yhi);
    cairo_line_to(cr, x + cap, yhi);
    cairo_stroke(cr);
}

void pl_note(cairo_t *cr, const pl_panel *p, const char *text)
{
    pl_font(cr, PL_FONT_NOTE, 0);
    pl_set_rgb(cr, pl_grey(0.4));
    pl_text(cr, p->x + p->w / 2, p->y + p->h / 2, text, 0.5, 0.5);
}

double pl_chart_head(cairo_t *cr, double w, double h, const char *title, const char *subtitle)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    char buf[512];
    double y = 16;
    pl_font(cr, PL_FONT_TITLE, 1);
    pl_set_rgb(cr, pl_grey(0.05));
    pl_ellipsize(cr, title, w - 48, buf, sizeof buf);
    pl_text(cr, 24, y, buf, 0, 0);
    y += pl_line_height(cr) + 4;
    if (subtitle) {
        pl_font(cr, PL_FONT_SUBTITLE, 0);
        pl_set_rgb(cr, pl_grey(0.35));
        /* two lines when one is not enough (a run's engine and seed before a chart file's
         * subtitle), cut only after the second */
        const char *rest = subtitle;
        size_t len = pl_wrap_next(cr, rest, w - 48);
        if (rest[len] && len < sizeof buf) {
            memcpy(buf, rest, len);
            buf[len] = '\0';
            pl_text(cr, 24, y, buf, 0, 0);
            y += pl_line_height(cr) + 2;
            rest += len;
            while (*rest == ' ' || *rest == '\n')
                rest++;
        }
        pl_ellipsize(cr, rest, w - 48, buf, sizeof buf);
        pl_text(cr, 24, y, buf, 0, 0);
        y += pl_line_height(cr);
    }
    return y + 14;
}
