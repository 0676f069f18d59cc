/*
 * cli.h — the command line: the only room that prints diagnostics and chooses exit codes.
 *
 * Exit codes (docs/cli.md): 0 success; 1 an objective or budget failed (from the cost gate,
 * issue 7); 2 bad input — an unreadable or invalid scenario, or a bad command line; 3 the run
 * failed for another reason (out of memory, an output that cannot be written).
 */
#ifndef SIMULATE_CLI_H
#define SIMULATE_CLI_H

#include <stdio.h>

#include "engine/engine.h"
#include "metrics/metrics.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_OBJECTIVE = 1, CLI_EXIT_INPUT = 2, CLI_EXIT_FAILURE = 3 };

/* Runs the program; returns the exit code. */
int cli_main(int argc, char **argv);

/* The terminal summary of a run (text), with the objectives' verdicts (nv of them). */
typedef struct cli_verdict {
    slo o;
    int known;     /* 0: not measured by this run (rto without failures, cost without pricing) */
    int met;       /* the mean across replications satisfies it */
    int uncertain; /* the 95% interval straddles the threshold */
    stat_ci ci;    /* of the measure across replications, in the objective's unit */
} cli_verdict;

void cli_print_summary(FILE *f, const eng_summary *sum, const cli_verdict *v, size_t nv,
                       const char *report_path);

/* A component of the monthly bill reported as its own figure (key, e.g. "cost_database"):
 * the sum of the cost room's lines whose component is one of `components`. */
typedef struct cli_cost_part {
    const char *key, *label;
    const char *components[2];
} cli_cost_part;
extern const cli_cost_part cli_cost_parts[];
extern const size_t cli_cost_nparts;

/* Adds the figures monthly_cost, cost_per_million and one per cli_cost_parts entry (all USD)
 * to a summary, priced from each replication's usage; nothing when the scenario has no
 * pricing file. */
int cli_add_costs(eng_summary *sum, base_err *err);

/* The default number of threads for replications: the cores online (1..ENG_MAX_JOBS). */
int cli_default_jobs(void);

/* Judges the scenario's objectives on a summary into out[] (MDL_MAX_OBJECTIVES entries). */
int cli_judge(const eng_summary *sum, cli_verdict *out, size_t *n, base_err *err);

/* The progress line on stderr (progress.c): started only when stderr is a terminal and not
 * quiet (NULL otherwise, and stop accepts NULL). */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_start(const mdl_scenario *s, const eng_live *live, int quiet);
void cli_progress_stop(cli_progress *p);

/* `simulate history` and `simulate show RUN` (history.c): argv after the word. */
int cli_history(int argc, char **argv);
int cli_show(int argc, char **argv);

/* Where a run's results store is: --db PATH, else results.db in the output folder given with
 * -o DIR, else out/results.db (every run of every scenario in one history). */
void cli_store_path(const char *db, const char *output, char *out, size_t size);

/* Prints a diagnostic as the one line the user sees. */
void cli_print_error(const base_err *e);

/* `simulate compare ...`: argv after "compare". Returns the exit code. */
int cli_compare(int argc, char **argv);

#endif
