/*
 * cli.c — argument parsing from one table of options (which also writes --help, so the two
 * cannot drift), then: --check, `keys`, or a run.
 *
 * Every error reaches the user as one line on stderr, `simulate: FILE:LINE:COL: message` when
 * it has a position, `simulate: message` otherwise, and the exit code says which kind it was.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/io.h"

typedef struct opts {
    const char *scenario;
    const char *output;
    const char *db;
    const char *format; /* text | json */
    const char *fidelity;
    int quiet;
    int check;
    int help;
    int version;
    int has_seed;
    uint64_t seed;
    int replications;  /* 0: the scenario's */
    int jobs;          /* 0: the number of cores */
    double max_memory; /* bytes; 0: cli_default_max_memory() */
} opts;

static const cli_flag options[] = {
    {"check", 0, false, NULL, "validate the scenario and exit (no run)"},
    {"seed", 's', true, "N", "seed of every random stream (overrides the scenario's)"},
    {"replications", 'r', true, "N", "independent replications (overrides the scenario's)"},
    {"fidelity", 0, true, "MODE", "traffic engine: request, flow or auto"},
    {"jobs", 'j', true, "N", "replications run at once on threads (default: the cores)"},
    {"max-memory", 0, true, "SIZE",
     "refuse a run projected above SIZE (8Gi; default: half the RAM)"},
    {"output", 'o', true, "DIR", "where to write report.json and charts (default out/NAME/)"},
    {"db", 0, true, "PATH", "results store (default DIR/results.db with -o, else out/results.db)"},
    {"format", 'f', true, "FMT", "summary on stdout: text (default) or json"},
    {"quiet", 'q', false, NULL, "print nothing on success (errors still go to stderr)"},
    {"help", 'h', false, NULL, "show this help and exit"},
    {"version", 'V', false, NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void usage(FILE *f)
{
    fputs("usage: simulate [options] SCENARIO.yaml\n"
          "       simulate --check SCENARIO.yaml\n"
          "       simulate compare A.yaml B.yaml ...   (variants side by side)\n"
          "       simulate check SCENARIO.yaml... [--budget USD] ...  (the CI gate)\n"
          "       simulate history [--db PATH]         (the runs in a results store)\n"
          "       simulate show RUN [--db PATH]        (a stored run's summary)\n"
          "       simulate emit SCENARIO.yaml -o DIR   (the validated deployment config)\n"
          "       simulate plan SCENARIO.yaml          (the cheapest configuration of its plan:)\n"
          "       simulate plot RUN|report.json [--chart NAME] [--format png|svg|pdf]\n"
          "       simulate keys          (every scenario key, as Markdown)\n"
          "\n"
          "Plays a scenario of the Innovate Inc. AWS architecture forward and reports latency,\n"
          "errors and throughput, each with a 95% confidence interval across replications.\n"
          "\noptions:\n",
          f);
    for (size_t i = 0; i < NOPTIONS; i++) {
        char left[48];
        const cli_flag *o = &options[i];
        if (o->shrt)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->shrt, o->lng, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->lng, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        fprintf(f, "  %-28s %s\n", left, o->help);
    }
    fputs("\nexit codes: 0 success, 1 an objective failed, 2 bad input or usage, 3 run failed\n",
          f);
}

static int usage_error(const char *fmt, const char *what)
{
    fputs("simulate: ", stderr);
    fprintf(stderr, fmt, what);
    fputs(" (try 'simulate --help')\n", stderr);
    return CLI_EXIT_INPUT;
}

int cli_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

bool cli_is_run_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int cli_check_output(const char *what, const char *path, int folder)
{
    base_err err;
    base_err_clear(&err);
    if (!path || base_check_output(what, path, folder, &err) == BASE_OK)
        return 0;
    cli_print_error(&err);
    return CLI_EXIT_INPUT;
}

static int apply(opts *o, const cli_flag *opt, const char *val)
{
    const char *n = opt->lng;
    if (!strcmp(n, "check"))
        o->check = 1;
    else if (!strcmp(n, "quiet"))
        o->quiet = 1;
    else if (!strcmp(n, "help"))
        o->help = 1;
    else if (!strcmp(n, "version"))
        o->version = 1;
    else if (!strcmp(n, "output"))
        o->output = val;
    else if (!strcmp(n, "db"))
        o->db = val;
    else if (!strcmp(n, "fidelity")) {
        if (strcmp(val, "request") && strcmp(val, "flow") && strcmp(val, "auto"))
            return usage_error("--fidelity must be request, flow or auto, not '%s'", val);
        o->fidelity = val;
    } else if (!strcmp(n, "format")) {
        if (strcmp(val, "text") && strcmp(val, "json"))
            return usage_error("--format must be text or json, not '%s'", val);
        o->format = val;
    } else if (!strcmp(n, "seed")) {
        if (cli_parse_uint(val, UINT64_MAX, &o->seed))
            return usage_error("--seed needs a whole number from 0 to 2^64-1, not '%s'", val);
        o->has_seed = 1;
    } else if (!strcmp(n, "replications")) {
        uint64_t r;
        if (cli_parse_uint(val, 1024, &r) || r < 1)
            return usage_error("--replications needs a whole number from 1 to 1024, not '%s'", val);
        o->replications = (int)r;
    } else if (!strcmp(n, "jobs")) {
        uint64_t j;
        if (cli_parse_uint(val, ENG_MAX_JOBS, &j) || j < 1)
            return usage_error("--jobs needs a whole number from 1 to 256, not '%s'", val);
        o->jobs = (int)j;
    } else if (!strcmp(n, "max-memory")) {
        int64_t bytes;
        base_err e;
        if (scn_parse_memory(val, &bytes, &e) != BASE_OK || bytes <= 0)
            return usage_error("--max-memory needs a size such as 8Gi or 500M, not '%s'", val);
        o->max_memory = (double)bytes;
    }
    return 0;
}

/* The default for --jobs: the cores this process may use. */
int cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > ENG_MAX_JOBS ? ENG_MAX_JOBS : (int)n;
}

static int parse_args(int argc, char **argv, opts *o)
{
    cli_args a = {argc, argv, 1, false};
    cli_arg x;
    char msg[256];
    for (;;) {
        switch (cli_args_next(&a, options, NOPTIONS, &x, msg, sizeof msg)) {
        case CLI_ARGS_END: return 0;
        case CLI_ARGS_BAD: return usage_error("%s", msg);
        case CLI_ARGS_WORD:
            if (o->scenario)
                return usage_error("one scenario at a time (got '%s' too)", x.word);
            o->scenario = x.word;
            break;
        default: {
            int st = apply(o, x.flag, x.value);
            if (st)
                return st;
        }
        }
    }
}

void cli_print_error(const base_err *e)
{
    if (e->file[0] && e->line > 0)
        fprintf(stderr, "simulate: %s:%d:%d: %s\n", e->file, e->line, e->col, e->msg);
    else if (e->file[0])
        fprintf(stderr, "simulate: %s: %s\n", e->file, e->msg);
    else
        fprintf(stderr, "simulate: %s\n", e->msg);
}

void cli_store_path(const char *db, const char *output, char *out, size_t size)
{
    if (db)
        snprintf(out, size, "%s", db);
    else if (output)
        snprintf(out, size, "%s/results.db", output);
    else
        snprintf(out, size, "out/results.db");
}

int cli_exit_for(int status)
{
    return status == BASE_EINPUT ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE;
}

int cli_main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.format = "text";
    if (argc >= 2 && !strcmp(argv[1], "compare"))
        return cli_compare(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "check"))
        return cli_check(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "emit"))
        return cli_emit(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "plan"))
        return cli_plan(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "plot"))
        return cli_plot(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "history"))
        return cli_history(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "show"))
        return cli_show(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "keys")) {
        if (argc == 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
            puts("usage: simulate keys\n\nPrints every scenario key, as Markdown "
                 "(docs/scenarios.md).");
            return CLI_EXIT_OK;
        }
        if (argc > 2)
            return usage_error("keys takes no arguments, not '%s'", argv[2]);
        scn_keys_markdown(stdout);
        return CLI_EXIT_OK;
    }
    int st = parse_args(argc, argv, &o);
    if (st)
        return st;
    if (o.help) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (o.version) {
        printf("simulate %s\n", SIMULATE_VERSION);
        return CLI_EXIT_OK;
    }
    if (!o.scenario) {
        usage(stderr);
        return CLI_EXIT_INPUT;
    }
    /* an output that cannot be written is found now, not after the whole run */
    if ((st = cli_check_output("--output", o.output, 1)) ||
        (st = cli_check_output("--db", o.db, 0)))
        return st;

    cli_run_opts ro = {.scenario = o.scenario,
                       .output = o.output,
                       .db = o.db,
                       .fidelity = o.fidelity,
                       .jobs = o.jobs,
                       .quiet = o.quiet,
                       .has_seed = o.has_seed,
                       .seed = o.seed,
                       .replications = o.replications,
                       .max_memory = o.max_memory};
    base_err err;
    base_err_clear(&err);
    if (o.check) {
        mdl_scenario *s;
        st = cli_load(&ro, &s, &err);
        if (st != BASE_OK) {
            cli_print_error(&err);
            return cli_exit_for(st);
        }
        eng_projection p;
        if (!o.quiet && eng_project(s, o.jobs ? o.jobs : cli_default_jobs(), &p, &err) == 0)
            printf("%s: ok (%s, %zu phases, %.0f requests expected)\n"
                   "projected: %s engine, %.3g kernel events and %.0f series rows a replication, "
                   "about %.0f MB of memory in all (--max-memory %.0f MB)\n",
                   o.scenario, s->name, s->traffic.nphases, mdl_traffic_expected(&s->traffic),
                   p.engine, p.events, p.series_rows, p.memory_bytes / 1e6,
                   (o.max_memory > 0 ? o.max_memory : cli_default_max_memory()) / 1e6);
        free(s);
        return CLI_EXIT_OK;
    }
    cli_run_result *res = calloc(1, sizeof *res);
    if (!res) {
        fputs("simulate: out of memory\n", stderr);
        return CLI_EXIT_FAILURE;
    }
    st = cli_run(&ro, res, &err);
    if (st != BASE_OK) {
        cli_print_error(&err);
        free(res);
        return cli_exit_for(st);
    }
    int failed = 0;
    for (size_t i = 0; i < res->nv; i++)
        failed += res->verdicts[i].known && !res->verdicts[i].met;
    /* every run leaves the validated config of what it simulated beside its report */
    char deploy[4200];
    snprintf(deploy, sizeof deploy, "%s/deploy", res->dir);
    int emit_rc = cli_emit_deploy(o.scenario, res, deploy, o.quiet, 0);
    if (!o.quiet) {
        if (!strcmp(o.format, "json"))
            puts(res->report_json);
        else
            cli_print_summary(stdout, &res->sum, res->verdicts, res->nv, res->bill,
                              res->report);
    }
    cli_run_clear(res);
    free(res);
    if (failed)
        fprintf(stderr, "simulate: %d objective%s failed\n", failed, failed == 1 ? "" : "s");
    if (emit_rc != CLI_EXIT_OK)
        return emit_rc;
    return failed ? CLI_EXIT_OBJECTIVE : CLI_EXIT_OK;
}
