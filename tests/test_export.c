/*
 * test_export.c — `simulate export RUN --csv`: a stored run's series and figures read back with
 * Python's csv module (RFC 4180) equal, to the bit, what the results store holds; sqlite3's own
 * CSV reader imports them; `latest` is the newest run and writes the same bytes; a bad run or
 * store is one line and exit 2. `--infracost`: the usage file the run wrote, parsed by PyYAML,
 * with the quantities of the run's cost lines.
 *
 * Why: the CSV is for spreadsheets and notebooks, where a figure that lost digits or a row out
 * of place would be trusted without being checked.
 */
#define RUN_LIMIT_S  120.0
#define SUPPORT_NAME "test-export"
#include "support.h"

TestSuite(export, .fini = scratch_fini);

/* Compares DIR/series.csv and DIR/figures.csv with the store DB, every value as a double (an
 * empty field is NULL); prints what differs and exits 1. */
static const char *const compare_py =
    "import csv, sqlite3, sys\n"
    "db, d = sys.argv[1], sys.argv[2]\n"
    "con = sqlite3.connect(db)\n"
    "def num(s):\n"
    "    return None if s == '' else float(s)\n"
    "def rep(s):\n"
    "    return None if s == 'mean' else int(s)\n"
    "with open(d + '/series.csv', newline='') as f:\n"
    "    rows = list(csv.reader(f))\n"
    "head = rows[0]\n"
    "assert head[:2] == ['replication', 'time_s'], head\n"
    "cols = ', '.join('\"%s\"' % c for c in head[1:])\n"
    "want = con.execute('SELECT replication, ' + cols + ' FROM series WHERE run_id = 1 '\n"
    "                   'ORDER BY replication IS NULL, replication, time_s').fetchall()\n"
    "assert len(rows) - 1 == len(want) > 10, (len(rows), len(want))\n"
    "for got, w in zip(rows[1:], want):\n"
    "    assert rep(got[0]) == w[0], (got[0], w[0])\n"
    "    for c, g, x in zip(head[1:], got[1:], w[1:]):\n"
    "        assert num(g) == (None if x is None else float(x)), (c, g, x)\n"
    "with open(d + '/figures.csv', newline='') as f:\n"
    "    rows = list(csv.reader(f))\n"
    "assert rows[0] == ['figure', 'unit', 'replication', 'value', 'ci_low', 'ci_high'], rows[0]\n"
    "means = con.execute('SELECT key, unit, mean, ci95_low, ci95_high FROM figures '\n"
    "                    'WHERE run_id = 1 ORDER BY position').fetchall()\n"
    "vals = con.execute('SELECT v.key, f.unit, v.replication, v.value FROM figure_values v '\n"
    "                   'JOIN figures f ON f.run_id = v.run_id AND f.key = v.key '\n"
    "                   'WHERE v.run_id = 1 ORDER BY f.position, v.replication').fetchall()\n"
    "want = [(k, u, None, m, lo, hi) for k, u, m, lo, hi in means]\n"
    "want += [(k, u, r, v, None, None) for k, u, r, v in vals]\n"
    "assert len(rows) - 1 == len(want) > 20, (len(rows), len(want))\n"
    "for g, w in zip(rows[1:], want):\n"
    "    got = (g[0], g[1], rep(g[2]), num(g[3]), num(g[4]), num(g[5]))\n"
    "    assert got == w, (got, w)\n"
    "print('ok')\n";

static void run_ok(scratch *s, const char *const *args, run_result *r)
{
    run(s, args, r);
    cr_assert_eq(r->status, 0, "simulate %s ...: exit %d; stderr: %s", args[0], r->status, r->err);
}

/* A three-replication run stored in s->cwd/results.db (run 1). */
static void stored_run(scratch *s)
{
    const char *args[] = {
        "-q", "--fidelity", "flow", "-r",         "3",
        "-o", "out",        "--db", "results.db", SIMULATE_TESTDATA "/flow/failover.yaml",
        NULL};
    run_result r;
    run_ok(s, args, &r);
    run_free(&r);
}

/* Writes a checking script `text` to s->dir/name; its path in path. */
static void write_script(const scratch *s, const char *name, const char *text, char *path,
                         size_t len)
{
    snprintf(path, len, "%s/%s", s->dir, name);
    write_text(path, text);
}

static int shell(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(export, csv_round_trips_what_the_store_holds)
{
    scratch s;
    scratch_open(&s);
    stored_run(&s);
    const char *args[] = {"export", "1", "--csv", "--db", "results.db", "-o", "csv", NULL};
    run_result r;
    run_ok(&s, args, &r);
    cr_expect_str_eq(r.out, "csv/series.csv\ncsv/figures.csv\n");
    run_free(&r);

    char py[160], cmd[1024];
    write_script(&s, "compare.py", compare_py, py, sizeof py);
    snprintf(cmd, sizeof cmd, "cd '%s' && python3 '%s' results.db csv >&2", s.cwd, py);
    cr_expect_eq(shell(cmd), 0, "the CSV differs from the store (stderr above)");

    /* sqlite3's CSV reader (RFC 4180) takes both: as many rows as the store holds, and as
     * many of replication 2 */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && test \"$(sqlite3 ':memory:' '.import --csv csv/series.csv s' "
             "'.import --csv csv/figures.csv f' 'SELECT count(*) FROM s' 'SELECT count(*) FROM f' "
             "'SELECT count(*) FROM f WHERE replication = 2')\" = "
             "\"$(sqlite3 results.db 'SELECT count(*) FROM series' "
             "'SELECT (SELECT count(*) FROM figures) + (SELECT count(*) FROM figure_values)' "
             "'SELECT count(*) FROM figure_values WHERE replication = 2')\"",
             s.cwd);
    cr_expect_eq(shell(cmd), 0, "sqlite3 imports a different number of rows");
    scratch_close(&s);
}

Test(export, latest_is_the_newest_run_and_the_bytes_are_the_same)
{
    scratch s;
    scratch_open(&s);
    stored_run(&s);
    const char *one[] = {"export", "1", "--csv", "--db", "results.db", "-o", "a", NULL};
    const char *latest[] = {"export", "latest", "--db", "results.db", "--csv", "-o", "b", NULL};
    run_result r;
    run_ok(&s, one, &r);
    run_free(&r);
    run_ok(&s, latest, &r);
    run_free(&r);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cmp -s a/series.csv b/series.csv && cmp -s a/figures.csv b/figures.csv",
             s.cwd);
    cr_expect_eq(shell(cmd), 0, "export 1 and export latest differ");
    /* without -o: out/run-RUN */
    const char *dflt[] = {"export", "latest", "--csv", "--db", "results.db", NULL};
    run_ok(&s, dflt, &r);
    cr_expect_str_eq(r.out, "out/run-1/series.csv\nout/run-1/figures.csv\n");
    run_free(&r);
    scratch_close(&s);
}

Test(export, a_bad_run_or_store_is_one_line_and_exit_2)
{
    scratch s;
    scratch_open(&s);
    stored_run(&s);
    run_result r;
    const char *missing[] = {"export", "99", "--csv", "--db", "results.db", NULL};
    run(&s, missing, &r);
    assert_refused(&r, 2, "no run 99", "export 99");
    run_free(&r);
    const char *word[] = {"export", "first", "--csv", "--db", "results.db", NULL};
    run(&s, word, &r);
    assert_refused(&r, 2, "not 'first'", "export first");
    run_free(&r);
    const char *nostore[] = {"export", "1", "--csv", "--db", "none.db", NULL};
    run(&s, nostore, &r);
    assert_refused(&r, 2, "none.db", "export from a missing store");
    run_free(&r);
    const char *noformat[] = {"export", "1", "--db", "results.db", NULL};
    run(&s, noformat, &r);
    assert_refused(&r, 2, "--csv", "export without --csv");
    run_free(&r);
    scratch_close(&s);
}

/* Checks DIR/infracost-usage.yml with Python's yaml (PyYAML): version 0.1, and each quantity
 * the one report.json's cost lines give (the same sums infracost.c documents), to 10
 * significant digits (the file's precision). Prints what differs and exits 1. */
static const char *const infracost_py =
    "import json, sys, yaml\n"
    "u = yaml.safe_load(open(sys.argv[1]))\n"
    "r = json.load(open(sys.argv[2]))\n"
    "lines, hours = r['cost']['lines'], r['cost'].get('month_hours', 730)\n"
    "def q(comp, item):\n"
    "    return sum(l['quantity'] for l in lines\n"
    "               if l['component'] == comp and l['item'].startswith(item))\n"
    "assert u['version'] == 0.1, u\n"
    "d = u['resource_type_default_usage']\n"
    "cf, lb = d['aws_cloudfront_distribution'], d['aws_lb']\n"
    "gw = q('NAT gateway', 'gateways') / hours\n"
    "want = [(cf['united_states_data_transfer_internet_gb'],\n"
    "         q('CloudFront', 'data transfer out (US')),\n"
    "        (cf['united_states_https_requests'], round(q('CloudFront', 'HTTPS requests') * "
    "1e4)),\n"
    "        (lb['processed_bytes_gb'], q('ALB', 'LCU-hours') / hours),\n"
    "        (d['aws_nat_gateway']['monthly_data_processed_gb'],\n"
    "         q('NAT gateway', 'data processed') / gw)]\n"
    "for got, w in want:\n"
    "    assert w > 0 and abs(got - w) <= 1e-9 * w, (got, w)\n"
    "print('ok')\n";

/* `export RUN --infracost` writes, from the stored report, the usage file the run wrote beside
 * its report: the same bytes, YAML that parses, with the run's quantities. */
Test(export, infracost_usage_is_the_runs)
{
    scratch s;
    scratch_open(&s);
    const char *priced[] = {
        "-q", "--fidelity", "flow", "-r",         "2",
        "-o", "out",        "--db", "results.db", SIMULATE_ROOT "/scenarios/az-failure.yaml",
        NULL};
    run_result r;
    run_ok(&s, priced, &r);
    run_free(&r);
    const char *args[] = {"export",     "latest", "--infracost", "--db",
                          "results.db", "-o",     "inf",         NULL};
    run_ok(&s, args, &r);
    cr_expect_str_eq(r.out, "inf/infracost-usage.yml\n");
    run_free(&r);
    char py[160], cmd[1024];
    write_script(&s, "infracost.py", infracost_py, py, sizeof py);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && cmp -s inf/infracost-usage.yml out/infracost-usage.yml && "
             "python3 '%s' inf/infracost-usage.yml out/report.json >&2",
             s.cwd, py);
    cr_expect_eq(shell(cmd), 0, "the exported usage file is not the run's (stderr above)");
    /* --csv and --infracost together: all three files */
    const char *both[] = {"export",     "1",  "--csv", "--infracost", "--db",
                          "results.db", "-o", "b",     NULL};
    run_ok(&s, both, &r);
    cr_expect_str_eq(r.out, "b/series.csv\nb/figures.csv\nb/infracost-usage.yml\n");
    run_free(&r);
    scratch_close(&s);
}
