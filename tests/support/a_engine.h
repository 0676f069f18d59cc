/*
 * a_engine.h — what the tests that play the request engine in-process share (test_compute,
 * test_data, test_engine): one replication run, any error failing the test with its message,
 * and a run's failed requests summed over their causes. One copy instead of one per file.
 */
#ifndef SIMULATE_TESTS_A_ENGINE_H
#define SIMULATE_TESTS_A_ENGINE_H

#include <criterion/criterion.h>
#include <stdint.h>

#include "engine/engine.h"

/* Replication `rep` of the request engine on s into *out; an error fails the test. */
static inline void run_request(const mdl_scenario *s, uint32_t rep, eng_rep *out)
{
    base_err err;
    cr_assert_eq(eng_run_request(s, rep, out, &err), BASE_OK, "%s", err.msg);
}

/* The requests r failed, every cause counted. */
static inline double errors_total(const eng_rep *r)
{
    double n = 0;
    for (int c = 0; c < MDL_NCAUSE; c++)
        n += r->errors[c];
    return n;
}

#endif
