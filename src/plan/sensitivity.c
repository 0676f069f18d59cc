/*
 * sensitivity.c — how each knob moves cost and latency at the winner: one step down and up,
 * screened on the winner's common random numbers, the paired change of cost and p99.
 */
#include "plan/internal.h"

#include <math.h>
#include <string.h>

int plan__sensitivity(plan__search *S, base_err *err)
{
    plan_result *r = S->r;
    for (size_t k = 0; k < S->p->nknobs; k++) {
        plan_sensitivity *ps = &r->sens[k];
        *ps = (plan_sensitivity){NAN, NAN, NAN, NAN, -1, -1};
        for (int dir = -1; dir <= 1; dir += 2) {
            size_t choice[SCN_PLAN_MAX_KNOBS];
            memcpy(choice, r->cfg[r->winner].choice, sizeof choice);
            if ((dir < 0 && choice[k] == 0) || (dir > 0 && choice[k] + 1 >= S->p->knobs[k].n))
                continue;
            choice[k] += (size_t)(long)dir;
            char why[256];
            int st = plan__bind(S, choice, 0, &S->tmp[S->nruns], err);
            if (st != BASE_OK)
                return st;
            if (plan_bound(&S->tmp[S->nruns], why, sizeof why))
                continue;
            int i = plan__find_or_add(S, choice);
            if (i < 0)
                return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            if ((st = plan__simulate(S, &i, 1, S->n0, err)) != BASE_OK)
                return st;
            const plan_config *w = &r->cfg[r->winner], *n = &r->cfg[i];
            double dc = plan__paired(S, n, w, PLAN_COST).mean,
                   dp = plan__paired(S, n, w, PLAN_P99).mean;
            int ok = !plan__clearly_infeasible(n);
            if (dir > 0) {
                ps->cost_up = dc;
                ps->p99_up = dp;
                ps->up_feasible = ok;
            } else {
                ps->cost_down = dc;
                ps->p99_down = dp;
                ps->down_feasible = ok;
            }
        }
    }
    return BASE_OK;
}
