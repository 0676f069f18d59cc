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
#include "metrics/metrics.h" /* slo_parse: objectives */

extern const section scn__top_section; /* keys/top.c: the file's top level */

/* The sections the top level names, one a component: keys/traffic.c, cdn.c, alb.c, api.c,
 * database.c (db), pgbouncer.c (pgb), redis.c, hpa.c (hpa, metrics_server), nodes.c,
 * karpenter.c, spot.c, events.c, costs.c (network, month), secrets.c, dns.c, alarms.c, dr.c,
 * schedule.c (schedule: its row binds with scn__bind_schedule), regions.c (regions: with
 * scn__bind_regions). */
extern const section scn__traffic_section, scn__cdn_section, scn__alb_section, scn__api_section,
    scn__db_section, scn__pgb_section, scn__redis_section, scn__hpa_section, scn__metrics_section,
    scn__nodes_section, scn__karpenter_section, scn__spot_section, scn__event_section,
    scn__network_section, scn__month_section, scn__secrets_section, scn__dns_section,
    scn__alarm_section, scn__dr_section, scn__schedule_section, scn__regions_section;
int scn__bind_schedule(const key *k, const scn_node *n, bctx *c);
int scn__bind_regions(const key *k, const scn_node *n, bctx *c);

#endif
