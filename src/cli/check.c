/*
 * check.c — `simulate check`: the gate a CI job puts on a pull request, as a command line.
 *
 *   simulate check SCENARIO.yaml... [--budget USD] [--baseline REPORT|RUN] [--max-increase PCT]
 *                  [--junit FILE] [--markdown FILE] [run options]
 *
 * The gate itself — runs, baselines, the checks and their verdicts — is app_check (app/check.c);
 * the JUnit XML and Markdown writers are in src/report/. Here: the options, the text each
 * scenario's checks print as they are judged, and the exit code: 1 when any check failed, so
 * the job fails; 2 and 3 as everywhere else (cli.h). docs/ci.md shows it in a workflow.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "task/task.h"

typedef struct chk_cli {
    app_check_opts o;
    const char *junit, *markdown;
} chk_cli;

/* One table drives parsing and --help, so the two cannot drift (conventions §10). */
static const cli_flag options[] = {
    {"budget", 0, true, "USD", "fail unless the monthly cost is below USD (5000, $5,000.50, 5k)"},
    {"baseline", 0, true, "REPORT|RUN", "compare costs with a run: its report.json, or its number"},
    {"max-increase", 0, true, "PCT", "fail when the monthly cost rose more than PCT% (10, 10%)"},
    {"junit", 0, true, "FILE", "write the checks as JUnit XML (one testsuite per scenario)"},
    {"markdown", 0, true, "FILE",
     "write a pull-request comment: costs against the baseline, checks"},
    CLI_FLAG_RUN_DB,
    {"output", 'o', true, "DIR",
     "output folder (default out/NAME/; DIR/NAME/ with several scenarios)"},
    CLI_FLAG_JOBS,
    CLI_FLAG_SEED,
    {"replications", 'r', true, "N", "independent replications, 1-1024 (overrides the scenario's)"},
    CLI_FLAG_FIDELITY,
    {"quiet", 'q', false, NULL, "nothing on stdout (failed checks still go to stderr)"},
    CLI_FLAG_HELP,
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
    cli_print_options(f, options, NOPTIONS);
    fputs("\nexit codes: 0 every check passed, 1 a check failed, 2 bad input or usage,\n"
          "3 the run failed otherwise\n",
          f);
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

static int on_arg(void *ctx, const cli_arg *x)
{
    chk_cli *c = ctx;
    app_check_opts *o = &c->o;
    if (x->word) {
        if (o->nfiles >= APP_MAX_SCENARIOS)
            return cli_usage_error("check", "at most %s scenarios", "64");
        o->files[o->nfiles++] = x->word;
        return 0;
    }
    const char *n = x->flag->lng, *val = x->value;
    if (!strcmp(n, "budget")) {
        if (parse_budget(val, &o->budget))
            return cli_usage_error("check",
                                   "--budget needs a monthly amount in US dollars above 0 (5000, "
                                   "$5,000.50, 5k), not '%s'",
                                   val);
        o->has_budget = 1;
    } else if (!strcmp(n, "baseline")) {
        if (o->nbaselines >= APP_MAX_BASELINES)
            return cli_usage_error("check", "at most %s baselines", "16");
        o->baselines[o->nbaselines++] = val;
    } else if (!strcmp(n, "max-increase")) {
        /* capped so that the integer comparison in app_check_increase cannot overflow */
        if (parse_pct(val, &o->max_increase) || o->max_increase > 1000)
            return cli_usage_error("check",
                                   "--max-increase needs a percentage from 0 to 100000 (10 or "
                                   "10%%), not '%s'",
                                   val);
        o->has_max_increase = 1;
    } else if (!strcmp(n, "junit")) {
        c->junit = val;
    } else if (!strcmp(n, "markdown")) {
        c->markdown = val;
    } else if (!strcmp(n, "help")) {
        help(stdout);
        return CLI_PARSE_STOP;
    } else
        return cli_run_option("check", n, val, &o->run) > 0 ? CLI_EXIT_INPUT : 0;
    return 0;
}

/* --help is on_arg's (help(stdout)) */
static const cli_command command = {"check", options, NOPTIONS, on_arg, NULL, NULL};

/* 0 to go on, CLI_PARSE_STOP after --help, else the exit code of a usage error. */
static int parse(int argc, char **argv, chk_cli *c)
{
    int st = cli_parse(&command, argc, argv, c);
    if (st)
        return st;
    if (c->o.nfiles == 0)
        return cli_usage_error("check", "%s", "which scenario? (simulate check SCENARIO.yaml...)");
    if (c->o.has_max_increase && c->o.nbaselines == 0)
        return cli_usage_error("check", "%s", "--max-increase needs a --baseline to compare with");
    return 0;
}

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

static void print_outcome(FILE *f, const rep_outcome *oc, const app_check_opts *o,
                          const char *why_none)
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
        const rep_check *c = &oc->checks[i];
        fputs("  ", f);
        pad(f, rep_status_word(c->status), 10);
        pad(f, c->name, w + 2);
        pad(f, c->measured, wm + 2);
        fputs(c->threshold, f);
        if (c->status == REP_UNCERTAIN)
            fputs("  (passes on the mean; the 95% interval straddles the threshold)", f);
        else if (c->status == REP_FAIL && c->uncertain)
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
        for (size_t k = 0; k <= COST_NPARTS; k++) {
            int total = k == COST_NPARTS;
            long long b = total ? rep_cents(oc->base->total) : rep_cents(oc->base->part[k]);
            long long n = total ? oc->total_c : oc->now_c[k];
            if (!total && b == 0 && n == 0)
                continue;
            char bs[40], ns[40], ds[40], ps[32];
            if (!total && !oc->base->has_part[k])
                snprintf(bs, sizeof bs, "–");
            else
                rep_money_cents(b, bs, sizeof bs);
            fputs("    ", f);
            pad(f, total ? "total" : cost_part_label((cost_part)k), 27);
            fprintf(f, "%14s %14s   %s (%s)\n", bs, rep_money_cents(n, ns, sizeof ns),
                    rep_signed_money_cents(n - b, ds, sizeof ds),
                    rep_pct_change(n, b, ps, sizeof ps));
        }
    }
    if (oc->note[0])
        fprintf(f, "  warning: %s\n", oc->note);
    cli_print_outputs(f, "  ", oc->report, oc->pack);
    /* "uncertain" counts every line marked so, a pass or a failure: the tally agrees with them */
    size_t uncertain = 0;
    for (size_t i = 0; i < oc->n; i++)
        uncertain += oc->checks[i].status == REP_UNCERTAIN ||
                     (oc->checks[i].status == REP_FAIL && oc->checks[i].uncertain);
    fprintf(f, "  %s: %zu passed, %zu failed, %zu skipped", oc->name,
            rep_outcome_count(oc, REP_PASS) + rep_outcome_count(oc, REP_UNCERTAIN),
            rep_outcome_count(oc, REP_FAIL), rep_outcome_count(oc, REP_SKIP));
    if (uncertain)
        fprintf(f, "; %zu of them uncertain", uncertain);
    fputs("\n\n", f);
}

static void print_one(void *ctx, const rep_outcome *oc, const char *why_none)
{
    const app_check_opts *o = ctx;
    if (!o->run.quiet)
        print_outcome(stdout, oc, o, why_none);
}

int cli_check(int argc, char **argv)
{
    chk_cli c;
    memset(&c, 0, sizeof c);
    int rc = parse(argc, argv, &c);
    if (rc)
        return rc == CLI_PARSE_STOP ? CLI_EXIT_OK : rc;
    if (task_ranks() > 1) /* its runs' results are not gathered over ranks (docs/scaling.md) */
        return cli_usage_error("check", "%s",
                               "runs as one process, not under mpirun: give it --jobs");
    const app_check_opts *o = &c.o;
    /* an output that cannot be written is found before any scenario runs */
    if ((rc = cli_check_output("--output", o->run.output, 1)) ||
        (rc = cli_check_output("--db", o->run.db, 0)) ||
        (rc = cli_check_output("--junit", c.junit, 0)) ||
        (rc = cli_check_output("--markdown", c.markdown, 0)))
        return rc;
    c.o.run.progress_start = cli_progress_start;
    c.o.run.progress_stop = cli_progress_stop;
    base_err err;
    base_err_clear(&err);
    rep_baseline *bl = calloc(APP_MAX_BASELINES, sizeof *bl);
    rep_outcome *oc = calloc((size_t)o->nfiles, sizeof *oc);
    int st = bl && oc ? BASE_OK : base_err_set(&err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == BASE_OK)
        st = app_check(o, bl, oc, print_one, &c.o, &err);
    if (st == BASE_OK && c.junit) {
        base_buf b = {0};
        rep_junit(&b, oc, (size_t)o->nfiles);
        st = app_write_output(c.junit, &b, &err);
        free(b.p);
    }
    if (st == BASE_OK && c.markdown) {
        base_buf b = {0};
        rep_markdown(&b, oc, (size_t)o->nfiles, o->nbaselines);
        st = app_write_output(c.markdown, &b, &err);
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
    for (int i = 0; i < o->nfiles; i++)
        for (size_t j = 0; j < oc[i].n; j++) {
            const rep_check *k = &oc[i].checks[j];
            if (k->status != REP_FAIL)
                continue;
            failed++;
            fprintf(stderr, "simulate: check failed: %s: %s (measured %s)\n", oc[i].name, k->name,
                    k->measured);
        }
    free(bl);
    free(oc);
    return failed ? CLI_EXIT_OBJECTIVE : CLI_EXIT_OK;
}
