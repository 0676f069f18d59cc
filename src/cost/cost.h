/*
 * cost.h — the cost model: what the architecture a scenario describes costs for a month, priced
 * from what a simulated run used (cost_usage) and the list prices of the pricing file
 * (cost_catalog). The public face of src/cost/, with the two leaf headers it includes
 * (catalog.h, usage.h: types only, which the model and the engine fill); every public name is
 * cost_*.
 *
 * A month is 730 hours (the month AWS's pricing pages and calculator use, and Infracost with
 * them: e.g. EKS $73.00 = 730 h × $0.10, aws-prices.md §2). A run simulates a window, usually
 * much shorter; its usage is scaled to the month by one factor, scale = 730 h / simulated
 * hours, in one place (cost.c, month_scale), so the month mixes of a later issue (ordinary days
 * plus a Black Friday) change one function. Always-on resources (the EKS control plane, the ALB
 * and NAT gateway hours, public IPv4 addresses) and per-month storage are priced for the month
 * as they are, never scaled.
 *
 * Money is integer micro-USD (1e-6 $), as the pricing file's prices are: a line's monthly cost
 * is round(quantity × unit price) in micro-USD (ties away from zero), and the total is the exact
 * sum of the lines. No globals: everything is in the caller's cost_month. docs/cost-model.md
 * says what each line prices and where each price comes from.
 */
#ifndef SIMULATE_COST_H
#define SIMULATE_COST_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"
#include "cost/catalog.h"
#include "cost/usage.h"
#include "model/model.h"

/* The hours in the month the cost model prices (730 = 8,760 / 12). */
#define COST_MONTH_HOURS 730.0

/* NAT gateways, one per AZ: the seed has 3 AZs and "NAT Gateway per AZ"
 * (seed/architecture.md §4.1 "3 Availability Zones", "NAT Gateway per AZ"; §10.2
 * "NAT Gateways (3x)"). A scenario has no AZ count yet. */
#define COST_NAT_GATEWAYS 3

/* The SPA's size in S3 until a scenario gives it: an ASSUMPTION (a React build is a few MB;
 * 1 GB leaves room for assets and old builds and costs $0.023). */
#define COST_SPA_GB 1.0

#define COST_MAX_LINES 128

/* What a line bills, by typed id: matched as an enum everywhere (a renamed component cannot
 * silently zero a figure that sums it), named once (cost_component_name, parts.c). */
typedef enum cost_component {
    COST_EKS,
    COST_EC2_NODES,
    COST_ALB,
    COST_CLOUDFRONT,
    COST_S3,
    COST_NAT_GATEWAY,
    COST_RDS,
    COST_AURORA,
    COST_ELASTICACHE,
    COST_DATA_TRANSFER,
    COST_SECRETS,
    COST_ROUTE53,
    COST_CLOUDWATCH,
    COST_DR_REGION,
    COST_NCOMPONENTS
} cost_component;

/* "EKS", "EC2 nodes", "ALB", ..., as report.json's bill and the text tables show it. */
const char *cost_component_name(cost_component c);

/* The bill's components as the summary's figures group them (figure cost_eks, ..., USD a
 * month): each component belongs to exactly one part (cost_component_part). */
typedef enum cost_part {
    COST_PART_EKS,
    COST_PART_NODES,
    COST_PART_ALB,
    COST_PART_CLOUDFRONT,
    COST_PART_S3,
    COST_PART_NAT,
    COST_PART_DATABASE, /* RDS and Aurora */
    COST_PART_CACHE,
    COST_PART_TRANSFER,
    COST_PART_OTHER, /* Secrets Manager, Route 53, CloudWatch */
    COST_PART_DR,
    COST_NPARTS
} cost_part;

cost_part cost_component_part(cost_component c);
const char *cost_part_key(cost_part p);   /* the figure's key: "cost_eks", "cost_database" ... */
const char *cost_part_label(cost_part p); /* for people: "EKS control plane", "database" ... */

/* One priced line: `quantity` of `unit` at `unit_price` for the month. */
typedef struct cost_line {
    cost_component comp;
    char component[24]; /* cost_component_name(comp), for the report and the tables */
    char item[96];      /* what exactly: "m7g.large Spot", "LCU-hours" */
    double quantity;    /* in `unit`, for the month */
    char unit[24];      /* "hours", "GB", "1k requests", "GB-months" ... */
    int64_t unit_price; /* micro-USD per unit */
    int64_t monthly;    /* micro-USD: round(quantity × unit_price) */
    char source[160];   /* of the unit price, from the pricing file */
    int tier_group;     /* 0; or which tiered item (cost.c) this line is one tier of: the
                         * item's lines are re-tiered together as a month's volume grows */
} cost_line;

/* A month's bill, line by line. */
typedef struct cost_month {
    cost_line lines[COST_MAX_LINES];
    size_t n;
    int64_t total;      /* micro-USD: the sum of the lines' monthly */
    double month_hours; /* the month's length: COST_MONTH_HOURS, or month.repeat windows */
    double scale;       /* month / simulated window: what usage was multiplied by */
} cost_month;

/* Prices usage `u` of scenario `s` (its catalog: s->cluster.catalog) for a 730-hour month into
 * *out (cleared first). u->seconds is the simulated time the usage covers; it must be > 0.
 * A tiered item (CloudFront transfer and requests, S3 storage, internet egress: the catalog's
 * `tiers`) is priced on the month's total volume: its always-free allowance first, a line at $0,
 * then one line per tier used ("data transfer out (US, Mexico, Canada), next 40 TB").
 * Lines with zero quantity are left out; their order is fixed (EKS, EC2 nodes by catalog type
 * with Spot before On-Demand, ALB, CloudFront, S3, NAT gateway, RDS or Aurora, ElastiCache).
 * Errors: BASE_EINPUT when u->seconds is not > 0, a usage figure is negative or not finite, or
 * the scenario has no catalog (it names no pricing file: catalog.region is empty);
 * BASE_EINTERNAL when the scenario's db class or cache type is not in its catalog; BASE_ELIMIT
 * when a line would overflow int64 micro-USD or there would be more than COST_MAX_LINES. On
 * error *out is incomplete. */
int cost_price(const mdl_scenario *s, const cost_usage *u, cost_month *out, base_err *err);

/* Adds one part of a month to *out (not cleared): usage `u` of scenario `s` counted `scale`
 * times, with the lines billed whatever the load (always-on resources for out->month_hours —
 * COST_MONTH_HOURS when not set — and provisioned storage for one month) only when `fixed` —
 * the month's main scenario prices those once. Lines the bill has already
 * (same component, item and unit price) grow instead of repeating, and a tiered item's lines
 * are priced again on the volume of every part so far together (the tiers apply to the month's
 * total, not to each part's). cost_price is this with
 * the scenario's own scale and fixed lines on an empty bill. Errors as cost_price's. */
int cost_price_part(const mdl_scenario *s, const cost_usage *u, double scale, bool fixed,
                    cost_month *out, base_err *err);

/* The sum of bill m's lines that belong to part p, micro-USD. */
int64_t cost_part_total(const cost_month *m, cost_part p);

/* Writes `micro` micro-USD as dollars into buf and returns buf: "$1,234.56" with thousands
 * separators. As Infracost formats a price (internal/output/format.go, formatPrice): $0.10 and
 * more are rounded to 2 decimals (half away from zero); below $0.10 every significant decimal
 * is kept (here up to the 6 of a micro-USD), trailing zeros dropped down to 2: "$0.0004",
 * "$0.05", "$0.00". Negative amounts get a leading '-' ("-$1.50"). Truncates to len - 1
 * characters (a buffer of 32 always suffices). */
const char *cost_format(int64_t micro, char *buf, size_t len);

/* The month's cost per million requests, in US dollars: m->total over the month's requests,
 * requests_in_window × scale (the window's request count scaled as usage is; pass m->scale).
 * Fixed costs (control plane, hours, storage) are included. NaN when there are no requests. */
double cost_per_million(const cost_month *m, double requests_in_window, double scale);

#endif
