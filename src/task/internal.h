/*
 * internal.h — what the files of src/task/ share and nothing else includes.
 */
#ifndef SIMULATE_TASK_INTERNAL_H
#define SIMULATE_TASK_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "task/task.h"

/* A task's status before it ran (statuses are BASE_OK or negative). */
#define TASK__NOT_RUN 1

/* One list being run in this process: the threads (and, on rank 0, the coordinator) take the
 * next position of `order` until none is left or `stop` is set. */
typedef struct task__pool {
    const task_list *l;
    size_t *order;        /* l->n task indices, largest first */
    _Atomic size_t next;  /* the next position of order to hand out */
    _Atomic int stop;     /* a task failed and the list stops early (MPI only) */
    int *status;          /* per task; TASK__NOT_RUN until it ran */
    base_err *errs;       /* per task */
    pthread_mutex_t lock; /* serialises l->done */
} task__pool;

/* The next task index to run, or (size_t)-1 when none is left. */
size_t task__take(task__pool *p);

/* Runs task i here, records its status and, where report is set, calls l->done. */
void task__one(task__pool *p, size_t i, bool report);

/* Starts up to jobs - 1 threads running `fn` on p (the caller is the jobs-th); returns how many
 * started. tid has TASK_MAX_JOBS entries. */
int task__spawn(void *(*fn)(void *), void *arg, int jobs, pthread_t *tid);

/* The first failed task's status by index (its error into *err), or BASE_OK. */
int task__status(const task__pool *p, base_err *err);

/* Under MPI with more than one rank: runs the list over the ranks (mpi.c). */
int task__run_mpi(task__pool *p, int jobs, base_err *err);

#endif
