/*
 * plot.c — `simulate plot RUN|report.json|compare.json`: a run's charts again, in another format
 * or one at a time, from a report file or from the results store; and the charts and the
 * design-review pack every run writes into its output folder (cli_write_charts).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli/cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot/plot.h"
#include "store/store.h"

/* The folders chart files are read from, in order (docs/charts.md, "Where the charts come
 * from"): the built-in charts — plots/ beside the binary's folder (build/simulate ->
 * plots/), share/simulate/plots for an installed one, else the source tree's this binary was
 * built from — then ./plots, where a user drops a chart, when it is another folder. */
static size_t plot_dirs(char dirs[3][4096])
{
    size_t n = 0;
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const rel[] = {"/../plots", "/../share/simulate/plots"};
        for (size_t i = 0; i < 2 && n == 0; i++) {
            char d[4200];
            snprintf(d, sizeof d, "%s%s", exe, rel[i]);
            if (realpath(d, dirs[n]))
                n++;
        }
    }
    if (n == 0 && realpath(SIMULATE_PLOTS, dirs[n]))
        n++;
    if (realpath("plots", dirs[n]) && (n == 0 || strcmp(dirs[n], dirs[0]) != 0))
        n++;
    return n;
}

int cli_plot_set(const char *const *files, size_t nfiles, plot_set **out, base_err *err)
{
    char dirs[3][4096];
    size_t n = plot_dirs(dirs);
    const char *d[3];
    for (size_t i = 0; i < n; i++)
        d[i] = dirs[i];
    return plot_set_load(d, n, files, nfiles, out, err);
}

int cli_write_charts(const json_t *doc, const char *dir, base_err *err)
{
    plot_set *set;
    int st = cli_plot_set(NULL, 0, &set, err);
    if (st == BASE_OK)
        st = plot_all(set, doc, dir, PLOT_PNG, err);
    if (st == BASE_OK) {
        char path[4200];
        snprintf(path, sizeof path, "%s/review.pdf", dir);
        st = plot_pack(set, doc, path, err);
    }
    plot_set_free(set);
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
         "  --chart FILE   a chart file (a path ending in .yaml, docs/charts.md) added to the\n"
         "                 charts from plots/: every chart and the pack are drawn\n"
         "  --format FMT   png (default), svg or pdf\n"
         "  -o DIR         where to write (default: the report's folder, or out/run-RUN)\n"
         "  --db PATH      the results store for RUN (default out/results.db)\n"
         "\n"
         "charts of a run: latency, capacity, errors, database, cost; of a comparison: variants,\n"
         "crossover; and any chart file in plots/ (docs/charts.md)");
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
    plot_set *set = NULL;
    size_t clen = chart ? strlen(chart) : 0;
    int chart_file = clen > 5 && strcmp(chart + clen - 5, ".yaml") == 0;
    if (st == BASE_OK)
        st = cli_plot_set(chart_file ? &chart : NULL, chart_file ? 1 : 0, &set, &err);
    if (chart_file) /* a chart file joins the others: every chart and the pack are drawn */
        chart = NULL;
    if (st != BASE_OK) {
        json_decref(doc);
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
            st = plot_pack(set, doc, path, &err);
        if (st == BASE_OK) {
            const char *names[64];
            size_t n = plot_chart_names(set, doc, names, 64);
            for (size_t i = 0; i < n && i < 64; i++)
                printf("%s/%s.%s\n", dir, names[i], plot_format_ext(fmt));
            printf("%s\n", path);
        }
    }
    json_decref(doc);
    plot_set_free(set);
    if (st != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(st);
    }
    return CLI_EXIT_OK;
}
