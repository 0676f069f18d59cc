/*
 * queueing.c — the queueing formulas the flow engine rests on (reference/queueing.md), kept
 * apart from the engine so that each can be tested against its textbook values.
 *
 * Erlang B and C take a real number of servers because Aurora's capacity (ACUs × vCPUs per
 * ACU) is fractional: the value at c is interpolated linearly between ⌊c⌋ and ⌈c⌉, each by the
 * exact recursion. That is a smooth bridge, not a theory of fractional servers; the flow engine
 * only needs the waiting to grow continuously as capacity changes.
 */
#include "model/model.h"

#include <math.h>

/* Erlang B for a whole number of servers: B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), the
 * numerically stable recursion (Erlang 1917; Kleinrock, Queueing Systems Vol. 1, 1975). */
static double erlang_b_int(int c, double a)
{
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

double mdl_erlang_b(double c, double a)
{
    if (!(a > 0))
        return 0;
    if (!(c > 0))
        return 1;
    if (c > 1e6)
        c = 1e6; /* beyond any pool or instance here; bounds the recursion */
    int lo = (int)floor(c);
    double frac = c - lo;
    double b = erlang_b_int(lo, a);
    if (frac > 0)
        b += frac * (erlang_b_int(lo + 1, a) - b);
    return b;
}

/* Erlang C: C = B / (1 − ρ(1 − B)) with ρ = a/c (Kleinrock 1975); 1 at and above saturation. */
static double erlang_c_int(int c, double a)
{
    if (a >= c)
        return 1.0;
    double b = erlang_b_int(c, a);
    return b / (1.0 - (a / c) * (1.0 - b));
}

double mdl_erlang_c(double c, double a)
{
    if (!(a > 0))
        return 0;
    if (!(c > 0) || a >= c)
        return 1;
    if (c > 1e6)
        c = 1e6;
    int lo = (int)floor(c);
    double frac = c - lo;
    /* below one whole server the lower end is saturated: P(wait) = 1 */
    double p = lo >= 1 ? erlang_c_int(lo, a) : 1.0;
    if (frac > 0)
        p += frac * (erlang_c_int(lo + 1, a) - p);
    return p;
}

mdl_mgc mdl_mgc_wait(double c, double lambda, double mean_s, double ca2, double cs2)
{
    mdl_mgc w = {0, 0, 0, 0};
    if (!(lambda > 0) || !(mean_s > 0) || !(c > 0))
        return w;
    double a = lambda * mean_s;
    w.rho = a / c;
    if (a >= c) {
        w.p_wait = 1;
        w.wq_mean = INFINITY;
        return w;
    }
    w.p_wait = mdl_erlang_c(c, a);
    /* M/M/c: Wq = C / (cμ − λ); Allen–Cunneen for G/G/c scales it by (Ca² + Cs²)/2 (Allen,
     * Probability, Statistics and Queueing Theory, 1990) */
    double mm = w.p_wait / (c / mean_s - lambda);
    w.wq_mean = mm * (ca2 + cs2) / 2.0;
    /* Arrivals more regular than Poisson (a round-robin share: Ca² = 1/n) at low load wait far
     * less than Allen–Cunneen says; the Krämer–Langenbach-Belz correction (Krämer and
     * Langenbach-Belz, 8th International Teletraffic Congress, 1976; used for GI/G/m by Whitt,
     * "Approximations for the GI/G/m queue", Production and Operations Management 2(2), 1993)
     * multiplies it by exp(−2(1 − ρ)(1 − Ca²)² / (3ρ(Ca² + Cs²))) when Ca² < 1. */
    if (ca2 < 1 && ca2 + cs2 > 0)
        w.wq_mean *= exp(-2.0 * (1 - w.rho) * (1 - ca2) * (1 - ca2) / (3 * w.rho * (ca2 + cs2)));
    /* The probability of waiting with arrivals more regular than Poisson: Whitt's QNA (The
     * Queueing Network Analyzer, Bell System Technical Journal 62(9), 1983, eqs. 45–46, for one
     * server and Ca² <= 1): P(W > 0) ≈ ρ + (Ca² − 1)·ρ(1 − ρ)·h, h = (1 + Ca² + ρCs²) /
     * (1 + ρ(Cs² − 1) + ρ²(4Ca² + Cs²)). With several servers Erlang C is scaled by the same
     * ratio to ρ (our extension, checked against the request engine in tests/test_flow.c). */
    if (ca2 < 1) {
        double r = w.rho;
        double h = (1 + ca2 + r * cs2) / (1 + r * (cs2 - 1) + r * r * (4 * ca2 + cs2));
        double p1 = r + (ca2 - 1) * r * (1 - r) * h;
        if (p1 > 0 && p1 < r)
            w.p_wait *= p1 / r;
    }
    w.wait_given_wait = w.p_wait > 0 ? w.wq_mean / w.p_wait : 0;
    return w;
}

double mdl_ps_slowdown(double c, double a)
{
    /* c servers shared by processor sharing, each job at most one: the number in system is
     * that of M/M/c, so the mean sojourn is E[S]·(1 + C(c, a)/(c − a)) (Little's law on the
     * M/M/c queue; Kleinrock 1975). Infinite at and above saturation. */
    if (!(a > 0))
        return 1;
    if (a >= c)
        return INFINITY;
    return 1.0 + mdl_erlang_c(c, a) / (c - a);
}

int mdl_poisson_quantile(double mean, double q)
{
    /* the smallest k with P(K <= k) >= q for K ~ Poisson(mean); a normal approximation with a
     * continuity correction above a mean of 1000, where summing terms is slow and exact enough */
    if (!(mean > 0))
        return 0;
    if (mean > 1000) {
        /* z for q in (0.5, 1): Acklam-free, good to a few 1e-4 for the tails used here */
        double t = sqrt(-2.0 * log(1.0 - q));
        double z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                           (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
        return (int)ceil(mean + z * sqrt(mean) - 0.5);
    }
    double p = exp(-mean), cdf = p;
    int k = 0;
    while (cdf < q && k < 100000) {
        k++;
        p *= mean / k;
        cdf += p;
    }
    return k;
}

double mdl_repairman_throughput(double N, double Z, double D, double C)
{
    /* The finite-source (machine-repairman) model: N customers alternate between a think time
     * of mean Z (each its own: an infinite server) and a station of C servers shared by
     * processor sharing, mean demand D. Product form, insensitive to the distributions (BCMP:
     * Baskett, Chandy, Muntz and Palacios, J. ACM 22(2), 1975): p_k ∝ N!/(N−k)! · (D/Z)^k /
     * Π_{j<=k} min(j, C); throughput X = E[min(k, C)] / D. The terms are built by their ratios
     * and rescaled when large (N reaches thousands); once past their peak and below 1e-17 of the
     * sum they cannot change it and the sum stops. */
    if (!(N >= 1) || !(D > 0) || !(C > 0))
        return 0;
    int n = (int)floor(N);
    if (!(Z > 0))
        return (n < C ? n : C) / D;
    double p = 1, sum = 1, busy = 0; /* k = 0 */
    for (int k = 1; k <= n; k++) {
        double ratio = (n - k + 1) * D / (Z * (k < C ? k : C));
        p *= ratio;
        sum += p;
        busy += p * (k < C ? k : C);
        if (sum > 1e250) { /* rescale: only their ratio matters */
            p *= 1e-250;
            sum *= 1e-250;
            busy *= 1e-250;
        }
        if (ratio < 1 && p < 1e-17 * sum)
            break;
    }
    return busy / sum / D;
}

double mdl_mmck_refused(double c, double a, double k)
{
    /* M/M/c/(c+k): p_n ∝ a^n/n! up to c, then p_c·ρ^j for j = 1..k (ρ = a/c). Over the states
     * up to c, p_c is Erlang B; so P(full) = B·ρ^k / (1 + B·ρ(1 − ρ^k)/(1 − ρ)) (Kleinrock
     * 1975, §3.6); at ρ = 1 the sum ρ(1 − ρ^k)/(1 − ρ) is k */
    if (!(a > 0))
        return 0;
    if (!(c > 0))
        return 1;
    double b = mdl_erlang_b(c, a), rho = a / c;
    if (!(k > 0))
        return b;
    double rk = pow(rho, k);
    double queued = fabs(1 - rho) < 1e-12 ? k : rho * (1 - rk) / (1 - rho);
    if (!isfinite(rk)) /* ρ > 1 and k large: the waiting room is nearly always full */
        return 1 - 1 / rho;
    return b * rk / (1 + b * queued);
}

mdl_patience mdl_mmc_patience(double c, double lambda, double mean_s, double tau)
{
    /* M/M/c+D (Baccelli and Hebuterne, "On queues with impatient customers", Performance '81;
     * Zeltyn and Mandelbaum, Queueing Systems 51, 2005). With FCFS and a fixed patience, an
     * arrival's fate is set by its virtual wait V on arrival: served if V < tau. By level
     * crossing, below c busy servers the states are Erlang's (π_k ∝ a^k/k!, k < c); V has
     * density λπ_{c−1}·e^{−θx} on (0, tau) with θ = cμ − λ, and beyond tau only the jump of
     * the last one admitted: λπ_{c−1}·e^{−θ·tau}·e^{−cμ(x − tau)}. Normalised over the states
     * below c (their sum's share of π_{c−1} is Erlang B(c − 1, a)):
     *   P(V >= tau) = B·λ·e^{−θ·tau}/(cμ) / (1 + B·λ·I),  I = (1 − e^{−θ·tau})/θ + e^{−θ·tau}/(cμ).
     * tau = 0 gives Erlang B(c, a); tau → ∞ with θ > 0 gives Erlang C. Stable at any load. */
    mdl_patience p = {0, 0, 0, 0};
    if (!(lambda > 0) || !(mean_s > 0) || !(c >= 1))
        return p;
    double cmu = c / mean_s, th = cmu - lambda, a = lambda * mean_s;
    double b = mdl_erlang_b(c - 1, a);
    if (!(tau > 0))
        tau = 0;
    /* every term carries e^{−θ·tau} or ∫ e^{−θx}: when e^{−θ·tau} > 1 (θ < 0, above
     * saturation) all are scaled by its inverse, so that a long tau cannot overflow */
    double x = th * tau, sc, e, in, xin; /* scale; e^{−x}, ∫_0^tau e^{−θx}, ∫ x·e^{−θx}: scaled */
    if (fabs(x) < 1e-6) {
        sc = 1;
        e = exp(-x);
        in = tau * (1 - x / 2);
        xin = tau * tau * (0.5 - x / 3);
    } else if (x >= 0) {
        sc = 1;
        e = exp(-x);
        in = -expm1(-x) / th;
        xin = (1 - e * (1 + x)) / (th * th);
    } else {
        sc = exp(x); /* 1/e^{−x} */
        e = 1;
        in = (sc - 1) / th;
        xin = (sc - (1 + x)) / (th * th);
    }
    double norm = sc + b * lambda * (in + e / cmu);
    p.p_abandon = b * lambda * e / cmu / norm;
    p.p_wait = b * lambda * in / norm;
    p.theta = th;
    p.wait_mean = b * lambda * xin / norm + tau * p.p_abandon;
    return p;
}
