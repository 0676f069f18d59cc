/*
 * alb.c — how the Application Load Balancer picks a target. AWS offers two routing algorithms
 * for a target group: round robin (the default) and least outstanding requests
 * (awsdocs/elb-application-load-balancers-user-guide: load-balancer-target-groups.md, "Routing
 * algorithm"). Only targets that are registered and healthy receive requests.
 */
#include "model/model.h"

int mdl_alb_pick(mdl_alb *alb, const mdl_target *t, size_t n)
{
    if (n == 0)
        return -1;
    size_t i = alb->next < n ? alb->next : 0;
    int best = -1;
    for (size_t k = 0; k < n; k++, i = i + 1 < n ? i + 1 : 0) {
        if (!t[i].ready)
            continue;
        if (alb->algorithm == MDL_ALB_ROUND_ROBIN) {
            best = (int)i;
            break;
        }
        if (best < 0 || t[i].outstanding < t[best].outstanding)
            best = (int)i;
    }
    if (best >= 0)
        alb->next = (size_t)best + 1;
    return best;
}
