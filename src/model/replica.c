/*
 * replica.c — how far the DR region's RDS read replica is behind the primary.
 *
 * PostgreSQL replays the primary's WAL on a replica in one process (PostgreSQL wiki, "Parallel
 * Recovery": records are "replayed at replica in a single thread"), while the primary writes it
 * from many backends at once. Replay is cheaper than the write was — it applies physical page
 * changes, with no parsing, planning or index search (Cybertec, "End of the road for PostgreSQL
 * streaming replication?", 2025) — so it keeps up until the writes' replay work needs more
 * than that one vCPU; beyond, the WAL waiting to be applied grows as a fluid backlog (work in,
 * at most one vCPU-second a second out), and the replica's lag is the time to apply it.
 *
 * The lag with nothing waiting (shipping the WAL across regions, the receiver's flushes) stays
 * the scenario's `dr.replica_lag` distribution, drawn at the failure; this adds the backlog.
 */
#include "model/model.h"

double mdl_replica_replay_cost(const mdl_scenario *s)
{
    const mdl_db_config *db = &s->db;
    return s->dr.replica_replay_share * db->queries[MDL_API_WRITE] * sim_dist_mean(&db->write_time);
}

double mdl_replica_backlog(const mdl_scenario *s, double backlog_s, double writes, double dt_s)
{
    double b = backlog_s + writes * mdl_replica_replay_cost(s) - dt_s;
    return b > 0 ? b : 0;
}
