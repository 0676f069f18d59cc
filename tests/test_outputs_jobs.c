/*
 * test_outputs_jobs.c — a run's outputs are the same bytes whatever --jobs is (issue 17 item
 * 4): the outputs go over the run's threads in slices whose number follows --jobs (the series'
 * rows parsed for the charts in 4 × jobs slices), the last replication's commit goes with them
 * (src/app/run.c, write_outputs), so -j 1, 2 and 3 divide the work differently and must
 * write the same report.json, charts, pack, Infracost file, deploy/ folder and store rows.
 */
#define _GNU_SOURCE /* open_memstream */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#define SUPPORT_NAME "outjobs"
#define RUN_LIMIT_S  300.0
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "support.h"
#pragma GCC diagnostic pop

TestSuite(outputs_jobs, .fini = scratch_fini, .timeout = 600);

#define STEADY SIMULATE_TESTDATA "/check/steady.yaml"

/* Every file under dir (but the results store's) compared with the same path under other;
 * returns how many were compared. */
static int same_tree(const char *dir, const char *other, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    DIR *d = opendir(path);
    cr_assert_not_null(d, "%s", path);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strncmp(e->d_name, "results.db", 10))
            continue;
        char sub[1024], a[2048], b[2048];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(a, sizeof a, "%s/%s", dir, sub);
        snprintf(b, sizeof b, "%s/%s", other, sub);
        struct stat st;
        cr_assert_eq(stat(a, &st), 0, "%s", a);
        if (S_ISDIR(st.st_mode)) {
            n += same_tree(dir, other, sub);
            continue;
        }
        size_t la = 0, lb = 0;
        char *x = slurp(a, &la), *y = slurp(b, &lb);
        cr_assert_not_null(x, "%s", a);
        cr_assert_not_null(y, "%s is missing", b);
        cr_expect(la == lb && memcmp(x, y, la) == 0, "%s differs from %s", a, b);
        free(x);
        free(y);
        n++;
    }
    closedir(d);
    return n;
}

/* Appends the rows of a query to *buf as text, doubles as their bits (%a). */
static void dump(sqlite3 *h, const char *sql, char **buf, size_t *len)
{
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(h));
    FILE *f = open_memstream(buf, len);
    cr_assert_not_null(f);
    fprintf(f, "%s\n", sql);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(q); c++) {
            if (sqlite3_column_type(q, c) == SQLITE_FLOAT)
                fprintf(f, "%a|", sqlite3_column_double(q, c));
            else if (sqlite3_column_type(q, c) == SQLITE_NULL)
                fputs("NULL|", f);
            else
                fprintf(f, "%s|", (const char *)sqlite3_column_text(q, c));
        }
        fputc('\n', f);
    }
    cr_assert_eq(rc, SQLITE_DONE, "%s", sqlite3_errmsg(h));
    fclose(f);
    sqlite3_finalize(q);
}

/* What the store holds of its one run, without what the clock or the order of finishing
 * chooses (started_at, finished_at, wall_s, the output folder's name, rowids). */
static char *store_dump(const char *db)
{
    static const char *const queries[] = {
        "SELECT scenario_name, scenario_sha256, seed, replications, fidelity, engine, status, "
        "error, report_json, pricing_text FROM runs",
        "SELECT replication, events, requests, served, errors, error_rate_pct, "
        "api_latency_p50_ms, api_latency_p95_ms, api_latency_p99_ms, peak_pods_ready, "
        "peak_nodes FROM replications ORDER BY replication",
        "SELECT position, key, unit, mean, ci95_half_width, ci95_low, ci95_high FROM figures "
        "ORDER BY position",
        "SELECT key, replication, value FROM figure_values ORDER BY key, replication",
        "SELECT position, objective, status, uncertain, measured, ci95_half_width FROM "
        "objectives ORDER BY position",
        "SELECT * FROM series ORDER BY replication IS NULL, replication, time_s",
    };
    sqlite3 *h;
    cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", db);
    char *all = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&all, &n);
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        char *b = NULL;
        size_t len = 0;
        dump(h, queries[i], &b, &len);
        fwrite(b, 1, len, f);
        free(b);
    }
    fclose(f);
    sqlite3_close(h);
    return all;
}

static int count(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *q;
    cr_assert_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", db);
    cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK, "%s", sql);
    cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
    int v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return v;
}

/* Four replications (even, so -j 2 ends both threads together; -j 3 leaves one thread a second
 * replication while the others start on nothing) with -j 1, 2 and 3, each into its own folder
 * and store. */
Test(outputs_jobs, report_store_and_charts_are_the_same_bytes_for_1_2_and_3_jobs)
{
    scratch s;
    scratch_open(&s);
    static const char *const jobs[] = {"1", "2", "3"};
    char dir[3][256], db[3][300];
    for (int j = 0; j < 3; j++) {
        snprintf(dir[j], sizeof dir[j], "%s/j%s", s.cwd, jobs[j]);
        snprintf(db[j], sizeof db[j], "%s/results.db", dir[j]);
        const char *args[] = {"-q", "-r", "4", "-j", jobs[j], "-o", dir[j], STEADY, NULL};
        run_result r;
        run(&s, args, &r);
        cr_assert_eq(r.status, 0, "-j %s: %s", jobs[j], r.err);
        run_free(&r);
        /* every replication committed, the last one with the outputs, and the run finished */
        cr_expect_eq(count(db[j], "SELECT count(*) FROM replications"), 4, "-j %s", jobs[j]);
        cr_expect_eq(count(db[j], "SELECT count(DISTINCT replication) FROM series WHERE "
                                  "replication IS NOT NULL"),
                     4, "-j %s", jobs[j]);
        cr_expect_eq(count(db[j], "SELECT count(*) FROM runs WHERE status = 'finished'"), 1,
                     "-j %s", jobs[j]);
    }
    char *want = store_dump(db[0]);
    for (int j = 1; j < 3; j++) {
        /* report.json, the five charts, review.pdf, the Infracost file and deploy/ */
        int n = same_tree(dir[0], dir[j], "");
        cr_expect_geq(n, 9, "only %d files compared", n);
        cr_expect_eq(same_tree(dir[j], dir[0], ""), n, "-j %s wrote other files", jobs[j]);
        char *got = store_dump(db[j]);
        cr_expect(strcmp(want, got) == 0, "the store of -j %s differs from -j 1's", jobs[j]);
        free(got);
    }
    cr_expect(strstr(want, "finished|"), "the dump holds the run");
    free(want);
    scratch_close(&s);
}
