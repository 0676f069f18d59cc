/*
 * test_fuzz.c — the fuzz targets' inputs replayed on every ordinary test run, without clang:
 * each entry point of fuzz/entries.h (the same functions the libFuzzer targets call) gets
 * every seed tools/fuzz starts from (tests/data, scenarios/, models/) and every reproducer of a
 * finding kept in fuzz/crashes/TARGET/. A crash, a hang (ctest's timeout) or, in the sanitizer
 * build, any report fails the test: a fixed finding stays fixed.
 *
 * Why a replay: tools/fuzz needs clang and minutes; this needs neither, and runs the inputs
 * that once broke a reader every time anything changes.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../fuzz/entries.h"
#include "files.h"

/* Feeds every regular file under `dir` (recursively) whose name ends in one of `exts` (NULL:
 * any) to `entry`; returns how many. */
static size_t replay_dir(fuzz_entry entry, const char *dir, const char *const *exts)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += replay_dir(entry, path, exts);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        int match = exts == NULL;
        size_t len = strlen(de->d_name);
        for (size_t i = 0; exts && exts[i] && !match; i++) {
            size_t el = strlen(exts[i]);
            match = len >= el && strcmp(de->d_name + len - el, exts[i]) == 0;
        }
        if (!match)
            continue;
        size_t size;
        char *data = slurp(path, &size);
        cr_assert_not_null(data, "cannot read %s", path);
        entry((const uint8_t *)data, size);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

static const char *const yaml[] = {".yaml", ".yml", NULL};
static const char *const json[] = {".json", NULL};

/* The seeds as tools/fuzz takes them, then the target's reproducers. */
static size_t replay(const char *target, const char *const *dirs, const char *const *exts)
{
    fuzz_entry entry = fuzz_entry_named(target);
    cr_assert_not_null(entry, "no fuzz entry named %s", target);
    size_t n = 0;
    for (size_t i = 0; dirs[i]; i++)
        n += replay_dir(entry, dirs[i], exts);
    char crashes[4096];
    snprintf(crashes, sizeof crashes, "%s/fuzz/crashes/%s", SIMULATE_ROOT, target);
    n += replay_dir(entry, crashes, NULL);
    return n;
}

Test(fuzz, scenario_corpus)
{
    const char *dirs[] = {SIMULATE_TESTDATA, SIMULATE_ROOT "/scenarios", SIMULATE_ROOT "/models",
                          NULL};
    size_t n = replay("scenario", dirs, yaml);
    cr_expect_gt(n, 100, "only %zu scenario inputs replayed", n);
}

Test(fuzz, pricing_corpus)
{
    const char *dirs[] = {SIMULATE_ROOT "/models/pricing", NULL};
    size_t n = replay("pricing", dirs, yaml);
    cr_expect_gt(n, 0, "no pricing file replayed");
}

Test(fuzz, report_corpus)
{
    const char *dirs[] = {SIMULATE_TESTDATA, NULL};
    size_t n = replay("report", dirs, json);
    cr_expect_gt(n, 2, "only %zu report inputs replayed", n);
}

Test(fuzz, baseline_corpus)
{
    const char *dirs[] = {SIMULATE_TESTDATA, NULL};
    size_t n = replay("baseline", dirs, json);
    cr_expect_gt(n, 2, "only %zu baseline inputs replayed", n);
}

/* The entries refuse quietly what is not theirs: nothing, and bytes that are no text at all. */
Test(fuzz, empty_and_binary)
{
    static const uint8_t junk[] = {0, 0xff, 0xfe, '{', '[', ':', 0x80, '\n'};
    const char *names[] = {"scenario", "pricing", "report", "baseline"};
    for (size_t i = 0; i < 4; i++) {
        fuzz_entry e = fuzz_entry_named(names[i]);
        cr_assert_not_null(e);
        cr_expect_eq(e(NULL, 0), 0);
        cr_expect_eq(e(junk, sizeof junk), 0);
    }
    cr_expect_null(fuzz_entry_named("nope"));
}
