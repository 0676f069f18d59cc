/*
 * scenario.h — a scenario from YAML text for the tests that run the engines in-process
 * (test_engine.c, test_components.c): parsed and bound as `simulate` does, any error failing
 * the test with its line and column.
 */
#ifndef SIMULATE_TESTS_SCENARIO_H
#define SIMULATE_TESTS_SCENARIO_H

#include <criterion/criterion.h>
#include <string.h>

#include "io/io.h"

static void scenario(mdl_scenario *s, const char *yaml)
{
    scn_doc *doc = NULL;
    base_err err;
    cr_assert_eq(scn_doc_parse("inline", yaml, strlen(yaml), &doc, &err), BASE_OK, "%d:%d: %s",
                 err.line, err.col, err.msg);
    cr_assert_eq(scn_bind(doc, s, &err), BASE_OK, "%d:%d: %s", err.line, err.col, err.msg);
    scn_doc_free(doc);
}

#endif
