/*
 * bind.c — binds YAML nodes into typed structs through the key tables of bind.h: one binder per
 * value type, each strict about its unit and range and precise about where a problem is, and the
 * walk over a section that rejects unknown keys (with the nearest known one), fills defaults by
 * parsing their text like user input, and names missing keys at their section.
 */
#include "io/bind.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- errors */

int scn__at(bctx *c, const scn_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int scn__at(bctx *c, const scn_node *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->path[0])
        return base_err_set(c->err, BASE_EINPUT, n ? n->file : NULL, n ? n->line : 0,
                            n ? n->col : 0, "%s: %s", c->path, msg);
    return base_err_set(c->err, BASE_EINPUT, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0,
                        "%s", msg);
}

const char *scn__kind_word(const scn_node *n)
{
    switch (n->kind) {
    case SCN_MAP: return "a mapping";
    case SCN_SEQ: return "a list";
    default: return n->text[0] ? "a value" : "an empty value";
    }
}

int scn__need_scalar(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SCALAR)
        return scn__at(c, n, "expected %s (%s), found %s", k->type, k->range ? k->range : "a value",
                       scn__kind_word(n));
    if (!n->text[0])
        return scn__at(c, n, "missing value (expected %s)", k->type);
    return BASE_OK;
}

/* Re-reports a unit parser's message (which quotes the value) at the node, with the key's
 * path. */
int scn__unit_error(bctx *c, const scn_node *n, base_err *e)
{
    return scn__at(c, n, "%s", e->msg);
}

int scn__check_range(const key *k, const scn_node *n, bctx *c, double v)
{
    if (k->min <= k->max && (v < k->min || v > k->max))
        return scn__at(c, n, "'%s' is out of range (%s)", n->text, k->range);
    return BASE_OK;
}

/* ---------------------------------------------------------------- scalar types */

int scn__bind_string(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SCALAR)
        return scn__at(c, n, "expected a string, found %s", scn__kind_word(n));
    if (!n->text[0] && !strcmp(k->name, "name"))
        return scn__at(c, n, "must not be empty (leave the key out to use the file's name)");
    if (strlen(n->text) >= k->size)
        return scn__at(c, n, "too long (at most %zu characters)", k->size - 1);
    snprintf(FIELD(c, k, char), k->size, "%s", n->text);
    return BASE_OK;
}

int scn__bind_bool(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    if (n->plain && strcmp(n->text, "true") == 0)
        *FIELD(c, k, bool) = true;
    else if (n->plain && strcmp(n->text, "false") == 0)
        *FIELD(c, k, bool) = false;
    else if (!strcmp(n->text, "true") || !strcmp(n->text, "false"))
        return scn__at(c, n, "expected true or false, found the string \"%s\" (remove the quotes)",
                       n->text);
    else
        return scn__at(c, n, "expected true or false, found '%s'", n->text);
    return BASE_OK;
}

int scn__bind_int(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    double v;
    base_err e;
    if (scn_parse_count(n->text, &v, &e) != BASE_OK)
        return scn__unit_error(c, n, &e);
    if (v != floor(v))
        return scn__at(c, n, "expected a whole number, found '%s'", n->text);
    if ((st = scn__check_range(k, n, c, v)))
        return st;
    if (v > 2147483647.0)
        return scn__at(c, n, "'%s' is too large", n->text);
    *FIELD(c, k, int) = (int)v;
    return BASE_OK;
}

int scn__bind_seed(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    const char *p = n->text;
    uint64_t v = 0;
    if (!*p)
        return scn__at(c, n, "expected a whole number");
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return scn__at(c, n,
                           "expected a whole number from 0 to 18446744073709551615, found '%s'",
                           n->text);
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return scn__at(c, n, "'%s' is too large (at most 18446744073709551615)", n->text);
        v = v * 10 + d;
    }
    *FIELD(c, k, uint64_t) = v;
    return BASE_OK;
}

/* A scalar in a unit that parse turns into a double (a count, a fraction), checked against the
 * key's range. */
static int bind_f64_unit(const key *k, const scn_node *n, bctx *c,
                         int (*parse)(const char *, double *, base_err *))
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    double v;
    base_err e;
    if (parse(n->text, &v, &e) != BASE_OK)
        return scn__unit_error(c, n, &e);
    if ((st = scn__check_range(k, n, c, v)))
        return st;
    *FIELD(c, k, double) = v;
    return BASE_OK;
}

/* A scalar in a unit that parse turns into a whole int64 (millicores, bytes, micro-USD),
 * checked against the key's range. */
static int bind_i64_unit(const key *k, const scn_node *n, bctx *c,
                         int (*parse)(const char *, int64_t *, base_err *))
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    int64_t v;
    base_err e;
    if (parse(n->text, &v, &e) != BASE_OK)
        return scn__unit_error(c, n, &e);
    if ((st = scn__check_range(k, n, c, (double)v)))
        return st;
    *FIELD(c, k, int64_t) = v;
    return BASE_OK;
}

int scn__bind_count(const key *k, const scn_node *n, bctx *c)
{
    return bind_f64_unit(k, n, c, scn_parse_count);
}

/* A count that must be whole (a number of requests). */
int scn__bind_whole(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_count(k, n, c);
    if (st == BASE_OK && *FIELD(c, k, double) != floor(*FIELD(c, k, double)))
        return scn__at(c, n, "expected a whole number, found '%s'", n->text);
    return st;
}

int scn__bind_percent(const key *k, const scn_node *n, bctx *c)
{
    return bind_f64_unit(k, n, c, scn_parse_percent);
}

/* sim_time is an int64 of nanoseconds */
int scn__bind_duration(const key *k, const scn_node *n, bctx *c)
{
    return bind_i64_unit(k, n, c, scn_parse_duration);
}

int scn__bind_enum(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    size_t nc = 0;
    while (k->choices[nc])
        nc++;
    for (size_t i = 0; i < nc; i++) {
        if (strcmp(n->text, k->choices[i]) == 0) {
            *FIELD(c, k, int) = (int)i;
            return BASE_OK;
        }
    }
    const char *near = scn_suggest(n->text, k->choices, nc);
    if (near)
        return scn__at(c, n, "unknown value '%s' (did you mean '%s'?)", n->text, near);
    if (k->range)
        return scn__at(c, n, "unknown value '%s' (expected %s)", n->text, k->range);
    /* the choices themselves, when the key names no range: "steady or daily" */
    char list[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < nc && len < sizeof list; i++) {
        const char *sep = i == 0 ? "" : i + 1 == nc ? " or " : ", ";
        int w = snprintf(list + len, sizeof list - len, "%s%s", sep, k->choices[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    return scn__at(c, n, "unknown value '%s' (expected %s)", n->text, list);
}

/* ---------------------------------------------------------------- distributions */

static const char *const dist_keys[] = {"dist", "mean", "p99", "cv", "min", "mode", "max"};
#define NDIST_KEYS (sizeof dist_keys / sizeof dist_keys[0])

/* Which parameters each kind takes, as a bit set over dist_keys[1..]. */
static unsigned dist_params(sim_dist_kind kind)
{
    switch (kind) {
    case SIM_DIST_DETERMINISTIC:
    case SIM_DIST_EXPONENTIAL: return 1u << 1;
    case SIM_DIST_LOGNORMAL: return 1u << 1 | 1u << 2;
    case SIM_DIST_GAMMA: return 1u << 1 | 1u << 3;
    case SIM_DIST_UNIFORM: return 1u << 4 | 1u << 6;
    case SIM_DIST_TRIANGULAR: return 1u << 4 | 1u << 5 | 1u << 6;
    }
    return 0;
}

static void param_list(sim_dist_kind kind, char *buf, size_t len)
{
    buf[0] = '\0';
    unsigned p = dist_params(kind);
    for (unsigned i = 1; i < NDIST_KEYS; i++) {
        if (p & (1u << i)) {
            size_t l = strlen(buf);
            snprintf(buf + l, len - l, "%s%s", l ? ", " : "", dist_keys[i]);
        }
    }
}

int scn__bind_dist(const key *k, const scn_node *n, bctx *c)
{
    sim_dist_spec spec;
    memset(&spec, 0, sizeof spec);
    base_err e;
    if (n->kind == SCN_SCALAR) {
        /* a bare duration is a constant */
        int64_t v;
        if (!n->text[0])
            return scn__at(c, n, "missing value (expected a duration or a distribution)");
        if (scn_parse_duration(n->text, &v, &e) != BASE_OK)
            return scn__at(c, n,
                           "'%s': %s; or give a distribution such as {dist: exponential, "
                           "mean: 50ms}",
                           n->text, e.msg);
        spec.kind = SIM_DIST_DETERMINISTIC;
        spec.mean = sim_to_sec(v);
    } else if (n->kind != SCN_MAP) {
        return scn__at(c, n,
                       "expected a distribution such as {dist: lognormal, mean: 40ms, p99: "
                       "250ms}, found %s",
                       scn__kind_word(n));
    } else {
        const scn_node *dn = scn_map_get(n, "dist");
        if (!dn)
            return scn__at(c, n,
                           "missing key 'dist' (one of deterministic, exponential, lognormal, "
                           "gamma, uniform, triangular)");
        if (dn->kind != SCN_SCALAR)
            return scn__at(c, dn, "'dist' must be a name, found %s", scn__kind_word(dn));
        int kind = sim_dist_kind_parse(dn->text);
        if (kind < 0) {
            static const char *const names[] = {"deterministic", "exponential", "lognormal",
                                                "gamma",         "uniform",     "triangular"};
            const char *near = scn_suggest(dn->text, names, 6);
            return scn__at(c, dn, "unknown distribution '%s'%s%s%s", dn->text,
                           near ? " (did you mean '"
                                : " (expected deterministic, exponential, "
                                  "lognormal, gamma, uniform or triangular",
                           near ? near : "", near ? "'?)" : ")");
        }
        spec.kind = (sim_dist_kind)kind;
        unsigned allowed = dist_params(spec.kind);
        char plist[64];
        param_list(spec.kind, plist, sizeof plist);
        for (size_t i = 0; i < n->n; i++) {
            const scn_node *kn = n->keys[i], *vn = n->vals[i];
            size_t j;
            for (j = 0; j < NDIST_KEYS; j++)
                if (strcmp(kn->text, dist_keys[j]) == 0)
                    break;
            if (j == NDIST_KEYS) {
                const char *near = scn_suggest(kn->text, dist_keys, NDIST_KEYS);
                if (near)
                    return scn__at(c, kn, "unknown key '%s' (did you mean '%s'?)", kn->text, near);
                return scn__at(c, kn, "unknown key '%s' (a %s takes %s)", kn->text, dn->text,
                               plist);
            }
            if (j == 0)
                continue;
            if (!(allowed & (1u << j)))
                return scn__at(c, kn, "'%s' does not apply to a %s distribution (it takes %s)",
                               kn->text, dn->text, plist);
            if (vn->kind != SCN_SCALAR || !vn->text[0])
                return scn__at(c, vn, "'%s' needs a value", kn->text);
            if (j == 3) { /* cv: a plain number */
                if (scn_parse_count(vn->text, &spec.cv, &e) != BASE_OK)
                    return scn__at(c, vn, "cv: %s", e.msg);
                continue;
            }
            int64_t v;
            if (scn_parse_duration(vn->text, &v, &e) != BASE_OK)
                return scn__at(c, vn, "%s: %s", kn->text, e.msg);
            double s = sim_to_sec(v);
            switch (j) {
            case 1: spec.mean = s; break;
            case 2: spec.p99 = s; break;
            case 4: spec.min = s; break;
            case 5: spec.mode = s; break;
            default: spec.max = s; break;
            }
        }
        for (unsigned j = 1; j < NDIST_KEYS; j++)
            if ((allowed & (1u << j)) && !scn_map_get(n, dist_keys[j]))
                return scn__at(c, n, "a %s distribution needs %s (missing '%s')", dn->text, plist,
                               dist_keys[j]);
    }
    if (sim_dist_make(FIELD(c, k, sim_dist), &spec, &e) != BASE_OK) {
        /* say it in the user's own words, at the parameter that has to change */
        const scn_node *p99 = n->kind == SCN_MAP ? scn_map_get(n, "p99") : NULL;
        const scn_node *mean = n->kind == SCN_MAP ? scn_map_get(n, "mean") : NULL;
        if (spec.kind == SIM_DIST_LOGNORMAL && p99 && mean && spec.p99 <= spec.mean)
            return scn__at(c, p99, "a lognormal's p99 (%s) must be above its mean (%s)", p99->text,
                           mean->text);
        return scn__at(c, p99 && spec.kind == SIM_DIST_LOGNORMAL ? p99 : n, "%s", e.msg);
    }
    return BASE_OK;
}

/* ---------------------------------------------------------------- sections and lists */

int scn__bind_sub(const key *k, const scn_node *n, bctx *c)
{
    return scn__bind_section_node(k->sub, n, n, c);
}

/* ---------------------------------------------------------------- Kubernetes and money units */

int scn__bind_cpu(const key *k, const scn_node *n, bctx *c)
{
    return bind_i64_unit(k, n, c, scn_parse_cpu);
}

int scn__bind_memory(const key *k, const scn_node *n, bctx *c)
{
    return bind_i64_unit(k, n, c, scn_parse_memory);
}

int scn__bind_money(const key *k, const scn_node *n, bctx *c)
{
    return bind_i64_unit(k, n, c, scn_parse_money);
}

/* A percentage that must be a whole number of percent (HPA averageUtilization is an int32). */
int scn__bind_int_percent(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    double v;
    base_err e;
    if (scn_parse_percent(n->text, &v, &e) != BASE_OK)
        return scn__unit_error(c, n, &e);
    double pct = v * 100;
    if (fabs(pct - round(pct)) > 1e-9)
        return scn__at(c, n, "'%s' must be a whole number of percent (the API field is an integer)",
                       n->text);
    if ((st = scn__check_range(k, n, c, v)))
        return st;
    *FIELD(c, k, int) = (int)round(pct);
    return BASE_OK;
}

/* The share of nodes interrupted in a month (the Spot Instance Advisor's "frequency of
 * interruption"), stored as a constant hazard per node-hour: P(interrupted within a 730-hour
 * month) = p  =>  λ = −ln(1 − p) / 730 h (reference/behaviour.md §4: 5% ≈ 7e-5 per node-hour). */
int scn__bind_monthly_share(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_percent(k, n, c);
    if (st)
        return st;
    double p = *FIELD(c, k, double);
    *FIELD(c, k, double) = -log1p(-p) / 730.0;
    return BASE_OK;
}

const char *const scn__arch_names[] = {"amd64", "arm64", NULL};

/* One architecture or `any` -> a mask of MDL_ARCH_*. */
int scn__bind_arch_selector(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__need_scalar(k, n, c);
    if (st)
        return st;
    if (!strcmp(n->text, "any"))
        *FIELD(c, k, int) = MDL_ARCH_AMD64 | MDL_ARCH_ARM64;
    else if (!strcmp(n->text, "amd64"))
        *FIELD(c, k, int) = MDL_ARCH_AMD64;
    else if (!strcmp(n->text, "arm64"))
        *FIELD(c, k, int) = MDL_ARCH_ARM64;
    else
        return scn__at(c, n, "unknown architecture '%s' (expected arm64, amd64 or any)", n->text);
    return BASE_OK;
}

/* A list of names, each one of `choices`, into a bit mask (bit i for choices[i]). */
int scn__bind_mask(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list such as [%s], found %s", k->range, scn__kind_word(n));
    if (n->n == 0)
        return scn__at(c, n, "needs at least one of %s", k->range);
    int mask = 0;
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *v = n->vals[i];
        size_t j;
        if (v->kind != SCN_SCALAR)
            return scn__at(c, v, "expected a name, found %s", scn__kind_word(v));
        for (j = 0; k->choices[j]; j++)
            if (!strcmp(v->text, k->choices[j]))
                break;
        if (!k->choices[j])
            return scn__at(c, v, "unknown value '%s' (expected %s)", v->text, k->range);
        if (mask & (1 << j))
            return scn__at(c, v, "'%s' is listed twice", v->text);
        mask |= 1 << j;
    }
    *FIELD(c, k, int) = mask;
    return BASE_OK;
}

/* A list of short names (instance families) into char[MDL_MAX_FAMILIES][12]. */
int scn__bind_families(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list of instance families such as [m7g, c7g], found %s",
                       scn__kind_word(n));
    if (n->n == 0 || n->n > MDL_MAX_FAMILIES)
        return scn__at(c, n, "needs 1 to %d instance families", MDL_MAX_FAMILIES);
    char(*fam)[12] = (char(*)[12])FIELD(c, k, char);
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *v = n->vals[i];
        if (v->kind != SCN_SCALAR || !v->text[0] || strlen(v->text) >= 12)
            return scn__at(c, v, "expected an instance family name (at most 11 characters)");
        snprintf(fam[i], 12, "%s", v->text);
    }
    *(size_t *)(c->base + k->count_off) = n->n;
    return BASE_OK;
}

int scn__bind_element(const section *sec, char *elem, const scn_node *n, const scn_node *near,
                      char *restore, size_t saved, bctx *c)
{
    c->base = elem;
    const scn_node *outer = c->keynode;
    c->keynode = near;
    int st = scn__bind_section_node(sec, n, near, c);
    c->keynode = outer;
    c->base = restore;
    scn__path_pop(c, saved);
    return st;
}

/* A list of sections: each element binds with k->sub, its offsets relative to the element. */
int scn__bind_list(const key *k, const scn_node *n, bctx *c)
{
    if (n->kind != SCN_SEQ)
        return scn__at(c, n, "expected a list, found %s", scn__kind_word(n));
    if ((double)n->n > k->max)
        return scn__at(c, n, "too many entries (%zu; at most %.0f)", n->n, k->max);
    char *saved_base = c->base;
    char *array = c->base + k->off;
    for (size_t i = 0; i < n->n; i++) {
        size_t saved = strlen(c->path);
        snprintf(c->path + saved, sizeof c->path - saved, "[%zu]", i);
        memset(array + i * k->size, 0, k->size);
        int st = scn__bind_element(k->sub, array + i * k->size, n->vals[i], n->vals[i], saved_base,
                                   saved, c);
        if (st)
            return st;
    }
    *(size_t *)(c->base + k->count_off) = n->n;
    return BASE_OK;
}

/* ---------------------------------------------------------------- binding */

void scn__path_push(bctx *c, const char *name, size_t *saved)
{
    *saved = strlen(c->path);
    size_t l = *saved;
    snprintf(c->path + l, sizeof c->path - l, "%s%s", l ? "." : "", name);
}

void scn__path_pop(bctx *c, size_t saved)
{
    c->path[saved] = '\0';
}

/* Every key of map `n` must be in the section. */
int scn__check_known(const section *sec, const scn_node *n, bctx *c)
{
    const char *names[64];
    size_t nn = sec->nkeys < 64 ? sec->nkeys : 64;
    for (size_t i = 0; i < nn; i++)
        names[i] = sec->keys[i].name;
    for (size_t i = 0; i < n->n; i++) {
        const scn_node *kn = n->keys[i];
        size_t j;
        for (j = 0; j < nn; j++)
            if (strcmp(kn->text, names[j]) == 0)
                break;
        if (j < nn)
            continue;
        const char *near = scn_suggest(kn->text, names, nn);
        char saved[256];
        snprintf(saved, sizeof saved, "%s", c->path);
        const char *where = saved[0] ? saved : NULL;
        c->path[0] = '\0';
        int st;
        if (!strcmp(kn->text, "<<"))
            st = scn__at(c, kn,
                         "YAML merge keys ('<<') are not supported: use 'extends: FILE' to "
                         "build on another scenario");
        else if (near)
            st = scn__at(c, kn, "unknown key '%s'%s%s (did you mean '%s'?)", kn->text,
                         where ? " in " : "", where ? where : "", near);
        else
            st = scn__at(c, kn, "unknown key '%s'%s%s", kn->text, where ? " in " : "",
                         where ? where : "");
        snprintf(c->path, sizeof c->path, "%s", saved);
        return st;
    }
    return BASE_OK;
}

/* The value a default stands for, as a node: the default text parsed as YAML. */
int scn__bind_default(const key *k, bctx *c)
{
    char text[256];
    snprintf(text, sizeof text, "v: %s", k->def);
    scn_doc *d = NULL;
    base_err e;
    if (scn_doc_parse("(default)", text, strlen(text), &d, &e) != BASE_OK)
        return base_err_set(c->err, BASE_EINTERNAL, NULL, 0, 0, "bad default for %s: %s (a bug)",
                            c->path, e.msg);
    const scn_node *v = scn_map_get(scn_doc_root(d), "v");
    int st = k->bind(k, v, c);
    scn_doc_free(d);
    if (st != BASE_OK)
        c->err->file[0] = '\0'; /* a default is not in the user's file */
    return st;
}

/* Binds section `sec` from map node `n` (NULL: absent: every key takes its default).
 * `near`: the node to point at when a required key is missing. */
int scn__bind_section_node(const section *sec, const scn_node *n, const scn_node *near, bctx *c)
{
    if (n && n->kind != SCN_MAP)
        return scn__at(c, n, "expected a mapping of keys, found %s", scn__kind_word(n));
    if (n) {
        int st = scn__check_known(sec, n, c);
        if (st)
            return st;
    }
    for (size_t i = 0; i < sec->nkeys; i++) {
        const key *k = &sec->keys[i];
        if (!k->bind)
            continue; /* documented here, handled elsewhere (extends) */
        const scn_node *v = n ? scn_map_get(n, k->name) : NULL;
        const scn_node *outer_key = c->keynode;
        if (v)
            for (size_t j = 0; j < n->n; j++)
                if (n->vals[j] == v)
                    c->keynode = n->keys[j];
        size_t saved;
        scn__path_push(c, k->name, &saved);
        int st;
        if (v)
            st = k->bind(k, v, c);
        else if (k->sub && k->bind == scn__bind_sub)
            st = scn__bind_section_node(k->sub, NULL, n ? n : near, c);
        else if (k->def && k->def[0] != '(')
            st = scn__bind_default(k, c);
        else if (k->def)
            st = BASE_OK; /* "(...)": filled in elsewhere, as the default's text says */
        else {
            /* point at the section's own key (`service:`), else at the nearest thing
             * present */
            scn__path_pop(c, saved);
            char where[256];
            snprintf(where, sizeof where, "%s", c->path);
            c->path[0] = '\0';
            const scn_node *pos = outer_key ? outer_key : (n ? n : near);
            if (where[0])
                st = scn__at(c, pos, "missing key '%s' in %s", k->name, where);
            else
                st = scn__at(c, pos, "missing key '%s'", k->name);
            snprintf(c->path, sizeof c->path, "%s", where);
            saved = strlen(c->path);
        }
        scn__path_pop(c, saved);
        c->keynode = outer_key;
        if (st)
            return st;
    }
    return BASE_OK;
}
