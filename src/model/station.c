/*
 * station.c — c identical servers in front of one FIFO queue of bounded length: the shape of a
 * gunicorn pod (sync workers, one request each, and the listen backlog; behaviour.md §9) and of
 * the database in this slice (c queries at once). The queue is a ring buffer that grows by
 * doubling (its capacity stays a power of two, so positions wrap with a mask, not a division),
 * and steady operation allocates nothing.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

struct mdl_station {
    int servers, busy;
    size_t capacity; /* of the queue; SIZE_MAX: unbounded */
    void **ring;
    size_t ring_cap, head, len;
};

mdl_station *mdl_station_new(int servers, size_t capacity)
{
    mdl_station *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->servers = servers;
    s->capacity = capacity;
    s->ring_cap = 16;
    s->ring = malloc(s->ring_cap * sizeof *s->ring);
    if (!s->ring) {
        free(s);
        return NULL;
    }
    return s;
}

void mdl_station_free(mdl_station *s)
{
    if (!s)
        return;
    free(s->ring);
    free(s);
}

/* Out of line and cold: the queue grows a handful of times in a run, and keeping it out of
 * mdl_station_arrive leaves the hot path (a free server, or a slot in the ring) short enough
 * to need no stack frame. */
static __attribute__((noinline, cold)) int grow(mdl_station *s)
{
    size_t cap = s->ring_cap * 2;
    void **r = malloc(cap * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < s->len; i++)
        r[i] = s->ring[(s->head + i) & (s->ring_cap - 1)];
    free(s->ring);
    s->ring = r;
    s->ring_cap = cap;
    s->head = 0;
    return 0;
}

mdl_admit mdl_station_arrive(mdl_station *s, void *item)
{
    if (s->busy < s->servers) {
        s->busy++;
        return MDL_ADMIT_SERVE;
    }
    if (s->len >= s->capacity)
        return MDL_ADMIT_REJECTED;
    if (__builtin_expect(s->len == s->ring_cap, 0) && grow(s) != 0)
        return MDL_ADMIT_REJECTED; /* out of memory: the request fails as if the queue were full */
    s->ring[(s->head + s->len) & (s->ring_cap - 1)] = item;
    s->len++;
    return MDL_ADMIT_QUEUED;
}

/* The queue's head, taken out (the queue is not empty). */
static inline void *pop_head(mdl_station *s)
{
    void *item = s->ring[s->head];
    s->head = (s->head + 1) & (s->ring_cap - 1);
    s->len--;
    return item;
}

void *mdl_station_depart(mdl_station *s)
{
    if (s->len == 0) {
        s->busy--;
        return NULL;
    }
    return pop_head(s);
}

void *mdl_station_take(mdl_station *s)
{
    return s->len == 0 ? NULL : pop_head(s);
}

int mdl_station_busy(const mdl_station *s)
{
    return s->busy;
}

size_t mdl_station_queued(const mdl_station *s)
{
    return s->len;
}
