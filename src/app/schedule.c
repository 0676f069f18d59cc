/*
 * schedule.c — many scenarios' replications as one task list: a comparison's variants, its
 * sweep points and each point's replications all at once, the longest first (their costs
 * differ by orders of magnitude: a sweep's top point beside its bottom one, the request
 * engine beside the flow engine), so that no core waits for one variant to finish before the
 * next starts.
 */
#include "app/app.h"
#include "app/internal.h"

#include <stdlib.h>

#include "task/task.h"

typedef struct batch {
    app__batch_run *runs;
    size_t *run_of; /* task -> run */
    int *rep_of;    /* task -> replication */
} batch;

static eng_rep *slot(batch *b, size_t i)
{
    return &b->runs[b->run_of[i]].sum->reps[b->rep_of[i]];
}

static int run_task(void *ctx, size_t i, base_err *err)
{
    batch *b = ctx;
    return eng_run_replication(b->runs[b->run_of[i]].s, (uint32_t)b->rep_of[i], slot(b, i), err);
}

static int pack_task(void *ctx, size_t i, base_buf *out, base_err *err)
{
    return eng_rep_pack(slot(ctx, i), out, err);
}

static int unpack_task(void *ctx, size_t i, const char *p, size_t n, base_err *err)
{
    return eng_rep_unpack(p, n, slot(ctx, i), err);
}

static void drop_task(void *ctx, size_t i)
{
    eng_rep_clear(slot(ctx, i));
}

int app__run_batch(app__batch_run *runs, size_t n, int jobs, base_err *err)
{
    size_t ntask = 0, started = 0;
    int st = BASE_OK;
    for (; started < n && st == BASE_OK; started++) {
        st = eng_summary_start(runs[started].s, runs[started].sum, err);
        ntask += (size_t)runs[started].s->replications;
    }
    if (st != BASE_OK)
        started--; /* the one that failed holds nothing */
    batch b = {.runs = runs};
    b.run_of = st == BASE_OK ? malloc((ntask ? ntask : 1) * sizeof *b.run_of) : NULL;
    b.rep_of = st == BASE_OK ? malloc((ntask ? ntask : 1) * sizeof *b.rep_of) : NULL;
    double *cost = st == BASE_OK ? malloc((ntask ? ntask : 1) * sizeof *cost) : NULL;
    if (st == BASE_OK && (!b.run_of || !b.rep_of || !cost))
        st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t r = 0, t = 0; st == BASE_OK && r < n; r++) {
        double c = eng_rep_cost(runs[r].s);
        for (int k = 0; k < runs[r].s->replications; k++, t++) {
            b.run_of[t] = r;
            b.rep_of[t] = k;
            cost[t] = c;
        }
    }
    if (st == BASE_OK) {
        task_list l = {.n = ntask,
                       .cost = cost,
                       .run = run_task,
                       .pack = pack_task,
                       .unpack = unpack_task,
                       .drop = drop_task,
                       .ctx = &b};
        st = task_run(&l, jobs, err);
    }
    free(b.run_of);
    free(b.rep_of);
    free(cost);
    for (size_t r = 0; r < started; r++) {
        if (st == BASE_OK && task_root())
            st = eng_summary_end(runs[r].sum, err); /* clears its own on failure */
        else
            eng_summary_clear(runs[r].sum);
    }
    if (st != BASE_OK) /* those summarised before the failure */
        for (size_t r = 0; r < started; r++)
            eng_summary_clear(runs[r].sum);
    return st;
}
