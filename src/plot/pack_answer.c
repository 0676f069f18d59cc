/*
 * pack_answer.c — a comparison's answer in words, for its pack's first page: which variant
 * meets the objectives up to which load, which is the cheapest that meets them where and by
 * how much, and above which load a variant is never the cheapest again. Every word comes from
 * compare.json's sweep (its points' costs and verdicts, its cost crossovers); nothing is
 * written per scenario. Without a sweep it says so, at the comparison's own load.
 */
#include "plot/pack_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_POINTS 128

/* One point of the sweep as the answer reads it. */
typedef struct pt {
    double load;
    double cost[PK_MAX_VARIANTS];
    int met[PK_MAX_VARIANTS];
    int best; /* the cheapest variant meeting the objectives, -1 for none */
} pt;

typedef struct answer {
    const char *names[PK_MAX_VARIANTS];
    const char *database[PK_MAX_VARIANTS]; /* compare.json's words for it, NULL: none */
    size_t nv;
    pt pts[MAX_POINTS];
    size_t np;
    const char *unit;     /* "users" or "req/s" */
    const char *cost_key; /* the points' monthly cost: steady, or the daily profile's */
} answer;

void pk_load_text(double load, const char *unit, char *buf, size_t n)
{
    char v[64];
    pl_format(load, PL_COUNT, 0, v, sizeof v);
    int w = snprintf(buf, n, "%s %s", v, unit);
    if ((w < 0 || (size_t)w >= n) && n >= 4) /* a unit too long for buf: cut, said so */
        snprintf(buf + n - 4, 4, "...");
}

static void read_points(const json_t *doc, const char *cost_key, answer *a)
{
    const json_t *vars = json_object_get(doc, "variants");
    const json_t *pts = json_object_get(json_object_get(doc, "sweep"), "points");
    a->nv = json_array_size(vars) < PK_MAX_VARIANTS ? json_array_size(vars) : PK_MAX_VARIANTS;
    for (size_t i = 0; i < a->nv; i++) {
        a->names[i] = pl_str(json_object_get(json_array_get(vars, i), "name"), "?");
        a->database[i] = pl_str(json_object_get(json_array_get(vars, i), "database"), NULL);
    }
    a->np = json_array_size(pts) < MAX_POINTS ? json_array_size(pts) : MAX_POINTS;
    a->cost_key = cost_key;
    for (size_t p = 0; p < a->np; p++) {
        const json_t *jp = json_array_get(pts, p), *per = json_object_get(jp, "variants");
        pt *q = &a->pts[p];
        q->load = pl_num(json_object_get(jp, "peak_load"));
        q->best = -1;
        for (size_t i = 0; i < a->nv; i++) {
            const json_t *e = json_object_get(per, a->names[i]);
            q->cost[i] = pl_num(json_object_get(e, cost_key));
            q->met[i] = json_is_true(json_object_get(e, "objectives_met"));
            if (q->met[i] && isfinite(q->cost[i]) && (q->best < 0 || q->cost[i] < q->cost[q->best]))
                q->best = (int)i;
        }
    }
}

/* The cheapest meeting the objectives at point p other than `not`, -1 for none. */
static int runner_up(const pt *q, size_t nv, int not )
{
    int r = -1;
    for (size_t i = 0; i < nv; i++)
        if ((int)i != not &&q->met[i] && isfinite(q->cost[i]) && (r < 0 || q->cost[i] < q->cost[r]))
            r = (int)i;
    return r;
}

/* "rds meets the objectives up to 19k users (not at 25k)": each variant's range. */
static void meeting_ranges(pk_pack *k, const answer *a)
{
    char line[512], x[64], y[64], who[256];
    for (size_t i = 0; i < a->nv; i++) {
        /* the first sentence about a variant says what it is; the later ones use its name */
        if (a->database[i])
            snprintf(who, sizeof who, "%s (%s)", a->names[i], a->database[i]);
        else
            snprintf(who, sizeof who, "%s", a->names[i]);
        size_t p = 0;
        while (p < a->np && a->pts[p].met[i])
            p++;
        if (p == a->np)
            snprintf(line, sizeof line, "• %s meets the objectives at every load of the sweep.",
                     who);
        else if (p == 0) {
            pk_load_text(a->pts[0].load, a->unit, x, sizeof x);
            snprintf(line, sizeof line, "• %s misses the objectives from the first load, %s.", who,
                     x);
        } else {
            pk_load_text(a->pts[p - 1].load, a->unit, x, sizeof x);
            pk_load_text(a->pts[p].load, a->unit, y, sizeof y);
            snprintf(line, sizeof line,
                     "• %s meets the objectives up to %s; it misses them at %s%s.", who, x, y,
                     p + 1 < a->np ? " and above" : "");
        }
        pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
    }
}

/* "From 7k to 19k users, rds is the cheapest that meets them: $3,889 to $9,731 a month, at
 * least $529 less than the next": one sentence per stretch of points with the same cheapest. */
static void cheapest_stretches(pk_pack *k, const answer *a)
{
    char line[640], x[64], y[64], c0[64], c1[64], d[64];
    for (size_t p = 0; p < a->np;) {
        size_t e = p;
        while (e + 1 < a->np && a->pts[e + 1].best == a->pts[p].best)
            e++;
        int b = a->pts[p].best;
        pk_load_text(a->pts[e].load, a->unit, y, sizeof y);
        if (e == p)
            snprintf(x, sizeof x, "%s", y);
        else
            pl_format(a->pts[p].load, PL_COUNT, 0, x, sizeof x);
        int n = e == p ? snprintf(line, sizeof line, "• At %s, ", x)
                       : snprintf(line, sizeof line, "• From %s to %s, ", x, y);
        size_t len = n > 0 ? (size_t)n : 0;
        if (b < 0) {
            snprintf(line + len, sizeof line - len, "no variant meets the objectives.");
        } else {
            double gap = INFINITY;
            const char *next = NULL;
            for (size_t q = p; q <= e; q++) {
                int r = runner_up(&a->pts[q], a->nv, b);
                if (r >= 0 && a->pts[q].cost[r] - a->pts[q].cost[b] < gap) {
                    gap = a->pts[q].cost[r] - a->pts[q].cost[b];
                    next = a->names[r];
                }
            }
            pl_format_usd(a->pts[p].cost[b], c0, sizeof c0);
            pl_format_usd(a->pts[e].cost[b], c1, sizeof c1);
            if (e == p)
                n = snprintf(line + len, sizeof line - len,
                             "%s is the cheapest that meets the objectives, %s a month",
                             a->names[b], c0);
            else
                n = snprintf(line + len, sizeof line - len,
                             "%s is the cheapest that meets the objectives, %s to %s a month",
                             a->names[b], c0, c1);
            len += n > 0 ? (size_t)n : 0;
            if (next && len < sizeof line) {
                pl_format_usd(gap, d, sizeof d);
                snprintf(line + len, sizeof line - len, ", %s%s less than %s.",
                         e == p ? "" : "at least ", d, e == p ? next : "the next that meets them");
            } else if (len < sizeof line) {
                snprintf(line + len, sizeof line - len, "; no other variant meets them.");
            }
        }
        pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
        p = e + 1;
    }
}

/* The crossover of v's cost with w's between loads lo and hi, from compare.json's
 * cost_crossovers; NaN when it lists none there. */
static double crossover(const json_t *doc, const char *key, const char *v, const char *w, double lo,
                        double hi)
{
    const json_t *cx = json_object_get(json_object_get(doc, "sweep"), key);
    for (size_t j = 0; j < json_array_size(cx); j++) {
        const json_t *o = json_array_get(cx, j), *btw = json_object_get(o, "between");
        const char *b = pl_str(json_object_get(o, "cheaper_below"), ""),
                   *ab = pl_str(json_object_get(o, "cheaper_above"), "");
        if (((strcmp(b, v) == 0 && strcmp(ab, w) == 0) ||
             (strcmp(b, w) == 0 && strcmp(ab, v) == 0)) &&
            pl_num(json_array_get(btw, 0)) == lo && pl_num(json_array_get(btw, 1)) == hi)
            return pl_num(json_object_get(o, "peak_load"));
    }
    return NAN;
}

/* "aurora is never the cheapest above 1.1k users": a variant that was the cheapest meeting the
 * objectives at some load, and is not at any higher one. */
static void never_above(pk_pack *k, const json_t *doc, const answer *a, const char *cx_key)
{
    char line[512], x[64];
    for (size_t i = 0; i < a->nv; i++) {
        size_t last = a->np;
        for (size_t p = 0; p < a->np; p++)
            if (a->pts[p].best == (int)i)
                last = p;
        if (last == a->np) {
            snprintf(line, sizeof line,
                     "• %s is never the cheapest that meets the objectives in the sweep.",
                     a->names[i]);
        } else if (last + 1 < a->np && a->pts[last + 1].best >= 0) {
            const pt *q = &a->pts[last + 1];
            double at =
                crossover(doc, cx_key, a->names[i], a->names[q->best], a->pts[last].load, q->load);
            pk_load_text(isfinite(at) ? at : a->pts[last].load, a->unit, x, sizeof x);
            snprintf(line, sizeof line,
                     "• %s is never the cheapest that meets the objectives above %s%s%s.",
                     a->names[i], isfinite(at) ? "about " : "", x,
                     isfinite(at) ? " (where its cost crosses " : "");
            if (isfinite(at)) {
                size_t len = strlen(line) - 1; /* over the final '.' */
                snprintf(line + len, sizeof line - len, "%s's).", a->names[q->best]);
            }
        } else {
            continue;
        }
        pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
    }
}

/* The answer for one of the sweep's monthly costs (steady or daily). */
static void answer_for(pk_pack *k, const json_t *doc, const char *cost_key, const char *cx_key,
                       const char *head)
{
    answer a;
    memset(&a, 0, sizeof a);
    a.unit = pl_str(json_object_get(doc, "load_unit"), "users");
    read_points(doc, cost_key, &a);
    pk_paragraph(k, head, BODY + 1, 1, pl_grey(0.05));
    cheapest_stretches(k, &a);
    never_above(k, doc, &a, cx_key);
}

void pk_compare_answer(pk_pack *k)
{
    const json_t *doc = k->doc, *sweep = json_object_get(doc, "sweep");
    pk_heading(k, "The answer", 14);
    if (json_array_size(json_object_get(sweep, "points")) == 0) {
        char load[64], line[300];
        double peak = pl_num(json_object_get(doc, "peak_load"));
        if (isfinite(peak))
            pk_load_text(peak, pl_str(json_object_get(doc, "load_unit"), "users"), load,
                         sizeof load);
        snprintf(line, sizeof line,
                 "No sweep: the variants ran at %s only; the tables below say which met the "
                 "objectives and what each costs there.",
                 isfinite(peak) ? load : "the scenario's own load");
        pk_paragraph(k, line, BODY + 1, 0, pl_grey(0.1));
        return;
    }
    answer a;
    memset(&a, 0, sizeof a);
    a.unit = pl_str(json_object_get(doc, "load_unit"), "users");
    read_points(doc, "monthly_cost", &a);
    meeting_ranges(k, &a);
    int daily = json_is_object(json_object_get(sweep, "daily"));
    answer_for(k, doc, "monthly_cost", "cost_crossovers",
               daily ? "Costed as the peak load held all month (a steady load, 730 hours):"
                     : "Costed as the peak load held all month (730 hours):");
    if (daily) {
        char head[400];
        const json_t *d = json_object_get(sweep, "daily");
        snprintf(head, sizeof head,
                 "Costed on a daily profile (the peak for %.0f hours a day, %.0f%% of it the "
                 "other %.0f):",
                 pl_num(json_object_get(d, "peak_hours")),
                 100 * pl_num(json_object_get(d, "off_peak_share")),
                 24 - pl_num(json_object_get(d, "peak_hours")));
        answer_for(k, doc, "monthly_cost_daily", "cost_crossovers_daily", head);
    }
}
