/*
 * extends.c — scn_doc_load: read a scenario file, follow its `extends` chain, deep-merge.
 *
 * Why it exists: scenarios share most of their settings, so a file may say `extends: base.yaml`
 * and write only what differs. The result must still let every later error point at the file
 * and line where the offending value was written, so the merge relinks the nodes of all files
 * in one document (yaml_internal.h) instead of copying values around, and nodes keep the file
 * they came from.
 *
 * Rules, including those io.h leaves open:
 *  - Only the root's `extends` counts; its value must be a non-empty string. It is resolved
 *    against the directory of the file that says it, as that file was named: "dir/a.yaml" with
 *    `extends: b.yaml` gives "dir/b.yaml" (no other normalisation); absolute paths are kept.
 *    That name is what the base's nodes and errors carry.
 *  - Merge: two mappings merge key by key, recursively; the base's keys keep their order and
 *    the extending file's new keys follow in its order. A key present in both is represented
 *    by the extending file's key node, and a merged mapping by the extending file's mapping
 *    node (the most derived place that wrote it). Any other pair: the extending value replaces
 *    the base's whole value.
 *  - A file that cannot be read is BASE_EIO: for the named file with no position, for a base
 *    at the position of the `extends` value that names it. A cycle (files compared by
 *    realpath) or a chain of more than SCN_MAX_EXTENDS files (the first file included) is
 *    BASE_EINPUT at the `extends` value that would close or lengthen it. A merged document of
 *    more than SCN_MAX_NODES nodes is refused at the `extends` value of the extending file.
 *  - Every file is read whole, at most SCN_MAX_FILE_BYTES bytes, before parsing, and only when
 *    it is a regular file (a FIFO would block, /dev/zero never end). A file that is not, or is
 *    too big, is BASE_EINPUT at the `extends` value that names it, or at 1:1 of the top file.
 */
/* realpath is an X/Open function: glibc declares it only for _XOPEN_SOURCE (or its defaults). */
#define _XOPEN_SOURCE 700

#include "io/io.h"
#include "io/yaml_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chain {
    const char *name[SCN_MAX_EXTENDS]; /* as shown to the user; owned by the doc */
    char *real[SCN_MAX_EXTENDS];       /* realpath, malloc'd */
    size_t n;
} chain;

static void errno_text(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
}

/* Refuses at the `extends` value `via`, or for the file itself when via is NULL. */
static int file_err(base_err *err, int status, const scn_node *via, const char *file,
                    const char *what, int e)
{
    char reason[256];
    errno_text(e, reason, sizeof reason);
    if (via)
        return base_err_set(err, status, via->file, via->line, via->col, "%s '%s': %s", what, file,
                            reason);
    /* the CLI prints the file before the message: do not name it twice */
    return base_err_set(err, status, file, 0, 0, "%s: %s", what, reason);
}

/* A whole-file error (not a regular file, too big) at the `extends` value that named the file,
 * or at line 1, column 1 of the file itself: the one line always has a position. */
static int whole_file_err(base_err *err, int status, const scn_node *via, const char *file,
                          const char *what)
{
    if (via)
        return base_err_set(err, status, via->file, via->line, via->col, "'%s': %s", file, what);
    return base_err_set(err, status, file, 1, 1, "%s", what);
}

/* Reads the whole file into a malloc'd buffer (*buf, *len), refusing what is not a regular
 * file (a FIFO would block, /dev/zero never end) and more than the limit. */
static int read_file(const char *file, const scn_node *via, char **buf, size_t *len, base_err *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f;
    base_err e;
    base_err_clear(&e);
    int rc = base_open_regular(file, SCN_MAX_FILE_BYTES, &f, &e);
    if (rc == BASE_EINPUT)
        return whole_file_err(err, rc, via, file, e.msg);
    if (rc != BASE_OK && via) /* e.msg is "cannot read: REASON" */
        return base_err_set(err, rc, via->file, via->line, via->col, "cannot read '%s': %s", file,
                            strncmp(e.msg, "cannot read: ", 13) ? e.msg : e.msg + 13);
    if (rc != BASE_OK) {
        *err = e;
        return rc;
    }
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    if (!b) {
        fclose(f);
        return base_err_set(err, BASE_ENOMEM, file, 0, 0, "out of memory");
    }
    for (;;) {
        if (n == cap) {
            if (cap > SCN_MAX_FILE_BYTES)
                break;
            char *nb = base_grow(b, &cap, n + 1, 1, 0);
            if (!nb) {
                free(b);
                fclose(f);
                return base_err_set(err, BASE_ENOMEM, file, 0, 0, "out of memory");
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                int en = errno;
                free(b);
                fclose(f);
                return file_err(err, BASE_EIO, via, file, "cannot read", en);
            }
            break;
        }
    }
    fclose(f);
    if (n > SCN_MAX_FILE_BYTES) { /* grew while read */
        free(b);
        char what[96];
        snprintf(what, sizeof what, "file is larger than the limit of %u bytes",
                 (unsigned)SCN_MAX_FILE_BYTES);
        return whole_file_err(err, BASE_EINPUT, via, file, what);
    }
    *buf = b;
    *len = n;
    return BASE_OK;
}

/* `target` relative to the directory of `parent` (both as named), owned by the doc. */
static char *resolve(scn_doc *doc, const char *parent, const char *target)
{
    if (target[0] == '/')
        return scn_doc_strdup(doc, target);
    const char *slash = strrchr(parent, '/');
    size_t dir = slash ? (size_t)(slash - parent) + 1 : 0;
    size_t tlen = strlen(target);
    char *p = scn_doc_alloc(doc, dir + tlen + 1);
    if (!p)
        return NULL;
    memcpy(p, parent, dir);
    memcpy(p + dir, target, tlen + 1);
    return p;
}

/* The deep merge of `over` onto `base` (both owned by doc) in *out. */
static int merge(scn_doc *doc, scn_node *base, scn_node *over, scn_node **out)
{
    if (base->kind != SCN_MAP || over->kind != SCN_MAP || base->n == 0) {
        *out = over;
        return BASE_OK;
    }
    if (over->n == 0) {
        /* keep the extending mapping's position on the base's content */
        scn_node *m = scn_doc_alloc(doc, sizeof *m);
        if (!m)
            return BASE_ENOMEM;
        *m = *over;
        m->n = base->n;
        m->keys = base->keys;
        m->vals = base->vals;
        *out = m;
        return BASE_OK;
    }
    size_t total = base->n + over->n;
    scn_node *m = scn_doc_alloc(doc, sizeof *m);
    scn_node **keys = scn_doc_alloc(doc, total * sizeof *keys);
    scn_node **vals = scn_doc_alloc(doc, total * sizeof *vals);
    size_t nslots = 16;
    while (nslots < over->n * 2)
        nslots *= 2;
    size_t *slots = calloc(nslots, sizeof *slots); /* index into over + 1; 0 empty */
    unsigned char *used = calloc(over->n, 1);
    int rc = BASE_OK;
    if (!m || !keys || !vals || !slots || !used) {
        rc = BASE_ENOMEM;
        goto done;
    }
    for (size_t j = 0; j < over->n; j++) {
        size_t s = (size_t)base_hash_text(over->keys[j]->text) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = j + 1;
    }
    size_t k = 0;
    for (size_t i = 0; i < base->n; i++) {
        const char *text = base->keys[i]->text;
        size_t j = SIZE_MAX;
        for (size_t s = (size_t)base_hash_text(text) & (nslots - 1); slots[s];
             s = (s + 1) & (nslots - 1))
            if (strcmp(over->keys[slots[s] - 1]->text, text) == 0) {
                j = slots[s] - 1;
                break;
            }
        if (j == SIZE_MAX) {
            keys[k] = base->keys[i];
            vals[k] = base->vals[i];
        } else {
            used[j] = 1;
            keys[k] = over->keys[j];
            if ((rc = merge(doc, base->vals[i], over->vals[j], &vals[k])) != BASE_OK)
                goto done;
        }
        k++;
    }
    for (size_t j = 0; j < over->n; j++)
        if (!used[j]) {
            keys[k] = over->keys[j];
            vals[k] = over->vals[j];
            k++;
        }
    *m = *over;
    m->n = k;
    m->keys = keys;
    m->vals = vals;
    *out = m;
done:
    free(slots);
    free(used);
    return rc;
}

int scn_doc_merge(scn_doc *doc, scn_node *base, scn_node *over, scn_node **out)
{
    return merge(doc, base, over, out);
}

/* Nodes in the tree, counting stops a little past `limit`. */
static size_t count_nodes(const scn_node *n, size_t limit)
{
    size_t c = 1;
    for (size_t i = 0; i < n->n && c <= limit; i++) {
        if (n->kind == SCN_MAP)
            c += 1;
        c += count_nodes(n->vals[i], limit);
    }
    return c;
}

static int load(scn_doc *doc, const char *name, const scn_node *via, chain *ch, scn_node **out,
                base_err *err);

/* Removes the root's `extends`, loads the base it names and merges `root` over it. */
static int follow_extends(scn_doc *doc, const char *name, scn_node *root, chain *ch, scn_node **out,
                          base_err *err)
{
    size_t i = 0;
    while (i < root->n && strcmp(root->keys[i]->text, "extends") != 0)
        i++;
    if (i == root->n) {
        *out = root;
        return BASE_OK;
    }
    scn_node *v = root->vals[i];
    if (v->kind != SCN_SCALAR || v->text[0] == '\0')
        return base_err_set(err, BASE_EINPUT, v->file, v->line, v->col,
                            "extends must name a file (a string), not %s",
                            v->kind == SCN_MAP   ? "a mapping"
                            : v->kind == SCN_SEQ ? "a sequence"
                                                 : "an empty value");
    memmove(root->keys + i, root->keys + i + 1, (root->n - i - 1) * sizeof *root->keys);
    memmove(root->vals + i, root->vals + i + 1, (root->n - i - 1) * sizeof *root->vals);
    root->n--;
    char *base_name = resolve(doc, name, v->text);
    if (!base_name)
        return base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    scn_node *base;
    int rc = load(doc, base_name, v, ch, &base, err);
    if (rc)
        return rc;
    if ((rc = merge(doc, base, root, out)) != BASE_OK)
        return base_err_set(err, rc, name, 0, 0, "out of memory");
    if (count_nodes(*out, SCN_MAX_NODES) > SCN_MAX_NODES)
        return base_err_set(err, BASE_EINPUT, v->file, v->line, v->col,
                            "document has more than %u nodes after extending '%s'",
                            (unsigned)SCN_MAX_NODES, base_name);
    return BASE_OK;
}

static int load(scn_doc *doc, const char *name, const scn_node *via, chain *ch, scn_node **out,
                base_err *err)
{
    char *real = realpath(name, NULL);
    if (!real)
        return file_err(err, BASE_EIO, via, name, "cannot read", errno);
    for (size_t i = 0; i < ch->n; i++) {
        if (strcmp(ch->real[i], real) != 0)
            continue;
        char msg[512];
        size_t len = 0;
        msg[0] = '\0';
        for (size_t j = i; j < ch->n && len < sizeof msg; j++)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s -> ", ch->name[j]);
        free(real);
        return base_err_set(err, BASE_EINPUT, via->file, via->line, via->col, "extends cycle: %s%s",
                            msg, name);
    }
    if (ch->n == SCN_MAX_EXTENDS) {
        free(real);
        return base_err_set(err, BASE_EINPUT, via->file, via->line, via->col,
                            "extends chain is longer than %u files", (unsigned)SCN_MAX_EXTENDS);
    }
    ch->name[ch->n] = name;
    ch->real[ch->n] = real;
    ch->n++;
    char *text;
    size_t len;
    scn_node *root;
    int rc = read_file(name, via, &text, &len, err);
    if (rc == BASE_OK && scn_doc_add_source(doc, name, text, len) != BASE_OK) {
        free(text);
        rc = base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    }
    if (rc == BASE_OK) {
        rc = scn_doc_parse_tree(doc, name, text, len, &root, err);
        free(text);
    }
    if (rc == BASE_OK)
        rc = follow_extends(doc, name, root, ch, out, err);
    ch->n--;
    free(ch->real[ch->n]);
    return rc;
}

int scn_doc_load(const char *path, scn_doc **out, base_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return base_err_set(err, BASE_EIO, "", 0, 0, "no scenario file named");
    scn_doc *doc = scn_doc_create();
    if (!doc)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    chain ch = {0};
    scn_node *root;
    const char *name = scn_doc_strdup(doc, path);
    int rc = name ? load(doc, name, NULL, &ch, &root, err)
                  : base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    if (rc) {
        scn_doc_free(doc);
        return rc;
    }
    scn_doc_set_root(doc, root);
    *out = doc;
    return BASE_OK;
}
