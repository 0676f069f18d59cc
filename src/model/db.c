/*
 * db.c — the database of this slice: a multi-server queue visited once per query. RDS, Aurora
 * and PgBouncer replace it with issue 4.
 */
#include "model/model.h"

#include <math.h>

int mdl_db_queries(const mdl_db_config *d, mdl_class c, sim_rng *r)
{
    double q = d->queries[c];
    double whole = floor(q);
    double frac = q - whole;
    int n = (int)whole;
    if (frac > 0 && sim_rng_uniform(r) < frac)
        n++;
    return n;
}

/* Aurora PostgreSQL Serverless v2's default max_connections by the maximum capacity (AWS Aurora
 * user guide, "Performance and scaling for Aurora Serverless v2", section "Maximum connections
 * for Aurora Serverless v2", the table's PostgreSQL column; awsdocs/amazon-aurora-user-guide,
 * doc_source/aurora-serverless-v2.setting-capacity.md). Aurora evaluates the memory formula at
 * the maximum ACUs, not the current ones, and holds the figure while capacity moves; these are
 * below LEAST(memory / 9531392, 5000) of 2 GiB an ACU (189, not 225, at 1 ACU) because
 * DBInstanceClassMemory is less than the nominal memory. */
static const struct {
    double acu;
    double conns;
} aurora_pg_conns[] = {{1, 189}, {4, 823}, {8, 1669}, {16, 3360}, {32, 5000}};

/* The same guide's note (and AWS re:Post, "Working of max_connections for Amazon Aurora
 * PostgreSQL Serverless", its examples 0.5-16 ACU -> 2000, 1-16 ACU -> 3360): with a minimum
 * capacity of 0 or 0.5 ACUs, PostgreSQL-compatible instances cap max_connections at 2,000. */
#define AURORA_LOW_MIN_CAP 2000.0

int mdl_db_aurora_max_connections(double acu_min, double acu_max)
{
    enum { N = sizeof aurora_pg_conns / sizeof aurora_pg_conns[0] };
    double c;
    if (acu_max <= aurora_pg_conns[0].acu) {
        /* below the table (0.5 ACU): in proportion to the memory, as the formula is */
        c = aurora_pg_conns[0].conns * acu_max / aurora_pg_conns[0].acu;
    } else if (acu_max >= aurora_pg_conns[N - 1].acu) {
        c = aurora_pg_conns[N - 1].conns; /* the formula's LEAST(.., 5000) from 32 ACUs up */
    } else {
        /* between two rows: linear in the maximum ACUs (the formula is linear in memory, so
         * between rows this errs by the change in the OS's share only: 1,669 at 8 ACUs and
         * 3,360 at 16 give 2,514.5 at 12) */
        int i = 1;
        while (aurora_pg_conns[i].acu < acu_max)
            i++;
        double a0 = aurora_pg_conns[i - 1].acu, a1 = aurora_pg_conns[i].acu;
        double c0 = aurora_pg_conns[i - 1].conns, c1 = aurora_pg_conns[i].conns;
        c = c0 + (c1 - c0) * (acu_max - a0) / (a1 - a0);
    }
    if (acu_min <= 0.5 && c > AURORA_LOW_MIN_CAP)
        c = AURORA_LOW_MIN_CAP;
    return (int)floor(c);
}

int mdl_db_max_connections(const mdl_scenario *s)
{
    const mdl_db_config *d = &s->db;
    if (!d->enabled)
        return 0;
    if (d->engine == MDL_DB_AURORA)
        return mdl_db_aurora_max_connections(d->acu_min, d->acu_max);
    if (d->engine != MDL_DB_RDS || d->db_class < 0)
        return 0;
    /* RDS for PostgreSQL: LEAST({DBInstanceClassMemory/9531392}, 5000) (AWS RDS user guide,
     * "Maximum number of database connections"; reference/aws-prices.md §3). The nominal
     * memory overstates DBInstanceClassMemory a little (the OS's share is excluded), so this
     * is an upper bound. */
    double c = floor((double)s->cluster.catalog.db[d->db_class].memory / 9531392.0);
    return c < 5000 ? (int)c : 5000;
}
