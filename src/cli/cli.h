/*
 * cli.h — the command line: argument parsing, printing and exit codes, over the application
 * (src/app/, app.h) that does the work. The only room that prints diagnostics and chooses exit
 * codes.
 *
 * Exit codes (README, "Exit codes", the one table): 0 success; 1 an objective or budget failed (a
 * run, or the gate `simulate check`); 2 bad input — an unreadable or invalid scenario or input
 * file, a bad command line, an unusable output path, a store that is not ours or is newer; 3 the
 * run failed for another reason (out of memory, an output that cannot be written).
 */
#ifndef SIMULATE_CLI_H
#define SIMULATE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_OBJECTIVE = 1, CLI_EXIT_INPUT = 2, CLI_EXIT_FAILURE = 3 };

/* Runs the program; returns the exit code. */
int cli_main(int argc, char **argv);

/* An output path given on the command line (`what`, e.g. "--junit") that cannot be used (empty,
 * a folder where a file is wanted, a file where a folder is; base_check_output) is bad input,
 * refused before anything runs: prints the one line and returns CLI_EXIT_INPUT; 0 when path is
 * NULL (not given) or usable. */
int cli_check_output(const char *what, const char *path, int folder);

/* ---------------------------------------------------------------- the argument reader (args.c) */

/* One option of a command: its long name, its short letter (0: none), whether it takes a
 * value, and for --help its value's name and what it does. One table per command drives
 * parsing and --help, so the two cannot drift. */
typedef struct cli_flag {
    const char *lng;
    char shrt;
    bool value;
    const char *metavar, *help;
    size_t into; /* CLI_INTO: where cli_parse keeps it in the command's context, a `const char *`
                  * (the value) for an option that takes one, an `int` set to 1 for one that does
                  * not; 0: the option goes to the command's on_arg */
} cli_flag;

/* A cli_flag's `into`: member m of the command's context type t. */
#define CLI_INTO(t, m) (offsetof(t, m) + 1)

/* A row that is no option: the one word of a command without an on_arg, kept in member m of
 * its context type t (a `const char *`); what names it in "one run at a time". --help leaves it
 * out (the usage names it). */
#define CLI_WORD(what, t, m)                                                                       \
    {                                                                                              \
        NULL, 0, true, NULL, what, CLI_INTO(t, m)                                                  \
    }

/* The options several commands share, each worded once (a command whose option means
 * something else there writes its own row). */
#define CLI_FLAG_HELP                                                                              \
    {                                                                                              \
        "help", 'h', false, NULL, "show this help and exit"                                        \
    }
#define CLI_FLAG_SEED                                                                              \
    {                                                                                              \
        "seed", 's', true, "N", "seed of every random stream (overrides the scenario's)"           \
    }
#define CLI_FLAG_REPLICATIONS                                                                      \
    {                                                                                              \
        "replications", 'r', true, "N", "independent replications (overrides the scenario's)"      \
    }
#define CLI_FLAG_JOBS                                                                              \
    {                                                                                              \
        "jobs", 'j', true, "N", "replications run at once on threads (default: the cores)"         \
    }
#define CLI_FLAG_FIDELITY                                                                          \
    {                                                                                              \
        "fidelity", 0, true, "MODE", "traffic engine: request, flow or auto"                       \
    }
#define CLI_FLAG_RUN_DB                                                                            \
    {                                                                                              \
        "db", 0, true, "PATH",                                                                     \
            "results store (default DIR/results.db with -o, else out/results.db)"                  \
    }
#define CLI_FLAG_QUIET                                                                             \
    {                                                                                              \
        "quiet", 'q', false, NULL, "print nothing on success"                                      \
    }

/* What cli_parse read: a word (positional), or an option and its value (NULL: none). */
typedef struct cli_arg {
    const char *word;
    const cli_flag *flag;
    const char *value;
} cli_arg;

/* A usage error: "simulate: " (+ "CMD: " for a subcommand; cmd NULL for the main command) +
 * fmt (with `what`) + a pointer to its --help, one line on stderr; returns CLI_EXIT_INPUT. */
int cli_usage_error(const char *cmd, const char *fmt, const char *what);

/* A command's one word (its scenario, run, folder...; `what` names it) into *slot: 0, or for a
 * second word the usage error "one WHAT at a time (got 'WORD' too)", printed: CLI_EXIT_INPUT. */
int cli_one_word(const char *cmd, const char *what, const char **slot, const char *word);

/* Called for each word and option read by cli_parse: 0 to go on, CLI_PARSE_STOP after --help
 * (cli_parse returns it), or an exit code (a usage error already printed). */
typedef int (*cli_on_arg)(void *ctx, const cli_arg *x);
enum { CLI_PARSE_STOP = -1 };

/* A command as cli_parse reads it: its name ("export"; NULL: the main command), its table of
 * options, what each word and option does (on_arg; NULL: the command takes one word, which
 * its table's CLI_WORD row keeps), and its --help as data: `usage` (its text before the
 * options), the options, then `more` (NULL: nothing), each followed by a newline, printed on
 * stdout, after which cli_parse returns CLI_PARSE_STOP (usage NULL: --help goes to on_arg like
 * any option). */
typedef struct cli_command {
    const char *name;
    const cli_flag *flags;
    size_t nflags;
    cli_on_arg on_arg;
    const char *usage, *more;
} cli_command;

/* Reads argv[0..argc) of command c against its table: 0 when all was read, CLI_PARSE_STOP, or
 * the exit code of a usage error (printed). The one parser every subcommand uses, so all accept
 * the same forms and refuse the same mistakes. Forms: --name, --name=value, --name value, -x,
 * -x value, -xVALUE; "--" ends the options. */
int cli_parse(const cli_command *c, int argc, char **argv, void *ctx);

/* The options of a table as --help lists them. */
void cli_print_options(FILE *f, const cli_flag *flags, size_t n);

/* The options a run takes wherever it is started (simulate, check, compare, emit, plan): --seed,
 * --replications, --fidelity, --jobs, --max-memory, --output, --db, --quiet, applied to o.
 * Returns 0 when applied, CLI_EXIT_INPUT after printing a bad value's usage error, or -1 when
 * name is not one of them. */
int cli_run_option(const char *cmd, const char *name, const char *val, app_run_opts *o);

/* ---------------------------------------------------------------- printing */

/* The exit code for a failed status: 2 for the user's input, 3 otherwise. */
int cli_exit_for(int status);

/* Prints a diagnostic as the one line the user sees. */
void cli_print_error(const base_err *e);

/* A zeroed result of `size` bytes for an application call (app_run, app_compare, ...); NULL
 * after saying "out of memory" on stderr (the caller returns CLI_EXIT_FAILURE). */
void *cli_new_result(size_t size);

/* After an application call failed with status st: prints err, frees its result res (which
 * the call left holding nothing) and returns the exit code. */
int cli_failed(int st, const base_err *err, void *res);

/* A number with thousands separators ("1,234,567", "12,345.6"): decimals after the point
 * (0 for a whole number). Returns buf. */
const char *cli_grouped(char *buf, size_t len, double v, int decimals);

/* A figure's value as the summary writes it: counts (requests, pods, nodes) whole with
 * thousands separators, 100 and over with one decimal and separators, else 3 significant
 * digits. Returns buf. */
const char *cli_figure_text(char *buf, size_t len, double v, const char *unit);

/* The terminal summary of a run (text), with the objectives' verdicts (nv of them), and the
 * files it left: the report, and (NULL: none) the charts' folder and the pack. */
void cli_print_summary(FILE *f, const eng_summary *sum, const app_verdict *v, size_t nv,
                       const cost_month *bill, const char *report_path, const char *pack_path);

/* The last lines of a run or a check: report.json's path, then, when the pack was written
 * (pack_path non-empty), the charts beside it and review.pdf; each line begins with indent. */
void cli_print_outputs(FILE *f, const char *indent, const char *report_path, const char *pack_path);

/* The progress line on stderr (progress.c): started only when stderr is a terminal and not
 * quiet (NULL otherwise, and stop accepts NULL). Shaped as app_run_opts' hooks. */
void *cli_progress_start(const mdl_scenario *s, const eng_live *live, int quiet);
void cli_progress_stop(void *p);

/* ---------------------------------------------------------------- the subcommands */

/* Each takes argv after its word and returns the exit code. */
int cli_history(int argc, char **argv); /* history.c */
int cli_show(int argc, char **argv);    /* history.c */
/* The plans of a store after history's runs; `show PN` (plans.c). */
int cli_history_plans(struct store *st, int limit, base_err *err);
int cli_show_plan(struct store *st, int64_t id, base_err *err);
int cli_export(int argc, char **argv);  /* export.c: a stored run as CSV */
int cli_import(int argc, char **argv);  /* import.c: manifests back to a scenario */
int cli_plan(int argc, char **argv);    /* plan.c: the cheapest configuration of plan: */
int cli_emit(int argc, char **argv);    /* emit.c */
int cli_plot(int argc, char **argv);    /* plot.c */
int cli_compare(int argc, char **argv); /* compare.c */
int cli_check(int argc, char **argv);   /* check.c: the CI gate */
int cli_keys(int argc, char **argv);    /* keys.c */

/* The deployment config of a finished run into dir (emit.c): built, checked (schemas, policy,
 * consistency), written with the findings in its README.md. strict (`simulate emit`): each
 * finding printed on its own line and exit code 1 when there is one; otherwise (the main job's
 * deploy/ folder) one note unless quiet, and the run's own exit code stands. Returns the exit
 * code: 0, 1 (strict, a check failed), 2 or 3 on an error. */
int cli_emit_deploy(const char *scenario, const app_run_result *res, const char *dir, int quiet,
                    int strict);

#endif
