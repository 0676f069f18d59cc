/*
 * internal.h — what the files of src/app/ share and nothing else sees.
 */
#ifndef SIMULATE_APP_INTERNAL_H
#define SIMULATE_APP_INTERNAL_H

/* Seconds on the monotonic clock: a run's wall time for the results store (never in a
 * report, which holds no clock). */
double app__now_s(void);

#endif
