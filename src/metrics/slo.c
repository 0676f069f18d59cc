/*
 * slo.c — objectives in the form teams already write for k6 (k6 docs, "Thresholds":
 * `'p(95)<200'`), with explicit units as everywhere in a scenario: `p(99) < 300ms`,
 * `error_rate < 0.1%`, `monthly_cost < $5000`. See metrics.h for the metrics.
 */
#include "metrics/metrics.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[SLO_NMETRICS] = {
    [SLO_P] = "p",
    [SLO_P_ALL] = "p_all",
    [SLO_ERROR_RATE] = "error_rate",
    [SLO_THROUGHPUT] = "throughput",
    [SLO_MONTHLY_COST] = "monthly_cost",
    [SLO_COST_PER_MILLION] = "cost_per_million",
    [SLO_RTO] = "rto",
    [SLO_RPO] = "rpo",
    [SLO_RTO_LATENCY] = "rto_latency",
};

static const char *skip(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A non-negative decimal number; *end past it. -1 when there is none. */
static double number(const char *p, const char **end)
{
    const char *q = p;
    while (isdigit((unsigned char)*q) || *q == '.' || *q == ',')
        q++;
    if (q == p)
        return -1;
    char buf[64];
    size_t n = 0;
    for (const char *c = p; c < q && n + 1 < sizeof buf; c++)
        if (*c != ',')
            buf[n++] = *c;
    buf[n] = '\0';
    char *e;
    double v = strtod(buf, &e);
    if (*e != '\0' || !isfinite(v))
        return -1;
    *end = q;
    return v;
}

/* A duration's value in `unit_s` seconds per unit of the result (ms: 1e-3). */
static int duration(const char *p, double *out_s, const char **end)
{
    double v = number(p, &p);
    if (v < 0)
        return -1;
    static const struct {
        const char *u;
        double s;
    } units[] = {{"ns", 1e-9}, {"ms", 1e-3}, {"us", 1e-6}, {"min", 60},
                 {"s", 1},     {"m", 60},    {"h", 3600}}; /* the scenario's durations' units */
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t l = strlen(units[i].u);
        if (!strncmp(p, units[i].u, l)) {
            *out_s = v * units[i].s;
            *end = p + l;
            return 0;
        }
    }
    /* a word after the number is a unit this does not know, not a missing one */
    return (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ? -3 : -2;
}

/* The metric at *p, and a percentile's (N) after p or p_all; *p past them. */
static int parse_metric(const char *text, const char **pp, slo *o, base_err *err)
{
    const char *p = *pp;
    int found = -1;
    size_t best = 0;
    for (size_t i = 0; i < SLO_NMETRICS; i++) {
        size_t l = strlen(names[i]);
        if (!strncmp(p, names[i], l) && l > best) {
            /* "p" is a prefix of "p_all": take the longest name that matches */
            found = (int)i;
            best = l;
        }
    }
    if (found < 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "objective '%s': expected a metric (p(N), p_all(N), error_rate, "
                            "throughput, monthly_cost, cost_per_million, rto, rto_latency, rpo)",
                            text);
    o->metric = (slo_metric)found;
    p += best;
    if (o->metric == SLO_P || o->metric == SLO_P_ALL) {
        if (*p != '(')
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "objective '%s': a percentile is written p(99) or p(99.9)", text);
        double q = number(p + 1, &p);
        if (q < 0 || q > 100 || *p != ')')
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "objective '%s': the percentile must be a number from 0 to 100",
                                text);
        o->percentile = q;
        p++;
    }
    *pp = p;
    return BASE_OK;
}

/* The comparison at *p (blanks first); *p past it. */
static int parse_op(const char *text, const char **pp, slo *o, base_err *err)
{
    const char *p = skip(*pp);
    if (p[0] == '<' && p[1] == '=')
        o->op = SLO_LE, p += 2;
    else if (p[0] == '>' && p[1] == '=')
        o->op = SLO_GE, p += 2;
    else if (p[0] == '<')
        o->op = SLO_LT, p += 1;
    else if (p[0] == '>')
        o->op = SLO_GT, p += 1;
    else
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "objective '%s': expected a comparison (<, <=, >, >=) after the "
                            "metric",
                            text);
    *pp = p;
    return BASE_OK;
}

/* A duration objective's value: ms for the percentiles, s for rto, rpo and rto_latency. */
static int parse_duration_value(const char *text, const char *p, const slo *o, double *v,
                                const char **e, base_err *err)
{
    double secs;
    int rc = duration(p, &secs, e);
    if (rc == -2)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "objective '%s': the value needs a unit (300ms, 2s, 30m)", text);
    if (rc == -3)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "objective '%s': unknown unit of time (ns, us, ms, s, m, min, h)",
                            text);
    if (rc < 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "objective '%s': expected a duration such as 300ms", text);
    *v = (o->metric == SLO_P || o->metric == SLO_P_ALL) ? secs * 1e3 : secs;
    return BASE_OK;
}

/* The value at p in the metric's unit, into *v; *e past it. */
static int parse_value(const char *text, const char *p, const slo *o, double *v, const char **e,
                       base_err *err)
{
    *e = p;
    switch (o->metric) {
    case SLO_P:
    case SLO_P_ALL:
    case SLO_RTO:
    case SLO_RPO:
    case SLO_RTO_LATENCY: return parse_duration_value(text, p, o, v, e, err);
    case SLO_ERROR_RATE:
        *v = number(p, e);
        if (*v < 0 || **e != '%')
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "objective '%s': an error rate is a percentage such as 0.1%%",
                                text);
        (*e)++;
        return BASE_OK;
    case SLO_THROUGHPUT:
        *v = number(p, e);
        if (*v < 0 || strncmp(*e, "/s", 2) != 0)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "objective '%s': a throughput is a rate such as 100/s", text);
        *e += 2;
        return BASE_OK;
    default:
        if (*p == '$')
            p++;
        *v = number(p, e);
        if (*v < 0)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "objective '%s': expected an amount in US dollars such as $5000",
                                text);
        return BASE_OK;
    }
}

int slo_parse(const char *text, slo *o, base_err *err)
{
    memset(o, 0, sizeof *o);
    snprintf(o->text, sizeof o->text, "%s", text);
    const char *p = skip(text);
    int st = parse_metric(text, &p, o, err);
    if (st == BASE_OK)
        st = parse_op(text, &p, o, err);
    if (st != BASE_OK)
        return st;
    double v;
    const char *e;
    if ((st = parse_value(text, skip(p), o, &v, &e, err)) != BASE_OK)
        return st;
    e = skip(e);
    if (*e)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "objective '%s': unexpected '%s' at the end", text, e);
    o->value = v;
    return BASE_OK;
}

int slo_met(const slo *o, double x)
{
    switch (o->op) {
    case SLO_LT: return x < o->value;
    case SLO_LE: return x <= o->value;
    case SLO_GT: return x > o->value;
    case SLO_GE: return x >= o->value;
    }
    return 0;
}

const char *slo_metric_name(const slo *o, char *buf, size_t len)
{
    if (o->metric == SLO_P || o->metric == SLO_P_ALL)
        snprintf(buf, len, "%s(%g)", names[o->metric], o->percentile);
    else
        snprintf(buf, len, "%s", names[o->metric]);
    return buf;
}

const char *slo_unit(const slo *o)
{
    switch (o->metric) {
    case SLO_P:
    case SLO_P_ALL: return "ms";
    case SLO_ERROR_RATE: return "%";
    case SLO_THROUGHPUT: return "req/s";
    case SLO_MONTHLY_COST:
    case SLO_COST_PER_MILLION: return "USD";
    case SLO_RTO:
    case SLO_RPO:
    case SLO_RTO_LATENCY: return "s";
    default: return "";
    }
}
