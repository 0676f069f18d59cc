/*
 * test_base.c — src/base/'s growth rule (base_grow), which every growing array of the tree
 * uses: the first capacity, the doubling, the unchanged array while there is room, and the
 * refusals on overflow that leave the caller's array and capacity as they were.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/base.h"

Test(base_grow, first_capacity_then_doubling)
{
    size_t cap = 0;
    int *a = base_grow(NULL, &cap, 1, sizeof *a, 16);
    cr_assert_not_null(a);
    cr_expect_eq(cap, 16);
    for (int i = 0; i < 16; i++)
        a[i] = i;
    int *b = base_grow(a, &cap, 17, sizeof *b, 16);
    cr_assert_not_null(b);
    cr_expect_eq(cap, 32);
    for (int i = 0; i < 16; i++)
        cr_expect_eq(b[i], i, "element %d kept", i);
    /* doubled as often as it takes: 32 -> 64 -> 128 */
    int *c = base_grow(b, &cap, 100, sizeof *c, 16);
    cr_assert_not_null(c);
    cr_expect_eq(cap, 128);
    free(c);
}

Test(base_grow, room_enough_returns_the_same_array)
{
    size_t cap = 0;
    char *a = base_grow(NULL, &cap, 10, 1, 256);
    cr_assert_not_null(a);
    cr_expect_eq(cap, 256);
    cr_expect_eq(base_grow(a, &cap, 256, 1, 256), a);
    cr_expect_eq(cap, 256);
    free(a);
}

Test(base_grow, first_zero_starts_at_one)
{
    size_t cap = 0;
    double *a = base_grow(NULL, &cap, 3, sizeof *a, 0);
    cr_assert_not_null(a);
    cr_expect_eq(cap, 4);
    free(a);
}

Test(base_grow, overflow_is_refused_and_leaves_the_array)
{
    size_t cap = 8;
    char *a = malloc(cap);
    cr_assert_not_null(a);
    /* the element count cannot double past SIZE_MAX, nor the bytes past it */
    cr_expect_null(base_grow(a, &cap, SIZE_MAX, 1, 8));
    cr_expect_eq(cap, 8);
    cr_expect_null(base_grow(a, &cap, SIZE_MAX / 16, 64, 8));
    cr_expect_eq(cap, 8);
    free(a); /* still the caller's */
}
