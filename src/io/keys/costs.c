/*
 * keys/costs.c — the scenario keys of month and network: how the window becomes a month of cost,
 * and the bytes priced as data transfer.
 */
#include "io/keys/keys.h"

#include <stdio.h>
#include <string.h>

/* month.mix[].scenario: a path relative to the file that names it, which must exist (the parts
 * run when the month is priced: a typo should be found now, at its line). */
static int bind_month_scenario(const key *k, const scn_node *n, bctx *c)
{
    (void)k;
    if (n->kind != SCN_SCALAR || !n->text[0])
        return scn__at(c, n, "expected the path of a scenario file");
    mdl_month_part *p = (mdl_month_part *)(void *)c->base;
    const char *slash = strrchr(n->file, '/');
    int len;
    if (n->text[0] == '/' || !slash)
        len = snprintf(p->scenario, sizeof p->scenario, "%s", n->text);
    else
        len = snprintf(p->scenario, sizeof p->scenario, "%.*s/%s", (int)(slash - n->file), n->file,
                       n->text);
    if (len < 0 || (size_t)len >= sizeof p->scenario)
        return scn__at(c, n, "path is too long");
    FILE *f; /* a regular file: opening a FIFO here would block */
    base_err e;
    if (base_open_regular(p->scenario, 0, &f, &e) != BASE_OK)
        return scn__at(c, n, "cannot read scenario '%s': %s", p->scenario,
                       strncmp(e.msg, "cannot read: ", 13) ? e.msg : e.msg + 13);
    fclose(f);
    return BASE_OK;
}

static const key month_part_keys[] = {
    {.name = "scenario",
     .bind = bind_month_scenario,
     .type = "path",
     .min = 1,
     .max = 0,
     .doc = "Another scenario whose window is part of the month (relative to this file); it runs "
            "with this run's seed and replications, and its usage is priced with its own "
            "architecture."},
    {.name = "repeat",
     .bind = scn__bind_count,
     .off = offsetof(mdl_month_part, repeat),
     .type = "number",
     .min = 1e-9,
     .max = 1e6,
     .range = "> 0",
     .doc = "How many times that scenario's window counts in the month."},
};
static const section month_part_section = {"month.mix[]", "One part of a month mix.",
                                           month_part_keys, NKEYS(month_part_keys)};

static const key month_keys[] = {
    {.name = "repeat",
     .bind = scn__bind_count,
     .off = OFF(month.repeat),
     .def = "(none: the window scaled to 730 hours)",
     .type = "number",
     .min = 1e-9,
     .max = 1e6,
     .range = "> 0",
     .doc = "How many times this scenario's window counts in the month: 30 for a representative "
            "day. Without it the window's usage is scaled to a 730-hour month.",
     .source = "AWS prices a month as 730 hours (reference/aws-prices.md §2)"},
    {.name = "mix",
     .bind = scn__bind_list,
     .off = OFF(month.mix),
     .size = sizeof(mdl_month_part),
     .def = "[]",
     .type = "list",
     .min = 0,
     .max = MDL_MAX_MONTH_PARTS,
     .sub = &month_part_section,
     .doc = "Other scenarios' windows that make up the month with this one (needs `repeat`), "
            "e.g. 29 ordinary days here and `{scenario: black-friday.yaml, repeat: 1}`.",
     .count_off = OFF(month.nmix)},
};
static const key network_keys[] = {
    {.name = "query_bytes",
     .bind = scn__bind_memory,
     .off = OFF(extras.query_bytes),
     .def = "2k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Bytes on the wire per database query and its result, both ways (inter-AZ data "
            "transfer).",
     .source = "ASSUMPTION: a statement and a few rows of a web API's look-up"},
    {.name = "cache_op_bytes",
     .bind = scn__bind_memory,
     .off = OFF(extras.cache_op_bytes),
     .def = "1k",
     .type = "memory",
     .min = 0,
     .max = 1e12,
     .range = ">= 0",
     .doc = "Bytes on the wire per Redis operation, both ways.",
     .source = "ASSUMPTION: a session key and its value"},
    {.name = "cross_az_share",
     .bind = scn__bind_percent,
     .off = OFF(extras.cross_az_share),
     .def = "67%",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Share of the pods' database and Redis traffic that crosses an AZ boundary: with pods "
            "spread evenly over three AZs and the primary in one, two in three.",
     .source = "seed §4.1: three AZs; pods spread by topology (two of three cross)"},
};
const section scn__network_section = {"network", "Bytes the cost model prices as data transfer.",
                                      network_keys, NKEYS(network_keys)};

const section scn__month_section = {"month", "How the simulated window becomes a month of cost.",
                                    month_keys, NKEYS(month_keys)};
