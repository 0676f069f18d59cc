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

int base_err_set(base_err *err, int status, const char *file, int line, int col, const char *fmt,
                 ...)
{
    if (!err)
        return status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    for (char *p = err->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return status;
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

char *base_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int base_write_file_atomic(const char *path, const void *data, size_t len, base_err *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    snprintf(tmp, n + 16, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int e = errno;
        free(tmp);
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    int ok = fwrite(data, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int e = errno;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        if (ok)
            e = errno;
        remove(tmp);
        free(tmp);
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    free(tmp);
    return BASE_OK;
}

int base_mkdir_p(const char *path, base_err *err)
{
    char *p = base_strdup(path);
    if (!p)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                int e = errno;
                base_err_set(err, BASE_EIO, path, 0, 0, "cannot create folder '%s': %s", p,
                             strerror(e));
                free(p);
                return BASE_EIO;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return base_err_set(err, BASE_EIO, path, 0, 0, "not a folder");
    return BASE_OK;
}
