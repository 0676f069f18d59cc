/*
 * bind.h — the machinery of the key tables, private to src/io/ (scn__ names): the table types, the
 * binders of each value type (durations, percentages, distributions, lists ...) and the walk that
 * binds a YAML mapping against a section of keys. keys/ holds the scenario's tables, pricing.c
 * the pricing catalog's; both bind with what is here, so a catalog is as strictly checked as a
 * scenario.
 */
#ifndef SIMULATE_IO_BIND_H
#define SIMULATE_IO_BIND_H

#include <stddef.h>

#include "io/io.h"

typedef struct key key;
typedef struct section section;

typedef struct bctx {
    mdl_scenario *s;
    char *base; /* what key offsets are relative to: the scenario, or a list element */
    base_err *err;
    char path[256];          /* dotted path of the key being bound */
    const scn_node *keynode; /* the key whose value is being bound, for "missing key" errors */
} bctx;

typedef int (*bind_fn)(const key *k, const scn_node *n, bctx *c);

struct section {
    const char *name; /* dotted path, "" for the top */
    const char *doc;
    const key *keys;
    size_t nkeys;
};

struct key {
    const char *name;
    bind_fn bind;
    size_t off;        /* into the base: the scenario, or a list element */
    size_t size;       /* strings: buffer size */
    const char *def;   /* default as written in a scenario; NULL: required */
    const char *type;  /* for the docs */
    double min, max;   /* range in the parsed unit (ns, fraction, count); min > max: none */
    const char *range; /* the range as a user reads it */
    const char *const *choices;
    const section *sub;
    const char *doc;
    const char *source;
    size_t count_off; /* lists: where the element count goes (a size_t, relative to the base) */
};

#define FIELD(c, k, T) ((T *)((c)->base + (k)->off))
#define OFF(member)    offsetof(mdl_scenario, member)
#define NKEYS(a)       (sizeof(a) / sizeof((a)[0]))

/*
 * A row's fields by the shape of its value, so that a row holds only what is its own and a
 * binder always goes with its type word (the docs' "type" column) and its kind of range:
 *
 *     {KEY_PERCENT("target", OFF(db.reader_scaling.target), "70%", 0.05, 1, "5%..100%"),
 *      .doc = "CPU utilisation above which the rule adds readers.",
 *      .source = "ASSUMPTION: ..."},
 *
 * Each takes the key's name, where its value goes (OFF(member), or offsetof into a list's
 * element) and its default as written in a scenario (NULL: required). The numeric ones then
 * take the range in the parsed unit (ns, fraction, count, bytes, millicores, USD) and as a user
 * reads it (NULL: not shown); the others have no range (min > max). A row of another shape
 * spells its fields out.
 */
#define KEY_NUM(bnd, ty, nm, o, dflt, lo, hi, r)                                                   \
    .name = (nm), .bind = (bnd), .off = (o), .def = (dflt), .type = (ty), .min = (lo),             \
    .max = (hi), .range = (r)
#define KEY_DURATION(nm, o, dflt, lo, hi, r)                                                       \
    KEY_NUM(scn__bind_duration, "duration", nm, o, dflt, lo, hi, r)
#define KEY_INT(nm, o, dflt, lo, hi, r) KEY_NUM(scn__bind_int, "integer", nm, o, dflt, lo, hi, r)
#define KEY_PERCENT(nm, o, dflt, lo, hi, r)                                                        \
    KEY_NUM(scn__bind_percent, "percent", nm, o, dflt, lo, hi, r)
#define KEY_NUMBER(nm, o, dflt, lo, hi, r)                                                         \
    KEY_NUM(scn__bind_count, "number", nm, o, dflt, lo, hi, r)
#define KEY_COUNT(nm, o, dflt, lo, hi, r) KEY_NUM(scn__bind_count, "count", nm, o, dflt, lo, hi, r)
#define KEY_WHOLE(nm, o, dflt, lo, hi, r) KEY_NUM(scn__bind_whole, "count", nm, o, dflt, lo, hi, r)
#define KEY_MEMORY(nm, o, dflt, lo, hi, r)                                                         \
    KEY_NUM(scn__bind_memory, "memory", nm, o, dflt, lo, hi, r)
#define KEY_CPU(nm, o, dflt, lo, hi, r)   KEY_NUM(scn__bind_cpu, "cpu", nm, o, dflt, lo, hi, r)
#define KEY_MONEY(nm, o, dflt, lo, hi, r) KEY_NUM(scn__bind_money, "money", nm, o, dflt, lo, hi, r)

#define KEY_PLAIN(bnd, ty, nm, o, dflt)                                                            \
    .name = (nm), .bind = (bnd), .off = (o), .def = (dflt), .type = (ty), .min = 1, .max = 0
#define KEY_BOOL(nm, o, dflt) KEY_PLAIN(scn__bind_bool, "boolean", nm, o, dflt)
#define KEY_DIST(nm, o, dflt) KEY_PLAIN(scn__bind_dist, "distribution", nm, o, dflt)
/* A string into a char[size] buffer. */
#define KEY_STRING(nm, o, size_, dflt)                                                             \
    KEY_PLAIN(scn__bind_string, "string", nm, o, dflt), .size = (size_)
/* One of the NULL-terminated `ch`, listed for the user as `r`. */
#define KEY_ENUM(nm, o, dflt, ch, r)                                                               \
    KEY_PLAIN(scn__bind_enum, "choice", nm, o, dflt), .choices = (ch), .range = (r)
/* A mapping bound with the keys of section `s`, into the same base. */
#define KEY_SECTION(nm, s)                                                                         \
    .name = (nm), .bind = scn__bind_sub, .type = "section", .min = 1, .max = 0, .sub = (s)

/* Reports `fmt` at node n (the key's dotted path first); returns BASE_EINPUT. */
int scn__at(bctx *c, const scn_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int scn__need_scalar(const key *k, const scn_node *n, bctx *c);
int scn__unit_error(bctx *c, const scn_node *n, base_err *e);
int scn__check_range(const key *k, const scn_node *n, bctx *c, double v);
int scn__bind_string(const key *k, const scn_node *n, bctx *c);
int scn__bind_bool(const key *k, const scn_node *n, bctx *c);
int scn__bind_int(const key *k, const scn_node *n, bctx *c);
int scn__bind_seed(const key *k, const scn_node *n, bctx *c);
int scn__bind_count(const key *k, const scn_node *n, bctx *c);
int scn__bind_whole(const key *k, const scn_node *n, bctx *c);
int scn__bind_percent(const key *k, const scn_node *n, bctx *c);
int scn__bind_duration(const key *k, const scn_node *n, bctx *c);
int scn__bind_enum(const key *k, const scn_node *n, bctx *c);
int scn__bind_dist(const key *k, const scn_node *n, bctx *c);
int scn__bind_sub(const key *k, const scn_node *n, bctx *c);
int scn__bind_cpu(const key *k, const scn_node *n, bctx *c);
int scn__bind_memory(const key *k, const scn_node *n, bctx *c);
int scn__bind_money(const key *k, const scn_node *n, bctx *c);
int scn__bind_int_percent(const key *k, const scn_node *n, bctx *c);
int scn__bind_monthly_share(const key *k, const scn_node *n, bctx *c);
int scn__bind_arch_selector(const key *k, const scn_node *n, bctx *c);
int scn__bind_mask(const key *k, const scn_node *n, bctx *c);
int scn__bind_families(const key *k, const scn_node *n, bctx *c);
int scn__bind_list(const key *k, const scn_node *n, bctx *c);
void scn__path_push(bctx *c, const char *name, size_t *saved);
void scn__path_pop(bctx *c, size_t saved);
int scn__check_known(const section *sec, const scn_node *n, bctx *c);
int scn__bind_default(const key *k, bctx *c);
int scn__bind_section_node(const section *sec, const scn_node *n, const scn_node *near, bctx *c);

/* One element of a list or a named table: node n bound with sec into the (zeroed) struct at
 * elem, errors pointing at `near`; then c->base is `restore` again and the path is cut back to
 * its length `saved` (pushed by the caller for the element). */
int scn__bind_element(const section *sec, char *elem, const scn_node *n, const scn_node *near,
                      char *restore, size_t saved, bctx *c);

extern const char *const scn__arch_names[];

/* A value's kind in words ("a mapping", "a list", "a value", "an empty value"). */
const char *scn__kind_word(const scn_node *n);

/* pricing.c: `pricing: FILE`. */
int scn__bind_pricing(const key *k, const scn_node *n, bctx *c);

#endif
