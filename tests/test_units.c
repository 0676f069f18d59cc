/*
 * test_units.c — the scalar quantity parsers (scn_parse_*) and scn_suggest.
 *
 * Why: these parsers are where a scenario's numbers get their meaning; a lenient one turns a
 * typo into a silently different simulation. Each parser is checked on the forms io.h promises,
 * on exact results (no double rounding for integer units), at its int64 boundary, and on the
 * forms it must refuse (negative, missing or unknown unit, junk, spaces, exponents), with the
 * message a user would read.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdint.h>
#include <string.h>

#include "io/io.h"

typedef struct ok_i64 {
    const char *text;
    int64_t want;
} ok_i64;

typedef struct ok_dbl {
    const char *text;
    double want;
} ok_dbl;

typedef struct bad {
    const char *text;
    const char *msg; /* a substring of the message */
} bad;

#define N(a) (sizeof(a) / sizeof *(a))

/* ---------------------------------------------------------------- duration */

static const ok_i64 duration_ok[] = {
    {"250ms", 250000000LL},
    {"15s", 15000000000LL},
    {"2m", 120000000000LL},
    {"2min", 120000000000LL},
    {"24h", 86400000000000LL},
    {"1d", 86400000000000LL},
    {"1.5h", 5400000000000LL},
    {"100us", 100000LL},
    {"7ns", 7LL},
    {"0s", 0LL},
    /* compound forms, exact decimals, the int64 boundary */
    {"1h30m", 5400000000000LL},
    {"1m30s", 90000000000LL},
    {"1h1m1s1ms1us1ns", 3661001001001LL},
    {"1d12h", 129600000000000LL},
    {"1.25s", 1250000000LL},
    {"0.1s", 100000000LL}, /* exact, not 100000000.00000001 */
    {"0.001us", 1LL},      /* one nanosecond, exactly */
    {"1.500000000000s", 1500000000LL},
    {"007s", 7000000000LL},
    {"9223372036s", 9223372036000000000LL},
    {"9223372036854775807ns", INT64_MAX},
    {"106751d", 106751LL * 86400000000000LL},
};

static const bad duration_bad[] = {
    {"250", "duration '250' needs a unit (e.g. 250ms, 15s, 2m, 24h)"},
    {"0", "needs a unit"},
    {"1.5", "needs a unit"},
    {"1h30", "needs a unit after every number"},
    {"-5s", "must not be negative"},
    {"+5s", "must not have a sign"},
    {"", "is empty"},
    {NULL, "is empty"},
    {" 5s", "surrounding spaces"},
    {"5s ", "surrounding spaces"},
    {"5 s", "unexpected text"},
    {"5sec", "unknown unit 'sec'"},
    {"5S", "unknown unit 'S'"},
    {"5y", "unknown unit"},
    {"s", "is not a number"},
    {".5s", "digit before the '.'"},
    {"5.s", "digit after the '.'"},
    {"1e3s", "exponent"},
    {"0.5ns", "whole number of nanoseconds"},
    {"0.0000000001s", "whole number of nanoseconds"},
    {"30m1h", "largest to smallest"},
    {"1m30min", "largest to smallest"},
    {"1s1s", "largest to smallest"},
    {"9223372036854775808ns", "too large"},
    {"9223372037s", "too large"},
    {"106752d", "too large"},
    {"99999999999999999999999h", "too large"},
    {"106751d1d", "largest to smallest"},
    {"106751d23h59m59s", "too large"},
    {"5s!", "unexpected text"},
    {"5s-", "unexpected text"},
    {"inf", "is not a number"},
    {"nan", "is not a number"},
    {"0x10s", "unknown unit 'x'"},
    {"1,5s", "unexpected text"},
};

/* ---------------------------------------------------------------- count */

static const ok_dbl count_ok[] = {
    {"12", 12},       {"0", 0},        {"50k", 50000},
    {"2M", 2000000},  {"1.5G", 1.5e9}, {"1.5k", 1500},
    {"0.001k", 1},    {"0.5", 0.5},    {"2.5", 2.5},
    {"1.1k", 1100},   {"000123", 123}, {"9223372036854774784", 9223372036854774784.0},
    {"0.000001M", 1},
};

static const bad count_bad[] = {
    {"", "is empty"},
    {"-1", "must not be negative"},
    {"-0", "must not be negative"},
    {"+1", "must not have a sign"},
    {" 1", "surrounding spaces"},
    {"1 ", "surrounding spaces"},
    {"1 k", "unexpected text"},
    {"1e3", "exponent"},
    {"1E3", "exponent"},
    {"1K", "unknown suffix"},
    {"1m", "unknown suffix"},
    {"1kk", "unknown suffix"},
    {"1x", "unknown suffix"},
    {"1k5", "unexpected text"},
    {"1,000", "unexpected text"},
    {"0x10", "unknown suffix"},
    {"inf", "is not a number"},
    {"nan", "is not a number"},
    {"infinity", "is not a number"},
    {".5", "digit before"},
    {"5.", "digit after"},
    {"1..5", "digit after"},
    {"9223372036854775808", "too large"},
    {"9223372036854776G", "too large"},
    {"10G/s", "unexpected text"},
    {"50%", "unexpected text"},
};

/* ---------------------------------------------------------------- percent */

static const ok_dbl percent_ok[] = {
    {"70%", 0.70}, {"99.9%", 0.999},  {"0%", 0},        {"100%", 1},
    {"150%", 1.5}, {"0.01%", 0.0001}, {"12.5%", 0.125}, {"99.99%", 0.9999},
};

static const bad percent_bad[] = {
    {"70", "needs a % sign"},
    {"0.7", "needs a % sign"},
    {"-5%", "must not be negative"},
    {"%", "is not a number"},
    {"70 %", "needs a % sign"},
    {"70%%", "unexpected text"},
    {"70%x", "unexpected text"},
    {" 70%", "surrounding"},
    {"", "is empty"},
    {"1e2%", "exponent"},
    {"+5%", "sign"},
    {"7o%", "needs a % sign"},
};

/* ---------------------------------------------------------------- cpu */

static const ok_i64 cpu_ok[] = {
    {"250m", 250},
    {"1", 1000},
    {"0.5", 500},
    {"2", 2000},
    {"0.001", 1},
    {"1.5", 1500},
    {"0m", 0},
    {"1000m", 1000},
    {"0.250", 250},
    {"0", 0},
    {"9223372036854775807m", INT64_MAX},
    {"9223372036854775", 9223372036854775000LL},
};

static const bad cpu_bad[] = {
    {"0.0001", "finer than 1 millicore"},
    {"1.5m", "finer than 1 millicore"},
    {"-1", "must not be negative"},
    {"-250m", "must not be negative"},
    {"250M", "unknown unit"},
    {"250mi", "unknown unit"},
    {"1 ", "surrounding"},
    {"", "is empty"},
    {"1e3", "exponent"},
    {"m", "is not a number"},
    {"9223372036854776", "too large"},
    {"9223372036854775808m", "too large"},
    {"two", "is not a number"},
};

/* ---------------------------------------------------------------- memory */

static const ok_i64 memory_ok[] = {
    {"256Mi", 268435456LL},
    {"1Gi", 1073741824LL},
    {"512M", 512000000LL},
    {"1000", 1000LL},
    {"1Ki", 1024LL},
    {"1Ti", 1099511627776LL},
    {"2k", 2000LL},
    {"3G", 3000000000LL},
    {"4T", 4000000000000LL},
    {"1.5Gi", 1610612736LL},
    {"0.5Ki", 512LL},
    {"1.5k", 1500LL},
    {"0", 0LL},
    {"9223372036854775807", INT64_MAX},
    {"8388607Ti", 8388607LL << 40},
};

static const bad memory_bad[] = {
    {"256MB", "did you mean 256Mi or 256M?"},
    {"1GB", "did you mean 1Gi or 1G?"},
    {"1.5GB", "did you mean 1.5Gi or 1.5G?"},
    {"64kB", "did you mean 64Ki or 64k?"},
    {"64KB", "did you mean 64Ki or 64k?"},
    {"2TB", "did you mean 2Ti or 2T?"},
    {"1GiB", "did you mean 1Gi?"},
    {"8K", "did you mean 8Ki or 8k?"},
    {"512B", "without a unit (512)"},
    {"1Pi", "unknown unit 'Pi'"},
    {"1g", "unknown unit 'g'"},
    {"1mi", "unknown unit"},
    {"1.5", "whole number of bytes"},
    {"0.1Ki", "whole number of bytes"},
    {"-1Gi", "must not be negative"},
    {"", "is empty"},
    {"1 Gi", "unknown unit"},
    {"Gi", "is not a number"},
    {"1e9", "exponent"},
    {"9223372036854775808", "too large"},
    {"8388608Ti", "too large"},
};

/* ---------------------------------------------------------------- money */

static const ok_i64 money_ok[] = {
    {"370", 370000000LL},
    {"$370", 370000000LL},
    {"1234.56", 1234560000LL},
    {"$0.0416", 41600LL},
    {"0.000001", 1LL},
    {"$1,234.50", 1234500000LL},
    {"12,345,678", 12345678000000LL},
    {"1,000", 1000000000LL},
    {"0", 0LL},
    {"$0.10", 100000LL},
    {"0.1234560", 123456LL},
    {"9223372036854.775807", INT64_MAX},
    {"9,223,372,036,854.775807", INT64_MAX},
};

static const bad money_bad[] = {
    {"-5", "must not be negative"},
    {"$-5", "must not be negative"},
    {"+5", "must not have a sign"},
    {"$+5", "must not have a sign"},
    {"$", "is not a number"},
    {"", "is empty"},
    {"$ 5", "is not a number"},
    {"5$", "unexpected text"},
    {"USD 5", "is not a number"},
    {"0.0000001", "more than 6 decimals"},
    {"1,23", "misplaced comma"},
    {"1234,567", "misplaced comma"},
    {"1,2345", "misplaced comma"},
    {"1,,234", "misplaced comma"},
    {"1,234,56", "misplaced comma"},
    {"1,", "misplaced comma"},
    {",123", "is not a number"},
    {"1.", "digit after"},
    {".5", "is not a number"},
    {"1.2.3", "unexpected text"},
    {"1e3", "unexpected text"},
    {"1,5", "misplaced comma"},
    {"9223372036854.775808", "too large"},
    {"9223372036855", "too large"},
    {"99999999999999999999999", "too large"},
};

/* ---------------------------------------------------------------- rate */

static const ok_dbl rate_ok[] = {
    {"9/s", 9}, {"540/m", 9},     {"540/min", 9}, {"10k/h", 10000.0 / 3600.0},
    {"0/s", 0}, {"1.5k/s", 1500}, {"3600/h", 1},  {"2M/min", 2e6 / 60},
};

static const bad rate_bad[] = {
    {"9", "needs a unit of time (e.g. 9/s, 540/m, 10k/h)"},
    {"9/", "unknown unit of time"},
    {"9/sec", "unknown unit of time 'sec'"},
    {"9/d", "unknown unit of time"},
    {"9/S", "unknown unit of time"},
    {"9/ s", "unknown unit of time"},
    {"9 /s", "unexpected text"},
    {"/s", "is not a number"},
    {"-9/s", "must not be negative"},
    {"9/-s", "unknown unit of time"},
    {"9/2s", "unknown unit of time"},
    {"1e3/s", "exponent"},
    {"9K/s", "unknown suffix"},
    {"", "is empty"},
    {"9223372036854775808/s", "too large"},
};

/* ---------------------------------------------------------------- the checks */

/* A parser of io.h with its cases: an integer one (i64: durations, CPU, memory, money) with
 * integer results, or a double one (dbl: counts, percentages, rates) with double results. */
typedef struct parser {
    const char *name;
    int (*i64)(const char *, int64_t *, base_err *);
    int (*dbl)(const char *, double *, base_err *);
    const ok_i64 *ok_i64;
    const ok_dbl *ok_dbl;
    size_t nok;
    const bad *bad;
    size_t nbad;
} parser;

static const parser parsers[] = {
    {"duration", scn_parse_duration, NULL, duration_ok, NULL, N(duration_ok), duration_bad,
     N(duration_bad)},
    {"count", NULL, scn_parse_count, NULL, count_ok, N(count_ok), count_bad, N(count_bad)},
    {"percent", NULL, scn_parse_percent, NULL, percent_ok, N(percent_ok), percent_bad,
     N(percent_bad)},
    {"cpu", scn_parse_cpu, NULL, cpu_ok, NULL, N(cpu_ok), cpu_bad, N(cpu_bad)},
    {"memory", scn_parse_memory, NULL, memory_ok, NULL, N(memory_ok), memory_bad, N(memory_bad)},
    {"money", scn_parse_money, NULL, money_ok, NULL, N(money_ok), money_bad, N(money_bad)},
    {"rate", NULL, scn_parse_rate, NULL, rate_ok, N(rate_ok), rate_bad, N(rate_bad)},
};

/* p on text: its status; its result in *iv (an integer parser) or *dv, each preset to a value
 * no case gives (-12345, -1) so that a write on failure shows. */
static int parse_with(const parser *p, const char *text, int64_t *iv, double *dv, base_err *err)
{
    *iv = -12345;
    *dv = -1;
    base_err_clear(err);
    return p->i64 ? p->i64(text, iv, err) : p->dbl(text, dv, err);
}

/* Each accepted form gives BASE_OK and exactly its result (no double rounding for integers). */
static void check_ok(const parser *p)
{
    for (size_t i = 0; i < p->nok; i++) {
        const char *text = p->i64 ? p->ok_i64[i].text : p->ok_dbl[i].text;
        int64_t iv;
        double dv;
        base_err err;
        int rc = parse_with(p, text, &iv, &dv, &err);
        cr_assert_eq(rc, BASE_OK, "%s '%s' refused: %s", p->name, text, err.msg);
        if (p->i64)
            cr_assert_eq(iv, p->ok_i64[i].want, "%s '%s' gave %lld, want %lld", p->name, text,
                         (long long)iv, (long long)p->ok_i64[i].want);
        else
            cr_assert(dv == p->ok_dbl[i].want, "%s '%s' gave %.17g, want %.17g", p->name, text, dv,
                      p->ok_dbl[i].want);
    }
}

/* Each refused form gives BASE_EINPUT, no position, a one-line message containing its `msg`, and
 * the output untouched. */
static void check_bad(const parser *p)
{
    for (size_t i = 0; i < p->nbad; i++) {
        const bad *c = &p->bad[i];
        const char *text = c->text ? c->text : "(NULL)";
        int64_t iv;
        double dv;
        base_err err;
        int rc = parse_with(p, c->text, &iv, &dv, &err);
        cr_assert_eq(rc, BASE_EINPUT, "%s '%s' accepted (%lld, %g)", p->name, text, (long long)iv,
                     dv);
        cr_assert(iv == -12345 && dv == -1, "%s '%s' wrote its output on failure", p->name, text);
        cr_assert_eq(err.line, 0, "%s '%s': line %d", p->name, text, err.line);
        cr_assert_eq(err.col, 0, "%s '%s': col %d", p->name, text, err.col);
        cr_assert(strstr(err.msg, c->msg), "%s '%s': message \"%s\" lacks \"%s\"", p->name, text,
                  err.msg, c->msg);
        cr_assert(!strchr(err.msg, '\n'), "%s '%s': message of more than a line", p->name, text);
    }
}

/* Each test's parameter is an index into parsers[] (parameters cross processes: no pointers). */
static struct criterion_test_params each_parser(void)
{
    static int which[N(parsers)];
    for (size_t i = 0; i < N(parsers); i++)
        which[i] = (int)i;
    return cr_make_param_array(int, which, N(parsers));
}

ParameterizedTestParameters(units, accepted_forms)
{
    return each_parser();
}

ParameterizedTest(int *which, units, accepted_forms, .timeout = 30)
{
    check_ok(&parsers[*which]);
}

ParameterizedTestParameters(units, refused_forms)
{
    return each_parser();
}

ParameterizedTest(int *which, units, refused_forms, .timeout = 30)
{
    check_bad(&parsers[*which]);
}

/* Criterion 2.4's ParameterizedTest does not mark its registration pointer `used` (Test does),
 * so link-time optimisation, on in Release builds, drops the tests silently (see test_bad.c);
 * these references keep them. */
__attribute__((used)) static struct criterion_test **const keep_accepted =
    &units_accepted_forms_ptr;
__attribute__((used)) static struct criterion_test **const keep_refused = &units_refused_forms_ptr;

/* ---------------------------------------------------------------- suggest */

static const char *const keys[] = {"replicas", "cpu",     "memory", "requests",
                                   "timeout",  "retries", "region"};

Test(suggest, typos, .timeout = 30)
{
    cr_assert_str_eq(scn_suggest("replicsa", keys, N(keys)), "replicas");
    cr_assert_str_eq(scn_suggest("cpus", keys, N(keys)), "cpu");
    cr_assert_str_eq(scn_suggest("memroy", keys, N(keys)), "memory");
    cr_assert_str_eq(scn_suggest("timout", keys, N(keys)), "timeout");
    cr_assert_str_eq(scn_suggest("memory", keys, N(keys)), "memory");
    cr_assert_null(scn_suggest("", keys, N(keys)));
}

Test(suggest, too_far, .timeout = 30)
{
    cr_assert_null(scn_suggest("database", keys, N(keys)));
    cr_assert_null(scn_suggest("zzz", keys, N(keys)));
    cr_assert_null(scn_suggest("cpu", keys, 0));
    cr_assert_null(scn_suggest("cpu", NULL, 3));
}

Test(suggest, threshold_is_max_of_2_and_a_third, .timeout = 30)
{
    /* 3 letters: limit 2 */
    static const char *const c1[] = {"abcxy"};
    cr_assert_not_null(scn_suggest("abc", c1, 1)); /* distance 2 */
    static const char *const c2[] = {"abcxyz"};
    cr_assert_null(scn_suggest("abc", c2, 1)); /* distance 3 */
    /* 12 letters: limit 4 */
    static const char *const c3[] = {"abcdefghWXYZ"};
    cr_assert_not_null(scn_suggest("abcdefghijkl", c3, 1)); /* distance 4 */
    static const char *const c4[] = {"abcdefgVWXYZ"};
    cr_assert_null(scn_suggest("abcdefghijkl", c4, 1)); /* distance 5 */
}

Test(suggest, ties_go_to_the_first, .timeout = 30)
{
    static const char *const c[] = {"cat", "cot", "cut"};
    cr_assert_eq(scn_suggest("cxt", c, 3), c[0]);
    static const char *const d[] = {"far", "cut", "cot"};
    cr_assert_eq(scn_suggest("cxt", d, 3), d[1]);
    static const char *const e[] = {NULL, "cut"};
    cr_assert_eq(scn_suggest("cxt", e, 2), e[1]);
}
