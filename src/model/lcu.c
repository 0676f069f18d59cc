/*
 * lcu.c — ALB capacity units (model.h, "ALB capacity units"): the four dimensions AWS meters,
 * each averaged over the hour, with new and active connections from a keep-alive model, so the
 * request engine and the flow engine meter the ALB the same way (both call these from
 * src/engine/record.c every series interval).
 */
#include "model/model.h"

#include <math.h>

/* One LCU of each dimension (aws.amazon.com/elasticloadbalancing/pricing, "LCU details", as
 * transcribed by ELB 2026-09-20: reference/aws-prices.md §6). */
#define LCU_NEW_PER_S   25.0   /* new connections per second */
#define LCU_ACTIVE      3000.0 /* active connections (per minute) */
#define LCU_GB_PER_HOUR 1.0    /* processed GB per hour, EC2/container/IP targets */
#define LCU_RULES_PER_S 1000.0 /* rule evaluations per second */
#define LCU_FREE_RULES  10     /* "the first 10 processed rules are free" */

void mdl_alb_meter_add(mdl_alb_meter *m, double requests, double bytes, double dt, double sources,
                       double keepalive)
{
    if (!(dt > 0))
        return;
    m->seconds += dt;
    m->bytes += bytes;
    m->requests += requests;
    if (!(requests > 0))
        return;
    /* less than one client (a fraction of a user): the requests still need a connection */
    double n = sources >= 1 ? sources : 1;
    double per = requests / dt / n; /* one client's request rate, /s */
    /* a request finds its client's connection closed when the client sent nothing in the last
     * keepalive seconds (Poisson: exp(-per × keepalive)); that client's connection is open
     * while its last request is younger than keepalive: 1 - exp(-per × keepalive) of them */
    double idle = exp(-per * keepalive);
    m->new_conns += requests * idle;
    m->conn_seconds += n * (1 - idle) * dt;
}

double mdl_alb_lcus(const mdl_alb_meter *m, int rules)
{
    if (!(m->seconds > 0))
        return 0;
    double hours = m->seconds / 3600.0;
    double fresh = m->new_conns / m->seconds / LCU_NEW_PER_S;
    double active = m->conn_seconds / m->seconds / LCU_ACTIVE;
    double gb = m->bytes / 1e9 / hours / LCU_GB_PER_HOUR;
    int billed = rules > LCU_FREE_RULES ? rules - LCU_FREE_RULES : 0;
    double evals = m->requests / m->seconds * billed / LCU_RULES_PER_S;
    return fmax(fmax(fresh, active), fmax(gb, evals));
}
