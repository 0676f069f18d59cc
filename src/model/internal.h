/*
 * internal.h — what the model room's files share and no other room sees: the pod ordering
 * Karpenter's provisioning (karpenter.c) and consolidation (consolidate.c) both sort by.
 */
#ifndef SIMULATE_MODEL_INTERNAL_H
#define SIMULATE_MODEL_INTERNAL_H

#include "model/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A pod's requests with its index, for sorting. */
typedef struct mdl__sized {
    int64_t cpu, memory;
    size_t idx;
} mdl__sized;

/* qsort order of mdl__sized: decreasing CPU, then decreasing memory, then increasing index
 * (queue.go's order; total, so a pod list sorts the same on every platform). */
int mdl__by_size_desc(const void *a, const void *b);

/* The catalog's types a mask of 64 bits can name (COST_MAX_TYPES). */
size_t mdl__ntypes(const cost_catalog *cat);

/* Whether a NodePool has limits (spec.limits: cpu or memory) that provisioning must honour. */
static inline bool mdl__pool_limited(const mdl_nodepool *p)
{
    return p->limit_cpu_set || p->limit_memory_set;
}

#endif
