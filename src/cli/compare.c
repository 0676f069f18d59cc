/*
 * compare.c — `simulate compare`: variants side by side, on the same random traffic.
 *
 *   simulate compare A.yaml B.yaml ...     each file a variant
 *   simulate compare SCENARIO.yaml         its `variants:`, and its `sweep:` if it has one
 *
 * Every variant runs with the same seed and the same replications, so replication i of each
 * sees the same arrivals and the same per-request demands (common random numbers: Law 2015,
 * §11.2). A difference is then judged replication by replication: the 95% interval is over the
 * paired differences, far tighter than the two variants' own intervals would suggest.
 *
 * With a sweep, every variant runs at each load point (its phases scaled so that their peak is
 * the point), and the table shows where one variant becomes cheaper than another — linearly
 * interpolated between the two points that bracket the change — and where one meets the
 * objectives the other misses.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"

typedef struct cmp_opts {
    const char *files[SCN_MAX_VARIANTS];
    int nfiles;
    const char *output;
    int json;
    int quiet;
    int has_seed;
    uint64_t seed;
    int replications;
} cmp_opts;

static int usage_error(const char *msg, const char *what)
{
    fprintf(stderr, "simulate: compare: ");
    fprintf(stderr, msg, what);
    fputs(" (try 'simulate compare --help')\n", stderr);
    return CLI_EXIT_INPUT;
}

static int parse(int argc, char **argv, cmp_opts *o)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            puts("usage: simulate compare [options] A.yaml B.yaml ...\n"
                 "       simulate compare [options] SCENARIO.yaml   (its variants and sweep)\n"
                 "\n"
                 "Runs every variant with the same seed and replications (common random\n"
                 "numbers) and shows them side by side, with the differences from the first\n"
                 "and their 95% confidence intervals over paired replications.\n\n"
                 "options:\n"
                 "  -s, --seed N            seed of every variant\n"
                 "  -r, --replications N    replications of every variant (1-1024)\n"
                 "  -o, --output DIR        where compare.json goes (default out/compare-NAME/)\n"
                 "  -f, --format FMT        text (default) or json on stdout\n"
                 "  -q, --quiet             print nothing on success");
            return -1;
        }
        int has_value = !strcmp(a, "-s") || !strcmp(a, "--seed") || !strcmp(a, "-r") ||
                        !strcmp(a, "--replications") || !strcmp(a, "-o") ||
                        !strcmp(a, "--output") || !strcmp(a, "-f") || !strcmp(a, "--format");
        if (has_value && i + 1 >= argc)
            return usage_error("option '%s' needs a value", a);
        if (!strcmp(a, "-s") || !strcmp(a, "--seed")) {
            char *e;
            o->seed = strtoull(argv[++i], &e, 10);
            if (*e || !argv[i][0] || argv[i][0] == '-')
                return usage_error("--seed needs a whole number, not '%s'", argv[i]);
            o->has_seed = 1;
        } else if (!strcmp(a, "-r") || !strcmp(a, "--replications")) {
            char *e;
            long r = strtol(argv[++i], &e, 10);
            if (*e || r < 1 || r > 1024)
                return usage_error("--replications needs a whole number from 1 to 1024, not '%s'",
                                   argv[i]);
            o->replications = (int)r;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            o->output = argv[++i];
        } else if (!strcmp(a, "-f") || !strcmp(a, "--format")) {
            const char *f = argv[++i];
            if (strcmp(f, "text") && strcmp(f, "json"))
                return usage_error("--format must be text or json, not '%s'", f);
            o->json = !strcmp(f, "json");
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else {
            if (o->nfiles >= SCN_MAX_VARIANTS)
                return usage_error("at most 16 files%s", "");
            o->files[o->nfiles++] = a;
        }
    }
    if (o->nfiles == 0)
        return usage_error("name the scenarios to compare%s", "");
    return cli_check_output("--output", o->output, 1); /* found before the variants run */
}

/* The figures of the side-by-side table, in order. */
static const struct {
    const char *key, *label;
} rows[] = {
    {"requests", "requests"},
    {"throughput", "throughput (req/s)"},
    {"error_rate", "errors (%)"},
    {"api_latency_p50", "API latency p50 (ms)"},
    {"api_latency_p95", "API latency p95 (ms)"},
    {"api_latency_p99", "API latency p99 (ms)"},
    {"latency_p99", "latency p99, all (ms)"},
    {"peak_pods_ready", "API pods (peak)"},
    {"peak_nodes", "nodes (peak)"},
    {"database_utilisation", "database CPU (%)"},
    {"aurora_acu_mean", "Aurora ACUs (writer, mean)"},
    {"rto", "RTO (s)"},
    {"rto_latency", "RTO, latency back (s)"},
    {"rpo", "RPO (s)"},
    {"outage_failed", "requests failed meanwhile"},
    {"monthly_cost", "monthly cost ($)"},
    {"cost_nodes", "  EC2 nodes ($)"},
    {"cost_database", "  database ($)"},
    {"cost_dr", "  DR region ($)"},
    {"cost_per_million", "cost per 1M requests ($)"},
};
#define NROWS (sizeof rows / sizeof rows[0])

typedef struct result {
    eng_summary sum;
    cli_verdict v[MDL_MAX_OBJECTIVES];
    size_t nv;
    int ran;
} result;

static int run_one(mdl_scenario *s, result *res, base_err *err)
{
    /* the variants are compared on their own windows: a month mix would run other scenarios
     * per variant and per sweep point; say so rather than price something else */
    if (s->month.nmix > 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "simulate compare does not run month mixes (month.mix): compare "
                            "the scenarios' windows, or run the mix with simulate");
    int st = eng_run(s, cli_default_jobs(), NULL, NULL, NULL, &res->sum, err);
    if (st == BASE_OK)
        st = cli_add_costs(&res->sum, NULL, 0, NULL, err);
    if (st == BASE_OK)
        st = cli_judge(&res->sum, res->v, &res->nv, err);
    res->ran = st == BASE_OK;
    return st;
}

static int all_met(const result *r)
{
    for (size_t i = 0; i < r->nv; i++)
        if (r->v[i].known && !r->v[i].met)
            return 0;
    return 1;
}

static void cell(char *buf, size_t len, double mean, double half)
{
    if (fabs(mean) >= 1000)
        snprintf(buf, len, "%.0f", mean);
    else if (fabs(mean) >= 10)
        snprintf(buf, len, "%.1f", mean);
    else
        snprintf(buf, len, "%.3g", mean);
    if (isfinite(half)) {
        size_t l = strlen(buf);
        /* rounding noise of a difference that is exactly constant across replications */
        if (fabs(half) < 1e-9 * (fabs(mean) > 1 ? fabs(mean) : 1))
            half = 0;
        if (fabs(half) >= 1000)
            snprintf(buf + l, len - l, " ± %.0f", half);
        else if (fabs(half) >= 10)
            snprintf(buf + l, len - l, " ± %.1f", half);
        else
            snprintf(buf + l, len - l, " ± %.2g", half);
    }
}

/* The paired difference b − a of a figure across replications. */
static stat_ci paired(const eng_figure *a, const eng_figure *b, int n)
{
    double d[1024];
    for (int i = 0; i < n && i < 1024; i++)
        d[i] = b->values[i] - a->values[i];
    return stat_mean_ci(d, n < 1024 ? n : 1024, 0.95);
}

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static void print_table(FILE *f, const scn_variant *v, const result *res, size_t n)
{
    fprintf(f, "\n  %-26s", "");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %22s", v[i].name);
    for (size_t i = 1; i < n; i++) {
        char h[160];
        snprintf(h, sizeof h, "%s − %s", v[i].name, v[0].name);
        fprintf(f, " %24s", h);
    }
    fputc('\n', f);
    for (size_t r = 0; r < NROWS; r++) {
        const eng_figure *f0 = eng_summary_figure(&res[0].sum, rows[r].key);
        int any = 0;
        for (size_t i = 0; i < n; i++)
            any = any || eng_summary_figure(&res[i].sum, rows[r].key);
        if (!any)
            continue;
        fprintf(f, "  %-26s", rows[r].label);
        for (size_t i = 0; i < n; i++) {
            const eng_figure *fi = eng_summary_figure(&res[i].sum, rows[r].key);
            char c[64] = "–";
            if (fi)
                cell(c, sizeof c, fi->ci.mean, fi->ci.half);
            fprintf(f, " %22s", c);
        }
        for (size_t i = 1; i < n; i++) {
            const eng_figure *fi = eng_summary_figure(&res[i].sum, rows[r].key);
            char c[64] = "–";
            if (f0 && fi) {
                stat_ci d = paired(f0, fi, res[0].sum.replications);
                cell(c, sizeof c, d.mean, d.half);
                if (d.mean > 0 && c[0] != '-') {
                    memmove(c + 1, c, strlen(c) + 1);
                    c[0] = '+';
                }
            }
            fprintf(f, " %24s", c);
        }
        fputc('\n', f);
    }
    if (res[0].nv > 0) {
        fprintf(f, "  %-26s", "objectives");
        for (size_t i = 0; i < n; i++) {
            size_t met = 0, known = 0;
            for (size_t j = 0; j < res[i].nv; j++) {
                known += res[i].v[j].known;
                met += res[i].v[j].known && res[i].v[j].met;
            }
            char c[64];
            snprintf(c, sizeof c, "%zu of %zu met", met, known);
            fprintf(f, " %22s", c);
        }
        fputc('\n', f);
    }
}

static json_t *variant_json(const scn_variant *v, const result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(v->name));
    json_t *figs = json_object();
    for (size_t k = 0; k < NROWS; k++) {
        const eng_figure *f = eng_summary_figure(&r->sum, rows[k].key);
        if (!f)
            continue;
        json_t *e = json_object();
        json_object_set_new(e, "unit", json_string(f->unit));
        json_object_set_new(e, "mean", num(f->ci.mean));
        json_object_set_new(e, "ci95_half_width", num(f->ci.half));
        json_object_set_new(figs, rows[k].key, e);
    }
    json_object_set_new(o, "figures", figs);
    json_t *objs = json_array();
    for (size_t j = 0; j < r->nv; j++) {
        json_t *e = json_object();
        json_object_set_new(e, "objective", json_string(r->v[j].o.text));
        json_object_set_new(e, "status", json_string(!r->v[j].known ? "not measured"
                                                     : r->v[j].met  ? "met"
                                                                    : "failed"));
        json_object_set_new(e, "measured", r->v[j].known ? num(r->v[j].ci.mean) : json_null());
        json_array_append_new(objs, e);
    }
    json_object_set_new(o, "objectives", objs);
    return o;
}

/* ---------------------------------------------------------------- the sweep */

typedef struct point {
    double load;
    double cost[SCN_MAX_VARIANTS], cost_half[SCN_MAX_VARIANTS];
    double p99[SCN_MAX_VARIANTS], err[SCN_MAX_VARIANTS];
    double db_cost[SCN_MAX_VARIANTS], db_util[SCN_MAX_VARIANTS];
    int met[SCN_MAX_VARIANTS];
    int priced;
} point;

static int sweep(scn_variant *v, size_t n, const cmp_opts *o, point *pts, int npts,
                 base_err *err)
{
    const mdl_scenario *b = &v[0].s;
    for (int k = 0; k < npts; k++) {
        point *p = &pts[k];
        p->load = b->sweep.from + (b->sweep.to - b->sweep.from) * k / (npts - 1);
        p->priced = 1;
        for (size_t i = 0; i < n; i++) {
            mdl_scenario *s = malloc(sizeof *s);
            result *r = calloc(1, sizeof *r);
            if (!s || !r) {
                free(s);
                free(r);
                return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            }
            *s = v[i].s;
            double peak = mdl_traffic_peak(&s->traffic);
            if (peak > 0)
                mdl_traffic_scale(&s->traffic, p->load / peak);
            (void)o;
            int st = run_one(s, r, err);
            if (st == BASE_OK) {
                const eng_figure *c = eng_summary_figure(&r->sum, "monthly_cost");
                const eng_figure *l = eng_summary_figure(&r->sum, "api_latency_p99");
                const eng_figure *e = eng_summary_figure(&r->sum, "error_rate");
                const eng_figure *dc = eng_summary_figure(&r->sum, "cost_database");
                const eng_figure *du = eng_summary_figure(&r->sum, "database_utilisation");
                p->db_cost[i] = dc ? dc->ci.mean : NAN;
                p->db_util[i] = du ? du->ci.mean : NAN;
                p->cost[i] = c ? c->ci.mean : NAN;
                p->cost_half[i] = c ? c->ci.half : NAN;
                p->priced = p->priced && c;
                p->p99[i] = l ? l->ci.mean : NAN;
                p->err[i] = e ? e->ci.mean : NAN;
                p->met[i] = all_met(r);
            }
            if (r->ran)
                eng_summary_clear(&r->sum);
            free(r);
            free(s);
            if (st != BASE_OK)
                return st;
        }
    }
    return BASE_OK;
}

/* Where variant i's cost crosses variant j's: linear interpolation between the bracketing
 * points (their index in *k, the later one). NAN when it never does within the sweep. */
static double crossover(const point *pts, int npts, size_t i, size_t j, int *at)
{
    for (int k = 1; k < npts; k++) {
        double d0 = pts[k - 1].cost[i] - pts[k - 1].cost[j], d1 = pts[k].cost[i] - pts[k].cost[j];
        if ((d0 < 0) != (d1 < 0) && d0 != d1) {
            *at = k;
            return pts[k - 1].load + (pts[k].load - pts[k - 1].load) * (0 - d0) / (d1 - d0);
        }
    }
    *at = -1;
    return NAN;
}

/* The cheapest variant at point k that meets the objectives; -1 when none does. */
static int cheapest_met(const point *p, size_t n)
{
    int best = -1;
    for (size_t i = 0; i < n; i++)
        if (p->met[i] && (best < 0 || p->cost[i] < p->cost[best]))
            best = (int)i;
    return best;
}

/* ---------------------------------------------------------------- the command */

int cli_compare(int argc, char **argv)
{
    cmp_opts o;
    memset(&o, 0, sizeof o);
    int st = parse(argc, argv, &o);
    if (st)
        return st < 0 ? CLI_EXIT_OK : st;
    base_err err;
    base_err_clear(&err);
    scn_variant *v = NULL;
    size_t n = 0;
    if (o.nfiles == 1) {
        st = scn_load_variants(o.files[0], &v, &n, &err);
    } else {
        v = calloc((size_t)o.nfiles, sizeof *v);
        if (!v)
            st = base_err_set(&err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        for (int i = 0; st == BASE_OK && i < o.nfiles; i++) {
            scn_variant *one = NULL;
            size_t k = 0;
            st = scn_load_variants(o.files[i], &one, &k, &err);
            if (st == BASE_OK && k != 1)
                st = base_err_set(&err, BASE_EINPUT, o.files[i], 0, 0,
                                  "has variants: compare it on its own");
            if (st == BASE_OK)
                v[i] = one[0];
            free(one);
        }
        n = (size_t)o.nfiles;
    }
    if (st != BASE_OK) {
        cli_print_error(&err);
        free(v);
        return st == BASE_EINPUT || st == BASE_EIO ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE;
    }
    if (n < 2 && !v[0].s.sweep.set) {
        free(v);
        return usage_error("needs two variants or more (files, or `variants:` in one file)%s",
                           "");
    }
    /* one seed, one number of replications: the pairs must line up */
    for (size_t i = 0; i < n; i++) {
        v[i].s.seed = o.has_seed ? o.seed : v[0].s.seed;
        v[i].s.replications = o.replications ? o.replications : v[0].s.replications;
    }
    result *res = calloc(n, sizeof *res);
    if (!res) {
        free(v);
        fputs("simulate: out of memory\n", stderr);
        return CLI_EXIT_FAILURE;
    }
    for (size_t i = 0; i < n && st == BASE_OK; i++)
        st = run_one(&v[i].s, &res[i], &err);
    point *pts = NULL;
    int npts = v[0].s.sweep.set ? v[0].s.sweep.steps : 0;
    if (st == BASE_OK && npts > 0) {
        pts = calloc((size_t)npts, sizeof *pts);
        st = pts ? sweep(v, n, &o, pts, npts, &err)
                 : base_err_set(&err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (st != BASE_OK) {
        cli_print_error(&err);
        for (size_t i = 0; i < n; i++)
            if (res[i].ran)
                eng_summary_clear(&res[i].sum);
        free(res);
        free(pts);
        free(v);
        return st == BASE_EINPUT ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE;
    }

    /* compare.json */
    json_t *root = json_object();
    json_object_set_new(root, "schema_version", json_integer(1));
    json_object_set_new(root, "simulate_version", json_string(SIMULATE_VERSION));
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)v[0].s.seed);
    json_object_set_new(root, "seed", json_string(seed));
    json_object_set_new(root, "replications", json_integer(v[0].s.replications));
    json_object_set_new(root, "common_random_numbers", json_true());
    /* the load the variants' figures are at, for the pack to state (docs/charts.md) */
    json_object_set_new(root, "peak_load", json_real(mdl_traffic_peak(&v[0].s.traffic)));
    json_object_set_new(root, "load_unit", json_string(v[0].s.traffic.by_rate ? "req/s" : "users"));
    json_t *vars = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(vars, variant_json(&v[i], &res[i]));
    json_object_set_new(root, "variants", vars);
    json_t *diffs = json_array();
    for (size_t i = 1; i < n; i++) {
        json_t *d = json_object();
        json_object_set_new(d, "variant", json_string(v[i].name));
        json_object_set_new(d, "minus", json_string(v[0].name));
        for (size_t k = 0; k < NROWS; k++) {
            const eng_figure *a = eng_summary_figure(&res[0].sum, rows[k].key);
            const eng_figure *b = eng_summary_figure(&res[i].sum, rows[k].key);
            if (!a || !b)
                continue;
            stat_ci c = paired(a, b, res[0].sum.replications);
            json_t *e = json_object();
            json_object_set_new(e, "mean", num(c.mean));
            json_object_set_new(e, "ci95_half_width", num(c.half));
            json_object_set_new(d, rows[k].key, e);
        }
        json_array_append_new(diffs, d);
    }
    json_object_set_new(root, "differences", diffs);
    if (pts) {
        json_t *sw = json_object();
        json_t *jp = json_array();
        for (int k = 0; k < npts; k++) {
            json_t *p = json_object();
            json_object_set_new(p, "peak_load", json_real(pts[k].load));
            json_t *per = json_object();
            for (size_t i = 0; i < n; i++) {
                json_t *e = json_object();
                json_object_set_new(e, "monthly_cost", num(pts[k].cost[i]));
                json_object_set_new(e, "monthly_cost_ci95_half_width", num(pts[k].cost_half[i]));
                json_object_set_new(e, "api_latency_p99_ms", num(pts[k].p99[i]));
                json_object_set_new(e, "error_rate", num(pts[k].err[i]));
                json_object_set_new(e, "database_monthly_cost", num(pts[k].db_cost[i]));
                json_object_set_new(e, "database_utilisation", num(pts[k].db_util[i]));
                json_object_set_new(e, "objectives_met", json_boolean(pts[k].met[i]));
                json_object_set_new(per, v[i].name, e);
            }
            json_object_set_new(p, "variants", per);
            int best = pts[k].priced ? cheapest_met(&pts[k], n) : -1;
            json_object_set_new(p, "cheapest_meeting_objectives",
                                best >= 0 ? json_string(v[best].name) : json_null());
            json_array_append_new(jp, p);
        }
        json_object_set_new(sw, "points", jp);
        /* every pair whose costs cross inside the sweep */
        json_t *cx = json_array();
        for (size_t i = 0; pts[0].priced && i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                int at;
                double x = crossover(pts, npts, i, j, &at);
                if (!isfinite(x))
                    continue;
                size_t hi = pts[npts - 1].cost[i] < pts[npts - 1].cost[j] ? i : j;
                json_t *e = json_object();
                json_object_set_new(e, "cheaper_below", json_string(v[hi == i ? j : i].name));
                json_object_set_new(e, "cheaper_above", json_string(v[hi].name));
                json_object_set_new(e, "peak_load", num(x));
                json_object_set_new(e, "between", json_pack("[f, f]", pts[at - 1].load,
                                                              pts[at].load));
                json_array_append_new(cx, e);
            }
        json_object_set_new(sw, "cost_crossovers", cx);
        json_object_set_new(root, "sweep", sw);
    }
    char dir[4096], path[4200];
    if (o.output)
        snprintf(dir, sizeof dir, "%s", o.output);
    else
        snprintf(dir, sizeof dir, "out/compare-%s", v[0].s.name);
    snprintf(path, sizeof path, "%s/compare.json", dir);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    int code = CLI_EXIT_OK;
    /* compare.json, then its charts and design-review pack beside it */
    if (!text || base_mkdir_p(dir, &err) != BASE_OK ||
        base_write_file_atomic(path, text, strlen(text), &err) != BASE_OK ||
        cli_write_charts(root, dir, &err) != BASE_OK) {
        if (!text)
            base_err_set(&err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        cli_print_error(&err);
        code = CLI_EXIT_FAILURE;
    } else if (!o.quiet && o.json) {
        puts(text);
    } else if (!o.quiet) {
        printf("simulate %s compare · %zu variants · %d replications each · seed %llu · common "
               "random numbers\nmean ± 95%% CI; differences over paired replications\n",
               SIMULATE_VERSION, n, v[0].s.replications, (unsigned long long)v[0].s.seed);
        print_table(stdout, v, res, n);
        if (pts) {
            printf("\n  sweep: peak %s from %.0f to %.0f in %d steps\n",
                   v[0].s.traffic.by_rate ? "requests/s" : "users", v[0].s.sweep.from,
                   v[0].s.sweep.to, npts);
            printf("  %12s", "peak load");
            for (size_t i = 0; i < n; i++)
                printf(" %24s", v[i].name);
            printf("   %s\n", "cheapest that meets the objectives");
            for (int k = 0; k < npts; k++) {
                printf("  %12.0f", pts[k].load);
                for (size_t i = 0; i < n; i++) {
                    char c[64];
                    if (pts[k].priced)
                        snprintf(c, sizeof c, "$%.0f ±%.0f/mo %s", pts[k].cost[i],
                                 pts[k].cost_half[i], pts[k].met[i] ? "ok" : "MISSES");
                    else
                        snprintf(c, sizeof c, "p99 %.0fms %s", pts[k].p99[i],
                                 pts[k].met[i] ? "ok" : "MISSES");
                    printf(" %24s", c);
                }
                int best = pts[k].priced ? cheapest_met(&pts[k], n) : -1;
                printf("   %s\n", best >= 0 ? v[best].name : (pts[k].priced ? "none" : "–"));
            }
            for (size_t i = 0; pts[0].priced && i < n; i++)
                for (size_t j = i + 1; j < n; j++) {
                    int at;
                    double x = crossover(pts, npts, i, j, &at);
                    if (!isfinite(x))
                        continue;
                    size_t hi = pts[npts - 1].cost[i] < pts[npts - 1].cost[j] ? i : j;
                    printf("  %s becomes cheaper than %s at a peak of about %.0f (between %.0f "
                           "and %.0f)\n",
                           v[hi].name, v[hi == i ? j : i].name, x, pts[at - 1].load,
                           pts[at].load);
                }
            for (size_t i = 1; i < n; i++)
                for (int k = 0; k < npts; k++)
                    if (pts[k].met[i] != pts[k].met[0]) {
                        printf("  at %.0f, %s %s the objectives and %s %s them\n", pts[k].load,
                               v[i].name, pts[k].met[i] ? "meets" : "misses", v[0].name,
                               pts[k].met[0] ? "meets" : "misses");
                        break;
                    }
        }
        printf("\nreport: %s\n", path);
    }
    free(text);
    json_decref(root);
    for (size_t i = 0; i < n; i++)
        if (res[i].ran)
            eng_summary_clear(&res[i].sum);
    free(res);
    free(pts);
    free(v);
    return code;
}
