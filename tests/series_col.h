/*
 * series_col.h — a series table's column by its name, for tests that read a replication's
 * series (test_compute, test_data, test_replicas): one copy instead of one per file.
 */
#ifndef TESTS_SERIES_COL_H
#define TESTS_SERIES_COL_H

#include <criterion/criterion.h>
#include <string.h>

#include "metrics/metrics.h"

/* The index of the column named `name`; fails the test when there is none. */
static inline size_t col(const ser_table *t, const char *name)
{
    for (size_t c = 0; c < ser_cols(t); c++)
        if (!strcmp(ser_name(t, c), name))
            return c;
    cr_assert_fail("no series column %s", name);
    return 0;
}

#endif
