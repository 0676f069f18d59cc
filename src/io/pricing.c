/*
 * pricing.c — the pricing and instance catalog (models/pricing/REGION.yaml) as a key table,
 * bound with the same strictness as a scenario: every price a number with its unit, every entry
 * known. The scenario's `pricing:` key names the file, relative to the file that says it.
 */
#include "io/bind.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- the pricing file */

static const char *const arch_one[] = {"amd64", "arm64", NULL};

static int bind_arch_one(const key *k, const scn_node *n, bctx *c)
{
    int st = scn__bind_enum(k, n, c);
    if (st == BASE_OK)
        *FIELD(c, k, int) = *FIELD(c, k, int) == 0 ? MDL_ARCH_AMD64 : MDL_ARCH_ARM64;
    return st;
}

static const key instance_keys[] = {
    {.name = "family",
     .bind = scn__bind_string,
     .off = offsetof(mdl_instance_type, family),
     .size = 12,
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "Instance family."},
    {.name = "arch",
     .bind = bind_arch_one,
     .off = offsetof(mdl_instance_type, arch),
     .type = "choice",
     .min = 1,
     .max = 0,
     .range = "amd64, arm64",
     .choices = arch_one,
     .doc = "CPU architecture."},
    {.name = "vcpu",
     .bind = scn__bind_int,
     .off = offsetof(mdl_instance_type, vcpu),
     .type = "integer",
     .min = 1,
     .max = 1024,
     .range = "1..1024",
     .doc = "vCPUs."},
    {.name = "memory",
     .bind = scn__bind_memory,
     .off = offsetof(mdl_instance_type, memory),
     .type = "memory",
     .min = 1,
     .max = 1e15,
     .range = "> 0",
     .doc = "Memory."},
    {.name = "allocatable_cpu",
     .bind = scn__bind_cpu,
     .off = offsetof(mdl_instance_type, alloc_cpu),
     .type = "cpu",
     .min = 1,
     .max = 1e7,
     .range = "> 0",
     .doc = "CPU a node can give pods (Karpenter's figure, kubelet reservations off)."},
    {.name = "allocatable_memory",
     .bind = scn__bind_memory,
     .off = offsetof(mdl_instance_type, alloc_memory),
     .type = "memory",
     .min = 1,
     .max = 1e15,
     .range = "> 0",
     .doc = "Memory a node can give pods."},
    {.name = "max_pods",
     .bind = scn__bind_int,
     .off = offsetof(mdl_instance_type, max_pods),
     .type = "integer",
     .min = 1,
     .max = 1000,
     .range = "1..1000",
     .doc = "Pods per node."},
    {.name = "price",
     .bind = scn__bind_money,
     .off = offsetof(mdl_instance_type, price),
     .type = "money",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "On-Demand $/hour."},
    {.name = "source",
     .bind = scn__bind_string,
     .off = offsetof(mdl_instance_type, source),
     .size = 128,
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "Where the figures come from."},
};
static const section instance_section = {"instances.NAME", "One instance type.", instance_keys,
                                         NKEYS(instance_keys)};

/* instances: a mapping from type name to its figures. Binds into the catalog in place; each
 * type's spot_discount is set afterwards from the spot section. */
static int bind_instances(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_MAP)
        return scn__at(c, n, "expected a mapping of instance types, found %s", scn__kind_word(n));
    if (n->n == 0 || n->n > MDL_MAX_TYPES)
        return scn__at(c, n, "needs 1 to %d instance types", MDL_MAX_TYPES);
    mdl_catalog *cat = &c->s->cluster.catalog;
    char *saved_base = c->base;
    for (size_t i = 0; i < n->n; i++) {
        mdl_instance_type *t = &cat->types[i];
        memset(t, 0, sizeof *t);
        if (strlen(n->keys[i]->text) >= sizeof t->name)
            return scn__at(c, n->keys[i], "instance type name too long");
        snprintf(t->name, sizeof t->name, "%s", n->keys[i]->text);
        size_t saved;
        scn__path_push(c, t->name, &saved);
        c->base = (char *)t;
        const scn_node *outer = c->keynode;
        c->keynode = n->keys[i];
        int st = scn__bind_section_node(&instance_section, n->vals[i], n->keys[i], c);
        c->keynode = outer;
        c->base = saved_base;
        scn__path_pop(c, saved);
        if (st)
            return st;
    }
    cat->n = n->n;
    return BASE_OK;
}

static const key pricing_spot_keys[] = {
    {.name = "default_discount",
     .bind = scn__bind_percent,
     .off = OFF(cluster.spot_discount_default),
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Spot discount off On-Demand for every type."},
    {.name = "source",
     .bind = scn__bind_string,
     .off = OFF(cluster.spot_source),
     .size = 256,
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "Where the discount comes from."},
};
static const section pricing_spot_section = {"spot", "Spot pricing.", pricing_spot_keys,
                                             NKEYS(pricing_spot_keys)};

static const key pricing_keys[] = {
    {.name = "region",
     .bind = scn__bind_string,
     .off = OFF(cluster.catalog.region),
     .size = 32,
     .type = "string",
     .min = 1,
     .max = 0,
     .doc = "The AWS region the prices are for."},
    {.name = "instances",
     .bind = bind_instances,
     .type = "mapping",
     .min = 1,
     .max = 0,
     .doc = "Instance types by name."},
    {.name = "spot",
     .bind = scn__bind_sub,
     .type = "section",
     .min = 1,
     .max = 0,
     .sub = &pricing_spot_section,
     .doc = "Spot pricing."},
};
static const section pricing_section = {"", "A pricing and instance catalog.", pricing_keys,
                                        NKEYS(pricing_keys)};

/* pricing: FILE, relative to the file that names it; bound with its own key table. */
int scn__bind_pricing(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SCALAR || !n->text[0])
        return scn__at(c, n, "expected the path of a pricing file");
    char path[1024];
    const char *slash = strrchr(n->file, '/');
    if (n->text[0] == '/' || !slash)
        snprintf(path, sizeof path, "%s", n->text);
    else
        snprintf(path, sizeof path, "%.*s/%s", (int)(slash - n->file), n->file, n->text);
    scn_doc *doc = NULL;
    base_err e;
    int st = scn_doc_load(path, &doc, &e);
    if (st != BASE_OK) {
        if (e.line > 0) {
            *c->err = e; /* a problem inside the pricing file: point there */
            return st;
        }
        return scn__at(c, n, "cannot read pricing file '%s': %s", path, e.msg);
    }
    char saved_path[256];
    snprintf(saved_path, sizeof saved_path, "%s", c->path);
    c->path[0] = '\0';
    const scn_node *outer = c->keynode;
    c->keynode = NULL;
    st = scn__bind_section_node(&pricing_section, scn_doc_root(doc), scn_doc_root(doc), c);
    c->keynode = outer;
    snprintf(c->path, sizeof c->path, "%s", saved_path);
    scn_doc_free(doc);
    return st;
}
