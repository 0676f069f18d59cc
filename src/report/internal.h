/*
 * internal.h — what the writers of src/report/ share and nothing else sees.
 */
#ifndef SIMULATE_REPORT_INTERNAL_H
#define SIMULATE_REPORT_INTERNAL_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at s, 0 when it is not one (a path from argv may be
 * any bytes; XML and GitHub want UTF-8). */
size_t rep__utf8_len(const unsigned char *s);

#endif
