/*
 * chartfile.c — reading a chart's file (plots/NAME.yaml) into a pl_chartdef, and the set of
 * charts a run draws.
 *
 * A chart file is YAML read by the scenario reader (io.h: libyaml, every node with its file,
 * line and column), checked as strictly as a scenario: an unknown key, a wrong type, a colour or
 * unit that does not exist is an error at its position, with the nearest valid word when one
 * is close. The format is docs/charts.md's.
 */
#include "plot/internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io.h"

/* ---------------------------------------------------------------- checked values */

static int bad(const scn_node *n, base_err *err, const char *fmt, const char *a, const char *b)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return base_err_set(err, BASE_EINPUT, n->file, n->line, n->col, "%s", msg);
}

/* A word from a list: its index, or an error naming the valid ones. */
static int word(const scn_node *n, const char *key, const char *const *words, size_t nw, int *out,
                base_err *err)
{
    if (n->kind != SCN_SCALAR)
        return bad(n, err, "`%s` takes a word%s", key, "");
    for (size_t i = 0; i < nw; i++)
        if (strcmp(n->text, words[i]) == 0) {
            *out = (int)i;
            return BASE_OK;
        }
    char list[400];
    size_t len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < nw && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", words[i]);
    const char *near = scn_suggest(n->text, words, nw);
    char msg[600];
    if (near)
        snprintf(msg, sizeof msg, "`%s: %s` is not one of %s (did you mean '%s'?)", key, n->text,
                 list, near);
    else
        snprintf(msg, sizeof msg, "`%s: %s` is not one of %s", key, n->text, list);
    return base_err_set(err, BASE_EINPUT, n->file, n->line, n->col, "%s", msg);
}

static int text(const scn_node *n, const char *key, char *buf, size_t size, base_err *err)
{
    if (n->kind != SCN_SCALAR)
        return bad(n, err, "`%s` takes a text%s", key, "");
    if (strlen(n->text) >= size) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", size - 1);
        return bad(n, err, "`%s` is longer than %s characters", key, lim);
    }
    snprintf(buf, size, "%s", n->text);
    return BASE_OK;
}

static int number(const scn_node *n, const char *key, double lo, double hi, double *out,
                  base_err *err)
{
    char *end = NULL;
    double v = n->kind == SCN_SCALAR && n->plain ? strtod(n->text, &end) : NAN;
    if (!end || end == n->text || *end || !isfinite(v))
        return bad(n, err, "`%s` takes a number, not '%s'", key,
                   n->kind == SCN_SCALAR ? n->text : "(a list or mapping)");
    if (v < lo || v > hi) {
        char range[96];
        snprintf(range, sizeof range, "%g to %g", lo, hi);
        return bad(n, err, "`%s` goes from %s", key, range);
    }
    *out = v;
    return BASE_OK;
}

static int flag(const scn_node *n, const char *key, int *out, base_err *err)
{
    static const char *const tf[] = {"false", "true"};
    return word(n, key, tf, 2, out, err);
}

static int duration_s(const scn_node *n, const char *key, double *out, base_err *err)
{
    int64_t ns;
    base_err e;
    base_err_clear(&e);
    if (n->kind != SCN_SCALAR || scn_parse_duration(n->text, &ns, &e) != BASE_OK)
        return bad(n, err, "`%s` takes a duration with its unit (5m, 30s), not '%s'", key,
                   n->kind == SCN_SCALAR ? n->text : "(a list or mapping)");
    *out = (double)ns / 1e9;
    return BASE_OK;
}

/* Checks that every key of map is in keys (with the nearest one when it is a typo). */
static int known_keys(const scn_node *map, const char *what, const char *const *keys, size_t nk,
                      base_err *err)
{
    if (map->kind != SCN_MAP)
        return bad(map, err, "%s is a mapping (key: value)%s", what, "");
    for (size_t i = 0; i < map->n; i++) {
        const scn_node *k = map->keys[i];
        size_t j = 0;
        while (j < nk && strcmp(keys[j], k->text) != 0)
            j++;
        if (j < nk)
            continue;
        const char *near = scn_suggest(k->text, keys, nk);
        char msg[400];
        if (near)
            snprintf(msg, sizeof msg, "unknown key '%s' in %s (did you mean '%s'?)", k->text, what,
                     near);
        else
            snprintf(msg, sizeof msg, "unknown key '%s' in %s", k->text, what);
        return base_err_set(err, BASE_EINPUT, k->file, k->line, k->col, "%s", msg);
    }
    return BASE_OK;
}

static const char *const colour_names[] = {"black",        "orange",         "sky_blue",
                                           "bluish_green", "yellow",         "blue",
                                           "vermillion",   "reddish_purple", "auto"};
enum { NCOLOURS = sizeof colour_names / sizeof colour_names[0] };

static int colour(const scn_node *n, int *out, base_err *err)
{
    int c;
    int st = word(n, "colour", colour_names, NCOLOURS, &c, err);
    *out = c == NCOLOURS - 1 ? -1 : c;
    return st;
}

/* ---------------------------------------------------------------- parts */

static int axis_def(const scn_node *n, const char *what, pl_axdef *a, base_err *err)
{
    static const char *const keys[] = {"title",         "unit",     "scale",
                                       "ignore_warmup", "at_least", "whole"};
    int st = known_keys(n, what, keys, 6, err);
    static const char *const units[] = {"count", "ms", "usd", "pct"};
    static const pl_unit unit_of[] = {PL_COUNT, PL_MS, PL_USD, PL_PCT};
    static const char *const scales[] = {"linear", "log", "auto"};
    for (size_t i = 0; st == BASE_OK && i < n->n; i++) {
        const char *k = n->keys[i]->text;
        const scn_node *v = n->vals[i];
        int u;
        if (!strcmp(k, "title"))
            st = text(v, "title", a->title, sizeof a->title, err);
        else if (!strcmp(k, "unit") && (st = word(v, "unit", units, 4, &u, err)) == BASE_OK)
            a->unit = unit_of[u];
        else if (!strcmp(k, "scale"))
            st = word(v, "scale", scales, 3, &a->scale, err);
        else if (!strcmp(k, "ignore_warmup"))
            st = flag(v, "ignore_warmup", &a->ignore_warmup, err);
        else if (!strcmp(k, "at_least"))
            st = number(v, "at_least", 0, 1e15, &a->at_least, err);
        else if (!strcmp(k, "whole"))
            st = flag(v, "whole", &a->whole, err);
    }
    return st;
}

static int series_def(const scn_node *n, pl_sdef *s, base_err *err)
{
    static const char *const keys[] = {"column", "label",   "colour", "draw",     "axis",
                                       "at",     "rolling", "width",  "skip_zero"};
    int st = known_keys(n, "a series", keys, 9, err);
    if (st != BASE_OK)
        return st;
    memset(s, 0, sizeof *s);
    s->colour = -1;
    s->width = 2.2;
    s->gauge = -1;
    static const char *const draws[] = {"line", "dash", "raw", "area", "stack"};
    static const char *const axes[] = {"left", "right"};
    static const char *const ats[] = {"rate", "gauge"};
    for (size_t i = 0; st == BASE_OK && i < n->n; i++) {
        const char *k = n->keys[i]->text;
        const scn_node *v = n->vals[i];
        int d;
        if (!strcmp(k, "column"))
            st = text(v, "column", s->column, sizeof s->column, err);
        else if (!strcmp(k, "label"))
            st = text(v, "label", s->label, sizeof s->label, err);
        else if (!strcmp(k, "colour"))
            st = colour(v, &s->colour, err);
        else if (!strcmp(k, "draw") && (st = word(v, "draw", draws, 5, &d, err)) == BASE_OK)
            s->draw = (pl_draw)d;
        else if (!strcmp(k, "axis"))
            st = word(v, "axis", axes, 2, &s->right, err);
        else if (!strcmp(k, "at"))
            st = word(v, "at", ats, 2, &s->gauge, err);
        else if (!strcmp(k, "rolling"))
            st = duration_s(v, "rolling", &s->rolling_s, err);
        else if (!strcmp(k, "width"))
            st = number(v, "width", 0.5, 10, &s->width, err);
        else if (!strcmp(k, "skip_zero"))
            st = flag(v, "skip_zero", &s->skip_zero, err);
    }
    if (st == BASE_OK && !s->column[0])
        return bad(n, err, "a series needs its `column` (a column of the report's series)%s%s", "",
                   "");
    if (st == BASE_OK && strchr(s->column, '*') != strrchr(s->column, '*'))
        return bad(n, err, "`column: %s` has more than one '*'%s", s->column, "");
    if (s->gauge < 0) /* a rate is a count over its interval; a column of anything else is read */
        s->gauge = !(strstr(s->column, "_per_s") || strstr(s->column, "latency") ||
                     strstr(s->column, "utilisation"));
    return st;
}

static int ref_def(const scn_node *n, pl_rdef *r, base_err *err)
{
    static const char *const keys[] = {"value", "objective", "limit", "label", "unit", "colour"};
    int st = known_keys(n, "a reference line", keys, 6, err);
    if (st != BASE_OK)
        return st;
    memset(r, 0, sizeof *r);
    r->colour = PL_BLACK;
    int kinds = 0;
    for (size_t i = 0; st == BASE_OK && i < n->n; i++) {
        const char *k = n->keys[i]->text;
        const scn_node *v = n->vals[i];
        if (!strcmp(k, "value")) {
            r->kind = PL_REF_VALUE;
            kinds++;
            st = number(v, "value", -1e15, 1e15, &r->value, err);
        } else if (!strcmp(k, "objective") || !strcmp(k, "limit")) {
            r->kind = !strcmp(k, "limit") ? PL_REF_LIMIT : PL_REF_OBJECTIVE;
            kinds++;
            st = text(v, k, r->what, sizeof r->what, err);
        } else if (!strcmp(k, "label")) {
            st = text(v, "label", r->label, sizeof r->label, err);
        } else if (!strcmp(k, "unit")) {
            st = text(v, "unit", r->unit, sizeof r->unit, err);
        } else if (!strcmp(k, "colour")) {
            st = colour(v, &r->colour, err);
            if (r->colour < 0)
                r->colour = PL_BLACK;
        }
    }
    if (st == BASE_OK && kinds != 1)
        return bad(n, err, "a reference line takes one of `value`, `objective` or `limit`%s%s", "",
                   "");
    return st;
}

static int panel_def(const scn_node *n, pl_pdef *p, base_err *err)
{
    static const char *const keys[] = {"axis",     "right_axis", "series", "lines",
                                       "optional", "empty",      "weight"};
    int st = known_keys(n, "a panel", keys, 7, err);
    if (st != BASE_OK)
        return st;
    memset(p, 0, sizeof *p);
    p->weight = 1;
    for (size_t i = 0; st == BASE_OK && i < n->n; i++) {
        const char *k = n->keys[i]->text;
        const scn_node *v = n->vals[i];
        if (!strcmp(k, "axis")) {
            st = axis_def(v, "a panel's `axis`", &p->left, err);
        } else if (!strcmp(k, "right_axis")) {
            p->has_right = 1;
            st = axis_def(v, "a panel's `right_axis`", &p->right, err);
        } else if (!strcmp(k, "series") || !strcmp(k, "lines")) {
            int ser = !strcmp(k, "series");
            if (v->kind != SCN_SEQ)
                return bad(v, err, "`%s` is a list%s", k, "");
            size_t max = ser ? PL_MAX_SERIES : PL_MAX_REFS;
            if (v->n > max) {
                char m[16];
                snprintf(m, sizeof m, "%zu", max);
                return bad(v->vals[max], err, "a panel takes at most %s %s", m,
                           ser ? "series" : "reference lines");
            }
            for (size_t j = 0; st == BASE_OK && j < v->n; j++)
                st = ser ? series_def(v->vals[j], &p->series[j], err)
                         : ref_def(v->vals[j], &p->refs[j], err);
            if (ser)
                p->nseries = v->n;
            else
                p->nrefs = v->n;
        } else if (!strcmp(k, "optional")) {
            st = flag(v, "optional", &p->optional, err);
        } else if (!strcmp(k, "empty")) {
            st = text(v, "empty", p->empty, sizeof p->empty, err);
        } else if (!strcmp(k, "weight")) {
            st = number(v, "weight", 0.1, 10, &p->weight, err);
        }
    }
    if (st == BASE_OK && p->nseries == 0)
        return bad(n, err, "a panel needs `series` (at least one)%s%s", "", "");
    for (size_t i = 0; st == BASE_OK && i < p->nseries; i++)
        if (p->series[i].right && !p->has_right)
            return bad(n, err,
                       "series '%s' is on the right axis, and the panel has no `right_axis`%s",
                       p->series[i].column, "");
    return st;
}

/* ---------------------------------------------------------------- a file */

static int chart_def(const scn_node *root, const char *path, pl_chartdef *d, base_err *err)
{
    static const char *const keys[] = {"name",   "title",      "subtitle", "describe", "document",
                                       "kind",   "order",      "requires", "markers",  "zoom",
                                       "panels", "pack_empty", "scale"};
    enum { NK = sizeof keys / sizeof keys[0] };
    int st = known_keys(root, "a chart file", keys, NK, err);
    if (st != BASE_OK)
        return st;
    memset(d, 0, sizeof *d);
    snprintf(d->file, sizeof d->file, "%s", path);
    d->doc = PLOT_DOC_REPORT;
    d->order = 100;
    static const char *const docs[] = {"report", "compare", "plan"};
    static const char *const kinds[] = {"time", "cost", "variants", "crossover", "pareto"};
    static const char *const needs[] = {"series", "database", "cost", "sweep"};
    static const char *const scales[] = {"linear", "log"};
    const scn_node *panels = NULL;
    for (size_t i = 0; st == BASE_OK && i < root->n; i++) {
        const char *k = root->keys[i]->text;
        const scn_node *v = root->vals[i];
        int w;
        double x;
        if (!strcmp(k, "name"))
            st = text(v, "name", d->name, sizeof d->name, err);
        else if (!strcmp(k, "title"))
            st = text(v, "title", d->title, sizeof d->title, err);
        else if (!strcmp(k, "subtitle"))
            st = text(v, "subtitle", d->subtitle, sizeof d->subtitle, err);
        else if (!strcmp(k, "describe"))
            st = text(v, "describe", d->describe, sizeof d->describe, err);
        else if (!strcmp(k, "pack_empty"))
            st = text(v, "pack_empty", d->pack_empty, sizeof d->pack_empty, err);
        else if (!strcmp(k, "document") && (st = word(v, k, docs, 3, &w, err)) == BASE_OK)
            d->doc = w == 2 ? PLOT_DOC_PLAN : w ? PLOT_DOC_COMPARE : PLOT_DOC_REPORT;
        else if (!strcmp(k, "kind") && (st = word(v, k, kinds, 5, &w, err)) == BASE_OK)
            d->kind = (pl_kind)w;
        else if (!strcmp(k, "scale"))
            st = word(v, k, scales, 2, &d->log, err);
        else if (!strcmp(k, "order") && (st = number(v, k, 0, 1e6, &x, err)) == BASE_OK)
            d->order = (int)x;
        else if (!strcmp(k, "zoom") && (st = number(v, k, 0, 3, &x, err)) == BASE_OK)
            d->zoom = (int)x;
        else if (!strcmp(k, "markers"))
            st = flag(v, k, &d->markers, err);
        else if (!strcmp(k, "panels"))
            panels = v;
        else if (!strcmp(k, "requires")) {
            if (v->kind != SCN_SEQ)
                return bad(v, err, "`requires` is a list (of %s)", "series, database, cost, sweep",
                           "");
            for (size_t j = 0; st == BASE_OK && j < v->n; j++)
                if ((st = word(v->vals[j], k, needs, 4, &w, err)) == BASE_OK)
            d->requires |= 1 << w;
        }
    }
    if (st != BASE_OK)
        return st;
    if (!d->name[0])
        return bad(root, err, "a chart file needs a `name` (the chart's file name, NAME.png)%s%s",
                   "", "");
    for (const char *c = d->name; *c; c++)
        if (!(*c >= 'a' && *c <= 'z') && !(*c >= '0' && *c <= '9') && *c != '-' && *c != '_')
            return bad(scn_map_get(root, "name"), err,
                       "`name: %s` names a file: lower-case letters, digits, '-' and '_' only%s",
                       d->name, "");
    if (!d->title[0])
        snprintf(d->title, sizeof d->title, "%s", d->name);
    if (d->kind == PL_KIND_TIME) {
        if (!panels)
            return bad(root, err, "a `kind: time` chart needs `panels` (at least one)%s%s", "", "");
        d->requires |= PL_NEEDS_SERIES;
    }
    if (d->kind == PL_KIND_COST)
    d->requires |= PL_NEEDS_COST;
    if (d->kind == PL_KIND_CROSSOVER)
    d->requires |= PL_NEEDS_SWEEP;
    if ((d->kind == PL_KIND_PARETO) != (d->doc == PLOT_DOC_PLAN))
        return bad(scn_map_get(root, "kind") ? scn_map_get(root, "kind") : root, err,
                   "`kind: pareto` is the one kind drawn from a plan (document: plan)%s%s", "", "");
    if (d->doc != PLOT_DOC_PLAN && (d->kind == PL_KIND_VARIANTS || d->kind == PL_KIND_CROSSOVER) !=
                                       (d->doc == PLOT_DOC_COMPARE))
        return bad(scn_map_get(root, "kind") ? scn_map_get(root, "kind") : root, err,
                   "`kind: %s` is drawn from a %s", kinds[d->kind],
                   d->doc == PLOT_DOC_COMPARE ? "report (document: report)"
                                              : "comparison (document: compare)");
    if (panels) {
        if (d->kind != PL_KIND_TIME)
            return bad(panels, err, "`panels` belong to a `kind: time` chart%s%s", "", "");
        if (panels->kind != SCN_SEQ || panels->n == 0)
            return bad(panels, err, "`panels` is a list of at least one panel%s%s", "", "");
        if (panels->n > PL_MAX_PANELS)
            return bad(panels->vals[PL_MAX_PANELS], err, "a chart takes at most %s panels%s", "4",
                       "");
        for (size_t j = 0; st == BASE_OK && j < panels->n; j++)
            st = panel_def(panels->vals[j], &d->panels[j], err);
        d->npanels = panels->n;
    }
    return st;
}

int pl_chartfile_load(plot_set *set, const char *path, base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st != BASE_OK)
        return st;
    pl_chartdef *d = malloc(sizeof *d);
    if (!d) {
        scn_doc_free(doc);
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    }
    st = chart_def(scn_doc_root(doc), path, d, err);
    scn_doc_free(doc);
    if (st == BASE_OK) {
        size_t i = 0;
        while (i < set->n && strcmp(set->defs[i].name, d->name) != 0)
            i++;
        if (i == set->n) {
            pl_chartdef *grown = base_grow(set->defs, &set->cap, set->n + 1, sizeof *grown, 16);
            if (!grown)
                st = base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
            else
                set->defs = grown;
        }
        if (st == BASE_OK) {
            set->defs[i] = *d;
            if (i == set->n)
                set->n++;
        }
    }
    free(d);
    return st;
}

/* ---------------------------------------------------------------- the set */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_def(const void *a, const void *b)
{
    const pl_chartdef *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int load_dir(plot_set *set, const char *dir, base_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return BASE_OK; /* no such folder: nothing to add */
    char **names = NULL;
    size_t n = 0, cap = 0;
    int st = BASE_OK;
    struct dirent *e;
    while (st == BASE_OK && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0 || e->d_name[0] == '.')
            continue;
        char **g = base_grow(names, &cap, n + 1, sizeof *g, 16);
        if (!g) {
            st = base_err_set(err, BASE_ENOMEM, dir, 0, 0, "out of memory");
            break;
        }
        names = g;
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n]) {
            st = base_err_set(err, BASE_ENOMEM, dir, 0, 0, "out of memory");
            break;
        }
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (st == BASE_OK)
        qsort(names, n, sizeof *names, cmp_name); /* readdir's order is the file system's */
    for (size_t i = 0; st == BASE_OK && i < n; i++)
        st = pl_chartfile_load(set, names[i], err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

int plot_set_load(const char *const *dirs, size_t ndirs, const char *const *files, size_t nfiles,
                  plot_set **out, base_err *err)
{
    *out = NULL;
    plot_set *set = calloc(1, sizeof *set);
    if (!set)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = BASE_OK;
    for (size_t i = 0; st == BASE_OK && i < ndirs; i++)
        if (dirs[i])
            st = load_dir(set, dirs[i], err);
    for (size_t i = 0; st == BASE_OK && i < nfiles; i++)
        st = pl_chartfile_load(set, files[i], err);
    if (st == BASE_OK && set->n == 0)
        st = base_err_set(err, BASE_EINPUT, ndirs && dirs[0] ? dirs[0] : NULL, 0, 0,
                          "no chart files (plots/*.yaml) found; docs/charts.md says where they "
                          "are looked for");
    if (st != BASE_OK) {
        plot_set_free(set);
        return st;
    }
    qsort(set->defs, set->n, sizeof *set->defs, cmp_def);
    *out = set;
    return BASE_OK;
}

void plot_set_free(plot_set *set)
{
    if (!set)
        return;
    plot_set_bind(set, NULL); /* its parsed series */
    free(set->defs);
    free(set);
}
