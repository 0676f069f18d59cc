/*
 * units.c — the scalar quantities of a scenario: durations, counts, percentages, CPU, memory,
 * money and rates (the scn_parse_* functions of io.h).
 *
 * Why strict: a scenario is a plan people pay for, and the classic mistakes are silent ones —
 * `timeout: 30` meant as seconds and read as milliseconds, `memory: 512MB` read as megabits,
 * `cost: 1,5`. So every parser reads the whole scalar with a small hand-written grammar
 * (no strtod/strtoll leniency: no spaces, signs, hex, exponents, inf or nan), requires the
 * unit where one is ambiguous, and says what it expected.
 *
 * Grammar and decisions:
 *  - NUMBER is DIGITS or DIGITS.DIGITS (at least one digit each side). No exponent: "1e3" is
 *    refused with a hint to write 1000 or 1k. A leading '-' gets "must not be negative"; a
 *    leading '+' and any space are refused.
 *  - Integer results (duration ns, millicores, bytes, micro-dollars) are computed exactly from
 *    the decimal digits, never through a double; a value that is not a whole number of the
 *    result unit (1.5ns, 0.0001 CPU, 0.1Ki) is refused rather than rounded.
 *  - Real results (count, percent, rate) are the correctly rounded double of the decimal value
 *    (the suffix shifts the decimal exponent before the single conversion, so 1.5k is 1500 and
 *    70% is exactly the double nearest 0.7).
 *  - Everything is refused above INT64_MAX of its result unit (counts and rates likewise, for a
 *    uniform bound), with "is too large".
 *  - duration: NUMBER UNIT, repeated for compounds (1h30m, 1m30s500ms), units from largest to
 *    smallest, each at most once (m and min are the same unit). Units: ns us ms s m min h d.
 *  - count: NUMBER with optional k, M or G.  percent: NUMBER%.  rate: COUNT/UNIT with UNIT one
 *    of s, m, min, h.
 *  - cpu: NUMBER (cores) or NUMBER m (millicores).
 *  - memory: NUMBER with optional Ki Mi Gi Ti (1024^n) or k M G T (1000^n); none means bytes.
 *    Units ending in B (MB, GiB, kB) or an upper-case K get a "did you mean" hint.
 *  - money: optional leading $, then DIGITS, or comma-grouped digits (1,234 or 12,345,678:
 *    1-3 digits, then groups of exactly 3), then optionally '.' and 1 to 6 decimals.
 */
#include "io/io.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value is echoed in messages, shortened so one line stays readable. */
#define ECHO "'%.60s'"

static int fail(base_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(base_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int st = base_err_setv(err, BASE_EINPUT, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return st;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A decimal number as written: DIGITS [ . DIGITS ]. */
typedef struct decimal {
    const char *start, *end; /* the text of the number */
    int64_t ip;              /* integer part */
    int ip_big;              /* the integer part does not fit int64 */
    int64_t fp;              /* fraction digits as an integer, trailing zeros dropped */
    int fdigits;             /* digits in fp; >18 means too precise to represent */
} decimal;

/* Checks the start of `text` shared by all parsers. */
static int check_start(const char *text, const char *what, base_err *err)
{
    if (!text || !*text)
        return fail(err, "%s is empty", what);
    size_t len = strlen(text);
    if (text[0] == ' ' || text[0] == '\t' || text[len - 1] == ' ' || text[len - 1] == '\t')
        return fail(err, "%s " ECHO " must not have surrounding spaces", what, text);
    return BASE_OK;
}

/* Reads a NUMBER at *p (advancing *p), or fails explaining what is there instead. */
static int read_decimal(const char **p, decimal *d, const char *what, const char *text,
                        base_err *err)
{
    const char *s = *p;
    *d = (decimal){0};
    d->start = s;
    if (*s == '-')
        return fail(err, "%s " ECHO " must not be negative", what, text);
    if (*s == '+')
        return fail(err, "%s " ECHO " must not have a sign", what, text);
    if (!is_digit(*s)) {
        if (*s == '.')
            return fail(err, "%s " ECHO " needs a digit before the '.' (e.g. 0.5)", what, text);
        if (!*s)
            return fail(err, "%s " ECHO " has no number", what, text);
        return fail(err, "%s " ECHO " is not a number", what, text);
    }
    for (; is_digit(*s); s++) {
        int dig = *s - '0';
        if (d->ip > (INT64_MAX - dig) / 10)
            d->ip_big = 1;
        else
            d->ip = d->ip * 10 + dig;
    }
    if (*s == '.') {
        s++;
        if (!is_digit(*s))
            return fail(err, "%s " ECHO " needs a digit after the '.'", what, text);
        const char *f = s;
        while (is_digit(*s))
            s++;
        const char *fe = s;
        while (fe > f && fe[-1] == '0')
            fe--;
        d->fdigits = (int)(fe - f > 19 ? 19 : fe - f);
        if (d->fdigits <= 18)
            for (const char *q = f; q < fe; q++)
                d->fp = d->fp * 10 + (*q - '0');
    }
    if ((*s == 'e' || *s == 'E') && (is_digit(s[1]) || s[1] == '-' || s[1] == '+'))
        return fail(err, "%s " ECHO " must not use an exponent (write 1000 or 1k, not 1e3)", what,
                    text);
    d->end = s;
    *p = s;
    return BASE_OK;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

enum { EXACT_OK, EXACT_BIG, EXACT_FRACTION };

/* d * unit exactly, as an int64. */
static int scale_exact(const decimal *d, int64_t unit, int64_t *out)
{
    if (d->ip_big || (unit > 0 && d->ip > INT64_MAX / unit))
        return EXACT_BIG;
    int64_t v = d->ip * unit;
    if (d->fdigits > 0) {
        if (d->fdigits > 18)
            return EXACT_FRACTION;
        int64_t p = 1;
        for (int i = 0; i < d->fdigits; i++)
            p *= 10;
        /* fp/p * unit is whole iff p/g divides fp (g = gcd(unit, p)); then it is
         * (fp / (p/g)) * (unit/g) <= g * (unit/g) = unit: no overflow. */
        int64_t g = gcd64(unit, p);
        if (d->fp % (p / g) != 0)
            return EXACT_FRACTION;
        int64_t f = (d->fp / (p / g)) * (unit / g);
        if (v > INT64_MAX - f)
            return EXACT_BIG;
        v += f;
    }
    *out = v;
    return EXACT_OK;
}

/* The correctly rounded double of d * 10^exp10. */
static int decimal_to_double(const decimal *d, int exp10, double *out, const char *what,
                             const char *text, base_err *err)
{
    char buf[96];
    size_t n = (size_t)(d->end - d->start);
    if (n > 64)
        return fail(err, "%s " ECHO " has too many digits", what, text);
    memcpy(buf, d->start, n);
    snprintf(buf + n, sizeof buf - n, "e%d", exp10);
    double v = strtod(buf, NULL);
    if (!(v < 9223372036854775807.0))
        return fail(err, "%s " ECHO " is too large", what, text);
    *out = v;
    return BASE_OK;
}

/* ---------------------------------------------------------------- duration */

typedef struct unit {
    const char *name;
    int64_t scale;
} unit;

/* The start of a value that opens with a NUMBER (percent, CPU, memory): the checks shared by
 * all parsers, then the NUMBER read; *p is left after it. */
static int start_decimal(const char *text, const char *what, const char **p, decimal *d,
                         base_err *err)
{
    int rc = check_start(text, what, err);
    if (rc)
        return rc;
    *p = text;
    return read_decimal(p, d, what, text, err);
}

static const unit duration_units[] = {
    {"ns", 1LL},          {"us", 1000LL},         {"ms", 1000000LL},      {"s", 1000000000LL},
    {"m", 60000000000LL}, {"min", 60000000000LL}, {"h", 3600000000000LL}, {"d", 86400000000000LL},
};

int scn_parse_duration(const char *text, int64_t *ns, base_err *err)
{
    const char *what = "duration";
    int rc = check_start(text, what, err);
    if (rc)
        return rc;
    const char *p = text;
    int64_t total = 0, last_scale = INT64_MAX;
    while (*p) {
        decimal d;
        if ((rc = read_decimal(&p, &d, what, text, err)) != BASE_OK)
            return rc;
        const char *u = p;
        while (is_alpha(*p))
            p++;
        size_t ulen = (size_t)(p - u);
        if (ulen == 0) {
            if (*p)
                return fail(err, "%s " ECHO " has unexpected text at '%.20s'", what, text, p);
            if (u == text + strlen(text) && d.start == text)
                return fail(err, "%s " ECHO " needs a unit (e.g. 250ms, 15s, 2m, 24h)", what, text);
            return fail(err, "%s " ECHO " needs a unit after every number (e.g. 1h30m)", what,
                        text);
        }
        const unit *found = NULL;
        for (size_t i = 0; i < sizeof duration_units / sizeof *duration_units; i++)
            if (strlen(duration_units[i].name) == ulen &&
                memcmp(duration_units[i].name, u, ulen) == 0)
                found = &duration_units[i];
        if (!found)
            return fail(err,
                        "%s " ECHO " has an unknown unit '%.*s' (use ns, us, ms, s, m, min, h "
                        "or d)",
                        what, text, (int)(ulen > 20 ? 20 : ulen), u);
        if (found->scale >= last_scale)
            return fail(err, "%s " ECHO " must list its units from largest to smallest, once each",
                        what, text);
        last_scale = found->scale;
        if (*p && !is_digit(*p))
            return fail(err, "%s " ECHO " has unexpected text at '%.20s'", what, text, p);
        int64_t v;
        int ex = scale_exact(&d, found->scale, &v);
        if (ex == EXACT_FRACTION)
            return fail(err, "%s " ECHO " is not a whole number of nanoseconds", what, text);
        if (ex == EXACT_BIG || total > INT64_MAX - v)
            return fail(err, "%s " ECHO " is too large (at most about 292 years)", what, text);
        total += v;
    }
    *ns = total;
    return BASE_OK;
}

/* ---------------------------------------------------------------- count, percent, rate */

/* COUNT at *p (advancing it): NUMBER with an optional k, M or G. */
static int read_count(const char **p, double *value, const char *what, const char *text,
                      base_err *err)
{
    decimal d;
    int rc = read_decimal(p, &d, what, text, err);
    if (rc)
        return rc;
    int exp10 = 0;
    switch (**p) {
    case 'k': exp10 = 3; break;
    case 'M': exp10 = 6; break;
    case 'G': exp10 = 9; break;
    default: break;
    }
    if (exp10)
        (*p)++;
    if (is_alpha(**p))
        return fail(err, "%s " ECHO " has an unknown suffix (use k, M or G, or none)", what, text);
    return decimal_to_double(&d, exp10, value, what, text, err);
}

/* The start of a value that opens with a COUNT (count, rate), as start_decimal. */
static int start_count(const char *text, const char *what, const char **p, double *v, base_err *err)
{
    int rc = check_start(text, what, err);
    if (rc)
        return rc;
    *p = text;
    return read_count(p, v, what, text, err);
}

int scn_parse_count(const char *text, double *value, base_err *err)
{
    const char *what = "count";
    const char *p;
    double v;
    int rc = start_count(text, what, &p, &v, err);
    if (rc)
        return rc;
    if (*p)
        return fail(err, "%s " ECHO " has unexpected text at '%.20s'", what, text, p);
    *value = v;
    return BASE_OK;
}

int scn_parse_percent(const char *text, double *fraction, base_err *err)
{
    const char *what = "percentage";
    const char *p;
    decimal d;
    int rc = start_decimal(text, what, &p, &d, err);
    if (rc)
        return rc;
    if (*p != '%')
        return fail(err, "%s " ECHO " needs a %% sign (e.g. 70%%)", what, text);
    if (p[1])
        return fail(err, "%s " ECHO " has unexpected text after the %%", what, text);
    double v;
    if ((rc = decimal_to_double(&d, -2, &v, what, text, err)) != BASE_OK)
        return rc;
    *fraction = v;
    return BASE_OK;
}

int scn_parse_rate(const char *text, double *per_second, base_err *err)
{
    const char *what = "rate";
    const char *p;
    double v;
    int rc = start_count(text, what, &p, &v, err);
    if (rc)
        return rc;
    if (*p != '/') {
        if (*p)
            return fail(err, "%s " ECHO " has unexpected text at '%.20s'", what, text, p);
        return fail(err, "rate " ECHO " needs a unit of time (e.g. 9/s, 540/m, 10k/h)", text);
    }
    p++;
    double secs;
    if (strcmp(p, "s") == 0)
        secs = 1;
    else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
        secs = 60;
    else if (strcmp(p, "h") == 0)
        secs = 3600;
    else
        return fail(err, "%s " ECHO " has an unknown unit of time '%.20s' (use s, m, min or h)",
                    what, text, p);
    *per_second = v / secs;
    return BASE_OK;
}

/* ---------------------------------------------------------------- cpu, memory */

int scn_parse_cpu(const char *text, int64_t *millicores, base_err *err)
{
    const char *what = "CPU quantity";
    const char *p;
    decimal d;
    int rc = start_decimal(text, what, &p, &d, err);
    if (rc)
        return rc;
    int64_t scale;
    if (*p == '\0')
        scale = 1000;
    else if (strcmp(p, "m") == 0)
        scale = 1;
    else
        return fail(err, "%s " ECHO " has an unknown unit (write cores, 0.5, or millicores, 500m)",
                    what, text);
    int64_t v;
    int ex = scale_exact(&d, scale, &v);
    if (ex == EXACT_FRACTION)
        return fail(err, "%s " ECHO " is finer than 1 millicore", what, text);
    if (ex == EXACT_BIG)
        return fail(err, "%s " ECHO " is too large", what, text);
    *millicores = v;
    return BASE_OK;
}

static const unit memory_units[] = {
    {"", 1LL},           {"k", 1000LL},          {"M", 1000000LL},
    {"G", 1000000000LL}, {"T", 1000000000000LL}, {"Ki", 1LL << 10},
    {"Mi", 1LL << 20},   {"Gi", 1LL << 30},      {"Ti", 1LL << 40},
};

/* A "did you mean" for units people write out of habit (MB, GiB, K, kB, B). */
static int memory_hint(const char *text, const decimal *d, const char *u, base_err *err)
{
    size_t ulen = strlen(u);
    int num = (int)(d->end - d->start);
    if (ulen == 1 && u[0] == 'K')
        return fail(err,
                    "memory size " ECHO " has an unknown unit 'K': did you mean %.*sKi or %.*sk?",
                    text, num, d->start, num, d->start);
    if (ulen >= 1 && ulen <= 3 && (u[ulen - 1] == 'B' || u[ulen - 1] == 'b')) {
        if (ulen == 1)
            return fail(err, "memory size " ECHO " is in bytes: write it without a unit (%.*s)",
                        text, num, d->start);
        char p = u[0] == 'k' ? 'K' : u[0];
        const char *dec = p == 'K' ? "k" : p == 'M' ? "M" : p == 'G' ? "G" : p == 'T' ? "T" : NULL;
        if (dec && ulen == 2)
            return fail(err,
                        "memory size " ECHO " has an unknown unit '%s': did you mean "
                        "%.*s%ci or %.*s%s?",
                        text, u, num, d->start, p, num, d->start, dec);
        if (dec && ulen == 3 && u[1] == 'i')
            return fail(err, "memory size " ECHO " has an unknown unit '%s': did you mean %.*s%ci?",
                        text, u, num, d->start, p);
    }
    return fail(err,
                "memory size " ECHO " has an unknown unit '%.10s' (use Ki, Mi, Gi, Ti, k, M, "
                "G, T, or none for bytes)",
                text, u);
}

int scn_parse_memory(const char *text, int64_t *bytes, base_err *err)
{
    const char *what = "memory size";
    const char *p;
    decimal d;
    int rc = start_decimal(text, what, &p, &d, err);
    if (rc)
        return rc;
    const unit *found = NULL;
    for (size_t i = 0; i < sizeof memory_units / sizeof *memory_units; i++)
        if (strcmp(memory_units[i].name, p) == 0)
            found = &memory_units[i];
    if (!found)
        return memory_hint(text, &d, p, err);
    int64_t v;
    int ex = scale_exact(&d, found->scale, &v);
    if (ex == EXACT_FRACTION)
        return fail(err, "%s " ECHO " is not a whole number of bytes", what, text);
    if (ex == EXACT_BIG)
        return fail(err, "%s " ECHO " is too large", what, text);
    *bytes = v;
    return BASE_OK;
}

/* ---------------------------------------------------------------- money */

int scn_parse_money(const char *text, int64_t *micro_usd, base_err *err)
{
    const char *what = "money amount";
    int rc = check_start(text, what, err);
    if (rc)
        return rc;
    const char *p = text;
    if (*p == '-' || (p[0] == '$' && p[1] == '-'))
        return fail(err, "%s " ECHO " must not be negative", what, text);
    if (*p == '$')
        p++;
    if (*p == '+')
        return fail(err, "%s " ECHO " must not have a sign", what, text);
    if (!is_digit(*p))
        return fail(err, "%s " ECHO " is not a number (e.g. 370, $0.0416, 1,234.50)", what, text);
    int64_t dollars = 0;
    int big = 0, run = 0, grouped = 0;
    for (;; p++) {
        if (is_digit(*p)) {
            int dig = *p - '0';
            if (dollars > (INT64_MAX / 1000000 - dig) / 10)
                big = 1;
            else
                dollars = dollars * 10 + dig;
            run++;
        } else if (*p == ',') {
            if ((grouped ? run != 3 : run > 3) || !is_digit(p[1]))
                return fail(err,
                            "%s " ECHO " has a misplaced comma (group thousands by three: "
                            "1,234,567.50)",
                            what, text);
            grouped = 1;
            run = 0;
        } else {
            break;
        }
    }
    if (grouped && run != 3)
        return fail(err,
                    "%s " ECHO " has a misplaced comma (group thousands by three: 1,234,567.50)",
                    what, text);
    int64_t micro = 0;
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return fail(err, "%s " ECHO " needs a digit after the '.'", what, text);
        int k = 0;
        int64_t scale = 100000;
        for (; is_digit(*p); p++, k++) {
            if (k >= 6) {
                if (*p != '0')
                    return fail(err, "%s " ECHO " has more than 6 decimals (micro-dollars)", what,
                                text);
                continue;
            }
            micro += (*p - '0') * scale;
            scale /= 10;
        }
    }
    if (*p)
        return fail(err, "%s " ECHO " has unexpected text at '%.20s'", what, text, p);
    if (big || dollars * 1000000 > INT64_MAX - micro)
        return fail(err, "%s " ECHO " is too large", what, text);
    *micro_usd = dollars * 1000000 + micro;
    return BASE_OK;
}
