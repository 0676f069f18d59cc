/*
 * run.c — one run of a scenario, from the file to everything it leaves behind: what
 * `simulate SCENARIO`, `simulate check` and `simulate emit` share. Nothing here prints (a
 * caller may hook in a progress display); the callers print the summary and choose the exit
 * code.
 *
 * The order matters for what survives a crash: the results store's record of the run is
 * opened before the first replication, each replication is committed as it finishes, and the
 * report (written atomically) comes before the store marks the run finished — so a run killed
 * at any point leaves either a finished record with its report, or a running one with the
 * replications it completed. The outputs after the replications (report, store, charts, pack)
 * are written at once on the run's threads (write_outputs).
 */
#define _XOPEN_SOURCE 700 /* realpath, readlink */
#include "app/app.h"
#include "app/internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/io.h"
#include "plot/plot.h"
#include "store/store.h"
#include "task/task.h"

double app__now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int app_load(const app_run_opts *o, mdl_scenario **out, base_err *err)
{
    *out = NULL;
    mdl_scenario *s = malloc(sizeof *s);
    if (!s)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int st = scn_load(o->scenario, s, err);
    if (st != BASE_OK) {
        free(s);
        /* an unreadable scenario or extends base is the user's input too */
        return st == BASE_EIO ? BASE_EINPUT : st;
    }
    if (o->has_seed)
        s->seed = o->seed;
    if (o->replications)
        s->replications = o->replications;
    if (o->has_fidelity)
        s->fidelity = o->fidelity;
    /* refused before it runs, not at the allocation that fails hours in (issue 13) */
    eng_projection p;
    double limit = o->max_memory > 0 ? o->max_memory : app_default_max_memory();
    st = eng_project(s, o->jobs ? o->jobs : app_default_jobs(), &p, err);
    if (st == BASE_OK && p.memory_bytes > limit)
        st = base_err_set(err, BASE_EINPUT, o->scenario, 0, 0,
                          "this run would need about %.3g GB of memory (%s engine, %d "
                          "replications), over the %.3g GB --max-memory allows%s: shorten the "
                          "phases, or give fewer replications or --jobs",
                          p.memory_bytes / 1e9, p.engine, s->replications, limit / 1e9,
                          o->max_memory > 0 ? "" : " (half this machine's memory)");
    if (st != BASE_OK) {
        free(s);
        return st;
    }
    *out = s;
    return BASE_OK;
}

int app_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > ENG_MAX_JOBS ? ENG_MAX_JOBS : (int)n;
}

void app_store_path(const char *db, const char *output, char *out, size_t size)
{
    if (db)
        snprintf(out, size, "%s", db);
    else if (output)
        snprintf(out, size, "%s/results.db", output);
    else
        snprintf(out, size, "out/results.db");
}

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

int app_plot_set(const char *const *files, size_t nfiles, plot_set **out, base_err *err)
{
    char dirs[3][4096];
    size_t n = plot_dirs(dirs);
    const char *d[3];
    for (size_t i = 0; i < n; i++)
        d[i] = dirs[i];
    return plot_set_load(d, n, files, nfiles, out, err);
}

int app_write_charts(const json_t *doc, const char *dir, base_err *err)
{
    return app_write_charts_planned(doc, dir, NULL, err);
}

int app_write_charts_planned(const json_t *doc, const char *dir, const plot_plan_ref *plan,
                             base_err *err)
{
    plot_set *set;
    int st = app_plot_set(NULL, 0, &set, err);
    if (st != BASE_OK)
        return st;
    plot_set_bind(set, doc); /* the series parsed once for the charts and the pack */
    st = plot_all(set, doc, dir, PLOT_PNG, err);
    if (st == BASE_OK) {
        char path[4200];
        snprintf(path, sizeof path, "%s/review.pdf", dir);
        st = plot_pack_planned(set, doc, plan, path, err);
    }
    plot_set_free(set);
    return st;
}

double app_default_max_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || size <= 0)
        return 4e9; /* unknown: a small machine's half */
    return (double)pages * (double)size / 2;
}

/* A run's place in the results store, and the first error writing to it (the engine's
 * callback cannot return one). */
typedef struct run_store {
    store *st;
    int64_t id;
    double t0;
    int status;
    base_err err;
    const eng_rep *last; /* the last replication to finish, committed with the outputs */
} run_store;

static int open_store(run_store *rs, const char *path, const char *file, const char *dir,
                      const mdl_scenario *s, base_err *err)
{
    scn_doc *doc = NULL;
    char *pricing = NULL; /* and of its pricing file: what `simulate emit RUN` binds again */
    int st = scn_doc_load(file, &doc, err); /* for the text of every file the run read */
    if (st == BASE_OK)
        st = scn_doc_pricing_sources(doc, &pricing, err);
    if (st == BASE_OK)
        st = store_open(path, &rs->st, err);
    if (st == BASE_OK) {
        store_run run = {.scenario_name = s->name,
                         .scenario_file = file,
                         .scenario_text = scn_doc_sources(doc, NULL),
                         .pricing_text = pricing,
                         .version = SIMULATE_VERSION,
                         .seed = s->seed,
                         .replications = s->replications,
                         .fidelity = mdl_fidelity_name(s->fidelity),
                         .engine = eng_engine_name(s),
                         .output_dir = dir};
        st = store_begin(rs->st, &run, &rs->id, err);
        if (st != BASE_OK) {
            store_close(rs->st);
            rs->st = NULL;
        }
    }
    scn_doc_free(doc);
    free(pricing);
    return st;
}

/* Each replication is committed the moment it finishes (called one at a time), but the last:
 * every other thread is idle by then, so its commit waits for the outputs and goes at once
 * with them (write_outputs) instead of alone before them. */
static void on_replication(void *ctx, const eng_rep *rep, int done, int total)
{
    run_store *rs = ctx;
    if (done == total)
        rs->last = rep;
    else if (rs->status == BASE_OK)
        rs->status = store_add_replication(rs->st, rs->id, rep, &rs->err);
}

/* The last replication's commit, when the outputs did not make it: a run that fails after its
 * replications keeps all of them (best effort, as fail()'s). Before its summary is freed. */
static void commit_last(run_store *rs)
{
    base_err e;
    if (rs->st && rs->last && rs->status == BASE_OK)
        store_add_replication(rs->st, rs->id, rs->last, &e);
    rs->last = NULL;
}

/* The run failed after its record was opened: say so in the store (best effort: the user
 * hears of the first error, not of a second one recording it). */
static int fail(run_store *rs, int st, const base_err *err)
{
    if (!rs->st) /* an MPI rank other than 0: no record of its own */
        return st;
    store_fail(rs->st, rs->id, err->msg, app__now_s() - rs->t0, NULL);
    store_close(rs->st);
    rs->st = NULL;
    return st;
}

/* A finished run's outputs, as tasks on the run's threads (task_run_here), in two lists: they
 * read the same finished report tree and write different files, so they go at once — on two
 * cores the ~15% of black-friday's CPU that came after the replications, one output after
 * another, had capped a second thread at 1.74x (docs/performance.md).
 *
 * The first list is what must come before the charts or the store's finish: the last
 * replication's commit to the store (on_replication left it: run alone, it was serial) and the
 * series' rows parsed for the charts in slices (plot_set_bind_rows; parsed alone before the
 * charts, they too were serial), with Infracost's usage file and the caller's own (the CLI's
 * deploy/ folder) beside them so that both threads have work until the list ends. The second
 * list is report.json followed by the store's record of the run finished (which needs the
 * report's text and comes after the report and every replication's commit, as before: a
 * finished record always has its report and all its replications), each chart and the pack.
 *
 * The charts are outputs of the report the store holds, drawn again from it by `simulate plot
 * RUN`, so the store does not wait for them: a run killed while they are drawn can leave a
 * finished record without its PNGs, never a record without its report; a chart that fails
 * marks the record failed again (fail()). Every file is written atomically by whichever thread
 * draws it; their bytes do not depend on the threads (tests/test_outputs_jobs.c). */
typedef struct outputs {
    const app_run_opts *o;
    app_run_result *res;
    run_store *rs;
    const json_t *doc;
    plot_set *set;
    const plot_plan_ref *plan;
    const char *names[64]; /* the charts of the document, as plot_all draws them */
    size_t ncharts;
    size_t nrows, nslices; /* the series' rows, parsed in nslices slices */
} outputs;

/* The first list's task indices (the status kept is the first failure by index); the caller's
 * own (app_run_opts.also) returns res->also_rc, never the run's status; then the slices. */
enum { PRE_LAST = 0, PRE_INFRACOST, PRE_ALSO, PRE_ROWS };
/* The second list's: the report and the store's finish, the charts, then the pack. */
enum { OUT_REPORT = 0, OUT_CHARTS = 1 };

/* Most slices the series' rows are parsed in. */
#define ROW_SLICES_MAX 32

/* The tasks' CPU estimates, in tens of millions of instructions: callgrind's inclusive counts
 * of black-friday's outputs (-r 4 -j 2, 2026-12-03, docs/performance.md). Only their order and
 * rough sizes matter (the longest first, so that none starts last). */
#define LAST_COST   23  /* one replication's commit: its series rows */
#define ALSO_COST   37  /* the CLI's deploy/: schema checks */
#define ROWS_COST   11  /* the series' rows, all slices */
#define REPORT_COST 127 /* report.json (93) and the store's finish (34) */
#define CHART_COST  45  /* a PNG: 2.25 G for the five */
#define PACK_COST   81  /* every chart again, as vectors */

static int write_pre(void *ctx, size_t i, base_err *err)
{
    outputs *w = ctx;
    app_run_result *res = w->res;
    switch (i) {
    case PRE_LAST: {
        const eng_rep *last = w->rs->last;
        w->rs->last = NULL;
        return last ? store_add_replication(w->rs->st, w->rs->id, last, err) : BASE_OK;
    }
    case PRE_INFRACOST:
        return app_write_infracost(w->doc, res->dir, err); /* the simulated usage (docs/ci.md) */
    case PRE_ALSO:
        if (w->o->also)
            res->also_rc = w->o->also(w->o->also_ctx, res);
        return BASE_OK;
    default: {
        size_t k = i - PRE_ROWS, per = (w->nrows + w->nslices - 1) / w->nslices;
        plot_set_bind_rows(w->set, k * per, (k + 1) * per);
        return BASE_OK;
    }
    }
}

static int write_out(void *ctx, size_t i, base_err *err)
{
    outputs *w = ctx;
    app_run_result *res = w->res;
    if (i == OUT_REPORT) {
        res->report_json = rep_text(w->doc);
        if (!res->report_json)
            return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        int st = rep_write_text(res->report_json, res->dir, res->report, sizeof res->report, err);
        if (st == BASE_OK)
            st = store_finish(w->rs->st, w->rs->id, &res->sum, res->report_json,
                              app__now_s() - w->rs->t0, err);
        return st;
    }
    char path[4200];
    if (i < OUT_CHARTS + w->ncharts) {
        const char *name = w->names[i - OUT_CHARTS];
        snprintf(path, sizeof path, "%s/%s.%s", res->dir, name, plot_format_ext(PLOT_PNG));
        return plot_chart(w->set, w->doc, name, PLOT_PNG, path, err);
    }
    snprintf(path, sizeof path, "%s/review.pdf", res->dir);
    return plot_pack_planned(w->set, w->doc, w->plan, path, err);
}

static int write_outputs(const app_run_opts *o, app_run_result *res, run_store *rs,
                         const json_t *doc, base_err *err)
{
    app_plan_ref plan = {0}; /* the pack names the scenario's stored plan's winner */
    plot_set *set = NULL;
    int jobs = o->jobs ? o->jobs : app_default_jobs();
    int st = app_plan_for_file(rs->st, o->scenario, &plan, err);
    if (st == BASE_OK)
        st = app_plot_set(NULL, 0, &set, err);
    if (st == BASE_OK)
        st = base_mkdir_p(res->dir, err);
    outputs w = {.o = o, .res = res, .rs = rs, .doc = doc, .set = set, .plan = &plan.ref};
    if (st == BASE_OK) {
        w.ncharts = plot_chart_names(set, doc, w.names, 64);
        if (w.ncharts > 64)
            w.ncharts = 64;
        if (w.ncharts == 0) /* as plot_all says it */
            st = base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                              "the document has nothing to chart (no series, cost figures or "
                              "variants)");
    }
    if (st == BASE_OK) {
        w.nrows = plot_set_bind_begin(set, doc); /* the series parsed once, for every chart */
        w.nslices = w.nrows == 0                        ? 0
                    : (size_t)jobs * 4 > ROW_SLICES_MAX ? ROW_SLICES_MAX
                                                        : (size_t)jobs * 4;
        double cost[PRE_ROWS + ROW_SLICES_MAX];
        cost[PRE_LAST] = rs->last ? LAST_COST : 0;
        cost[PRE_INFRACOST] = 1;
        cost[PRE_ALSO] = o->also ? ALSO_COST : 0;
        for (size_t k = 0; k < w.nslices; k++)
            cost[PRE_ROWS + k] = ROWS_COST / (double)w.nslices;
        task_list l = {.n = PRE_ROWS + w.nslices, .cost = cost, .run = write_pre, .ctx = &w};
        st = task_run_here(&l, jobs, err);
        plot_set_bind_end(set);
    }
    if (st == BASE_OK) {
        double cost[OUT_CHARTS + 64 + 1];
        cost[OUT_REPORT] = REPORT_COST;
        for (size_t c = 0; c < w.ncharts; c++)
            cost[OUT_CHARTS + c] = CHART_COST;
        cost[OUT_CHARTS + w.ncharts] = PACK_COST; /* every chart again, as vectors */
        task_list l = {.n = OUT_CHARTS + w.ncharts + 1, .cost = cost, .run = write_out, .ctx = &w};
        st = task_run_here(&l, jobs, err);
    }
    plot_set_free(set);
    app_plan_ref_clear(&plan);
    return st;
}

/* A month mix: the other scenarios of the month (res->s->month.mix), each run with this run's
 * seed and replications (so replication i of each is priced together) into res->part_s and
 * res->part_sum (res->nparts of them), and handed to the bill as parts[]. */
static int run_month_parts(const app_run_opts *o, app_run_result *res, app_month_part *parts,
                           base_err *err)
{
    const mdl_scenario *s = res->s;
    int st = BASE_OK;
    for (size_t j = 0; st == BASE_OK && j < s->month.nmix; j++) {
        const cost_month_part *mp = &s->month.mix[j];
        app_run_opts po = {.scenario = mp->scenario,
                           .jobs = o->jobs,
                           .has_seed = 1,
                           .seed = s->seed,
                           .replications = s->replications};
        st = app_load(&po, &res->part_s[j], err);
        if (st == BASE_OK &&
            strcmp(res->part_s[j]->cluster.catalog.region, s->cluster.catalog.region) != 0)
            st = base_err_set(err, BASE_EINPUT, mp->scenario, 0, 0,
                              "a month part must be priced in the same region as the month "
                              "(%s, not '%s')",
                              s->cluster.catalog.region, res->part_s[j]->cluster.catalog.region);
        /* two regions: eu-west-1's always-on lines come with the month's own scenario, its
         * usage from every window (costs.c), all at the month's eu-west-1 prices */
        const mdl_scenario *ps = res->part_s[j];
        if (st == BASE_OK && app__regions_two(ps) && !app__regions_two(s))
            st = base_err_set(err, BASE_EINPUT, mp->scenario, 0, 0,
                              "a month part with two regions needs a month with two regions "
                              "(regions: in %s)",
                              o->scenario);
        if (st == BASE_OK && app__regions_two(ps) &&
            strcmp(ps->regions.catalog.region, s->regions.catalog.region) != 0)
            st = base_err_set(err, BASE_EINPUT, mp->scenario, 0, 0,
                              "a month part's second region must be priced as the month's (%s, "
                              "not '%s')",
                              s->regions.catalog.region, ps->regions.catalog.region);
        if (st == BASE_OK)
            st = eng_run(res->part_s[j], o->jobs ? o->jobs : app_default_jobs(), NULL, NULL, NULL,
                         &res->part_sum[j], err);
        if (st != BASE_OK) {
            free(res->part_s[j]);
            res->part_s[j] = NULL;
            break;
        }
        res->nparts = j + 1;
        parts[j] = (app_month_part){&res->part_sum[j], mp->repeat};
    }
    return st;
}

int app_run(const app_run_opts *o, app_run_result *res, base_err *err)
{
    memset(res, 0, sizeof *res);
    int st = app_load(o, &res->s, err);
    if (st != BASE_OK)
        return st;
    mdl_scenario *s = res->s;
    if (o->output)
        snprintf(res->dir, sizeof res->dir, "%s", o->output);
    else
        snprintf(res->dir, sizeof res->dir, "out/%s", s->name);
    app_store_path(o->db, o->output, res->db, sizeof res->db);
    run_store rs = {.t0 = app__now_s()};
    /* under MPI only rank 0 records the run (the others run tasks for it) */
    st = task_root() ? open_store(&rs, res->db, o->scenario, res->dir, s, err) : BASE_OK;
    if (st != BASE_OK) {
        free(res->s);
        res->s = NULL;
        return st;
    }
    res->run_id = rs.id;

    eng_live *live = calloc(1, sizeof *live);
    void *bar = live && o->progress_start ? o->progress_start(s, live, o->quiet) : NULL;
    st = eng_run(s, o->jobs ? o->jobs : app_default_jobs(), on_replication, &rs, live, &res->sum,
                 err);
    if (o->progress_stop)
        o->progress_stop(bar);
    free(live);
    if (st == BASE_OK && rs.status != BASE_OK) {
        eng_summary_clear(&res->sum);
        st = rs.status;
        *err = rs.err;
    }
    if (st != BASE_OK) {
        free(res->s);
        res->s = NULL;
        return fail(&rs, st, err);
    }

    app_month_part parts[COST_MAX_MONTH_PARTS];
    st = run_month_parts(o, res, parts, err);
    if (st != BASE_OK) {
        commit_last(&rs);
        app_run_clear(res);
        return fail(&rs, st, err);
    }
    if (!task_root()) { /* its tasks' results went to rank 0, which writes everything */
        app_run_clear(res);
        res->remote = 1;
        return BASE_OK;
    }
    rep_verdict rv[MDL_MAX_OBJECTIVES];
    res->bill = calloc(1, sizeof *res->bill);
    st = res->bill ? app_add_costs(&res->sum, parts, res->nparts, res->bill, err)
                   : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == BASE_OK && res->bill->n == 0) { /* no pricing file: no bill */
        free(res->bill);
        res->bill = NULL;
    }
    if (st == BASE_OK)
        st = app_judge(&res->sum, res->verdicts, &res->nv, err);
    for (size_t i = 0; st == BASE_OK && i < res->nv; i++) {
        const app_verdict *v = &res->verdicts[i];
        rv[i] = (rep_verdict){s->objectives[i], v->known,   v->met,   v->uncertain,
                              v->ci.mean,       v->ci.half, v->beyond};
    }
    if (st != BASE_OK) { /* pricing or an objective the scenario cannot have: its input */
        commit_last(&rs);
        app_run_clear(res);
        return fail(&rs, st, err);
    }
    /* the report once as a tree: its text for report.json and the store, the tree for the
     * charts, the pack and Infracost's usage file (a 5 MB report is not dumped twice nor
     * parsed back); then every output at once (write_outputs) */
    json_t *doc = rep_doc(&res->sum, o->scenario, rv, res->nv, res->bill);
    if (!doc)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == BASE_OK)
        st = write_outputs(o, res, &rs, doc, err);
    snprintf(res->pack, sizeof res->pack, "%s/review.pdf", res->dir);
    json_decref(doc);
    if (st != BASE_OK) {
        commit_last(&rs); /* when the outputs failed before their tasks */
        app_run_clear(res);
        /* past the engine, a failure is an output's (or memory's), never the input's; a run the
         * store already called finished is marked failed again: nothing claims success */
        return fail(&rs, st == BASE_EINPUT ? BASE_EIO : st, err);
    }
    store_close(rs.st);
    return BASE_OK;
}

void app_run_clear(app_run_result *res)
{
    for (size_t j = 0; j < res->nparts; j++) {
        eng_summary_clear(&res->part_sum[j]);
        free(res->part_s[j]);
    }
    if (res->s)
        eng_summary_clear(&res->sum);
    free(res->report_json);
    free(res->bill);
    free(res->s);
    memset(res, 0, sizeof *res);
}
