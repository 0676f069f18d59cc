/*
 * yaml_internal.h — the seam between doc.c (which owns scn_doc), text.c (a file's bytes checked),
 * yaml.c (which turns YAML text into nodes) and extends.c (which reads files, follows `extends`
 * and merges trees). Not part of the API: only those files include it; everything else in
 * simulate uses io.h.
 *
 * Why a second header at all: a merged document is one scn_doc whose arena holds the nodes of
 * every file in the extends chain, so extends.c must parse several files into the same doc and
 * allocate merged mappings there, which the public API (deliberately) cannot do.
 */
#ifndef SIMULATE_IO_YAML_INTERNAL_H
#define SIMULATE_IO_YAML_INTERNAL_H

#include "io/io.h"

/* An empty document (no root yet), or NULL when out of memory. Free with scn_doc_free. */
scn_doc *scn_doc_create(void);

/* `size` zeroed bytes owned by the doc (aligned for any object), or NULL when out of memory. */
void *scn_doc_alloc(scn_doc *doc, size_t size);

/* A copy of `s` (of s[0..n) for strndup) owned by the doc, or NULL when out of memory. */
char *scn_doc_strdup(scn_doc *doc, const char *s);
char *scn_doc_strndup(scn_doc *doc, const char *s, size_t n);

/* Parses one file's text (`file` names it in positions and errors; the doc keeps its own copy)
 * into nodes owned by `doc` and returns its root, always a mapping, in *root. Checks everything
 * scn_doc_load promises except extends: size, UTF-8, syntax, duplicates, tags, depth, aliases,
 * node count (of this file alone). On error the nodes already made stay in the doc's arena
 * until the doc is freed. */
int scn_doc_parse_tree(scn_doc *doc, const char *file, const char *text, size_t len,
                       scn_node **root, base_err *err);

/* Makes `root` the document's root (the nodes must be owned by `doc`). */
void scn_doc_set_root(scn_doc *doc, scn_node *root);

/* Keeps the text of a file the document was read from (scn_doc_sources), after a line naming
 * it: the results store records exactly what a run read. */
int scn_doc_add_source(scn_doc *doc, const char *name, const char *text, size_t len);

/* The deep merge of `over` onto `base` (both owned by doc), as `extends` merges, in *out. Neither
 * input is changed (new mappings are made where the two meet). */
int scn_doc_merge(scn_doc *doc, scn_node *base, scn_node *over, scn_node **out);

/* ---------------------------------------------------------------- text.c */

/* A file's bytes checked before the parse: not over SCN_MAX_FILE_BYTES, no NUL, valid UTF-8
 * (overlong forms, surrogates and code points over U+10FFFF are not); else BASE_EINPUT at the
 * first offending byte's line and column. */
int scn__text_check(const char *file, const char *text, size_t len, base_err *err);

/* Walks the bytes like libyaml's reader counts marks (0-based line, column in characters,
 * a UTF-8 BOM at the start not counted). Stops at `stop` bytes or at the first byte that is
 * not text, whose offset goes to *bad (SIZE_MAX when all is text). */
void scn__text_walk(const unsigned char *s, size_t len, size_t stop, size_t *bad, int *line,
                    int *col);

#endif
