/*
 * plot.c — `simulate plot RUN|report.json|compare.json`: a run's charts again, in another format
 * or one at a time, from a report file or from the results store; and the charts and the
 * design-review pack every run writes into its output folder (cli_write_charts).
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "plot/plot.h"
#include "store/store.h"

int cli_write_charts(const json_t *doc, const char *dir, base_err *err)
{
    int st = plot_all(doc, dir, PLOT_PNG, err);
    if (st == BASE_OK) {
        char path[4200];
        snprintf(path, sizeof path, "%s/review.pdf", dir);
        st = plot_pack(doc, path, err);
    }
    return st;
}

static void help(void)
{
    puts("usage: simulate plot RUN|report.json|compare.json [--chart NAME] [--format png|svg|pdf]\n"
         "                     [-o DIR] [--db PATH]\n"
         "\n"
         "Draws a run's charts (and, without --chart, its design-review pack review.pdf) from a\n"
         "report.json or compare.json, or from run RUN of the results store.\n"
         "\n"
         "  --chart NAME   one chart (without it: every chart the document has)\n"
         "  --format FMT   png (default), svg or pdf\n"
         "  -o DIR         where to write (default: the report's folder, or out/run-RUN)\n"
         "  --db PATH      the results store for RUN (default out/results.db)\n"
         "\n"
         "charts of a run: latency, capacity, errors, database, cost; of a comparison: variants,\n"
         "crossover (docs/charts.md)");
}

int cli_plot(int argc, char **argv)
{
    const char *what = NULL, *chart = NULL, *format = "png", *out = NULL, *db = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            help();
            return CLI_EXIT_OK;
        }
        int takes = !strcmp(a, "--chart") || !strcmp(a, "--format") || !strcmp(a, "-o") ||
                    !strcmp(a, "--output") || !strcmp(a, "--db");
        if (takes && i + 1 >= argc)
            return cli_usage_error("plot", "option '%s' needs a value", a);
        if (!strcmp(a, "--chart"))
            chart = argv[++i];
        else if (!strcmp(a, "--format"))
            format = argv[++i];
        else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            out = argv[++i];
        else if (!strcmp(a, "--db"))
            db = argv[++i];
        else if (a[0] == '-' && a[1])
            return cli_usage_error("plot", "unknown option '%s'", a);
        else if (!what)
            what = a;
        else
            return cli_usage_error("plot", "unexpected argument '%s'", a);
    }
    if (!what)
        return cli_usage_error("plot", "%s",
                               "what to plot? (a run's number, or a report.json or compare.json)");
    uint64_t run = 0;
    if (cli_is_run_number(what) && (cli_parse_uint(what, INT64_MAX, &run) || run < 1))
        return cli_usage_error("plot", "a run's number goes from 1 to 2^63-1, not '%s'", what);
    int rc;
    if ((rc = cli_check_output("--output", out, 1)) || (rc = cli_check_output("--db", db, 0)))
        return rc;
    base_err err;
    base_err_clear(&err);
    plot_format fmt;
    if (plot_parse_format(format, &fmt, &err) != BASE_OK)
        return cli_usage_error("plot", "--format must be png, svg or pdf, not '%s'", format);

    json_t *doc = NULL;
    char dir[4096];
    int st;
    if (cli_is_run_number(what)) {
        char path[4096];
        cli_store_path(db, NULL, path, sizeof path);
        store *s;
        st = store_open_read(path, &s, &err);
        char *text = NULL;
        if (st == BASE_OK) {
            st = store_report(s, (int64_t)run, &text, &err);
            store_close(s);
        }
        if (st == BASE_OK) {
            json_error_t je;
            doc = json_loads(text, 0, &je);
            free(text);
            if (!doc)
                st = base_err_set(&err, BASE_EINTERNAL, path, 0, 0,
                                  "run %s's stored report is not JSON: %s", what, je.text);
        }
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
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    if (chart) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.%s", dir, chart, plot_format_ext(fmt));
        st = base_mkdir_p(dir, &err);
        if (st == BASE_OK)
            st = plot_chart(doc, chart, fmt, path, &err);
        if (st == BASE_OK)
            printf("%s\n", path);
    } else {
        st = plot_all(doc, dir, fmt, &err);
        char path[4200];
        snprintf(path, sizeof path, "%s/review.pdf", dir);
        if (st == BASE_OK)
            st = plot_pack(doc, path, &err);
        if (st == BASE_OK) {
            const char *names[16];
            size_t n = plot_chart_names(doc, names, 16);
            for (size_t i = 0; i < n && i < 16; i++)
                printf("%s/%s.%s\n", dir, names[i], plot_format_ext(fmt));
            printf("%s\n", path);
        }
    }
    json_decref(doc);
    if (st != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    return CLI_EXIT_OK;
}
