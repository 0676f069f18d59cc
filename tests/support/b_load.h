/*
 * b_load.h — a scenario of tests/data/ loaded for a test: tests/data/FOLDER/FILE into the
 * caller's mdl_scenario (large: the caller puts it on the heap or in static storage), the test
 * failing with the file:line:col and message of whatever the loader refused.
 *
 * Included after <criterion/criterion.h> and "io/io.h" by a test built with SIMULATE_TESTDATA.
 */
#ifndef SIMULATE_TESTS_SUPPORT_B_LOAD_H
#define SIMULATE_TESTS_SUPPORT_B_LOAD_H

#include <stdio.h>

static inline void load_testdata(mdl_scenario *s, const char *folder, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", SIMULATE_TESTDATA, folder, file);
    base_err err;
    cr_assert_eq(scn_load(path, s, &err), BASE_OK, "%s:%d:%d: %s", err.file, err.line, err.col,
                 err.msg);
}

#endif
