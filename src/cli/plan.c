/*
 * plan.c — `simulate plan SCENARIO.yaml`: the cheapest configuration of the scenario's `plan:`
 * space that meets its objectives (src/plan/ searches; this prints, writes plan.json and, with
 * --emit DIR, the winner's deployment config through the emit room as `simulate emit` does).
 */
#include "cli/cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/io.h"
#include "plan/plan.h"
#include "store/store.h"
#include "task/task.h"

static const cli_flag flags[] = {
    {"output", 'o', true, "DIR", "where plan.json goes (default out/plan-NAME/)"},
    {"emit", 0, true, "DIR", "write the winner's deployment config into DIR (docs/emit.md)"},
    CLI_FLAG_RUN_DB,
    CLI_FLAG_SEED,
    CLI_FLAG_JOBS,
    {"fidelity", 0, true, "MODE", "traffic engine: request, flow or auto (the scenario's)"},
    {"format", 'f', true, "FMT", "summary on stdout: text (default) or json"},
    CLI_FLAG_QUIET,
    CLI_FLAG_HELP,
};
#define NFLAGS (sizeof flags / sizeof flags[0])

static const char help_text[] =
    "usage: simulate plan SCENARIO.yaml [options]\n\n"
    "Searches the scenario's `plan:` knobs for the cheapest configuration that meets every\n"
    "objective at 95% confidence, under the load and through the failures of\n"
    "`must_survive:` — analytic bounds prune, a monotone knob is bisected, the rest is\n"
    "screened on common random numbers and the finalists get replications until each\n"
    "objective is decided; the winner is re-run with fresh random numbers (docs/plan.md).\n"
    "Writes plan.json. Exit 1 when nothing in the space is feasible.\n\noptions:";

typedef struct plan_cli {
    const char *scenario, *output, *emit, *db;
    int json, quiet;
    plan_opts po;
} plan_cli;

static int on_arg(void *ctx, const cli_arg *x)
{
    plan_cli *o = ctx;
    if (x->word)
        return cli_one_word("plan", "scenario", &o->scenario, x->word);
    const char *n = x->flag->lng;
    if (!strcmp(n, "output")) {
        o->output = x->value;
    } else if (!strcmp(n, "emit")) {
        o->emit = x->value;
    } else if (!strcmp(n, "db")) {
        o->db = x->value;
    } else if (!strcmp(n, "quiet")) {
        o->quiet = 1;
    } else if (!strcmp(n, "format")) {
        if (strcmp(x->value, "text") && strcmp(x->value, "json"))
            return cli_usage_error("plan", "--format must be text or json, not '%s'", x->value);
        o->json = !strcmp(x->value, "json");
    } else {
        /* --seed, --jobs, --fidelity: read as every command that runs reads them. */
        app_run_opts ro = {0};
        if (cli_run_option("plan", n, x->value, &ro) > 0)
            return CLI_EXIT_INPUT;
        if (ro.has_seed) {
            o->po.seed = ro.seed;
            o->po.has_seed = 1;
        }
        if (ro.jobs)
            o->po.jobs = ro.jobs;
        if (ro.has_fidelity)
            o->po.fidelity = x->value;
    }
    return 0;
}

static const cli_command command = {"plan", flags, NFLAGS, on_arg, help_text, NULL};

static void print_config(FILE *f, const scn_plan *p, const plan_config *c, const char *indent)
{
    for (size_t k = 0; k < p->nknobs; k++)
        fprintf(f, "%s%-34s %s\n", indent, p->knobs[k].key, plan_value(p, c, k));
}

static void print_fig(FILE *f, const char *label, const stat_ci *c, const char *unit)
{
    if (isnan(c->mean))
        return;
    fprintf(f, "    %-32s %12.4g %-6s ± %.3g\n", label, c->mean, unit,
            isfinite(c->half) ? c->half : 0.0);
}

static void print_summary(FILE *f, const scn_plan *p, const plan_result *r, double wall)
{
    fprintf(f,
            "simulate %s plan · %s · %s engine%s%s%s · seed %llu · feasible = every objective met "
            "at %.0f%% confidence\n",
            SIMULATE_VERSION, p->path, r->fidelity,
            strcmp(r->finalist_engine, r->fidelity) ? " (finalists: " : "",
            strcmp(r->finalist_engine, r->fidelity) ? r->finalist_engine : "",
            strcmp(r->finalist_engine, r->fidelity) ? ", where auto picks it)" : "",
            (unsigned long long)r->seed, PLAN_CONFIDENCE * 100);
    fprintf(f,
            "search: %llu configurations; %llu pruned by the queueing bounds, %llu skipped by "
            "bisection, %zu simulated (%.2f%%), %llu replications, %.1f s\n",
            (unsigned long long)r->space, (unsigned long long)r->pruned,
            (unsigned long long)r->skipped, r->simulated,
            r->space ? 100.0 * (double)r->simulated / (double)r->space : 0.0,
            (unsigned long long)r->replications, wall);
    if (r->winner < 0) {
        fprintf(f, "\nno configuration in the space is feasible\n");
    } else {
        const plan_config *w = &r->cfg[r->winner];
        fprintf(f, "\ncheapest feasible configuration (%d replications%s):\n", w->reps,
                r->indistinguishable ? "; statistically indistinguishable from others" : "");
        print_config(f, p, w, "    ");
        print_fig(f, "monthly cost", &w->fig[PLAN_COST], "USD");
        print_fig(f, "API latency p99", &w->fig[PLAN_P99], "ms");
        print_fig(f, "errors", &w->fig[PLAN_ERRORS], "%");
        if (p->nsurvive)
            print_fig(f, "RTO (first failure)", &w->fig[PLAN_RTO], "s");
        for (size_t j = 0; j < w->nv; j++) {
            const plan_verdict *v = &w->v[j];
            if (!v->known)
                continue;
            fprintf(f, "    %-24s %-10s %10.4g ± %.3g %s\n", v->o.text,
                    v->survive >= 0 ? p->survive_name[v->survive] : "", v->ci.mean,
                    isfinite(v->ci.half) ? v->ci.half : 0.0, slo_unit(&v->o));
        }
        fprintf(f,
                "  confirmed with fresh random numbers (seed %llu, %d replications): %s; "
                "monthly cost %.6g USD, p99 %.4g ms\n",
                (unsigned long long)r->confirm_seed, r->confirm.reps,
                r->confirmed ? "yes" : "NO — an objective's mean missed",
                r->confirm.fig[PLAN_COST].mean, r->confirm.fig[PLAN_P99].mean);
        fprintf(f, "\nsensitivity at the winner (one step of each knob, paired):\n");
        for (size_t k = 0; k < p->nknobs; k++) {
            const plan_sensitivity *s = &r->sens[k];
            fprintf(f, "    %-34s", p->knobs[k].key);
            if (!isnan(s->cost_down))
                fprintf(f, "  down: %+.4g USD, %+.3g ms%s", s->cost_down, s->p99_down,
                        s->down_feasible ? "" : " (infeasible)");
            else if (w->choice[k] > 0)
                fprintf(f, "  down: pruned");
            if (!isnan(s->cost_up))
                fprintf(f, "  up: %+.4g USD, %+.3g ms%s", s->cost_up, s->p99_up,
                        s->up_feasible ? "" : " (infeasible)");
            fputc('\n', f);
        }
    }
    fprintf(f, "\nPareto frontier, monthly cost against API p99 (%zu):\n", r->npareto_p99);
    for (size_t i = 0; i < r->npareto_p99; i++) {
        const plan_config *c = &r->cfg[r->pareto_p99[i]];
        fprintf(f, "    %12.6g USD  %8.4g ms  %-10s", c->fig[PLAN_COST].mean, c->fig[PLAN_P99].mean,
                plan_status_name(c->status));
        for (size_t k = 0; k < p->nknobs; k++)
            fprintf(f, " %s=%s", p->knobs[k].key, plan_value(p, c, k));
        fputc('\n', f);
    }
    if (r->npareto_rto) {
        fprintf(f, "Pareto frontier, monthly cost against RTO (%zu):\n", r->npareto_rto);
        for (size_t i = 0; i < r->npareto_rto; i++) {
            const plan_config *c = &r->cfg[r->pareto_rto[i]];
            fprintf(f, "    %12.6g USD  %8.4g s  %-10s", c->fig[PLAN_COST].mean,
                    c->fig[PLAN_RTO].mean, plan_status_name(c->status));
            for (size_t k = 0; k < p->nknobs; k++)
                fprintf(f, " %s=%s", p->knobs[k].key, plan_value(p, c, k));
            fputc('\n', f);
        }
    }
}

/* The winner's deployment config: one run of it (its own seed and replications), priced and
 * judged as `simulate` does, handed to emit as `simulate emit` hands its run. */
static int emit_winner(scn_plan *p, const plan_result *r, const plan_opts *po, const char *dir,
                       int quiet)
{
    base_err err;
    base_err_clear(&err);
    app_run_result *res = cli_new_result(sizeof *res);
    mdl_scenario *s = res ? cli_new_result(sizeof *s) : NULL;
    if (!s) {
        free(res);
        return CLI_EXIT_FAILURE;
    }
    int st = scn_plan_bind(p, r->cfg[r->winner].choice, -1, s, &err);
    if (st == BASE_OK && po->has_seed)
        s->seed = po->seed;
    if (st == BASE_OK)
        st = eng_run(s, po->jobs, NULL, NULL, NULL, &res->sum, &err);
    if (st == BASE_OK && !task_root()) { /* an MPI rank other than 0: rank 0 writes */
        free(res);
        free(s);
        return CLI_EXIT_OK;
    }
    int ran = st == BASE_OK;
    if (st == BASE_OK)
        st = app_add_costs(&res->sum, NULL, 0, NULL, &err);
    if (st == BASE_OK)
        st = app_judge(&res->sum, res->verdicts, &res->nv, &err);
    int rc = CLI_EXIT_OK;
    if (st != BASE_OK) {
        cli_print_error(&err);
        rc = cli_exit_for(st);
    } else {
        res->s = s;
        rc = cli_emit_deploy(p->path, res, dir, quiet, 0);
        if (rc == CLI_EXIT_OK && !quiet)
            printf("deployment config of the winner: %s\n", dir);
    }
    if (ran)
        eng_summary_clear(&res->sum);
    free(res);
    free(s);
    return rc;
}

/* The plan kept in the results store (docs/results-store.md, `plans`), listed by `simulate
 * history` and shown by `simulate show PN`; its number into *id. */
static int keep_plan(const scn_plan *p, const plan_result *r, const char *db, const char *output,
                     const char *json, double wall, int64_t *id, base_err *err)
{
    char path[4096];
    app_store_path(db, output, path, sizeof path);
    base_buf win = {0};
    if (r->winner >= 0)
        for (size_t k = 0; k < p->nknobs; k++)
            base_buf_addf(&win, "%s%s=%s", k ? ", " : "", p->knobs[k].key,
                          plan_value(p, &r->cfg[r->winner], k));
    if (win.oom) {
        base_buf_free(&win);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t len = 0;
    const plan_config *w = r->winner >= 0 ? &r->cfg[r->winner] : NULL;
    store_plan sp = {
        .scenario_name = r->name,
        .scenario_file = p->path,
        .scenario_text = scn_doc_sources(p->doc, &len),
        .version = SIMULATE_VERSION,
        .engine = r->fidelity,
        .seed = r->seed,
        .space = r->space,
        .simulated = r->simulated,
        .replications = r->replications,
        .wall_s = wall,
        .winner = w ? (win.p ? win.p : "") : NULL,
        .cost = w ? w->fig[PLAN_COST].mean : NAN,
        .cost_half = w ? w->fig[PLAN_COST].half : NAN,
        .p99_ms = w ? w->fig[PLAN_P99].mean : NAN,
        .p99_half = w ? w->fig[PLAN_P99].half : NAN,
        .confirmed = w ? r->confirmed : -1,
        .plan_json = json,
    };
    store *st;
    int rc = store_open(path, &st, err);
    if (rc == BASE_OK) {
        rc = store_put_plan(st, &sp, id, err);
        store_close(st);
    }
    base_buf_free(&win);
    return rc;
}

int cli_plan(int argc, char **argv)
{
    plan_cli o = {0};
    int rc = cli_parse(&command, argc, argv, &o);
    if (rc)
        return rc == CLI_PARSE_STOP ? CLI_EXIT_OK : rc;
    const char *scenario = o.scenario, *output = o.output, *emit = o.emit, *db = o.db;
    int json = o.json, quiet = o.quiet;
    plan_opts po = o.po;
    if (!scenario)
        return cli_usage_error("plan", "%s", "which scenario? (simulate plan SCENARIO.yaml)");
    if ((rc = cli_check_output("--output", output, 1)) ||
        (rc = cli_check_output("--emit", emit, 1)) || (rc = cli_check_output("--db", db, 0)))
        return rc;
    if (!po.jobs)
        po.jobs = app_default_jobs();
    base_err err;
    base_err_clear(&err);
    scn_plan *p = NULL;
    int st = scn_plan_load(scenario, &p, &err);
    if (st != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    plan_result r;
    st = plan_search(p, &po, &r, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st != BASE_OK) {
        cli_print_error(&err);
        scn_plan_free(p);
        return cli_exit_for(st);
    }
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    json_t *doc = plan_json(p, &r);
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
    char dir[4096], path[4200];
    if (output) {
        snprintf(dir, sizeof dir, "%s", output);
    } else {
        const char *b = strrchr(scenario, '/');
        b = b ? b + 1 : scenario;
        snprintf(dir, sizeof dir, "out/plan-%.*s", (int)strcspn(b, "."), b);
    }
    snprintf(path, sizeof path, "%s/plan.json", dir);
    rc = r.winner >= 0 ? CLI_EXIT_OK : CLI_EXIT_OBJECTIVE;
    int64_t id = 0;
    if (!task_root()) { /* an MPI rank other than 0: rank 0 writes and speaks */
    } else if (!text || base_mkdir_p(dir, &err) != BASE_OK ||
               base_write_file_atomic(path, text, strlen(text), &err) != BASE_OK) {
        if (!text)
            base_err_set(&err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        cli_print_error(&err);
        rc = CLI_EXIT_FAILURE;
    } else if ((st = app_write_charts(doc, dir, &err)) != BASE_OK) {
        cli_print_error(&err); /* the Pareto chart and the review pack beside plan.json */
        rc = cli_exit_for(st);
    } else if ((st = keep_plan(p, &r, db, output, text, wall, &id, &err)) != BASE_OK) {
        cli_print_error(&err);
        rc = cli_exit_for(st);
    } else if (!quiet && json) {
        puts(text);
    } else if (!quiet) {
        print_summary(stdout, p, &r, wall);
        printf("\nplan: %s (kept in the results store as P%lld: simulate show P%lld)\n", path,
               (long long)id, (long long)id);
        printf("Pareto frontier: %s/pareto.png · design-review pack: %s/review.pdf\n", dir, dir);
    }
    if (rc != CLI_EXIT_FAILURE && emit && r.winner >= 0) {
        int erc = emit_winner(p, &r, &po, emit, quiet);
        if (erc != CLI_EXIT_OK)
            rc = erc;
    }
    free(text);
    json_decref(doc);
    plan_result_clear(&r);
    scn_plan_free(p);
    return rc;
}
