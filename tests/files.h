/*
 * files.h — the helpers of the tests that write files or run a program: a whole file read into
 * memory, a folder removed with everything in it, the monotonic clock the tests' own time limits
 * read, a file written whole, and a child process run with its outputs captured and a time limit.
 * Static inline, so that a test uses what it needs without unused-function warnings. support.h (the
 * tests that run the binary) includes it.
 */
#ifndef SIMULATE_TESTS_FILES_H
#define SIMULATE_TESTS_FILES_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Writes text to the file at path, replacing it; a failure fails the test. */
static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    cr_assert_geq(fputs(text, f), 0, "%s", path);
    cr_assert_eq(fclose(f), 0, "%s", path);
}

/* write_text of a printf format. */
__attribute__((format(printf, 2, 3))) static inline void write_textf(const char *path,
                                                                     const char *fmt, ...)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    va_list ap;
    va_start(ap, fmt);
    cr_assert_geq(vfprintf(f, fmt, ap), 0, "%s", path);
    va_end(ap);
    cr_assert_eq(fclose(f), 0, "%s", path);
}

/* A whole file in a malloc'd, NUL-terminated buffer (NULL when it cannot be read); its length
 * in *len when len is not NULL. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    cr_assert_not_null(b);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            b = realloc(b, cap);
            cr_assert_not_null(b);
        }
        size_t got = fread(b + n, 1, cap - n - 1, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Removes a folder and everything in it (a scratch folder a test made), or a file. */
static inline void remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char sub[1024];
                int w = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                if (w > 0 && (size_t)w < sizeof sub) /* longer is none of our scratch files */
                    remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Runs argv (argv[0] is the program) in cwd (NULL: here) with stdin from /dev/null and stdout
 * and stderr into out_path and err_path (NULL: /dev/null), in its own process group so that a
 * kill reaches anything it started. Returns its wait status, or -1 when it was still running
 * after limit_s and its group was killed. Exit codes 126 and 127: the child could not be set up,
 * or the program could not be run. */
static inline int spawn_wait(char *const argv[], const char *cwd, const char *out_path,
                             const char *err_path, double limit_s)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
    if (pid == 0) {
        setpgid(0, 0);
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path ? err_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
            dup2(err, 2) < 0 || (cwd && chdir(cwd) != 0))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid); /* also here, so the group exists whichever runs first */
    double start = now_s();
    int st = 0;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            return st;
        cr_assert_neq(w, -1, "waitpid: %s", strerror(errno));
        if (now_s() - start > limit_s) {
            kill(-pid, SIGKILL);
            waitpid(pid, &st, 0);
            return -1;
        }
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The argv that runs simulate with args (NULL-ended, without argv[0]): SIMULATE_BIN, args, NULL,
 * in argv's cap entries; more fail the test. */
static inline void simulate_argv(const char *const *args, char **argv, int cap)
{
    int n = 0;
    argv[n++] = SIMULATE_BIN;
    for (; args[n - 1]; n++) {
        cr_assert_lt(n, cap - 1);
        argv[n] = (char *)args[n - 1];
    }
    argv[n] = NULL;
}

#endif
