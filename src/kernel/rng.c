/*
 * rng.c — random streams: one GSL generator per purpose, seeded by hashing its name.
 *
 * Seed scheme (docs/randomness.md): stream_seed = mix(mix(seed) ^ mix(replication + C) ^
 * fnv1a64(name)), where mix is SplitMix64's finaliser (Steele, Lea, Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014) and fnv1a64 is FNV-1a (base_hash_text). The
 * generator is GSL's mt19937 (Matsumoto and Nishimura 1998), which GSL seeds from 32 bits, so
 * the 64-bit stream seed is folded (high ^ low) to 32 bits; a zero fold is replaced by a fixed
 * odd constant because gsl_rng_set treats seed 0 as "the default seed".
 */
#include "kernel/sim.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "kernel/ziggurat_tables.h"

/* GSL's mt19937 state (gsl-2.7 rng/mt.c, `mt_state_t`, unchanged since GSL 1.0): the draws
 * below step it in place, exactly as GSL's own mt_get does, so that a stream read here and
 * through sim_rng_gsl (gsl_ran_gamma, the Gaussian ziggurat) stays one sequence. Reading it here
 * saves each draw two calls through GSL's function pointers (the request engine makes three or
 * four per request). sim_rng_new checks the state's size and the type, and tests/test_kernel.c
 * checks the numbers against gsl_rng_get. */
#define MT_N 624
#define MT_M 397

typedef struct mt_state {
    unsigned long mt[MT_N];
    int mti;
} mt_state;

struct sim_rng {
    mt_state *mt; /* g's state */
    gsl_rng *g;
};

/* All 624 words at once (Matsumoto and Nishimura 1998; GSL's mt_get). */
static __attribute__((noinline)) void mt_refill(mt_state *s)
{
    unsigned long *mt = s->mt;
    /* the conditional xor as a mask, so that the loops have no branch and vectorise */
#define MT_MAGIC(y) ((0UL - ((y)&0x1)) & 0x9908b0dfUL)
    int kk;
    for (kk = 0; kk < MT_N - MT_M; kk++) {
        unsigned long y = (mt[kk] & 0x80000000UL) | (mt[kk + 1] & 0x7fffffffUL);
        mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ MT_MAGIC(y);
    }
    for (; kk < MT_N - 1; kk++) {
        unsigned long y = (mt[kk] & 0x80000000UL) | (mt[kk + 1] & 0x7fffffffUL);
        mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ MT_MAGIC(y);
    }
    unsigned long y = (mt[MT_N - 1] & 0x80000000UL) | (mt[0] & 0x7fffffffUL);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ MT_MAGIC(y);
#undef MT_MAGIC
    s->mti = 0;
}

/* The next 32 random bits: gsl_rng_get on an mt19937. */
static inline uint32_t mt_get(mt_state *s)
{
    if (__builtin_expect(s->mti >= MT_N, 0))
        mt_refill(s);
    unsigned long k = s->mt[s->mti++];
    k ^= (k >> 11);
    k ^= (k << 7) & 0x9d2c5680UL;
    k ^= (k << 15) & 0xefc60000UL;
    k ^= (k >> 18);
    return (uint32_t)k;
}

/* gsl_rng_uniform on an mt19937: [0, 1) */
static inline double mt_uniform(mt_state *s)
{
    return mt_get(s) / 4294967296.0;
}

static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t sim_stream_seed(uint64_t seed, uint32_t replication, const char *name)
{
    return mix64(mix64(seed) ^ mix64((uint64_t)replication + 0x5851f42d4c957f2dull) ^
                 base_hash_text(name));
}

sim_rng *sim_rng_new(uint64_t seed, uint32_t replication, const char *name)
{
    sim_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->g = gsl_rng_alloc(gsl_rng_mt19937);
    /* a GSL whose mt19937 state is not the one above would be stepped wrongly: refuse it */
    if (!r->g || gsl_rng_size(r->g) != sizeof(mt_state) || r->g->type != gsl_rng_mt19937) {
        gsl_rng_free(r->g);
        free(r);
        return NULL;
    }
    r->mt = r->g->state;
    uint64_t s = sim_stream_seed(seed, replication, name);
    unsigned long s32 = (unsigned long)((s >> 32) ^ (s & 0xffffffffu));
    gsl_rng_set(r->g, s32 ? s32 : 0x2545f491ul);
    return r;
}

void sim_rng_free(sim_rng *r)
{
    if (!r)
        return;
    gsl_rng_free(r->g);
    free(r);
}

double sim_rng_uniform(sim_rng *r)
{
    double x;
    do /* gsl_rng_uniform_pos: 0 is drawn again */
        x = mt_uniform(r->mt);
    while (x == 0);
    return x;
}

/* The exponential ziggurat (Marsaglia and Tsang 2000, REXP/efix). One 32-bit draw from the
 * generator: its low 8 bits pick a layer, the other 24 bits the point in it, so index and value
 * never share bits (the flaw Doornik, "An Improved Ziggurat Method", 2005, found in the original).
 * 98.9% of draws return from the first comparison; the rest take the wedge test or, in the base
 * layer, the exact tail r − ln U. Inversion (−ln U) was the largest single cost of the request
 * engine (perf on the M/M/c model: a log per draw); this costs a table look-up. The
 * distribution is checked against the exponential CDF in tests/test_kernel.c. */
static __attribute__((noinline)) double exponential_slow(sim_rng *r, double mean, uint32_t u);

inline double sim_rng_exponential(sim_rng *r, double mean)
{
    uint32_t u = mt_get(r->mt); /* mt19937: 32 random bits */
    uint32_t iz = u & 255u, jz = u >> 8;
    if (__builtin_expect(jz < zig_ke[iz], 1))
        return mean * (double)jz * zig_we[iz];
    /* the 1.1% of draws outside the layers' rectangles: out of line, so that the common path
     * saves no registers and sets up no frame */
    return exponential_slow(r, mean, u);
}

/* The ziggurat's loop from a draw u that missed its layer's rectangle, then on as before. */
static double exponential_slow(sim_rng *r, double mean, uint32_t u)
{
    for (;;) {
        uint32_t iz = u & 255u, jz = u >> 8;
        if (jz < zig_ke[iz])
            return mean * (double)jz * zig_we[iz];
        if (iz == 0)
            return mean * (7.697117470131487 - log(sim_rng_uniform(r)));
        double x = (double)jz * zig_we[iz];
        if (zig_fe[iz] + mt_uniform(r->mt) * (zig_fe[iz - 1] - zig_fe[iz]) < exp(-x))
            return mean * x;
        u = mt_get(r->mt);
    }
}

void *sim_rng_gsl(sim_rng *r)
{
    return r->g;
}
