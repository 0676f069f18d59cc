/*
 * progress.c — the progress line on stderr while a run works: which replication, how far in
 * simulated time, kernel events per second and the time left. Only when stderr is a terminal
 * and the run is not --quiet: a log or a CI job gets nothing (the line rewrites itself with
 * carriage returns, which would only be noise in a file).
 *
 * A thread of its own reads the engine's eng_live (atomics the replications publish at each
 * series interval) four times a second; the engine never waits for it.
 */
#include "cli/cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cli_progress {
    pthread_t tid;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
    const eng_live *live;
    int replications;
    long long end_ns; /* a replication's simulated length */
    double t0;        /* wall clock at the start, s */
};

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void clock_text(double s, char *out, size_t size)
{
    long t = (long)(s + 0.5);
    snprintf(out, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

static void draw(struct cli_progress *p)
{
    int done = atomic_load(&p->live->done);
    /* finished replications count whole, running ones by their share of simulated time; the
     * line names the running ones and where the earliest of them is */
    double frac = done;
    long long at = -1;
    char running[64] = "";
    size_t rl = 0;
    int nrun = 0;
    for (int i = 0; i < p->replications && i < ENG_MAX_REPLICATIONS; i++) {
        long long t = atomic_load_explicit(&p->live->now_ns[i], memory_order_relaxed);
        if (t <= 0 || t >= p->end_ns)
            continue;
        frac += (double)t / (double)p->end_ns;
        if (at < 0 || t < at)
            at = t;
        if (rl < sizeof running - 8)
            rl +=
                (size_t)snprintf(running + rl, sizeof running - rl, "%s%d", nrun ? "," : "", i + 1);
        nrun++;
    }
    if (frac > p->replications)
        frac = p->replications;
    double elapsed = wall_s() - p->t0;
    double share = frac / p->replications;
    unsigned long long ev = atomic_load_explicit(&p->live->events, memory_order_relaxed);
    char now[32], end[32], left[48] = "", where[96] = "";
    clock_text((double)p->end_ns / 1e9, end, sizeof end);
    if (at >= 0) {
        clock_text((double)at / 1e9, now, sizeof now);
        snprintf(where, sizeof where, " · replication%s %s at %s of %s", nrun > 1 ? "s" : "",
                 running, now, end);
    }
    if (share > 0.02 && elapsed > 0.5)
        snprintf(left, sizeof left, " · about %.0f s left", elapsed * (1 - share) / share);
    fprintf(stderr, "\r\033[K%d/%d replications done%s · %.0f%% · %.2f M events/s%s", done,
            p->replications, where, 100 * share, elapsed > 0 ? (double)ev / elapsed / 1e6 : 0.0,
            left);
    fflush(stderr);
}

static void *loop(void *arg)
{
    struct cli_progress *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->wake, &p->lock, &ts);
        if (!p->stop)
            draw(p);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

void *cli_progress_start(const mdl_scenario *s, const eng_live *live, int quiet)
{
    if (quiet || !isatty(STDERR_FILENO))
        return NULL;
    struct cli_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL; /* no progress line is no loss */
    p->live = live;
    p->replications = s->replications;
    p->end_ns = (long long)mdl_traffic_duration(&s->traffic);
    p->t0 = wall_s();
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (pthread_create(&p->tid, NULL, loop, p) != 0) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->wake);
        free(p);
        return NULL;
    }
    return p;
}

void cli_progress_stop(void *arg)
{
    struct cli_progress *p = arg;
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->tid, NULL);
    fputs("\r\033[K", stderr); /* the summary follows on a clean line */
    fflush(stderr);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    free(p);
}
