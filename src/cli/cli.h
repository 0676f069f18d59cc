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

enum { CLI_EXIT_OK = 0, CLI_EXIT_OBJECTIVE = 1, CLI_EXIT_INPUT = 2, CLI_EXIT_FAILURE = 3 };

/* Runs the program; returns the exit code. */
int cli_main(int argc, char **argv);

/* The terminal summary of a run (text). */
void cli_print_summary(FILE *f, const eng_summary *sum, const char *report_path);

#endif
