/*
 * plan_for.c — the newest `simulate plan` answer the results store holds for a scenario, for
 * the decision page of the scenario's design-review pack (plot_pack_planned).
 *
 * A plan is the scenario's when it was made from the same files (the same SHA-256 of every
 * file's text, as the store hashes a run's and a plan's), or when its plan file extends the
 * scenario: a plan is usually its own file, `extends: ../black-friday.yaml` with a `plan:`
 * section (scenarios/plan/). The store keeps a plan's hash and its plan.json, not its text, so
 * the second test reads the plan file again where plan.json says it was (relative to the
 * current folder, as `simulate plan` was given it) and counts only when that file still hashes
 * as it did: then its files' texts must end with the scenario's own, file for file.
 */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>

#include "io/io.h"
#include "store/store.h"

/* The plans looked at, newest first: a store keeps every plan, and the newest matter. */
#define LOOK_AT 64

#define FILE_MARK "# ---- file: "

typedef struct seen {
    int64_t id[LOOK_AT];
    char hash[LOOK_AT][65];
    char started[LOOK_AT][32];
    size_t n;
} seen;

static int on_plan(void *ctx, const store_plan_entry *e)
{
    seen *s = ctx;
    if (s->n < LOOK_AT) {
        s->id[s->n] = e->id;
        memcpy(s->hash[s->n], e->hash, sizeof s->hash[0]);
        memcpy(s->started[s->n], e->started, sizeof s->started[0]);
        s->n++;
    }
    return 0;
}

/* The texts of the files in scn_doc_sources' form ("# ---- file: NAME" then the text, the
 * files apart by one newline): starts and lengths into at/len, at most max; how many. */
static size_t texts(const char *src, const char **at, size_t *len, size_t max)
{
    size_t n = 0;
    const char *p = strstr(src, FILE_MARK);
    while (p && n < max) {
        const char *body = strchr(p, '\n');
        if (!body)
            break;
        body++;
        const char *next = strstr(body, "\n" FILE_MARK);
        at[n] = body;
        len[n] = next ? (size_t)(next - body) : strlen(body);
        n++;
        p = next ? next + 1 : NULL;
    }
    return n;
}

/* 1 when the texts of plan's files end with those of the scenario's, file for file. */
static int ends_with(const char *plan, const char *scenario, size_t *plan_files)
{
    const char *pa[32], *sa[32];
    size_t pl[32], sl[32];
    size_t np = texts(plan, pa, pl, 32), ns = texts(scenario, sa, sl, 32);
    *plan_files = np;
    if (ns == 0 || np < ns)
        return 0;
    for (size_t i = 0; i < ns; i++) {
        size_t j = np - ns + i;
        if (pl[j] != sl[i] || memcmp(pa[j], sa[i], sl[i]) != 0)
            return 0;
    }
    return 1;
}

/* Whether plan.json `doc` was made from a file that is, or extends, the scenario whose files'
 * texts are `sources`; its relation into r->relation. */
static int plan_is_the_scenarios(const json_t *doc, const char *hash, const char *sources,
                                 app_plan_ref *r)
{
    const char *file = json_string_value(json_object_get(doc, "scenario"));
    if (!file)
        return 0;
    scn_doc *d = NULL;
    base_err e;
    base_err_clear(&e);
    if (scn_doc_load(file, &d, &e) != BASE_OK)
        return 0; /* moved or gone: its text cannot be compared */
    size_t len = 0;
    const char *text = scn_doc_sources(d, &len);
    char now[65];
    base_sha256_hex(text, len, now);
    size_t files = 0;
    int yes = strcmp(now, hash) == 0 && ends_with(text, sources, &files);
    size_t own = 0;
    for (const char *q = strstr(sources, FILE_MARK); q; q = strstr(q + 1, FILE_MARK))
        own++;
    snprintf(r->relation, sizeof r->relation, "%s",
             files > own ? "which extends this scenario" : "on this scenario's text");
    scn_doc_free(d);
    return yes;
}

static int take(store *st, const seen *s, size_t i, const char *relation, app_plan_ref *r,
                base_err *err)
{
    store_plan_entry e;
    int rc = store_plan_doc(st, s->id[i], &e, &r->doc, err);
    if (rc != BASE_OK)
        return rc;
    if (relation)
        snprintf(r->relation, sizeof r->relation, "%s", relation);
    snprintf(r->started, sizeof r->started, "%s", s->started[i]);
    r->ref.plan = r->doc;
    r->ref.id = (long long)s->id[i];
    return BASE_OK;
}

int app_plan_for(store *st, const char *sources, app_plan_ref *r, base_err *err)
{
    memset(r, 0, sizeof *r);
    r->ref.looked = 1;
    r->ref.relation = r->relation;
    r->ref.started = r->started;
    seen *s = base_calloc(1, sizeof *s);
    if (!s)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = store_plans(st, LOOK_AT, on_plan, s, err);
    char hash[65];
    base_sha256_hex(sources, strlen(sources), hash);
    /* the same files first, newest first; then a plan file that extends the scenario */
    for (size_t i = s->n; rc == BASE_OK && !r->doc && i-- > 0;)
        if (strcmp(s->hash[i], hash) == 0)
            rc = take(st, s, i, "on this scenario's files", r, err);
    for (size_t i = s->n; rc == BASE_OK && !r->doc && i-- > 0;) {
        rc = take(st, s, i, NULL, r, err);
        if (rc == BASE_OK && !plan_is_the_scenarios(r->doc, s->hash[i], sources, r)) {
            json_decref(r->doc);
            r->doc = NULL;
            r->ref.plan = NULL;
        }
    }
    free(s);
    if (rc != BASE_OK)
        app_plan_ref_clear(r);
    return rc;
}

int app_plan_for_file(store *st, const char *scenario, app_plan_ref *r, base_err *err)
{
    scn_doc *d = NULL;
    int rc = scn_doc_load(scenario, &d, err);
    if (rc == BASE_OK)
        rc = app_plan_for(st, scn_doc_sources(d, NULL), r, err);
    scn_doc_free(d);
    return rc;
}

void app_plan_ref_clear(app_plan_ref *r)
{
    json_decref(r->doc);
    memset(r, 0, sizeof *r);
}
