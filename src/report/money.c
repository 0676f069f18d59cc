/*
 * money.c — the gate's texts of money and change (whole cents, "+$12.50", "+10.0%") and the
 * words of its statuses, shared by the terminal, JUnit and Markdown so that the three say the
 * same thing the same way; and the UTF-8 loop the XML and Markdown escapers share.
 */
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/internal.h"

static const char *const status_word[REP_NSTATUS] = {"PASS", "UNCERTAIN", "FAIL", "SKIP"};
static const char *const status_icon[REP_NSTATUS] = {"✅", "⚠️", "❌", "⏭️"};

const char *rep_status_word(rep_status s)
{
    return (unsigned)s < REP_NSTATUS ? status_word[s] : "?";
}

const char *rep_status_icon(rep_status s)
{
    return (unsigned)s < REP_NSTATUS ? status_icon[s] : "?";
}

size_t rep_outcome_count(const rep_outcome *oc, rep_status s)
{
    size_t k = 0;
    for (size_t i = 0; i < oc->n; i++)
        k += oc->checks[i].status == s;
    return k;
}

long long rep_cents(double usd)
{
    return llround(usd * 100.0);
}

const char *rep_money_cents(long long c, char *buf, size_t len)
{
    return cost_format((int64_t)c * 10000, buf, len);
}

/* A difference with its sign: "+$12.50", "-$3.00", "$0.00". */
const char *rep_signed_money_cents(long long c, char *buf, size_t len)
{
    char m[32]; /* cost_format: 32 always suffices */
    rep_money_cents(c, m, sizeof m);
    snprintf(buf, len, "%s%s", c > 0 ? "+" : "", m);
    return buf;
}

/* A change in percent: "+10.0%", "+0.0041%"; "new" from nothing. */
const char *rep_pct_change(long long now, long long base, char *buf, size_t len)
{
    if (base == 0) {
        snprintf(buf, len, "%s", now == 0 ? "+0.0%" : "new");
        return buf;
    }
    double p = (double)(now - base) * 100.0 / (double)llabs(base);
    if (p == 0 || fabs(p) >= 0.1)
        snprintf(buf, len, "%+.1f%%", p);
    else
        snprintf(buf, len, "%+.2g%%", p);
    return buf;
}

/* The length of the valid UTF-8 sequence at s, 0 when it is not one (a path from argv may be
 * any bytes; XML and GitHub want UTF-8). */
size_t rep__utf8_len(const unsigned char *s)
{
    size_t n = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    if (n == 2 && s[0] < 0xC2)
        return 0; /* overlong */
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

void rep__add_escaped(base_buf *b, const char *s, rep__escape_fn esc)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = rep__utf8_len(p);
        if (n == 0) {
            base_buf_adds(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        const char *r = n == 1 ? esc(*p) : NULL;
        if (r)
            base_buf_adds(b, r);
        else
            base_buf_add(b, (const char *)p, n);
        p += n;
    }
}
