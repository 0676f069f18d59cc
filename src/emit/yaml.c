/*
 * yaml.c — a JSON tree as one YAML document, through libyaml's emitter (block style, keys in
 * the object's insertion order, so the same scenario gives the same bytes).
 *
 * A string is written plain only when a YAML 1.1 or 1.2 reader cannot take it for anything
 * else (a number, a boolean, null, a date, an indicator); otherwise double-quoted. Numbers and
 * booleans are plain. Kubernetes reads YAML 1.1 (sigs.k8s.io/yaml over go-yaml v2), where "on",
 * "yes" and "1e3" are not strings.
 */
#include "emit/internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static bool plain_safe(const char *s)
{
    static const char *const words[] = {"y",    "n",     "yes",  "no", "on", "off",
                                        "true", "false", "null", "~",  ""};
    if (!*s)
        return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *a = s, *w = words[i];
        while (*a && *w && tolower((unsigned char)*a) == *w) {
            a++;
            w++;
        }
        if (!*a && !*w)
            return false;
    }
    /* starts like a number (digits, sign, dot) or an indicator: quote */
    if (strchr("0123456789+-.:?!&*|>'\"%@`#,[]{}", s[0]))
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/'))
            return false;
    }
    return true;
}

static int emit_node(yaml_emitter_t *e, const json_t *v)
{
    yaml_event_t ev;
    char b[64] = "";
    const char *text = b;
    yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(e, &ev))
            return -1;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            json_t *key = json_string(k);
            int st = key ? emit_node(e, key) : -1;
            json_decref(key);
            if (st || emit_node(e, x))
                return -1;
        }
        return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev) ? 0 : -1;
    }
    case JSON_ARRAY: {
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(e, &ev))
            return -1;
        size_t i;
        json_t *x;
        json_array_foreach((json_t *)v, i, x)
        {
            if (emit_node(e, x))
                return -1;
        }
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev) ? 0 : -1;
    }
    case JSON_STRING:
        text = json_string_value(v);
        if (strchr(text, '\n'))
            style = YAML_LITERAL_SCALAR_STYLE; /* pgbouncer.ini in its ConfigMap */
        else if (!plain_safe(text))
            style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        break;
    case JSON_INTEGER: snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: snprintf(b, sizeof b, "%.17g", json_real_value(v)); break;
    case JSON_TRUE: text = "true"; break;
    case JSON_FALSE: text = "false"; break;
    case JSON_NULL: text = "null"; break;
    }
    return yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)text,
                                        (int)strlen(text), 1, 1, style) &&
                   yaml_emitter_emit(e, &ev)
               ? 0
               : -1;
}

static int write_out(void *data, unsigned char *buffer, size_t size)
{
    base_buf_add(data, (const char *)buffer, size);
    return 1;
}

char *emit_yaml(const json_t *obj)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    base_buf b = {0};
    if (!yaml_emitter_initialize(&e))
        return NULL;
    yaml_emitter_set_output(&e, write_out, &b);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1); /* never fold long strings: annotations stay one line */
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
             yaml_emitter_emit(&e, &ev) &&
             yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
             yaml_emitter_emit(&e, &ev) && emit_node(&e, obj) == 0 &&
             yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
             yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) &&
             yaml_emitter_flush(&e);
    yaml_emitter_delete(&e);
    if (!ok || b.oom || !b.p) {
        base_buf_free(&b);
        return NULL;
    }
    return b.p;
}
