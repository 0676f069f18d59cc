/*
 * test_arrival_slot.c — the kernel's arrival slot (sim_schedule_arrival, src/kernel/engine.c):
 * an arrival stream's next event kept beside the pending-event set instead of in it.
 *
 * Why: the slot exists for speed only; every result of simulate depends on the order in which
 * events run, so an event scheduled through the slot must run exactly where sim_schedule_at
 * would have run it — at its time, after every event of that time scheduled before it and
 * before every one scheduled after it — on every set (heap, ladder, the adaptive one across
 * its moves between the small array, the heap and the ladder), with sim_run's `until`, sim_stop,
 * cancellations of other events and a second arrival while the slot is full. Each workload is
 * run twice, once with its arrivals through the slot and once through sim_schedule_at, and the
 * two traces (time, event id, pending count) must be identical; the order is also checked
 * directly. Times are drawn on a coarse grid so that ties between arrivals and other events are
 * common.
 *
 * Every test has .timeout = 60 and runs in the sanitizer build; no test measures time.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sim.h"
#include "splitmix.h"

static double u01(uint64_t *s)
{
    return ((double)(splitmix64(s) >> 11) + 0.5) * 0x1p-53; /* (0, 1) */
}

/* ---------------------------------------------------------------- direct checks */

typedef struct order_log {
    sim_engine *e;
    int ids[16];
    sim_time at[16];
    int n;
} order_log;

static void log_event(void *ctx, void *arg)
{
    order_log *l = ctx;
    cr_assert_lt(l->n, 16);
    l->ids[l->n] = (int)(intptr_t)arg;
    l->at[l->n] = sim_now(l->e);
    l->n++;
}

static void *id(int i)
{
    return (void *)(intptr_t)i;
}

static const sim_pes_kind kinds[] = {SIM_PES_HEAP, SIM_PES_LADDER, SIM_PES_AUTO};

Test(arrival_slot, ties_run_in_scheduling_order, .timeout = 60)
{
    for (int k = 0; k < 3; k++) {
        order_log l = {.e = sim_new_with(kinds[k])};
        cr_assert_not_null(l.e);
        sim_schedule_at(l.e, 100, log_event, &l, id(1));
        sim_schedule_arrival(l.e, 100, log_event, &l, id(2)); /* the slot: after 1 */
        sim_schedule_at(l.e, 100, log_event, &l, id(3));      /* after the slot's */
        sim_schedule_at(l.e, 50, log_event, &l, id(4));       /* earlier than all */
        sim_schedule_arrival(l.e, 100, log_event, &l, id(5)); /* the slot is full: the set's */
        cr_assert_eq(sim_pending(l.e), 5);
        cr_assert_eq(sim_run(l.e, SIM_NEVER, NULL), BASE_OK);
        int want[] = {4, 1, 2, 3, 5};
        cr_assert_eq(l.n, 5, "%s: %d events ran", sim_pes_name(l.e), l.n);
        for (int i = 0; i < 5; i++)
            cr_assert_eq(l.ids[i], want[i], "%s: event %d is %d, not %d", sim_pes_name(l.e), i,
                         l.ids[i], want[i]);
        cr_assert_eq(sim_pending(l.e), 0);
        cr_assert_eq(sim_events_run(l.e), 5);
        sim_free(l.e);
    }
}

Test(arrival_slot, until_stops_before_a_later_arrival, .timeout = 60)
{
    for (int k = 0; k < 3; k++) {
        order_log l = {.e = sim_new_with(kinds[k])};
        cr_assert_not_null(l.e);
        sim_schedule_arrival(l.e, 300, log_event, &l, id(1));
        sim_schedule_at(l.e, 200, log_event, &l, id(2));
        cr_assert_eq(sim_run(l.e, 250, NULL), BASE_OK);
        cr_assert_eq(l.n, 1);
        cr_assert_eq(l.ids[0], 2);
        cr_assert_eq(sim_now(l.e), 250);
        cr_assert_eq(sim_pending(l.e), 1, "the arrival is still pending");
        /* an arrival earlier than now runs now, as sim_schedule_at's would */
        cr_assert_eq(sim_run(l.e, 299, NULL), BASE_OK);
        cr_assert_eq(l.n, 1);
        cr_assert_eq(sim_run(l.e, 300, NULL), BASE_OK);
        cr_assert_eq(l.n, 2);
        cr_assert_eq(l.ids[1], 1);
        cr_assert_eq(l.at[1], 300);
        sim_schedule_arrival(l.e, 10, log_event, &l, id(3)); /* in the past: at now */
        cr_assert_eq(sim_run(l.e, SIM_NEVER, NULL), BASE_OK);
        cr_assert_eq(l.n, 3);
        cr_assert_eq(l.at[2], 300);
        sim_free(l.e);
    }
}

/* ---------------------------------------------------------------- differential workloads */

/* A queue fed by an arrival stream: each arrival schedules the next one (through the slot or
 * not) and some services; services schedule more, get cancelled, stop the run. Bursts push the
 * adaptive set past the small array's 32 keys and the heap's 768, and back. */
typedef struct flow {
    sim_engine *e;
    int slot; /* arrivals through sim_schedule_arrival */
    uint64_t s, next_id, arrivals_left, cancelled;
    sim_time grid;     /* times are multiples of this: ties everywhere */
    sim_handle hs[64]; /* recent service handles, for cancellations */
    sim_time last_t;   /* the order check */
    uint64_t last_id;  /* ids are given in scheduling order */
    bool ran_any;
    uint64_t *tr; /* (time, id, pending) per event run */
    size_t n, cap;
    const char *fail;
} flow;

static void record(flow *f, uint64_t a, uint64_t b, uint64_t c)
{
    if (f->n + 3 > f->cap) {
        f->cap = f->cap ? 2 * f->cap : 3 * 4096;
        f->tr = realloc(f->tr, f->cap * sizeof *f->tr);
        if (!f->tr)
            abort();
    }
    f->tr[f->n++] = a;
    f->tr[f->n++] = b;
    f->tr[f->n++] = c;
}

static sim_time draw(flow *f, double mean)
{
    double x = -log(u01(&f->s)) * mean;
    return (sim_time)(x / (double)f->grid) * f->grid; /* floored to the grid: 0 is common */
}

static void on_service(void *ctx, void *arg);

static void checked(flow *f, uint64_t eid)
{
    sim_time now = sim_now(f->e);
    if (f->ran_any && (f->last_t > now || (f->last_t == now && f->last_id >= eid)))
        f->fail = "events out of (time, insertion) order";
    f->ran_any = true;
    f->last_t = now;
    f->last_id = eid;
    record(f, (uint64_t)now, eid, sim_pending(f->e));
}

static void service(flow *f, sim_time delay)
{
    sim_handle h = sim_schedule(f->e, delay, on_service, f, id((int)f->next_id++));
    if (h == SIM_NO_EVENT)
        f->fail = "a schedule failed";
    f->hs[splitmix64(&f->s) % 64] = h;
}

static void on_arrival(void *ctx, void *arg)
{
    flow *f = ctx;
    checked(f, (uint64_t)(intptr_t)arg);
    if (f->arrivals_left > 0) {
        f->arrivals_left--;
        sim_time at = sim_now(f->e) + draw(f, 1e6);
        void *a = id((int)f->next_id++);
        if (f->slot)
            sim_schedule_arrival(f->e, at, on_arrival, f, a);
        else
            sim_schedule_at(f->e, at, on_arrival, f, a);
    }
    double r = u01(&f->s);
    int k = r < 0.002 ? 40 + (int)(splitmix64(&f->s) % 1200) : 1; /* a burst, or one service */
    for (int i = 0; i < k; i++)
        service(f, draw(f, r < 0.002 ? 2e8 : 9e6));
    if (u01(&f->s) < 0.1)
        f->cancelled += sim_cancel(f->e, f->hs[splitmix64(&f->s) % 64]);
    if (u01(&f->s) < 0.001)
        sim_stop(f->e);
}

static void on_service(void *ctx, void *arg)
{
    flow *f = ctx;
    checked(f, (uint64_t)(intptr_t)arg);
    if (u01(&f->s) < 0.05)
        service(f, draw(f, 1e6)); /* a follow-up step, sometimes at now */
    if (u01(&f->s) < 0.0005)
        sim_stop(f->e);
}

static void flow_run(flow *f, sim_pes_kind kind, int slot, uint64_t seed, sim_time grid,
                     uint64_t arrivals)
{
    memset(f, 0, sizeof *f);
    f->e = sim_new_with(kind);
    cr_assert_not_null(f->e);
    f->slot = slot;
    f->s = seed;
    f->grid = grid;
    f->arrivals_left = arrivals;
    if (slot)
        sim_schedule_arrival(f->e, 0, on_arrival, f, id((int)f->next_id++));
    else
        sim_schedule_at(f->e, 0, on_arrival, f, id((int)f->next_id++));
    while (sim_pending(f->e) > 0 && !f->fail) {
        /* runs in slices; the workload's dice are not touched here, so both runs slice alike */
        sim_time until = sim_now(f->e) + (sim_time)(f->n % 7 == 0 ? 0 : 3000000);
        if (sim_run(f->e, until, NULL) != BASE_OK)
            f->fail = "sim_run failed";
        record(f, (uint64_t)sim_now(f->e), UINT64_MAX, sim_pending(f->e));
    }
    if (!f->fail && sim_events_run(f->e) + f->cancelled != f->next_id)
        f->fail = "events lost or duplicated";
    sim_free(f->e);
    f->e = NULL;
}

static void same_with_and_without_slot(uint64_t seed, sim_time grid, uint64_t arrivals)
{
    for (int k = 0; k < 3; k++) {
        flow a, b;
        flow_run(&a, kinds[k], 0, seed, grid, arrivals);
        flow_run(&b, kinds[k], 1, seed, grid, arrivals);
        cr_assert_null(a.fail, "kind %d, seed %llu, without the slot: %s", k,
                       (unsigned long long)seed, a.fail);
        cr_assert_null(b.fail, "kind %d, seed %llu, with the slot: %s", k, (unsigned long long)seed,
                       b.fail);
        cr_assert_gt(a.n, 3 * arrivals, "the workload ran");
        size_t n = a.n < b.n ? a.n : b.n;
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(a.tr[i], b.tr[i], "kind %d, seed %llu: traces differ at %zu", k,
                         (unsigned long long)seed, i / 3);
        cr_assert_eq(a.n, b.n, "kind %d: trace lengths", k);
        free(a.tr);
        free(b.tr);
    }
}

Test(arrival_slot, same_order_as_the_set_coarse_grid, .timeout = 60)
{
    same_with_and_without_slot(1, 1000000, 60000); /* 1 ms grid: ties at every step */
    same_with_and_without_slot(2, 100000, 60000);
}

Test(arrival_slot, same_order_as_the_set_fine_grid, .timeout = 60)
{
    same_with_and_without_slot(3, 1, 60000);
    same_with_and_without_slot(4, 1000, 60000);
}
