/*
 * test_alloc.c — the allocator's test hook (src/base/alloc.c) and the out-of-memory paths it
 * opens: each allocation of a small run of either engine made to fail in turn, the run must
 * come back with BASE_ENOMEM (never crash, never another status) and, under the sanitizers'
 * build, leak nothing (ctest fails a test on a LeakSanitizer report).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/base.h"
#include "engine/engine.h"
#include "metrics/metrics.h"
#include "scenario.h"

Test(alloc, off_by_default_and_counts_then_fails, .timeout = 10)
{
    void *a = base_malloc(16);
    cr_assert_not_null(a, "the hook is off until a test sets it");
    free(a);
    base_alloc_fail_after(2);
    void *p = base_malloc(8), *q = base_calloc(2, 8);
    cr_assert_not_null(p);
    cr_assert_not_null(q);
    cr_expect_null(base_malloc(8), "the third allocation fails");
    cr_expect_null(base_calloc(1, 8), "and every one after it");
    cr_expect_null(base_realloc(p, 64), "realloc too");
    base_alloc_fail_after(-1);
    void *r = base_realloc(p, 64);
    cr_assert_not_null(r, "the hook turned off, allocations succeed again");
    free(r);
    free(q);
}

Test(alloc, zero_fails_the_first, .timeout = 10)
{
    base_alloc_fail_after(0);
    cr_expect_null(base_malloc(1));
    cr_expect_null(base_new(int));
    base_alloc_fail_after(-1);
    int *i = base_new(int);
    cr_assert_not_null(i);
    cr_expect_eq(*i, 0, "base_new zeroes");
    free(i);
}

Test(alloc, grow_keeps_the_array_when_it_fails, .timeout = 10)
{
    size_t cap = 0;
    int *a = base_grow(NULL, &cap, 1, sizeof *a, 4);
    cr_assert_not_null(a);
    cr_expect_eq(cap, 4);
    a[0] = 7;
    base_alloc_fail_after(0);
    cr_expect_null(base_grow(a, &cap, 5, sizeof *a, 4));
    cr_expect_eq(cap, 4, "the capacity is unchanged");
    cr_expect_eq(a[0], 7, "the array is still the caller's");
    cr_expect_eq(base_grow(a, &cap, 4, sizeof *a, 4), a, "room already there: no allocation");
    base_alloc_fail_after(-1);
    free(a);
}

Test(alloc, buf_out_of_memory_is_sticky, .timeout = 10)
{
    base_buf b = {0};
    base_alloc_fail_after(0);
    base_buf_adds(&b, "hello");
    cr_expect(b.oom);
    base_alloc_fail_after(-1);
    base_buf_adds(&b, "world");
    cr_expect(b.oom, "a writer looks once at the end: the first failure stays");
    base_buf_free(&b);
}

Test(alloc, metrics_constructors_return_null, .timeout = 10)
{
    static const char *const names[] = {"a"};
    base_alloc_fail_after(0);
    cr_expect_null(hist_new(7, 1000000));
    cr_expect_null(ser_new(1000, 1, names));
    base_alloc_fail_after(-1);
    hist *h = hist_new(7, 1000000);
    cr_assert_not_null(h);
    hist_free(h);
}

/* A small run that reaches the control plane (the HPA scaling up, Karpenter launching nodes),
 * the data tier and the series: tests/data/compute/base.yaml, shorter, with its database. */
static const char *small =
    "seed: 7\n"
    "replications: 1\n"
    "pricing: " SIMULATE_ROOT "/models/pricing/us-east-1.yaml\n"
    "cloudfront: {enabled: false}\n"
    "traffic:\n"
    "  mix: {api_read: 90%, api_write: 10%}\n"
    "  phases:\n"
    "    - {duration: 60s, rate: 100/s}\n"
    "    - {duration: 120s, rate: 600/s}\n"
    "api:\n"
    "  replicas: 2\n"
    "  workers: 4\n"
    "  service: {api_read: 1.25ms, api_write: 1.25ms}\n"
    "  resources:\n"
    "    requests: {cpu: 250m, memory: 256Mi}\n"
    "    limits: {cpu: 4000m, memory: 2Gi}\n"
    "hpa: {enabled: true, min_replicas: 2, max_replicas: 20, cpu_target: 70%}\n"
    "nodes:\n"
    "  enabled: true\n"
    "  system: {instance: t3.medium, count: 1}\n"
    "karpenter:\n"
    "  nodepools:\n"
    "    - {name: general, arch: [amd64], families: [m7i], capacity: [spot]}\n";

/* Fails the k-th allocation for k = 0, 1, ... until the run needs no more than k: every one
 * fails with BASE_ENOMEM, the last succeeds. */
static void sweep(int (*run)(const mdl_scenario *, uint32_t, eng_rep *, base_err *))
{
    static mdl_scenario s;
    scenario(&s, small);
    long k = 0;
    for (;; k++) {
        cr_assert_lt(k, 100000, "the run never succeeded");
        eng_rep rep;
        memset(&rep, 0, sizeof rep);
        base_err err;
        base_alloc_fail_after(k);
        int st = run(&s, 0, &rep, &err);
        base_alloc_fail_after(-1);
        if (st == BASE_OK) {
            eng_rep_clear(&rep);
            break;
        }
        cr_assert_eq(st, BASE_ENOMEM, "allocation %ld failed: status %d (%s)", k, st, err.msg);
    }
    cr_expect_gt(k, 10, "a run allocates (%ld before it succeeded)", k);
}

Test(alloc, request_engine_every_allocation_can_fail, .timeout = 300)
{
    sweep(eng_run_request);
}

Test(alloc, flow_engine_every_allocation_can_fail, .timeout = 300)
{
    sweep(eng_run_flow);
}
