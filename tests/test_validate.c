/*
 * test_validate.c — the JSON Schema validator (src/validate) keyword by keyword, and the schemas
 * it exists for: docs/report-schema.json against real reports of the simulate binary, and the
 * Kubernetes catalogue's Deployment and HPA schemas against manifests like the ones simulate will
 * emit.
 *
 * Why: a schema test that cannot fail proves nothing, so every keyword has a document that passes
 * and one that fails, with the JSON Pointer and message the failure must name; the report schema
 * is shown to have teeth (a removed key, a mistyped figure); and the validator must refuse what it
 * cannot honour (unknown keywords, remote $ref, patterns ECMA-262 would not accept) rather than
 * pass everything.
 *
 * The Kubernetes schemas are read from tests/data/validate/k8s (copies: CI's checkout may not have
 * the shared folder). Runs of simulate go to a temporary folder removed by the suite's .fini.
 *
 * Every test has the same .timeout: Criterion 2.4's runner leaks an allocation when tests of one
 * executable have different timeouts and run in parallel, and ctest fails on the leak report.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "validate/validate.h"
#include "files.h"

#define T_LIMIT        60
#define REPORT_SCHEMA  SIMULATE_ROOT "/docs/report-schema.json"
#define COMPARE_SCHEMA SIMULATE_ROOT "/docs/compare-schema.json"
#define K8S            SIMULATE_TESTDATA "/validate/k8s"

/* ---------------------------------------------------------------- helpers */

static json_t *parse(const char *text)
{
    json_error_t je;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
    cr_assert_not_null(v, "test JSON does not parse: %s: %s", je.text, text);
    return v;
}

static json_t *load_json(const char *path)
{
    json_error_t je;
    json_t *v = json_load_file(path, 0, &je);
    cr_assert_not_null(v, "%s: %s", path, je.text);
    return v;
}

/* The end of a test of a document against a schema: both freed. */
static void free_doc_and_schema(json_t *doc, val_schema *s)
{
    json_decref(doc);
    val_schema_free(s);
}

/* doc (named `what` in a failure) passes s. */
static void expect_doc_valid(const val_schema *s, const json_t *doc, const char *what)
{
    base_err err;
    int st = val_check(s, doc, &err);
    cr_expect_eq(st, BASE_OK, "%s does not match its schema: %s", what, err.msg);
}

/* The JSON document at path, which must pass s (the caller json_decref's it). */
static json_t *valid_file(const val_schema *s, const char *path)
{
    json_t *doc = load_json(path);
    expect_doc_valid(s, doc, path);
    return doc;
}

static val_schema *schema_of(const char *text)
{
    json_t *j = parse(text);
    val_schema *s = NULL;
    base_err err;
    int st = val_schema_from_json(j, &s, &err);
    json_decref(j); /* the schema keeps its own reference */
    cr_assert_eq(st, BASE_OK, "schema refused: %s (%s)", err.msg, text);
    return s;
}

static val_schema *schema_file(const char *path)
{
    val_schema *s = NULL;
    base_err err;
    int st = val_schema_load(path, &s, &err);
    cr_assert_eq(st, BASE_OK, "%s refused: %s", path, err.msg);
    return s;
}

static void expect_valid(const char *schema, const char *doc)
{
    val_schema *s = schema_of(schema);
    json_t *d = parse(doc);
    base_err err;
    int st = val_check(s, d, &err);
    cr_expect_eq(st, BASE_OK, "%s against %s: %s", doc, schema, err.msg);
    cr_expect_str_empty(err.msg, "a pass leaves no message");
    free_doc_and_schema(d, s);
}

/* doc fails with BASE_EINPUT and a message containing every one of the NULL-ended parts. */
static void expect_invalid_v(const char *schema, const char *doc, const char *const *parts)
{
    val_schema *s = schema_of(schema);
    json_t *d = parse(doc);
    base_err err;
    int st = val_check(s, d, &err);
    cr_expect_eq(st, BASE_EINPUT, "%s against %s: want a failure, got %d (%s)", doc, schema, st,
                 err.msg);
    for (size_t i = 0; parts[i]; i++)
        cr_expect(strstr(err.msg, parts[i]), "%s against %s: message lacks '%s': %s", doc, schema,
                  parts[i], err.msg);
    free_doc_and_schema(d, s);
}

#define expect_invalid(schema, doc, ...)                                                           \
    expect_invalid_v(schema, doc, (const char *const[]){__VA_ARGS__, NULL})

static void expect_refused(const char *schema, int status, const char *part)
{
    json_t *j = parse(schema);
    val_schema *s = (val_schema *)1;
    base_err err;
    int st = val_schema_from_json(j, &s, &err);
    json_decref(j);
    cr_expect_eq(st, status, "%s: want status %d, got %d (%s)", schema, status, st, err.msg);
    cr_expect_null(s, "a refused schema leaves *out NULL");
    cr_expect(strstr(err.msg, part), "%s: message lacks '%s': %s", schema, part, err.msg);
    if (st == BASE_OK)
        val_schema_free(s);
}

/* A document against a schema: valid when parts[0] is NULL, else refused with a message
 * containing every part (NULL-ended). */
typedef struct doc_case {
    const char *schema, *doc;
    const char *parts[3];
} doc_case;

/* expect_valid or expect_invalid on each of the n cases. */
static void expect_each_doc(const doc_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cases[i].parts[0])
            expect_invalid_v(cases[i].schema, cases[i].doc, cases[i].parts);
        else
            expect_valid(cases[i].schema, cases[i].doc);
    }
}

/* A schema and a part of the message its refusal must give. */
typedef struct refusal {
    const char *schema, *part;
} refusal;

/* Each of the n schemas of cases is refused as bad input (BASE_EINPUT) with its part. */
static void expect_each_refused(const refusal *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        expect_refused(cases[i].schema, BASE_EINPUT, cases[i].part);
}

/* Checks a document already in memory; returns the status, the message in err. */
static int check_doc(const val_schema *s, const json_t *doc, base_err *err)
{
    return val_check(s, doc, err);
}

/* ---------------------------------------------------------------- scratch folder and runs */

static char current_scratch[64];

static void scratch_fini(void)
{
    if (current_scratch[0])
        remove_tree(current_scratch);
}

static const char *scratch_open(void)
{
    snprintf(current_scratch, sizeof current_scratch, "/tmp/simulate-test-validate-XXXXXX");
    cr_assert_not_null(mkdtemp(current_scratch));
    return current_scratch;
}

/* Runs simulate with args (NULL-ended, without argv[0]); returns its exit code. A crash, a hang
 * (30 s) or a failure to start fails the test. */
static int run_simulate(const char *const *args)
{
    char *argv[24];
    simulate_argv(args, argv, 24);
    /* Under the sanitizers, simulate's leaks are test_cli's business: here a leak report at
     * exit (say from a library that draws the charts) must not hide whether the report is
     * valid. Other sanitizer errors still abort it and fail the test. The last
     * detect_leaks in ASAN_OPTIONS wins; this process is the test's own, so its environment
     * is ours to change. */
    const char *asan = getenv("ASAN_OPTIONS");
    char opts[512];
    snprintf(opts, sizeof opts, "%s%sdetect_leaks=0", asan ? asan : "", asan && *asan ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
    int st = spawn_wait(argv, NULL, NULL, NULL, 30);
    if (st == -1)
        cr_assert_fail("simulate hung: killed after 30 s");
    cr_assert(WIFEXITED(st), "simulate died of signal %d", WTERMSIG(st));
    cr_assert_neq(WEXITSTATUS(st), 126, "could not set up the child");
    cr_assert_neq(WEXITSTATUS(st), 127, "could not run %s", SIMULATE_BIN);
    return WEXITSTATUS(st);
}

TestSuite(validate, .fini = scratch_fini, .timeout = T_LIMIT);

/* ---------------------------------------------------------------- type, enum, const */

Test(validate, type, .timeout = T_LIMIT)
{
    expect_valid("{\"type\": \"string\"}", "\"x\"");
    expect_invalid("{\"type\": \"string\"}", "1", "at (root): expected string, got integer");
    expect_valid("{\"type\": [\"string\", \"null\"]}", "null");
    expect_invalid("{\"type\": [\"string\", \"null\"]}", "{}",
                   "expected string or null, got object");
    expect_valid("{\"type\": \"number\"}", "1");
    expect_valid("{\"type\": \"number\"}", "1.5");
    expect_invalid("{\"type\": \"boolean\"}", "\"true\"", "expected boolean, got string");
    expect_invalid("{\"type\": \"array\"}", "{}", "expected array, got object");
    expect_invalid("{\"type\": \"null\"}", "false", "expected null, got boolean");
}

Test(validate, integer_is_any_integral_number, .timeout = T_LIMIT)
{
    /* Draft 7: 1.0 is an integer (report.c writes counts with json_real) */
    expect_valid("{\"type\": \"integer\"}", "3");
    expect_valid("{\"type\": \"integer\"}", "3.0");
    expect_invalid("{\"type\": \"integer\"}", "3.5", "expected integer, got number");
    expect_invalid("{\"type\": \"integer\"}", "\"3\"", "expected integer, got string");
}

Test(validate, enum_and_const, .timeout = T_LIMIT)
{
    expect_valid("{\"enum\": [\"request\", \"flow\"]}", "\"flow\"");
    expect_invalid("{\"enum\": [\"request\", \"flow\"]}", "\"auto\"",
                   "at (root): \"auto\" is not one of [\"request\",\"flow\"]");
    /* numbers compare by value, objects whatever their key order */
    expect_valid("{\"enum\": [1, {\"a\": 1, \"b\": [true]}]}", "1.0");
    expect_valid("{\"enum\": [1, {\"a\": 1, \"b\": [true]}]}", "{\"b\": [true], \"a\": 1}");
    expect_invalid("{\"enum\": [1, {\"a\": 1, \"b\": [true]}]}", "{\"b\": [false], \"a\": 1}",
                   "is not one of");
    expect_valid("{\"const\": 0.95}", "0.95");
    expect_invalid("{\"const\": 0.95}", "0.9", "0.9 is not the constant 0.95");
    expect_valid("{\"const\": null}", "null");
    expect_invalid("{\"const\": null}", "0", "is not the constant null");
}

/* ---------------------------------------------------------------- objects */

Test(validate, properties_and_required, .timeout = T_LIMIT)
{
    const char *s = "{\"type\": \"object\", \"required\": [\"mean\"],"
                    " \"properties\": {\"mean\": {\"type\": \"number\"},"
                    " \"unit\": {\"type\": \"string\"}}}";
    expect_valid(s, "{\"mean\": 1, \"unit\": \"ms\", \"other\": []}");
    expect_invalid(s, "{\"unit\": \"ms\"}", "at (root): missing required property \"mean\"");
    expect_invalid(s, "{\"mean\": \"fast\"}", "at /mean: expected number, got string");
}

Test(validate, additional_properties, .timeout = T_LIMIT)
{
    const char *closed =
        "{\"properties\": {\"a\": {}, \"b\": {}}, \"additionalProperties\": false}";
    expect_valid(closed, "{\"a\": 1}");
    expect_invalid(closed, "{\"a\": 1, \"c\": 2}",
                   "at /c: property not allowed (additionalProperties is false; known: a, b)");
    const char *typed = "{\"properties\": {\"a\": {}}, \"additionalProperties\": {\"type\": "
                        "\"number\"}}";
    expect_valid(typed, "{\"a\": \"x\", \"t3.medium/spot\": 2.5}");
    /* the key's '/' is escaped as ~1 in the pointer */
    expect_invalid(typed, "{\"t3.medium/spot\": \"2.5\"}",
                   "at /t3.medium~1spot: expected number, got string");
}

Test(validate, pattern_properties, .timeout = T_LIMIT)
{
    const char *s = "{\"patternProperties\": {\"^x-\": {\"type\": \"string\"},"
                    " \"_ms$\": {\"minimum\": 0}}, \"additionalProperties\": false}";
    expect_valid(s, "{\"x-a\": \"y\", \"p99_ms\": 3}");
    expect_invalid(s, "{\"x-a\": 1}", "at /x-a: expected string, got integer");
    expect_invalid(s, "{\"p99_ms\": -1}", "at /p99_ms: -1 is below the minimum 0");
    expect_invalid(s, "{\"p99_s\": 1}", "at /p99_s: property not allowed");
}

Test(validate, property_names_and_counts, .timeout = T_LIMIT)
{
    const char *names = "{\"propertyNames\": {\"pattern\": \"^[a-z0-9_]+$\", \"maxLength\": 8}}";
    expect_valid(names, "{\"served\": 1, \"p_99\": 2}");
    expect_invalid(names, "{\"Served\": 1}",
                   "at /Served: \"Served\" does not match the pattern \"^[a-z0-9_]+$\"");
    expect_invalid(names, "{\"much_too_long\": 1}", "longer than maxLength 8");
    const char *counts = "{\"minProperties\": 1, \"maxProperties\": 2}";
    expect_valid(counts, "{\"a\": 1}");
    expect_invalid(counts, "{}", "object of 0 properties has fewer than minProperties 1");
    expect_invalid(counts, "{\"a\": 1, \"b\": 2, \"c\": 3}", "more than maxProperties 2");
}

Test(validate, dependencies, .timeout = T_LIMIT)
{
    const char *s = "{\"dependencies\": {\"ci95\": [\"ci95_half_width\"],"
                    " \"cost\": {\"required\": [\"pricing\"]}}}";
    expect_valid(s, "{\"ci95\": [1, 2], \"ci95_half_width\": 0.5}");
    expect_valid(s, "{\"ci95_half_width\": 0.5}");
    expect_invalid(s, "{\"ci95\": [1, 2]}",
                   "property \"ci95\" requires property \"ci95_half_width\"");
    expect_invalid(s, "{\"cost\": 1}", "missing required property \"pricing\"");
}

/* ---------------------------------------------------------------- arrays */

Test(validate, items_schema_and_tuple, .timeout = T_LIMIT)
{
    const char *rows = "{\"items\": {\"type\": \"array\", \"items\": {\"type\": \"number\"}}}";
    /* a histogram bucket: [low, high, count] and nothing more */
    const char *tuple = "{\"items\": [{\"type\": \"integer\"}, {\"type\": \"integer\"},"
                        " {\"type\": \"number\"}], \"additionalItems\": false}";
    const char *rest = "{\"items\": [{\"const\": \"time_s\"}], \"additionalItems\": {\"type\": "
                       "\"string\"}}";
    const doc_case cases[] = {
        {rows, "[[1, 2.5], [], [3]]", {NULL}},
        {rows, "[[1, 2.5], [3, \"4\"]]", {"at /1/1: expected number, got string"}},
        {tuple, "[0, 10, 2.5]", {NULL}},
        {tuple, "[0]", {NULL}},
        {tuple, "[0, 1.5, 2]", {"at /1: expected integer, got number"}},
        {tuple, "[0, 10, 2.5, 4]", {"at /3: item not allowed", "additionalItems is false"}},
        {rest, "[\"time_s\", \"users\"]", {NULL}},
        {rest, "[\"users\"]", {"at /0: \"users\" is not the constant \"time_s\""}},
        {rest, "[\"time_s\", 2]", {"at /1: expected string, got integer"}},
    };
    expect_each_doc(cases, sizeof cases / sizeof cases[0]);
}

Test(validate, item_counts_unique_contains, .timeout = T_LIMIT)
{
    const char *counts = "{\"minItems\": 2, \"maxItems\": 3}";
    const char *unique = "{\"uniqueItems\": true}";
    const char *contains = "{\"contains\": {\"const\": \"time_s\"}}";
    const doc_case cases[] = {
        {counts, "[1, 2]", {NULL}},
        {counts, "[1]", {"array of 1 items has fewer than minItems 2"}},
        {counts, "[1, 2, 3, 4]", {"more than maxItems 3"}},
        {unique, "[1, \"1\", [1], {\"a\": 1}, {\"a\": 2}, true, null]", {NULL}},
        {unique, "[0, 1, 2, 1.0]", {"at (root): items 1 and 3 are equal (uniqueItems)"}},
        {unique, "[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}]", {"items 0 and 1"}},
        {"{\"uniqueItems\": false}", "[1, 1]", {NULL}},
        {contains, "[\"users\", \"time_s\"]", {NULL}},
        {contains, "[\"users\"]", {"no item matches \"contains\": {\"const\":\"time_s\"}"}},
        {contains, "[]", {"no item matches"}},
    };
    expect_each_doc(cases, sizeof cases / sizeof cases[0]);
}

Test(validate, unique_items_long_array, .timeout = T_LIMIT)
{
    /* sorted by hash, not compared pairwise: 20000 items stay fast */
    val_schema *s = schema_of("{\"uniqueItems\": true}");
    json_t *a = json_array();
    for (int i = 0; i < 20000; i++)
        json_array_append_new(a, i % 2 ? json_integer(i) : json_real(i + 0.5));
    base_err err;
    cr_expect_eq(check_doc(s, a, &err), BASE_OK, "%s", err.msg);
    json_array_append_new(a, json_real(17.0)); /* equal to the integer 17 */
    cr_expect_eq(check_doc(s, a, &err), BASE_EINPUT);
    cr_expect(strstr(err.msg, "items 17 and 20000 are equal"), "%s", err.msg);
    free_doc_and_schema(a, s);
}

/* ---------------------------------------------------------------- numbers and strings */

Test(validate, numeric_bounds, .timeout = T_LIMIT)
{
    const char *s = "{\"minimum\": 0, \"maximum\": 100}";
    expect_valid(s, "0");
    expect_valid(s, "100.0");
    expect_invalid(s, "-0.5", "at (root): -0.5 is below the minimum 0");
    expect_invalid(s, "101", "101 is above the maximum 100");
    const char *x = "{\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 1}";
    expect_valid(x, "0.5");
    expect_invalid(x, "0", "0 is not above the exclusive minimum 0");
    expect_invalid(x, "1.0", "is not below the exclusive maximum 1");
    /* draft 4's booleans modify minimum and maximum */
    const char *d4 = "{\"minimum\": 0, \"exclusiveMinimum\": true,"
                     " \"maximum\": 1, \"exclusiveMaximum\": false}";
    expect_valid(d4, "1");
    expect_invalid(d4, "0", "0 is not above the minimum 0");
    /* bounds apply to numbers only */
    expect_valid(s, "\"-5\"");
}

Test(validate, multiple_of, .timeout = T_LIMIT)
{
    expect_valid("{\"multipleOf\": 5}", "25");
    expect_invalid("{\"multipleOf\": 5}", "26", "26 is not a multiple of 5");
    expect_valid("{\"multipleOf\": 0.1}", "0.3"); /* 2.9999999999999996 in binary */
    expect_valid("{\"multipleOf\": 0.5}", "7.5");
    expect_invalid("{\"multipleOf\": 2}", "7.5", "7.5 is not a multiple of 2");
    expect_valid("{\"multipleOf\": 1}", "1e300");
}

Test(validate, string_length_in_code_points, .timeout = T_LIMIT)
{
    /* "héllo" is 6 bytes, 5 characters; "𝄞" is 4 bytes, 1 character */
    expect_valid("{\"minLength\": 5, \"maxLength\": 5}", "\"h\\u00e9llo\"");
    expect_valid("{\"maxLength\": 1}", "\"\\ud834\\udd1e\"");
    expect_invalid("{\"minLength\": 6}", "\"h\\u00e9llo\"",
                   "string of 5 characters is shorter than minLength 6");
    expect_invalid("{\"maxLength\": 4}", "\"h\\u00e9llo\"",
                   "string of 5 characters is longer than maxLength 4");
}

Test(validate, pattern_ecma_spellings, .timeout = T_LIMIT)
{
    expect_valid("{\"pattern\": \"^[0-9]+$\"}", "\"2026\"");
    expect_invalid("{\"pattern\": \"^[0-9]+$\"}", "\"20x6\"",
                   "at (root): \"20x6\" does not match the pattern \"^[0-9]+$\"");
    /* unanchored: a pattern matches anywhere */
    expect_valid("{\"pattern\": \"ami-[0-9a-z]+\"}", "\"id ami-0abc\"");
    /* \d, \., (?:...), a lazy quantifier, \/ */
    const char *semver = "{\"pattern\": \"^\\\\d+\\\\.\\\\d+(?:\\\\.\\\\d+)+?\\\\/?$\"}";
    expect_valid(semver, "\"0.1.0\"");
    expect_invalid(semver, "\"0.1\"", "does not match");
    expect_invalid(semver, "\"0a1.0\"", "does not match");
    /* \s \S \w, escapes inside a class, and a '{' that is not a quantifier */
    expect_valid("{\"pattern\": \"^\\\\S+\\\\s\\\\w+$\"}", "\"*/5 min_1\"");
    expect_valid("{\"pattern\": \"^[\\\\]\\\\-x]+$\"}", "\"]-x\"");
    expect_invalid("{\"pattern\": \"^[\\\\]\\\\-x]+$\"}", "\"\\\\\"", "does not match");
    expect_valid("{\"pattern\": \"^a{,2}$\"}", "\"a{,2}\"");
    /* the Kubernetes quantity pattern, with its empty alternative */
    const char *qty = "{\"pattern\": \"^((\\\\d{1,2}(\\\\.\\\\d{1,2})?|100(\\\\.0{1,2})?)%||"
                      "(\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|"
                      "([eE](\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))))?)$\"}";
    expect_valid(qty, "\"500m\"");
    expect_valid(qty, "\"1.5Gi\"");
    expect_valid(qty, "\"75%\"");
    expect_invalid(qty, "\"5 cores\"", "does not match");
}

Test(validate, pattern_counts_characters, .timeout = T_LIMIT)
{
    /* '.' and negated classes match a whole UTF-8 character, as in ECMA-262 */
    expect_valid("{\"pattern\": \"^.{5}$\"}", "\"h\\u00e9llo\"");
    expect_valid("{\"pattern\": \"^[^/]{2}$\"}", "\"\\u00e9\\u00e9\"");
    expect_valid("{\"pattern\": \"^\\\\D$\"}", "\"\\u00e9\"");
    expect_valid("{\"pattern\": \"^[\\\\s\\\\S]$\"}", "\"\\u00e9\"");
    expect_valid("{\"pattern\": \"^caf\\\\u00e9+$\"}", "\"caf\\u00e9\\u00e9\"");
    /* ECMA: '.' stops at line ends and '$' is the end of the input only */
    expect_invalid("{\"pattern\": \"^a.b$\"}", "\"a\\nb\"", "does not match");
    expect_invalid("{\"pattern\": \"^ab$\"}", "\"ab\\n\"", "does not match");
}

/* Whether the ECMA-262 pattern `pat` (as the JSON string's value) matches `text` (UTF-8): the
 * schema and document are built with jansson so neither needs JSON escaping here. */
static int pattern_matches(const char *pat, const char *text)
{
    json_t *sch = json_pack("{s:s}", "pattern", pat), *doc = json_string(text);
    cr_assert(sch && doc, "%s / %s is not valid UTF-8", pat, text);
    val_schema *s = NULL;
    base_err err;
    int st = val_schema_from_json(sch, &s, &err);
    json_decref(sch);
    cr_assert_eq(st, BASE_OK, "pattern %s refused: %s", pat, err.msg);
    st = val_check(s, doc, &err);
    cr_assert(st == BASE_OK || st == BASE_EINPUT, "pattern %s: status %d (%s)", pat, st, err.msg);
    json_decref(doc);
    val_schema_free(s);
    return st == BASE_OK;
}

#define MATCHES(pat, text)                                                                         \
    cr_expect(pattern_matches(pat, text), "%s should match \"%s\"", pat, text)
#define NO_MATCH(pat, text)                                                                        \
    cr_expect(!pattern_matches(pat, text), "%s should not match \"%s\"", pat, text)

Test(validate, pattern_ecma_on_pcre2, .timeout = T_LIMIT)
{
    /* what POSIX lacked and PCRE2 has, with ECMA-262's meaning */
    MATCHES("^(?=a)a$", "a");
    NO_MATCH("^(?!a)\\w$", "a");
    MATCHES("(?<=x)y", "xy");
    MATCHES("^(a)\\1$", "aa");
    NO_MATCH("^(a)\\1$", "ab");
    MATCHES("^(?:(a)|b)\\1$", "b"); /* ECMA: an unset group's back-reference matches "" */
    MATCHES("\\bword\\b", "a word here");
    NO_MATCH("\\bword\\b", "swordfish");
    MATCHES("^(?<n>a)\\k<n>$", "aa");
    MATCHES("^[\u00e9a]+$", "a\u00e9");
    MATCHES("^\\p{L}+$", "h\u00e9llo"); /* \p as with the u flag */
    MATCHES("^\\cJ$", "\n");
    /* \d and \w are ASCII (no u flag): ARABIC-INDIC DIGIT THREE and e-acute are neither */
    NO_MATCH("^\\d$", "\u0663");
    NO_MATCH("^\\w$", "\u00e9");
    MATCHES("^\\W$", "\u00e9");
    /* \s is Unicode white space and line ends, U+FEFF included, U+0085 not */
    MATCHES("^\\s+$", " \t\u00a0\u2003\u2028\ufeff");
    NO_MATCH("^\\s$", "\xc2\x85"); /* U+0085 */
    NO_MATCH("^\\S$", "\u00a0");
    MATCHES("^[\\S]$", "x");
    NO_MATCH("^[\\S]$", "\u3000");
    MATCHES("^[a\\S]$", "a");
    MATCHES("^[^a\\S]$", "\u2029");
    NO_MATCH("^[^a\\S]$", "x");
    MATCHES("^[\\s\\d]+$", "1\u00a02");
    /* \v is the VT character; '.' stops at the four line ends only */
    MATCHES("^\\v$", "\v");
    NO_MATCH("^\\v$", "\n");
    NO_MATCH("^.$", "\u2028");
    MATCHES("^.$", "\v");
    /* [] matches nothing, [^] anything; '[' in a class is itself */
    NO_MATCH("a[]", "a");
    MATCHES("^[^]$", "\n");
    MATCHES("^[[:a]+$", "[:a");
    /* \u escapes, a surrogate pair as one character */
    MATCHES("^\\u00e9$", "\u00e9");
    MATCHES("^\\ud83d\\ude00$", "\U0001F600");
    MATCHES("^.$", "\U0001F600");
    /* strings with a NUL are matched whole */
    json_t *sch = json_pack("{s:s}", "pattern", "^a\\u0000b$");
    json_t *doc = json_stringn("a\0b", 3);
    val_schema *s = NULL;
    base_err err;
    cr_assert_eq(val_schema_from_json(sch, &s, &err), BASE_OK, "%s", err.msg);
    cr_expect_eq(val_check(s, doc, &err), BASE_OK, "%s", err.msg);
    val_schema_free(s);
    json_decref(sch);
    json_decref(doc);
}

Test(validate, pattern_refused_when_not_ecma, .timeout = T_LIMIT)
{
    static const refusal cases[] = {
        {"{\"pattern\": \"(\"}", "not a valid regular expression"},
        /* what PCRE2 would read in its own way and ECMA-262 does not have */
        {"{\"pattern\": \"^a\\\\Z\"}", "\\Z is not an ECMA-262 escape"},
        {"{\"pattern\": \"\\\\Qa\\\\E\"}", "\\Q is not"},
        {"{\"pattern\": \"(?i)a\"}", "group (?i is not ECMA-262"},
        {"{\"pattern\": \"(?>a)\"}", "group (?> is not ECMA-262"},
        {"{\"pattern\": \"a++\"}", "possessive"},
        {"{\"pattern\": \"a{2}+\"}", "possessive"},
        {"{\"properties\": {\"a\": {\"pattern\": \"[a\"}}}",
         "schema at /properties/a/pattern: pattern \"[a\": unterminated [...] class"},
        {"{\"patternProperties\": {\"^(?P<n>a)$\": {}}}",
         "schema at /patternProperties/^(?P<n>a)$"},
    };
    expect_each_refused(cases, sizeof cases / sizeof cases[0]);
}

/* ---------------------------------------------------------------- combinations */

Test(validate, all_any_one_not, .timeout = T_LIMIT)
{
    const char *all = "{\"allOf\": [{\"type\": \"number\"}, {\"minimum\": 1}]}";
    expect_valid(all, "2");
    expect_invalid(all, "0", "0 is below the minimum 1");
    const char *any = "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\", \"minimum\": "
                      "0}]}";
    expect_valid(any, "\"x\"");
    expect_valid(any, "4");
    expect_invalid(any, "-4", "at (root): matches no alternative of anyOf",
                   "[0] at (root): expected string, got integer",
                   "[1] at (root): -4 is below the minimum 0");
    /* the Kubernetes int-or-string: null matches both alternatives, so oneOf refuses it */
    const char *one = "{\"oneOf\": [{\"type\": [\"string\", \"null\"]}, {\"type\": [\"number\","
                      " \"null\"]}]}";
    expect_valid(one, "\"500m\"");
    expect_valid(one, "0.5");
    expect_invalid(one, "null", "matches alternatives 0 and 1 of oneOf; exactly one must match");
    expect_invalid(one, "[1]", "matches no alternative of oneOf",
                   "[0] at (root): expected string or null, got array");
    const char *not = "{\"not\": {\"type\": \"null\"}}";
    expect_valid(not, "0");
    expect_invalid(not, "null", "matches the schema of \"not\"");
}

Test(validate, if_then_else, .timeout = T_LIMIT)
{
    const char *s = "{\"if\": {\"properties\": {\"status\": {\"const\": \"not measured\"}}},"
                    " \"then\": {\"properties\": {\"measured\": {\"type\": \"null\"}}},"
                    " \"else\": {\"required\": [\"measured\"]}}";
    expect_valid(s, "{\"status\": \"not measured\", \"measured\": null}");
    expect_invalid(s, "{\"status\": \"not measured\", \"measured\": 3}",
                   "at /measured: expected null, got integer");
    expect_valid(s, "{\"status\": \"met\", \"measured\": 3}");
    expect_invalid(s, "{\"status\": \"met\"}", "missing required property \"measured\"");
    expect_valid("{\"then\": false}", "1"); /* then without if: no effect */
}

Test(validate, boolean_schemas, .timeout = T_LIMIT)
{
    expect_valid("true", "{\"anything\": [1]}");
    expect_invalid("false", "1", "at (root): no value is allowed here (the schema is false)");
    const char *s = "{\"properties\": {\"gone\": false, \"any\": true}}";
    expect_valid(s, "{\"any\": 1}");
    expect_invalid(s, "{\"gone\": 1}", "at /gone: no value is allowed here");
    expect_valid("{}", "null");
}

/* ---------------------------------------------------------------- $ref */

Test(validate, ref_local_pointers, .timeout = T_LIMIT)
{
    const char *ok = "{\"definitions\": {\"figure\": {\"type\": \"object\", \"required\": "
                     "[\"mean\"]}},"
                     " \"$defs\": {\"a/b\": {\"type\": \"string\"}, \"m~n\": {\"type\": \"null\"},"
                     " \"sp ace\": {\"type\": \"boolean\"}},"
                     " \"properties\": {\"f\": {\"$ref\": \"#/definitions/figure\"},"
                     " \"s\": {\"$ref\": \"#/$defs/a~1b\"}, \"n\": {\"$ref\": \"#/$defs/m~0n\"},"
                     " \"b\": {\"$ref\": \"#/$defs/sp%20ace\"}}}";
    expect_valid(ok, "{\"f\": {\"mean\": 1}, \"s\": \"x\", \"n\": null, \"b\": true}");
    expect_invalid(ok, "{\"f\": {}}", "at /f: missing required property \"mean\"");
    expect_invalid(ok, "{\"s\": 1}", "at /s: expected string, got integer");
    expect_invalid(ok, "{\"n\": 1}", "at /n: expected null");
    expect_invalid(ok, "{\"b\": 1}", "at /b: expected boolean");
    /* Draft 7: keywords beside $ref are ignored */
    expect_valid("{\"definitions\": {\"n\": {\"type\": \"number\"}},"
                 " \"properties\": {\"x\": {\"$ref\": \"#/definitions/n\", \"minimum\": 10}}}",
                 "{\"x\": 1}");
    /* a reference to a reference, and to an item of an array of schemas */
    expect_invalid("{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\"},"
                   " \"b\": {\"anyOf\": [{\"type\": \"string\"}]}},"
                   " \"items\": {\"$ref\": \"#/definitions/b/anyOf/0\"}}",
                   "[\"x\", 2]", "at /1: expected string, got integer");
}

Test(validate, ref_recursive_tree, .timeout = T_LIMIT)
{
    const char *tree = "{\"$ref\": \"#/definitions/node\", \"definitions\": {\"node\": {"
                       "\"type\": \"object\", \"required\": [\"name\"], \"additionalProperties\": "
                       "false, \"properties\": {\"name\": {\"type\": \"string\"},"
                       " \"children\": {\"type\": \"array\", \"items\": {\"$ref\": "
                       "\"#/definitions/node\"}}}}}}";
    const char *doc = "{\"name\": \"root\", \"children\": [{\"name\": \"a\"},"
                      " {\"name\": \"b\", \"children\": [{\"name\": \"c\", \"children\": "
                      "[{\"name\": \"d\", \"children\": []}]}]}]}";
    expect_valid(tree, doc);
    expect_invalid(tree,
                   "{\"name\": \"root\", \"children\": [{\"name\": \"a\"},"
                   " {\"name\": \"b\", \"children\": [{\"name\": \"c\", \"children\": "
                   "[{\"name\": 4}]}]}]}",
                   "at /children/1/children/0/children/0/name: expected string, got integer");
    expect_invalid(tree, "{\"name\": \"r\", \"children\": [{\"nam\": \"a\"}]}",
                   "at /children/0: missing required property \"name\"");

    /* a tree 100 levels deep: three schemas per level (children, its items' $ref, the node),
     * within the depth limit */
    val_schema *s = schema_of(tree);
    json_t *root = json_pack("{s:s}", "name", "leaf");
    for (int i = 0; i < 100; i++)
        root = json_pack("{s:s, s:[o]}", "name", "n", "children", root);
    base_err err;
    cr_expect_eq(check_doc(s, root, &err), BASE_OK, "%s", err.msg);
    json_decref(root);
    val_schema_free(s);
}

Test(validate, ref_errors, .timeout = T_LIMIT)
{
    static const refusal cases[] = {
        {"{\"$ref\": \"https://example.com/s.json#/x\"}",
         "schema at /$ref: remote $ref \"https://example.com/s.json#/x\" is not "
         "supported"},
        {"{\"items\": {\"$ref\": \"other.json\"}}", "remote $ref"},
        {"{\"$ref\": \"#/definitions/missing\"}", "does not resolve: nothing at \"definitions\""},
        {"{\"definitions\": {}, \"$ref\": \"#/definitions/missing\"}", "nothing at \"missing\""},
        {"{\"$ref\": \"#node\"}", "plain-name fragments"},
        {"{\"required\": [\"a\"], \"not\": {\"$ref\": \"#/required\"}}",
         "names an array, not a schema"},
        {"{\"$ref\": \"#/a~2\"}", "'~' not followed by 0 or 1"},
        /* a target outside any keyword is loaded as a schema too, and checked as one */
        {"{\"x-defs\": {\"a\": {\"typo\": 1}}, \"$ref\": \"#/x-defs/a\"}",
         "schema at /x-defs/a/typo: unknown keyword \"typo\""},
    };
    expect_each_refused(cases, sizeof cases / sizeof cases[0]);
}

Test(validate, ref_cycles_hit_the_depth_limit, .timeout = T_LIMIT)
{
    /* loading follows no reference, so these load; checking stops at the limit */
    const char *cycles[] = {
        "{\"$ref\": \"#\"}",
        "{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\"},"
        " \"b\": {\"allOf\": [{\"$ref\": \"#/definitions/a\"}]}}, \"$ref\": \"#/definitions/a\"}",
    };
    for (size_t i = 0; i < sizeof cycles / sizeof cycles[0]; i++) {
        val_schema *s = schema_of(cycles[i]);
        json_t *d = json_integer(1);
        base_err err;
        cr_expect_eq(check_doc(s, d, &err), BASE_ELIMIT, "%s: %s", cycles[i], err.msg);
        cr_expect(strstr(err.msg, "nested deeper than"), "%s", err.msg);
        json_decref(d);
        val_schema_free(s);
    }
}

Test(validate, hostile_depth, .timeout = T_LIMIT)
{
    /* a document nested 10000 deep against a schema that follows it: BASE_ELIMIT, no overflow
     * (deeper would overflow jansson's own recursive json_decref, not ours) */
    val_schema *s = schema_of("{\"items\": {\"$ref\": \"#\"}}");
    json_t *d = json_array();
    for (int i = 0; i < 10000; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, d);
        d = outer;
    }
    base_err err;
    cr_expect_eq(check_doc(s, d, &err), BASE_ELIMIT, "%s", err.msg);
    cr_expect(strstr(err.msg, "at .../0/0/0/0"), "%s", err.msg);
    /* and enum/uniqueItems compare such values without recursing without end */
    val_schema *u = schema_of("{\"uniqueItems\": true}");
    json_t *pair = json_pack("[O, O]", d, d);
    cr_expect_eq(check_doc(u, pair, &err), BASE_ELIMIT, "%s", err.msg);
    json_decref(pair);
    val_schema_free(u);
    json_decref(d);
    val_schema_free(s);

    /* a schema nested 5000 deep is refused at load */
    json_t *deep = json_object();
    for (int i = 0; i < 5000; i++)
        deep = json_pack("{s:o}", "not", deep);
    val_schema *out = NULL;
    cr_expect_eq(val_schema_from_json(deep, &out, &err), BASE_ELIMIT, "%s", err.msg);
    cr_expect(strstr(err.msg, "nested deeper than"), "%s", err.msg);
    cr_expect_null(out);
    json_decref(deep);
}

/* ---------------------------------------------------------------- what load refuses or ignores */

Test(validate, annotations_are_ignored, .timeout = T_LIMIT)
{
    const char *s = "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"$id\": "
                    "\"report\", \"title\": \"t\", \"description\": \"d\", \"$comment\": \"c\","
                    " \"properties\": {\"at\": {\"type\": \"string\", \"format\": \"date-time\","
                    " \"default\": \"\", \"examples\": [\"x\"], \"readOnly\": true,"
                    " \"x-kubernetes-list-type\": \"atomic\", \"x-anything\": {\"typo\": 1}}}}";
    /* format is an annotation in Draft 7: not a date-time, still valid */
    expect_valid(s, "{\"at\": \"not a date\"}");
    expect_invalid(s, "{\"at\": 5}", "at /at: expected string, got integer");
    expect_valid("{\"$schema\": \"http://json-schema.org/schema#\"}", "1");
    expect_valid("{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}", "1");
}

Test(validate, load_refuses_what_it_cannot_honour, .timeout = T_LIMIT)
{
    static const refusal cases[] = {
        {"{\"properties\": {\"a\": {\"requried\": [\"b\"]}}}",
         "schema at /properties/a/requried: unknown keyword \"requried\""},
        {"{\"unevaluatedProperties\": false}",
         "\"unevaluatedProperties\" is a keyword of a later draft"},
        {"{\"dependentRequired\": {}}", "later draft"},
        {"{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}",
         "is not supported (draft 7 is)"},
        {"{\"items\": {\"$id\": \"#x\"}}",
         "schema at /items/$id: $id below the top level is not supported"},
        {"{\"minimum\": \"3\"}", "schema at /minimum: expected a number"},
        {"{\"minLength\": -1}", "expected a non-negative integer"},
        {"{\"multipleOf\": 0}", "greater than 0"},
        {"{\"type\": \"float\"}", "unknown type \"float\""},
        {"{\"type\": [\"string\", \"string\"]}", "items 0 and 1 are the same"},
        {"{\"required\": [\"a\", 1]}", "item 1 is not a string"},
        {"{\"anyOf\": []}", "non-empty array of schemas"},
        {"{\"items\": [{}, 3]}", "schema at /items/1: expected a schema (an object or a boolean)"},
        {"{\"properties\": []}", "expected an object of schemas"},
        {"[]", "schema at (root): expected a schema"},
    };
    expect_each_refused(cases, sizeof cases / sizeof cases[0]);
}

Test(validate, load_file_errors, .timeout = T_LIMIT)
{
    val_schema *s = (val_schema *)1;
    base_err err;
    cr_expect_eq(val_schema_load(SIMULATE_TESTDATA "/validate/no-such.json", &s, &err), BASE_EIO);
    cr_expect_null(s);
    cr_expect(strstr(err.file, "no-such.json"), "%s", err.file);
    const char *dir = scratch_open();
    char path[128];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    write_text(path, "{\n  \"type\": \"object\",\n  \"type\": \"array\"\n}\n");
    cr_expect_eq(val_schema_load(path, &s, &err), BASE_EINPUT);
    cr_expect_eq(err.line, 3, "%s:%d: %s", err.file, err.line, err.msg);
    cr_expect(strstr(err.msg, "duplicate"), "%s", err.msg);
    write_text(path, "{\"properties\": {\"a\": {\"maximum\": null}}}\n");
    cr_expect_eq(val_schema_load(path, &s, &err), BASE_EINPUT);
    cr_expect_str_eq(err.file, path);
    cr_expect(strstr(err.msg, "schema at /properties/a/maximum: expected a number"), "%s", err.msg);
}

Test(validate, a_loaded_schema_is_reused, .timeout = T_LIMIT)
{
    /* one schema, many checks, the caller's document untouched; err is cleared on success */
    val_schema *s = schema_of("{\"properties\": {\"a\": {\"pattern\": \"^x+$\"}}}");
    json_t *good = parse("{\"a\": \"xxx\"}"), *bad = parse("{\"a\": \"y\"}");
    base_err err;
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(check_doc(s, bad, &err), BASE_EINPUT);
        cr_expect(strstr(err.msg, "at /a:"), "%s", err.msg);
        cr_expect_eq(check_doc(s, good, &err), BASE_OK);
        cr_expect_str_empty(err.msg);
    }
    cr_expect_eq(check_doc(s, good, NULL), BASE_OK);
    cr_expect_eq(check_doc(s, bad, NULL), BASE_EINPUT);
    json_decref(good);
    json_decref(bad);
    val_schema_free(s);
    val_schema_free(NULL);
}

/* ---------------------------------------------------------------- report.json */

/* Runs simulate with `extra` arguments (NULL-ended) into a fresh folder and loads its
 * report.json, which must pass s (docs/report-schema.json). */
static json_t *real_report_v(const val_schema *s, int want_exit, const char *const *extra)
{
    const char *dir = scratch_open();
    char out[128];
    snprintf(out, sizeof out, "%s/out", dir);
    const char *args[16];
    size_t n = 0;
    for (; extra[n]; n++)
        args[n] = extra[n];
    args[n++] = "-q";
    args[n++] = "-o";
    args[n++] = out;
    args[n] = NULL;
    int code = run_simulate(args);
    cr_assert_eq(code, want_exit, "simulate %s exited %d, want %d", extra[0], code, want_exit);
    char path[160];
    snprintf(path, sizeof path, "%s/report.json", out);
    return valid_file(s, path);
}

#define real_report(s, want_exit, ...)                                                             \
    real_report_v(s, want_exit, (const char *const[]){__VA_ARGS__, NULL})

/* doc (a report, or any document s describes) fails s with a message containing part. */
static void expect_report_invalid(const val_schema *s, const json_t *doc, const char *part)
{
    base_err err;
    int st = check_doc(s, doc, &err);
    cr_expect_eq(st, BASE_EINPUT, "the broken document passed (want '%s')", part);
    cr_expect(strstr(err.msg, part), "message lacks '%s': %s", part, err.msg);
}

/* expect_report_invalid on a broken copy, then the copy freed. */
static void expect_copy_invalid(const val_schema *s, json_t *copy, const char *part)
{
    expect_report_invalid(s, copy, part);
    json_decref(copy);
}

Test(validate, report_flow_failover, .timeout = T_LIMIT)
{
    val_schema *s = schema_file(REPORT_SCHEMA);
    json_t *r = real_report(s, 0, SIMULATE_ROOT "/tests/data/flow/failover.yaml", "--fidelity",
                            "flow", "-r", "2");
    cr_expect_str_eq(json_string_value(json_object_get(r, "engine")), "flow");

    /* the schema has teeth: each change below must be caught, at the right place */
    json_t *c = json_deep_copy(r);
    json_object_del(c, "window_s");
    expect_copy_invalid(s, c, "at (root): missing required property \"window_s\"");

    c = json_deep_copy(r);
    json_object_set_new(json_object_get(json_object_get(c, "figures"), "served"), "mean",
                        json_string("959759"));
    expect_copy_invalid(s, c, "at /figures/served/mean: expected number or null, got string");

    c = json_deep_copy(r);
    json_object_set_new(json_object_get(json_object_get(c, "figures"), "latency_p99"), "unit",
                        json_string("s"));
    expect_copy_invalid(s, c, "at /figures/latency_p99/unit: \"s\" is not the constant \"ms\"");

    c = json_deep_copy(r);
    json_object_del(json_object_get(c, "figures"), "errors_db_failover");
    expect_copy_invalid(s, c, "at /figures: missing required property \"errors_db_failover\"");

    c = json_deep_copy(r);
    json_object_set_new(c, "wall_clock_s", json_real(1.5));
    expect_copy_invalid(s, c, "at /wall_clock_s: property not allowed");

    c = json_deep_copy(r);
    json_t *rows = json_object_get(json_object_get(c, "series"), "rows");
    /* null is allowed (a latency of an interval that answered nothing); a string is not */
    json_array_set_new(json_array_get(rows, 0), 3, json_string("1"));
    expect_copy_invalid(s, c, "at /series/rows/0/3: expected number or null, got string");

    c = json_deep_copy(r);
    json_array_remove(json_object_get(json_object_get(c, "series"), "columns"), 1);
    expect_copy_invalid(s, c,
                        "at /series/columns: no item matches \"contains\": {\"const\":\"users\"}");

    c = json_deep_copy(r);
    json_object_set_new(json_object_get(c, "usage"), "node_hours",
                        json_pack("{s:f}", "c7g.xlarge/reserved", 1.0));
    expect_copy_invalid(s, c,
                        "at /usage/node_hours/c7g.xlarge~1reserved: \"c7g.xlarge/reserved\" "
                        "does not match the pattern");

    c = json_deep_copy(r);
    json_object_set_new(c, "seed", json_integer(2026));
    expect_copy_invalid(s, c, "at /seed: expected string, got integer");

    free_doc_and_schema(r, s);
}

Test(validate, report_objectives_one_replication, .timeout = T_LIMIT)
{
    /* an objective fails (exit 1) and the report is still written, and still valid; with one
     * replication the intervals are null */
    val_schema *s = schema_file(REPORT_SCHEMA);
    json_t *r = real_report(s, 1, SIMULATE_ROOT "/tests/data/cli/objective-fails.yaml", "-r", "1");
    json_t *objs = json_object_get(r, "objectives");
    cr_assert_gt(json_array_size(objs), 0);
    cr_expect(json_is_null(
        json_object_get(json_object_get(json_object_get(r, "figures"), "served"), "ci95")));

    json_t *c = json_deep_copy(r);
    json_object_set_new(json_array_get(json_object_get(c, "objectives"), 0), "status",
                        json_string("passed"));
    expect_copy_invalid(s, c, "at /objectives/0/status: \"passed\" is not one of");

    c = json_deep_copy(r);
    json_t *o = json_array_get(json_object_get(c, "objectives"), 0);
    json_object_set_new(o, "status", json_string("not measured"));
    json_object_set_new(o, "measured", json_real(3));
    expect_copy_invalid(s, c, "at /objectives/0/measured: expected null, got number");

    free_doc_and_schema(r, s);
}

Test(validate, report_with_pricing_and_nodes, .timeout = T_LIMIT)
{
    /* steady.yaml has a pricing file and Karpenter nodes: the cost block and the node figures
     * (the flow engine: the request engine's report is checked above, and takes seconds here) */
    val_schema *s = schema_file(REPORT_SCHEMA);
    json_t *r = real_report(s, 0, SIMULATE_ROOT "/tests/data/flow/steady.yaml", "--fidelity",
                            "flow", "-r", "2");
    cr_expect_not_null(json_object_get(r, "cost"), "steady.yaml is priced");
    cr_expect_not_null(json_object_get(json_object_get(r, "figures"), "peak_nodes"));
    json_t *c = json_deep_copy(r);
    json_t *line = json_array_get(json_object_get(json_object_get(c, "cost"), "lines"), 0);
    json_object_set_new(line, "component", json_string("Lambda"));
    expect_copy_invalid(s, c, "at /cost/lines/0/component: \"Lambda\" is not one of");
    free_doc_and_schema(r, s);
}

Test(validate, compare_json, .timeout = T_LIMIT)
{
    /* variants.yaml: three variants, three sweep points, priced */
    const char *dir = scratch_open();
    char out[128], path[160];
    snprintf(out, sizeof out, "%s/out", dir);
    const char *args[] = {
        "compare", "--quiet", "--output", out, SIMULATE_TESTDATA "/cli/variants.yaml", NULL};
    cr_assert_eq(run_simulate(args), 0);
    snprintf(path, sizeof path, "%s/compare.json", out);
    val_schema *s = schema_file(COMPARE_SCHEMA);
    json_t *r = valid_file(s, path);
    cr_expect_not_null(json_object_get(r, "sweep"));

    json_t *c = json_deep_copy(r);
    json_object_del(c, "common_random_numbers");
    expect_copy_invalid(s, c, "at (root): missing required property \"common_random_numbers\"");

    c = json_deep_copy(r);
    json_t *figs = json_object_get(json_array_get(json_object_get(c, "variants"), 1), "figures");
    json_object_set_new(
        figs, "latency_p42",
        json_pack("{s:s, s:f, s:f}", "unit", "ms", "mean", 1.0, "ci95_half_width", 0.1));
    expect_copy_invalid(s, c, "at /variants/1/figures/latency_p42: property not allowed");

    c = json_deep_copy(r);
    json_t *pt = json_array_get(json_object_get(json_object_get(c, "sweep"), "points"), 0);
    json_object_set_new(pt, "cheapest_meeting_objectives", json_false());
    expect_copy_invalid(s, c,
                        "at /sweep/points/0/cheapest_meeting_objectives: expected string "
                        "or null, got boolean");
    free_doc_and_schema(r, s);
}

/* ---------------------------------------------------------------- Kubernetes schemas */

Test(validate, kubernetes_deployment, .timeout = T_LIMIT)
{
    val_schema *s = schema_file(K8S "/deployment-apps-v1.json");
    json_t *d = valid_file(s, K8S "/deployment-api.json");

    json_t *c = json_deep_copy(d);
    json_object_set_new(json_object_get(c, "spec"), "replicas", json_string("three"));
    expect_copy_invalid(s, c, "at /spec/replicas: expected integer or null, got string");

    /* containers are closed objects: a misspelt field is an error, not ignored */
    c = json_deep_copy(d);
    json_t *pod = json_object_get(json_object_get(json_object_get(c, "spec"), "template"), "spec");
    json_t *container = json_array_get(json_object_get(pod, "containers"), 0);
    json_object_set_new(container, "imagee", json_string("api:1"));
    expect_report_invalid(s, c, "at /spec/template/spec/containers/0/imagee: property not allowed");
    json_object_del(container, "imagee");

    /* quantities are int-or-string (oneOf) */
    json_t *limits = json_object_get(json_object_get(container, "resources"), "limits");
    json_object_set_new(limits, "cpu", json_pack("[i]", 1));
    expect_report_invalid(s, c,
                          "at /spec/template/spec/containers/0/resources/limits/cpu: matches "
                          "no alternative of oneOf");

    /* the schema constrains the probe's port to int-or-string, its path to a string */
    json_object_set_new(limits, "cpu", json_string("1"));
    json_t *probe = json_object_get(json_object_get(container, "readinessProbe"), "httpGet");
    json_object_set_new(probe, "path", json_integer(1));
    expect_report_invalid(s, c, "readinessProbe/httpGet/path: expected string");
    json_object_set_new(probe, "path", json_string("/healthz"));
    expect_doc_valid(s, c, "the deployment with its probe's path a string again");

    json_object_del(json_object_get(c, "spec"), "selector");
    expect_copy_invalid(s, c, "at /spec: missing required property \"selector\"");
    free_doc_and_schema(d, s);
}

Test(validate, kubernetes_hpa, .timeout = T_LIMIT)
{
    val_schema *s = schema_file(K8S "/horizontalpodautoscaler-autoscaling-v2.json");
    json_t *d = valid_file(s, K8S "/hpa-api.json");
    base_err err;

    json_t *c = json_deep_copy(d);
    json_t *metric = json_array_get(json_object_get(json_object_get(c, "spec"), "metrics"), 1);
    json_t *target = json_object_get(json_object_get(metric, "resource"), "target");
    json_object_set_new(target, "averageValue", json_true());
    cr_expect_eq(check_doc(s, c, &err), BASE_EINPUT);
    cr_expect(strstr(err.msg, "at /spec/metrics/1/resource/target/averageValue: matches no "
                              "alternative of oneOf"),
              "%s", err.msg);
    cr_expect(strstr(err.msg, "[0] at /spec/metrics/1/resource/target/averageValue: expected "
                              "string or null, got boolean"),
              "%s", err.msg);
    json_decref(c);

    c = json_deep_copy(d);
    json_object_del(json_object_get(c, "spec"), "maxReplicas");
    expect_copy_invalid(s, c, "at /spec: missing required property \"maxReplicas\"");
    free_doc_and_schema(d, s);
}
