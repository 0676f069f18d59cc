/*
 * test_paths.c — the paths a user names, as the binary treats them (issue 13, items 1, 2, 6, 8):
 * an empty or unusable output is bad input refused before anything runs; an output is written to
 * what its path names (a link followed, a device or a FIFO written in place, never replaced); an
 * input that is not a regular file is refused instead of blocking; a results store that is not
 * simulate's is refused untouched; and each command gives the same exit code for the same
 * mistake (README, "Exit codes").
 *
 * Why: CI jobs point --junit at /dev/stdout or a link into an artifacts folder, and run as root,
 * where replacing a device node is possible and harmful. Device nodes are made in the scratch
 * folder with mknod (the same major/minor numbers as /dev/null and /dev/full), never the real
 * ones, so a regression replaces a scratch file, not /dev/full; without the right to mknod those
 * cases are skipped and say so.
 *
 * Every test has the same .timeout (Criterion 2.4 leaks when timeouts differ).
 */
/* mknod is X/Open: glibc declares it only for _XOPEN_SOURCE. */
#define _XOPEN_SOURCE 700

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#define SMALL        SIMULATE_TESTDATA "/cli/small.yaml"
#define STEADY       SIMULATE_TESTDATA "/check/steady.yaml"
#define RUN_LIMIT_S  20.0
#define SUPPORT_NAME "test-paths"
#define TIMEOUT      120

#include "support.h"
#include "support/b_run.h"
#include "store_child.h" /* lite_exec */

/* The running test's scratch folder (each test is its own process): opened by the suite's
 * .init, removed by its .fini (scratch_fini) even when an assertion or a skip ends the test. */
static scratch sc;

static void open_scratch(void)
{
    scratch_open(&sc);
}

TestSuite(paths, .init = open_scratch, .fini = scratch_fini);

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void path_in(const scratch *s, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", s->cwd, name);
}

static mode_t type_of(const char *path)
{
    struct stat sb;
    cr_assert_eq(lstat(path, &sb), 0, "%s is gone", path);
    return sb.st_mode & S_IFMT;
}

/* Each of the n command lines of cases (three words at least) is refused, exit 2 with msg on
 * stderr, and leaves `left` entries in the working directory (-1: not counted). */
static void each_refused(scratch *s, const char *const (*cases)[8], size_t n, const char *msg,
                         int left)
{
    for (size_t i = 0; i < n; i++) {
        char what[1024];
        snprintf(what, sizeof what, "simulate %s %s %s ...", cases[i][0], cases[i][1], cases[i][2]);
        run_result r;
        run(s, cases[i], &r);
        assert_refused(&r, 2, msg, what);
        if (left >= 0)
            cr_assert_eq(entries(s->cwd), left, "%s wrote into its working directory", what);
        run_free(&r);
    }
}

/* Item 1: `-o ''` gave a heap-buffer-overflow under ASan and exit 3 after the whole run;
 * `--db ''` recorded the run nowhere and exited 0. Each is refused first, and nothing is
 * written (no out/ folder in the working directory). */
Test(paths, empty_paths_exit_2_before_anything_runs, .timeout = TIMEOUT)
{
    static const char *const cases[][8] = {
        {"-o", "", SMALL, NULL},
        {"--db", "", SMALL, NULL},
        {"check", "-o", "", STEADY, NULL},
        {"check", "--db", "", STEADY, NULL},
        {"check", "--junit", "", STEADY, NULL},
        {"check", "--markdown", "", STEADY, NULL},
        {"compare", "-o", "", SMALL, NULL},
        {"plot", "-o", "", "1", NULL},
        {"plot", "--db", "", "1", NULL},
        {"history", "--db", "", NULL},
        {"history", "-o", "", NULL},
        {"show", "1", "--db", "", NULL},
    };
    each_refused(&sc, cases, sizeof cases / sizeof cases[0], "an empty path", 0);
}

/* Item 1: a folder where a file is wanted, and a file where a folder is, are found before the
 * run too. */
Test(paths, unusable_paths_exit_2_before_anything_runs, .timeout = TIMEOUT)
{
    char file[300], sub[320];
    path_in(&sc, "a-file", file, sizeof file);
    write_text(file, "x\n");
    snprintf(sub, sizeof sub, "%s/sub", file);
    const char *const cases[][8] = {
        {"--db", sc.cwd, SMALL, NULL},
        {"-o", file, SMALL, NULL},
        {"check", "--junit", sc.cwd, STEADY, NULL},
        {"check", "--markdown", sub, STEADY, NULL},
    };
    each_refused(&sc, cases, sizeof cases / sizeof cases[0], "not a", 1);
}

/* Item 2: --junit and --markdown write to what the user named. */
Test(paths, outputs_are_written_to_what_the_path_names, .timeout = TIMEOUT)
{
    char target[300], link[300], dangling[300], made[300], fifo[300], out[300];
    path_in(&sc, "target.xml", target, sizeof target);
    path_in(&sc, "link.xml", link, sizeof link);
    path_in(&sc, "dangling.md", dangling, sizeof dangling);
    path_in(&sc, "made.md", made, sizeof made);
    path_in(&sc, "fifo.xml", fifo, sizeof fifo);
    snprintf(out, sizeof out, "%s/out", sc.dir);
    write_text(target, "old\n");
    cr_assert_eq(symlink("target.xml", link), 0);
    cr_assert_eq(symlink("made.md", dangling), 0);
    cr_assert_eq(mkfifo(fifo, 0600), 0);

    /* a link: followed, the link stays a link and its target gets the XML; a dangling link
     * makes its target */
    const char *follow[] = {"check", "-q",         "-o",     out,    "--junit",
                            link,    "--markdown", dangling, STEADY, NULL};
    run_result r;
    run(&sc, follow, &r);
    cr_assert_eq(r.status, 0, "check --junit LINK: exit %d; stderr: %s", r.status, r.err);
    run_free(&r);
    cr_assert_eq(type_of(link), S_IFLNK, "the link was replaced");
    cr_assert_eq(type_of(dangling), S_IFLNK, "the dangling link was replaced");
    char *xml = slurp(target, NULL), *md = slurp(made, NULL);
    cr_assert(xml && strstr(xml, "<testsuites"), "the link's target lacks the XML: %s", xml);
    cr_assert(md && strstr(md, "check-steady"), "the dangling link's target lacks the Markdown");
    free(xml);
    free(md);

    /* a FIFO nobody reads: refused with a clear line, not waited on, and still a FIFO */
    const char *nofifo[] = {"check", "-q", "-o", out, "--junit", fifo, STEADY, NULL};
    run_refused(&sc, nofifo, 2, "a FIFO with no reader", "check --junit FIFO");
    cr_assert_eq(type_of(fifo), S_IFIFO, "the FIFO was replaced");

    /* devices: written in place, never replaced (copies of /dev/null and /dev/full made here) */
    char null[300], full[300];
    path_in(&sc, "null", null, sizeof null);
    path_in(&sc, "full", full, sizeof full);
    if (mknod(null, S_IFCHR | 0666, makedev(1, 3)) != 0 ||
        mknod(full, S_IFCHR | 0666, makedev(1, 7)) != 0) {
        cr_log_warn("mknod is not permitted here: the device cases are skipped");
        scratch_close(&sc);
        return;
    }
    const char *tonull[] = {"check", "-q", "-o", out, "--markdown", null, STEADY, NULL};
    run(&sc, tonull, &r);
    cr_assert_eq(r.status, 0, "check --markdown DEVNULL: exit %d; stderr: %s", r.status, r.err);
    run_free(&r);
    cr_assert_eq(type_of(null), S_IFCHR, "the null device was replaced by a file");
    const char *tofull[] = {"check", "-q", "-o", out, "--junit", full, STEADY, NULL};
    run_refused(&sc, tofull, 3, "No space left on device", "check --junit DEVFULL");
    cr_assert_eq(type_of(full), S_IFCHR, "the full device was replaced by a file");
}

/* Item 2: a FIFO as an input blocked forever (run() fails the test on a hang); now each is
 * refused at once as not a regular file, with a position for a scenario. */
Test(paths, inputs_that_are_not_regular_files_are_refused, .timeout = TIMEOUT)
{
    char fifo[300], ext[300];
    path_in(&sc, "fifo.yaml", fifo, sizeof fifo);
    path_in(&sc, "ext.yaml", ext, sizeof ext);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    write_text(ext, "name: ext\nextends: fifo.yaml\n");
    char at_top[1024], at_ext[1024];
    snprintf(at_top, sizeof at_top, "%s:1:1: not a regular file (a FIFO)", fifo);
    snprintf(at_ext, sizeof at_ext, "%s:2:10: '%s/fifo.yaml': not a regular file (a FIFO)", ext,
             sc.cwd);
    struct {
        const char *args[8];
        const char *msg;
    } cases[] = {
        {{"--check", fifo, NULL}, at_top},
        {{"-o", "out", fifo, NULL}, at_top},
        {{"--check", ext, NULL}, at_ext},
        {{"plot", fifo, NULL}, "not a regular file (a FIFO)"},
        {{"check", "--baseline", fifo, STEADY, NULL}, "not a regular file (a FIFO)"},
        {{"--check", "/dev/zero", NULL}, "/dev/zero:1:1: not a regular file (a character device)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_refused(&sc, cases[i].args, 2, cases[i].msg, cases[i].args[0]);
    cr_assert_eq(entries(sc.cwd), 2, "a refused input wrote into the working directory");
}

/* Item 8: the same mistake, the same exit code, from every command. */
Test(paths, exit_codes_agree, .timeout = TIMEOUT)
{
    char big[] = "99999999999999999999"; /* past 2^63-1 and 2^64-1: not clamped */
    char b999[300];
    path_in(&sc, "b999.json", b999, sizeof b999);
    write_text(b999, "{\"schema_version\": 999, \"scenario\": {\"name\": \"check-steady\"}, "
                     "\"figures\": {\"monthly_cost\": {\"mean\": 5000}}}\n");
    struct {
        const char *args[8];
        const char *msg;
    } cases[] = {
        {{"plot", "1abc", NULL}, "1abc"},
        {{"plot", big, NULL}, big},
        {{"show", big, NULL}, big},
        {{"check", "--baseline", big, STEADY, NULL}, big},
        {{"keys", "--nope", NULL}, "--nope"},
        {{"check", "--baseline", b999, STEADY, NULL}, "schema_version 999"},
    };
    /* an objective in nanoseconds was refused as "needs a unit": ns is a unit the scenario's
     * durations have, so the objectives have it too (an unknown one: tests/data/bad) */
    char ns[300];
    path_in(&sc, "ns.yaml", ns, sizeof ns);
    write_text(ns, "name: ns\ntraffic:\n  phases: [{duration: 10s, rate: 10/s}]\n"
                   "  mix: {api_read: 100%}\napi:\n  service: {api_read: 10ms, api_write: 10ms}\n"
                   "objectives: [\"p(99) < 1ns\"]\n");
    const char *check_ns[] = {"--check", ns, NULL};
    run_result ok;
    run(&sc, check_ns, &ok);
    cr_assert_eq(ok.status, 0, "p(99) < 1ns: exit %d; stderr: %s", ok.status, ok.err);
    run_free(&ok);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r;
        run(&sc, cases[i].args, &r);
        char what[1024];
        snprintf(what, sizeof what, "simulate %s %s", cases[i].args[0], cases[i].args[1]);
        assert_refused(&r, 2, cases[i].msg, what);
        run_free(&r);
    }
}

static char *bytes_of(const char *path, size_t *len)
{
    char *b = slurp(path, len);
    cr_assert_not_null(b, "%s", path);
    return b;
}

/* Items 6 and 8: a store of a newer schema is exit 2 from every reader (it was 3 from history
 * and show, 2 from plot), and a foreign database is refused as "not a simulate results store"
 * by readers and a run alike, byte for byte untouched (history used to add seven tables and
 * switch it to WAL). */
Test(paths, stores_that_are_not_ours, .timeout = TIMEOUT)
{
    char db[300], other[300], out[300];
    path_in(&sc, "results.db", db, sizeof db);
    path_in(&sc, "other.sqlite", other, sizeof other);
    snprintf(out, sizeof out, "%s/out", sc.dir);
    const char *make[] = {"-q", "-o", out, "--db", db, SMALL, NULL};
    run_result r;
    run(&sc, make, &r);
    cr_assert_eq(r.status, 0, "the run: %s", r.err);
    run_free(&r);
    lite_exec(db, "UPDATE meta SET value='7' WHERE key='schema_version'");
    const char *const newer[][8] = {
        {"history", "--db", db, NULL},
        {"show", "1", "--db", db, NULL},
        {"plot", "1", "--db", db, "-o", out, NULL},
        {"check", "--db", db, "--baseline", "1", STEADY, NULL},
        {"-o", out, "--db", db, SMALL, NULL},
    };
    each_refused(&sc, newer, sizeof newer / sizeof newer[0], "schema version 7, newer", -1);

    lite_exec(other, "CREATE TABLE t(x); INSERT INTO t VALUES(1);");
    size_t n0, n1;
    char *before = bytes_of(other, &n0);
    const char *const foreign[][8] = {
        {"history", "--db", other, NULL},
        {"show", "1", "--db", other, NULL},
        {"plot", "1", "--db", other, "-o", out, NULL},
        {"-o", out, "--db", other, SMALL, NULL},
    };
    each_refused(&sc, foreign, sizeof foreign / sizeof foreign[0], "not a simulate results store",
                 -1);
    char *after = bytes_of(other, &n1);
    cr_assert(n0 == n1 && memcmp(before, after, n0) == 0, "the foreign database was changed");
    free(before);
    free(after);
}
