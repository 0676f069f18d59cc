/*
 * io.h — simulate's input: the scenario language (scn_*). The report it writes is in
 * src/report/ (report.h). The public header of src/io/ (yaml_internal.h is private to doc.c,
 * text.c, yaml.c and extends.c, which share one document arena).
 *
 * Scenario files are YAML read through libyaml into a tree of scn_node that remembers, for every
 * node, the file, line and column it came from, so any later complaint can point at it.
 * `extends: FILE` (relative to the file that says it) loads a base first and deep-merges the
 * extending file over it: mappings merge key by key, recursively; a scalar or a sequence
 * replaces the base's whole value. YAML anchors and aliases are expanded, with the total size
 * of the expansion bounded (a "billion laughs" file is an error, not a hang).
 *
 * The typed scenario (scn_scenario) is bound from the tree by the key tables (keys/, one file per
 * component, walked by schema.c) that also drive --check and docs/scenarios.md, so the
 * documentation cannot drift from what the program accepts. Units are strict: a duration needs its
 * unit, a percentage its %.
 */
#ifndef SIMULATE_IO_H
#define SIMULATE_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/base.h"
#include "model/model.h"

/* ---------------------------------------------------------------- the YAML tree */

typedef enum scn_kind { SCN_SCALAR, SCN_MAP, SCN_SEQ } scn_kind;

typedef struct scn_node scn_node;
struct scn_node {
    scn_kind kind;
    const char *file; /* path as the user (or an extends line) named it; owned by the doc */
    int line, col;    /* 1-based position of the node's first character */
    /* SCN_SCALAR */
    const char *text; /* NUL-terminated value, "" for an empty/null scalar */
    int plain;        /* 1 when written unquoted (so `true`, `~`, `12` may be read as such) */
    /* SCN_MAP: n pairs keys[i] -> vals[i], keys are scalars, in file order, unique.
     * SCN_SEQ: n items vals[i]. */
    size_t n;
    scn_node **keys;
    scn_node **vals;
};

/* A loaded scenario document; owns every node and string in it. */
typedef struct scn_doc scn_doc;

/* Limits that keep hostile files from hanging or exhausting the program. */
#define SCN_MAX_FILE_BYTES (4u << 20) /* per file */
#define SCN_MAX_NODES      100000u    /* after alias expansion and merging, per document */
#define SCN_MAX_DEPTH      64u        /* nesting of mappings and sequences */
#define SCN_MAX_EXTENDS    16u        /* files in an extends chain, the first included */

/* Reads `path`, follows `extends` and merges, and returns the document in *out (NULL on error).
 * The root is always a mapping; the `extends` key itself is removed. Errors (BASE_EINPUT,
 * BASE_EIO, BASE_ENOMEM) fill *err with the file, line and column of the offending text:
 * YAML syntax errors, an empty file, a file that is not UTF-8 text, duplicate keys, non-scalar
 * keys, several documents in one file, tags, an alias expansion over SCN_MAX_NODES, nesting over
 * SCN_MAX_DEPTH, a missing or unreadable extends file, an extends cycle. Whole-file errors (the
 * top file unreadable or over SCN_MAX_FILE_BYTES) carry the file but no line or column.
 * Free with scn_doc_free. */
int scn_doc_load(const char *path, scn_doc **out, base_err *err);

/* Parses YAML text already in memory (`name` is used as the file in positions; no extends
 * processing). For tests and for scenario text stored in the results store. */
int scn_doc_parse(const char *name, const char *text, size_t len, scn_doc **out, base_err *err);

void scn_doc_free(scn_doc *doc);

/* The text of every file the document was read from — the scenario, then each file it extends
 * — each after a line "# ---- file: NAME". Owned by the doc; len may be NULL. */
const char *scn_doc_sources(const scn_doc *doc, size_t *len);
const scn_node *scn_doc_root(const scn_doc *doc);
/* The pricing file the document's `pricing:` names (resolved as binding resolves it), read as
 * scn_doc_sources gives a document: "# ---- file: PATH" then its text (and of each file it
 * extends). *out is allocated (caller frees), NULL when the document names none. What the
 * results store keeps beside the scenario's text so that a stored run binds again. */
int scn_doc_pricing_sources(const scn_doc *doc, char **out, base_err *err);

/* The value under `key` in a mapping node, or NULL (also NULL when map is not a mapping). */
const scn_node *scn_map_get(const scn_node *map, const char *key);

/* ---------------------------------------------------------------- units */

/*
 * Each parser reads a whole scalar; surrounding spaces are not allowed. On failure it returns
 * BASE_EINPUT with a message and no position (the caller knows the node and adds it).
 *   duration  250ms, 15s, 2m, 24h, 1.5h, 100us, 1h30m (units ns us ms s m min h d) -> ns
 *   count     12, 50k, 2M, 1.5G (k = 10^3, M = 10^6, G = 10^9), no unit means 1 -> number
 *   percent   70%, 99.9% -> fraction (0.70); the % is required
 *   cpu       250m, 1, 0.5, 2 (Kubernetes CPU quantity) -> millicores
 *   memory    256Mi, 1Gi, 512M, 1000 (Ki Mi Gi Ti binary; k M G T decimal; bytes) -> bytes
 *   money     370, $370, 1234.56, $0.0416 (US dollars) -> micro-dollars
 *   rate      9/s, 540/m, 540/min, 10k/h (a count per unit of time) -> per second
 * Negative values are refused by every parser (nothing in a scenario is negative).
 */
int scn_parse_duration(const char *text, int64_t *ns, base_err *err);
int scn_parse_count(const char *text, double *value, base_err *err);
int scn_parse_percent(const char *text, double *fraction, base_err *err);
int scn_parse_cpu(const char *text, int64_t *millicores, base_err *err);
int scn_parse_memory(const char *text, int64_t *bytes, base_err *err);
int scn_parse_money(const char *text, int64_t *micro_usd, base_err *err);
int scn_parse_rate(const char *text, double *per_second, base_err *err);

/* The candidate nearest to `word` by edit distance (Levenshtein), or NULL when none is close
 * enough to be a plausible typo (distance > max(2, strlen(word)/3)). */
const char *scn_suggest(const char *word, const char *const *candidates, size_t n);

/* ---------------------------------------------------------------- the typed scenario */

/* Loads `path` (scn_doc_load), binds it (scn_bind) and checks the relations between keys.
 * On success *out holds the scenario; if the file names none, out->name is the file's name
 * without its folder and .yaml. Every error carries the position of the offending text. */
int scn_load(const char *path, mdl_scenario *out, base_err *err);

/* Loads a pricing file alone (models/pricing/REGION.yaml; the key table of pricing.c, as strict
 * as a scenario's `pricing:`) into *out, for tests and tools. Each instance type's
 * spot_discount is the file's spot.default_discount (no scenario is there to override it).
 * Errors as scn_load's; *out is untouched on failure. */
int scn_load_pricing(const char *path, cost_catalog *out, base_err *err);

/* A scenario as `simulate compare` runs it: one of the file's `variants`, or the file itself. */
typedef struct scn_variant {
    char name[64];
    mdl_scenario s;
} scn_variant;

#define SCN_MAX_VARIANTS 16

/* Loads `path`; with a `variants:` mapping, one scenario per variant (each variant's keys
 * merged over the rest of the file, as `extends` merges), named by its key; without, the file
 * alone, named by the scenario's name. *out is a malloc'd array of *n entries (free with
 * free()); NULL on error. */
int scn_load_variants(const char *path, scn_variant **out, size_t *n, base_err *err);

/* A scenario's `plan:` section (plan.c; `simulate plan`, docs/plan.md): knobs over scenario keys,
 * each a range with a step or a list of choices; failures to survive; what to minimise. */
#define SCN_PLAN_MAX_KNOBS   16
#define SCN_PLAN_MAX_VALUES  1000
#define SCN_PLAN_MAX_SURVIVE 8
#define SCN_PLAN_KEY_MAX     128

typedef struct scn_knob {
    char key[SCN_PLAN_KEY_MAX];                 /* dotted scenario key: "api.replicas" */
    const scn_node *where;                      /* the knob's key in the plan (for errors) */
    size_t n;                                   /* values */
    const scn_node *value[SCN_PLAN_MAX_VALUES]; /* each as the scenario would say it */
    double num[SCN_PLAN_MAX_VALUES];            /* its number (NaN: not one) */
    char label[SCN_PLAN_MAX_VALUES][48];        /* as written, for people */
    int monotone; /* +1: a larger value never takes capacity away nor costs less; -1: the
                   * reverse; 0: neither (not bisected) */
} scn_knob;

/* The figures `minimise` may weigh, in this order (plan.h's plan_fig_keys). */
#define SCN_PLAN_NFIG 4
extern const char *const scn_plan_figures[SCN_PLAN_NFIG];

typedef struct scn_plan {
    char path[1024];
    scn_knob knobs[SCN_PLAN_MAX_KNOBS];
    size_t nknobs;
    char survive_name[SCN_PLAN_MAX_SURVIVE][64];
    size_t nsurvive;
    char minimise[128]; /* as written: monthly_cost (default), api_latency_p99, or a
                         * weighted sum "monthly_cost + 2 USD/ms * api_latency_p99" */
    /* what is minimised: the sum over the figures monthly_cost (USD a month), api_latency_p99
     * (ms), error_rate (%) and rto (s, the first failure's) of weight times figure, in
     * minimise_unit ("USD" for a weighted sum; the figure's own unit when it is one alone) */
    double minimise_weight[SCN_PLAN_NFIG];
    char minimise_unit[8];
    int screen_replications; /* replications a configuration is screened with */
    int max_replications;    /* most a configuration gets */
    scn_doc *doc;            /* private: the document every configuration is bound from */
    scn_node *base;          /* private: its root without `plan` and `variants` */
    scn_node *survive_over[SCN_PLAN_MAX_SURVIVE]; /* private: each failure's keys */
} scn_plan;

/* Loads `path` and its `plan:` section, checking that every knob's every value and every
 * failure binds (one-line errors at the plan's line). Free with scn_plan_free. */
int scn_plan_load(const char *path, scn_plan **out, base_err *err);
void scn_plan_free(scn_plan *p);

/* Binds the configuration choice[k] (an index into knobs[k]'s values, one per knob) into *out,
 * with failure `survive` merged over it (-1: none), as a variant binds. Not thread-safe: the
 * plan's document grows by the merged nodes. */
int scn_plan_bind(scn_plan *p, const size_t *choice, int survive, mdl_scenario *out, base_err *err);

/* Binds a loaded document into *out: every key known, typed, in range; defaults for the rest. */
int scn_bind(const scn_doc *doc, mdl_scenario *out, base_err *err);

/* One parameter a run rests on: a key of the scenario language with the value the run used —
 * set in a file (file, line: where a comment gives its source) or the key's default (file
 * NULL; `source` says where the default comes from). */
typedef struct scn_assumption {
    const char *key;    /* dotted path, e.g. "database.max_connections" */
    const char *value;  /* as written, or the default as written */
    const char *type;   /* the key's unit or kind, as in docs/scenarios.md */
    const char *file;   /* NULL: the default */
    int line;
    const char *source; /* of the default; may be NULL */
} scn_assumption;

/* A non-zero return stops the walk and is returned. */
typedef int (*scn_assumption_fn)(void *ctx, const scn_assumption *a);

/* Calls fn for each key of the scenario at `path` that has a value — set or by default — in
 * the key table's order (lists such as phases and events are left out: they are the scenario's
 * own content, not assumptions). The pointers live until fn returns. */
int scn_assumptions(const char *path, scn_assumption_fn fn, void *ctx, base_err *err);

/* Writes the reference of every scenario key (docs/scenarios.md's tables) as Markdown. */
void scn_keys_markdown(FILE *f);

#endif
