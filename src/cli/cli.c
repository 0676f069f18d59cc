/*
 * cli.c — the main command: its table of options (which also writes --help, so the two cannot
 * drift), the subcommands by their word, then --check or a run (app_run) and its summary.
 *
 * Every error reaches the user as one line on stderr, `simulate: FILE:LINE:COL: message` when
 * it has a position, `simulate: message` otherwise, and the exit code says which kind it was.
 */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "store/store.h"

typedef struct opts {
    app_run_opts run;
    const char *scenario;
    int json; /* --format json */
    int check;
    int help;
    int version;
} opts;

static const cli_flag options[] = {
    {"check", 0, false, NULL, "validate the scenario and exit (no run)"},
    CLI_FLAG_SEED,
    CLI_FLAG_REPLICATIONS,
    CLI_FLAG_FIDELITY,
    CLI_FLAG_JOBS,
    {"max-memory", 0, true, "SIZE",
     "refuse a run projected above SIZE (8Gi; default: half the RAM)"},
    {"output", 'o', true, "DIR", "where to write report.json and charts (default out/NAME/)"},
    CLI_FLAG_RUN_DB,
    {"format", 'f', true, "FMT", "summary on stdout: text (default) or json"},
    {"quiet", 'q', false, NULL, "print nothing on success (errors still go to stderr)"},
    CLI_FLAG_HELP,
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
    cli_print_options(f, options, NOPTIONS);
    fputs("\nexit codes: 0 success, 1 an objective failed, 2 bad input or usage, 3 run failed\n",
          f);
}

int cli_check_output(const char *what, const char *path, int folder)
{
    base_err err;
    base_err_clear(&err);
    /* a PostgreSQL URL (--db) names no file: the store checks it when it connects */
    if (!path || store_is_url(path) || base_check_output(what, path, folder, &err) == BASE_OK)
        return 0;
    cli_print_error(&err);
    return CLI_EXIT_INPUT;
}

static int on_arg(void *ctx, const cli_arg *x)
{
    opts *o = ctx;
    if (x->word)
        return cli_one_word(NULL, "scenario", &o->scenario, x->word);
    const char *n = x->flag->lng, *val = x->value;
    if (!strcmp(n, "check"))
        o->check = 1;
    else if (!strcmp(n, "help"))
        o->help = 1;
    else if (!strcmp(n, "version"))
        o->version = 1;
    else if (!strcmp(n, "format")) {
        if (strcmp(val, "text") && strcmp(val, "json"))
            return cli_usage_error(NULL, "--format must be text or json, not '%s'", val);
        o->json = !strcmp(val, "json");
    } else
        return cli_run_option(NULL, n, val, &o->run) > 0 ? CLI_EXIT_INPUT : 0;
    return 0;
}

/* --help is on_arg's: the usage is printed once every option is read */
static const cli_command command = {NULL, options, NOPTIONS, on_arg, NULL, NULL};

void cli_print_error(const base_err *e)
{
    if (e->file[0] && e->line > 0)
        fprintf(stderr, "simulate: %s:%d:%d: %s\n", e->file, e->line, e->col, e->msg);
    else if (e->file[0])
        fprintf(stderr, "simulate: %s: %s\n", e->file, e->msg);
    else
        fprintf(stderr, "simulate: %s\n", e->msg);
}

int cli_exit_for(int status)
{
    return status == BASE_EINPUT ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE;
}

void *cli_new_result(size_t size)
{
    void *r = calloc(1, size);
    if (!r)
        fputs("simulate: out of memory\n", stderr);
    return r;
}

int cli_failed(int st, const base_err *err, void *res)
{
    cli_print_error(err);
    free(res);
    return cli_exit_for(st);
}

/* The subcommands, by their word. */
static const struct {
    const char *word;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"compare", cli_compare}, {"check", cli_check}, {"emit", cli_emit}, {"plot", cli_plot},
    {"history", cli_history}, {"show", cli_show},   {"keys", cli_keys}, {"export", cli_export},
    {"import", cli_import},   {"plan", cli_plan},
};

/* --check: the scenario loads, and what a run of it would take. */
static int check_only(const opts *o)
{
    base_err err;
    base_err_clear(&err);
    mdl_scenario *s;
    int st = app_load(&o->run, &s, &err);
    if (st != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    eng_projection p;
    char req[48], rows[48];
    if (!o->run.quiet &&
        eng_project(s, o->run.jobs ? o->run.jobs : app_default_jobs(), &p, &err) == 0)
        printf("%s: ok (%s, %zu phases, %s requests expected)\n"
               "projected: %s engine, %.3g kernel events and %s series rows a replication, "
               "about %.0f MB of memory in all (--max-memory %.0f MB)\n",
               o->scenario, s->name, s->traffic.nphases,
               cli_grouped(req, sizeof req, mdl_traffic_expected(&s->traffic), 0), p.engine,
               p.events, cli_grouped(rows, sizeof rows, p.series_rows, 0), p.memory_bytes / 1e6,
               (o->run.max_memory > 0 ? o->run.max_memory : app_default_max_memory()) / 1e6);
    free(s);
    return CLI_EXIT_OK;
}

/* `--format json`: the run's summary for machines — its figures (mean and interval), its
 * objectives and where its files are — not the whole report.json (megabytes of series). */
static void print_json_summary(const app_run_result *res)
{
    json_t *root = json_object();
    json_object_set_new(root, "scenario", json_string(res->s->name));
    json_object_set_new(root, "engine", json_string(res->sum.engine));
    json_object_set_new(root, "replications", json_integer(res->sum.replications));
    json_object_set_new(root, "run", json_integer(res->run_id));
    json_t *figs = json_object();
    for (size_t i = 0; i < res->sum.nfigures; i++) {
        const eng_figure *f = &res->sum.figures[i];
        json_t *e = json_object();
        json_object_set_new(e, "unit", json_string(f->unit));
        json_object_set_new(e, "mean", isfinite(f->ci.mean) ? json_real(f->ci.mean) : json_null());
        json_object_set_new(e, "ci95_half_width",
                            isfinite(f->ci.half) ? json_real(f->ci.half) : json_null());
        json_object_set_new(figs, f->key, e);
    }
    json_object_set_new(root, "figures", figs);
    json_t *objs = json_array();
    for (size_t i = 0; i < res->nv; i++) {
        const app_verdict *v = &res->verdicts[i];
        json_t *e = json_object();
        json_object_set_new(e, "objective", json_string(v->o.text));
        json_object_set_new(e, "status",
                            json_string(!v->known ? "not measured"
                                        : v->met  ? "met"
                                                  : "failed"));
        json_object_set_new(e, "uncertain", json_boolean(v->known && v->uncertain));
        json_array_append_new(objs, e);
    }
    json_object_set_new(root, "objectives", objs);
    json_t *files = json_object();
    json_object_set_new(files, "report", json_string(res->report));
    json_object_set_new(files, "charts", json_string(res->dir));
    json_object_set_new(files, "pack", json_string(res->pack));
    json_object_set_new(files, "results_store", json_string(res->db));
    json_object_set_new(root, "files", files);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    if (text)
        puts(text);
    free(text);
    json_decref(root);
}

/* every run leaves the validated config of what it simulated beside its report (app_run
 * calls this with its other outputs, on rank 0 under MPI) */
static int emit_deploy_also(void *ctx, const app_run_result *res)
{
    const opts *o = ctx;
    char deploy[4200];
    snprintf(deploy, sizeof deploy, "%s/deploy", res->dir);
    return cli_emit_deploy(o->scenario, res, deploy, o->run.quiet, 0);
}

int cli_main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    for (size_t i = 0; argc >= 2 && i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].word))
            return commands[i].fn(argc - 2, argv + 2);
    int st = cli_parse(&command, argc - 1, argv + 1, &o);
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
    if ((st = cli_check_output("--output", o.run.output, 1)) ||
        (st = cli_check_output("--db", o.run.db, 0)))
        return st;
    o.run.scenario = o.scenario;
    o.run.progress_start = cli_progress_start;
    o.run.progress_stop = cli_progress_stop;
    o.run.also = emit_deploy_also; /* deploy/ beside the report, written with the charts */
    o.run.also_ctx = &o;
    if (o.check)
        return check_only(&o);
    base_err err;
    base_err_clear(&err);
    app_run_result *res = cli_new_result(sizeof *res);
    if (!res)
        return CLI_EXIT_FAILURE;
    st = app_run(&o.run, res, &err);
    if (st != BASE_OK)
        return cli_failed(st, &err, res);
    if (res->remote) { /* an MPI rank other than 0: rank 0 reports */
        free(res);
        return CLI_EXIT_OK;
    }
    size_t failed = app_failed(res->verdicts, res->nv);
    int emit_rc = res->also_rc; /* emit_deploy_also's */
    if (!o.run.quiet) {
        if (o.json)
            print_json_summary(res);
        else
            cli_print_summary(stdout, &res->sum, res->verdicts, res->nv, res->bill, res->report,
                              res->pack);
    }
    app_run_clear(res);
    free(res);
    if (failed)
        fprintf(stderr, "simulate: %zu objective%s failed\n", failed, failed == 1 ? "" : "s");
    if (emit_rc != CLI_EXIT_OK)
        return emit_rc;
    return failed ? CLI_EXIT_OBJECTIVE : CLI_EXIT_OK;
}
