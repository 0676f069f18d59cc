/*
 * folder.c — `simulate import DIR`: finds the manifests, pgbouncer.ini and Terraform JSON in
 * the folder (its sub-folders too, to IMP_MAX_FILES files, in name order so the result does not
 * depend on the file system), starts from the scenario `simulate emit` carries when there is
 * one, lays over it what each file says (kubernetes.c, terraform.c), and writes the result
 * (scenario.c).
 */
#include "import/internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emit/emit.h"
#include "io/io.h"

void imp_notes_free(imp_notes *n)
{
    free(n->line);
    memset(n, 0, sizeof *n);
}

static int vnote(imp_ctx *c, const char *where, const char *fmt, va_list ap)
{
    imp_notes *n = c->notes;
    void *p = base_grow(n->line, &n->cap, n->n + 1, sizeof *n->line, 16);
    if (!p)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    n->line = p;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(n->line[n->n++], sizeof n->line[0], "%s: %s", where, msg);
    return BASE_OK;
}

int imp__note(imp_ctx *c, const char *file, const char *fmt, ...)
{
    char where[1024];
    snprintf(where, sizeof where, "%s/%s", c->dir, file);
    va_list ap;
    va_start(ap, fmt);
    int st = vnote(c, where, fmt, ap);
    va_end(ap);
    return st;
}

int imp__note_at(imp_ctx *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int st = vnote(c, path, fmt, ap);
    va_end(ap);
    return st;
}

int imp__put(imp_ctx *c, const char *path, json_t *v)
{
    if (!v)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    json_t *o = c->set;
    char part[128];
    for (const char *p = path;;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        if (!dot)
            return json_object_set_new(o, part, v)
                       ? base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory")
                       : BASE_OK;
        json_t *next = json_object_get(o, part);
        if (!json_is_object(next)) {
            next = json_object();
            if (!next || json_object_set_new(o, part, next)) {
                json_decref(v);
                return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            }
        }
        o = next;
        p = dot + 1;
    }
}

const char *imp__tf_file(const imp_ctx *c, const char *type, const char *name)
{
    char key[512];
    if (!name) { /* the first of the type */
        json_t *t = json_object_get(c->tf, type);
        void *it = json_object_iter(t);
        name = it ? json_object_iter_key(it) : "";
    }
    snprintf(key, sizeof key, "%s.%s", type, name);
    const char *f = json_string_value(json_object_get(c->tf_where, key));
    return f ? f : "";
}

size_t imp__index_by_name(const json_t *list, const char *name)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *n = json_string_value(json_object_get(x, "name"));
        if (n && !strcmp(n, name))
            return i;
    }
    return (size_t)-1;
}

json_t *imp__carried(const imp_ctx *c, const char *path)
{
    json_t *o = c->carried;
    char part[128];
    for (const char *p = path; o;) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        o = json_object_get(o, part);
        if (!dot)
            return o;
        p = dot + 1;
    }
    return NULL;
}

int imp__put_secs(imp_ctx *c, const char *path, double secs, double zero_as)
{
    json_t *cv = imp__carried(c, path);
    const char *t = json_string_value(cv);
    int64_t ns;
    base_err e;
    if (t && scn_parse_duration(t, &ns, &e) == BASE_OK) {
        /* emit__secs: whole seconds rounded up */
        double up = ns <= 0 ? 0 : ceil((double)ns / 1e9 - 1e-12);
        if (up == secs || (ns == 0 && zero_as >= 0 && secs == zero_as))
            return imp__put(c, path, json_deep_copy(cv));
    }
    char b[48];
    snprintf(b, sizeof b, "%.9gs", secs);
    return imp__put(c, path, json_string(b));
}

/* ---------------------------------------------------------------- the folder's files */

typedef struct flist {
    char (*rel)[512];
    size_t n, cap;
    char region[64]; /* a second region's folder at the top (emit's region.c), skipped */
} flist;

/* A folder named as an AWS region ("eu-west-1"): emit writes the second active region's
 * manifests there. */
static bool region_folder(const char *name)
{
    size_t n = strlen(name);
    return n >= 9 && n < 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz-0123456789") == n &&
           name[2] == '-' && name[n - 2] == '-' && name[n - 1] >= '0' && name[n - 1] <= '9';
}

static int ends(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int cmp_rel(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int scan(const char *dir, const char *rel, int depth, flist *l, base_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) /* a folder that is not there, or not a folder, is the user's input (exit 2) */
        return base_err_set(err, errno == ENOENT || errno == ENOTDIR ? BASE_EINPUT : BASE_EIO, path,
                            0, 0, "cannot read the folder: %s", strerror(errno));
    struct dirent *e;
    int st = BASE_OK;
    while (st == BASE_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char r[512], full[4096];
        if (snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name) >= (int)sizeof r)
            continue;
        snprintf(full, sizeof full, "%s/%s", dir, r);
        struct stat sb;
        if (stat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (depth == 0 && region_folder(e->d_name)) {
                snprintf(l->region, sizeof l->region, "%s", e->d_name);
                continue;
            }
            if (depth < 3)
                st = scan(dir, r, depth + 1, l, err);
            continue;
        }
        if (!S_ISREG(sb.st_mode) ||
            !(ends(r, ".yaml") || ends(r, ".yml") || ends(r, ".tf.json") || ends(r, ".ini")))
            continue;
        if (l->n >= IMP_MAX_FILES) {
            st = base_err_set(err, BASE_ELIMIT, dir, 0, 0, "more than %u files to import",
                              IMP_MAX_FILES);
            break;
        }
        void *p = base_grow(l->rel, &l->cap, l->n + 1, sizeof *l->rel, 32);
        if (!p) {
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        l->rel = p;
        snprintf(l->rel[l->n++], sizeof l->rel[0], "%s", r);
    }
    closedir(d);
    return st;
}

static int read_text(const char *dir, const char *rel, char **text, size_t *len, base_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = NULL;
    int st = base_open_regular(path, IMP_MAX_FILE_BYTES, &f, err);
    if (st)
        return st;
    base_buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        base_buf_add(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.oom) {
        base_buf_free(&b);
        return base_err_set(err, bad ? BASE_EIO : BASE_ENOMEM, path, 0, 0,
                            bad ? "cannot read the file" : "out of memory");
    }
    *text = b.p ? b.p : base_strdup("");
    *len = b.p ? b.len : 0;
    return *text ? BASE_OK : base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Terraform JSON syntax: every file's `resource` blocks merged by type and name. */
static int terraform_file(imp_ctx *c, const char *dir, const char *rel, const char *text,
                          size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return base_err_set(c->err, BASE_EINPUT, path, je.line > 0 ? je.line : 0,
                            je.column > 0 ? je.column : 0, "JSON: %s", je.text);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return base_err_set(c->err, BASE_EINPUT, path, 1, 1,
                            "Terraform JSON must be an object at the top");
    }
    const char *type, *name;
    json_t *block, *body;
    int st = BASE_OK;
    json_object_foreach(json_object_get(doc, "resource"), type, block)
    {
        json_t *into = json_object_get(c->tf, type);
        if (!into) {
            into = json_object();
            json_object_set_new(c->tf, type, into);
        }
        json_object_foreach(block, name, body)
        {
            if (!json_is_object(body) || json_object_get(into, name)) {
                st = base_err_set(c->err, BASE_EINPUT, path, 0, 0, "resource %s.%s: %s", type, name,
                                  json_is_object(body) ? "declared twice" : "not an object");
                break;
            }
            json_object_set(into, name, body);
            char key[512];
            snprintf(key, sizeof key, "%s.%s", type, name);
            json_object_set_new(c->tf_where, key, json_string(rel));
        }
        if (st)
            break;
    }
    json_decref(doc);
    return st;
}

/* A pgbouncer.ini file: the first is mapped, a second one only noted. */
static int ini_file(imp_ctx *c, const char *rel, const char *path, const char *text, size_t len)
{
    json_t *ini = NULL;
    int st = imp_ini_load(path, text, len, &ini, c->err);
    if (!st && c->ini) {
        st = imp__note(c, rel, "a second .ini file (%s read): not mapped", c->ini_file);
        json_decref(ini);
    } else if (!st) {
        c->ini = ini;
        snprintf(c->ini_file, sizeof c->ini_file, "%s", rel);
    }
    return st;
}

/* Appends document d of file rel to c->docs (growing it; *cap its room). */
static int add_doc(imp_ctx *c, size_t *cap, const char *rel, json_t *d)
{
    void *p = base_grow(c->docs, cap, c->ndocs + 1, sizeof *c->docs, 32);
    if (!p)
        return base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    c->docs = p;
    snprintf(c->docs[c->ndocs].file, sizeof c->docs[0].file, "%s", rel);
    c->docs[c->ndocs++].obj = d;
    return BASE_OK;
}

/* A YAML file: each of its documents that is a mapping joins c->docs; `all` owns them. */
static int yaml_file(imp_ctx *c, const char *rel, const char *path, const char *text, size_t len,
                     json_t *all, size_t *cap)
{
    json_t *docs = NULL;
    int st = imp_yaml_load(path, text, len, &docs, c->err);
    size_t k;
    json_t *d;
    json_array_foreach(docs, k, d)
    {
        if (st)
            break;
        if (!json_is_object(d)) {
            st = imp__note(c, rel, "document %zu is not a mapping: skipped", k + 1);
            continue;
        }
        if ((st = add_doc(c, cap, rel, d)) != BASE_OK)
            break;
        json_array_append(all, d);
    }
    json_decref(docs);
    return st;
}

/* Reads the folder's files, in l's order, each by its ending. */
static int read_files(imp_ctx *c, const flist *l, json_t *all)
{
    int st = BASE_OK;
    size_t cap = 0;
    for (size_t i = 0; i < l->n && !st; i++) {
        char *text = NULL;
        size_t len = 0;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", c->dir, l->rel[i]);
        st = read_text(c->dir, l->rel[i], &text, &len, c->err);
        if (st)
            break;
        if (ends(l->rel[i], ".tf.json"))
            st = terraform_file(c, c->dir, l->rel[i], text, len);
        else if (ends(l->rel[i], ".ini"))
            st = ini_file(c, l->rel[i], path, text, len);
        else
            st = yaml_file(c, l->rel[i], path, text, len, all, &cap);
        free(text);
    }
    return st;
}

/* The carried scenario (simulate emit's ConfigMap), and PgBouncer's ini from its ConfigMap when
 * no file has it. */
static int read_configmaps(imp_ctx *c)
{
    int st = BASE_OK;
    for (size_t i = 0; i < c->ndocs && !st; i++) {
        json_t *o = c->docs[i].obj;
        const char *kind = json_string_value(json_object_get(o, "kind"));
        const char *name =
            json_string_value(json_object_get(json_object_get(o, "metadata"), "name"));
        json_t *data = json_object_get(o, "data");
        if (!kind || strcmp(kind, "ConfigMap") || !name)
            continue;
        char where[1024];
        snprintf(where, sizeof where, "%s/%s#data.%s", c->dir, c->docs[i].file, EMIT_CARRY_KEY);
        const char *t = json_string_value(json_object_get(data, EMIT_CARRY_KEY));
        if (!strcmp(name, EMIT_CARRY_NAME) && t && !c->carried)
            st = emit_scenario_text_json(where, t, strlen(t), &c->carried, c->err);
        const char *ini = json_string_value(json_object_get(data, "pgbouncer.ini"));
        if (!st && ini && !c->ini) {
            snprintf(where, sizeof where, "%s/%s#data.pgbouncer.ini", c->dir, c->docs[i].file);
            st = imp_ini_load(where, ini, strlen(ini), &c->ini, c->err);
            int len =
                snprintf(c->ini_file, sizeof c->ini_file, "%s#data.pgbouncer.ini", c->docs[i].file);
            if (!st && (len < 0 || (size_t)len >= sizeof c->ini_file))
                st = base_err_set(c->err, BASE_EINPUT, where, 0, 0, "the file's name is too long");
        }
    }
    return st;
}

/* What the files say, as scenario keys in c->set: the manifests, Karpenter, PgBouncer, then
 * Terraform. */
static int map_files(imp_ctx *c)
{
    if (c->ndocs == 0 && !json_object_size(c->tf) && !c->ini)
        return base_err_set(c->err, BASE_EINPUT, c->dir, 0, 0,
                            "nothing to import: no Kubernetes YAML, pgbouncer.ini or *.tf.json");
    int st = imp__kubernetes(c);
    if (!st)
        st = imp__karpenter(c);
    if (!st)
        st = imp__pgbouncer(c);
    bool api = json_object_get(json_object_get(c->set, "api"), "replicas") != NULL;
    if (!st && api && !c->ini && !json_object_get(json_object_get(c->set, "pgbouncer"), "mode"))
        st = imp__put(c, "pgbouncer.mode", json_string("none"));
    if (!st && json_object_size(c->tf))
        st = imp__terraform(c);
    else if (!st)
        st = imp__note(c, ".",
                       "no Terraform (*.tf.json): the base's database, cache, "
                       "alarms and DR region kept");
    return st;
}

/* The carried scenario with the manifests' keys laid over it (the manifests win), written. */
static int write_scenario(imp_ctx *c, const char *base, const char *out_path)
{
    json_t *tree = c->carried ? json_deep_copy(c->carried) : json_object();
    int st = tree ? BASE_OK : base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st && json_object_update_recursive(tree, c->set))
        st = base_err_set(c->err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st)
        st = imp__write(c, tree, base, out_path);
    json_decref(tree);
    return st;
}

int imp_folder(const char *dir, const char *base, const char *out_path, imp_notes *notes,
               base_err *err)
{
    flist l = {0};
    int st = scan(dir, "", 0, &l, err);
    if (st) {
        free(l.rel);
        return st;
    }
    if (l.n > 1) /* qsort of NULL, 0 is undefined */
        qsort(l.rel, l.n, sizeof *l.rel, cmp_rel);
    imp_ctx c = {.notes = notes, .err = err, .dir = dir};
    c.set = json_object();
    c.tf = json_object();
    c.tf_where = json_object();
    json_t *all = json_array(); /* owns every YAML document */
    if (!c.set || !c.tf || !c.tf_where || !all)
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    if (!st && l.region[0])
        st = imp__note(&c, l.region,
                       "the second region's manifests: not mapped (its HPA bounds and database "
                       "are the carried scenario's regions.*)");
    if (!st)
        st = read_files(&c, &l, all);
    if (!st)
        st = read_configmaps(&c);
    if (!st)
        st = map_files(&c);
    if (!st)
        st = write_scenario(&c, base, out_path);
    json_decref(all);
    json_decref(c.set);
    json_decref(c.tf);
    json_decref(c.tf_where);
    json_decref(c.carried);
    json_decref(c.ini);
    free(c.docs);
    free(l.rel);
    return st;
}
