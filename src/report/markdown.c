/*
 * markdown.c — the gate's pull-request comment: GitHub Markdown behind a hidden marker (as
 * Infracost's comment has) so a workflow can find and update its earlier comment; the monthly
 * cost by component against the baseline, then each check. Deterministic, like every writer
 * here: the comment changes only when the results do.
 */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

#include "report/internal.h"

/* Text in a Markdown code span inside a table cell: a pipe would end the cell and a backtick
 * the span, a line break the row. */
static const char *code_escape(unsigned char c)
{
    return c == '|' ? "\\|" : c == '`' ? "'" : c < 0x20 ? " " : NULL;
}

static void add_code(base_buf *b, const char *s)
{
    base_buf_adds(b, "`");
    rep__add_escaped(b, s, code_escape);
    base_buf_adds(b, "`");
}

/* Plain Markdown text (a heading, a table cell): the characters that would format it, open
 * an HTML tag or end a cell are backslash-escaped (GFM allows it before any ASCII punctuation);
 * a line break would end the row. */
static const char *text_escape(unsigned char c)
{
    static const char *const escaped[128] = {
        ['\\'] = "\\\\", ['`'] = "\\`", ['*'] = "\\*", ['_'] = "\\_", ['['] = "\\[", [']'] = "\\]",
        ['<'] = "\\<",   ['>'] = "\\>", ['|'] = "\\|", ['~'] = "\\~", ['&'] = "\\&"};
    return c < 0x20 ? " " : c < 128 ? escaped[c] : NULL;
}

static void add_text(base_buf *b, const char *s)
{
    rep__add_escaped(b, s, text_escape);
}

static size_t count_uncertain_fails(const rep_outcome *oc, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < oc[i].n; j++)
            k += oc[i].checks[j].status == REP_FAIL && oc[i].checks[j].uncertain;
    return k;
}

/* The marker and the heading: how many checks failed, or passed (uncertain, skipped). Returns
 * how many were uncertain. */
static size_t add_heading(base_buf *b, const rep_outcome *oc, size_t n)
{
    size_t tests = 0, failures = 0, skipped = 0, uncertain = 0;
    for (size_t i = 0; i < n; i++) {
        tests += oc[i].n;
        failures += rep_outcome_count(&oc[i], REP_FAIL);
        skipped += rep_outcome_count(&oc[i], REP_SKIP);
        uncertain += rep_outcome_count(&oc[i], REP_UNCERTAIN);
    }
    /* the marker lets a workflow find and update its earlier comment, as Infracost's does */
    base_buf_adds(b, "<!-- simulate check -->\n");
    if (failures)
        base_buf_addf(b, "## ❌ simulate check: %zu of %zu check%s failed\n", failures, tests,
                      tests == 1 ? "" : "s");
    else
        base_buf_addf(b, "## %s simulate check: %zu check%s passed", uncertain ? "⚠️" : "✅",
                      tests - skipped, tests - skipped == 1 ? "" : "s");
    if (!failures && (skipped || uncertain)) {
        base_buf_adds(b, " (");
        if (uncertain)
            base_buf_addf(b, "%zu uncertain%s", uncertain, skipped ? ", " : "");
        if (skipped)
            base_buf_addf(b, "%zu skipped", skipped);
        base_buf_adds(b, ")");
    }
    if (!failures)
        base_buf_adds(b, "\n");
    return uncertain;
}

/* One scenario's monthly cost by component against its baseline (or why there is none). */
static void add_cost_table(base_buf *b, const rep_outcome *s, int nbaselines)
{
    if (!s->priced) {
        base_buf_adds(b, "No monthly cost: the scenario names no pricing file.\n\n");
        return;
    }
    base_buf_addf(b, "Monthly cost for a %.0f-hour month at this load, mean of the replications",
                  s->month_hours);
    if (s->base) {
        base_buf_adds(b, "; baseline ");
        add_code(b, s->base->source);
        if (s->base->name[0]) {
            base_buf_adds(b, " (");
            add_code(b, s->base->name);
            base_buf_adds(b, ")");
        }
    } else if (nbaselines) {
        base_buf_adds(b, "; no baseline matched this scenario");
    }
    base_buf_adds(b, ".\n\n| Component | Baseline | Now | Difference |\n|---|---:|---:|---:|\n");
    for (size_t k = 0; k <= COST_NPARTS; k++) {
        int total = k == COST_NPARTS;
        long long now = total ? s->total_c : s->now_c[k];
        int has = s->base && (total || s->base->has_part[k]);
        long long base = !has ? 0 : total ? rep_cents(s->base->total) : rep_cents(s->base->part[k]);
        if (!total && now == 0 && base == 0)
            continue;
        char bs[40], ns[40], ds[40], ps[32];
        const char *em = total ? "**" : "";
        base_buf_addf(b, "| %s%s%s | ", em, total ? "Total" : cost_part_label((cost_part)k), em);
        if (has)
            base_buf_addf(b, "%s%s%s", em, rep_money_cents(base, bs, sizeof bs), em);
        else
            base_buf_adds(b, "–");
        base_buf_addf(b, " | %s%s%s | ", em, rep_money_cents(now, ns, sizeof ns), em);
        if (has)
            base_buf_addf(b, "%s%s (%s)%s", em, rep_signed_money_cents(now - base, ds, sizeof ds),
                          rep_pct_change(now, base, ps, sizeof ps), em);
        else
            base_buf_adds(b, "–");
        base_buf_adds(b, " |\n");
    }
    base_buf_adds(b, "\n");
}

/* One scenario's checks, a row each (or why there are none). */
static void add_checks(base_buf *b, const rep_outcome *s)
{
    if (s->n == 0) {
        base_buf_adds(b, "No checks: the scenario has no objectives, and no `--budget` or "
                         "`--baseline` was given.\n");
        return;
    }
    base_buf_adds(b, "| | Check | Measured | Threshold |\n|---|---|---|---|\n");
    for (size_t j = 0; j < s->n; j++) {
        const rep_check *c = &s->checks[j];
        base_buf_addf(b, "| %s | ", rep_status_icon(c->status));
        add_code(b, c->name);
        base_buf_adds(b, " | ");
        add_text(b, c->measured);
        if (c->uncertain)
            base_buf_adds(b, " (uncertain)");
        base_buf_adds(b, " | ");
        add_text(b, c->threshold);
        base_buf_adds(b, " |\n");
    }
}

void rep_markdown(base_buf *b, const rep_outcome *oc, size_t n, int nbaselines)
{
    size_t uncertain = add_heading(b, oc, n);
    for (size_t i = 0; i < n; i++) {
        const rep_outcome *s = &oc[i];
        const char *icon = rep_outcome_count(s, REP_FAIL)        ? "❌"
                           : rep_outcome_count(s, REP_UNCERTAIN) ? "⚠️"
                                                                 : "✅";
        base_buf_addf(b, "\n### %s ", icon);
        add_text(b, s->name);
        base_buf_adds(b, "\n\n");
        add_code(b, s->file);
        base_buf_addf(b, " · %s engine · %d replication%s · seed %llu\n\n", s->engine,
                      s->replications, s->replications == 1 ? "" : "s",
                      (unsigned long long)s->seed);
        add_cost_table(b, s, nbaselines);
        add_checks(b, s);
    }
    base_buf_addf(
        b,
        "\n<sub>simulate %s · each check judged on the mean across replications, ± its 95%% "
        "confidence interval",
        SIMULATE_VERSION);
    if (uncertain || count_uncertain_fails(oc, n))
        base_buf_adds(b, "; uncertain: the interval straddles the threshold, and more replications "
                         "(<code>-r</code>) would tell");
    base_buf_adds(b, ".</sub>\n");
}
