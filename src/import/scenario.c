/*
 * scenario.c — the imported scenario written out: `extends:` the base architecture, then only
 * what differs from what the base gives. Two passes: a key whose text equals the base's is
 * dropped at once; then each remaining key is dropped when the scenario without it binds to the
 * very same typed scenario (scn_load, compared byte for byte: mdl_scenario has no pointers and
 * scn_bind zeroes it first), which catches "1" against "1000m" or a key set to its default.
 */
/* realpath is an X/Open function: glibc declares it only for _XOPEN_SOURCE. */
#define _XOPEN_SOURCE 700

#include "import/internal.h"

#include <libgen.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit/emit.h"
#include "io/io.h"

/* Drops from t what equals base (recursively through mappings). */
static void prune_equal(json_t *t, const json_t *base)
{
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(t, tmp, k, v)
    {
        json_t *b = json_object_get(base, k);
        if (!b)
            continue;
        if (json_is_object(v) && json_is_object(b)) {
            size_t had = json_object_size(v);
            prune_equal(v, b);
            if (had > 0 && json_object_size(v) == 0)
                json_object_del(t, k);
        } else if (json_equal(v, b)) {
            json_object_del(t, k);
        }
    }
}

/* out_dir-relative path of target (both made absolute). */
static int relative(const char *target, const char *out_path, char *rel, size_t n, base_err *err)
{
    char a[PATH_MAX], d[PATH_MAX], tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", out_path);
    if (!realpath(target, a))
        return base_err_set(err, BASE_EIO, target, 0, 0, "the base scenario cannot be found");
    if (!realpath(dirname(tmp), d))
        return base_err_set(err, BASE_EIO, out_path, 0, 0, "its folder does not exist");
    size_t i = 0, last = 0;
    while (a[i] && a[i] == d[i]) {
        if (a[i] == '/')
            last = i;
        i++;
    }
    if (!d[i] && a[i] == '/')
        last = i;
    rel[0] = '\0';
    size_t used = 0;
    for (const char *p = d + last; *p; p++)
        if (*p == '/' && p[1])
            used += (size_t)snprintf(rel + used, used < n ? n - used : 0, "../");
    snprintf(rel + used, used < n ? n - used : 0, "%s", a + last + 1);
    return BASE_OK;
}

static char *render(const json_t *tree, const char *rel)
{
    base_buf b = {0};
    base_buf_addf(&b,
                  "# Imported by simulate %s (simulate import): the base architecture, and what "
                  "the\n# deployment config says differently.\nextends: %s\n",
                  SIMULATE_VERSION, rel);
    if (json_object_size(tree) > 0) {
        char *y = emit_yaml(tree);
        if (!y) {
            base_buf_free(&b);
            return NULL;
        }
        base_buf_adds(&b, y);
        free(y);
    }
    if (b.oom) {
        base_buf_free(&b);
        return NULL;
    }
    return b.p;
}

/* The candidate is read back at once and removed: no need for base_write_file_atomic's fsync. */
static int try_load(const char *path, const json_t *tree, const char *rel, mdl_scenario *s,
                    base_err *err)
{
    char *text = render(tree, rel);
    if (!text)
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0;
    ok = f && fclose(f) == 0 && ok;
    free(text);
    if (!ok)
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write the file");
    return scn_load(path, s, err);
}

/* The leaves (scalars and lists) of t that `only` also has, as paths of keys joined by
 * SEP, depth first. */
#define SEP '\x1f'
typedef struct leaf {
    char path[256];
} leaf;

static size_t leaves(const json_t *t, const json_t *only, const char *prefix, leaf *out, size_t n,
                     size_t max)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)t, k, v)
    {
        json_t *o = json_object_get(only, k);
        if (!o)
            continue;
        char p[256];
        snprintf(p, sizeof p, "%s%s%s", prefix, prefix[0] ? "\x1f" : "", k);
        if (json_is_object(v) && json_is_object(o))
            n = leaves(v, o, p, out, n, max);
        else if (n < max)
            snprintf(out[n++].path, sizeof out[0].path, "%s", p);
    }
    return n;
}

/* Removes the leaf at path from t; 0 when it was there. */
static int remove_leaf(json_t *t, const char *path)
{
    char part[256];
    for (const char *p = path;;) {
        const char *e = strchr(p, SEP);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        if (!e)
            return json_object_del(t, part);
        json_t *child = json_object_get(t, part);
        if (!child || remove_leaf(child, e + 1))
            return -1;
        if (json_object_size(child) == 0) /* emptied by the removal: goes too */
            json_object_del(t, part);
        return 0;
    }
}

int imp__write(imp_ctx *c, const json_t *in, const char *base, const char *out_path)
{
    base_err *err = c->err;
    const json_t *set = c->set;
    json_t *btree = NULL;
    int st = emit_scenario_json(base, &btree, err);
    if (st) /* a --base that is not there is the user's input, as a missing scenario is */
        return st == BASE_EIO ? BASE_EINPUT : st;
    json_t *tree = json_deep_copy(in);
    json_object_del(tree, "extends");
    prune_equal(tree, btree);
    json_decref(btree);
    char rel[PATH_MAX + 64];
    st = relative(base, out_path, rel, sizeof rel, err);
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.import-check.yaml", out_path);
    mdl_scenario *full = malloc(sizeof *full), *s = malloc(sizeof *s);
    if (!st && (!full || !s))
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    base_err le;
    base_err_clear(&le);
    bool runs = !st && try_load(tmp, tree, rel, full, &le) == BASE_OK;
    /* a scenario that does not load (the base gives no traffic, a value out of range) is still
     * written, pruned by text alone, and the loader's complaint is a note */
    if (!st && !runs)
        st = imp__note_at(c, out_path, "does not run as it is (%s): give it what it lacks", le.msg);
    enum { MAX_LEAVES = 512 };
    leaf *lv = st || !runs ? NULL : malloc(MAX_LEAVES * sizeof *lv);
    /* only what the manifests gave: a carried key the binding ignores (variants:, read by
     * `simulate compare`) must stay */
    size_t n = lv ? leaves(tree, set, "", lv, 0, MAX_LEAVES) : 0;
    for (size_t i = 0; i < n && !st; i++) {
        json_t *cand = json_deep_copy(tree);
        if (!cand) {
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        base_err e;
        if (remove_leaf(cand, lv[i].path) == 0 && try_load(tmp, cand, rel, s, &e) == BASE_OK &&
            !memcmp(s, full, sizeof *s))
            remove_leaf(tree, lv[i].path); /* the base gives the same */
        json_decref(cand);
    }
    free(lv);
    unlink(tmp);
    if (!st) {
        char *text = render(tree, rel);
        st = text ? base_write_file_atomic(out_path, text, strlen(text), err)
                  : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
        free(text);
    }
    free(full);
    free(s);
    json_decref(tree);
    return st;
}
