/*
 * import.h — `simulate import DIR` (issue 15): a folder of deployment config — what `simulate
 * emit` wrote, or a team's own Kubernetes manifests (Deployment, HPA, PDB, Ingress), Karpenter
 * NodePools and EC2NodeClass, pgbouncer.ini and Terraform JSON — read back into a scenario that
 * `extends` the base architecture and sets only the keys whose values differ from what the
 * base gives. What cannot be mapped is said, one note per thing. The public face of
 * src/import/; every public name is imp_*. docs/emit.md has the mapping table.
 *
 * Hostile input is an error value (one line with the file and position), never a crash: files
 * are bounded in size (IMP_MAX_FILE_BYTES), YAML in depth and nodes, and aliases are refused.
 */
#ifndef SIMULATE_IMPORT_H
#define SIMULATE_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "base/base.h"

#define IMP_MAX_FILE_BYTES (4u << 20) /* per file, as a scenario file (SCN_MAX_FILE_BYTES) */
#define IMP_MAX_FILES      256u       /* files looked at in the folder */
#define IMP_MAX_DEPTH      64u        /* nesting in a YAML or JSON document */
#define IMP_MAX_NODES      200000u    /* YAML nodes per file */

/* What import could not map: one line each, "FILE: what" (FILE under the folder as named). */
typedef struct imp_notes {
    char (*line)[600];
    size_t n, cap;
} imp_notes;

void imp_notes_free(imp_notes *n);

/* Reads folder dir and writes the scenario to out_path: `extends:` base (written relative to
 * out_path's folder), then the keys that differ. The folder's simulate-scenario ConfigMap
 * (what `simulate emit` carries: the load, failures, objectives...), when there is one, is
 * the starting point; the manifests' values are laid over it. BASE_EINPUT for a malformed
 * file (err has its position), a folder with nothing to import, or a result the scenario
 * loader refuses; BASE_EIO for a file that cannot be read or written. */
int imp_folder(const char *dir, const char *base, const char *out_path, imp_notes *notes,
               base_err *err);

/* ---- the readers, public for the tests and fuzzing */

/* Every document of a YAML file (several separated by ---) as a JSON array of trees. Plain
 * scalars are resolved as Kubernetes reads them (true/false, null, integers, decimals), the
 * rest are strings. Anchors, aliases and tags are refused. */
int imp_yaml_load(const char *name, const char *text, size_t len, json_t **docs, base_err *err);

/* An INI file (pgbouncer.ini) as {"section": {"key": "value"}}, keys lowercased, values
 * trimmed, `;` and `#` comment lines skipped. A line that is neither a section, a key = value
 * nor a comment is an error. */
int imp_ini_load(const char *name, const char *text, size_t len, json_t **out, base_err *err);

#endif
