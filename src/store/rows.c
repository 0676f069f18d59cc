/*
 * rows.c — what both backends write and read alike (internal.h): a replication's headline row,
 * the objectives taken from the report, the schema version's check, the figures of a run that
 * did not finish, and the messages for a store that is not ours or a run that is not there.
 * One definition, so a run reads back the same from SQLite and from PostgreSQL.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics/metrics.h"
#include "store/internal.h"

void store__utc_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store__stamp_of(const char *scenario_text, uint64_t seed, store__stamp *s)
{
    store__utc_now(s->now);
    base_sha256_hex(scenario_text, strlen(scenario_text), s->hash);
    snprintf(s->seed, sizeof s->seed, "%llu", (unsigned long long)seed);
}

int store__not_ours(const char *where, const char *why, base_err *err)
{
    return base_err_set(err, BASE_EINPUT, where, 0, 0, "not a simulate results store (%s)", why);
}

int store__no_run(const char *where, int64_t id, base_err *err)
{
    return base_err_set(err, BASE_EINPUT, where, 0, 0, "no run %lld in this store", (long long)id);
}

int store__schema_version(const char *where, const char *value, int *version, base_err *err)
{
    *version = 0;
    uint64_t n = 0;
    int ok = value && *value && strlen(value) < 10;
    for (const char *c = value; ok && *c; c++) {
        ok = *c >= '0' && *c <= '9';
        n = n * 10 + (uint64_t)(*c - '0');
    }
    if (!ok || n < 1)
        return store__not_ours(where, "its meta table has no schema_version", err);
    if (n > STORE_SCHEMA_VERSION)
        return base_err_set(err, BASE_EINPUT, where, 0, 0,
                            "results store has schema version %llu, newer than this simulate "
                            "reads (%d)",
                            (unsigned long long)n, STORE_SCHEMA_VERSION);
    *version = (int)n;
    return BASE_OK;
}

static double ms(int64_t ns)
{
    return (double)ns / 1e6;
}

void store__rep_row_of(const eng_rep *rep, store__rep_row *row)
{
    double arrivals = 0, served = 0, errors = 0;
    for (int c = 0; c < MDL_NCLASS; c++) {
        arrivals += rep->arrivals[c];
        served += rep->served[c];
    }
    for (int c = 0; c < MDL_NCAUSE; c++)
        errors += rep->errors[c];
    row->requests = arrivals;
    row->served = served;
    row->errors = errors;
    row->error_rate_pct = arrivals > 0 ? 100.0 * errors / arrivals : 0;
    const hist *h = rep->api_latency;
    int any = h && hist_count(h) > 0;
    row->p50_ms = any ? ms(hist_percentile(h, 50)) : NAN;
    row->p95_ms = any ? ms(hist_percentile(h, 95)) : NAN;
    row->p99_ms = any ? ms(hist_percentile(h, 99)) : NAN;
}

const store__partial store__partials[] = {
    {"requests", "requests", "requests"},
    {"served", "requests", "served"},
    {"error_rate", "%", "error_rate_pct"},
    {"api_latency_p50", "ms", "api_latency_p50_ms"},
    {"api_latency_p95", "ms", "api_latency_p95_ms"},
    {"api_latency_p99", "ms", "api_latency_p99_ms"},
    {"peak_pods_ready", "pods", "peak_pods_ready"},
    {"peak_nodes", "nodes", "peak_nodes"},
};
const size_t store__npartials = sizeof store__partials / sizeof store__partials[0];

char *store__partials_sql(const char *param)
{
    /* CAST(... AS DOUBLE PRECISION): PostgreSQL's avg of an integer column is numeric; SQLite
     * reads the type name as REAL affinity (sqlite.org/datatype3.html, 3.1 rule 4) */
    base_buf b = {0};
    base_buf_adds(&b, "SELECT ");
    for (size_t i = 0; i < store__npartials; i++)
        base_buf_addf(&b, "%sCAST(avg(%s) AS DOUBLE PRECISION)", i ? ", " : "",
                      store__partials[i].column);
    base_buf_addf(&b, " FROM replications WHERE run_id = %s", param);
    if (b.oom) {
        base_buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* The top-level member `key` of the JSON object `text`, parsed alone, or NULL when the text has
 * none (or is not an object). A whole day's report.json is 5 MB, nearly all of it the series,
 * and its objectives a few hundred bytes near its end: parsing the whole report for them was
 * the largest part of finishing the run's record (perf, black-friday: 0.13 s of 0.2 s). The
 * scan keeps track of depth outside strings only, so a key of the same name inside another
 * object (the scenario's own objectives) or inside a string is not taken for it. */
static json_t *top_member(const char *text, const char *key)
{
    size_t klen = strlen(key);
    int depth = 0;
    for (const char *p = text; *p; p++) {
        char c = *p;
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth <= 0)
                return NULL;
        } else if (c == '"') {
            const char *start = ++p;
            while (*p && *p != '"')
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (!*p)
                return NULL;
            const char *q = p + 1;
            while (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r')
                q++;
            if (depth == 1 && *q == ':' && (size_t)(p - start) == klen &&
                memcmp(start, key, klen) == 0) {
                json_error_t je;
                return json_loads(q + 1, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &je);
            }
        }
    }
    return NULL;
}

int store__objectives(const char *where, const char *report_json, store__objective_fn fn, void *ctx,
                      base_err *err)
{
    json_t *root = top_member(report_json, "objectives");
    if (!root) { /* none found: the whole text, as before, to say what is wrong with it */
        json_error_t je;
        json_t *doc = json_loads(report_json, 0, &je);
        if (!doc)
            return base_err_set(err, BASE_EINTERNAL, where, 0, 0,
                                "results store: the report is not JSON: %s", je.text);
        root = json_incref(json_object_get(doc, "objectives"));
        json_decref(doc);
    }
    int rc = BASE_OK;
    size_t i;
    json_t *o;
    json_array_foreach(root, i, o)
    {
        const char *status = json_string_value(json_object_get(o, "status"));
        json_t *m = json_object_get(o, "measured"), *h = json_object_get(o, "ci95_half_width");
        store__objective ob = {.position = (int)i,
                               .objective = json_string_value(json_object_get(o, "objective")),
                               .status = status ? status : "unknown",
                               .uncertain = json_is_true(json_object_get(o, "uncertain")),
                               .measured = json_is_number(m) ? json_number_value(m) : NAN,
                               .half = json_is_number(h) ? json_number_value(h) : NAN};
        rc = fn(ctx, &ob);
        if (rc)
            break;
    }
    json_decref(root);
    return rc;
}
