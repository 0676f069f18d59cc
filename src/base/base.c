/*
 * base.c — diagnostics, a few portable helpers. See base.h.
 */
#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void base_err_clear(base_err *err)
{
    if (!err)
        return;
    err->file[0] = '\0';
    err->line = 0;
    err->col = 0;
    err->msg[0] = '\0';
}

int base_err_setv(base_err *err, int status, const char *file, int line, int col, const char *fmt,
                  va_list ap)
{
    if (!err)
        return status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    for (char *p = err->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return status;
}

int base_err_set(base_err *err, int status, const char *file, int line, int col, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    int st = base_err_setv(err, status, file, line, col, fmt, ap);
    va_end(ap);
    return st;
}

const char *base_strerror(int status)
{
    switch (status) {
    case BASE_OK: return "ok";
    case BASE_EINPUT: return "bad input";
    case BASE_ENOMEM: return "out of memory";
    case BASE_EIO: return "input/output error";
    case BASE_ELIMIT: return "limit reached";
    case BASE_EINTERNAL: return "internal error";
    default: return "unknown error";
    }
}

void base_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "simulate: internal error: %s:%d: invariant failed: %s\n", file, line, cond);
    abort();
}

char *base_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = base_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void *base_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : first ? first : 1;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *q = base_realloc(p, n * size);
    if (q)
        *cap = n;
    return q;
}

uint64_t base_hash_text(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}
