/*
 * store_child.h — what the results store's tests (test_store.c, test_pgstore.c) share: one child
 * process's part of a round of processes creating one store at once.
 */
#ifndef SIMULATE_TESTS_STORE_CHILD_H
#define SIMULATE_TESTS_STORE_CHILD_H

#include <stdio.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store.h"

/* One child process's part of a round: open the (new) store, record a run, close. Exit 0 on
 * success, 1 with the message on stderr otherwise. */
static inline void store_child_records_a_run(const char *db)
{
    store *st;
    base_err err;
    base_err_clear(&err);
    int64_t id = 0;
    store_run run = {.scenario_name = "concurrent",
                     .scenario_file = "concurrent.yaml",
                     .scenario_text = "name: concurrent\n",
                     .version = "test",
                     .seed = 1,
                     .replications = 1,
                     .fidelity = "flow",
                     .engine = "flow"};
    int rc = store_open(db, &st, &err);
    if (rc == BASE_OK) {
        rc = store_begin(st, &run, &id, &err);
        store_close(st);
    }
    if (rc != BASE_OK)
        fprintf(stderr, "child %ld: %s\n", (long)getpid(), err.msg);
    _exit(rc == BASE_OK ? 0 : 1);
}

#endif
