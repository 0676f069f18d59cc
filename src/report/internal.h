/*
 * internal.h — what the writers of src/report/ share and nothing else sees.
 */
#ifndef SIMULATE_REPORT_INTERNAL_H
#define SIMULATE_REPORT_INTERNAL_H

#include <stddef.h>

#include "base/base.h"

/* The length of the valid UTF-8 sequence at s, 0 when it is not one (a path from argv may be
 * any bytes; XML and GitHub want UTF-8). */
size_t rep__utf8_len(const unsigned char *s);

/* Appends s to b character by character: each ASCII character c as esc(c) when that is not
 * NULL ("" drops it), every other valid UTF-8 sequence as it is, invalid bytes as U+FFFD. The
 * one loop of the XML and Markdown escapers (each only says what it replaces). */
typedef const char *(*rep__escape_fn)(unsigned char c);
void rep__add_escaped(base_buf *b, const char *s, rep__escape_fn esc);

#endif
