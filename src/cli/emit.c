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

/* Builds, checks and writes the config of in into dir (st: an error already met). */
static int deploy(const emit_input *in, int st, base_err *err, const char *dir, int quiet,
                  int strict);

/* The emit_input of a scenario, its run's summary and verdicts. */
static void input_of(emit_input *in, const mdl_scenario *s, const eng_summary *sum,
                     const app_verdict *verdicts, size_t nv, int64_t run_id)
{
    memset(in, 0, sizeof *in);
    in->s = s;
    in->sum = sum;
    in->run_id = run_id;
    for (size_t i = 0; i < nv && i < MDL_MAX_OBJECTIVES; i++) {
        const app_verdict *v = &verdicts[i];
        in->objectives[i] =
            (emit_objective){s->objectives[i], v->known, v->met, v->ci.mean, v->o.value};
        in->nobjectives = i + 1;
    }
}

int cli_emit_deploy(const char *scenario, const app_run_result *res, const char *dir, int quiet,
                    int strict)
{
    emit_input in;
    input_of(&in, res->s, &res->sum, res->verdicts, res->nv, res->run_id);
    in.scenario = scenario;
    base_err err;
    base_err_clear(&err);
    int st = scenario_sha256(scenario, in.sha256, &err);
    return deploy(&in, st, &err, dir, quiet, strict);
}

static int deploy(const emit_input *in, int st, base_err *err, const char *dir, int quiet,
                  int strict)
{
    emit_set set;
    emit_findings f = {0};
    if (st == BASE_OK)
        st = emit_build(in, &set, err);
    if (st != BASE_OK) {
        cli_print_error(err);
        return cli_exit_for(st);
    }
    st = emit_check_schemas(&set, schema_dir(), &f, err);
    if (st == BASE_OK)
        st = emit_check_policy(&set, &f);
    if (st == BASE_OK)
        st = emit_check_consistency(in, &set, &f);
    if (st == BASE_OK)
        st = emit_write(in, &set, &f, dir, err);
    emit_set_clear(&set);
    if (st != BASE_OK) {
        if (st == BASE_ENOMEM && !err->msg[0])
            base_err_set(err, st, NULL, 0, 0, "out of memory");
        cli_print_error(err);
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

/* `simulate emit RUN`: the stored run's scenario and figures (app_stored_load), not run
 * again; the config is the same as the run's deploy/ folder. */
static int emit_run(const char *word, const char *db, const char *dir, int quiet)
{
    uint64_t id;
    if (app_parse_uint(word, INT64_MAX, &id) || id < 1)
        return cli_usage_error("emit", "a run's number goes from 1 to 2^63-1, not '%s'", word);
    app_stored *r = cli_new_result(sizeof *r);
    if (!r)
        return CLI_EXIT_FAILURE;
    base_err err;
    base_err_clear(&err);
    int st = app_stored_load(db, (int64_t)id, r, &err);
    if (st != BASE_OK)
        return cli_failed(st, &err, r);
    emit_input in;
    input_of(&in, r->s, &r->sum, r->verdicts, r->nv, r->run_id);
    in.scenario = r->scenario;
    in.shown = r->scenario_file;
    snprintf(in.sha256, sizeof in.sha256, "%s", r->sha256);
    int rc = deploy(&in, BASE_OK, &err, dir, quiet, 1);
    app_stored_clear(r);
    free(r);
    return rc;
}

static const cli_flag flags[] = {
    {"output", 'o', true, "DIR", "where to write the deployment config (required)"},
    {"db", 0, true, "PATH", "results store of the run (default out/results.db)"},
    CLI_FLAG_SEED,
    CLI_FLAG_REPLICATIONS,
    CLI_FLAG_JOBS,
    CLI_FLAG_FIDELITY,
    CLI_FLAG_QUIET,
    CLI_FLAG_HELP,
};
#define NFLAGS (sizeof flags / sizeof flags[0])

static const char help_text[] =
    "usage: simulate emit SCENARIO.yaml|RUN -o DIR [options]\n\n"
    "Runs the scenario (its report and results store where `simulate SCENARIO` puts them),\n"
    "or takes stored run RUN of the results store (--db) as it was, then writes the\n"
    "deployment config it simulated into DIR: kubernetes/*.yaml, karpenter/*.yaml,\n"
    "terraform/*.tf.json, pgbouncer.ini and README.md, each object checked against its JSON\n"
    "Schema, a reviewer's policy and the run's figures (docs/emit.md). Exit 1 when a check\n"
    "fails, one line per finding.\n\noptions:";

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
        o->run.scenario = x->word; /* a run's number: emit_run below */
        return 0;
    }
    const char *n = x->flag->lng;
    if (!strcmp(n, "output")) {
        o->dir = x->value;
        return 0;
    }
    return cli_run_option("emit", n, x->value, &o->run) > 0 ? CLI_EXIT_INPUT : 0;
}

static const cli_command command = {"emit", flags, NFLAGS, on_arg, help_text, NULL};

int cli_emit(int argc, char **argv)
{
    emit_opts o = {0};
    int st = cli_parse(&command, argc, argv, &o);
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
    if (app_is_run_number(ro.scenario))
        return emit_run(ro.scenario, ro.db, dir, ro.quiet);
    app_run_result *res = cli_new_result(sizeof *res);
    if (!res)
        return CLI_EXIT_FAILURE;
    base_err err;
    base_err_clear(&err);
    ro.progress_start = cli_progress_start;
    ro.progress_stop = cli_progress_stop;
    st = app_run(&ro, res, &err);
    if (st != BASE_OK)
        return cli_failed(st, &err, res);
    rc = cli_emit_deploy(ro.scenario, res, dir, ro.quiet, 1);
    app_run_clear(res);
    free(res);
    return rc;
}
