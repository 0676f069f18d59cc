/*
 * check.c — `simulate check`: the gate a CI job puts on a pull request.
 *
 *   simulate check SCENARIO.yaml... [--budget USD] [--baseline REPORT|RUN] [--max-increase PCT]
 *                  [--junit FILE] [--markdown FILE] [run options]
 *
 * Each scenario runs exactly as `simulate SCENARIO` runs it (cli_run: report.json, results
 * store), then faces three kinds of checks, each PASS, FAIL, UNCERTAIN or SKIP:
 *   - its objectives, k6 thresholds already judged by cli_judge; one the run cannot measure
 *     (rto without a failure) is SKIP, never a pass;
 *   - --budget: the monthly cost must be below it;
 *   - --max-increase: the monthly cost may not rise more than PCT% over --baseline's.
 * Every check is judged on the mean across replications, as the objectives are. UNCERTAIN is a
 * pass whose 95% interval straddles the threshold (a warning: more replications would tell); a
 * failure whose interval straddles it stays a FAIL, marked uncertain. Exit 1 when any check
 * failed, so the job fails; 2 and 3 as everywhere else (cli.h).
 *
 * Money is compared in whole cents, the unit the comment shows: a baseline read back from a
 * report.json carries 10 significant digits, so "the same run" must compare equal, and a
 * budget or an increase exactly at its threshold must land on the documented side of it.
 *
 * The JUnit XML and the Markdown hold nothing but the inputs and the simulated figures (no
 * clock, no host, no run number of the new run), so the same inputs give the same bytes and a
 * sticky PR comment changes only when the results do. docs/ci.md shows it in a workflow.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost/cost.h"
#include "io/io.h"
#include "store/store.h"

#define CHK_MAX_SCENARIOS 64
#define CHK_MAX_BASELINES 16
#define CHK_MAX_CHECKS    (MDL_MAX_OBJECTIVES + 2)
#define CHK_MAX_PARTS     32 /* >= cli_cost_nparts, checked at run time */

/* ---------------------------------------------------------------- options */

typedef struct chk_opts {
    const char *files[CHK_MAX_SCENARIOS];
    int nfiles;
    const char *baselines[CHK_MAX_BASELINES];
    int nbaselines;
    int has_budget;
    int64_t budget; /* micro-USD a month */
    int has_max_increase;
    double max_increase; /* fraction: 0.10 for 10% */
    const char *max_increase_text;
    const char *junit, *markdown, *db, *output, *fidelity;
    int jobs, quiet, has_seed, replications;
    uint64_t seed;
} chk_opts;

/* One table drives parsing and --help, so the two cannot drift (conventions §10). */
static const cli_flag options[] = {
    {"budget", 0, true, "USD", "fail unless the monthly cost is below USD (5000, $5,000.50, 5k)"},
    {"baseline", 0, true, "REPORT|RUN", "compare costs with a run: its report.json, or its number"},
    {"max-increase", 0, true, "PCT", "fail when the monthly cost rose more than PCT% (10, 10%)"},
    {"junit", 0, true, "FILE", "write the checks as JUnit XML (one testsuite per scenario)"},
    {"markdown", 0, true, "FILE",
     "write a pull-request comment: costs against the baseline, checks"},
    {"db", 0, true, "PATH", "results store (default DIR/results.db with -o, else out/results.db)"},
    {"output", 'o', true, "DIR",
     "output folder (default out/NAME/; DIR/NAME/ with several scenarios)"},
    {"jobs", 'j', true, "N", "replications run at once on threads (default: the cores)"},
    {"seed", 's', true, "N", "seed of every random stream (overrides the scenario's)"},
    {"replications", 'r', true, "N", "independent replications, 1-1024 (overrides the scenario's)"},
    {"fidelity", 0, true, "MODE", "traffic engine: request, flow or auto"},
    {"quiet", 'q', false, NULL, "nothing on stdout (failed checks still go to stderr)"},
    {"help", 'h', false, NULL, "show this help and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void help(FILE *f)
{
    fputs("usage: simulate check [options] SCENARIO.yaml...\n"
          "\n"
          "Runs each scenario and gates on it: every objective (k6-style thresholds), the\n"
          "monthly cost against --budget, and its increase over a --baseline run. Checks are\n"
          "judged on the mean across replications; UNCERTAIN marks a pass whose 95% interval\n"
          "straddles the threshold, SKIP an objective the run cannot measure.\n"
          "\n"
          "--baseline RUN is a run's number in the results store (--db); --baseline may be\n"
          "repeated, and with several scenarios each is compared with the baseline of its name.\n"
          "\noptions:\n",
          f);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_flag *o = &options[i];
        char left[48];
        snprintf(left, sizeof left, "%c%c%c --%s%s%s", o->shrt ? '-' : ' ', o->shrt ? o->shrt : ' ',
                 o->shrt ? ',' : ' ', o->lng, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fprintf(f, "  %-26s %s\n", left, o->help);
    }
    fputs("\nexit codes: 0 every check passed, 1 a check failed, 2 bad input or usage,\n"
          "3 the run failed otherwise\n",
          f);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("simulate: check: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (try 'simulate check --help')\n", stderr);
    va_end(ap);
    return CLI_EXIT_INPUT;
}

/* A monthly budget: scn_parse_money's amounts ($5,000.50) with an optional k or M, as people
 * write budgets (5k). */
static int parse_budget(const char *text, int64_t *micro)
{
    char b[64];
    size_t len = strlen(text);
    if (len == 0 || len >= sizeof b)
        return -1;
    memcpy(b, text, len + 1);
    int64_t mult = 1;
    if (b[len - 1] == 'k' || b[len - 1] == 'K')
        mult = 1000;
    else if (b[len - 1] == 'M')
        mult = 1000000;
    if (mult > 1)
        b[--len] = '\0';
    int64_t m;
    if (scn_parse_money(b, &m, NULL) != BASE_OK || m > INT64_MAX / mult || m == 0)
        return -1;
    *micro = m * mult;
    return 0;
}

/* A percentage with or without its % sign (10, 10%, 2.5%), not negative. */
static int parse_pct(const char *text, double *fraction)
{
    char b[64];
    size_t len = strlen(text);
    if (len == 0 || len + 2 > sizeof b)
        return -1;
    memcpy(b, text, len + 1);
    if (b[len - 1] != '%')
        memcpy(b + len, "%", 2);
    return scn_parse_percent(b, fraction, NULL) == BASE_OK ? 0 : -1;
}

static int apply(chk_opts *o, const cli_flag *opt, const char *val)
{
    const char *n = opt->lng;
    if (!strcmp(n, "budget")) {
        if (parse_budget(val, &o->budget))
            return usage_error("--budget needs a monthly amount in US dollars above 0 (5000, "
                               "$5,000.50, 5k), not '%s'",
                               val);
        o->has_budget = 1;
    } else if (!strcmp(n, "baseline")) {
        if (o->nbaselines >= CHK_MAX_BASELINES)
            return usage_error("at most %d baselines", CHK_MAX_BASELINES);
        o->baselines[o->nbaselines++] = val;
    } else if (!strcmp(n, "max-increase")) {
        /* capped so that the integer comparison in judge_increase cannot overflow */
        if (parse_pct(val, &o->max_increase) || o->max_increase > 1000)
            return usage_error("--max-increase needs a percentage from 0 to 100000 (10 or 10%%), "
                               "not '%s'",
                               val);
        o->has_max_increase = 1;
        o->max_increase_text = val;
    } else if (!strcmp(n, "junit")) {
        o->junit = val;
    } else if (!strcmp(n, "markdown")) {
        o->markdown = val;
    } else if (!strcmp(n, "db")) {
        o->db = val;
    } else if (!strcmp(n, "output")) {
        o->output = val;
    } else if (!strcmp(n, "fidelity")) {
        if (strcmp(val, "request") && strcmp(val, "flow") && strcmp(val, "auto"))
            return usage_error("--fidelity must be request, flow or auto, not '%s'", val);
        o->fidelity = val;
    } else if (!strcmp(n, "jobs")) {
        uint64_t j;
        if (cli_parse_uint(val, ENG_MAX_JOBS, &j) || j < 1)
            return usage_error("--jobs needs a whole number from 1 to %d, not '%s'", ENG_MAX_JOBS,
                               val);
        o->jobs = (int)j;
    } else if (!strcmp(n, "seed")) {
        if (cli_parse_uint(val, UINT64_MAX, &o->seed))
            return usage_error("--seed needs a whole number from 0 to 2^64-1, not '%s'", val);
        o->has_seed = 1;
    } else if (!strcmp(n, "replications")) {
        uint64_t r;
        if (cli_parse_uint(val, ENG_MAX_REPLICATIONS, &r) || r < 1)
            return usage_error("--replications needs a whole number from 1 to %d, not '%s'",
                               ENG_MAX_REPLICATIONS, val);
        o->replications = (int)r;
    } else if (!strcmp(n, "quiet")) {
        o->quiet = 1;
    } else if (!strcmp(n, "help")) {
        help(stdout);
        return -1;
    }
    return 0;
}

/* 0 to go on, -1 after --help, else the exit code of a usage error. */
static int parse(int argc, char **argv, chk_opts *o)
{
    cli_args a = {argc, argv, 0, false};
    cli_arg x;
    char msg[256];
    for (int more = 1; more;) {
        switch (cli_args_next(&a, options, NOPTIONS, &x, msg, sizeof msg)) {
        case CLI_ARGS_END: more = 0; break;
        case CLI_ARGS_BAD: return usage_error("%s", msg);
        case CLI_ARGS_WORD:
            if (o->nfiles >= CHK_MAX_SCENARIOS)
                return usage_error("at most %d scenarios", CHK_MAX_SCENARIOS);
            o->files[o->nfiles++] = x.word;
            break;
        default: {
            int st = apply(o, x.flag, x.value);
            if (st)
                return st;
        }
        }
    }
    if (o->nfiles == 0)
        return usage_error("which scenario? (simulate check SCENARIO.yaml...)");
    if (o->has_max_increase && o->nbaselines == 0)
        return usage_error("--max-increase needs a --baseline to compare with");
    return 0;
}

/* ---------------------------------------------------------------- baselines */

typedef struct baseline {
    char source[4200];       /* as the output names it: the path, or "run N of STORE" */
    char name[MDL_NAME_MAX]; /* its scenario.name; "" when the report has none */
    double total;            /* figures.monthly_cost.mean, USD */
    double part[CHK_MAX_PARTS];
    int has_part[CHK_MAX_PARTS]; /* the report has figures.<cli_cost_parts[k].key> */
} baseline;

/* An amount the cent arithmetic below holds exactly: from $0 to a trillion dollars a month. */
static int plausible(double usd)
{
    return isfinite(usd) && usd >= 0 && usd < 1e12;
}

static int from_json(json_t *root, const char *file, baseline *b, base_err *err)
{
    /* a report of a newer schema may mean its figures differently: refuse rather than guess */
    json_t *ver = json_object_get(root, "schema_version");
    if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
                json_integer_value(ver) > REP_SCHEMA_VERSION)) {
        char v[32] = "not a whole number";
        if (json_is_integer(ver))
            snprintf(v, sizeof v, "%lld", (long long)json_integer_value(ver));
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "baseline: schema_version %s is not one this simulate reads (1 to %d)",
                            v, REP_SCHEMA_VERSION);
    }
    json_t *figs = json_object_get(root, "figures");
    json_t *mc = json_object_get(json_object_get(figs, "monthly_cost"), "mean");
    if (!json_is_object(figs))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "the baseline is not a report.json of simulate (no figures)");
    if (!json_is_number(mc))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "the baseline has no monthly cost (its run had no pricing file)");
    b->total = json_number_value(mc);
    if (!plausible(b->total))
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "the baseline's monthly cost is not an amount of US dollars");
    const char *name =
        json_string_value(json_object_get(json_object_get(root, "scenario"), "name"));
    snprintf(b->name, sizeof b->name, "%s", name ? name : "");
    for (size_t k = 0; k < cli_cost_nparts; k++) {
        json_t *m = json_object_get(json_object_get(figs, cli_cost_parts[k].key), "mean");
        b->has_part[k] = json_is_number(m) && plausible(json_number_value(m));
        b->part[k] = b->has_part[k] ? json_number_value(m) : 0;
    }
    return BASE_OK;
}

/* A baseline: a run number (all digits) in the results store check's runs go to, else the
 * path of a report.json (write ./12 for a file named 12). */
static int load_baseline(const chk_opts *o, const char *arg, baseline *b, base_err *err)
{
    memset(b, 0, sizeof b[0]);
    uint64_t id;
    json_t *root = NULL;
    json_error_t je;
    const char *file = arg;
    char path[4096];
    if (cli_is_run_number(arg) && cli_parse_uint(arg, INT64_MAX, &id) != 0)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "--baseline: a run's number goes up to 2^63-1, not '%s'", arg);
    if (cli_parse_uint(arg, INT64_MAX, &id) == 0) {
        if (id < 1)
            return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                                "--baseline: a run's number starts at 1, not '%s'", arg);
        cli_store_path(o->db, o->output, path, sizeof path);
        file = path;
        store *st;
        char *text = NULL;
        int rc = store_open_read(path, &st, err); /* looking for a run must not create a store */
        if (rc != BASE_OK)
            return rc;
        rc = store_report(st, (int64_t)id, &text, err);
        store_close(st);
        if (rc != BASE_OK)
            return rc;
        root = json_loads(text, 0, &je);
        free(text);
        snprintf(b->source, sizeof b->source, "run %s of %s", arg, path);
    } else {
        FILE *f;
        int rc = base_open_regular(arg, 0, &f, err); /* a FIFO would block forever */
        if (rc != BASE_OK)
            return rc == BASE_EIO ? BASE_EINPUT : rc; /* a missing baseline is the user's input */
        root = json_loadf(f, 0, &je);
        fclose(f);
        snprintf(b->source, sizeof b->source, "%s", arg);
    }
    if (!root) /* jansson's column is 0 at the end of a line: point at the line, then */
        return base_err_set(err, BASE_EINPUT, file, je.line > 0 ? je.line : 0,
                            je.line > 0 ? (je.column > 0 ? je.column : 1) : 0, "baseline: %s",
                            je.text);
    int rc = from_json(root, file, b, err);
    json_decref(root);
    return rc;
}

int cli_baseline_parse(const char *file, const char *text, size_t len, double *monthly_usd,
                       base_err *err)
{
    json_error_t je;
    baseline *b = calloc(1, sizeof *b);
    if (!b)
        return base_err_set(err, BASE_ENOMEM, file, 0, 0, "out of memory");
    json_t *root = json_loadb(text, len, 0, &je);
    int rc = root ? from_json(root, file, b, err)
                  : base_err_set(err, BASE_EINPUT, file, je.line > 0 ? je.line : 0,
                                 je.line > 0 ? (je.column > 0 ? je.column : 1) : 0, "baseline: %s",
                                 je.text);
    if (rc == BASE_OK && monthly_usd)
        *monthly_usd = b->total;
    json_decref(root);
    free(b);
    return rc;
}

/* ---------------------------------------------------------------- outcomes */

typedef enum chk_status { CHK_PASS, CHK_UNCERTAIN, CHK_FAIL, CHK_SKIP } chk_status;

static const char *const status_word[] = {"PASS", "UNCERTAIN", "FAIL", "SKIP"};
static const char *const status_icon[] = {"✅", "⚠️", "❌", "⏭️"};

typedef struct check {
    char name[160];     /* the objective as written, "budget: ...", "max increase: ..." */
    chk_status status;  /* on the mean */
    int uncertain;      /* the 95% interval straddles the threshold (also on a FAIL) */
    char measured[192]; /* "158.9 ± 0 ms", or why it is skipped */
    char threshold[96]; /* "< 300 ms" */
} check;

/* One scenario's result: what the outputs need once its run is released. */
typedef struct outcome {
    const char *file;
    char name[MDL_NAME_MAX];
    char engine[16];
    uint64_t seed;
    int replications;
    char report[4096];
    int priced;
    double month_hours;
    long long now_c[CHK_MAX_PARTS]; /* each component's mean, cents */
    long long total_c;              /* monthly_cost's mean, cents */
    double total, total_half;       /* USD; half NaN with one replication */
    const baseline *base;           /* NULL: none given, or none matched */
    check checks[CHK_MAX_CHECKS];
    size_t n;
} outcome;

static long long cents(double usd)
{
    return llround(usd * 100.0);
}

static const char *money_c(long long c, char *buf, size_t len)
{
    return cost_format((int64_t)c * 10000, buf, len);
}

/* A difference with its sign: "+$12.50", "-$3.00", "$0.00". */
static const char *signed_money_c(long long c, char *buf, size_t len)
{
    char m[32]; /* cost_format: 32 always suffices */
    money_c(c, m, sizeof m);
    snprintf(buf, len, "%s%s", c > 0 ? "+" : "", m);
    return buf;
}

/* A change in percent: "+10.0%", "+0.0041%"; "new" from nothing. */
static const char *pct_change(long long now, long long base, char *buf, size_t len)
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

/* A figure for people: 412.3, 59357.5, 0.05. */
static void num(char *buf, size_t len, double x, int sig)
{
    if (fabs(x) >= 100)
        snprintf(buf, len, "%.1f", x);
    else
        snprintf(buf, len, "%.*g", sig, x);
}

static void measured_text(char *buf, size_t len, const char *unit, double mean, double half)
{
    char m[48], h[48];
    if (!strcmp(unit, "USD")) {
        cost_format((int64_t)llround(mean * 1e6), m, sizeof m);
        cost_format((int64_t)llround(half * 1e6), h, sizeof h);
    } else {
        num(m, sizeof m, mean, 4);
        num(h, sizeof h, half, 3);
    }
    const char *sp = !strcmp(unit, "USD") || !unit[0] ? "" : " ";
    const char *u = !strcmp(unit, "USD") ? "" : unit;
    if (isfinite(half))
        snprintf(buf, len, "%s ± %s%s%s", m, h, sp, u);
    else
        snprintf(buf, len, "%s%s%s", m, sp, u);
}

static const char *op_text(slo_op op)
{
    return op == SLO_LT ? "<" : op == SLO_LE ? "<=" : op == SLO_GT ? ">" : ">=";
}

static void judge_objectives(outcome *oc, const cli_run_result *res)
{
    for (size_t i = 0; i < res->nv && oc->n < CHK_MAX_CHECKS; i++) {
        const cli_verdict *v = &res->verdicts[i];
        check *c = &oc->checks[oc->n++];
        snprintf(c->name, sizeof c->name, "%s", v->o.text);
        const char *unit = slo_unit(&v->o);
        char val[48];
        if (!strcmp(unit, "USD"))
            cost_format((int64_t)llround(v->o.value * 1e6), val, sizeof val);
        else
            snprintf(val, sizeof val, "%g %s", v->o.value, unit);
        snprintf(c->threshold, sizeof c->threshold, "%s %s", op_text(v->o.op), val);
        if (!v->known) {
            c->status = CHK_SKIP;
            snprintf(c->measured, sizeof c->measured, "not measured by this run");
            continue;
        }
        char m[150]; /* with the bound's words, within c->measured */
        measured_text(m, sizeof m, unit, v->ci.mean, v->ci.half);
        /* beyond: a lower bound (cli_verdict.beyond) */
        snprintf(c->measured, sizeof c->measured,
                 v->beyond ? "> %s (beyond the histograms' range)" : "%s", m);
        c->uncertain = v->uncertain;
        c->status = !v->met ? CHK_FAIL : v->uncertain ? CHK_UNCERTAIN : CHK_PASS;
    }
}

static void judge_budget(outcome *oc, int64_t budget)
{
    check *c = &oc->checks[oc->n++];
    char b[40];
    cost_format(budget, b, sizeof b);
    snprintf(c->name, sizeof c->name, "budget: monthly_cost < %s", b);
    snprintf(c->threshold, sizeof c->threshold, "< %s", b);
    measured_text(c->measured, sizeof c->measured, "USD", oc->total, oc->total_half);
    /* below the budget, to the cent; uncertain as cli_judge says it of an objective */
    int met = (int64_t)oc->total_c * 10000 < budget;
    c->uncertain =
        isfinite(oc->total_half) && fabs(oc->total - (double)budget / 1e6) < oc->total_half;
    c->status = !met ? CHK_FAIL : c->uncertain ? CHK_UNCERTAIN : CHK_PASS;
}

static void judge_increase(outcome *oc, const chk_opts *o, const char *why_none)
{
    check *c = &oc->checks[oc->n++];
    char pct[32];
    snprintf(pct, sizeof pct, "%g%%", o->max_increase * 100);
    snprintf(c->name, sizeof c->name, "max increase: monthly_cost <= baseline + %s", pct);
    if (!oc->base) {
        c->status = CHK_SKIP;
        snprintf(c->threshold, sizeof c->threshold, "<= baseline + %s", pct);
        snprintf(c->measured, sizeof c->measured, "%.180s", why_none); /* names cut short */
        return;
    }
    long long base = cents(oc->base->total), now = oc->total_c;
    /* fail when (now - base) / base > f, in integers: f as parts per 10^8 (exact for a
     * percentage with up to six decimals), products exact below 2^53 cents */
    long long f8 = llround(o->max_increase * 1e8);
    int met = base > 0 ? (double)(now - base) * 1e8 <= (double)f8 * (double)base : now <= base;
    double limit = (double)base / 100.0 * (1 + o->max_increase);
    char lim[40], n[40], bs[40], ch[32];
    cost_format((int64_t)llround(limit * 1e6), lim, sizeof lim);
    snprintf(c->threshold, sizeof c->threshold, "<= +%s (%s)", pct, lim);
    snprintf(c->measured, sizeof c->measured, "%s: %s vs %s", pct_change(now, base, ch, sizeof ch),
             money_c(now, n, sizeof n), money_c(base, bs, sizeof bs));
    c->uncertain = base > 0 && isfinite(oc->total_half) && fabs(oc->total - limit) < oc->total_half;
    c->status = !met ? CHK_FAIL : c->uncertain ? CHK_UNCERTAIN : CHK_PASS;
}

static size_t count(const outcome *oc, chk_status s)
{
    size_t k = 0;
    for (size_t i = 0; i < oc->n; i++)
        k += oc->checks[i].status == s;
    return k;
}

/* ---------------------------------------------------------------- text */

/* Columns of UTF-8 text ("±" is one column, two bytes). */
static int columns(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad(FILE *f, const char *s, int width)
{
    fputs(s, f);
    for (int k = columns(s); k < width; k++)
        fputc(' ', f);
}

static void print_outcome(FILE *f, const outcome *oc, const chk_opts *o, const char *why_none)
{
    fprintf(f, "simulate %s check · %s · %s engine · %d replication%s · seed %llu\n",
            SIMULATE_VERSION, oc->name, oc->engine, oc->replications,
            oc->replications == 1 ? "" : "s", (unsigned long long)oc->seed);
    int w = 0;
    for (size_t i = 0; i < oc->n; i++)
        if (columns(oc->checks[i].name) > w)
            w = columns(oc->checks[i].name);
    int wm = 0;
    for (size_t i = 0; i < oc->n; i++)
        if (columns(oc->checks[i].measured) > wm)
            wm = columns(oc->checks[i].measured);
    for (size_t i = 0; i < oc->n; i++) {
        const check *c = &oc->checks[i];
        fputs("  ", f);
        pad(f, status_word[c->status], 10);
        pad(f, c->name, w + 2);
        pad(f, c->measured, wm + 2);
        fputs(c->threshold, f);
        if (c->status == CHK_UNCERTAIN)
            fputs("  (passes on the mean; the 95% interval straddles the threshold)", f);
        else if (c->status == CHK_FAIL && c->uncertain)
            fputs("  (uncertain: the 95% interval straddles the threshold)", f);
        fputc('\n', f);
    }
    if (oc->n == 0)
        fputs("  no checks: the scenario has no objectives, and no --budget or --baseline\n", f);
    if (oc->priced && o->nbaselines && !oc->base && !o->has_max_increase)
        fprintf(f, "  %s\n", why_none);
    if (oc->priced && oc->base) {
        fprintf(f, "  monthly cost against %s\n", oc->base->source);
        fprintf(f, "    %-26s %14s %14s   %s\n", "component", "baseline", "now", "difference");
        for (size_t k = 0; k <= cli_cost_nparts; k++) {
            int total = k == cli_cost_nparts;
            long long b = total ? cents(oc->base->total) : cents(oc->base->part[k]);
            long long n = total ? oc->total_c : oc->now_c[k];
            if (!total && b == 0 && n == 0)
                continue;
            char bs[40], ns[40], ds[40], ps[32];
            if (!total && !oc->base->has_part[k])
                snprintf(bs, sizeof bs, "–");
            else
                money_c(b, bs, sizeof bs);
            fputs("    ", f);
            pad(f, total ? "total" : cli_cost_parts[k].label, 27);
            fprintf(f, "%14s %14s   %s (%s)\n", bs, money_c(n, ns, sizeof ns),
                    signed_money_c(n - b, ds, sizeof ds), pct_change(n, b, ps, sizeof ps));
        }
    }
    fprintf(f, "  report: %s\n", oc->report);
    fprintf(f, "  %s: %zu passed, %zu failed, %zu uncertain, %zu skipped\n\n", oc->name,
            count(oc, CHK_PASS), count(oc, CHK_FAIL), count(oc, CHK_UNCERTAIN),
            count(oc, CHK_SKIP));
}

/* The length of the valid UTF-8 sequence at s, 0 when it is not one (a path from argv may be
 * any bytes; XML and GitHub want UTF-8). */
static size_t utf8_len(const unsigned char *s)
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

/* Text for an XML attribute or element: the five entities, line breaks kept as references,
 * characters XML 1.0 forbids dropped, invalid UTF-8 as U+FFFD. */
static void add_xml(base_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0) {
            base_buf_adds(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        switch (*p) {
        case '&': base_buf_adds(b, "&amp;"); break;
        case '<': base_buf_adds(b, "&lt;"); break;
        case '>': base_buf_adds(b, "&gt;"); break;
        case '"': base_buf_adds(b, "&quot;"); break;
        case '\'': base_buf_adds(b, "&apos;"); break;
        case '\n': base_buf_adds(b, "&#10;"); break;
        case '\t': base_buf_adds(b, "&#9;"); break;
        case '\r': base_buf_adds(b, "&#13;"); break;
        default:
            if (*p >= 0x20)
                base_buf_add(b, (const char *)p, n);
        }
        p += n;
    }
}

/* Text in a Markdown code span inside a table cell: a pipe would end the cell and a backtick
 * the span, a line break the row. */
static void add_code(base_buf *b, const char *s)
{
    base_buf_adds(b, "`");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0) {
            base_buf_adds(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        if (*p == '|')
            base_buf_adds(b, "\\|");
        else if (*p == '`')
            base_buf_adds(b, "'");
        else if (*p < 0x20)
            base_buf_adds(b, " ");
        else
            base_buf_add(b, (const char *)p, n);
        p += n;
    }
    base_buf_adds(b, "`");
}

/* Plain Markdown text (a heading, a table cell): the characters that would format it, open
 * an HTML tag or end a cell are backslash-escaped (GFM allows it before any ASCII punctuation);
 * a line break would end the row. */
static void add_text(base_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0) {
            base_buf_adds(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        if (strchr("\\`*_[]<>|~&", *p))
            base_buf_add(b, "\\", 1);
        if (*p < 0x20)
            base_buf_adds(b, " ");
        else
            base_buf_add(b, (const char *)p, n);
        p += n;
    }
}

/* ---------------------------------------------------------------- JUnit */

static void junit(base_buf *b, const outcome *oc, size_t n)
{
    size_t tests = 0, failures = 0, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        tests += oc[i].n;
        failures += count(&oc[i], CHK_FAIL);
        skipped += count(&oc[i], CHK_SKIP);
    }
    base_buf_addf(b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"simulate check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                  "skipped=\"%zu\">\n",
                  tests, failures, skipped);
    for (size_t i = 0; i < n; i++) {
        const outcome *s = &oc[i];
        base_buf_adds(b, "  <testsuite name=\"");
        add_xml(b, s->name);
        base_buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", s->n,
                      count(s, CHK_FAIL), count(s, CHK_SKIP));
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
            const check *c = &s->checks[j];
            base_buf_adds(b, "    <testcase classname=\"simulate.check.");
            add_xml(b, s->name);
            base_buf_adds(b, "\" name=\"");
            add_xml(b, c->name);
            base_buf_adds(b, "\">\n");
            char msg[400];
            snprintf(msg, sizeof msg, "measured %s, threshold %s%s", c->measured, c->threshold,
                     c->uncertain ? " (uncertain: the 95% interval straddles the threshold)" : "");
            if (c->status == CHK_FAIL) {
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
            } else if (c->status == CHK_SKIP) {
                base_buf_adds(b, "      <skipped message=\"");
                add_xml(b, c->measured);
                base_buf_adds(b, "\"/>\n");
            } else {
                base_buf_adds(b, "      <system-out>");
                add_xml(b, status_word[c->status]);
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

/* ---------------------------------------------------------------- Markdown */

static size_t count_uncertain_fails(const outcome *oc, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < oc[i].n; j++)
            k += oc[i].checks[j].status == CHK_FAIL && oc[i].checks[j].uncertain;
    return k;
}

static void markdown(base_buf *b, const outcome *oc, size_t n, const chk_opts *o)
{
    size_t tests = 0, failures = 0, skipped = 0, uncertain = 0;
    for (size_t i = 0; i < n; i++) {
        tests += oc[i].n;
        failures += count(&oc[i], CHK_FAIL);
        skipped += count(&oc[i], CHK_SKIP);
        uncertain += count(&oc[i], CHK_UNCERTAIN);
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
    for (size_t i = 0; i < n; i++) {
        const outcome *s = &oc[i];
        const char *icon = count(s, CHK_FAIL) ? "❌" : count(s, CHK_UNCERTAIN) ? "⚠️" : "✅";
        base_buf_addf(b, "\n### %s ", icon);
        add_text(b, s->name);
        base_buf_adds(b, "\n\n");
        add_code(b, s->file);
        base_buf_addf(b, " · %s engine · %d replication%s · seed %llu\n\n", s->engine,
                      s->replications, s->replications == 1 ? "" : "s",
                      (unsigned long long)s->seed);
        if (!s->priced) {
            base_buf_adds(b, "No monthly cost: the scenario names no pricing file.\n\n");
        } else {
            base_buf_addf(
                b, "Monthly cost for a %.0f-hour month at this load, mean of the replications",
                s->month_hours);
            if (s->base) {
                base_buf_adds(b, "; baseline ");
                add_code(b, s->base->source);
                if (s->base->name[0]) {
                    base_buf_adds(b, " (");
                    add_code(b, s->base->name);
                    base_buf_adds(b, ")");
                }
            } else if (o->nbaselines) {
                base_buf_adds(b, "; no baseline matched this scenario");
            }
            base_buf_adds(
                b, ".\n\n| Component | Baseline | Now | Difference |\n|---|---:|---:|---:|\n");
            for (size_t k = 0; k <= cli_cost_nparts; k++) {
                int total = k == cli_cost_nparts;
                long long now = total ? s->total_c : s->now_c[k];
                int has = s->base && (total || s->base->has_part[k]);
                long long base = !has ? 0 : total ? cents(s->base->total) : cents(s->base->part[k]);
                if (!total && now == 0 && base == 0)
                    continue;
                char bs[40], ns[40], ds[40], ps[32];
                const char *em = total ? "**" : "";
                base_buf_addf(b, "| %s%s%s | ", em, total ? "Total" : cli_cost_parts[k].label, em);
                if (has)
                    base_buf_addf(b, "%s%s%s", em, money_c(base, bs, sizeof bs), em);
                else
                    base_buf_adds(b, "–");
                base_buf_addf(b, " | %s%s%s | ", em, money_c(now, ns, sizeof ns), em);
                if (has)
                    base_buf_addf(b, "%s%s (%s)%s", em, signed_money_c(now - base, ds, sizeof ds),
                                  pct_change(now, base, ps, sizeof ps), em);
                else
                    base_buf_adds(b, "–");
                base_buf_adds(b, " |\n");
            }
            base_buf_adds(b, "\n");
        }
        if (s->n == 0) {
            base_buf_adds(b, "No checks: the scenario has no objectives, and no `--budget` or "
                             "`--baseline` was given.\n");
            continue;
        }
        base_buf_adds(b, "| | Check | Measured | Threshold |\n|---|---|---|---|\n");
        for (size_t j = 0; j < s->n; j++) {
            const check *c = &s->checks[j];
            base_buf_addf(b, "| %s | ", status_icon[c->status]);
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

/* Writes text to path atomically, creating its folder. */
static int write_out(const char *path, const base_buf *b, base_err *err)
{
    if (b->oom)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        int rc = base_mkdir_p(dir, err);
        if (rc != BASE_OK)
            return rc;
    }
    return base_write_file_atomic(path, b->p ? b->p : "", b->len, err);
}

/* ---------------------------------------------------------------- the command */

/* Which baseline scenario `name` is compared with: the only one for the only scenario (the
 * user paired them), else the one of the same name. */
static const baseline *match(const baseline *bl, const chk_opts *o, const char *name)
{
    if (o->nfiles == 1 && o->nbaselines == 1)
        return &bl[0];
    for (int k = 0; k < o->nbaselines; k++)
        if (!strcmp(bl[k].name, name))
            return &bl[k];
    return NULL;
}

static void why_no_baseline(char *buf, size_t len, const baseline *bl, int nb)
{
    int at = snprintf(buf, len, "no baseline matched (baseline%s of", nb == 1 ? "" : "s");
    for (int k = 0; k < nb && at > 0 && (size_t)at < len; k++)
        at += snprintf(buf + at, len - (size_t)at, "%s '%s'", k ? "," : "", bl[k].name);
    if (at > 0 && (size_t)at < len)
        snprintf(buf + at, len - (size_t)at, ")");
}

/* Loads every scenario before running any, so a bad one, or a budget that cannot be judged,
 * costs no run. */
static int validate(const chk_opts *o, const baseline *bl, outcome *oc, base_err *err)
{
    for (int i = 0; i < o->nfiles; i++) {
        cli_run_opts ro = {.scenario = o->files[i]};
        mdl_scenario *s;
        int st = cli_load(&ro, &s, err);
        if (st != BASE_OK)
            return st;
        oc[i].file = o->files[i];
        snprintf(oc[i].name, sizeof oc[i].name, "%s", s->name);
        oc[i].priced = s->cluster.catalog.region[0] != '\0';
        free(s);
        const char *need = o->has_budget                      ? "--budget"
                           : match(bl, o, oc[i].name) != NULL ? "--baseline"
                                                              : NULL;
        if (need && !oc[i].priced)
            return base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                                "%s needs a monthly cost, and this scenario names no pricing "
                                "file (add `pricing:`, or extend a scenario that has one)",
                                need);
        for (int k = 0; k < i; k++)
            if (!strcmp(oc[k].name, oc[i].name))
                return base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                                    "two scenarios named '%s' (%s too): their outputs would "
                                    "collide; give them different names",
                                    oc[i].name, o->files[k]);
    }
    return BASE_OK;
}

/* Runs scenario i and judges it into oc. */
static int run_one(const chk_opts *o, const baseline *bl, int i, outcome *oc, const char *why,
                   base_err *err)
{
    char out[4096], db[4096];
    cli_run_opts ro = {.scenario = o->files[i],
                       .output = o->output,
                       .db = o->db,
                       .fidelity = o->fidelity,
                       .jobs = o->jobs,
                       .quiet = o->quiet,
                       .has_seed = o->has_seed,
                       .seed = o->seed,
                       .replications = o->replications};
    if (o->output && o->nfiles > 1) {
        /* one folder per scenario, and one store for all of them, as a plain run has */
        snprintf(out, sizeof out, "%s/%s", o->output, oc->name);
        cli_store_path(o->db, o->output, db, sizeof db);
        ro.output = out;
        ro.db = db;
    }
    cli_run_result *res = calloc(1, sizeof *res);
    if (!res)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = cli_run(&ro, res, err);
    if (st != BASE_OK) {
        free(res);
        return st;
    }
    snprintf(oc->engine, sizeof oc->engine, "%s", res->sum.engine);
    oc->seed = res->s->seed;
    oc->replications = res->sum.replications;
    snprintf(oc->report, sizeof oc->report, "%s", res->report);
    const eng_figure *mc = eng_summary_figure(&res->sum, "monthly_cost");
    oc->priced = mc != NULL;
    oc->month_hours = res->bill ? res->bill->month_hours : COST_MONTH_HOURS;
    if (mc) {
        oc->total = mc->ci.mean;
        oc->total_half = mc->ci.half;
        oc->total_c = cents(mc->ci.mean);
        for (size_t k = 0; k < cli_cost_nparts; k++) {
            const eng_figure *f = eng_summary_figure(&res->sum, cli_cost_parts[k].key);
            oc->now_c[k] = f ? cents(f->ci.mean) : 0;
        }
        oc->base = match(bl, o, oc->name);
    }
    judge_objectives(oc, res);
    cli_run_clear(res);
    free(res);
    /* validate() saw a pricing file; a cost gate must still never pass on a missing cost */
    if (!mc && (o->has_budget || match(bl, o, oc->name)))
        return base_err_set(err, BASE_EINPUT, o->files[i], 0, 0,
                            "the run has no monthly cost to judge --budget or --baseline on");
    if (o->has_budget)
        judge_budget(oc, o->budget);
    if (o->has_max_increase)
        judge_increase(oc, o, why);
    return BASE_OK;
}

int cli_check(int argc, char **argv)
{
    chk_opts o;
    memset(&o, 0, sizeof o);
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    /* an output that cannot be written is found before any scenario runs */
    if ((rc = cli_check_output("--output", o.output, 1)) ||
        (rc = cli_check_output("--db", o.db, 0)) ||
        (rc = cli_check_output("--junit", o.junit, 0)) ||
        (rc = cli_check_output("--markdown", o.markdown, 0)))
        return rc;
    base_err err;
    base_err_clear(&err);
    if (cli_cost_nparts > CHK_MAX_PARTS) {
        base_err_set(&err, BASE_EINTERNAL, NULL, 0, 0, "more cost parts than check.c holds");
        cli_print_error(&err);
        return CLI_EXIT_FAILURE;
    }
    baseline *bl = calloc(CHK_MAX_BASELINES, sizeof *bl);
    outcome *oc = calloc((size_t)o.nfiles, sizeof *oc);
    int st = bl && oc ? BASE_OK : base_err_set(&err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    /* the baselines first: one in the output folder is about to be overwritten by this run */
    for (int k = 0; st == BASE_OK && k < o.nbaselines; k++)
        st = load_baseline(&o, o.baselines[k], &bl[k], &err);
    if (st == BASE_OK)
        st = validate(&o, bl, oc, &err);
    char why[1024];
    why_no_baseline(why, sizeof why, bl, o.nbaselines);
    for (int i = 0; st == BASE_OK && i < o.nfiles; i++) {
        st = run_one(&o, bl, i, &oc[i], why, &err);
        if (st == BASE_OK && !o.quiet)
            print_outcome(stdout, &oc[i], &o, why);
    }
    if (st == BASE_OK && o.junit) {
        base_buf b = {0};
        junit(&b, oc, (size_t)o.nfiles);
        st = write_out(o.junit, &b, &err);
        free(b.p);
    }
    if (st == BASE_OK && o.markdown) {
        base_buf b = {0};
        markdown(&b, oc, (size_t)o.nfiles, &o);
        st = write_out(o.markdown, &b, &err);
        free(b.p);
    }
    if (st != BASE_OK) {
        cli_print_error(&err);
        free(bl);
        free(oc);
        return cli_exit_for(st);
    }
    fflush(stdout);
    size_t failed = 0;
    for (int i = 0; i < o.nfiles; i++)
        for (size_t j = 0; j < oc[i].n; j++) {
            const check *c = &oc[i].checks[j];
            if (c->status != CHK_FAIL)
                continue;
            failed++;
            fprintf(stderr, "simulate: check failed: %s: %s (measured %s)\n", oc[i].name, c->name,
                    c->measured);
        }
    free(bl);
    free(oc);
    return failed ? CLI_EXIT_OBJECTIVE : CLI_EXIT_OK;
}
