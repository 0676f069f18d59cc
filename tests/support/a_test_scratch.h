/*
 * a_test_scratch.h — one scratch folder per test for the suites whose every test runs the binary
 * (test_args, test_check, test_cli): `sc`, made by the suite's .init and removed by its .fini
 * even when an assertion ends the test, instead of an open and a close in every test:
 *
 *     TestSuite(name, .init = open_scratch, .fini = scratch_fini);
 *
 * Includes support.h (define SUPPORT_NAME and RUN_LIMIT_S first) and a_scratch.h.
 */
#ifndef SIMULATE_TESTS_A_TEST_SCRATCH_H
#define SIMULATE_TESTS_A_TEST_SCRATCH_H

/* the suite opens and removes the folder: scratch_close, for tests that hold their own, is
 * unused here */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../support.h"
#pragma GCC diagnostic pop

#include "a_scratch.h"

/* The running test's scratch folder (each test is a process). */
static scratch sc;

/* The suite's .init. */
static void open_scratch(void)
{
    scratch_open(&sc);
}

#endif
