/*
 * files.h — the file-system helpers of the tests that write files: a whole file read into
 * memory, a folder removed with everything in it, and the monotonic clock the tests' own time
 * limits read. Static inline, so that a test uses what it needs without unused-function
 * warnings. support.h (the tests that run the binary) includes it.
 */
#ifndef SIMULATE_TESTS_FILES_H
#define SIMULATE_TESTS_FILES_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

#endif
