/*
 * buf.c — a growing string: for writers that build a document piece by piece (JUnit XML, a
 * Markdown comment, a translated regular expression) and check for memory once at the end.
 */
#include "base/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void base_buf_add(base_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    char *p = base_grow(b->p, &b->cap, b->len + n + 1, 1, 256);
    if (!p) {
        b->oom = 1;
        return;
    }
    b->p = p;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void base_buf_adds(base_buf *b, const char *s)
{
    base_buf_add(b, s, strlen(s));
}

void base_buf_addc(base_buf *b, int c)
{
    char ch = (char)c;
    base_buf_add(b, &ch, 1);
}

void base_buf_addf(base_buf *b, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        base_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = base_malloc((size_t)n + 1);
    if (!big) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    base_buf_add(b, big, (size_t)n);
    free(big);
}

void base_buf_free(base_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}
