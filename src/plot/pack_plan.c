/*
 * pack_plan.c — the design-review pack of a plan (plot_pack on `simulate plan`'s plan.json,
 * docs/plan.md): page 1 says what to deploy — the planner's winner, its figures with their 95%
 * intervals, whether fresh random numbers confirmed it — and what the search did; then a page
 * per plan chart of the set (the Pareto frontier, plots/pareto.yaml); then the runners-up with
 * what each missed, and how each knob moves cost and latency at the winner.
 *
 * Same page as a run's pack (A4 landscape, the same margins and footer), drawn with its own
 * few text helpers.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PM   40.0 /* page margin, as pack.c */
#define BODY 10.0

typedef struct pp {
    cairo_t *cr;
    double w, h;
    char name[256];
    int page, open;
    double y;
} pp;

static void end_page(pp *k)
{
    if (!k->open)
        return;
    char buf[400], fit[400];
    pl_font(k->cr, 8.5, 0);
    pl_set_rgb(k->cr, pl_grey(0.45));
    snprintf(buf, sizeof buf, "simulate %s · %s · plan · design review", SIMULATE_VERSION, k->name);
    pl_ellipsize(k->cr, buf, k->w - 2 * PM - 80, fit, sizeof fit);
    pl_text(k->cr, PM, k->h - 22, fit, 0, 1);
    snprintf(buf, sizeof buf, "page %d", k->page);
    pl_text(k->cr, k->w - PM, k->h - 22, buf, 1, 1);
    cairo_show_page(k->cr);
    k->open = 0;
}

static void begin_page(pp *k)
{
    end_page(k);
    k->page++;
    k->open = 1;
    k->y = PM;
    cairo_set_source_rgb(k->cr, 1, 1, 1);
    cairo_paint(k->cr);
}

/* Text wrapped to the page at x (indented from the margin), a new page when it runs off. */
static void say(pp *k, double x, const char *text, double size, int bold, pl_rgb colour)
{
    char line[2048];
    pl_font(k->cr, size, bold);
    double lh = pl_line_height(k->cr) * 1.15;
    const char *p = text;
    while (*p) {
        if (!k->open || k->y + lh > k->h - PM - 8)
            begin_page(k);
        pl_font(k->cr, size, bold);
        size_t len = pl_wrap_next(k->cr, p, k->w - PM - x);
        size_t n = len < sizeof line - 1 ? len : sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        pl_set_rgb(k->cr, colour);
        pl_text(k->cr, x, k->y, line, 0, 0);
        k->y += lh;
        p += len;
        while (*p == ' ' || *p == '\n')
            p++;
    }
}

static void heading(pp *k, const char *text)
{
    if (k->open && k->y + 60 > k->h - PM)
        begin_page(k); /* a heading never ends a page alone */
    k->y += 6;
    say(k, PM, text, 14, 1, pl_grey(0.05));
    k->y += 2;
}

/* "mean ± half unit" of plan.json's figure object, or "n/a". */
static void ci_text(const json_t *fig, const char *unit, char *buf, size_t n)
{
    pl_format_ci(pl_num(json_object_get(fig, "mean")),
                 pl_num(json_object_get(fig, "ci95_half_width")), unit, buf, n);
}

/* "key = value, key = value" of a configuration object. */
static void configuration_text(const json_t *cfg, char *buf, size_t n)
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

static void what_to_deploy(pp *k, const json_t *doc)
{
    char buf[2048], a[128];
    const json_t *s = json_object_get(doc, "search");
    const json_t *w = json_object_get(doc, "winner");
    begin_page(k);
    pl_font(k->cr, 22, 1);
    /* the phrase first: a long plan name wraps or is cut, never the words the page is for */
    snprintf(buf, sizeof buf, "What to deploy — %s", k->name);
    say(k, PM, buf, 22, 1, pl_grey(0.05));
    snprintf(buf, sizeof buf,
             "simulate plan %s: the cheapest configuration of the plan's knobs that meets every "
             "objective at %.0f%% confidence (minimised: %s), %s engine, seed %s, simulate %s.",
             pl_str(json_object_get(doc, "scenario"), "?"),
             100 * pl_num(json_object_get(doc, "confidence")),
             pl_str(json_object_get(doc, "minimise"), "?"),
             pl_str(json_object_get(doc, "engine"), "?"), pl_str(json_object_get(doc, "seed"), "?"),
             pl_str(json_object_get(doc, "simulate_version"), "?"));
    say(k, PM, buf, BODY, 0, pl_grey(0.3));
    heading(k, "What to deploy");
    if (!json_is_object(w)) {
        say(k, PM,
            "Nothing in the space is feasible: no configuration met every objective at the "
            "stated confidence. The runners-up below say what each missed and by how much.",
            BODY + 1, 1, pl_palette(PL_VERMILLION));
    } else {
        say(k, PM, "The planner's winner:", BODY + 1, 0, pl_grey(0.1));
        const char *key;
        json_t *v;
        json_object_foreach(json_object_get(w, "configuration"), key, v)
        {
            snprintf(buf, sizeof buf, "%s = %s", key, pl_str(v, "?"));
            say(k, PM + 16, buf, BODY + 1, 1, pl_grey(0.05));
        }
        const json_t *f = json_object_get(w, "figures");
        ci_text(json_object_get(f, "monthly_cost"), "USD", a, sizeof a);
        snprintf(buf, sizeof buf, "monthly cost %s a month", a);
        say(k, PM + 16, buf, BODY + 1, 0, pl_grey(0.1));
        ci_text(json_object_get(f, "api_latency_p99"), "ms", a, sizeof a);
        snprintf(buf, sizeof buf, "API latency p99 %s", a);
        say(k, PM + 16, buf, BODY + 1, 0, pl_grey(0.1));
        if (json_object_get(f, "rto")) {
            ci_text(json_object_get(f, "rto"), "s", a, sizeof a);
            snprintf(buf, sizeof buf, "RTO of the first failure %s", a);
            say(k, PM + 16, buf, BODY + 1, 0, pl_grey(0.1));
        }
        const json_t *c = json_object_get(w, "confirmation");
        snprintf(buf, sizeof buf,
                 "%lld replications; %s. Re-run with fresh random numbers (seed %s, %lld "
                 "replications): %s.",
                 (long long)json_integer_value(json_object_get(w, "replications")),
                 json_integer_value(json_object_get(w, "indistinguishable_from")) > 0
                     ? "statistically indistinguishable in cost from other feasible ones"
                     : "no other feasible configuration is as cheap within its interval",
                 pl_str(json_object_get(c, "seed"), "?"),
                 (long long)json_integer_value(json_object_get(c, "replications")),
                 json_is_true(json_object_get(c, "confirmed"))
                     ? "confirmed, every objective's mean holds"
                     : "NOT confirmed, an objective's mean missed");
        say(k, PM, buf, BODY, 0, pl_grey(0.3));
        heading(k, "Objectives");
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(w, "objectives"), i, o)
        {
            const char *fail = pl_str(json_object_get(o, "failure"), NULL);
            pl_format_ci(pl_num(json_object_get(o, "mean")),
                         pl_num(json_object_get(o, "ci95_half_width")),
                         pl_str(json_object_get(o, "unit"), ""), a, sizeof a);
            snprintf(buf, sizeof buf, "%-9s %s%s%s: %s", pl_str(json_object_get(o, "status"), "?"),
                     pl_str(json_object_get(o, "objective"), "?"), fail ? " through " : "",
                     fail ? fail : "", a);
            say(k, PM + 16, buf, BODY, 0, pl_grey(0.1));
        }
    }
    heading(k, "What the search did");
    snprintf(buf, sizeof buf,
             "%lld configurations in the space: %lld ruled out by the queueing bounds, %lld made "
             "unnecessary by bisection, %lld simulated (%.2f%%) with %lld replications in all.",
             (long long)json_integer_value(json_object_get(s, "space")),
             (long long)json_integer_value(json_object_get(s, "pruned")),
             (long long)json_integer_value(json_object_get(s, "skipped_by_bisection")),
             (long long)json_integer_value(json_object_get(s, "simulated")),
             100 * pl_num(json_object_get(s, "simulated_fraction")),
             (long long)json_integer_value(json_object_get(s, "replications")));
    say(k, PM, buf, BODY, 0, pl_grey(0.1));
}

static void runners_up(pp *k, const json_t *doc)
{
    char buf[2048], cfg[1400], a[64];
    const json_t *ru = json_object_get(doc, "runners_up");
    begin_page(k);
    heading(k, "The runners-up, by the minimised figure");
    if (json_array_size(ru) == 0)
        say(k, PM, "None: the winner was the only configuration simulated.", BODY, 0, pl_grey(0.3));
    size_t i;
    json_t *r;
    json_array_foreach(ru, i, r)
    {
        ci_text(json_object_get(json_object_get(r, "figures"), "monthly_cost"), "USD", a, sizeof a);
        configuration_text(json_object_get(r, "configuration"), cfg, sizeof cfg);
        size_t len = (size_t)snprintf(
            buf, sizeof buf, "%s (%s, %lld replications): %s", a,
            pl_str(json_object_get(r, "status"), "?"),
            (long long)json_integer_value(json_object_get(r, "replications")), cfg);
        size_t j;
        json_t *m;
        json_array_foreach(json_object_get(r, "missed"), j, m)
        {
            if (len >= sizeof buf)
                break;
            len += (size_t)snprintf(buf + len, sizeof buf - len, "; %s %s by %.4g %s",
                                    pl_str(json_object_get(m, "status"), "?"),
                                    pl_str(json_object_get(m, "objective"), "?"),
                                    pl_num(json_object_get(m, "by")),
                                    pl_str(json_object_get(m, "unit"), ""));
        }
        say(k, PM, buf, BODY, 0, pl_grey(0.1));
        k->y += 3;
    }
    const json_t *sens = json_object_get(doc, "sensitivity");
    if (json_array_size(sens) == 0)
        return;
    heading(k, "What each knob moves at the winner (one step, paired replications)");
    json_array_foreach(sens, i, r)
    {
        size_t len =
            (size_t)snprintf(buf, sizeof buf, "%s:", pl_str(json_object_get(r, "knob"), "?"));
        static const char *const dirs[] = {"step_down", "step_up"};
        for (int d = 0; d < 2 && len < sizeof buf; d++) {
            const json_t *st = json_object_get(r, dirs[d]);
            if (!json_is_object(st))
                continue;
            const json_t *ok = json_object_get(st, "feasible_at_screening");
            len +=
                (size_t)snprintf(buf + len, sizeof buf - len, "  %s %s: %+.4g USD, %+.3g ms%s",
                                 d ? "up to" : "down to", pl_str(json_object_get(st, "value"), "?"),
                                 pl_num(json_object_get(st, "monthly_cost_change")),
                                 pl_num(json_object_get(st, "api_latency_p99_change_ms")),
                                 json_is_false(ok) ? " (clearly infeasible)" : "");
        }
        say(k, PM, buf, BODY, 0, pl_grey(0.1));
    }
}

int pl_pack_plan(cairo_t *cr, double w, double h, const plot_set *set, const json_t *doc,
                 base_err *err)
{
    pp k = {.cr = cr, .w = w, .h = h};
    pl_doc_name(doc, k.name, sizeof k.name);
    what_to_deploy(&k, doc);
    /* the plan's charts, each on its page, laid out larger and scaled down as pack.c does */
    const char *names[16];
    size_t n = plot_chart_names(set, doc, names, 16);
    int st = BASE_OK;
    for (size_t i = 0; i < n && i < 16 && st == BASE_OK; i++) {
        begin_page(&k);
        const double sc = 0.72, x0 = 20, y0 = 16;
        cairo_save(cr);
        cairo_translate(cr, x0, y0);
        cairo_scale(cr, sc, sc);
        st = pl_chart_draw(cr, (w - 2 * x0) / sc, (h - y0 - 34) / sc, set, doc, names[i], err);
        cairo_restore(cr);
    }
    if (st == BASE_OK)
        runners_up(&k, doc);
    end_page(&k);
    return st;
}
