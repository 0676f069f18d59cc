/*
 * yaml.c — Kubernetes manifests through libyaml's event parser into JSON trees, bounded:
 * nesting (IMP_MAX_DEPTH) and nodes (IMP_MAX_NODES) so a hostile file is an error, not a hang
 * or an exhausted stack. Anchors and aliases are refused rather than expanded (no manifest
 * `simulate emit` writes uses them, and expansion is the "billion laughs" attack).
 */
#include "import/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct yctx {
    yaml_parser_t p;
    const char *name;
    size_t nodes;
    base_err *err;
} yctx;

static int fail(yctx *c, const yaml_mark_t *m, const char *what)
{
    return base_err_set(c->err, BASE_EINPUT, c->name, (int)m->line + 1, (int)m->column + 1, "%s",
                        what);
}

static int next(yctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->p, ev)) {
        const char *problem = c->p.problem ? c->p.problem : "malformed YAML";
        return base_err_set(c->err, BASE_EINPUT, c->name, (int)c->p.problem_mark.line + 1,
                            (int)c->p.problem_mark.column + 1, "YAML: %s", problem);
    }
    return BASE_OK;
}

/* Plain scalars as Kubernetes (YAML 1.1 through sigs.k8s.io/yaml) takes them for the few
 * forms manifests use: booleans, null, integers and decimals; the rest stay text. */
static json_t *scalar(const char *s, size_t n, int plain)
{
    if (!plain)
        return json_stringn(s, n);
    if ((n == 4 && !memcmp(s, "true", 4)) || (n == 4 && !memcmp(s, "True", 4)))
        return json_true();
    if ((n == 5 && !memcmp(s, "false", 5)) || (n == 5 && !memcmp(s, "False", 5)))
        return json_false();
    if (n == 0 || (n == 1 && s[0] == '~') || (n == 4 && !memcmp(s, "null", 4)))
        return json_null();
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0, dots = 0;
    for (size_t k = i; k < n; k++) {
        if (isdigit((unsigned char)s[k]))
            digits++;
        else if (s[k] == '.')
            dots++;
        else
            return json_stringn(s, n);
    }
    if (digits == 0 || dots > 1 || n > 30)
        return json_stringn(s, n);
    char b[32];
    memcpy(b, s, n);
    b[n] = '\0';
    errno = 0;
    if (dots == 0) {
        long long v = strtoll(b, NULL, 10);
        return errno ? json_stringn(s, n) : json_integer(v);
    }
    return json_real(strtod(b, NULL));
}

static int node(yctx *c, yaml_event_t *ev, unsigned depth, json_t **out);

static int children(yctx *c, json_t *into, int map, unsigned depth)
{
    for (;;) {
        yaml_event_t ev;
        int st = next(c, &ev);
        if (st)
            return st;
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return BASE_OK;
        }
        if (map) {
            if (ev.type != YAML_SCALAR_EVENT) {
                st = fail(c, &ev.start_mark, "a mapping key must be a plain value");
                yaml_event_delete(&ev);
                return st;
            }
            size_t kl = ev.data.scalar.length;
            char *key = malloc(kl + 1);
            if (key) {
                memcpy(key, ev.data.scalar.value, kl);
                key[kl] = '\0';
            }
            yaml_mark_t at = ev.start_mark;
            yaml_event_delete(&ev);
            if (!key)
                return base_err_set(c->err, BASE_ENOMEM, c->name, 0, 0, "out of memory");
            if (strlen(key) != kl || json_object_get(into, key)) {
                free(key);
                return fail(c, &at, "duplicate key");
            }
            st = next(c, &ev);
            json_t *v = NULL;
            if (!st)
                st = node(c, &ev, depth + 1, &v);
            if (!st && json_object_set_new(into, key, v))
                st = base_err_set(c->err, BASE_ENOMEM, c->name, 0, 0, "out of memory");
            free(key);
            if (st)
                return st;
        } else {
            json_t *v = NULL;
            st = node(c, &ev, depth + 1, &v);
            if (!st && json_array_append_new(into, v))
                st = base_err_set(c->err, BASE_ENOMEM, c->name, 0, 0, "out of memory");
            if (st)
                return st;
        }
    }
}

/* Takes ownership of *ev (deletes it). */
static int node(yctx *c, yaml_event_t *ev, unsigned depth, json_t **out)
{
    int st = BASE_OK;
    *out = NULL;
    if (++c->nodes > IMP_MAX_NODES)
        st = fail(c, &ev->start_mark, "too many YAML nodes in one file");
    else if (depth > IMP_MAX_DEPTH)
        st = fail(c, &ev->start_mark, "nested too deeply");
    else if (ev->type == YAML_ALIAS_EVENT)
        st = fail(c, &ev->start_mark, "YAML aliases are not supported in manifests");
    else if ((ev->type == YAML_SCALAR_EVENT && (ev->data.scalar.anchor || ev->data.scalar.tag)) ||
             (ev->type == YAML_MAPPING_START_EVENT &&
              (ev->data.mapping_start.anchor || ev->data.mapping_start.tag)) ||
             (ev->type == YAML_SEQUENCE_START_EVENT &&
              (ev->data.sequence_start.anchor || ev->data.sequence_start.tag)))
        st = fail(c, &ev->start_mark, "YAML anchors and tags are not supported in manifests");
    if (st) {
        yaml_event_delete(ev);
        return st;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        *out = scalar((const char *)ev->data.scalar.value, ev->data.scalar.length,
                      ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
        yaml_event_delete(ev);
        return *out ? BASE_OK : base_err_set(c->err, BASE_ENOMEM, c->name, 0, 0, "out of memory");
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT: {
        int map = ev->type == YAML_MAPPING_START_EVENT;
        yaml_event_delete(ev);
        *out = map ? json_object() : json_array();
        if (!*out)
            return base_err_set(c->err, BASE_ENOMEM, c->name, 0, 0, "out of memory");
        st = children(c, *out, map, depth);
        if (st) {
            json_decref(*out);
            *out = NULL;
        }
        return st;
    }
    default:
        st = fail(c, &ev->start_mark, "unexpected YAML event");
        yaml_event_delete(ev);
        return st;
    }
}

int imp_yaml_load(const char *name, const char *text, size_t len, json_t **docs, base_err *err)
{
    yctx c = {.name = name, .err = err};
    *docs = NULL;
    if (memchr(text, '\0', len))
        return base_err_set(err, BASE_EINPUT, name, 0, 0, "not a text file (a NUL byte)");
    if (!yaml_parser_initialize(&c.p))
        return base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    yaml_parser_set_input_string(&c.p, (const unsigned char *)text, len);
    json_t *all = json_array();
    int st = all ? BASE_OK : base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    while (st == BASE_OK) {
        yaml_event_t ev;
        st = next(&c, &ev);
        if (st)
            break;
        yaml_event_type_t t = ev.type;
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            break;
        if (t != YAML_DOCUMENT_START_EVENT)
            continue; /* stream start, document end */
        st = next(&c, &ev);
        if (st)
            break;
        if (ev.type == YAML_DOCUMENT_END_EVENT) { /* an empty document */
            yaml_event_delete(&ev);
            continue;
        }
        json_t *d = NULL;
        st = node(&c, &ev, 1, &d);
        if (st == BASE_OK && json_is_null(d)) /* an empty document ("---" alone) */
            json_decref(d);
        else if (st == BASE_OK && json_array_append_new(all, d))
            st = base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    }
    yaml_parser_delete(&c.p);
    if (st) {
        json_decref(all);
        return st;
    }
    *docs = all;
    return BASE_OK;
}
