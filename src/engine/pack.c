/*
 * pack.c — a replication's results as bytes and back, for an MPI rank that ran it for rank 0
 * (src/task/). The struct goes as it is (its pointers are rewritten on arrival), then each
 * histogram and the series: the ranks run the same build, so the layout and byte order are
 * the same, and the replication rank 0 rebuilds is bit for bit the one the other rank ran.
 */
#include "engine/internal.h"

#include <stdlib.h>
#include <string.h>

/* The histograms of a replication, in a fixed order. */
static void each_hist(eng_rep *r, hist **out[3 + MDL_NCLASS])
{
    out[0] = &r->latency;
    out[1] = &r->api_latency;
    out[2] = &r->pod_wait;
    for (int c = 0; c < MDL_NCLASS; c++)
        out[3 + c] = &r->latency_class[c];
}

int eng_rep_pack(const eng_rep *r, base_buf *out, base_err *err)
{
    base_buf_add(out, (const char *)r, sizeof *r);
    hist **h[3 + MDL_NCLASS];
    each_hist((eng_rep *)r, h);
    for (size_t i = 0; i < 3 + MDL_NCLASS; i++) {
        base_buf_addc(out, *h[i] != NULL);
        if (*h[i])
            hist_pack(*h[i], out);
    }
    base_buf_addc(out, r->series != NULL);
    if (r->series)
        ser_pack(r->series, out);
    return out->oom ? base_err_set(err, BASE_ENOMEM, NULL, 0, 0, "out of memory") : BASE_OK;
}

int eng_rep_unpack(const char *p, size_t n, eng_rep *out, base_err *err)
{
    const char *end = p + n;
    memset(out, 0, sizeof *out);
    if (n < sizeof *out)
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0, "a replication's bytes are short");
    memcpy(out, p, sizeof *out);
    p += sizeof *out;
    hist **h[3 + MDL_NCLASS];
    each_hist(out, h);
    for (size_t i = 0; i < 3 + MDL_NCLASS; i++)
        *h[i] = NULL; /* the sender's pointers mean nothing here */
    out->series = NULL;
    int ok = 1;
    for (size_t i = 0; ok && i < 3 + MDL_NCLASS; i++) {
        ok = p < end;
        if (ok && *p++)
            ok = (*h[i] = hist_unpack(&p, end)) != NULL;
    }
    ok = ok && p < end;
    if (ok && *p++)
        ok = (out->series = ser_unpack(&p, end, eng_series_names)) != NULL;
    if (!ok || p != end) {
        eng_rep_clear(out);
        return base_err_set(err, BASE_EINTERNAL, NULL, 0, 0,
                            "a replication's bytes do not make one (ranks of different builds?)");
    }
    return BASE_OK;
}
