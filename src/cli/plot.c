/*
 * plot.c — `simulate plot RUN|report.json|compare.json`: a run's charts again, in another format
 * or one at a time, from a report file or from the results store (a run writes its own with
 * app_write_charts). Chart definitions come from plots/ (app_plot_set, docs/charts.md).
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "store/store.h"

typedef struct plot_opts {
    const char *what, *chart, *format, *out, *db;
} plot_opts;

static const cli_flag options[] = {
    {"chart", 0, true, "NAME|FILE",
     "one chart by name; or a chart file (FILE.yaml) drawn with the rest",
     CLI_INTO(plot_opts, chart)},
    {"format", 'f', true, "FMT", "png (default), svg or pdf", CLI_INTO(plot_opts, format)},
    {"output", 'o', true, "DIR", "where to write (default: the report's folder, or out/run-RUN)",
     CLI_INTO(plot_opts, out)},
    {"db", 0, true, "PATH", "the results store for RUN (default out/results.db)",
     CLI_INTO(plot_opts, db)},
    CLI_FLAG_HELP,
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char help_text[] =
    "usage: simulate plot RUN|report.json|compare.json [--chart NAME] [--format png|svg|pdf]\n"
    "                     [-o DIR] [--db PATH]\n"
    "\n"
    "Draws a run's charts (and, without --chart, its design-review pack review.pdf) from a\n"
    "report.json or compare.json, or from run RUN of the results store.\n"
    "\noptions:";
static const char help_more[] =
    "\ncharts of a run: latency, capacity, errors, database, cost; of a comparison: variants,\n"
    "crossover (docs/charts.md)";

static int on_arg(void *ctx, const cli_arg *x)
{
    plot_opts *o = ctx; /* only words come here: the options are kept by cli_parse */
    if (o->what)
        return cli_usage_error("plot", "unexpected argument '%s'", x->word);
    o->what = x->word;
    return 0;
}

static const cli_command command = {"plot", options, NOPTIONS, on_arg, help_text, help_more};

/* Run `run`'s report (named `what` on the command line) from the results store at db, and the
 * newest stored plan of its scenario for the pack (app_plan_for, on the text the run read). */
static int stored_report(const char *db, const char *what, uint64_t run, json_t **doc,
                         app_plan_ref *plan, base_err *err)
{
    char path[4096];
    app_store_path(db, NULL, path, sizeof path);
    store *s;
    int st = store_open_read(path, &s, err);
    char *text = NULL;
    if (st == BASE_OK) {
        store_inputs in = {0};
        st = store_report(s, (int64_t)run, &text, err);
        if (st == BASE_OK)
            st = store_run_inputs(s, (int64_t)run, &in, err);
        if (st == BASE_OK)
            st = app_plan_for(s, in.scenario_text ? in.scenario_text : "", plan, err);
        store_inputs_clear(&in);
        store_close(s);
    }
    if (st == BASE_OK) {
        json_error_t je;
        *doc = json_loads(text, 0, &je);
        free(text);
        if (!*doc)
            st = base_err_set(err, BASE_EINTERNAL, path, 0, 0,
                              "run %s's stored report is not JSON: %s", what, je.text);
    }
    return st;
}

int cli_plot(int argc, char **argv)
{
    plot_opts o = {.format = "png"};
    int rc = cli_parse(&command, argc, argv, &o);
    if (rc)
        return rc == CLI_PARSE_STOP ? CLI_EXIT_OK : rc;
    const char *what = o.what, *chart = o.chart, *format = o.format, *out = o.out, *db = o.db;
    if (!what)
        return cli_usage_error("plot", "%s",
                               "what to plot? (a run's number, or a report.json or compare.json)");
    uint64_t run = 0;
    if (app_is_run_number(what) && (app_parse_uint(what, INT64_MAX, &run) || run < 1))
        return cli_usage_error("plot", "a run's number goes from 1 to 2^63-1, not '%s'", what);
    if ((rc = cli_check_output("--output", out, 1)) || (rc = cli_check_output("--db", db, 0)))
        return rc;
    base_err err;
    base_err_clear(&err);
    plot_format fmt;
    if (plot_parse_format(format, &fmt, &err) != BASE_OK)
        return cli_usage_error("plot", "--format must be png, svg or pdf, not '%s'", format);

    json_t *doc = NULL;
    app_plan_ref plan = {0}; /* from a report.json: no store is searched */
    char dir[4096];
    int st;
    if (app_is_run_number(what)) {
        st = stored_report(db, what, run, &doc, &plan, &err);
        snprintf(dir, sizeof dir, "%s", out ? out : "");
        if (!out)
            snprintf(dir, sizeof dir, "out/run-%s", what);
    } else {
        st = plot_load(what, &doc, &err);
        if (st == BASE_EIO) /* a file that is not there is the user's input, as --baseline's */
            st = BASE_EINPUT;
        const char *slash = strrchr(what, '/');
        if (out)
            snprintf(dir, sizeof dir, "%s", out);
        else if (slash)
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - what), what);
        else
            snprintf(dir, sizeof dir, ".");
    }
    if (st != BASE_OK) {
        app_plan_ref_clear(&plan);
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    plot_set *set = NULL;
    size_t clen = chart ? strlen(chart) : 0;
    int chart_file = clen > 5 && strcmp(chart + clen - 5, ".yaml") == 0;
    st = app_plot_set(chart_file ? &chart : NULL, chart_file ? 1 : 0, &set, &err);
    if (chart_file) /* a chart file joins the others: every chart and the pack are drawn */
        chart = NULL;
    if (st != BASE_OK) {
        json_decref(doc);
        app_plan_ref_clear(&plan);
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    if (chart) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.%s", dir, chart, plot_format_ext(fmt));
        st = base_mkdir_p(dir, &err);
        if (st == BASE_OK)
            st = plot_chart(set, doc, chart, fmt, path, &err);
        if (st == BASE_OK)
            printf("%s\n", path);
    } else {
        st = plot_all(set, doc, dir, fmt, &err);
        char path[4200];
        snprintf(path, sizeof path, "%s/review.pdf", dir);
        if (st == BASE_OK)
            st = plot_pack_planned(set, doc, &plan.ref, path, &err);
        if (st == BASE_OK) {
            const char *names[64];
            size_t n = plot_chart_names(set, doc, names, 64);
            for (size_t i = 0; i < n && i < 64; i++)
                printf("%s/%s.%s\n", dir, names[i], plot_format_ext(fmt));
            printf("%s\n", path);
        }
    }
    plot_set_free(set);
    json_decref(doc);
    app_plan_ref_clear(&plan);
    if (st != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    return CLI_EXIT_OK;
}
