/*
 * import.c — `simulate import DIR -o SCENARIO.yaml` (issue 15): a folder of deployment config
 * (what `simulate emit` wrote, or a team's own manifests) read back into a scenario that extends
 * the base architecture (src/import/). Each thing it could not map is one line on stderr,
 * `simulate: FILE: what`; a malformed file is one error line and exit 2.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "import/import.h"

/* The base architecture in the source tree the build came from (the schemas' sibling). */
#define DEFAULT_BASE SIMULATE_SCHEMAS "/../models/architecture/innovate.yaml"

typedef struct import_opts {
    const char *dir, *out, *base;
    int quiet;
} import_opts;

static const cli_flag flags[] = {
    {"output", 'o', true, "SCENARIO.yaml", "the scenario to write (required)",
     CLI_INTO(import_opts, out)},
    {"base", 0, true, "FILE", "the scenario it extends (default the seed's architecture)",
     CLI_INTO(import_opts, base)},
    {"quiet", 'q', false, NULL, "print nothing on success but what could not be mapped",
     CLI_INTO(import_opts, quiet)},
    CLI_FLAG_HELP,
    CLI_WORD("folder", import_opts, dir),
};
#define NFLAGS (sizeof flags / sizeof flags[0])

static const char help_text[] =
    "usage: simulate import DIR -o SCENARIO.yaml [--base FILE]\n\n"
    "Reads the deployment config in DIR — what `simulate emit` wrote, or your own\n"
    "Kubernetes manifests (Deployment, HorizontalPodAutoscaler, Ingress), Karpenter\n"
    "NodePools, pgbouncer.ini and Terraform JSON (*.tf.json) — and writes a scenario that\n"
    "extends the base architecture with only the keys whose values differ from it. Each\n"
    "thing it could not map is one line on stderr (docs/emit.md has the mapping).\n\n"
    "options:";

static const cli_command command = {"import", flags, NFLAGS, NULL, help_text, NULL};

int cli_import(int argc, char **argv)
{
    import_opts o = {0};
    int rc = cli_parse(&command, argc, argv, &o);
    if (rc)
        return rc == CLI_PARSE_STOP ? CLI_EXIT_OK : rc;
    const char *dir = o.dir, *out = o.out, *base = o.base;
    if (!dir)
        return cli_usage_error("import", "%s", "which folder? (simulate import DIR -o FILE)");
    if (!out)
        return cli_usage_error("import", "%s", "where? -o SCENARIO.yaml is required");
    rc = cli_check_output("--output", out, 0);
    if (rc)
        return rc;
    imp_notes notes = {0};
    base_err err;
    base_err_clear(&err);
    int st = imp_folder(dir, base ? base : DEFAULT_BASE, out, &notes, &err);
    if (st != BASE_OK) {
        cli_print_error(&err);
        imp_notes_free(&notes);
        return cli_exit_for(st);
    }
    for (size_t i = 0; i < notes.n; i++)
        fprintf(stderr, "simulate: %s\n", notes.line[i]);
    if (!o.quiet)
        printf("scenario: %s (%zu thing%s not mapped)\n", out, notes.n, notes.n == 1 ? "" : "s");
    imp_notes_free(&notes);
    return CLI_EXIT_OK;
}
