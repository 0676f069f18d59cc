/*
 * test_bad.c — the bad-input corpus: every file in tests/data/bad/ is a scenario with one thing
 * wrong, and the simulate binary must refuse it the way a user needs: exit code 2, one line on
 * stderr naming the file, line and column of the offending text, a message that says what is
 * wrong, nothing on stdout, no report written — and never a crash or a hang.
 *
 * Why: the corpus is the user's side of the contract of src/io/ and src/model/'s checks. A
 * file's first line says what it expects (tests/data/bad/README.md):
 *     # expect: LINE:COL: substring of the message
 *     # expect: OTHER.yaml:LINE:COL: substring   (the error is in a file it extends)
 *     # expect: -:-: substring                   (the file, no position)
 *     # expect: -: substring                     (no file, no position)
 * Files that cannot hold a comment (the empty file) carry it in NAME.expect; files that exist
 * only to be extended start with `# helper:`. The folder is read at run time, so adding a file
 * adds a case; each file is run twice, with --check and as a run (--output into a temp dir),
 * each in its own process with a 10 s limit, in an empty working directory that must stay empty.
 *
 * Every test has the same .timeout: Criterion 2.4's runner leaks an allocation when tests of one
 * executable have different timeouts and run in parallel, and ctest fails on the leak report.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "files.h"

#define BAD_DIR     SIMULATE_TESTDATA "/bad"
#define RUN_LIMIT_S 10.0
#define MIN_CASES   30

/* ---------------------------------------------------------------- running simulate */

typedef struct run_result {
    int status;    /* exit code when it exited, else -1 */
    int signal;    /* the signal that ended it, else 0 */
    int timed_out; /* killed after RUN_LIMIT_S */
    char out[8192], err[8192];
    size_t out_len, err_len;
} run_result;

static void read_capture(const char *path, char *buf, size_t cap, size_t *len)
{
    buf[0] = '\0';
    *len = 0;
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open the capture %s", path);
    *len = fread(buf, 1, cap - 1, f);
    buf[*len] = '\0';
    fclose(f);
}

/* Runs argv (argv[0] is the binary) with cwd `cwd`, stdin /dev/null, stdout and stderr into
 * files in `capdir`; kills it after RUN_LIMIT_S. */
static void run_in(char *const argv[], const char *cwd, const char *capdir, run_result *r)
{
    char out_path[600], err_path[600];
    snprintf(out_path, sizeof out_path, "%s/stdout", capdir);
    snprintf(err_path, sizeof err_path, "%s/stderr", capdir);
    memset(r, 0, sizeof *r);
    r->status = -1;
    int st = spawn_wait(argv, cwd, out_path, err_path, RUN_LIMIT_S);
    if (st == -1)
        r->timed_out = 1;
    else if (WIFEXITED(st))
        r->status = WEXITSTATUS(st);
    else if (WIFSIGNALED(st))
        r->signal = WTERMSIG(st);
    read_capture(out_path, r->out, sizeof r->out, &r->out_len);
    read_capture(err_path, r->err, sizeof r->err, &r->err_len);
}

/* Entries in a folder other than . and ..; -1 when it does not exist. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* ---------------------------------------------------------------- the corpus */

typedef struct bad_case {
    char name[128];    /* file name in BAD_DIR */
    char path[512];    /* as passed to simulate */
    char prefix[768];  /* what stderr must start with */
    char msg[256];     /* a substring of the message */
    char problem[256]; /* non-empty: the case itself is malformed */
    int check;         /* 1: --check; 0: a run */
} bad_case;

static int is_yaml(const char *name)
{
    size_t l = strlen(name);
    return l > 5 && strcmp(name + l - 5, ".yaml") == 0;
}

/* The first line of a file (without its newline), "" when empty or unreadable. */
static void first_line(const char *path, char *buf, size_t cap)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    if (!fgets(buf, (int)cap, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
}

static int all_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Reads `# expect: [FILE:]LINE:COL: msg`, `-:-: msg` or `-: msg` into c. */
static void parse_expect(const char *spec, bad_case *c)
{
    const char *p = spec;
    char file[256] = "";
    const char *colon = strchr(p, ':');
    if (!colon) {
        snprintf(c->problem, sizeof c->problem, "malformed expectation '%s'", spec);
        return;
    }
    if (!strncmp(p, "-: ", 3)) { /* no file, no position */
        snprintf(c->prefix, sizeof c->prefix, "simulate: ");
        snprintf(c->msg, sizeof c->msg, "%s", p + 3);
        return;
    }
    if (!strncmp(p, "-:-: ", 5)) { /* the file, no position */
        snprintf(c->prefix, sizeof c->prefix, "simulate: %s: ", c->path);
        snprintf(c->msg, sizeof c->msg, "%s", p + 5);
        return;
    }
    if (!all_digits(p, (size_t)(colon - p))) { /* another file, named relative to this one */
        snprintf(file, sizeof file, "%.*s", (int)(colon - p), p);
        p = colon + 1;
        colon = strchr(p, ':');
    }
    int line = 0, col = 0, used = 0;
    if (!colon || sscanf(p, "%d:%d: %n", &line, &col, &used) != 2 || used == 0 || line < 1 ||
        col < 1 || !p[used]) {
        snprintf(c->problem, sizeof c->problem, "malformed expectation '%s'", spec);
        return;
    }
    if (file[0])
        snprintf(c->prefix, sizeof c->prefix, "simulate: %s/%s:%d:%d: ", BAD_DIR, file, line, col);
    else
        snprintf(c->prefix, sizeof c->prefix, "simulate: %s:%d:%d: ", c->path, line, col);
    snprintf(c->msg, sizeof c->msg, "%s", p + used);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fills cases (room for `cap`) with one --check case and one run case per tested file;
 * returns how many, or -1 when the folder cannot be read. */
static int scan_corpus(bad_case *cases, int cap)
{
    DIR *d = opendir(BAD_DIR);
    if (!d)
        return -1;
    char *names[512];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 512)
        if (is_yaml(e->d_name))
            names[nn++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], name_cmp);
    int n = 0;
    for (int i = 0; i < nn; i++) {
        char path[512], side[600], line[512];
        snprintf(path, sizeof path, "%s/%s", BAD_DIR, names[i]);
        first_line(path, line, sizeof line);
        if (!strncmp(line, "# helper:", 9)) {
            free(names[i]);
            continue;
        }
        if (strncmp(line, "# expect: ", 10) != 0) {
            snprintf(side, sizeof side, "%s.expect", path);
            first_line(side, line, sizeof line);
        }
        for (int mode = 1; mode >= 0 && n < cap; mode--) {
            bad_case *c = &cases[n++];
            memset(c, 0, sizeof *c);
            snprintf(c->name, sizeof c->name, "%s", names[i]);
            snprintf(c->path, sizeof c->path, "%s", path);
            c->check = mode;
            if (strncmp(line, "# expect: ", 10) != 0)
                snprintf(c->problem, sizeof c->problem,
                         "starts with neither '# expect: ' nor '# helper:' (and has no %s.expect)",
                         names[i]);
            else
                parse_expect(line + 10, c);
        }
        free(names[i]);
    }
    return n;
}

static void free_cases(struct criterion_test_params *p)
{
    cr_free(p->params);
}

ParameterizedTestParameters(bad, refused)
{
    enum { CAP = 1024 };
    bad_case *tmp = calloc(CAP, sizeof *tmp);
    int n = tmp ? scan_corpus(tmp, CAP) : -1;
    if (n < 1) {
        free(tmp);
        return cr_make_param_array(bad_case, NULL, 0, NULL);
    }
    bad_case *cases = cr_calloc((size_t)n, sizeof *cases);
    memcpy(cases, tmp, (size_t)n * sizeof *cases);
    free(tmp);
    return cr_make_param_array(bad_case, cases, (size_t)n, free_cases);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

ParameterizedTest(bad_case *c, bad, refused, .timeout = 60)
{
    const char *mode = c->check ? "--check" : "run";
    cr_assert_str_empty(c->problem, "%s: %s", c->name, c->problem);

    char tmp[64];
    snprintf(tmp, sizeof tmp, "/tmp/simulate-test-bad-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
    char cwd[128], outdir[128];
    snprintf(cwd, sizeof cwd, "%s/cwd", tmp);
    snprintf(outdir, sizeof outdir, "%s/out", tmp);
    cr_assert_eq(mkdir(cwd, 0700), 0);

    char *argv_check[] = {SIMULATE_BIN, "--check", c->path, NULL};
    char *argv_run[] = {SIMULATE_BIN, "--output", outdir, c->path, NULL};
    static run_result result; /* each case runs in its own process */
    run_result *r = &result;
    run_in(c->check ? argv_check : argv_run, cwd, tmp, r);
    int left_cwd = entries(cwd), left_out = entries(outdir);
    char report[200];
    snprintf(report, sizeof report, "%s/report.json", outdir);
    int has_report = access(report, F_OK) == 0;
    remove_tree(tmp);

    cr_assert(!r->timed_out, "%s (%s): hung: killed after %.0f s", c->name, mode, RUN_LIMIT_S);
    cr_assert_eq(r->signal, 0, "%s (%s): crashed with signal %d (%s); stderr: %s", c->name, mode,
                 r->signal, strsignal(r->signal), r->err);
    cr_assert_eq(r->status, 2, "%s (%s): exit code %d, want 2; stderr: %s", c->name, mode,
                 r->status, r->err);
    cr_assert_eq(r->out_len, 0, "%s (%s): wrote to stdout: %s", c->name, mode, r->out);
    cr_assert_eq(count_lines(r->err), 1, "%s (%s): stderr is not exactly one line: %s", c->name,
                 mode, r->err);
    cr_assert(r->err[r->err_len - 1] == '\n', "%s (%s): stderr does not end its line: %s", c->name,
              mode, r->err);
    cr_assert(!strncmp(r->err, c->prefix, strlen(c->prefix)),
              "%s (%s): stderr does not start with\n  '%s'\nbut is\n  '%s'", c->name, mode,
              c->prefix, r->err);
    cr_assert(strstr(r->err + strlen(c->prefix), c->msg), "%s (%s): the message lacks '%s': %s",
              c->name, mode, c->msg, r->err);
    cr_assert(!has_report, "%s (%s): a report.json was written", c->name, mode);
    cr_assert(left_out <= 0, "%s (%s): --output folder is not empty", c->name, mode);
    cr_assert_eq(left_cwd, 0, "%s (%s): wrote %d files into its working directory", c->name, mode,
                 left_cwd);
}

/* Criterion 2.4's ParameterizedTest does not mark its registration pointer `used` (Test does),
 * so link-time optimisation, on in Release builds, silently drops the whole test (ctest then
 * passes with only the two plain tests run); this reference keeps it. */
__attribute__((used)) static struct criterion_test **const keep_bad_refused = &bad_refused_ptr;

Test(bad, corpus_is_large_enough, .timeout = 60)
{
    enum { CAP = 1024 };
    bad_case *cases = calloc(CAP, sizeof *cases);
    cr_assert_not_null(cases);
    int n = scan_corpus(cases, CAP);
    cr_assert_neq(n, -1, "cannot read %s", BAD_DIR);
    int files = n / 2, malformed = 0;
    for (int i = 0; i < n; i++)
        malformed += cases[i].problem[0] != '\0';
    free(cases);
    cr_assert_geq(files, MIN_CASES, "only %d tested files in %s (want at least %d)", files, BAD_DIR,
                  MIN_CASES);
    cr_assert_eq(malformed, 0, "%d cases have a malformed expectation", malformed / 2);
}

/* The expectation reader itself: a wrong reading would make every case pass or fail for
 * the wrong reason. */
Test(bad, expectations_parse, .timeout = 60)
{
    bad_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.path, sizeof c.path, "/x/a.yaml");
    parse_expect("12:3: unknown key 'x'", &c);
    cr_assert_str_empty(c.problem);
    cr_assert_str_eq(c.prefix, "simulate: /x/a.yaml:12:3: ");
    cr_assert_str_eq(c.msg, "unknown key 'x'");

    memset(c.prefix, 0, sizeof c.prefix);
    parse_expect("b.yaml:2:10: extends cycle", &c);
    cr_assert_str_eq(c.prefix, "simulate: " BAD_DIR "/b.yaml:2:10: ");
    cr_assert_str_eq(c.msg, "extends cycle");

    parse_expect("-:-: cannot read", &c);
    cr_assert_str_eq(c.prefix, "simulate: /x/a.yaml: ");
    cr_assert_str_eq(c.msg, "cannot read");

    parse_expect("-: no file", &c);
    cr_assert_str_eq(c.prefix, "simulate: ");
    cr_assert_str_eq(c.msg, "no file");

    const char *bad[] = {"nothing", "1:x: m", "0:1: m", "3:4:", "3:4: "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(c.problem, 0, sizeof c.problem);
        parse_expect(bad[i], &c);
        cr_assert_str_not_empty(c.problem, "'%s' was accepted", bad[i]);
    }
}
