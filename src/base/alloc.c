/*
 * alloc.c — the allocator every room calls (base_malloc, base_calloc, base_realloc) and its one
 * test hook, base_alloc_fail_after, so that the out-of-memory paths can be run by a test: a
 * path nobody has run is a path that leaks or crashes the day it is taken.
 *
 * The hook is process state, not a parameter: an allocator threaded through every *_new (as
 * Lua's lua_Alloc is) would change every constructor's signature for a test's sake. The count is
 * atomic, since a run's replications allocate on several threads; with the hook off (the
 * default, and always outside tests) an allocation costs one relaxed load more than malloc's.
 */
#include "base/base.h"

#include <stdatomic.h>
#include <stdlib.h>

/* Allocations left before they fail: < 0 never (off). */
static atomic_long fail_after = -1;

void base_alloc_fail_after(long n)
{
    atomic_store(&fail_after, n < 0 ? -1 : n);
}

/* Whether this allocation is to fail: the count reached 0. Once it has, every later one fails
 * too (out of memory does not heal), until the hook is set again. */
static int fails(void)
{
    long n = atomic_load_explicit(&fail_after, memory_order_relaxed);
    while (n > 0)
        if (atomic_compare_exchange_weak(&fail_after, &n, n - 1))
            return 0;
    return n == 0;
}

void *base_malloc(size_t size)
{
    return fails() ? NULL : malloc(size);
}

void *base_calloc(size_t n, size_t size)
{
    return fails() ? NULL : calloc(n, size);
}

void *base_realloc(void *p, size_t size)
{
    return fails() ? NULL : realloc(p, size);
}
