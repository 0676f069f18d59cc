/*
 * pack_appendix.c — a report's assumptions as the pack's appendix: every setting the run
 * rested on, where it was set and the source of its default, written as a reader of the pack
 * needs it (paths folded, the project's own issue numbers dropped, `extends` named).
 */
#include "plot/pack_internal.h"

#include <stdio.h>
#include <string.h>

/* A path as a reader writes it: "scenarios/../models/x.yaml" -> "models/x.yaml" (each "DIR/../"
 * after a plain folder name removed); anything else unchanged. */
static void tidy_path(const char *in, char *out, size_t n)
{
    snprintf(out, n, "%s", in);
    for (;;) {
        char *up = strstr(out, "/../");
        if (!up || up == out)
            return;
        char *start = up;
        while (start > out && start[-1] != '/' && start[-1] != ' ')
            start--;
        if (up - start == 2 && strncmp(start, "..", 2) == 0)
            return; /* "../../": nothing to fold */
        memmove(start, up + 4, strlen(up + 4) + 1);
    }
}

/* A value that is a path relative to the file that set it ("../pricing/us-east-1.yaml" set in
 * models/architecture/innovate.yaml:3) as the project's path (models/pricing/us-east-1.yaml), so
 * a reader finds the file; anything else unchanged. */
static void resolve_path(char *value, size_t n, const char *set_in)
{
    if (strncmp(value, "../", 3) != 0 || !strchr(set_in, '/') || strchr(value, ' '))
        return;
    char joined[1024];
    const char *slash = strrchr(set_in, '/');
    snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - set_in), set_in, value);
    tidy_path(joined, value, n);
}

/* A source without the project's own issue numbers ("issue 5: default 1 s" -> "default 1 s"):
 * a reader of the pack has no access to them. */
static void tidy_source(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 1 < n;) {
        if (strncmp(p, "issue ", 6) == 0 && p[6] >= '0' && p[6] <= '9') {
            p += 6;
            while (*p >= '0' && *p <= '9')
                p++;
            while (*p == ':' || *p == ' ' || *p == ',')
                p++;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    if (o == 0)
        snprintf(out, n, "–");
}

void pk_assumptions(pk_pack *k)
{
    pk_page_begin(k);
    pk_heading(k, "Appendix: assumptions and sources", 16);
    const json_t *as = json_object_get(k->doc, "assumptions");
    if (!json_is_array(as) || json_array_size(as) == 0) {
        pk_paragraph(k, "The report lists no assumptions.", BODY, 0, pl_grey(0.2));
        return;
    }
    pk_explain(k,
               "Every scenario setting the run rested on: its value, where it was set (file:line "
               "when the scenario or a file it extends set it, \"default\" otherwise), and the "
               "source a default comes from. Review these before trusting the figures.",
               4);
    static const pk_column cols[] = {
        {"setting", 0.24, 0}, {"value", 0.20, 0}, {"set in", 0.20, 0}, {"source", 0.36, 0}};
    /* a reference table, often a hundred rows or more: a size smaller than the body's */
    pk_table t = {cols, 4, PM, PAGE_W - 2 * PM, "Appendix: assumptions and sources", 8.5};
    pk_table_head(k, &t);
    /* the file the scenario extends: the first file other than its own that set something */
    const char *own = pl_str(json_object_get(json_object_get(k->doc, "scenario"), "file"), "");
    char base[512] = "";
    for (size_t i = 0; i < json_array_size(as) && !base[0]; i++) {
        char where[512];
        tidy_path(pl_str(json_object_get(json_array_get(as, i), "set_in"), ""), where,
                  sizeof where);
        char *colon = strrchr(where, ':');
        if (colon)
            *colon = '\0';
        if (strcmp(where, "default") != 0 && strcmp(where, own) != 0)
            snprintf(base, sizeof base, "%s", where);
    }
    for (size_t i = 0; i < json_array_size(as); i++) {
        const json_t *a = json_array_get(as, i);
        const char *key = pl_str(json_object_get(a, "key"), "?");
        char value[512], set_in[512], source[1024];
        tidy_path(pl_str(json_object_get(a, "value"), ""), value, sizeof value);
        tidy_path(pl_str(json_object_get(a, "set_in"), ""), set_in, sizeof set_in);
        tidy_source(pl_str(json_object_get(a, "source"), "–"), source, sizeof source);
        resolve_path(value, sizeof value, set_in);
        if (strcmp(key, "extends") == 0 && base[0]) { /* the report says none for the top file */
            snprintf(value, sizeof value, "%s", base);
            snprintf(set_in, sizeof set_in, "%s", own);
        }
        const char *cells[4] = {key, value, set_in, source};
        pk_table_row(k, &t, cells, 0, NULL);
    }
}
