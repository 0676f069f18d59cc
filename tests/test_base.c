/*
 * test_base.c — src/base/'s growth rule (base_grow), which every growing array of the tree
 * uses: the first capacity, the doubling, the unchanged array while there is room, and the
 * refusals on overflow that leave the caller's array and capacity as they were.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/base.h"

Test(base_grow, capacities)
{
    static const struct {
        size_t cap, need, first, want; /* from capacity cap, room for need: want */
    } cases[] = {
        {0, 1, 16, 16},     /* the first capacity */
        {16, 17, 16, 32},   /* doubled */
        {32, 100, 16, 128}, /* doubled as often as it takes */
        {0, 3, 0, 4},       /* a first capacity of 0 starts at 1 */
        {0, 300, 256, 512},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t cap = cases[i].cap;
        double *a = malloc(cap ? cap * sizeof *a : 1);
        cr_assert_not_null(a);
        a = base_grow(a, &cap, cases[i].need, sizeof *a, cases[i].first);
        cr_assert_not_null(a, "case %zu", i);
        cr_expect_eq(cap, cases[i].want, "case %zu: capacity %zu, not %zu", i, cap, cases[i].want);
        a[cap - 1] = 1; /* the whole capacity is there (ASan checks) */
        free(a);
    }
}

Test(base_grow, keeps_the_elements_and_the_array_while_there_is_room)
{
    size_t cap = 0;
    int *a = base_grow(NULL, &cap, 16, sizeof *a, 16);
    cr_assert_not_null(a);
    for (int i = 0; i < 16; i++)
        a[i] = i;
    cr_expect_eq(base_grow(a, &cap, 16, sizeof *a, 16), a, "room enough: the same array");
    int *b = base_grow(a, &cap, 17, sizeof *b, 16);
    cr_assert_not_null(b);
    for (int i = 0; i < 16; i++)
        cr_expect_eq(b[i], i, "element %d kept", i);
    free(b);
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
