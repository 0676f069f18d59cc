/*
 * base.h — the few things every room of simulate shares: status codes and the diagnostic
 * that carries an error from where it is found to the CLI, which alone prints it.
 *
 * Errors are values. A function that can fail returns an int status (BASE_OK or a negative
 * BASE_E* code) and, on failure, fills the caller's base_err with the position in the user's
 * input when there is one (file, 1-based line and column) and a one-line message. Only the
 * CLI turns a base_err into `simulate: FILE:LINE:COL: message` and picks the exit code.
 */
#ifndef SIMULATE_BASE_H
#define SIMULATE_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    BASE_OK = 0,
    BASE_EINPUT = -1,    /* the user's input is wrong: exit code 2 */
    BASE_ENOMEM = -2,    /* out of memory */
    BASE_EIO = -3,       /* a file could not be read or written */
    BASE_ELIMIT = -4,    /* a hard limit of the program was reached */
    BASE_EINTERNAL = -5, /* a bug: an invariant did not hold */
};

/* A diagnostic: where (when known) and what. Plain struct, owned by the caller. */
typedef struct base_err {
    char file[512]; /* the path as the user named it; "" when there is no file */
    int line;       /* 1-based; 0 when unknown */
    int col;        /* 1-based; 0 when unknown */
    char msg[512];  /* one line, no trailing newline */
} base_err;

/* Clears *err (no file, no position, empty message). err may be NULL. */
void base_err_clear(base_err *err);

/* Fills *err (if not NULL) and returns `status`, so callers can write
 * `return base_err_set(err, BASE_EINPUT, file, line, col, "...")`. file may be NULL. Newlines in
 * the formatted message are replaced by spaces: a diagnostic is always one line. */
int base_err_set(base_err *err, int status, const char *file, int line, int col, const char *fmt,
                 ...) __attribute__((format(printf, 6, 7)));

/* base_err_set with the message's arguments as a va_list (for a caller's own printf-like
 * wrapper); ap is used up. */
int base_err_setv(base_err *err, int status, const char *file, int line, int col, const char *fmt,
                  va_list ap) __attribute__((format(printf, 6, 0)));

/* A short English name for a BASE_E* status. Never NULL. */
const char *base_strerror(int status);

/* BASE_ASSERT(cond): an invariant of the program's own state (never of the user's input, which
 * gets a base_err). Checked in every build, the tests' and the sanitizers' included, unless
 * configured with -DSIMULATE_ASSERT=OFF (SIMULATE_NO_ASSERT); keep what it checks cheap. A
 * failure is a bug: base_assert_fail names the condition, file and line on stderr and aborts,
 * as assert(3) does (the one place outside the CLI that prints). */
#ifdef SIMULATE_NO_ASSERT
#define BASE_ASSERT(cond) ((void)0)
#else
#define BASE_ASSERT(cond) ((cond) ? (void)0 : base_assert_fail(#cond, __FILE__, __LINE__))
#endif
_Noreturn void base_assert_fail(const char *cond, const char *file, int line);

/* The allocator (alloc.c): malloc, calloc and realloc, NULL out of memory, freed with free(3).
 * The engine's rooms (base, metrics, model, ctl, engine, cost, plan, app) allocate through
 * them, so that a test can make them fail; the other rooms move over as they are touched.
 * base_new(T) is a zeroed T (NULL out of memory). */
void *base_malloc(size_t size);
void *base_calloc(size_t n, size_t size);
void *base_realloc(void *p, size_t size);
#define base_new(T) ((T *)base_calloc(1, sizeof(T)))

/* For tests: the next `n` allocations through base_malloc, base_calloc and base_realloc succeed
 * (as far as the system's do) and every one after them fails, on every thread, until the hook
 * is set again; n < 0 turns it off (the default). Counting, a test finds each allocation of a
 * path and makes it fail in turn. */
void base_alloc_fail_after(long n);

/* strdup that returns NULL on out-of-memory (strdup is not C11). */
char *base_strdup(const char *s);

/* Room in a growing array: returns `p` itself while *cap (in elements of `size` bytes) holds
 * `need`; else the array reallocated to the first capacity, doubled as often as it takes to hold
 * `need` (the first capacity is `first` when *cap is 0, else *cap), and *cap set to it. NULL out
 * of memory or on overflow: then `p` is still the caller's and *cap unchanged. The one growth
 * rule of the tree (amortised O(1) appends), so that no caller repeats the realloc dance. */
void *base_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

/* FNV-1a, 64 bits, of the string s (Fowler, Noll, Vo: offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3): for hash tables keyed by names, not for anything secret. */
uint64_t base_hash_text(const char *s);

/* Writes `len` bytes to what `path` names. A regular file (or a new one) is replaced
 * atomically: a temporary file in the same folder, fsync, rename, so a reader sees the old file
 * or the whole new one, never half of it. A symbolic link is followed (its target is replaced,
 * never the link); a character device or a FIFO is written in place, never replaced (a FIFO
 * with no reader is refused rather than waited on); a folder, a socket or a block device is
 * refused (BASE_EINPUT), as is an empty path. */
int base_write_file_atomic(const char *path, const void *data, size_t len, base_err *err);

/* Opens `path` for reading, refusing what is not a regular file (a FIFO would block forever, a
 * device never end): BASE_EIO with strerror when it cannot be opened, BASE_EINPUT when it is not
 * a regular file or is larger than max_bytes (0: no limit). The error names the file with no
 * position; callers that know one (the `extends` key that named it) set their own. */
int base_open_regular(const char *path, size_t max_bytes, FILE **out, base_err *err);

/* Whether `path` can be used as an output: a folder (folder != 0) that exists or can be made,
 * or a file to write. BASE_EINPUT with what is wrong when it is empty, when a part of it that
 * exists is not a folder, or when a file's path names a folder. Permissions are left to the
 * write itself. `what` names the option in the message (e.g. "--output"). */
int base_check_output(const char *what, const char *path, int folder, base_err *err);

/* The SHA-256 digest of data as 64 lowercase hex digits and a NUL (FIPS 180-4). */
void base_sha256_hex(const void *data, size_t len, char out[65]);

/* A growing NUL-terminated string (buf.c). Zero-initialise it; `oom` is sticky, so a writer
 * appends without checking and looks once at the end; base_buf_free releases it. p is NULL
 * until something is added. */
typedef struct base_buf {
    char *p;
    size_t len, cap;
    int oom;
} base_buf;
void base_buf_add(base_buf *b, const char *s, size_t n);
void base_buf_adds(base_buf *b, const char *s);
void base_buf_addc(base_buf *b, int c);
void base_buf_addf(base_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void base_buf_free(base_buf *b);

/* Creates `path` and its missing parents (like mkdir -p). */
int base_mkdir_p(const char *path, base_err *err);

#endif
