/*
 * junit.c — the gate's checks as JUnit XML, for the test reporters of CI services: one
 * testsuite per scenario, one testcase per check; a failure carries what was measured against
 * what was allowed. Nothing but the inputs and the simulated figures goes in (no clock, no host,
 * no run number), so the same inputs give the same bytes.
 */
#include "report/report.h"

#include <stdio.h>

#include "report/internal.h"

/* Text for an XML attribute or element: the five entities, line breaks kept as references,
 * characters XML 1.0 forbids dropped, invalid UTF-8 as U+FFFD. */
static const char *xml_escape(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    case '\n': return "&#10;";
    case '\t': return "&#9;";
    case '\r': return "&#13;";
    default: return c < 0x20 ? "" : NULL;
    }
}

static void add_xml(base_buf *b, const char *s)
{
    rep__add_escaped(b, s, xml_escape);
}

void rep_junit(base_buf *b, const rep_outcome *oc, size_t n)
{
    size_t tests = 0, failures = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        tests += oc[i].n;
        failures += rep_outcome_count(&oc[i], REP_FAIL);
        skipped += rep_outcome_count(&oc[i], REP_SKIP);
    }
    base_buf_addf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"simulate check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                  "skipped=\"%zu\">\n",
                  tests, failures, skipped);
    for (size_t i = 0; i < n; i++) {
        const rep_outcome *s = &oc[i];
        base_buf_adds(b, "  <testsuite name=\"");
        add_xml(b, s->name);
        base_buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", s->n,
                      rep_outcome_count(s, REP_FAIL), rep_outcome_count(s, REP_SKIP));
        base_buf_adds(b, "    <properties>\n");
        char reps[16], seed[24];
        snprintf(reps, sizeof reps, "%d", s->replications);
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
        const char *props[][2] = {
            {"scenario", s->file},  {"engine", s->engine},
            {"replications", reps}, {"seed", seed},
            {"report", s->report},  {"baseline", s->base ? s->base->source : NULL}};
        for (size_t k = 0; k < sizeof props / sizeof props[0]; k++) {
            if (!props[k][1])
                continue;
            base_buf_addf(b, "      <property name=\"%s\" value=\"", props[k][0]);
            add_xml(b, props[k][1]);
            base_buf_adds(b, "\"/>\n");
        }
        base_buf_adds(b, "    </properties>\n");
        for (size_t j = 0; j < s->n; j++) {
            const rep_check *c = &s->checks[j];
            base_buf_adds(b, "    <testcase classname=\"simulate.check.");
            add_xml(b, s->name);
            base_buf_adds(b, "\" name=\"");
            add_xml(b, c->name);
            base_buf_adds(b, "\">\n");
            char msg[400];
            snprintf(msg, sizeof msg, "measured %s, threshold %s%s", c->measured, c->threshold,
                     c->uncertain ? " (uncertain: the 95% interval straddles the threshold)" : "");
            if (c->status == REP_FAIL) {
                base_buf_adds(b, "      <failure message=\"");
                add_xml(b, msg);
                base_buf_adds(b, "\" type=\"threshold\">");
                add_xml(b, s->name);
                base_buf_adds(b, ": ");
                add_xml(b, c->name);
                base_buf_adds(b, " failed: ");
                add_xml(b, msg);
                base_buf_addf(b, " (mean of %d replications, 95%% CI)</failure>\n",
                              s->replications);
            } else if (c->status == REP_SKIP) {
                base_buf_adds(b, "      <skipped message=\"");
                add_xml(b, c->measured);
                base_buf_adds(b, "\"/>\n");
            } else {
                base_buf_adds(b, "      <system-out>");
                add_xml(b, rep_status_word(c->status));
                base_buf_adds(b, ": ");
                add_xml(b, msg);
                base_buf_adds(b, "</system-out>\n");
            }
            base_buf_adds(b, "    </testcase>\n");
        }
        base_buf_adds(b, "  </testsuite>\n");
    }
    base_buf_adds(b, "</testsuites>\n");
}
