/*
 * export.c — `simulate export RUN --csv|--infracost [-o DIR] [--db PATH|URL]`: a stored run's
 * series and figures as CSV for spreadsheets and notebooks, and its simulated usage as
 * Infracost's usage file. The CLI reads the command line and picks the run; the files are
 * written by the report room (rep_export_csv, src/report/export.c) and by the writer every run
 * uses for its own folder (app_write_infracost, src/app/infracost.c), from the stored report.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "report/report.h"
#include "store/store.h"

typedef struct export_opts {
    const char *run, *out, *db;
    int csv, infracost;
} export_opts;

static const cli_flag flags[] = {
    {"csv", 0, false, NULL, "series.csv and figures.csv", CLI_INTO(export_opts, csv)},
    {"infracost", 0, false, NULL, "infracost-usage.yml (docs/ci.md)",
     CLI_INTO(export_opts, infracost)},
    {"output", 'o', true, "DIR", "where to write (default out/run-RUN)",
     CLI_INTO(export_opts, out)},
    {"db", 0, true, "PATH|URL", "the results store (default out/results.db)",
     CLI_INTO(export_opts, db)},
    CLI_FLAG_HELP,
    CLI_WORD("run", export_opts, run),
};
#define NFLAGS (sizeof flags / sizeof flags[0])

static const char help_text[] =
    "usage: simulate export RUN --csv|--infracost [-o DIR] [--db PATH|URL]\n"
    "\n"
    "Writes stored run RUN (its number from 'simulate history', or latest) for spreadsheets\n"
    "and notebooks as CSV (RFC 4180; numbers read back to the same double), or for\n"
    "Infracost (one of the two, or both):\n"
    "  series.csv   replication, time_s, then one column per series with its unit in its\n"
    "               name; one row per time step per replication, then replication 'mean'\n"
    "  figures.csv  figure, unit, replication, value, ci_low, ci_high: each figure's mean\n"
    "               and 95% interval (replication 'mean'), then each replication's value\n"
    "  infracost-usage.yml\n"
    "               the month's simulated usage in Infracost's usage-file format, the file\n"
    "               the run wrote beside its report (docs/ci.md); a run without a pricing\n"
    "               file has none\n"
    "\noptions:";

static const cli_command command = {"export", flags, NFLAGS, NULL, help_text, NULL};

/* The newest run's id, for RUN "latest". */
static int newest(void *ctx, const store_entry *e)
{
    *(int64_t *)ctx = e->id;
    return 0;
}

/* DIR/infracost-usage.yml of stored run `id`, from its stored report by the writer a run uses
 * for its own folder; its path into path. A run without a pricing file has nothing to give
 * Infracost: that is said, not an empty file written. */
static int infracost(store *st, int64_t id, const char *dir, char *path, size_t n, base_err *err)
{
    json_t *doc;
    int s = store_report_doc(st, id, &doc, err);
    if (s != BASE_OK)
        return s;
    char probe[16];
    if (app_infracost_usage(doc, probe, sizeof probe) == 0)
        s = base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                         "run %lld had no pricing file, so no usage to give Infracost (the "
                         "scenario's `pricing:`, docs/cost-model.md)",
                         (long long)id);
    if (s == BASE_OK)
        s = base_mkdir_p(dir, err);
    if (s == BASE_OK)
        s = app_write_infracost(doc, dir, err);
    json_decref(doc);
    if (s == BASE_OK && snprintf(path, n, "%s/infracost-usage.yml", dir) >= (int)n)
        s = base_err_set(err, BASE_EINPUT, NULL, 0, 0, "--output is too long");
    return s;
}

int cli_export(int argc, char **argv)
{
    export_opts o = {0};
    int rc = cli_parse(&command, argc, argv, &o);
    if (rc)
        return rc == CLI_PARSE_STOP ? CLI_EXIT_OK : rc;
    const char *run = o.run, *out = o.out, *db = o.db;
    if (!run)
        return cli_usage_error("export", "%s",
                               "which run? (its number, from 'simulate history', or latest)");
    uint64_t id = 0;
    if (strcmp(run, "latest") &&
        (!app_is_run_number(run) || app_parse_uint(run, INT64_MAX, &id) || id < 1))
        return cli_usage_error(
            "export",
            "RUN is a run's number from 'simulate history' (1 to 2^63-1) or latest, not '%s'", run);
    if (!o.csv && !o.infracost)
        return cli_usage_error("export", "%s", "which format? (--csv, --infracost or both)");
    if ((rc = cli_check_output("--output", out, 1)) || (rc = cli_check_output("--db", db, 0)))
        return rc;

    char path[4096];
    app_store_path(db, NULL, path, sizeof path);
    base_err err;
    base_err_clear(&err);
    store *st;
    int s = store_open_read(path, &st, &err);
    if (s != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(s);
    }
    int64_t rid = (int64_t)id;
    if (!strcmp(run, "latest")) {
        rid = 0;
        s = store_history(st, 1, newest, &rid, &err);
        if (s == BASE_OK && rid == 0)
            s = base_err_set(&err, BASE_EINPUT, path, 0, 0, "the results store holds no run yet");
    }
    char dir[4096], series[4200], figures[4200], usage[4200] = "";
    if (out)
        snprintf(dir, sizeof dir, "%s", out);
    else
        snprintf(dir, sizeof dir, "out/run-%lld", (long long)rid);
    if (s == BASE_OK && o.csv)
        s = rep_export_csv(st, rid, dir, series, figures, sizeof series, &err);
    if (s == BASE_OK && o.infracost)
        s = infracost(st, rid, dir, usage, sizeof usage, &err);
    store_close(st);
    if (s != BASE_OK) {
        cli_print_error(&err);
        return cli_exit_for(s);
    }
    if (o.csv)
        printf("%s\n%s\n", series, figures);
    if (o.infracost)
        printf("%s\n", usage);
    return CLI_EXIT_OK;
}
