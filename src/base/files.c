/*
 * files.c — the paths the user names: folders made, outputs written to what the path names,
 * inputs opened only when they are regular files. See base.h.
 *
 * Why: an output path may be a symbolic link, /dev/stdout, /dev/null or a FIFO a CI job reads
 * from. Writing a temporary file and renaming it over such a path would replace the link or the
 * device node with a plain file (as root, --junit /dev/full replaced the device), so only regular
 * files (and new ones) are replaced atomically; the rest is followed or written in place. An
 * input that is not a regular file is refused: opening a FIFO blocks until a writer comes,
 * /dev/zero never ends. Opening with O_NONBLOCK makes both checks safe: open(2) on a FIFO then
 * returns at once (ENXIO for a writer with no reader), and the flag is cleared before any I/O.
 */
/* realpath and S_ISSOCK are X/Open: glibc declares them only for _XOPEN_SOURCE. */
#define _XOPEN_SOURCE 700

#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for messages. */
static const char *kind_name(mode_t m)
{
    return S_ISREG(m)    ? "a file"
           : S_ISDIR(m)  ? "a folder"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
           : S_ISLNK(m)  ? "a symbolic link"
                         : "not a regular file";
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Writes into `path` where it is (a device, a FIFO, the target of a dangling link), creating it
 * only when `create`. */
static int write_in_place(const char *path, int create, const void *data, size_t len, base_err *err)
{
    int fd =
        open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (create ? O_CREAT : 0), 0666);
    if (fd < 0) {
        int e = errno;
        if (e == ENXIO) /* open(2): a FIFO opened for writing with O_NONBLOCK and no reader */
            return base_err_set(err, BASE_EINPUT, path, 0, 0,
                                "cannot write: a FIFO with no reader (nothing would read it)");
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    int fl = fcntl(fd, F_GETFL);
    int ok = fl != -1 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0;
    struct stat st;
    if (ok && create && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        ok = ftruncate(fd, 0) == 0;
    ok = ok && write_all(fd, data, len) == 0;
    int e = errno;
    ok = (close(fd) == 0) && ok;
    if (!ok)
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    return BASE_OK;
}

/* A temporary file beside `path`, fsync, rename over it; `mode` is the replaced file's
 * permissions (0: a new file, the umask's). */
static int replace_atomically(const char *path, mode_t mode, const void *data, size_t len,
                              base_err *err)
{
    size_t n = strlen(path);
    char *tmp = base_malloc(n + 24);
    if (!tmp)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    snprintf(tmp, n + 24, "%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    int ok = (mode == 0 || fchmod(fd, mode & 07777) == 0) && write_all(fd, data, len) == 0 &&
             fsync(fd) == 0;
    int e = errno;
    ok = (close(fd) == 0) && ok;
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

int base_write_file_atomic(const char *path, const void *data, size_t len, base_err *err)
{
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "cannot write: an empty path");
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return replace_atomically(path, 0, data, len, err);
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    }
    if (S_ISREG(st.st_mode))
        return replace_atomically(path, st.st_mode, data, len, err);
    if (S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real && errno == ENOENT) /* a link to a file not made yet: make it through the link */
            return write_in_place(path, 1, data, len, err);
        if (!real)
            return base_err_set(err, BASE_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        struct stat t;
        int rc;
        if (stat(real, &t) == 0 && S_ISREG(t.st_mode))
            rc = replace_atomically(real, t.st_mode, data, len, err);
        else
            rc = base_write_file_atomic(real, data, len, err); /* real is no link: one level */
        if (rc != BASE_OK && err)                              /* name what the user named */
            snprintf(err->file, sizeof err->file, "%s", path);
        free(real);
        return rc;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
        return write_in_place(path, 0, data, len, err);
    return base_err_set(err, BASE_EINPUT, path, 0, 0, "cannot write: it is %s, not a file",
                        kind_name(st.st_mode));
}

int base_open_regular(const char *path, size_t max_bytes, FILE **out, base_err *err)
{
    *out = NULL;
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "no file named (an empty path)");
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot read: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return base_err_set(err, BASE_EINPUT, path, 0, 0, "not a regular file (%s)",
                            kind_name(st.st_mode));
    }
    if (max_bytes > 0 && (unsigned long long)st.st_size > (unsigned long long)max_bytes) {
        close(fd);
        return base_err_set(err, BASE_EINPUT, path, 0, 0,
                            "file is larger than the limit of %zu bytes (it has %lld)", max_bytes,
                            (long long)st.st_size);
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (fl != -1 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
        f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        return base_err_set(err, BASE_EIO, path, 0, 0, "cannot read: %s", strerror(e));
    }
    *out = f;
    return BASE_OK;
}

int base_check_output(const char *what, const char *path, int folder, base_err *err)
{
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "%s '': an empty path names no %s", what,
                            folder ? "folder" : "file");
    char *p = base_strdup(path);
    if (!p)
        return base_err_set(err, BASE_ENOMEM, path, 0, 0, "out of memory");
    int rc = BASE_OK;
    struct stat st;
    /* every part that exists must be a folder; the first missing one ends the walk (the rest
     * will be made) */
    for (char *s = p + 1; *s && rc == BASE_OK; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (stat(p, &st) != 0) {
            *s = '/';
            break;
        }
        if (!S_ISDIR(st.st_mode))
            rc = base_err_set(err, BASE_EINPUT, path, 0, 0, "%s: '%s' is %s, not a folder", what, p,
                              kind_name(st.st_mode));
        *s = '/';
    }
    size_t n = strlen(p);
    if (rc == BASE_OK && stat(p, &st) == 0) {
        if (folder && !S_ISDIR(st.st_mode))
            rc = base_err_set(err, BASE_EINPUT, path, 0, 0, "%s: it is %s, not a folder", what,
                              kind_name(st.st_mode));
        else if (!folder && S_ISDIR(st.st_mode))
            rc = base_err_set(err, BASE_EINPUT, path, 0, 0, "%s: it is a folder, not a file", what);
        else if (!folder && (S_ISSOCK(st.st_mode) || S_ISBLK(st.st_mode)))
            rc = base_err_set(err, BASE_EINPUT, path, 0, 0, "%s: it is %s, not a file", what,
                              kind_name(st.st_mode));
    } else if (rc == BASE_OK && !folder && p[n - 1] == '/')
        rc = base_err_set(err, BASE_EINPUT, path, 0, 0, "%s: ends with '/', so names a folder",
                          what);
    free(p);
    return rc;
}

int base_mkdir_p(const char *path, base_err *err)
{
    if (!path || !*path)
        return base_err_set(err, BASE_EINPUT, NULL, 0, 0, "an empty path names no folder");
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
