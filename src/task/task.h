/*
 * task.h — a list of independent tasks (a variant's, a sweep point's or a plan candidate's
 * replications) run over threads and, under `mpirun`, over MPI ranks. The only header of
 * src/task/; every public name is task_*.
 *
 * Each task writes only its own slot, chosen by its index, so the results are the same bytes
 * whatever the number of threads or ranks and whatever order the tasks finish in. Tasks are
 * handed out dynamically, largest estimated cost first (longest-processing-time-first list
 * scheduling: Graham, SIAM J. Appl. Math. 17(2), 1969, within 4/3 of the best makespan), so
 * that one long task does not start last and leave the other cores idle at the end.
 *
 * With MPI (built with SIMULATE_MPI and started by mpirun or srun), every rank runs the same
 * command in lockstep up to each task list; rank 0 then hands out task indices as ranks ask
 * for them, the other ranks run them on their own threads and send back each result packed
 * (task_list.pack), and rank 0 unpacks it into its slot. Only rank 0 writes outputs
 * (task_root); the others' stdout and stderr go to /dev/null (task_mpi_start).
 */
#ifndef SIMULATE_TASK_H
#define SIMULATE_TASK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

/* Runs task i into its slot. Called from any thread, for each i exactly once per process that
 * runs it. */
typedef int (*task_run_fn)(void *ctx, size_t i, base_err *err);
/* Appends task i's result (its slot) to *out as bytes, for another rank. */
typedef int (*task_pack_fn)(void *ctx, size_t i, base_buf *out, base_err *err);
/* Fills slot i from the bytes task_pack_fn made of it on another rank. */
typedef int (*task_unpack_fn)(void *ctx, size_t i, const char *p, size_t n, base_err *err);
/* Frees whatever task i's slot holds (on a rank that ran it for another). May be NULL. */
typedef void (*task_drop_fn)(void *ctx, size_t i);
/* Task i's result is in its slot on the process that reports: called one at a time, in the
 * order tasks finish. May be NULL. */
typedef void (*task_done_fn)(void *ctx, size_t i);

typedef struct task_list {
    size_t n;           /* tasks */
    const double *cost; /* n estimates in any unit (events, say); NULL: all alike */
    task_run_fn run;    /* required */
    task_pack_fn pack;  /* with unpack: the tasks may run on other ranks */
    task_unpack_fn unpack;
    task_drop_fn drop;
    task_done_fn done;
    void *ctx;
    bool everywhere; /* every rank needs every result (the planner's search goes on in
                      * lockstep): rank 0 broadcasts them after the gather */
} task_list;

/* Most threads a process starts for a list. */
#define TASK_MAX_JOBS 256

/* Runs every task of l on up to `jobs` threads here (and on the other ranks under MPI). The
 * status is the first failed task's by index among those that ran (every task runs unless one
 * fails on another rank, which stops the handing out). Under MPI every rank returns the same
 * status; a rank other than 0 holds results only with l->everywhere. */
int task_run(const task_list *l, int jobs, base_err *err);

/* task_run on this process's threads only, under MPI too: for work only the process that
 * writes the outputs does (rank 0's charts, report and store after a run), which other ranks
 * have no part in. l->pack and l->unpack are not used. */
int task_run_here(const task_list *l, int jobs, base_err *err);

/* Task indices in the order they are handed out: cost descending, ties by index (so the order
 * is the same on every rank and every run). order has n entries. */
void task_order(const double *cost, size_t n, size_t *order);

/* This process writes the outputs: always without MPI, rank 0 under it. */
bool task_root(void);

/* Ranks taking part (1 without MPI). */
int task_ranks(void);

/* Starts MPI when the process was launched by mpirun/srun (and the build has it); a no-op
 * otherwise. Call first thing in main. */
void task_mpi_start(int *argc, char ***argv);

/* Ends MPI (if started) with the command's exit code: a rank other than 0 that failed where
 * rank 0 did not aborts the job, so no rank waits forever for it. Returns rc. */
int task_mpi_stop(int rc);

#endif
