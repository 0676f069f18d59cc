/*
 * internal.h — what the files of src/import/ share; not part of the room's public face.
 */
#ifndef SIMULATE_IMPORT_INTERNAL_H
#define SIMULATE_IMPORT_INTERNAL_H

#include <stdbool.h>

#include "import/import.h"

/* One document found in the folder. */
typedef struct imp_doc {
    char file[512]; /* relative to the folder */
    json_t *obj;    /* borrowed from the folder's list */
} imp_doc;

typedef struct imp_ctx {
    const char *dir; /* the folder, as the user named it */
    imp_notes *notes;
    base_err *err;
    json_t *carried; /* the simulate-scenario ConfigMap's scenario, or NULL */
    json_t *set;     /* the keys the manifests give, as a scenario tree */
    imp_doc *docs;   /* every YAML document, in file order */
    size_t ndocs;
    json_t *tf;       /* every Terraform file's "resource" merged: {type: {name: body}} */
    json_t *tf_where; /* "type.name" -> the file that declares it, for notes */
    json_t *ini;      /* pgbouncer.ini, parsed; NULL when none */
    char ini_file[512];
} imp_ctx;

/* Appends a note "DIR/FILE: what" (file relative to the folder); imp__note_at names a path
 * as it is. BASE_ENOMEM when memory runs out. */
int imp__note(imp_ctx *c, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int imp__note_at(imp_ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the dotted path in c->set (creating mappings on the way), taking v's reference. */
int imp__put(imp_ctx *c, const char *path, json_t *v);
/* The index of the first element of the JSON array list whose "name" is name; (size_t)-1 when
 * none (or list is not an array). Orders what import writes as the carried scenario had it. */
size_t imp__index_by_name(const json_t *list, const char *name);
/* The carried scenario's value at the dotted path, or NULL. */
json_t *imp__carried(const imp_ctx *c, const char *path);
/* A duration key from whole seconds as the manifests write them: the carried value when it
 * rounds up to those seconds (as emit rounds, emit__secs), else "Ns". zero_as: the seconds a
 * carried 0 was written as (the ALB's 4000 for "no timeout"), -1 when none. */
int imp__put_secs(imp_ctx *c, const char *path, double secs, double zero_as);

/* The Terraform file that declares resource type.name ("" when none). */
const char *imp__tf_file(const imp_ctx *c, const char *type, const char *name);

/* The mappings (kubernetes.c, terraform.c). */
int imp__kubernetes(imp_ctx *c);
int imp__pgbouncer(imp_ctx *c);
int imp__karpenter(imp_ctx *c);
int imp__terraform(imp_ctx *c);

/* Writes the scenario: extends base, then the keys of tree that the base does not already
 * give (scenario.c); of the keys in c->set (the manifests'), also those that bind the same.
 * A result that does not load is still written, with a note saying why. */
int imp__write(imp_ctx *c, const json_t *tree, const char *base, const char *out_path);

#endif
