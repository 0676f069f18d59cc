/*
 * cli.h — the command line: the only room that prints diagnostics and chooses exit codes.
 *
 * Exit codes (README, "Exit codes", the one table): 0 success; 1 an objective or budget failed (a
 * run, or the gate `simulate check`); 2 bad input — an unreadable or invalid scenario or input
 * file, a bad command line, an unusable output path, a store that is not ours or is newer; 3 the
 * run failed for another reason (out of memory, an output that cannot be written).
 */
#ifndef SIMULATE_CLI_H
#define SIMULATE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "cost/cost.h"
#include "engine/engine.h"
#include "metrics/metrics.h"
#include "plot/plot.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_OBJECTIVE = 1, CLI_EXIT_INPUT = 2, CLI_EXIT_FAILURE = 3 };

/* Runs the program; returns the exit code. */
int cli_main(int argc, char **argv);

/* A whole number from 0 to max, digits only, into *out: 0, or -1 when it is not one. */
int cli_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* Whether s is written as a run's number (digits only, at least one), whatever its size: a
 * number past 2^63-1 must be refused as one, not read as a file name or clamped. */
bool cli_is_run_number(const char *s);

/* An output path given on the command line (`what`, e.g. "--junit") that cannot be used (empty,
 * a folder where a file is wanted, a file where a folder is; base_check_output) is bad input,
 * refused before anything runs: prints the one line and returns CLI_EXIT_INPUT; 0 when path is
 * NULL (not given) or usable. */
int cli_check_output(const char *what, const char *path, int folder);

/* One option of a command (args.c): its long name, its short letter (0: none), whether it takes
 * a value, and for --help its value's name and what it does. One table drives parsing and
 * --help, so the two cannot drift. */
typedef struct cli_flag {
    const char *lng;
    char shrt;
    bool value;
    const char *metavar, *help;
} cli_flag;

/* A command line being read: argv[i..argc). */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;
    bool only_words; /* after "--" */
} cli_args;

/* What cli_args_next read: a word (positional), or an option and its value (NULL: none). */
typedef struct cli_arg {
    const char *word;
    const cli_flag *flag;
    const char *value;
} cli_arg;

enum { CLI_ARGS_END, CLI_ARGS_WORD, CLI_ARGS_FLAG, CLI_ARGS_BAD };

/* A subcommand's usage error: "simulate CMD: " + fmt (with `what`) + a pointer to its --help,
 * one line on stderr; returns CLI_EXIT_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, const char *what);

/* The next word of the command line against flags[0..n): CLI_ARGS_WORD, CLI_ARGS_FLAG,
 * CLI_ARGS_END, or CLI_ARGS_BAD with what is wrong in msg (no prefix: the command adds its own).
 * Forms: --name, --name=value, --name value, -x, -x value, -xVALUE; "--" ends the options. */
int cli_args_next(cli_args *a, const cli_flag *flags, size_t n, cli_arg *out, char *msg,
                  size_t msglen);

/* The exit code for a failed status: 2 for the user's input, 3 otherwise. */
int cli_exit_for(int status);

/* The terminal summary of a run (text), with the objectives' verdicts (nv of them). */
typedef struct cli_verdict {
    slo o;
    int known;     /* 0: not measured by this run (rto without failures, cost without pricing,
                    * a latency or error objective of a replication with no requests) */
    int met;       /* the mean across replications satisfies it */
    int uncertain; /* the 95% interval straddles the threshold */
    stat_ci ci;    /* of the measure across replications, in the objective's unit */
    int beyond;    /* a latency percentile beyond the histograms' range in some replication:
                    * ci.mean is a lower bound. Judged on the bound: failed when the bound
                    * already fails it, else met but uncertain (the true value may be anywhere
                    * above); never met on a clamped value */
} cli_verdict;

void cli_print_summary(FILE *f, const eng_summary *sum, const cli_verdict *v, size_t nv,
                       const cost_month *bill, const char *report_path);

/* A component of the monthly bill reported as its own figure (key, e.g. "cost_database"):
 * the sum of the cost room's lines whose component is one of `components`. */
typedef struct cli_cost_part {
    const char *key, *label;
    const char *components[3];
} cli_cost_part;
extern const cli_cost_part cli_cost_parts[];
extern const size_t cli_cost_nparts;

/* The other scenarios of a month mix (month.mix), run with the same seed and replications. */
typedef struct cli_month_part {
    const eng_summary *sum;
    double repeat; /* times its window counts in the month */
} cli_month_part;

/* Adds the figures monthly_cost, cost_per_million and one per cli_cost_parts entry (all USD)
 * to a summary, priced from each replication's usage — with replication i of each month part
 * (parts may be NULL, nparts 0); nothing when the scenario has no pricing file. mean (may be
 * NULL) receives the bill line by line, means across replications (empty without pricing). */
int cli_add_costs(eng_summary *sum, const cli_month_part *parts, size_t nparts, cost_month *mean,
                  base_err *err);

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

/* One run of a scenario as `simulate SCENARIO` does it (run.c): load, apply the command line's
 * overrides, run the replications (each committed to the results store as it finishes, a
 * progress line on a terminal), price, judge the objectives, write report.json, the charts and
 * the design-review pack into the output folder, and finish the store's record. */
typedef struct cli_run_opts {
    const char *scenario;
    const char *output;   /* NULL: out/NAME */
    const char *db;       /* NULL: cli_store_path's default */
    const char *fidelity; /* NULL: the scenario's */
    int jobs;             /* 0: cli_default_jobs() */
    int quiet;            /* no progress line */
    int has_seed;
    uint64_t seed;
    int replications;  /* 0: the scenario's */
    double max_memory; /* bytes a run may project (eng_project); 0: cli_default_max_memory() */
} cli_run_opts;

/* --max-memory's default: half the machine's physical memory (sysconf). Half, because the
 * projection is an estimate and the machine runs more than one simulation: a run refused at
 * half still had room to be wrong by a factor of two. */
double cli_default_max_memory(void);

typedef struct cli_run_result {
    mdl_scenario *s; /* owned */
    eng_summary sum; /* costs added */
    cli_verdict verdicts[MDL_MAX_OBJECTIVES];
    size_t nv;
    char dir[4096];    /* the output folder */
    char report[4096]; /* report.json's path */
    char db[4096];     /* the results store's path */
    int64_t run_id;    /* in the store */
    char *report_json; /* owned: report.json's text */
    cost_month *bill;  /* owned: the month's bill, means across replications; NULL unpriced */
    mdl_scenario *part_s[MDL_MAX_MONTH_PARTS]; /* month.mix: each part's scenario (owned) */
    eng_summary part_sum[MDL_MAX_MONTH_PARTS]; /* and its run */
    size_t nparts;
} cli_run_result;

/* Loads the scenario with the overrides of o (caller frees *out). */
int cli_load(const cli_run_opts *o, mdl_scenario **out, base_err *err);

/* On success res holds everything (release with cli_run_clear); on failure nothing. */
int cli_run(const cli_run_opts *o, cli_run_result *res, base_err *err);
void cli_run_clear(cli_run_result *res);

/* `simulate emit SCENARIO.yaml -o DIR` (emit.c): argv after "emit". Returns the exit code. */
int cli_emit(int argc, char **argv);

/* The deployment config of a finished run into dir (emit.c): built, checked (schemas, policy,
 * consistency), written with the findings in its README.md. strict (`simulate emit`): each
 * finding printed on its own line and exit code 1 when there is one; otherwise (the main job's
 * deploy/ folder) one note unless quiet, and the run's own exit code stands. Returns the exit
 * code: 0, 1 (strict, a check failed), 2 or 3 on an error. */
int cli_emit_deploy(const char *scenario, const cli_run_result *res, const char *dir, int quiet,
                    int strict);

/* `simulate plot RUN|report.json|compare.json ...` (plot.c): argv after "plot". */
int cli_plot(int argc, char **argv);

/* The charts (PNG) and the design-review pack (review.pdf) of a report or comparison into
 * folder dir. */
int cli_write_charts(const json_t *doc, const char *dir, base_err *err);
/* The chart definitions: the built-in plots/ and ./plots (docs/charts.md), then files. */
int cli_plot_set(const char *const *files, size_t nfiles, plot_set **out, base_err *err);

/* `simulate compare ...`: argv after "compare". Returns the exit code. */
int cli_compare(int argc, char **argv);

/* `simulate check SCENARIO.yaml... [--budget USD] [--baseline REPORT|RUN] ...` (check.c): the CI
 * gate — runs each scenario, judges its objectives, budget and cost increase, writes JUnit and
 * Markdown on request. argv after "check". Returns the exit code (1: a check failed). */
int cli_check(int argc, char **argv);

/* Reads a baseline's report.json text as `check --baseline` does (its monthly cost, by part),
 * into *monthly_usd (may be NULL). The entry point of the baseline fuzz target (fuzz/). */
int cli_baseline_parse(const char *file, const char *text, size_t len, double *monthly_usd,
                       base_err *err);

#endif
