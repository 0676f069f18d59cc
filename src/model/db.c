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
