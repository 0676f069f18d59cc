/*
 * bench_common.h — what every benchmark in tools/bench/ needs: a monotonic wall clock, sorting
 * and the median of a run's samples, and loading a scenario with the one-line error. A header of
 * static functions rather than a .c file: CMakeLists.txt builds each .c file of tools/bench/ as its
 * own program, so a shared .c file would become a program without a main.
 */
#ifndef SIMULATE_BENCH_COMMON_H
#define SIMULATE_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "io/io.h"

/* Seconds on the monotonic clock (not the wall clock: it must not jump during a run). */
static inline double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts x[0..n) ascending: x[0] is then the minimum, x[n / 2] the upper median, x[n - 1] the
 * maximum. */
static inline void bench_sort(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, bench_cmp);
}

/* The median of x[0..n) (sorts x; the mean of the two middle ones for even n). */
static inline double bench_median(double *x, int n)
{
    bench_sort(x, n);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

/* Loads the scenario at path into *s; on bad input prints "PROG: FILE:LINE:COL: what" and
 * returns 0. */
static inline int bench_load(const char *prog, const char *path, mdl_scenario *s)
{
    base_err err;
    if (scn_load(path, s, &err) != BASE_OK) {
        fprintf(stderr, "%s: %s:%d:%d: %s\n", prog, err.file, err.line, err.col, err.msg);
        return 0;
    }
    return 1;
}

#endif
