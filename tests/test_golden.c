/*
 * test_golden.c — every case of tests/golden/cases still writes the report.json checked in
 * beside it, byte for byte.
 *
 * Why: issue 14 moves the engines' code component by component; each move must leave every
 * figure where it was (or list and explain what moved). A golden per ready scenario and per
 * request-engine case catches a move that shifts a random stream, an event order or a rounding,
 * which the tests of single figures' tolerances would let pass.
 *
 * Each case runs the real binary (SIMULATE_BIN) from the project root (report.json records the
 * scenario's path as given) with `-q -r 2 -j 1`, as tools/goldens wrote it. A golden is either
 * NAME.json (compared byte for byte) or, above 1 MB, NAME.sha256 (the SHA-256 of the bytes) with
 * NAME.figures.json (the `figures` section, to say which figures moved). On a mismatch the test
 * names the first figures that differ.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

/* A hang guard, not a timing goal: black-friday, the longest case, takes about 2 s in a plain
 * build and some 10x that under ASan on a loaded 2-core machine. */
#define RUN_LIMIT_S  300.0
#define SUPPORT_NAME "test-golden"
#define GOLDEN       SIMULATE_ROOT "/tests/golden"
#define MAX_NAMED    5 /* figures named in a mismatch message */

/* The scratch folder only: run() and run_free() capture stdout and run in the scratch folder,
 * but report.json records the scenario's path as given, so the cases run from the root. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "support.h"
#pragma GCC diagnostic pop

TestSuite(golden, .fini = scratch_fini);

/* Appends to `msg` (capacity cap) the names of up to MAX_NAMED figures whose values differ
 * between `want` and `got` (both a report's `figures` object), or says none did. */
static void name_moved_figures(json_t *want, json_t *got, char *msg, size_t cap)
{
    size_t len = strlen(msg);
    int named = 0, moved = 0;
    const char *key;
    json_t *w;
    json_object_foreach(want, key, w)
    {
        if (json_equal(w, json_object_get(got, key)))
            continue;
        if (named++ < MAX_NAMED)
            len += (size_t)snprintf(msg + len, len < cap ? cap - len : 0, "%s%s",
                                    moved ? ", " : " figures moved: ", key);
        moved++;
    }
    json_t *g;
    json_object_foreach(got, key, g)
    {
        if (json_object_get(want, key))
            continue;
        if (named++ < MAX_NAMED)
            len += (size_t)snprintf(msg + len, len < cap ? cap - len : 0, "%s%s (new)",
                                    moved ? ", " : " figures moved: ", key);
        moved++;
    }
    if (len >= cap)
        return;
    if (!moved)
        snprintf(msg + len, cap - len, " no figure moved (the bytes differ outside `figures`)");
    else if (named > MAX_NAMED)
        snprintf(msg + len, cap - len, " and %d more", named - MAX_NAMED);
}

/* Runs one case (name, its arguments as one space-separated string) and returns NULL when its
 * report.json matches the golden, else a message (malloc'd) saying what differs. */
static char *check_case(scratch *s, const char *name, char *args)
{
    char out_dir[160], db[160], report[192];
    snprintf(out_dir, sizeof out_dir, "%s/out-%s", s->dir, name);
    snprintf(db, sizeof db, "%s/%s.db", s->dir, name);
    snprintf(report, sizeof report, "%s/report.json", out_dir);
    char *argv[24] = {SIMULATE_BIN, "-q", "-r", "2", "-j", "1", "-o", out_dir, "--db", db};
    int n = 10;
    for (char *w = strtok(args, " \t"); w; w = strtok(NULL, " \t")) {
        cr_assert_lt(n, 23, "%s: too many arguments", name);
        argv[n++] = w;
    }
    argv[n] = NULL;
    char err_path[160];
    snprintf(err_path, sizeof err_path, "%s/stderr", s->dir);
    int st = spawn_wait(argv, SIMULATE_ROOT, NULL, err_path, RUN_LIMIT_S);
    cr_assert_neq(st, -1, "%s: hung, killed after %.0f s", name, RUN_LIMIT_S);
    size_t elen = 0;
    char *err = slurp(err_path, &elen);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: simulate failed (status %d): %s", name,
              st, err ? err : "");
    free(err);

    size_t got_len = 0;
    char *got = slurp(report, &got_len);
    cr_assert_not_null(got, "%s: no report.json", name);

    char path[256];
    snprintf(path, sizeof path, "%s/%s.json", GOLDEN, name);
    size_t want_len = 0;
    char *want = slurp(path, &want_len);
    json_t *want_fig = NULL, *want_doc = NULL;
    int same;
    if (want) {
        same = want_len == got_len && !memcmp(want, got, got_len);
        if (!same) {
            want_doc = json_loadb(want, want_len, 0, NULL);
            want_fig = json_object_get(want_doc, "figures");
        }
    } else {
        snprintf(path, sizeof path, "%s/%s.sha256", GOLDEN, name);
        size_t dlen = 0;
        char *digest = slurp(path, &dlen);
        cr_assert(digest && dlen >= 64, "%s: no golden (%s.json or %s.sha256): run tools/goldens",
                  name, name, name);
        char hex[65];
        base_sha256_hex(got, got_len, hex);
        same = !strncmp(hex, digest, 64);
        free(digest);
        if (!same) {
            snprintf(path, sizeof path, "%s/%s.figures.json", GOLDEN, name);
            want_doc = json_load_file(path, 0, NULL);
            want_fig = want_doc;
        }
    }
    char *msg = NULL;
    if (!same) {
        size_t cap = 1024;
        msg = malloc(cap);
        cr_assert_not_null(msg);
        snprintf(msg, cap, "%s: report.json differs from its golden;", name);
        json_t *got_doc = json_loadb(got, got_len, 0, NULL);
        json_t *got_fig = json_object_get(got_doc, "figures");
        if (json_is_object(want_fig) && json_is_object(got_fig))
            name_moved_figures(want_fig, got_fig, msg, cap);
        else
            snprintf(msg + strlen(msg), cap - strlen(msg), " (figures unreadable)");
        json_decref(got_doc);
    }
    json_decref(want_doc);
    free(want);
    free(got);
    return msg;
}

Test(golden, every_case_writes_its_golden_report, .timeout = 1200)
{
    size_t len = 0;
    char *cases = slurp(GOLDEN "/cases", &len);
    cr_assert_not_null(cases, "tests/golden/cases missing");
    scratch s;
    scratch_open(&s);
    char failures[8192] = "";
    int ran = 0, failed = 0;
    char *save = NULL;
    for (char *line = strtok_r(cases, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '#' || !*line)
            continue;
        char *args = line + strcspn(line, " \t");
        if (*args)
            *args++ = '\0';
        char *msg = check_case(&s, line, args);
        ran++;
        if (msg) {
            failed++;
            size_t fl = strlen(failures);
            snprintf(failures + fl, sizeof failures - fl, "\n  %s", msg);
            free(msg);
        }
    }
    free(cases);
    scratch_close(&s);
    cr_assert_gt(ran, 0, "tests/golden/cases lists no case");
    cr_assert_eq(failed, 0,
                 "%d of %d golden cases moved:%s\nif the change is intended, run tools/goldens and "
                 "say in the commit which figures moved and why",
                 failed, ran, failures);
}
