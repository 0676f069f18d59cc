/*
 * emit.c — `simulate emit SCENARIO.yaml -o DIR` and the main job's deploy/ folder (issue 15):
 * runs the scenario as `simulate SCENARIO` does (its report, charts and results store where a
 * run puts them), then builds the deployment config from the scenario and the run, checks it
 * three ways and writes it. A check that fails prints one line per finding and exits 1.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "io/io.h"
#include "task/task.h"

/* Where the vendored schemas are: the environment's SIMULATE_SCHEMAS, else the build's (the
 * source tree's schemas/, CMakeLists.txt). */
static const char *schema_dir(void)
{
    const char *d = getenv("SIMULATE_SCHEMAS");
    return d && *d ? d : SIMULATE_SCHEMAS;
}

static int scenario_sha256(const char *path, char out[65], base_err *err)
{
    scn_doc *doc = NULL;
    int st = scn_doc_load(path, &doc, err);
    if (st == BASE_OK) {
        size_t len = 0;
        const char *text = scn_doc_sources(doc, &len);
        base_sha256_hex(text ? text : "", text ? len : 0, out);
    }
    scn_doc_free(doc);
    return st;
}

int cli_emit_deploy(const char *scenario, const app_run_result *res, const char *dir, int quiet,
                    int strict)
{
    emit_input in;
    memset(&in, 0, sizeof in);
    in.s = res->s;
    in.sum = &res->sum;
    in.run_id = res->run_id;
    in.scenario = scenario;
    base_err err;
    base_err_clear(&err);
    int st = scenario_sha256(scenario, in.sha256, &err);
    for (size_t i = 0; i < res->nv && i < MDL_MAX_OBJECTIVES; i++) {
        const app_verdict *v = &res->verdicts[i];
        in.objectives[i] =
            (emit_objective){res->s->objectives[i], v->known, v->met, v->ci.mean, v->o.value};
        in.nobjectives = i + 1;
    }
    emit_set set;
    emit_findings f = {0};
    if (st == BASE_OK)
        st = emit_build(&in, &set, &err);
    if (st != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    st = emit_check_schemas(&set, schema_dir(), &f, &err);
    if (st == BASE_OK)
        st = emit_check_policy(&set, &f);
    if (st == BASE_OK)
        st = emit_check_consistency(&in, &set, &f);
    if (st == BASE_OK)
        st = emit_write(&in, &set, &f, dir, &err);
    emit_set_clear(&set);
    if (st != BASE_OK) {
        if (st == BASE_ENOMEM && !err.msg[0])
            base_err_set(&err, st, NULL, 0, 0, "out of memory");
        cli_print_error(&err);
        emit_findings_free(&f);
        /* a schema that cannot be loaded is the installation's fault, not the scenario's */
        return CLI_EXIT_FAILURE;
    }
    int failed = f.n > 0;
    if (strict) {
        for (size_t i = 0; i < f.n; i++)
            fprintf(stderr, "simulate: emit: %s\n", f.line[i]);
        if (failed)
            fprintf(stderr, "simulate: the deployment config in %s failed its checks\n", dir);
        else if (!quiet)
            printf("deployment config: %s (schemas, policy and consistency checked)\n", dir);
    } else if (failed && !quiet) /* the run's own verdict stands; the findings are in README */
        fprintf(stderr,
                "simulate: note: the deployment config in %s failed %zu check%s (%s/README.md)\n",
                dir, f.n, f.n == 1 ? "" : "s", dir);
    emit_findings_free(&f);
    return failed && strict ? CLI_EXIT_OBJECTIVE : CLI_EXIT_OK;
}

static const cli_flag flags[] = {
    {"output", 'o', true, "DIR", "where to write the deployment config (required)"},
    {"db", 0, true, "PATH", "results store of the run (default out/results.db)"},
    {"seed", 's', true, "N", "seed of every random stream (overrides the scenario's)"},
    {"replications", 'r', true, "N", "independent replications (overrides the scenario's)"},
    {"jobs", 'j', true, "N", "replications run at once on threads (default: the cores)"},
    {"fidelity", 0, true, "MODE", "traffic engine: request, flow or auto"},
    {"quiet", 'q', false, NULL, "print nothing on success"},
    {"help", 'h', false, NULL, "show this help and exit"},
};
#define NFLAGS (sizeof flags / sizeof flags[0])

static void help(void)
{
    puts("usage: simulate emit SCENARIO.yaml -o DIR [options]\n\n"
         "Runs the scenario (its report and results store where `simulate SCENARIO` puts them),\n"
         "then writes the deployment config it simulated into DIR: kubernetes/*.yaml,\n"
         "karpenter/*.yaml, pgbouncer.ini and README.md, each object checked against its JSON\n"
         "Schema, a reviewer's policy and the run's figures (docs/emit.md). Exit 1 when a check\n"
         "fails, one line per finding.\n\noptions:");
    cli_print_options(stdout, flags, NFLAGS);
}

typedef struct emit_opts {
    app_run_opts run;
    const char *dir; /* -o: the deployment config's folder, not the run's */
} emit_opts;

static int on_arg(void *ctx, const cli_arg *x)
{
    emit_opts *o = ctx;
    if (x->word) {
        if (o->run.scenario)
            return cli_usage_error("emit", "one scenario at a time (got '%s' too)", x->word);
        if (app_is_run_number(x->word))
            return cli_usage_error(
                "emit", "emitting a stored run ('%s') is not supported: give its scenario file",
                x->word);
        o->run.scenario = x->word;
        return 0;
    }
    const char *n = x->flag->lng;
    if (!strcmp(n, "help")) {
        help();
        return CLI_PARSE_STOP;
    }
    if (!strcmp(n, "output")) {
        o->dir = x->value;
        return 0;
    }
    return cli_run_option("emit", n, x->value, &o->run) > 0 ? CLI_EXIT_INPUT : 0;
}

int cli_emit(int argc, char **argv)
{
    emit_opts o = {0};
    int st = cli_parse("emit", argc, argv, flags, NFLAGS, on_arg, &o);
    if (st)
        return st == CLI_PARSE_STOP ? CLI_EXIT_OK : st;
    if (task_ranks() > 1) /* its runs' results are not gathered over ranks (docs/scaling.md) */
        return cli_usage_error("emit", "%s",
                               "runs as one process, not under mpirun: give it --jobs");
    app_run_opts ro = o.run;
    const char *dir = o.dir;
    if (!ro.scenario)
        return cli_usage_error("emit", "%s",
                               "which scenario? (simulate emit SCENARIO.yaml -o DIR)");
    if (!dir)
        return cli_usage_error("emit", "%s", "where? -o DIR is required");
    int rc;
    if ((rc = cli_check_output("--output", dir, 1)) || (rc = cli_check_output("--db", ro.db, 0)))
        return rc;
    app_run_result *res = calloc(1, sizeof *res);
    if (!res) {
        fputs("simulate: out of memory\n", stderr);
        return CLI_EXIT_FAILURE;
    }
    base_err err;
    base_err_clear(&err);
    ro.progress_start = cli_progress_start;
    ro.progress_stop = cli_progress_stop;
    st = app_run(&ro, res, &err);
    if (st != BASE_OK) {
        cli_print_error(&err);
        free(res);
        return cli_exit_for(st);
    }
    rc = cli_emit_deploy(ro.scenario, res, dir, ro.quiet, 1);
    app_run_clear(res);
    free(res);
    return rc;
}
