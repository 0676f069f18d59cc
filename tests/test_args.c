/*
 * test_args.c — every subcommand reads its command line with the one parser (src/cli/args.c,
 * cli_parse): the same forms accepted (`--name=value`, `--name value`, `-xVALUE`), the same
 * mistakes refused with one line and exit 2, and --help listed from the option table in one
 * layout.
 *
 * Why: export, import and plan once read their options with loops of their own; `--opt=value`
 * must work for them as for `simulate --seed=3`, and their --help must look like the others'.
 *
 * Every test runs the real binary in an empty scratch folder; none runs a simulation longer
 * than a three-replication flow run (about a second).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_LIMIT_S  120.0
#define SUPPORT_NAME "args"

#include "support/a_test_scratch.h"

TestSuite(args, .init = open_scratch, .fini = scratch_fini);

/* The subcommands that read options, each with its word. */
static const char *const commands[] = {"export", "import",  "plan",  "emit",
                                       "plot",   "compare", "check", "history"};

/* --help: exit 0, usage first, and each option line laid out as cli_print_options lays it:
 * two spaces, "-x, " or four spaces, then "--name". */
Test(args, help_is_listed_the_same_by_every_subcommand, .timeout = 240)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        const char *args[] = {commands[i], "--help", NULL};
        run_result r;
        run(&sc, args, &r);
        cr_assert_eq(r.status, 0, "%s --help: exit %d: %s", commands[i], r.status, r.err);
        cr_assert_eq(r.err_len, 0, "%s --help wrote to stderr: %s", commands[i], r.err);
        char want[64];
        snprintf(want, sizeof want, "usage: simulate %s", commands[i]);
        cr_assert(!strncmp(r.out, want, strlen(want)), "%s --help starts: %.60s", commands[i],
                  r.out);
        const char *help = strstr(r.out, "\n  -h, --help ");
        cr_assert_not_null(help, "%s --help does not list -h, --help as the others do: %s",
                           commands[i], r.out);
        int options = 0;
        for (const char *l = strstr(r.out, "\noptions:"); l && *l; l = strchr(l + 1, '\n')) {
            const char *x = l + 1;
            if (strncmp(x, "  -", 3) && strncmp(x, "      --", 8))
                continue;
            options++;
            cr_assert(!strncmp(x, "      --", 8) || (x[2] == '-' && x[4] == ',' && x[6] == '-'),
                      "%s --help: an option line out of layout: %.60s", commands[i], x);
        }
        cr_assert_gt(options, 1, "%s --help lists %d options", commands[i], options);
        run_free(&r);
    }
}

/* A three-replication run stored in s->cwd/results.db (run 1). */
static void stored_run(scratch *s)
{
    const char *args[] = {"-q",
                          "--fidelity=flow",
                          "-r3",
                          "--output=out",
                          "--db=results.db",
                          SIMULATE_TESTDATA "/flow/failover.yaml",
                          NULL};
    run_result r;
    run(s, args, &r);
    cr_assert(r.status == 0 || r.status == 1, "stored run: exit %d: %s", r.status, r.err);
    run_free(&r);
}

Test(args, export_takes_name_equals_value, .timeout = 240)
{
    stored_run(&sc);
    const char *eq[] = {"export", "latest", "--csv", "--db=results.db", "--output=eq", NULL};
    run_result r;
    run(&sc, eq, &r);
    cr_assert_eq(r.status, 0, "export with --name=value: %s", r.err);
    cr_expect_str_eq(r.out, "eq/series.csv\neq/figures.csv\n");
    run_free(&r);
    const char *glued[] = {"export", "1", "--csv", "--db", "results.db", "-oglued", NULL};
    run(&sc, glued, &r);
    cr_assert_eq(r.status, 0, "export with -oDIR: %s", r.err);
    cr_expect_str_eq(r.out, "glued/series.csv\nglued/figures.csv\n");
    run_free(&r);
    const char *novalue[] = {"export", "1", "--csv=yes", "--db=results.db", NULL};
    run(&sc, novalue, &r);
    assert_refused(&r, 2, "option '--csv=yes' takes no value", "export --csv=yes");
    cr_expect(strstr(r.err, "simulate export --help"), "no pointer to export's --help: %s", r.err);
    run_free(&r);
}

Test(args, import_takes_name_equals_value, .timeout = 240)
{
    run_result r;
    /* --output= read as given: an empty path is refused for what it is */
    run(&sc, (const char *const[]){"import", ".", "--output=", NULL}, &r);
    assert_refused(&r, 2, "--output", "import --output=");
    run_free(&r);
    /* a folder with one thing to import */
    char dir[200], ini[240];
    snprintf(dir, sizeof dir, "%s/in", sc.cwd);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(ini, sizeof ini, "%s/pgbouncer.ini", dir);
    write_text(ini, "[pgbouncer]\npool_mode = transaction\ndefault_pool_size = 20\n");
    /* --base=FILE reaches the importer: a base that is not there is named */
    run(&sc, (const char *const[]){"import", "in", "--output=o.yaml", "--base=nobase.yaml", NULL},
        &r);
    cr_assert_neq(r.status, 0, "import --base=nobase.yaml succeeded");
    cr_assert(strstr(r.err, "nobase.yaml"), "the missing base is not named: %s", r.err);
    run_free(&r);
    /* --output=FILE and -q: the scenario written where it says */
    run(&sc, (const char *const[]){"import", "-q", "in", "--output=o.yaml", NULL}, &r);
    cr_assert_eq(r.status, 0, "import --output=o.yaml: exit %d: %s", r.status, r.err);
    cr_expect_eq(r.out_len, 0, "-q wrote to stdout: %s", r.out);
    char out[240];
    snprintf(out, sizeof out, "%s/o.yaml", sc.cwd);
    cr_expect_eq(access(out, F_OK), 0, "no o.yaml");
    run_free(&r);
    run(&sc, (const char *const[]){"import", ".", "--out=o.yaml", NULL}, &r);
    assert_refused(&r, 2, "unknown option '--out=o.yaml'", "import --out=");
    run_free(&r);
}

Test(args, plan_reads_run_options_as_every_command_does, .timeout = 240)
{
    static const struct {
        const char *opt, *msg;
    } cases[] = {
        {"--seed=x", "--seed needs a whole number from 0 to 2^64-1, not 'x'"},
        {"--jobs=0", "--jobs needs a whole number from 1 to 256, not '0'"},
        {"-j999", "--jobs needs a whole number from 1 to 256, not '999'"},
        {"--fidelity=fast", "--fidelity must be request, flow or auto, not 'fast'"},
        {"--format=xml", "--format must be text or json, not 'xml'"},
        {"--replications=3", "unknown option '--replications=3'"},
        {"--emit", "option '--emit' needs a value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r;
        run(&sc, (const char *const[]){"plan", "p.yaml", cases[i].opt, NULL}, &r);
        assert_refused(&r, 2, cases[i].msg, cases[i].opt);
        cr_expect(!strncmp(r.err, "simulate: plan: ", 16), "%s: %s", cases[i].opt, r.err);
        run_free(&r);
    }
}
