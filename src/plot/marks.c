/*
 * marks.c — the scenario's events and phase starts as marks on a time chart's x axis: which there
 * are (the report's `scenario.events` and `scenario.phases`), which deserve a zoomed panel, and
 * how their dashed lines and labels are drawn (charts.c draws the panels they sit on).
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *event_words(const char *type)
{
    static const pl_word w[] = {
        {"az_failure", "AZ failure"},
        {"db_failover", "database failover"},
        {"cache_failover", "Redis failover"},
        {"region_failure", "region failure"},
        {"spot_storm", "Spot interruptions"},
        {"spot_unavailable", "no Spot capacity"},
        {"deploy", "deploy"},
        {"data_corruption", "data corruption"},
        {"accidental_delete", "database deleted"},
        {"node_loss", "nodes lost"},
        {"region_moved", "users moved"},
        {"replica_promoted", "copy promoted"},
    };
    return pl_label(w, sizeof w / sizeof w[0], type, type);
}

/* An event's label: its words, and with two regions the region's ("loss of eu-west-1", "users
 * moved to us-east-1", "promotion of eu-west-1's copy": report.c's region events; a zoom's
 * caption reads "around the LABEL"). */
static void event_label(const json_t *e, char *buf, size_t n)
{
    const char *type = pl_str(json_object_get(e, "type"), "event");
    const char *region = pl_str(json_object_get(e, "region"), NULL);
    const char *to = pl_str(json_object_get(e, "to"), NULL);
    if (region && strcmp(type, "region_failure") == 0)
        snprintf(buf, n, "loss of %s", region);
    else if (to && strcmp(type, "region_moved") == 0)
        snprintf(buf, n, "users moved to %s", to);
    else if (region && strcmp(type, "replica_promoted") == 0)
        snprintf(buf, n, "promotion of %s's copy", region);
    else
        snprintf(buf, n, "%s%s", event_words(type),
                 json_is_number(json_object_get(e, "every_s")) ? " (then at random)" : "");
}

/* The scenario's events and the starts of its phases (after the first), in time order. */
size_t pl_marks_of(const json_t *doc, pl_event_mark *m, size_t max)
{
    const json_t *scn = json_object_get(doc, "scenario");
    const json_t *ev = json_object_get(scn, "events"), *ph = json_object_get(scn, "phases");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(ev) && n < max; i++) {
        const json_t *e = json_array_get(ev, i);
        double at = pl_num(json_object_get(e, "at_s"));
        if (!isfinite(at))
            continue;
        m[n].t = at;
        m[n].dur = 0;
        m[n].event = 1;
        event_label(e, m[n].label, sizeof m[n].label);
        n++;
    }
    for (size_t i = 1; i < json_array_size(ph) && n < max; i++) {
        const json_t *p = json_array_get(ph, i);
        m[n].t = pl_num(json_object_get(p, "start_s"));
        m[n].dur = pl_num(json_object_get(p, "duration_s"));
        m[n].event = 0;
        snprintf(m[n].label, sizeof m[n].label, "%s", pl_str(json_object_get(p, "name"), "?"));
        if (isfinite(m[n].t))
            n++;
    }
    /* insertion sort: few marks, and a stable order for equal times */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && m[j].t < m[j - 1].t; j--) {
            pl_event_mark t = m[j];
            m[j] = m[j - 1];
            m[j - 1] = t;
        }
    return n;
}

/* What deserves a zoom: each one-off event, and each phase too short to see on the whole axis
 * (under 1% of the run: Black Friday's two-minute doorbuster on a day). An event within half a
 * zoom's shortest span after the last one zoomed on is in that zoom already (a region lost and
 * Route 53 moving its users 60-90 s later): no second, near-identical zoom. */
size_t pl_zooms_of(const pl_event_mark *m, size_t nm, double t_end, size_t max, pl_event_mark *z)
{
    size_t n = 0;
    for (size_t i = 0; i < nm && n < max; i++) {
        int one_off = m[i].event && !strstr(m[i].label, "at random");
        if (one_off && n > 0 && z[n - 1].event && m[i].t - z[n - 1].t < 0.5 * PL_ZOOM_MIN_S)
            continue;
        if (one_off || (!m[i].event && m[i].dur < 0.01 * t_end))
            z[n++] = m[i];
    }
    return n;
}

/* The marks' dashed lines, drawn under the data (a line over a series would hide it). */
void pl_mark_lines(cairo_t *cr, const pl_panel *p, const pl_event_mark *m, size_t nm)
{
    pl_clip(cr, p);
    for (size_t i = 0; i < nm; i++) {
        double fx = pl_axis_frac(&p->xa, m[i].t);
        if (!(fx >= 0 && fx <= 1))
            continue;
        double X = round(pl_px(p, m[i].t)) + 0.5;
        double d[2] = {m[i].event ? 6 : 2, m[i].event ? 4 : 3};
        cairo_set_dash(cr, d, 2, 0);
        cairo_set_line_width(cr, m[i].event ? 1.8 : 1);
        pl_set_rgb(cr, m[i].event ? pl_palette(PL_VERMILLION) : pl_grey(0.55));
        cairo_move_to(cr, X, p->y);
        cairo_line_to(cr, X, p->y + p->h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_restore(cr);
}

/* The marks' labels, drawn after the data on a light box so no series crosses them (issue 18:
 * Black Friday's "doorbuster" sat under the Ready line). A label wider than maxw is shortened
 * to fit (a zoom's narrow panel). */
void pl_mark_labels(cairo_t *cr, const pl_panel *p, const pl_event_mark *m, size_t nm, double size,
                    double maxw)
{
    pl_clip(cr, p);
    /* the right end of the labels on each of three lines: an event's label takes the first line
     * where it clears them (a region lost, Route 53's move 90 s later and the promotion after
     * would otherwise print over each other) */
    double last_right[3] = {-INFINITY, -INFINITY, -INFINITY};
    pl_font(cr, size, 0);
    double lh = pl_line_height(cr);
    for (size_t i = 0; i < nm; i++) {
        double fx = pl_axis_frac(&p->xa, m[i].t);
        if (!(fx >= 0 && fx <= 1))
            continue;
        double X = round(pl_px(p, m[i].t)) + 0.5;
        char label[sizeof m[i].label + 4];
        pl_font(cr, size, m[i].event);
        pl_ellipsize(cr, m[i].label, maxw, label, sizeof label);
        double tw = pl_text_width(cr, label);
        double tx = X + 4;
        if (tx + tw > p->x + p->w)
            tx = X - 4 - tw;
        /* a phase label that would overlap the previous one is left out (its line stays); an
         * event's label always shows, on the first line it fits (the last one when none) */
        size_t row = 0;
        while (row < 2 && tx < last_right[row] + 6 && (m[i].event || row > 0))
            row++;
        if (!m[i].event && tx < last_right[row] + 6)
            continue;
        double ty = p->y + 4 + (double)row * (lh + 2);
        /* a light veil, not an opaque box: the lines under a label (Ready after a region's
         * loss) must still show through it */
        cairo_set_source_rgba(cr, 1, 1, 1, 0.6);
        cairo_rectangle(cr, tx - 2, ty - 1, tw + 4, lh + 2);
        cairo_fill(cr);
        pl_set_rgb(cr, m[i].event ? pl_palette(PL_VERMILLION) : pl_grey(0.35));
        pl_text(cr, tx, ty, label, 0, 0);
        last_right[row] = fmax(last_right[row], tx + tw);
    }
    cairo_restore(cr);
}
