/*
 * test_validate_suite.c — the JSON Schema validator (src/validate) against the official JSON
 * Schema Test Suite for draft 7, as Debian packages it (json-schema-test-suite, files under
 * /usr/share/json-schema-test-suite/tests/draft7; tools/setup installs it).
 *
 * Why: the suite is what every Draft 7 validator is measured by; our keyword tests say what we
 * meant, the suite says where that differs from the specification. Every test of every case of
 * every file the validator claims is run. The outcome must equal the checked-in list of known
 * failures (tests/data/validate/draft7-known-failures.txt, one line per test: file, case, test,
 * why) exactly: a test that newly fails fails this test, and so does a listed test that now
 * passes, so the list stays true. A test "fails" when the check's verdict differs from the
 * suite's, or when the validator refuses the case's schema (then no verdict is possible).
 *
 * Not run, with the reason (docs/validation-schema.md has the table):
 *   refRemote.json: its schemas $ref http://localhost:1234/...; the validator resolves only
 *     fragments of the schema's own document and has no resolver to hand it the suite's remotes/;
 *   optional/format/ (every file), optional/ecmascript-regex.json (a "format": "regex" test):
 *     format is an annotation here (draft 7 validation §7.2 lets an implementation not assert it);
 *   optional/content.json: contentMediaType and contentEncoding are annotations (§8).
 * Run from optional/: bignum.json and zeroTerminatedFloats.json, which test keywords the validator
 * claims (type, minimum, maximum, exclusive bounds).
 *
 * Every test has the same .timeout (see test_validate.c: Criterion 2.4 leaks otherwise).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/validate.h"
#include "files.h"

#define T_LIMIT 120
#define SUITE   "/usr/share/json-schema-test-suite/tests/draft7"
#define KNOWN   SIMULATE_TESTDATA "/validate/draft7-known-failures.txt"

/* Files of draft7/ not run, and the optional/ files that are (see the header). */
static const char *const skipped[] = {"refRemote.json"};
static const char *const optional[] = {"optional/bignum.json",
                                       "optional/zeroTerminatedFloats.json"};

/* A list of "file\tcase\ttest" keys, with the checker's message beside each failure. */
typedef struct keys {
    char **key, **note;
    size_t n, cap;
} keys;

static void keys_add(keys *k, const char *key, const char *note)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 64;
        k->key = realloc(k->key, k->cap * sizeof *k->key);
        k->note = realloc(k->note, k->cap * sizeof *k->note);
        cr_assert(k->key && k->note);
    }
    k->key[k->n] = strdup(key);
    k->note[k->n] = strdup(note ? note : "");
    cr_assert(k->key[k->n] && k->note[k->n]);
    k->n++;
}

static int keys_has(const keys *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->key[i], key))
            return 1;
    return 0;
}

static void keys_free(keys *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->key[i]);
        free(k->note[i]);
    }
    free(k->key);
    free(k->note);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .json files of draft7/ to run, sorted, then the optional ones; *n of them. */
static char **suite_files(size_t *n)
{
    DIR *d = opendir(SUITE);
    cr_assert_not_null(d, "%s missing: install Debian's json-schema-test-suite (tools/setup)",
                       SUITE);
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
            continue;
        int skip = 0;
        for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++)
            skip |= !strcmp(e->d_name, skipped[i]);
        if (skip)
            continue;
        if (*n + 1 >= cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            cr_assert_not_null(names);
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, *n, sizeof *names, by_name);
    names = realloc(names, (*n + sizeof optional / sizeof *optional) * sizeof *names);
    cr_assert_not_null(names);
    for (size_t i = 0; i < sizeof optional / sizeof *optional; i++)
        names[(*n)++] = strdup(optional[i]);
    return names;
}

/* Runs one file; adds each failing test to `failed` and counts the tests in *total. */
static void run_file(const char *name, keys *failed, size_t *total)
{
    char path[512], key[1024];
    snprintf(path, sizeof path, "%s/%s", SUITE, name);
    json_error_t je;
    json_t *cases = json_load_file(path, 0, &je);
    if (!cases) /* bignum.json: integers beyond 64 bits, which jansson reads only as reals */
        cases = json_load_file(path, JSON_DECODE_INT_AS_REAL, &je);
    cr_assert(json_is_array(cases), "%s: %s", path, je.text);
    size_t ci;
    json_t *c;
    json_array_foreach(cases, ci, c)
    {
        const char *cdesc = json_string_value(json_object_get(c, "description"));
        val_schema *s = NULL;
        base_err lerr;
        int loaded = val_schema_from_json(json_object_get(c, "schema"), &s, &lerr);
        size_t ti;
        json_t *t;
        json_array_foreach(json_object_get(c, "tests"), ti, t)
        {
            const char *tdesc = json_string_value(json_object_get(t, "description"));
            int want = json_is_true(json_object_get(t, "valid"));
            snprintf(key, sizeof key, "%s\t%s\t%s", name, cdesc, tdesc);
            (*total)++;
            if (loaded != BASE_OK) {
                keys_add(failed, key, lerr.msg);
                continue;
            }
            base_err err;
            int st = val_check(s, json_object_get(t, "data"), &err);
            cr_assert(st == BASE_OK || st == BASE_EINPUT, "%s: status %d (%s)", key, st, err.msg);
            if ((st == BASE_OK) != want)
                keys_add(failed, key, want ? err.msg : "passed, should fail");
        }
        val_schema_free(s);
    }
    json_decref(cases);
}

/* The checked-in list: "file\tcase\ttest\twhy" lines, '#' comments and blank lines skipped. */
static void read_known(keys *known)
{
    char *text = slurp(KNOWN, NULL);
    cr_assert_not_null(text, "cannot read %s", KNOWN);
    size_t lineno = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        lineno++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
        cr_assert(t3 && t3[1], "%s: an entry needs file, case, test and why, tab-separated: %s",
                  KNOWN, line);
        *t3 = '\0';
        cr_assert(!keys_has(known, line), "%s: listed twice: %s", KNOWN, line);
        keys_add(known, line, t3 + 1);
    }
    free(text);
}

Test(validate_suite, draft7_matches_known_failures, .timeout = T_LIMIT)
{
    size_t nfiles, total = 0;
    char **files = suite_files(&nfiles);
    keys failed = {0}, known = {0};
    for (size_t i = 0; i < nfiles; i++)
        run_file(files[i], &failed, &total);
    read_known(&known);

    size_t news = 0, stale = 0;
    for (size_t i = 0; i < failed.n; i++)
        if (!keys_has(&known, failed.key[i])) {
            news++;
            cr_log_error("fails, not listed: %s\t(%s)", failed.key[i], failed.note[i]);
        }
    for (size_t i = 0; i < known.n; i++)
        if (!keys_has(&failed, known.key[i])) {
            stale++;
            cr_log_error("listed, now passes (remove it): %s", known.key[i]);
        }
    cr_log_info("draft 7 suite: %zu files, %zu tests, %zu pass, %zu fail (%zu listed)", nfiles,
                total, total - failed.n, failed.n, known.n);
    cr_expect_eq(news, 0, "%zu suite tests fail that %s does not list", news, KNOWN);
    cr_expect_eq(stale, 0, "%zu tests listed in %s now pass", stale, KNOWN);
    cr_expect_gt(total, 300, "the draft 7 suite has over 300 tests; found %zu", total);

    keys_free(&failed);
    keys_free(&known);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
}
