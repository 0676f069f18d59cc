/*
 * keys.h — the scenario's key tables, one data file per component (private to src/io/, scn__
 * names). Each file holds its component's sections in designated-initializer rows (see struct
 * key in io/bind.h) and exports the one section the top level names; keys/top.c holds the top
 * level, and schema.c walks the tree from scn__top_section to bind, list assumptions and write
 * docs/scenarios.md.
 *
 * Adding a component's keys: a file here with its rows and `const section scn__NAME_section`,
 * its line below, and one row in keys/top.c's top_keys (which fixes its place in
 * docs/scenarios.md and `simulate keys`).
 */
#ifndef SIMULATE_IO_KEYS_H
#define SIMULATE_IO_KEYS_H

#include "io/bind.h"

extern const section scn__top_section; /* keys/top.c: the file's top level */

extern const section scn__traffic_section;   /* keys/traffic.c */
extern const section scn__cdn_section;       /* keys/cdn.c */
extern const section scn__alb_section;       /* keys/alb.c */
extern const section scn__api_section;       /* keys/api.c */
extern const section scn__db_section;        /* keys/database.c */
extern const section scn__pgb_section;       /* keys/pgbouncer.c */
extern const section scn__redis_section;     /* keys/redis.c */
extern const section scn__hpa_section;       /* keys/hpa.c */
extern const section scn__metrics_section;   /* keys/hpa.c: metrics_server */
extern const section scn__nodes_section;     /* keys/nodes.c */
extern const section scn__karpenter_section; /* keys/karpenter.c */
extern const section scn__spot_section;      /* keys/spot.c */
extern const section scn__event_section;     /* keys/events.c */
extern const section scn__network_section;   /* keys/costs.c */
extern const section scn__month_section;     /* keys/costs.c */
extern const section scn__secrets_section;   /* keys/secrets.c */
extern const section scn__dns_section;       /* keys/dns.c */
extern const section scn__alarm_section;     /* keys/alarms.c */
extern const section scn__dr_section;        /* keys/dr.c */

#endif
