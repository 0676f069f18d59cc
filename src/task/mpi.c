/*
 * mpi.c — a task list over MPI ranks (built with SIMULATE_MPI; without it, one process and
 * nothing here but the answers for one process).
 *
 * Rank 0 coordinates: its main thread answers the other ranks' requests for work with the next
 * task index of the shared order (largest first) while its own threads take from the same
 * order; each other rank runs its own threads, each asking rank 0 for one task at a time and
 * sending back the result packed, so a rank that draws a long task simply asks less often
 * (costs differ by orders of magnitude: a request-level variant beside a flow-level one).
 * Every rank's MPI calls are made one at a time under a lock (MPI_THREAD_SERIALIZED), and
 * rank 0's coordinator polls (MPI_Iprobe, then a short sleep) rather than blocking in
 * MPI_Probe, which in Open MPI spins a core that its own worker threads need.
 *
 * A rank that dies (killed, out of memory, its node lost): Open MPI's mpirun sees it end and
 * stops the job, sending the other ranks SIGTERM and, a second later, SIGKILL
 * (odls_base_sigkill_timeout). Without a fault-tolerant MPI no rank can ask MPI which peer
 * went, so each rank blocks SIGTERM and waits for it on a thread of its own (watch): rank 0
 * then looks for the ranks that ran on its own node and are gone (every rank's host and pid
 * are gathered at the start) and says in one line which was lost, then ends the process. Run
 * `mpirun -q` for that line to be the only one (mpirun's own boxes otherwise come too). No
 * report is written and the store's record of the run stays unfinished: only rank 0 writes,
 * and only after every task came back.
 *
 * The rank, size and the ranks' hosts and pids live in one file-scope struct: they are the
 * process's MPI state, set once by task_mpi_start before anything else runs and only read
 * afterwards (the watcher also reads `ending`, set once by task_mpi_stop).
 */
#include "task/internal.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef SIMULATE_MPI
#include <mpi.h>

#define HOST_LEN 64

/* One rank's place, gathered on rank 0 at the start. */
typedef struct place {
    int64_t pid;
    char host[HOST_LEN];
} place;

static struct {
    int started, rank, size, threads_ok;
    place *places;       /* rank 0: every rank's, by rank; NULL elsewhere or without memory */
    _Atomic int ending;  /* this rank is aborting the job itself (task_mpi_stop) */
    _Atomic int in_list; /* rank 0 is handing out a task list (task__run_mpi) */
} mpi;

/* Rank r, on rank 0's node, is no longer running: its pid gone, or a zombie its launcher has
 * not reaped yet (then *sig is the signal that ended it, or 0). */
static int lost_here(int r, int *sig)
{
    *sig = 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%lld/stat", (long long)mpi.places[r].pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 1;
    char line[1024];
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    const char *p = strrchr(line, ')'); /* after the command's name, which may hold spaces */
    if (!p || p[1] != ' ' || p[2] != 'Z')
        return 0;
    /* the 52nd field, exit_code (Linux 3.5 on, proc(5)), counted from the state, the 3rd */
    const char *q = p + 2;
    for (int field = 3; field < 52 && q; field++) {
        q = strchr(q, ' ');
        if (q)
            q++;
    }
    if (q) {
        int code = atoi(q);
        *sig = code & 0x7f; /* waitpid's form: the signal in the low bits, 0 for an exit */
    }
    return 1;
}

/* Rank 0's one line on a lost rank (or, when none on its node is gone, on the job ending). */
static void say_lost(void)
{
    char line[512];
    size_t len = (size_t)snprintf(line, sizeof line, "simulate: ");
    int found = 0;
    for (int r = 1; mpi.places && r < mpi.size && len < sizeof line; r++) {
        int sig;
        if (strcmp(mpi.places[r].host, mpi.places[0].host) != 0 || !lost_here(r, &sig))
            continue;
        char why[64] = "";
        if (sig > 0)
            snprintf(why, sizeof why, ", ended by signal %d (%s)", sig, strsignal(sig));
        len += (size_t)snprintf(line + len, sizeof line - len, "%sMPI rank %d (pid %lld on %s%s)",
                                found ? " and " : "", r, (long long)mpi.places[r].pid,
                                mpi.places[r].host, why);
        found++;
    }
    /* lost while rank 0 hands out tasks, nothing of the run is written yet; between lists (while
     * it writes a run's outputs, say) some may be */
    const char *after = atomic_load(&mpi.in_list)
                            ? "no report was written and the results store's record of it stays "
                              "unfinished"
                            : "the results store's record of it says whether it finished";
    if (found && len < sizeof line)
        snprintf(line + len, sizeof line - len,
                 " %s lost before the run finished: the run is stopped, %s\n",
                 found > 1 ? "were" : "was", after);
    else
        snprintf(line, sizeof line,
                 "simulate: the MPI job was stopped by its launcher (SIGTERM) before the run "
                 "finished: a rank on another node was lost, or the job was cancelled; %s\n",
                 after);
    fputs(line, stderr);
    fflush(stderr);
}

/* Waits for the launcher's SIGTERM (blocked in every thread: task_mpi_start blocks it before
 * any thread starts), then ends this process: with one line on rank 0, unless this rank is
 * already aborting the job itself and has said why. */
static void *watch(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    if (sigwait(&set, &sig) != 0)
        return NULL;
    if (mpi.rank == 0 && !atomic_load(&mpi.ending))
        say_lost();
    _exit(128 + SIGTERM);
}

/* Every rank's host and pid to rank 0, for say_lost. */
static void gather_places(void)
{
    place me = {.pid = (int64_t)getpid()};
    if (gethostname(me.host, sizeof me.host) != 0)
        snprintf(me.host, sizeof me.host, "?");
    me.host[HOST_LEN - 1] = '\0';
    if (mpi.rank == 0)
        mpi.places = calloc((size_t)mpi.size, sizeof *mpi.places);
    /* the gather is collective: every rank takes part, rank 0 with or without memory */
    place *all = mpi.places ? mpi.places : malloc((size_t)mpi.size * sizeof *all);
    MPI_Gather(&me, (int)sizeof me, MPI_BYTE, all, (int)sizeof me, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (all != mpi.places)
        free(all);
}

bool task_root(void)
{
    return mpi.rank == 0;
}

int task_ranks(void)
{
    return mpi.started ? mpi.size : 1;
}

void task_mpi_start(int *argc, char ***argv)
{
    /* only under a launcher: a plain run must not pay MPI's start-up nor need its daemons
     * (Open MPI sets OMPI_COMM_WORLD_SIZE; Slurm's srun with PMI or PMIx sets PMI_SIZE or
     * PMIX_RANK) */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK"))
        return;
    /* SIGTERM blocked before MPI starts its own threads, so that every thread inherits the
     * mask and only watch() receives it */
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, &old);
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return;
    }
    mpi.started = 1;
    mpi.threads_ok = provided >= MPI_THREAD_SERIALIZED;
    MPI_Comm_rank(MPI_COMM_WORLD, &mpi.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &mpi.size);
    gather_places();
    pthread_t w;
    if (pthread_create(&w, NULL, watch, NULL) == 0)
        pthread_detach(w);
    else /* no watcher: SIGTERM ends the process silently, as it would without one */
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    /* every rank runs the whole command; only rank 0 speaks */
    if (mpi.rank != 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            MPI_Abort(MPI_COMM_WORLD, 3);
    }
}

int task_mpi_stop(int rc)
{
    if (!mpi.started)
        return rc;
    /* 0 and 1 (objectives failed) are outcomes every rank reaches together; anything else may
     * leave another rank waiting for this one in a task list, so the job ends here */
    if (rc >= 2) {
        fflush(stdout);
        fflush(stderr);
        /* every rank usually fails alike (rank 0 broadcast the status, or the input is the
         * same everywhere), and rank 0 has printed why: the others give it a moment to abort
         * first, so the launcher's SIGTERM does not reach it as a lost rank's */
        if (mpi.rank != 0) {
            struct timespec ts = {2, 0};
            nanosleep(&ts, NULL);
        }
        atomic_store(&mpi.ending, 1);
        MPI_Abort(MPI_COMM_WORLD, rc);
    }
    MPI_Finalize();
    free(mpi.places);
    mpi.places = NULL;
    return rc;
}

enum { TAG_REQ = 1, TAG_REPLY, TAG_RESULT, TAG_DONE };

/* A result's header on the wire; the error follows it when status is not BASE_OK, the packed
 * slot otherwise. */
typedef struct head {
    int64_t index;
    int32_t status, pad;
} head;

static void pause_briefly(void)
{
    struct timespec ts = {0, 200000}; /* 0.2 ms: far below a task, far above a poll */
    nanosleep(&ts, NULL);
}

typedef struct remote {
    task__pool *p;
    pthread_mutex_t mpi; /* one MPI call at a time in this process */
} remote;

/* A thread of a rank other than 0: asks for a task, runs it, sends its result, until told
 * there is none left. */
static void *remote_worker(void *arg)
{
    remote *r = arg;
    task__pool *p = r->p;
    for (;;) {
        int64_t i = -1;
        pthread_mutex_lock(&r->mpi);
        MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_REQ, MPI_COMM_WORLD);
        MPI_Recv(&i, 1, MPI_INT64_T, 0, TAG_REPLY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        pthread_mutex_unlock(&r->mpi);
        if (i < 0)
            return NULL;
        size_t k = (size_t)i;
        task__one(p, k, false);
        base_buf b = {0};
        head h = {.index = i, .status = p->status[k]};
        base_buf_add(&b, (const char *)&h, sizeof h);
        if (h.status == BASE_OK) {
            base_err e;
            base_err_clear(&e);
            int st = p->l->pack(p->l->ctx, k, &b, &e);
            if (st == BASE_OK && b.oom)
                st = base_err_set(&e, BASE_ENOMEM, NULL, 0, 0, "out of memory");
            if (st != BASE_OK) { /* send the failure instead */
                base_buf_free(&b);
                h.status = st;
                base_buf_add(&b, (const char *)&h, sizeof h);
                base_buf_add(&b, (const char *)&e, sizeof e);
            }
        } else {
            base_buf_add(&b, (const char *)&p->errs[k], sizeof p->errs[k]);
        }
        if (p->l->drop)
            p->l->drop(p->l->ctx, k);
        if (b.oom) /* not even the header: the coordinator cannot be told, so end the job */
            MPI_Abort(MPI_COMM_WORLD, 3);
        pthread_mutex_lock(&r->mpi);
        MPI_Send(b.p, (int)b.len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        pthread_mutex_unlock(&r->mpi);
        base_buf_free(&b);
    }
}

/* Rank 0's threads: the same order, without MPI. */
static void *local_worker(void *arg)
{
    task__pool *p = arg;
    for (size_t i; (i = task__take(p)) != (size_t)-1;) {
        task__one(p, i, true);
        if (p->status[i] != BASE_OK)
            atomic_store(&p->stop, 1);
    }
    return NULL;
}

/* A result from another rank into its slot. */
static void receive(task__pool *p, int src)
{
    MPI_Status ms;
    int n = 0;
    MPI_Probe(src, TAG_RESULT, MPI_COMM_WORLD, &ms);
    MPI_Get_count(&ms, MPI_BYTE, &n);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf)
        MPI_Abort(MPI_COMM_WORLD, 3);
    MPI_Recv(buf, n, MPI_BYTE, src, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    head h;
    if ((size_t)n < sizeof h)
        MPI_Abort(MPI_COMM_WORLD, 3); /* a broken peer: nothing can be trusted */
    memcpy(&h, buf, sizeof h);
    size_t i = (size_t)h.index;
    const char *body = buf + sizeof h;
    size_t len = (size_t)n - sizeof h;
    int st = h.status;
    if (st == BASE_OK) {
        base_err_clear(&p->errs[i]);
        st = p->l->unpack(p->l->ctx, i, body, len, &p->errs[i]);
    } else if (len >= sizeof(base_err)) {
        memcpy(&p->errs[i], body, sizeof(base_err));
    } else {
        base_err_set(&p->errs[i], BASE_EINTERNAL, NULL, 0, 0, "rank %d: a task failed", src);
    }
    p->status[i] = st;
    if (st == BASE_OK && p->l->done) {
        pthread_mutex_lock(&p->lock);
        p->l->done(p->l->ctx, i);
        pthread_mutex_unlock(&p->lock);
    }
    if (st != BASE_OK)
        atomic_store(&p->stop, 1);
    free(buf);
}

static int coordinate(task__pool *p, int jobs)
{
    pthread_t tid[TASK_MAX_JOBS];
    int started = task__spawn(local_worker, p, jobs + 1, tid); /* this thread coordinates */
    for (int finished = 0; finished < mpi.size - 1;) {
        int flag = 0;
        MPI_Status ms;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &ms);
        if (!flag) {
            pause_briefly();
            continue;
        }
        if (ms.MPI_TAG == TAG_REQ) {
            MPI_Recv(NULL, 0, MPI_BYTE, ms.MPI_SOURCE, TAG_REQ, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            size_t k = task__take(p);
            int64_t i = k == (size_t)-1 ? -1 : (int64_t)k;
            MPI_Send(&i, 1, MPI_INT64_T, ms.MPI_SOURCE, TAG_REPLY, MPI_COMM_WORLD);
        } else if (ms.MPI_TAG == TAG_RESULT) {
            receive(p, ms.MPI_SOURCE);
        } else {
            MPI_Recv(NULL, 0, MPI_BYTE, ms.MPI_SOURCE, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            finished++;
        }
    }
    for (int j = 0; j < started; j++)
        pthread_join(tid[j], NULL);
    return BASE_OK;
}

/* The largest piece broadcast at once: MPI counts in int. */
#define PIECE ((uint64_t)1 << 30)

/* Every result, rank 0's, to every rank (l->everywhere): one buffer of (length, bytes) in
 * index order, broadcast in pieces an int can count. */
static int share(task__pool *p, base_err *err)
{
    base_buf b = {0};
    int st = BASE_OK;
    if (mpi.rank == 0) {
        for (size_t i = 0; st == BASE_OK && i < p->l->n; i++) {
            uint64_t at = b.len, len = 0;
            base_buf_add(&b, (const char *)&len, sizeof len);
            st = p->l->pack(p->l->ctx, i, &b, err);
            len = b.len - at - sizeof len;
            if (!b.oom)
                memcpy(b.p + at, &len, sizeof len);
        }
        if (st == BASE_OK && b.oom)
            st = base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int32_t s32 = st;
    MPI_Bcast(&s32, 1, MPI_INT32_T, 0, MPI_COMM_WORLD);
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (s32 != BASE_OK) {
        base_buf_free(&b);
        return s32;
    }
    uint64_t total = b.len;
    MPI_Bcast(&total, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    char *data = mpi.rank == 0 ? b.p : malloc(total ? total : 1);
    if (!data) /* this rank alone cannot follow the rest: end the job */
        MPI_Abort(MPI_COMM_WORLD, 3);
    for (uint64_t off = 0; off < total;) {
        uint64_t piece = total - off < PIECE ? total - off : PIECE;
        MPI_Bcast(data + off, (int)piece, MPI_BYTE, 0, MPI_COMM_WORLD);
        off += piece;
    }
    if (mpi.rank != 0) {
        uint64_t off = 0;
        for (size_t i = 0; st == BASE_OK && i < p->l->n; i++) {
            uint64_t len;
            memcpy(&len, data + off, sizeof len);
            off += sizeof len;
            if (p->l->drop)
                p->l->drop(p->l->ctx, i);
            st = p->l->unpack(p->l->ctx, i, data + off, len, err);
            off += len;
        }
        free(data);
        if (st != BASE_OK) /* the others went on: this rank cannot */
            MPI_Abort(MPI_COMM_WORLD, 3);
    }
    base_buf_free(&b);
    return BASE_OK;
}

int task__run_mpi(task__pool *p, int jobs, base_err *err)
{
    if (!p->l->pack || !p->l->unpack)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                            "task list without pack/unpack run under MPI");
    if (mpi.rank == 0) {
        atomic_store(&mpi.in_list, 1);
        coordinate(p, jobs);
        atomic_store(&mpi.in_list, 0);
    } else {
        remote r = {.p = p};
        pthread_mutex_init(&r.mpi, NULL);
        pthread_t tid[TASK_MAX_JOBS];
        int started = mpi.threads_ok ? task__spawn(remote_worker, &r, jobs, tid) : 0;
        remote_worker(&r);
        for (int j = 0; j < started; j++)
            pthread_join(tid[j], NULL);
        pthread_mutex_destroy(&r.mpi);
        MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_DONE, MPI_COMM_WORLD);
    }
    /* rank 0's verdict, to every rank: all of them go on (or stop) together */
    int32_t st = mpi.rank == 0 ? task__status(p, err) : 0;
    MPI_Bcast(&st, 1, MPI_INT32_T, 0, MPI_COMM_WORLD);
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (st == BASE_OK && p->l->everywhere)
        st = share(p, err);
    return st;
}

#else /* one process */

bool task_root(void)
{
    return true;
}

int task_ranks(void)
{
    return 1;
}

void task_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}

int task_mpi_stop(int rc)
{
    return rc;
}

int task__run_mpi(task__pool *p, int jobs, base_err *err)
{
    (void)p;
    (void)jobs;
    return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "built without MPI");
}

#endif
