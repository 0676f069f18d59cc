/*
 * charts.c — the interpreter of the chart files (plots/NAME.yaml, read by chartfile.c): which
 * charts apply to a document, and how a `kind: time` chart is drawn from its panels, series,
 * reference lines, event markers and zoomed panels. The other kinds are in kinds.c; what each
 * built-in chart shows and how to read it is in docs/charts.md.
 *
 * Every time chart shades the warm-up (not measured: its requests are in no figure) so a reader
 * does not take the start-up transient for the result; an axis may also take its range from the
 * measured window alone (`ignore_warmup`), so one warm-up spike does not flatten the day.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN    24.0
#define MAX_RS    48 /* series of a panel once its patterns are expanded */
#define MAX_ZOOMS 3

/* ---------------------------------------------------------------- resolving a panel */

/* A series as drawn: its column found, its pattern expanded, its rolling mean computed. */
typedef struct rseries {
    const pl_sdef *def;
    const double *x, *y;
    char label[PL_TEXT];
    pl_rgb colour;
    int stack_i; /* its place among the panel's stack layers */
} rseries;

typedef struct rpanel {
    const pl_pdef *def;
    rseries s[MAX_RS];
    double *owned[MAX_RS]; /* rolling means, freed with the panel */
    size_t n, nowned, nstack;
    int has_data;
    double ref[PL_MAX_REFS]; /* NaN: the document does not say */
    char ref_label[PL_MAX_REFS][PL_TEXT + 64];
    char ref_legend[PL_MAX_REFS][PL_TEXT + 96];
    pl_legend_item items[MAX_RS + PL_MAX_REFS + 2];
    size_t nitems;
} rpanel;

/* Whether `words` (n bytes of a column's name, words between '_') holds a unit word. */
static int holds_unit(const char *words, size_t n)
{
    static const char *const units[] = {"usd", "per", "ms", "pct", "s", "gb", "hour"};
    for (size_t i = 0; i < n;) {
        size_t w = 0;
        while (i + w < n && words[i + w] != '_')
            w++;
        for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
            if (strlen(units[u]) == w && strncmp(words + i, units[u], w) == 0)
                return 1;
        i += w + 1;
    }
    return 0;
}

int pl_column_matches(const char *pat, const char *name)
{
    const char *star = strchr(pat, '*');
    if (!star)
        return strcmp(pat, name) == 0;
    size_t pre = (size_t)(star - pat), suf = strlen(star + 1), len = strlen(name);
    return len >= pre + suf && strncmp(name, pat, pre) == 0 &&
           strcmp(name + len - suf, star + 1) == 0 && !holds_unit(name + pre, len - pre - suf);
}

/* A column's name as words: its pattern's fixed parts dropped ("errors_db_failover_per_s" by
 * "errors_*_per_s" -> "db failover"). */
static void column_words(const char *pat, const char *col, char *buf, size_t n)
{
    const char *star = strchr(pat, '*');
    size_t pre = star ? (size_t)(star - pat) : 0, suf = star ? strlen(star + 1) : 0;
    size_t len = strlen(col);
    if (pre + suf >= len)
        pre = suf = 0;
    snprintf(buf, n, "%.*s", (int)(len - pre - suf), col + pre);
    for (char *q = buf; *q; q++)
        if (*q == '_')
            *q = ' ';
}

/* The layers' colours: the palette with black last (a black area would hide what is over it). */
static pl_rgb stack_colour(size_t i)
{
    static const int order[PL_NPALETTE] = {PL_BLUE,       PL_ORANGE,   PL_BLUISH_GREEN,
                                           PL_VERMILLION, PL_SKY_BLUE, PL_REDDISH_PURPLE,
                                           PL_YELLOW,     PL_BLACK};
    return pl_palette(order[i % PL_NPALETTE]);
}

/* The trailing mean over window_s of y, NaN cells skipped, and NaN where y is (NULL on out of
 * memory): a gap in the values (nothing answered: an outage, a region lost) stays a gap in the
 * mean, which would otherwise run on for a window after the last value. */
static double *rolling_mean(const pl_series *s, const double *y, double window_s)
{
    double *out = malloc(s->nrows * sizeof *out);
    if (!out)
        return NULL;
    size_t k = (size_t)fmax(1, round(window_s / (s->dt > 0 ? s->dt : 10)));
    double sum = 0;
    size_t cnt = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        if (isfinite(y[r])) {
            sum += y[r];
            cnt++;
        }
        if (r >= k && isfinite(y[r - k])) {
            sum -= y[r - k];
            cnt--;
        }
        out[r] = cnt && isfinite(y[r]) ? sum / (double)cnt : NAN;
    }
    return out;
}

/* The threshold of the document's first objective that starts with `what` ("p(99)" finds
 * "p(99) < 300ms"), in the unit of the axis (ms for a duration, % for a rate). NaN: none. */
static double objective_value(const json_t *doc, const char *what, pl_unit unit)
{
    const json_t *objs = json_object_get(doc, "objectives");
    for (size_t i = 0; i < json_array_size(objs); i++) {
        const char *o = pl_str(json_object_get(json_array_get(objs, i), "objective"), "");
        if (strncmp(o, what, strlen(what)) != 0)
            continue;
        const char *lt = strchr(o, '<');
        if (!lt)
            continue;
        char *end;
        double v = strtod(lt + 1, &end);
        while (*end == ' ')
            end++;
        if (unit == PL_MS && end[0] == 's')
            v *= 1000;
        else if (unit == PL_MS && end[0] == 'm' && end[1] != 's')
            v *= 60000;
        return v;
    }
    return NAN;
}

static void panel_free(rpanel *rp)
{
    for (size_t i = 0; i < rp->nowned; i++)
        free(rp->owned[i]);
    rp->nowned = 0;
}

static int add_series(rpanel *rp, const pl_series *s, const pl_sdef *d, const char *col_name,
                      const double *col, size_t *nline)
{
    if (rp->n >= MAX_RS)
        return BASE_OK;
    int nonzero = pl_col_nonzero(s, col);
    if (d->skip_zero && !nonzero)
        return BASE_OK;
    rseries *r = &rp->s[rp->n];
    r->def = d;
    r->x = d->gauge ? s->x_gauge : s->x_rate;
    r->y = col;
    if (d->rolling_s > 0) {
        double *m = rolling_mean(s, col, d->rolling_s);
        if (!m)
            return BASE_ENOMEM;
        rp->owned[rp->nowned++] = m;
        r->y = m;
    }
    if (d->label[0] && !strchr(d->column, '*'))
        snprintf(r->label, sizeof r->label, "%s", d->label);
    else
        column_words(d->column, col_name, r->label, sizeof r->label);
    if (d->draw == PL_DRAW_STACK) {
        r->stack_i = (int)rp->nstack++;
        r->colour = d->colour >= 0 && !strchr(d->column, '*') ? pl_palette(d->colour)
                                                              : stack_colour((size_t)r->stack_i);
    } else {
        r->colour = d->colour >= 0 ? pl_palette(d->colour) : pl_series_colour((*nline)++);
    }
    rp->has_data |= nonzero;
    rp->n++;
    return BASE_OK;
}

void pl_ref_text(const pl_rdef *r, double v, pl_unit unit, char *buf, size_t n)
{
    char num[64];
    if (unit == PL_COUNT && isfinite(v) && v == round(v) && fabs(v) < 1e15)
        pl_format_whole(v, num, sizeof num); /* a whole count reads whole: "4", "3,616" */
    else if (unit == PL_COUNT)
        pl_format_ci(v, NAN, NULL, num, sizeof num);
    else
        pl_format(v, unit, 0, num, sizeof num);
    snprintf(buf, n, "%s %s%s%s", r->label[0] ? r->label : r->what, num, r->unit[0] ? " " : "",
             r->unit);
}

static int resolve_panel(const json_t *doc, const pl_series *s, const pl_pdef *pd, rpanel *rp)
{
    memset(rp, 0, sizeof *rp);
    rp->def = pd;
    size_t nline = 0;
    for (size_t i = 0; i < pd->nseries; i++) {
        const pl_sdef *d = &pd->series[i];
        if (!strchr(d->column, '*')) {
            const double *col = pl_col(s, d->column);
            if (col && add_series(rp, s, d, d->column, col, &nline) != BASE_OK)
                return BASE_ENOMEM;
            continue;
        }
        /* a pattern: every column it matches that no other series of the panel names */
        for (size_t c = 0; c < s->ncols; c++) {
            if (!pl_column_matches(d->column, s->names[c]))
                continue;
            int named = 0;
            for (size_t j = 0; j < pd->nseries; j++)
                named |= j != i && pl_column_matches(pd->series[j].column, s->names[c]) &&
                         (!strchr(pd->series[j].column, '*') || j < i);
            if (!named && add_series(rp, s, d, s->names[c], s->v + c * s->nrows, &nline) != BASE_OK)
                return BASE_ENOMEM;
        }
    }
    const json_t *lim = json_object_get(json_object_get(doc, "scenario"), "limits");
    for (size_t i = 0; i < pd->nrefs; i++) {
        const pl_rdef *r = &pd->refs[i];
        double v = r->kind == PL_REF_VALUE       ? r->value
                   : r->kind == PL_REF_OBJECTIVE ? objective_value(doc, r->what, pd->left.unit)
                                                 : pl_num(json_object_get(lim, r->what));
        rp->ref[i] = v;
        pl_ref_text(r, v, pd->left.unit, rp->ref_label[i], sizeof rp->ref_label[i]);
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- axes */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The range of the panel's values on one axis over [t0, t1] (and after the warm-up when the
 * axis ignores it): max of lines and of the stack's sum; the median of the positive values of
 * the line that reaches the max into *med (for the log decision: a spike 20 times its line's
 * usual value would flatten the rest). */
static void value_range(const rpanel *rp, const pl_series *s, int right, double t0, double t1,
                        double *mx, double *mnpos, double *med)
{
    const pl_axdef *ax = right ? &rp->def->right : &rp->def->left;
    double from = ax->ignore_warmup ? fmax(t0, s->warmup) : t0;
    *mx = 0;
    *mnpos = INFINITY;
    *med = NAN;
    const rseries *first = NULL;
    for (size_t r = 0; r < s->nrows; r++) {
        double sum = 0;
        for (size_t i = 0; i < rp->n; i++) {
            const rseries *q = &rp->s[i];
            if (q->def->right != right || !(q->x[r] >= from && q->x[r] <= t1))
                continue;
            double v = q->y[r];
            if (!isfinite(v))
                continue;
            if (q->def->draw == PL_DRAW_STACK) {
                sum += v > 0 ? v : 0;
                continue;
            }
            if (v > *mx)
                first = q; /* the line that reaches the top: its median decides the scale */
            *mx = fmax(*mx, v);
            if (v > 0)
                *mnpos = fmin(*mnpos, v);
        }
        *mx = fmax(*mx, sum);
    }
    if (!first)
        return;
    double *v = malloc(s->nrows * sizeof *v);
    if (!v)
        return;
    size_t k = 0;
    for (size_t r = 0; r < s->nrows; r++)
        if (first->x[r] >= from && first->x[r] <= t1 && isfinite(first->y[r]) && first->y[r] > 0)
            v[k++] = first->y[r];
    if (k) {
        qsort(v, k, sizeof *v, cmp_double);
        *med = v[k / 2];
    }
    free(v);
}

/* Sets the panel's y axes for [t0, t1]. A reference line within reach (up to 1.5 times the
 * data) widens the axis so it shows; a farther one is named at the top instead. */
static void set_axes(pl_panel *p, const rpanel *rp, const pl_series *s, double t0, double t1)
{
    for (int right = 0; right <= rp->def->has_right; right++) {
        const pl_axdef *ax = right ? &rp->def->right : &rp->def->left;
        pl_axis *a = right ? &p->ya2 : &p->ya;
        double mx, mnpos, med;
        value_range(rp, s, right, t0, t1, &mx, &mnpos, &med);
        if (!right)
            for (size_t i = 0; i < rp->def->nrefs; i++)
                if (isfinite(rp->ref[i]) && rp->ref[i] <= fmax(mx, 1e-12) * 1.5)
                    mx = fmax(mx, rp->ref[i]);
        if (ax->at_least > 0 && mx <= ax->at_least)
            mx = ax->at_least / 1.05;
        int log_axis = ax->scale == 1 || (ax->scale == 2 && isfinite(med) && mx > 20 * med);
        if (log_axis && mx > 0 && isfinite(mnpos))
            pl_axis_log(a, fmax(mnpos, mx / 1e6), mx, ax->unit);
        else
            pl_axis_linear(a, 0, mx > 0 ? mx * 1.05 : 1, 6, ax->unit);
        if (ax->whole)
            pl_axis_whole(a);
    }
    p->has_ya2 = rp->def->has_right;
}

/* ---------------------------------------------------------------- drawing a panel */

static void draw_refs(cairo_t *cr, const pl_panel *p, const rpanel *rp, int labels)
{
    pl_font(cr, 12, 1);
    double lh = pl_line_height(cr);
    for (size_t i = 0; i < rp->def->nrefs; i++) {
        double v = rp->ref[i];
        if (!isfinite(v))
            continue;
        pl_rgb c = pl_palette(rp->def->refs[i].colour);
        double fy = pl_axis_frac(&p->ya, v);
        if (!(fy <= 1.0001)) /* beyond the axis: the legend names it (legend_of) */
            continue;
        if (!(fy >= 0))
            continue;
        double Y = round(pl_py(p, 1, v)) + 0.5;
        double d[2] = {10, 5};
        cairo_set_dash(cr, d, 2, 0);
        cairo_set_line_width(cr, 2);
        pl_set_rgb(cr, c);
        cairo_move_to(cr, p->x, Y);
        cairo_line_to(cr, p->x + p->w, Y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        if (!labels)
            continue;
        double tw = pl_text_width(cr, rp->ref_label[i]);
        double ty = Y - 3 - lh;
        if (ty < p->y)
            ty = Y + 3;
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_rectangle(cr, p->x + p->w - 8 - tw - 2, ty - 1, tw + 4, lh + 2);
        cairo_fill(cr);
        pl_set_rgb(cr, c);
        pl_text(cr, p->x + p->w - 8, ty, rp->ref_label[i], 1, 0);
    }
}

/* A stack of rates' rows as steps: each row's value held over its whole interval, [t, t + dt]
 * (two points a row, the second a pixel short of the next row's first), so a fill rises where its
 * interval starts — the errors of an AZ failure at 2:00 from 2:00, not from the middle of the
 * interval before, as a line between the intervals' middles drew them. A gauge (read at an instant)
 * is left as it is. *xo (2n) and *yo (2n per column) are malloc'd; NULL when out of memory. */
static void stepped(const pl_panel *p, const pl_series *s, const double *x, const double *const *ys,
                    size_t k, double **xo, double **yo)
{
    size_t n = s->nrows;
    /* a row's last point one pixel before the next row's first: the fill bins its points by
     * pixel column, and two in one column would be averaged into a ramp */
    double px_s = p->w > 0 ? (p->xa.hi - p->xa.lo) / p->w : 0;
    double back = fmin(s->dt / 2, px_s);
    *xo = malloc(2 * n * sizeof **xo);
    *yo = malloc(2 * n * (k ? k : 1) * sizeof **yo);
    if (!*xo || !*yo) {
        free(*xo), free(*yo);
        *xo = *yo = NULL;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        (*xo)[2 * i] = x[i] - s->dt / 2;
        (*xo)[2 * i + 1] = x[i] + s->dt / 2 - back;
        for (size_t j = 0; j < k; j++)
            (*yo)[j * 2 * n + 2 * i] = (*yo)[j * 2 * n + 2 * i + 1] = ys[j][i];
    }
}

static int draw_data(cairo_t *cr, const pl_panel *p, const rpanel *rp, const pl_series *s)
{
    int st = BASE_OK;
    /* areas first, then the stack, then lines: a line is never hidden under a fill */
    for (size_t i = 0; i < rp->n && st == BASE_OK; i++) {
        const rseries *q = &rp->s[i];
        if (q->def->draw != PL_DRAW_AREA)
            continue;
        int ax = q->def->right ? 2 : 1;
        st = pl_area(cr, p, ax, q->x, q->y, s->nrows, q->colour, 0.22);
        if (st == BASE_OK)
            st = pl_line(cr, p, ax, q->x, q->y, s->nrows, q->colour, 1.5, 0);
    }
    if (rp->nstack && st == BASE_OK) {
        const double *ys[MAX_RS];
        pl_rgb cols[MAX_RS];
        int hatched[MAX_RS];
        size_t k = 0;
        const double *x = NULL;
        for (size_t i = 0; i < rp->n; i++)
            if (rp->s[i].def->draw == PL_DRAW_STACK) {
                ys[k] = rp->s[i].y;
                cols[k] = rp->s[i].colour;
                hatched[k] = k >= PL_NPALETTE;
                x = rp->s[i].x;
                k++;
            }
        if (x == s->x_rate && s->dt > 0) {
            double *sx, *sy;
            stepped(p, s, x, ys, k, &sx, &sy);
            if (!sx)
                return BASE_ENOMEM;
            const double *sys[MAX_RS];
            for (size_t j = 0; j < k; j++)
                sys[j] = sy + j * 2 * s->nrows;
            st = pl_stack(cr, p, sx, sys, k, 2 * s->nrows, cols, hatched);
            free(sx), free(sy);
        } else {
            st = pl_stack(cr, p, x, ys, k, s->nrows, cols, hatched);
        }
    }
    for (int pass = 0; pass < 2; pass++) /* raw values under the lines that smooth them */
        for (size_t i = 0; i < rp->n && st == BASE_OK; i++) {
            const rseries *q = &rp->s[i];
            pl_draw d = q->def->draw;
            if (d == PL_DRAW_AREA || d == PL_DRAW_STACK || (pass == 0) != (d == PL_DRAW_RAW))
                continue;
            pl_rgb c = q->colour;
            if (d == PL_DRAW_RAW) /* the same hue, lighter */
                c = (pl_rgb){1 - 0.45 * (1 - c.r), 1 - 0.45 * (1 - c.g), 1 - 0.45 * (1 - c.b)};
            st = pl_line(cr, p, q->def->right ? 2 : 1, q->x, q->y, s->nrows, c,
                         d == PL_DRAW_RAW ? 1.2 : q->def->width, d == PL_DRAW_DASH ? 7 : 0);
        }
    return st;
}

static void legend_of(rpanel *rp, const pl_series *s, int warmup_item, const pl_axis *ya)
{
    size_t n = 0;
    for (size_t i = 0; i < rp->n; i++) {
        const rseries *q = &rp->s[i];
        pl_mark m = q->def->draw == PL_DRAW_DASH   ? PL_MARK_DASH
                    : q->def->draw == PL_DRAW_AREA ? PL_MARK_AREA_LINE
                    : q->def->draw == PL_DRAW_STACK
                        ? (q->stack_i >= PL_NPALETTE ? PL_MARK_AREA_HATCHED : PL_MARK_AREA)
                        : PL_MARK_LINE;
        pl_rgb c = q->colour;
        if (q->def->draw == PL_DRAW_RAW)
            c = (pl_rgb){1 - 0.45 * (1 - c.r), 1 - 0.45 * (1 - c.g), 1 - 0.45 * (1 - c.b)};
        rp->items[n++] = (pl_legend_item){q->label, c, m};
    }
    /* a limit far above the data (an HPA maximum of 2,000 over 900 pods) would squash the
     * chart if the axis went up to it: the legend names it instead */
    for (size_t i = 0; i < rp->def->nrefs; i++)
        if (isfinite(rp->ref[i]) && !(pl_axis_frac(ya, rp->ref[i]) <= 1.0001)) {
            snprintf(rp->ref_legend[i], sizeof rp->ref_legend[i], "%s (above the axis)",
                     rp->ref_label[i]);
            rp->items[n++] = (pl_legend_item){rp->ref_legend[i],
                                              pl_palette(rp->def->refs[i].colour), PL_MARK_DASH};
        }
    if (warmup_item && s->warmup > 0)
        rp->items[n++] = (pl_legend_item){"warm-up (not measured)", pl_grey(0.9), PL_MARK_BAND};
    rp->nitems = n;
}

/* ---------------------------------------------------------------- a time chart */

/* The chart's panels with their series resolved into rp: an optional panel without data is
 * left out, but never all of them (the first stays, with its note). How many, or 0 when out of
 * memory. */
static size_t resolve_panels(const pl_chart *c, const pl_series *s, rpanel *rp)
{
    const pl_chartdef *def = c->def;
    size_t np = 0;
    for (size_t i = 0; i < def->npanels; i++) {
        if (resolve_panel(c->doc, s, &def->panels[i], &rp[np]) != BASE_OK)
            return 0;
        if (def->panels[i].optional && !rp[np].has_data && def->npanels > 1) {
            panel_free(&rp[np]);
            continue;
        }
        np++;
    }
    if (np == 0) /* every panel optional and empty: the first, with its note */
        np = resolve_panel(c->doc, s, &def->panels[0], &rp[0]) == BASE_OK;
    return np;
}

/* The panels' axes, titles and legends, placed between top and bottom. */
static void place_panels(pl_chart *c, pl_panel *p, char (*ytitle)[PL_TEXT + 16], rpanel *rp,
                         size_t np, const pl_series *s, double bottom)
{
    for (size_t i = 0; i < np; i++) {
        memset(&p[i], 0, sizeof p[i]);
        pl_axis_time(&p[i].xa, s->t_end);
        set_axes(&p[i], &rp[i], s, 0, s->t_end);
        snprintf(ytitle[i], sizeof ytitle[i], "%s%s", rp[i].def->left.title,
                 p[i].ya.log ? " (log scale)" : "");
        p[i].ytitle = ytitle[i][0] ? ytitle[i] : NULL;
        p[i].ya2title = rp[i].def->right.title[0] ? rp[i].def->right.title : NULL;
        p[i].weight = rp[i].def->weight;
        legend_of(&rp[i], s, i == 0, &p[i].ya);
        p[i].legend = rp[i].items;
        p[i].nlegend = rp[i].nitems;
    }
    p[np - 1].xlabels = 1;
    p[np - 1].xtitle = pl_time_title(&p[np - 1].xa);
    pl_panels_place(c->cr, p, np, MARGIN, c->top, c->w - MARGIN, bottom);
}

/* One panel: the warm-up band, the frame, the event markers' lines, the data clipped to the
 * plot area, the reference lines, the markers' labels on top, and the panel's note when it has
 * no data. */
static int draw_panel(cairo_t *cr, pl_panel *p, rpanel *rp, const pl_series *s,
                      const pl_event_mark *marks, size_t nm, int labels)
{
    if (s->warmup > 0)
        pl_band(cr, p, 0, s->warmup, "warm-up");
    pl_panel_frame(cr, p);
    pl_mark_lines(cr, p, marks, nm);
    pl_clip(cr, p);
    int st = draw_data(cr, p, rp, s);
    cairo_restore(cr);
    draw_refs(cr, p, rp, 1);
    if (labels)
        pl_mark_labels(cr, p, marks, nm, 12, p->w);
    if (!rp->has_data)
        pl_note(cr, p, rp->def->empty[0] ? rp->def->empty : "no data in this report");
    return st;
}

void pl_zoom_caption(cairo_t *cr, const char *cap, double maxw, char *line1, char *line2, size_t n)
{
    size_t len = pl_wrap_next(cr, cap, maxw);
    snprintf(line1, n, "%.*s", (int)len, cap);
    const char *rest = cap + len;
    while (*rest == ' ')
        rest++;
    line2[0] = '\0';
    if (!*rest)
        return;
    /* a second line too long too: cut at the last word that fits, then the ellipsis */
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", rest);
    if (pl_text_width(cr, tmp) <= maxw) {
        snprintf(line2, n, "%s", tmp);
        return;
    }
    size_t k = pl_wrap_next(cr, tmp, maxw - pl_text_width(cr, "\xE2\x80\xA6"));
    snprintf(line2, n, "%.*s\xE2\x80\xA6", (int)k, tmp);
}

/* Zoom z of nz: the first panel again around event `zm`, in its slot of the row of zooms that
 * runs from zoom_top to bottom under the chart. */
static int draw_zoom(pl_chart *c, rpanel *rp0, const pl_series *s, const pl_event_mark *zm,
                     size_t z, size_t nz, const pl_event_mark *marks, size_t nm, double zoom_top,
                     double bottom)
{
    const double gap = 36;
    double zw = (c->w - 2 * MARGIN - gap * (double)(nz - 1)) / (double)nz;
    double span = fmin(fmax(zm->dur * 10, PL_ZOOM_MIN_S), 7200);
    double t0 = fmax(0, zm->t - span * 0.25), t1 = fmin(s->t_end, t0 + span);
    pl_panel zp;
    memset(&zp, 0, sizeof zp);
    pl_axis_time_range(&zp.xa, t0, t1, s->t_end);
    set_axes(&zp, rp0, s, t0, t1);
    zp.xlabels = 1;
    double x0 = MARGIN + (zw + gap) * (double)z;
    char cap[512], a[32], b[32];
    pl_axis_label(&zp.xa, t0, a, sizeof a);
    pl_axis_label(&zp.xa, t1, b, sizeof b);
    snprintf(cap, sizeof cap, "zoom: %s around the %s (%s to %s)",
             rp0->def->left.title[0] ? rp0->def->left.title : "the first panel", zm->label, a, b);
    /* the caption on one line, or two when the zoom is narrow, broken between words (issue 18:
     * "the mon-ar..." cut mid-word) */
    pl_font(c->cr, 14, 1);
    double cap_lh = pl_line_height(c->cr);
    pl_panels_place(c->cr, &zp, 1, x0, zoom_top + cap_lh + 6, x0 + zw, bottom);
    double cap_w = zp.w + 40; /* into the gap between zooms, as far as before */
    char line1[200], line2[200];
    pl_font(c->cr, 14, 1); /* placing the panel set the tick font */
    pl_zoom_caption(c->cr, cap, cap_w, line1, line2, sizeof line1);
    if (line2[0])
        pl_panels_place(c->cr, &zp, 1, x0, zoom_top + 2 * cap_lh + 6, x0 + zw, bottom);
    pl_font(c->cr, 14, 1);
    pl_set_rgb(c->cr, pl_grey(0.1));
    pl_text(c->cr, zp.x, zoom_top, line1, 0, 0);
    if (line2[0])
        pl_text(c->cr, zp.x, zoom_top + cap_lh, line2, 0, 0);
    pl_panel_frame(c->cr, &zp);
    pl_mark_lines(c->cr, &zp, marks, nm);
    pl_clip(c->cr, &zp);
    int st = draw_data(c->cr, &zp, rp0, s);
    cairo_restore(c->cr);
    draw_refs(c->cr, &zp, rp0, 0);
    pl_mark_labels(c->cr, &zp, marks, nm, 11, zp.w * 0.45); /* short: two fit side by side */
    return st;
}

/* A time chart: its panels stacked over the run's time, then a row of zooms (the first panel
 * around each one-off event and short phase) under them. */
static int draw_time(pl_chart *c, base_err *err)
{
    pl_series s;
    int st = pl_series_get(c->set, c->doc, c->def->name, &s, err);
    if (st != BASE_OK)
        return st;
    rpanel *rp = calloc(PL_MAX_PANELS, sizeof *rp);
    size_t np = rp ? resolve_panels(c, &s, rp) : 0;
    if (np == 0)
        st = BASE_ENOMEM;
    pl_event_mark marks[64], zooms[MAX_ZOOMS];
    size_t nm = c->def->markers ? pl_marks_of(c->doc, marks, 64) : 0;
    size_t nz = pl_zooms_of(marks, nm, s.t_end, (size_t)c->def->zoom, zooms);
    if (st == BASE_OK) {
        pl_chart_begin(c, c->def->subtitle);
        pl_panel p[PL_MAX_PANELS];
        char ytitle[PL_MAX_PANELS][PL_TEXT + 16];
        double bottom = c->h - 12, zoom_top = bottom;
        if (nz > 0)
            zoom_top = c->top + (bottom - c->top) * (np > 2 ? 0.70 : np > 1 ? 0.64 : 0.60);
        place_panels(c, p, ytitle, rp, np, &s, nz ? zoom_top - 8 : bottom);
        for (size_t i = 0; i < np && st == BASE_OK; i++)
            st = draw_panel(c->cr, &p[i], &rp[i], &s, marks, nm, i == 0);
        for (size_t z = 0; z < nz && st == BASE_OK; z++)
            st = draw_zoom(c, &rp[0], &s, &zooms[z], z, nz, marks, nm, zoom_top, bottom);
    }
    for (size_t i = 0; rp && i < PL_MAX_PANELS; i++)
        panel_free(&rp[i]);
    free(rp);
    pl_series_free(&s);
    if (st == BASE_ENOMEM)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    return pl_chart_done(c, st, err);
}

/* ---------------------------------------------------------------- the set */

static int applies(const pl_chartdef *d, const json_t *doc)
{
    if (d->doc != plot_doc_kind_of(doc))
        return 0;
    if ((d->requires & PL_NEEDS_SERIES) && !pl_has_series(doc))
        return 0;
    if ((d->requires & PL_NEEDS_DATABASE) && !pl_has_database(doc))
        return 0;
    if ((d->requires & PL_NEEDS_COST) && !pl_has_cost(doc))
        return 0;
    if ((d->requires & PL_NEEDS_SWEEP) && !pl_has_sweep(doc))
        return 0;
    return 1;
}

const pl_chartdef *pl_chart_find(const plot_set *set, const char *name)
{
    for (size_t i = 0; set && name && i < set->n; i++)
        if (strcmp(set->defs[i].name, name) == 0)
            return &set->defs[i];
    return NULL;
}

const char *plot_chart_describe(const plot_set *set, const char *name)
{
    const pl_chartdef *d = pl_chart_find(set, name);
    return d ? (d->describe[0] ? d->describe : d->title) : NULL;
}

size_t plot_chart_names(const plot_set *set, const json_t *doc, const char **names, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; set && i < set->n; i++) {
        if (!applies(&set->defs[i], doc))
            continue;
        if (names && k < max)
            names[k] = set->defs[i].name;
        k++;
    }
    return k;
}

int pl_chart_empty(const plot_set *set, const json_t *doc, const char *name, const char **line)
{
    const pl_chartdef *d = pl_chart_find(set, name);
    if (!d || !d->pack_empty[0] || d->kind != PL_KIND_TIME || !applies(d, doc))
        return 0;
    pl_series s;
    base_err e;
    base_err_clear(&e);
    if (pl_series_get(set, doc, name, &s, &e) != BASE_OK)
        return 0;
    int any = 0;
    rpanel *rp = malloc(sizeof *rp);
    for (size_t i = 0; rp && i < d->npanels && !any; i++) {
        if (resolve_panel(doc, &s, &d->panels[i], rp) == BASE_OK)
            any = rp->has_data;
        else
            any = 1; /* out of memory: draw the page, which will say so */
        panel_free(rp);
    }
    free(rp);
    pl_series_free(&s);
    if (!any)
        *line = d->pack_empty;
    return !any;
}

/* "a, b, c" of the charts this document has (or "none"). */
static void valid_names(const plot_set *set, const json_t *doc, char *buf, size_t n)
{
    const char *names[32];
    size_t k = plot_chart_names(set, doc, names, 32), len = 0;
    buf[0] = '\0';
    if (k == 0)
        snprintf(buf, n, "none");
    for (size_t i = 0; i < k && i < 32 && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", names[i]);
}

int pl_chart_draw(cairo_t *cr, double w, double h, const plot_set *set, const json_t *doc,
                  const char *name, base_err *err)
{
    plot_doc_kind kind;
    int known = pl_doc_kind(doc, &kind, err);
    if (known != BASE_OK)
        return known;
    const char *doc_word = kind == PLOT_DOC_REPORT ? "report"
                           : kind == PLOT_DOC_PLAN ? "plan"
                                                   : "comparison";
    char valid[512];
    valid_names(set, doc, valid, sizeof valid);
    const pl_chartdef *def = pl_chart_find(set, name);
    if (!def)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "unknown chart '%s'; the charts of this %s are: %s", name ? name : "",
                            doc_word, valid);
    if (def->doc != kind)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "chart '%s' is drawn from a %s, and this is a %s; its charts are: %s",
                            name,
                            def->doc == PLOT_DOC_REPORT ? "run's report.json"
                            : def->doc == PLOT_DOC_PLAN ? "plan.json"
                                                        : "compare.json",
                            doc_word, valid);
    if (!applies(def, doc)) {
        int r = def->requires;
        const char *why = (r & PL_NEEDS_SERIES) && !pl_has_series(doc)
                              ? "the report has no time series (`series`)"
                          : (r & PL_NEEDS_DATABASE) && !pl_has_database(doc)
                              ? "the run had no database (no `database_utilisation` figure)"
                          : (r & PL_NEEDS_COST) && !pl_has_cost(doc)
                              ? "the report has no cost figures (the run had no pricing file)"
                              : "the comparison has no sweep";
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "no chart '%s' for this %s: %s; its charts are: %s", name, doc_word,
                            why, valid);
    }
    pl_chart c = {.set = set, .cr = cr, .w = w, .h = h, .doc = doc, .def = def};
    cairo_save(cr);
    int st;
    switch (def->kind) {
    case PL_KIND_COST: st = pl_draw_cost(&c, err); break;
    case PL_KIND_VARIANTS: st = pl_draw_variants(&c, err); break;
    case PL_KIND_CROSSOVER: st = pl_draw_crossover(&c, err); break;
    case PL_KIND_PARETO: st = pl_draw_pareto(&c, err); break;
    case PL_KIND_TIME:
    default: st = draw_time(&c, err); break;
    }
    cairo_restore(cr);
    return st;
}
