/*
 * axis.c — scales, "nice" ticks and the labels people read off them.
 *
 * Ticks fall on 1-2-5 steps (1, 2, 5, 10, 20, ...) because those are the numbers a reader can
 * add in their head; a time axis ticks on round minutes or hours instead. Labels carry their
 * unit where the unit changes along the axis (250 ms, then 1.5 s) and use k/M suffixes so a
 * label stays short (12k, 2M, $1.2k). The same formatting, with a 95% interval, writes the
 * tables of the design-review pack.
 */
#include "plot/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double pl_nice_step(double span, int target)
{
    if (!(span > 0) || !isfinite(span) || target < 1)
        return 1;
    /* the 1-2-5 step nearest the raw one (Heckbert, "Nice numbers for graph labels",
     * Graphics Gems, 1990): rounding up instead would often leave an axis three ticks */
    double raw = span / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    return nice * mag;
}

void pl_axis_linear(pl_axis *a, double lo, double hi, int target, pl_unit unit)
{
    memset(a, 0, sizeof *a);
    a->unit = unit;
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi == lo) {
        /* a flat series: open a range around it so the line sits inside the frame */
        double d = lo == 0 ? 1 : fabs(lo) * 0.5;
        hi = lo + d;
        lo = lo >= 0 && lo - d < 0 ? 0 : lo - d;
    }
    double step = pl_nice_step(hi - lo, target);
    double k0 = floor(lo / step + 1e-9), k1 = ceil(hi / step - 1e-9);
    while (k1 - k0 + 1 > PL_MAX_TICKS) { /* never: target is small; a guard all the same */
        step *= 2;
        k0 = floor(lo / step + 1e-9);
        k1 = ceil(hi / step - 1e-9);
    }
    a->step = step;
    a->lo = k0 * step;
    a->hi = k1 * step;
    for (double k = k0; k <= k1 + 0.5; k++)
        a->ticks[a->nticks++] = k * step;
}

void pl_axis_log(pl_axis *a, double lo, double hi, pl_unit unit)
{
    memset(a, 0, sizeof *a);
    a->unit = unit;
    a->log = 1;
    if (!(lo > 0) || !isfinite(lo))
        lo = 1;
    if (!(hi > lo) || !isfinite(hi))
        hi = lo * 10;
    double d0 = floor(log10(lo) + 1e-9), d1 = ceil(log10(hi) - 1e-9);
    if (d1 <= d0)
        d1 = d0 + 1;
    a->lo = pow(10, d0);
    a->hi = pow(10, d1);
    /* few decades: 1-2-5 in each, so the axis still has something to read; many: decades */
    int mid = d1 - d0 <= 3;
    for (double d = d0; d <= d1 + 0.5 && a->nticks < PL_MAX_TICKS; d++) {
        double p = pow(10, d);
        a->ticks[a->nticks++] = p;
        if (mid && d < d1 - 0.5 && a->nticks + 2 <= PL_MAX_TICKS) {
            a->ticks[a->nticks++] = 2 * p;
            a->ticks[a->nticks++] = 5 * p;
        }
    }
}

void pl_axis_whole(pl_axis *a)
{
    if (a->log) {
        size_t k = 0;
        for (size_t i = 0; i < a->nticks; i++)
            if (a->ticks[i] >= 1 || a->ticks[i] == round(a->ticks[i]))
                a->ticks[k++] = a->ticks[i];
        a->nticks = k;
        return;
    }
    if (a->step >= 1) /* 1-2-5 steps of 1 and more: every tick is already whole */
        return;
    double lo = floor(a->lo + 1e-9), hi = ceil(a->hi - 1e-9);
    if (hi <= lo)
        hi = lo + 1;
    a->step = 1;
    a->lo = lo;
    a->hi = hi;
    a->nticks = 0;
    for (double v = lo; v <= hi + 0.5 && a->nticks < PL_MAX_TICKS; v++)
        a->ticks[a->nticks++] = v;
}

/* Round steps of a clock: seconds, minutes, hours. */
static const double clock_steps[] = {1,     2,     5,     10,    15,     30,    60,   120,
                                     300,   600,   900,   1200,  1800,   3600,  7200, 10800,
                                     14400, 21600, 43200, 86400, 172800, 604800};

void pl_axis_time(pl_axis *a, double end)
{
    memset(a, 0, sizeof *a);
    a->unit = PL_TIME;
    if (!(end > 0) || !isfinite(end))
        end = 60;
    const double *steps = clock_steps;
    size_t nsteps = sizeof clock_steps / sizeof clock_steps[0];
    double step = steps[nsteps - 1];
    for (size_t i = 0; i < nsteps; i++)
        if (end / steps[i] <= 10) {
            step = steps[i];
            break;
        }
    a->step = step;
    a->lo = 0;
    a->hi = end;
    a->time_fmt = end >= 3 * 3600 ? 2 : end >= 120 ? 1 : 0;
    if (a->time_fmt == 1 && step < 60)
        step = 60; /* minutes: whole ones */
    a->step = step;
    for (double k = 0; k * step <= end * (1 + 1e-9) && a->nticks < PL_MAX_TICKS; k++)
        a->ticks[a->nticks++] = k * step;
}

void pl_axis_time_range(pl_axis *a, double lo, double hi, double run_end)
{
    pl_axis_time(a, hi - lo);
    double step = a->step;
    /* labelled as the whole run's axis is (h:mm for a day), so a zoom reads as a time of day */
    pl_axis tmp;
    pl_axis_time(&tmp, run_end);
    a->time_fmt = tmp.time_fmt;
    if (a->time_fmt == 2 && step < 60)
        step = 60;
    if (a->time_fmt >= 1 && step < 60)
        step = 60;
    a->step = step;
    a->lo = lo;
    a->hi = hi;
    a->nticks = 0;
    for (double t = ceil(lo / step - 1e-9) * step;
         t <= hi * (1 + 1e-12) && a->nticks < PL_MAX_TICKS; t += step)
        a->ticks[a->nticks++] = t;
}

/* The ticks of a over [lo, hi] at `step`: a linear axis widened to whole steps, a time axis
 * (not widened) on the multiples of step within it. */
static void retick(pl_axis *a, double step)
{
    a->step = step;
    a->nticks = 0;
    if (a->unit == PL_TIME) {
        for (double t = ceil(a->lo / step - 1e-9) * step;
             t <= a->hi * (1 + 1e-12) && a->nticks < PL_MAX_TICKS; t += step)
            a->ticks[a->nticks++] = t;
        return;
    }
    double k0 = floor(a->lo / step + 1e-9), k1 = ceil(a->hi / step - 1e-9);
    a->lo = k0 * step;
    a->hi = k1 * step;
    for (double k = k0; k <= k1 + 0.5 && a->nticks < PL_MAX_TICKS; k++)
        a->ticks[a->nticks++] = k * step;
}

int pl_axis_coarser(pl_axis *a)
{
    if (a->log || a->nticks < 2 || !(a->step > 0))
        return 0;
    if (a->unit == PL_TIME) {
        for (size_t i = 0; i < sizeof clock_steps / sizeof clock_steps[0]; i++)
            if (clock_steps[i] > a->step * (1 + 1e-9)) {
                retick(a, clock_steps[i]);
                return 1;
            }
        return 0;
    }
    /* the next 1-2-5 step: 1 -> 2 -> 5 -> 10 */
    double mag = pow(10, floor(log10(a->step) + 1e-9)), f = a->step / mag;
    retick(a, a->step * (f < 1.5 ? 2 : f < 3 ? 2.5 : 2));
    return 1;
}

double pl_axis_frac(const pl_axis *a, double v)
{
    if (!isfinite(v))
        return NAN;
    if (a->log) {
        if (!(v > 0))
            return NAN;
        return (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
    }
    return a->hi > a->lo ? (v - a->lo) / (a->hi - a->lo) : 0.5;
}

const char *pl_time_title(const pl_axis *a)
{
    return a->time_fmt == 2   ? "time since start (h:mm)"
           : a->time_fmt == 1 ? "time since start (min)"
                              : "time since start (s)";
}

/* Decimals needed to write multiples of step exactly (0..6). */
static int decimals_for(double step)
{
    if (!(step > 0) || !isfinite(step))
        return 0;
    for (int d = 0; d < 6; d++) {
        double s = step * pow(10, d);
        if (fabs(s - round(s)) < 1e-6 * (s > 1 ? s : 1))
            return d;
    }
    return 6;
}

/* Drops trailing zeros after a decimal point: "1.50" -> "1.5", "2.0" -> "2". */
static void trim_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (!dot)
        return;
    char *e = s + strlen(s);
    while (e > dot + 1 && e[-1] == '0')
        *--e = '\0';
    if (e == dot + 1)
        *dot = '\0';
}

/* v scaled by k/M/G with the decimals its step needs: "1.5k". */
static void suffixed(double v, double step, char *buf, size_t n)
{
    static const struct {
        double scale;
        const char *suffix;
    } sfx[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
    double av = fabs(v);
    size_t i = 0;
    while (i < 3 && av < sfx[i].scale * (1 - 1e-9))
        i++;
    double scaled = v / sfx[i].scale;
    int d = step > 0 ? decimals_for(step / sfx[i].scale) : 0;
    if (step <= 0) /* three significant digits */
        d = av == 0 ? 0 : (int)fmax(0, 2 - floor(log10(fabs(scaled))));
    if (d > 6)
        d = 6;
    char num[64];
    snprintf(num, sizeof num, "%.*f", d, scaled);
    trim_zeros(num);
    if (strcmp(num, "-0") == 0)
        snprintf(num, sizeof num, "0");
    snprintf(buf, n, "%s%s", num, sfx[i].suffix);
}

static void grouped(double v, int d, char *buf, size_t n);

void pl_format(double v, pl_unit unit, double step, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "n/a");
        return;
    }
    char num[64];
    switch (unit) {
    case PL_MS: {
        if (v == 0) {
            snprintf(buf, n, "0");
            return;
        }
        /* milliseconds below a second, seconds above: the unit follows the value */
        double av = fabs(v);
        const char *u = "ms";
        double scale = 1;
        /* minutes only where the step is whole minutes: an axis in 50-s steps reads 100 s,
         * 150 s, not 100 s, 2.5 min */
        if (av >= 120000 && (step <= 0 || fmod(step, 60000) == 0)) {
            u = "min";
            scale = 60000;
        } else if (av >= 1000) {
            u = "s";
            scale = 1000;
        }
        int d = step > 0 ? decimals_for(step / scale) : (int)fmax(0, 2 - floor(log10(av / scale)));
        if (d > 6)
            d = 6;
        snprintf(num, sizeof num, "%.*f", d, v / scale);
        trim_zeros(num);
        snprintf(buf, n, "%s %s", num, u);
        return;
    }
    case PL_USD:
        if (step >= 1 && fabs(v) >= 1000 && fabs(v) < 1e6 && decimals_for(step / 1000) > 1) {
            /* steps finer than a hundred dollars ($2,335, $2,340): whole dollars with a
             * separator, not "$2.335k" */
            grouped(v, 0, num, sizeof num);
            snprintf(buf, n, "%s$%s", v < 0 ? "-" : "", num + (num[0] == '-'));
            return;
        }
        suffixed(fabs(v), step, num, sizeof num);
        snprintf(buf, n, "%s$%s", v < 0 ? "-" : "", num);
        return;
    case PL_PCT: {
        int d =
            step > 0 ? decimals_for(step) : (v == 0 ? 0 : (int)fmax(0, 2 - floor(log10(fabs(v)))));
        snprintf(num, sizeof num, "%.*f", d > 6 ? 6 : d, v);
        trim_zeros(num);
        snprintf(buf, n, "%s%%", num);
        return;
    }
    case PL_TIME:
    case PL_COUNT:
    default: suffixed(v, step, buf, n); return;
    }
}

void pl_axis_label(const pl_axis *a, double v, char *buf, size_t n)
{
    if (a->unit == PL_TIME) {
        long s = lround(v);
        if (a->time_fmt == 2)
            snprintf(buf, n, "%ld:%02ld", s / 3600, (s % 3600) / 60);
        else if (a->time_fmt == 1)
            pl_format(v / 60.0, PL_COUNT, a->step / 60.0, buf, n);
        else
            snprintf(buf, n, "%ld", s);
        return;
    }
    /* a log axis' ticks are 1, 2 or 5 times a power of ten: their own value is their step */
    pl_format(v, a->unit, a->log ? v : a->step, buf, n);
}

/* The integer part of |v| with thousands separators, rounded to `d` decimals. */
static void grouped(double v, int d, char *buf, size_t n)
{
    char raw[80];
    snprintf(raw, sizeof raw, "%.*f", d, fabs(v));
    char *dot = strchr(raw, '.');
    size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
    char out[120];
    size_t o = 0;
    int neg = v < 0 && strspn(raw, "0.") != strlen(raw); /* -0.00 is 0.00 */
    if (neg)
        out[o++] = '-';
    for (size_t i = 0; i < ilen; i++) {
        out[o++] = raw[i];
        size_t left = ilen - i - 1;
        if (left > 0 && left % 3 == 0)
            out[o++] = ',';
    }
    if (dot)
        for (const char *p = dot; *p && o + 1 < sizeof out; p++)
            out[o++] = *p;
    out[o] = '\0';
    snprintf(buf, n, "%s", out);
}

void pl_format_ci(double mean, double half, const char *unit, char *buf, size_t n)
{
    if (!isfinite(mean)) {
        snprintf(buf, n, "n/a");
        return;
    }
    int usd = unit && strcmp(unit, "USD") == 0;
    int d;
    if (isfinite(half) && half > 0) {
        /* two significant digits of the half-width: more would be noise */
        d = (int)(1 - floor(log10(half)));
    } else if (half == 0 && mean == round(mean)) {
        d = 0; /* every replication gave the same whole number: "6 ± 0 nodes" */
    } else {
        /* no interval, or a zero one: three significant digits of the mean */
        d = mean == 0 ? 0 : (int)(2 - floor(log10(fabs(mean))));
    }
    if (d < 0)
        d = 0;
    if (d > 4)
        d = 4;
    if (usd && d > 2)
        d = 2;
    char m[64], h[64];
    grouped(mean, d, m, sizeof m);
    const char *u = unit && *unit && !usd ? unit : "";
    const char *sp = *u && strcmp(u, "%") != 0 ? " " : "";
    if (isfinite(half)) {
        grouped(half, d, h, sizeof h);
        if (usd && half < 0.005) /* none, or under a cent: not "± $0.00" */
            snprintf(buf, n, "%s$%s ± %s", m[0] == '-' ? "-" : "", m + (m[0] == '-'),
                     half > 0 ? "<$0.01" : "$0");
        else if (usd)
            snprintf(buf, n, "%s$%s ± $%s", m[0] == '-' ? "-" : "", m + (m[0] == '-'), h);
        else
            snprintf(buf, n, "%s ± %s%s%s", m, h, sp, u);
    } else {
        if (usd)
            snprintf(buf, n, "%s$%s", m[0] == '-' ? "-" : "", m + (m[0] == '-'));
        else
            snprintf(buf, n, "%s%s%s", m, sp, u);
    }
}

void pl_format_whole(double v, char *buf, size_t n)
{
    grouped(v, 0, buf, n);
}

void pl_format_usd(double v, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "n/a");
        return;
    }
    /* whole dollars in a monthly bill; cents only where a component is that small */
    char m[64];
    grouped(v, fabs(v) >= 10 || v == 0 ? 0 : 2, m, sizeof m);
    snprintf(buf, n, "%s$%s", m[0] == '-' ? "-" : "", m + (m[0] == '-'));
}
