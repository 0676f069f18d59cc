/*
 * history.c — `simulate history` and `simulate show RUN`: what the results store holds, for
 * people (the store's schema is in docs/results-store.md for those who query it with sqlite3).
 */
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

typedef struct hist_opts {
    const char *cmd;
    const char *db, *output;
    const char *run;
    int limit;
    int want_run; /* show RUN */
} hist_opts;

static const cli_flag options[] = {
    {"db", 0, true, "PATH", "the results store (default out/results.db)"},
    {"output", 'o', true, "DIR", "the store of runs written with -o DIR (DIR/results.db)"},
    {"limit", 'n', true, "N", "only the N newest runs (history)"},
    CLI_FLAG_HELP,
};
#define NOPTIONS (sizeof options / sizeof options[0])

static int on_arg(void *ctx, const cli_arg *x)
{
    hist_opts *o = ctx;
    if (x->word) {
        if (!o->want_run || o->run)
            return cli_usage_error(o->cmd, "unexpected argument '%s'", x->word);
        o->run = x->word;
        return 0;
    }
    const char *n = x->flag->lng;
    if (!strcmp(n, "help")) {
        printf("usage: simulate %s%s [--db PATH | -o DIR]%s\n\n%s\n\noptions:\n", o->cmd,
               o->want_run ? " RUN" : "", o->want_run ? "" : " [-n N]",
               o->want_run ? "Prints a stored run's summary: each figure's mean and 95% interval."
                           : "Lists the runs in a results store (runs and comparisons), oldest "
                             "first.");
        /* show takes no --limit: the table without it */
        cli_print_options(stdout, options, o->want_run ? NOPTIONS - 2 : NOPTIONS);
        if (o->want_run)
            cli_print_options(stdout, options + NOPTIONS - 1, 1);
        return CLI_PARSE_STOP;
    }
    if (!strcmp(n, "db"))
        o->db = x->value;
    else if (!strcmp(n, "output"))
        o->output = x->value;
    else if (!strcmp(n, "limit")) {
        uint64_t v;
        if (o->want_run)
            return cli_usage_error(o->cmd, "unknown option '%s'", "-n");
        if (app_parse_uint(x->value, 1000000, &v) || v < 1)
            return cli_usage_error(o->cmd, "-n needs a whole number from 1, not '%s'", x->value);
        o->limit = (int)v;
    }
    return 0;
}

static int parse(const char *cmd, int argc, char **argv, hist_opts *o, int want_run)
{
    o->cmd = cmd;
    o->want_run = want_run;
    /* --help is on_arg's: its text depends on the command (history or show) */
    const cli_command command = {cmd, options, NOPTIONS, on_arg, NULL, NULL};
    int rc = cli_parse(&command, argc, argv, o);
    if (rc)
        return rc;
    if (want_run && !o->run)
        return cli_usage_error(cmd, "%s", "which run? (its number, from 'simulate history')");
    if ((rc = cli_check_output("--db", o->db, 0)) ||
        (rc = cli_check_output("--output", o->output, 1)))
        return rc;
    return 0;
}

static int open_for_reading(const hist_opts *o, store **st)
{
    char path[4096];
    app_store_path(o->db, o->output, path, sizeof path);
    base_err err;
    base_err_clear(&err);
    /* read-only: reading a store never creates, migrates or converts one */
    int rc = store_open_read(path, st, &err);
    if (rc != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return 0;
}

/* "120.3 ± 1.2" or "-" */
static void pm(char *out, size_t size, double mean, double half, int decimals)
{
    if (isnan(mean))
        snprintf(out, size, "-");
    else if (isnan(half))
        snprintf(out, size, "%.*f", decimals, mean);
    else
        snprintf(out, size, "%.*f ± %.*f", decimals, mean, decimals, half);
}

static int print_entry(void *ctx, const store_entry *e)
{
    (void)ctx;
    char p99[48], er[48], cost[48], wall[24], reps[24];
    pm(p99, sizeof p99, e->p99_ms, e->p99_half, 1);
    pm(er, sizeof er, e->error_pct, e->error_half, 3);
    if (isnan(e->cost))
        snprintf(cost, sizeof cost, "-");
    else {
        char c[24], ch[24];
        cli_grouped(c, sizeof c, e->cost, 0);
        if (isnan(e->cost_half))
            snprintf(cost, sizeof cost, "%s", c);
        else
            snprintf(cost, sizeof cost, "%s ± %s", c, cli_grouped(ch, sizeof ch, e->cost_half, 0));
    }
    if (isnan(e->wall_s))
        snprintf(wall, sizeof wall, "-");
    else
        snprintf(wall, sizeof wall, "%.1f s", e->wall_s);
    snprintf(reps, sizeof reps, "%d/%d", e->done, e->replications);
    printf("%5lld  %-20s  %-24.24s  %-12.12s  %-8s  %-7s  %-9s  %8s  %-18s  %-16s  %s\n",
           (long long)e->id, e->started, e->name, e->hash, e->engine, reps, e->status, wall, p99,
           er, cost);
    return 0;
}

int cli_history(int argc, char **argv)
{
    hist_opts o = {0};
    int rc = parse("history", argc, argv, &o, 0);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    store *st;
    if ((rc = open_for_reading(&o, &st)))
        return rc;
    printf("%5s  %-20s  %-24s  %-12s  %-8s  %-7s  %-9s  %8s  %-18s  %-16s  %s\n", "run",
           "started (UTC)", "scenario", "sha256", "engine", "reps", "status", "wall", "API p99 ms",
           "errors %", "USD/month");
    base_err err;
    base_err_clear(&err);
    rc = store_history(st, o.limit, print_entry, NULL, &err);
    if (rc == BASE_OK)
        rc = cli_history_plans(st, o.limit, &err);
    store_close(st);
    if (rc != BASE_OK) {
        cli_print_error(&err);
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

/* A stored figure as the run's summary prints it (summary.c): the same numbers, the same
 * separators, the same "±". */
static void print_figure(const store_figure *f)
{
    char m[48] = "-", h[48] = "";
    if (!isnan(f->mean))
        cli_figure_text(m, sizeof m, f->mean, f->unit);
    const char *unit = !strcmp(f->unit, "requests") ? "" : f->unit;
    if (!isnan(f->half)) { /* replications that agree to the last bits: rounding, not spread */
        char v[40];
        cli_figure_text(v, sizeof v, f->half <= 1e-9 * fabs(f->mean) ? 0 : f->half, f->unit);
        snprintf(h, sizeof h, "± %s", v);
    }
    printf("  %-28s %14s %-6s %s\n", f->key, m, unit, h);
}

/* The objectives' verdicts, from the report stored with a finished run. */
static void print_objectives(store *st, int64_t id)
{
    json_t *root;
    base_err err;
    if (store_report_doc(st, id, &root, &err) != BASE_OK)
        return;
    json_t *objs = json_object_get(root, "objectives");
    if (json_array_size(objs) > 0)
        printf("\n  objectives\n");
    size_t i;
    json_t *o;
    json_array_foreach(objs, i, o)
    {
        const char *status = json_string_value(json_object_get(o, "status"));
        printf("    %-8s %s%s\n", status ? status : "?",
               json_string_value(json_object_get(o, "objective")),
               json_is_true(json_object_get(o, "uncertain"))
                   ? "  (uncertain: the 95% interval straddles it)"
                   : "");
    }
    json_decref(root);
}

int cli_show(int argc, char **argv)
{
    hist_opts o = {0};
    int rc = parse("show", argc, argv, &o, 1);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    uint64_t id;
    if ((o.run[0] == 'P' || o.run[0] == 'p') && app_is_run_number(o.run + 1)) {
        if (app_parse_uint(o.run + 1, INT64_MAX, &id) || id < 1)
            return cli_usage_error("show", "a plan's number is P1 to P2^63-1, not '%s'", o.run);
        store *st;
        if ((rc = open_for_reading(&o, &st)))
            return rc;
        base_err err;
        base_err_clear(&err);
        rc = cli_show_plan(st, (int64_t)id, &err);
        store_close(st);
        if (rc != BASE_OK)
            cli_print_error(&err);
        return rc == BASE_OK ? CLI_EXIT_OK : cli_exit_for(rc);
    }
    if (!app_is_run_number(o.run) || app_parse_uint(o.run, INT64_MAX, &id) || id < 1)
        return cli_usage_error("show",
                               "RUN is a run's number from 'simulate history' (1 to 2^63-1, or PN "
                               "for a plan), not '%s'",
                               o.run);
    store *st;
    if ((rc = open_for_reading(&o, &st)))
        return rc;
    store_entry e;
    store_figures fs = {0}; /* gathered so that the header can be printed first */
    base_err err;
    base_err_clear(&err);
    rc = store_show(st, (int64_t)id, &e, store_figures_keep, &fs, &err);
    if (rc != BASE_OK) {
        store_figures_free(&fs);
        store_close(st);
        if (rc == BASE_ENOMEM)
            base_err_set(&err, rc, NULL, 0, 0, "out of memory");
        cli_print_error(&err);
        return rc == BASE_EINPUT ? CLI_EXIT_INPUT : CLI_EXIT_FAILURE;
    }
    printf("run %lld · %s · %s engine · seed %s · started %s · %s", (long long)id, e.name, e.engine,
           e.seed, e.started, e.status);
    if (!isnan(e.wall_s))
        printf(" in %.1f s", e.wall_s);
    printf("\nscenario sha256 %s · %d of %d replications recorded\n", e.hash, e.done,
           e.replications);
    if (strcmp(e.status, "finished") == 0)
        printf("mean ± 95%% CI across replications\n\n");
    else if (e.done > 0)
        printf("did not finish: means of the %d replications it recorded, without intervals\n\n",
               e.done);
    else
        printf("did not finish, and recorded no replication\n");
    for (size_t i = 0; i < fs.n; i++)
        print_figure(&fs.f[i]);
    store_figures_free(&fs);
    if (strcmp(e.status, "finished") == 0)
        print_objectives(st, (int64_t)id);
    store_close(st);
    return CLI_EXIT_OK;
}
