/*
 * keys/spot.c — the scenario keys of spot: EC2 Spot.
 */
#include "io/keys/keys.h"

/* spot.discount overrides the pricing file's default for every type; bound into a scratch
 * field and applied in scn_bind once the pricing file is read. */
static const key spot_keys[] = {
    {.name = "discount",
     .bind = scn__bind_percent,
     .off = OFF(cluster.spot_discount_override),
     .def = "(the pricing file's default_discount)",
     .type = "percent",
     .min = 0,
     .max = 1,
     .range = "0%..100%",
     .doc = "Spot price as a discount off On-Demand, for every type."},
    {.name = "interruption_rate",
     .bind = scn__bind_monthly_share,
     .off = OFF(cluster.spot_interruption_rate),
     .def = "5%",
     .type = "percent",
     .min = 0,
     .max = 0.999,
     .range = "0%..99.9%",
     .doc = "Share of Spot nodes interrupted within a month (the Spot Instance Advisor's "
            "frequency of interruption), as a constant hazard per node.",
     .source = "AWS Spot Instance Advisor: historically < 5% (behaviour.md §4)"},
    {.name = "notice",
     .bind = scn__bind_duration,
     .off = OFF(cluster.spot_notice),
     .def = "2m",
     .type = "duration",
     .min = 0,
     .max = 3600e9,
     .range = "0s..1h",
     .doc = "Interruption warning before the instance stops.",
     .source = "EC2 user guide: 2-minute notice"},
};
const section scn__spot_section = {"spot", "EC2 Spot.", spot_keys, NKEYS(spot_keys)};
