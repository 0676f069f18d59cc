/*
 * test_plan_bounds.c — the planner's analytic bound (src/plan/bounds.c) with read replicas
 * added under load (issue 19): the replicas a `replica_scaling` rule may add count towards the
 * database's capacity, so a configuration whose primary alone cannot carry the peak but whose
 * rule can add enough is not pruned; and the rule's keys are monotone knobs (src/io/plan.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/io.h"
#include "model/model.h"
#include "plan/plan.h"

#define READ_REPLICAS SIMULATE_ROOT "/scenarios/read-replicas.yaml"

/* The database's demand the bound computed, from its message ("need X vCPUs"); -1: none. */
static double demand_of(const mdl_scenario *s)
{
    char why[256] = "";
    if (!plan_bound(s, why, sizeof why))
        return -1;
    const char *at = strstr(why, "need ");
    cr_assert_not_null(at, "%s", why);
    cr_assert_not_null(strstr(why, "database"), "pruned for another reason: %s", why);
    return strtod(at + 5, NULL);
}

Test(plan_bounds, the_rules_replicas_count_towards_the_database)
{
    static mdl_scenario s;
    base_err err;
    base_err_clear(&err);
    cr_assert_eq(scn_load(READ_REPLICAS, &s, &err), BASE_OK, "%s", err.msg);
    cr_assert(s.db.replica_scaling.enabled && s.db.engine == MDL_DB_RDS);
    const cost_db_class *c = &s.cluster.catalog.db[s.db.db_class];
    double primary = c->vcpu; /* db.t3.medium: 2 vCPUs (its replicas the same class) */
    /* the scenario's queries scaled until the bound's demand is 2.5 primaries: more than the
     * primary, less than the primary and the rule's 4 replicas */
    s.db.replica_scaling.enabled = false;
    for (int k = 0; k < MDL_NCLASS; k++)
        s.db.queries[k] *= 1000;
    double d = demand_of(&s);
    cr_assert_gt(d, 0, "1000 times the queries still fit one primary");
    for (int k = 0; k < MDL_NCLASS; k++)
        s.db.queries[k] *= 2.5 * primary / d;
    cr_assert_gt(demand_of(&s), 0, "without the rule the primary alone is pruned");

    s.db.replica_scaling.enabled = true; /* max 4: the primary and 4 replicas, 5 primaries */
    char why[256] = "";
    cr_assert_eq(plan_bound(&s, why, sizeof why), 0, "the rule's replicas were not counted: %s",
                 why);
    s.db.replica_scaling.max = 1; /* 2 primaries' worth: still short */
    cr_assert_gt(demand_of(&s), 0);
    cr_assert_eq(plan_bound(&s, why, sizeof why), 1);
    cr_assert_not_null(strstr(why, "with 1 replica gives"), "%s", why);
    /* fixed replicas count towards the rule's max, and are never removed: 2 fixed, max 1 */
    s.db.read_replicas = 2;
    cr_assert_eq(plan_bound(&s, why, sizeof why), 0, "%s", why);
}

Test(plan_bounds, the_rules_keys_are_monotone_knobs)
{
    char path[] = "/tmp/simulate-plan-bounds-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "extends: %s\n"
                     "plan:\n"
                     "  knobs:\n"
                     "    database.replica_scaling.max: [1, 2, 4]\n"
                     "    database.replica_scaling.min: [0, 1]\n"
                     "    database.replica_scaling.target: [50%%, 70%%]\n",
                     READ_REPLICAS);
    cr_assert_eq(write(fd, text, (size_t)n), n);
    close(fd);
    scn_plan *p = NULL;
    base_err err;
    base_err_clear(&err);
    int st = scn_plan_load(path, &p, &err);
    unlink(path);
    cr_assert_eq(st, BASE_OK, "%s", err.msg);
    cr_assert_eq(p->nknobs, 3);
    for (size_t k = 0; k < p->nknobs; k++) {
        /* more replicas allowed or kept: more capacity, never cheaper; a lower target adds
         * them sooner (as hpa.cpu_target) */
        int want = strstr(p->knobs[k].key, "target") ? -1 : 1;
        cr_expect_eq(p->knobs[k].monotone, want, "%s", p->knobs[k].key);
    }
    scn_plan_free(p);
}
