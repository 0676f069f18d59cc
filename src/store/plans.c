/*
 * plans.c — `simulate plan`'s answers in the results store (store.h; the `plans` table of
 * docs/results-store.md): written with one statement in its own transaction (store__put) and
 * read with its read-only query (store__ops.rows), the same SQL in SQLite and PostgreSQL, so
 * neither backend knows what a plan is beyond its table.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

int store_put_plan(store *st, const store_plan *p, int64_t *id, base_err *err)
{
    store__stamp at;
    store__stamp_of(p->scenario_text ? p->scenario_text : "", p->seed, &at);
    const store__val v[] = {store__text(at.now),
                            store__text(p->scenario_name ? p->scenario_name : ""),
                            store__text(p->scenario_file ? p->scenario_file : ""),
                            store__text(at.hash),
                            store__text(at.seed),
                            store__text(p->version ? p->version : ""),
                            store__text(p->engine ? p->engine : ""),
                            store__whole((long long)p->space),
                            store__whole((long long)p->simulated),
                            store__whole((long long)p->replications),
                            store__real(p->wall_s),
                            store__text(p->winner),
                            store__real(p->cost),
                            store__real(p->cost_half),
                            store__real(p->p99_ms),
                            store__real(p->p99_half),
                            p->confirmed < 0 ? store__text(NULL) : store__whole(p->confirmed),
                            store__text(p->plan_json ? p->plan_json : "{}")};
    return store__put(st,
                      "INSERT INTO plans(started_at, scenario_name, scenario_file, "
                      "scenario_sha256, seed, version, engine, space, simulated, replications, "
                      "wall_s, winner, monthly_cost, monthly_cost_ci95, api_latency_p99_ms, "
                      "api_latency_p99_ci95, confirmed, plan_json) "
                      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                      sizeof v / sizeof v[0], v, id, err);
}

/* ---------------------------------------------------------------- reading */

/* The columns an entry is read from, in this order (read_entry). */
#define PLAN_SELECT                                                                                \
    "SELECT id, started_at, scenario_name, scenario_sha256, seed, engine, space, simulated, "      \
    "replications, wall_s, winner, monthly_cost, monthly_cost_ci95, api_latency_p99_ms, "          \
    "api_latency_p99_ci95, confirmed, plan_json FROM plans "

typedef struct walk {
    store__row_ctx c; /* first: the backend calls back with it */
    store_plan_fn fn;
    void *ctx;
    char **json; /* store_plan_get: the plan.json text */
    store_plan_entry *into;
    int found;
} walk;

static void copy(char *out, size_t n, const char *text)
{
    snprintf(out, n, "%s", text ? text : "");
}

static int on_row(store__row_ctx *c, size_t n, const char *const *names, const char *const *text,
                  const double *num)
{
    (void)names;
    walk *w = (walk *)c;
    if (n < 17)
        return BASE_OK;
    store_plan_entry e;
    memset(&e, 0, sizeof e);
    e.id = (int64_t)num[0];
    copy(e.started, sizeof e.started, text[1]);
    copy(e.name, sizeof e.name, text[2]);
    copy(e.hash, sizeof e.hash, text[3]);
    copy(e.seed, sizeof e.seed, text[4]);
    copy(e.engine, sizeof e.engine, text[5]);
    e.space = num[6];
    e.simulated = num[7];
    e.replications = num[8];
    e.wall_s = num[9];
    copy(e.winner, sizeof e.winner, text[10]);
    e.cost = num[11];
    e.cost_half = num[12];
    e.p99_ms = num[13];
    e.p99_half = num[14];
    e.confirmed = isnan(num[15]) ? -1 : (int)num[15];
    w->found = 1;
    if (w->into) {
        *w->into = e;
        if (w->json) {
            *w->json = base_strdup(text[16] ? text[16] : "{}");
            if (!*w->json)
                return BASE_ENOMEM;
        }
        return BASE_OK;
    }
    return w->fn(w->ctx, &e);
}

/* How many tables called `plans` the store has: 0 in a store written before plans were kept.
 * SQLite's catalogue is sqlite_master, PostgreSQL's pg_tables (in the session's schema): the
 * query of the one fails in the other, and the second is asked only then. */
typedef struct count_walk {
    store__row_ctx c;
    double n;
} count_walk;

static int on_count(store__row_ctx *c, size_t n, const char *const *names, const char *const *text,
                    const double *num)
{
    (void)names;
    (void)text;
    if (n > 0)
        ((count_walk *)c)->n = num[0];
    return BASE_OK;
}

static int has_plans(store *st, int *yes, base_err *err)
{
    count_walk w = {{on_count}, 0};
    base_err e;
    base_err_clear(&e);
    int rc = st->ops->rows(st,
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                           "'plans' AND ? > 0",
                           1, &w.c, &e);
    if (rc != BASE_OK)
        rc = st->ops->rows(st,
                           "SELECT CAST(count(*) AS DOUBLE PRECISION) FROM pg_catalog.pg_tables "
                           "WHERE tablename = 'plans' AND schemaname = current_schema() AND "
                           "CAST(? AS BIGINT) > 0",
                           1, &w.c, err);
    *yes = w.n > 0;
    return rc;
}

int store_plans(store *st, int limit, store_plan_fn fn, void *ctx, base_err *err)
{
    int yes;
    int rc = has_plans(st, &yes, err);
    if (rc != BASE_OK || !yes)
        return rc;
    walk w = {{on_row}, fn, ctx, NULL, NULL, 0};
    /* the `limit` newest, oldest first; every plan when limit is 0 (no store holds 2^62) */
    return st->ops->rows(
        st, "SELECT * FROM (" PLAN_SELECT "ORDER BY id DESC LIMIT ?) AS newest ORDER BY id",
        limit > 0 ? limit : INT64_C(1) << 62, &w.c, err);
}

int store_plan_get(store *st, int64_t id, store_plan_entry *e, char **json, base_err *err)
{
    *json = NULL;
    int yes;
    int rc = has_plans(st, &yes, err);
    if (rc != BASE_OK)
        return rc;
    walk w = {{on_row}, NULL, NULL, json, e, 0};
    if (yes)
        rc = st->ops->rows(st, PLAN_SELECT "WHERE id = ?", id, &w.c, err);
    if (rc == BASE_ENOMEM)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == BASE_OK && !w.found)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0,
                            "no plan P%lld in the results store ('simulate history' lists them)",
                            (long long)id);
    return rc;
}

int store_plan_doc(store *st, int64_t id, store_plan_entry *e, json_t **doc, base_err *err)
{
    char *text = NULL;
    *doc = NULL;
    int rc = store_plan_get(st, id, e, &text, err);
    if (rc != BASE_OK)
        return rc;
    return store__json(text, "plan P", (long long)id, "stored plan.json", doc, err);
}
