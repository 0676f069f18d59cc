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

int mdl_db_max_connections(const mdl_scenario *s)
{
    const mdl_db_config *d = &s->db;
    double memory;
    if (!d->enabled)
        return 0;
    if (d->engine == MDL_DB_RDS && d->db_class >= 0)
        memory = (double)s->cluster.catalog.db[d->db_class].memory;
    else if (d->engine == MDL_DB_AURORA)
        memory = d->acu_max * (double)d->memory_per_acu;
    else
        return 0;
    /* bytes per connection: 9531392 (the parameter group's default formula, above) */
    double c = memory / 9531392.0;
    return c < 5000 ? (int)c : 5000;
}
