/*
 * doc.c — the scenario tree's document (io.h, yaml_internal.h): one arena per doc that holds
 * every node, array and string, so that freeing is one walk and an error half way through a
 * parse leaks nothing; the text of every file the doc was read from; and the lookups on the
 * tree. yaml.c fills a doc from YAML text, extends.c merges several into one.
 */
#include "io/io.h"
#include "io/yaml_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536u
#define ARENA_ALIGN (sizeof(max_align_t))

typedef struct arena_block arena_block;
struct arena_block {
    arena_block *next;
    size_t used, cap;
    max_align_t data[]; /* cap bytes */
};

struct scn_doc {
    arena_block *blocks; /* the head is the block small allocations come from */
    scn_node *root;
    char *sources; /* every file read, as read, each after a "# ---- file: NAME" line */
    size_t nsources;
};

scn_doc *scn_doc_create(void)
{
    return calloc(1, sizeof(scn_doc));
}

void *scn_doc_alloc(scn_doc *doc, size_t size)
{
    size_t need = (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (need < size)
        return NULL;
    if (need == 0)
        need = ARENA_ALIGN;
    arena_block *b = doc->blocks;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;
        if (cap > SIZE_MAX - sizeof(arena_block))
            return NULL;
        arena_block *nb = malloc(sizeof(arena_block) + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        if (b && cap != ARENA_BLOCK) {
            /* A big allocation gets its own block behind the head, which stays in use. */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            doc->blocks = nb;
        }
        b = nb;
    }
    void *p = (unsigned char *)b->data + b->used;
    b->used += need;
    memset(p, 0, size);
    return p;
}

char *scn_doc_strndup(scn_doc *doc, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *d = scn_doc_alloc(doc, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *scn_doc_strdup(scn_doc *doc, const char *s)
{
    return scn_doc_strndup(doc, s, strlen(s));
}

void scn_doc_set_root(scn_doc *doc, scn_node *root)
{
    doc->root = root;
}

void scn_doc_free(scn_doc *doc)
{
    if (!doc)
        return;
    arena_block *b = doc->blocks;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(doc->sources);
    free(doc);
}

int scn_doc_add_source(scn_doc *doc, const char *name, const char *text, size_t len)
{
    char head[600];
    int hn = snprintf(head, sizeof head, "%s# ---- file: %s\n", doc->nsources ? "\n" : "", name);
    if (hn < 0)
        return BASE_EINTERNAL;
    size_t h = (size_t)hn < sizeof head ? (size_t)hn : sizeof head - 1;
    char *s = realloc(doc->sources, doc->nsources + h + len + 1);
    if (!s)
        return BASE_ENOMEM;
    memcpy(s + doc->nsources, head, h);
    if (len)
        memcpy(s + doc->nsources + h, text, len);
    doc->nsources += h + len;
    s[doc->nsources] = '\0';
    doc->sources = s;
    return BASE_OK;
}

const char *scn_doc_sources(const scn_doc *doc, size_t *len)
{
    if (len)
        *len = doc->nsources;
    return doc->sources ? doc->sources : "";
}

const scn_node *scn_doc_root(const scn_doc *doc)
{
    return doc ? doc->root : NULL;
}

const scn_node *scn_map_get(const scn_node *map, const char *key)
{
    if (!map || map->kind != SCN_MAP || !key)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->text, key) == 0)
            return map->vals[i];
    return NULL;
}
