/*
 * task.c — a task list over threads: the order it is handed out in (largest first) and the
 * pool the threads share. Each task writes only its own slot, so the results do not depend on
 * which thread ran what, nor when.
 */
#include "task/internal.h"

#include <stdlib.h>
#include <string.h>

/* Sorts order[0..n) by cost descending, ties by index: a merge sort (stable, O(n log n),
 * qsort's comparator could not see `cost` without a global). */
static void sort(const double *cost, size_t *a, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort(cost, a, tmp, h);
    sort(cost, a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cost[a[j]] > cost[a[i]] ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

void task_order(const double *cost, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    size_t *tmp = cost && n > 1 ? malloc(n * sizeof *tmp) : NULL;
    if (tmp)
        sort(cost, order, tmp, n);
    /* without memory for the sort the index order is kept: slower to finish, never wrong */
    free(tmp);
}

size_t task__take(task__pool *p)
{
    if (atomic_load(&p->stop))
        return (size_t)-1;
    size_t k = atomic_fetch_add(&p->next, 1);
    return k < p->l->n ? p->order[k] : (size_t)-1;
}

void task__one(task__pool *p, size_t i, bool report)
{
    base_err_clear(&p->errs[i]);
    p->status[i] = p->l->run(p->l->ctx, i, &p->errs[i]);
    if (report && p->status[i] == BASE_OK && p->l->done) {
        pthread_mutex_lock(&p->lock);
        p->l->done(p->l->ctx, i);
        pthread_mutex_unlock(&p->lock);
    }
}

static void *worker(void *arg)
{
    task__pool *p = arg;
    for (size_t i; (i = task__take(p)) != (size_t)-1;)
        task__one(p, i, true);
    return NULL;
}

int task__spawn(void *(*fn)(void *), void *arg, int jobs, pthread_t *tid)
{
    int started = 0;
    for (int j = 1; j < jobs && j < TASK_MAX_JOBS; j++) {
        if (pthread_create(&tid[started], NULL, fn, arg) != 0)
            break; /* fewer threads: those that started do the rest */
        started++;
    }
    return started;
}

int task__status(const task__pool *p, base_err *err)
{
    for (size_t i = 0; i < p->l->n; i++)
        if (p->status[i] != BASE_OK && p->status[i] != TASK__NOT_RUN) {
            *err = p->errs[i];
            return p->status[i];
        }
    return BASE_OK;
}

static int run_list(const task_list *l, int jobs, int ranks, base_err *err)
{
    task__pool p = {.l = l};
    atomic_init(&p.next, 0);
    atomic_init(&p.stop, 0);
    p.order = malloc((l->n ? l->n : 1) * sizeof *p.order);
    p.status = malloc((l->n ? l->n : 1) * sizeof *p.status);
    p.errs = calloc(l->n ? l->n : 1, sizeof *p.errs);
    if (!p.order || !p.status || !p.errs) {
        free(p.order);
        free(p.status);
        free(p.errs);
        return base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    task_order(l->cost, l->n, p.order);
    for (size_t i = 0; i < l->n; i++)
        p.status[i] = TASK__NOT_RUN;
    pthread_mutex_init(&p.lock, NULL);
    if (jobs < 1)
        jobs = 1;
    int st;
    if (ranks > 1) {
        st = task__run_mpi(&p, jobs, err);
    } else {
        if ((size_t)jobs > l->n)
            jobs = l->n ? (int)l->n : 1;
        pthread_t tid[TASK_MAX_JOBS];
        int started = task__spawn(worker, &p, jobs, tid);
        worker(&p); /* this thread works too */
        for (int j = 0; j < started; j++)
            pthread_join(tid[j], NULL);
        st = task__status(&p, err);
    }
    pthread_mutex_destroy(&p.lock);
    free(p.order);
    free(p.status);
    free(p.errs);
    return st;
}

int task_run(const task_list *l, int jobs, base_err *err)
{
    return run_list(l, jobs, task_ranks(), err);
}

int task_run_here(const task_list *l, int jobs, base_err *err)
{
    return run_list(l, jobs, 1, err);
}
