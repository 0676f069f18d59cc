/*
 * project.c — what a run will cost before it runs (eng_project): its requests, kernel events
 * and peak memory, from the scenario alone, so that `--check` can print them and the command
 * line can refuse a run that would not fit (--max-memory) before it starts.
 *
 * Estimates, not bounds: they count what grows with the scenario — the time series (which
 * folds past ENG_SERIES_MAX_ROWS rows, so it stops growing), the report's copy of it, the
 * histograms, the random faults drawn at the start, the requests in flight — over a fixed
 * allowance for the program itself. Calibrated against /usr/bin/time -v's maximum resident
 * size (docs/performance.md, "Memory"): a 10-minute run 16 MB, a 30-day run 124 MB.
 */
#include "engine/internal.h"

#include <math.h>
#include <string.h>

/* The program, its libraries, the pricing catalog, one replication's fixed state and the
 * charts' canvases: the maximum resident size of a 10-minute, 200-user run of the base
 * architecture on either engine, /usr/bin/time -v (16 MB). */
#define BASE_BYTES 16e6

/* A pending kernel event: its node (fn, ctx, arg, generation, link: 32 bytes, kernel/engine.c)
 * and its key in the pending-event set (16 bytes), with the set's growth slack: 64 bytes. */
#define EVENT_BYTES 64.0

/* Kernel events per request on the request engine: 26,662 events for 8,800 arrivals of the
 * base architecture's mix (55% static, 38% read, 7% write; the run above), about 3. */
#define EVENTS_PER_REQUEST 3.0

/* A value of report.json's series: the jansson real (24 bytes with malloc's header), its slot
 * in the row's array (8, doubled by growth) and its text ("12345.678901, ": about 14). */
#define REPORT_VALUE_BYTES 62.0

/* A histogram at `bits` of precision up to HIST_DEFAULT_HIGHEST: 2^(bits+1) buckets below
 * 2^(bits+1), then 2^bits per power of two (metrics.h), a double each. */
static double hist_bytes(int bits)
{
    double buckets = ldexp(1, bits + 1) + ldexp(1, bits) * (42 - bits - 1);
    return buckets * 8;
}

int eng_project(const mdl_scenario *s, int jobs, eng_projection *out, base_err *err)
{
    memset(out, 0, sizeof *out);
    if (s->replications < 1 || s->series_resolution <= 0)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "eng_project: not a bound scenario");
    out->engine = eng_engine_name(s);
    bool flow = strcmp(out->engine, "flow") == 0;
    double secs = sim_to_sec(mdl_traffic_duration(&s->traffic));
    out->requests = mdl_traffic_expected(&s->traffic);

    /* the series: one row per interval until it folds (record.c), then between half the
     * limit and the limit; its array grows by doubling, so up to twice its rows */
    double rows = ceil(secs / sim_to_sec(s->series_resolution));
    while (rows > ENG_SERIES_MAX_ROWS)
        rows = ceil(rows / 2);
    out->series_rows = rows;
    double row_bytes = (double)eng_series_count * 8;
    double cap = 256;
    while (cap < rows)
        cap *= 2;

    double faults = 0;
    for (size_t i = 0; i < s->nevents; i++)
        faults += mdl_event_expected(s, i);
    double ticks = rows + secs / 15; /* series rows and the control plane's syncs (15 s HPA) */
    double inflight = 0;
    if (flow) {
        out->events = secs / sim_to_sec(s->flow_step) + ticks + faults;
    } else {
        out->events = out->requests * EVENTS_PER_REQUEST + ticks + faults;
        /* requests in the system at once: the peak rate for as long as the ALB waits for an
         * answer (without an idle timeout, for the whole run); at most every arrival */
        double peak = s->traffic.by_rate
                          ? mdl_traffic_peak(&s->traffic)
                          : mdl_traffic_peak(&s->traffic) * s->traffic.requests_per_user_min / 60.0;
        double wait = s->alb.idle_timeout > 0 ? sim_to_sec(s->alb.idle_timeout) : secs;
        inflight = fmin(out->requests, peak * wait);
    }

    /* one replication at its peak: series, histograms (six at full precision, the interval's
     * at 5 bits: run.c, record.c), the faults drawn at the start, the requests in flight with
     * two pending events each (its step and its timeout) */
    double hists = hist_bytes(HIST_DEFAULT_BITS) * (3 + MDL_NCLASS) + hist_bytes(5);
    double running =
        hists + faults * EVENT_BYTES + inflight * ((double)sizeof(eng__req) + 2 * EVENT_BYTES);
    /* every replication's series stays until the summary; the summary's mean, and
     * report.json's copy of it as a tree and as text */
    double kept = (double)s->replications * (cap * row_bytes + hists);
    double report = rows * row_bytes + rows * (double)eng_series_count * REPORT_VALUE_BYTES;
    int threads = jobs < 1 ? 1 : jobs < s->replications ? jobs : s->replications;
    out->memory_bytes = BASE_BYTES + threads * running + kept + report;
    return BASE_OK;
}
