/*
 * stored.c — a finished run of the results store, as `simulate emit RUN` needs it: the scenario
 * bound again from the text the store kept (the scenario with every file it extends, and, from
 * store schema 2, the pricing file it names), with the run's seed and replications, and the
 * run's figures and verdicts read back rather than simulated again — so the emitted config is
 * the stored run's, whatever this simulate's engine would give today.
 *
 * The files are written, each at its name as the run read it, under a private temporary
 * folder (absolute names below abs/, relative ones below enough rel/_/... levels that a
 * leading ../ stays inside), and bound from there; app_stored_clear removes the folder.
 */
#define _XOPEN_SOURCE 700
#include "app/app.h"

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "store/store.h"

#define FILE_MARK "# ---- file: " /* scn_doc_sources' separator line */

/* path, lexically normalised: "." and "x/.." gone; a leading ".." stays (counted in *up). */
static void normalise(const char *path, char *out, size_t size, int *up)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    const char *seg[512];
    size_t n = 0;
    int lead = 0;
    for (char *save = NULL, *p = strtok_r(tmp, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
        if (!strcmp(p, "."))
            continue;
        if (!strcmp(p, "..")) {
            if (n > 0 && strcmp(seg[n - 1], ".."))
                n--;
            else if (n < 512) {
                seg[n++] = p;
                lead++;
            }
            continue;
        }
        if (n < 512)
            seg[n++] = p;
    }
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "/" : "", seg[i]);
    if (up)
        *up = lead;
}

/* Each "# ---- file: NAME" piece of text: fn(ctx, name, content, len). */
typedef int (*piece_fn)(void *ctx, const char *name, const char *text, size_t len, base_err *err);

static int pieces(const char *text, piece_fn fn, void *ctx, base_err *err)
{
    const char *p = text;
    size_t mark = strlen(FILE_MARK);
    if (strncmp(p, FILE_MARK, mark))
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                            "a stored scenario's text does not begin with '" FILE_MARK "'");
    while (p && *p) {
        const char *name = p + mark, *eol = strchr(name, '\n');
        if (!eol)
            return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "a stored file's name has no end");
        const char *body = eol + 1;
        const char *next = strstr(body, "\n" FILE_MARK);
        size_t len = next ? (size_t)(next - body) : strlen(body);
        char nm[2048];
        snprintf(nm, sizeof nm, "%.*s", (int)(eol - name), name);
        int st = fn(ctx, nm, body, len, err);
        if (st)
            return st;
        p = next ? next + 1 : NULL;
    }
    return BASE_OK;
}

typedef struct layout {
    const char *root; /* the temporary folder */
    int depth;        /* rel/_/... levels for relative names */
    char top[4096];   /* where the scenario itself went */
} layout;

static int count_up(void *ctx, const char *name, const char *text, size_t len, base_err *err)
{
    (void)text, (void)len, (void)err;
    layout *l = ctx;
    char norm[4096];
    int up = 0;
    if (name[0] != '/')
        normalise(name, norm, sizeof norm, &up);
    if (up > l->depth)
        l->depth = up;
    return BASE_OK;
}

/* Where file `name` goes under the folder; BASE_EINPUT when the path does not fit. */
static int place(const layout *l, const char *name, char *out, size_t size, base_err *err)
{
    char joined[8192], norm[4096];
    int n;
    if (name[0] == '/') {
        n = snprintf(joined, sizeof joined, "abs/%s", name);
    } else {
        n = snprintf(joined, sizeof joined, "rel");
        for (int i = 0; i < l->depth && n > 0 && (size_t)n < sizeof joined; i++)
            n += snprintf(joined + n, sizeof joined - (size_t)n, "/_");
        if (n > 0 && (size_t)n < sizeof joined)
            n += snprintf(joined + n, sizeof joined - (size_t)n, "/%s", name);
    }
    if (n > 0 && (size_t)n < sizeof joined) {
        normalise(joined, norm, sizeof norm, NULL);
        n = snprintf(out, size, "%s/%s", l->root, norm);
    }
    if (n < 0 || (size_t)n >= size)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "a stored file's name is too long to write again: %s", name);
    return BASE_OK;
}

static int write_piece(void *ctx, const char *name, const char *text, size_t len, base_err *err)
{
    layout *l = ctx;
    char path[4096];
    int st = place(l, name, path, sizeof path, err);
    if (st)
        return st;
    if (!l->top[0])
        snprintf(l->top, sizeof l->top, "%s", path);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    st = base_mkdir_p(dir, err);
    return st ? st : base_write_file_atomic(path, text, len, err);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* ---------------------------------------------------------------- the summary */

typedef struct fill {
    app_stored *r;
    int oom;
} fill;

static int on_figure(void *ctx, const store_figure *f)
{
    fill *x = ctx;
    eng_summary *sum = &x->r->sum;
    if (sum->nfigures >= ENG_MAX_FIGURES)
        return BASE_OK;
    eng_figure *g = &sum->figures[sum->nfigures];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", f->key);
    snprintf(g->unit, sizeof g->unit, "%s", f->unit);
    g->ci = (stat_ci){.mean = f->mean, .half = f->half, .sd = NAN, .n = sum->replications};
    g->values = base_malloc((size_t)sum->replications * sizeof *g->values);
    if (!g->values) {
        x->oom = 1;
        return BASE_ENOMEM;
    }
    for (int i = 0; i < sum->replications; i++)
        g->values[i] = NAN;
    sum->nfigures++;
    return BASE_OK;
}

static int on_value(void *ctx, const char *key, int rep, double value)
{
    fill *x = ctx;
    eng_summary *sum = &x->r->sum;
    if (rep < 0 || rep >= sum->replications)
        return BASE_OK;
    for (size_t i = 0; i < sum->nfigures; i++)
        if (!strcmp(sum->figures[i].key, key))
            sum->figures[i].values[rep] = value;
    /* the peaks emit sizes the HPA and the NodePools from (engine/summary.c's figures) */
    eng_rep *r = &sum->reps[rep];
    int v = isnan(value) ? 0 : (int)value;
    static const char *const by[2][2] = {
        {"peak_nodes_spot_amd64", "peak_nodes_spot_arm64"},
        {"peak_nodes_on_demand_amd64", "peak_nodes_on_demand_arm64"}};
    const mdl_cluster_config *cc = &sum->scenario->cluster;
    for (size_t k = 0; k < cc->npools && k < MDL_MAX_POOLS; k++)
        if (!strncmp(key, "peak_vcpu_", 10) && !strcmp(key + 10, cc->pools[k].name))
            r->peak_pool_vcpu[k] = v;
    if (!strcmp(key, "peak_pods_ready"))
        r->peak_pods = v;
    else if (!strcmp(key, "peak_nodes"))
        r->peak_nodes = v;
    for (int c = 0; c < 2; c++)
        for (int a = 0; a < 2; a++)
            if (!strcmp(key, by[c][a]))
                r->peak_nodes_by[c][a] = v;
    return BASE_OK;
}

/* The verdicts as the stored report.json gives them (the run's, not judged again: the
 * latency objectives need histograms the store does not keep). */
static int verdicts(app_stored *r, const char *report, base_err *err)
{
    json_error_t je;
    json_t *root = json_loads(report, 0, &je);
    if (!root)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "run %lld's stored report: %s",
                            (long long)r->run_id, je.text);
    size_t i;
    json_t *o;
    int st = BASE_OK;
    json_array_foreach(json_object_get(root, "objectives"), i, o)
    {
        if (r->nv >= MDL_MAX_OBJECTIVES || st)
            break;
        app_verdict *v = &r->verdicts[r->nv];
        memset(v, 0, sizeof *v);
        const char *text = json_string_value(json_object_get(o, "objective"));
        const char *status = json_string_value(json_object_get(o, "status"));
        base_err e;
        if (!text || slo_parse(text, &v->o, &e) != BASE_OK) {
            st = base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                              "run %lld's stored report: objective %zu does not parse",
                              (long long)r->run_id, i + 1);
            break;
        }
        v->known = status && (!strcmp(status, "met") || !strcmp(status, "failed"));
        v->met = status && !strcmp(status, "met");
        json_t *m = json_object_get(o, "measured");
        v->ci.mean = json_is_number(m) ? json_number_value(m) : NAN;
        r->nv++;
    }
    json_decref(root);
    return st;
}

void app_stored_clear(app_stored *r)
{
    for (size_t i = 0; i < r->sum.nfigures; i++)
        free(r->sum.figures[i].values);
    free(r->sum.reps);
    free(r->s);
    if (r->tmp[0])
        nftw(r->tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    memset(r, 0, sizeof *r);
}

int app_stored_load(const char *db, int64_t id, app_stored *r, base_err *err)
{
    memset(r, 0, sizeof *r);
    r->run_id = id;
    app_store_path(db, NULL, r->db, sizeof r->db);
    store *st = NULL;
    store_inputs in;
    memset(&in, 0, sizeof in);
    char *report = NULL;
    int rc = store_open_read(r->db, &st, err); /* looking must not create a store */
    if (rc == BASE_OK)
        rc = store_run_inputs(st, id, &in, err);
    if (rc == BASE_OK && (!in.status || strcmp(in.status, "finished")))
        rc = base_err_set(err, BASE_EINPUT, r->db, 0, 0,
                          "run %lld is %s, not finished: nothing to emit", (long long)id,
                          in.status ? in.status : "without a status");
    if (rc == BASE_OK && !in.pricing_text)
        rc = base_err_set(err, BASE_EINPUT, r->db, 0, 0,
                          "run %lld has no pricing file in the store (a run of simulate compare, "
                          "or recorded before store schema 2): emit its scenario file instead",
                          (long long)id);
    if (rc == BASE_OK)
        rc = store_report(st, id, &report, err);
    /* the files, bound again */
    const char *tmpdir = getenv("TMPDIR");
    if (rc == BASE_OK) {
        snprintf(r->tmp, sizeof r->tmp, "%s/simulate-emit-XXXXXX",
                 tmpdir && *tmpdir ? tmpdir : "/tmp");
        if (!mkdtemp(r->tmp)) {
            r->tmp[0] = '\0';
            rc = base_err_set(err, BASE_EIO, NULL, 0, 0,
                              "cannot make a temporary folder for run %lld's files", (long long)id);
        }
    }
    layout l = {.root = r->tmp};
    if (rc == BASE_OK)
        rc = pieces(in.scenario_text, count_up, &l, err);
    if (rc == BASE_OK)
        rc = pieces(in.pricing_text, count_up, &l, err);
    if (rc == BASE_OK)
        rc = pieces(in.scenario_text, write_piece, &l, err);
    char top[4096];
    snprintf(top, sizeof top, "%s", l.top);
    if (rc == BASE_OK)
        rc = pieces(in.pricing_text, write_piece, &l, err);
    snprintf(r->scenario, sizeof r->scenario, "%s", top);
    snprintf(r->scenario_file, sizeof r->scenario_file, "%s",
             in.scenario_file ? in.scenario_file : "");
    snprintf(r->sha256, sizeof r->sha256, "%s", in.scenario_sha256 ? in.scenario_sha256 : "");
    if (rc == BASE_OK && !(r->s = base_malloc(sizeof *r->s)))
        rc = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == BASE_OK)
        rc = scn_load(top, r->s, err);
    if (rc == BASE_OK) {
        /* what the run used (--seed and -r included) */
        r->s->seed = strtoull(in.seed, NULL, 10);
        r->s->replications = in.replications;
        r->sum.scenario = r->s;
        r->sum.replications = in.replications;
        r->sum.reps =
            base_calloc((size_t)(in.replications > 0 ? in.replications : 1), sizeof *r->sum.reps);
        if (!r->sum.reps)
            rc = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    fill x = {r, 0};
    store_entry entry;
    if (rc == BASE_OK)
        rc = store_show(st, id, &entry, on_figure, &x, err);
    if (rc == BASE_OK)
        rc = store_figure_values(st, id, on_value, &x, err);
    if (rc == BASE_OK && x.oom)
        rc = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == BASE_OK)
        rc = verdicts(r, report, err);
    free(report);
    store_inputs_clear(&in);
    store_close(st);
    if (rc != BASE_OK)
        app_stored_clear(r);
    return rc;
}
