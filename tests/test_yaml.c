/*
 * test_yaml.c — the scenario reader: YAML text to scn_node trees (scn_doc_parse), files with
 * `extends` (scn_doc_load), and every way a file can be refused.
 *
 * Why: every later diagnostic of simulate points at a node's file:line:col, so positions are
 * checked exactly; and a broken or hostile file must be refused at the offending text with a
 * message a user can act on, never crash, hang or leak (these tests also run under ASan).
 * Fixtures live in tests/data/yaml/ (see its README); binary, oversized and generated files
 * are written into a temporary folder by the tests themselves.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/io.h"

#define DATA SIMULATE_TESTDATA "/yaml/"

/* ---------------------------------------------------------------- helpers */

static scn_doc *parse_ok(const char *text)
{
    scn_doc *doc = NULL;
    base_err err;
    base_err_clear(&err);
    int rc = scn_doc_parse("t.yaml", text, strlen(text), &doc, &err);
    cr_assert_eq(rc, BASE_OK, "refused: %s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    cr_assert_not_null(doc);
    return doc;
}

/* Parses text of `len` bytes expecting a refusal with `status` at line:col and a message
 * containing `msg`. */
static void parse_bad_n(const char *text, size_t len, int status, int line, int col,
                        const char *msg)
{
    scn_doc *doc = (scn_doc *)&doc; /* must be reset to NULL */
    base_err err;
    base_err_clear(&err);
    int rc = scn_doc_parse("bad.yaml", text, len, &doc, &err);
    cr_assert_eq(rc, status, "rc %d for <<%.60s>>: %s", rc, text, err.msg);
    cr_assert_null(doc);
    cr_assert_str_eq(err.file, "bad.yaml");
    cr_assert(strstr(err.msg, msg), "message \"%s\" lacks \"%s\"", err.msg, msg);
    cr_assert_eq(err.line, line, "line %d, want %d (%s)", err.line, line, err.msg);
    cr_assert_eq(err.col, col, "col %d, want %d (%s)", err.col, col, err.msg);
    cr_assert(!strchr(err.msg, '\n'));
}

static void parse_bad(const char *text, int line, int col, const char *msg)
{
    parse_bad_n(text, strlen(text), BASE_EINPUT, line, col, msg);
}

static void assert_pos(const scn_node *n, int line, int col)
{
    cr_assert_not_null(n);
    cr_assert_eq(n->line, line, "line %d, want %d", n->line, line);
    cr_assert_eq(n->col, col, "col %d, want %d", n->col, col);
}

static void assert_scalar(const scn_node *n, const char *text)
{
    cr_assert_not_null(n, "no node for '%s'", text);
    cr_assert_eq(n->kind, SCN_SCALAR);
    cr_assert_str_eq(n->text, text);
}

static const scn_node *get(const scn_node *map, const char *key)
{
    const scn_node *v = scn_map_get(map, key);
    cr_assert_not_null(v, "no key '%s'", key);
    return v;
}

static void load_bad(const char *path, int status, const char *file, int line, int col,
                     const char *msg)
{
    scn_doc *doc = (scn_doc *)&doc;
    base_err err;
    base_err_clear(&err);
    int rc = scn_doc_load(path, &doc, &err);
    cr_assert_eq(rc, status, "rc %d for %s: %s", rc, path, err.msg);
    cr_assert_null(doc);
    cr_assert_str_eq(err.file, file);
    cr_assert(strstr(err.msg, msg), "message \"%s\" lacks \"%s\"", err.msg, msg);
    cr_assert_eq(err.line, line, "line %d, want %d (%s)", err.line, line, err.msg);
    cr_assert_eq(err.col, col, "col %d, want %d (%s)", err.col, col, err.msg);
}

static scn_doc *load_ok(const char *path)
{
    scn_doc *doc = NULL;
    base_err err;
    base_err_clear(&err);
    int rc = scn_doc_load(path, &doc, &err);
    cr_assert_eq(rc, BASE_OK, "refused: %s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    cr_assert_not_null(doc);
    return doc;
}

/* A temporary folder for generated files (each test runs in its own process). */
typedef struct tmp {
    char dir[64];
    char files[40][128];
    int n;
} tmp;

static void tmp_open(tmp *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/simulate-test-yaml-XXXXXX");
    cr_assert_not_null(mkdtemp(t->dir));
    t->n = 0;
}

/* Writes len bytes to DIR/name and returns its path (valid until tmp_close). */
static const char *tmp_write(tmp *t, const char *name, const void *data, size_t len)
{
    cr_assert_lt(t->n, 40);
    char full[128];
    snprintf(full, sizeof full, "%s/%s", t->dir, name);
    char *path = t->files[t->n++];
    memcpy(path, full, sizeof full);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return path;
}

static const char *tmp_write_str(tmp *t, const char *name, const char *text)
{
    return tmp_write(t, name, text, strlen(text));
}

static void tmp_close(tmp *t)
{
    for (int i = 0; i < t->n; i++)
        remove(t->files[i]);
    rmdir(t->dir);
}

/* A growable string for generated YAML. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void bputs(buf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        b->cap = (b->n + l + 1) * 2;
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->n, s, l + 1);
    b->n += l;
}

/* ---------------------------------------------------------------- the tree */

Test(tree, positions_kinds_and_text, .timeout = 30)
{
    scn_doc *doc = parse_ok("name: web\n"
                            "servers:\n"
                            "  - host: a\n"
                            "    port: 80\n"
                            "  - \"quoted\"\n"
                            "empty:\n"
                            "nested: {x: 1, y: [2, 'three']}\n");
    const scn_node *root = scn_doc_root(doc);
    cr_assert_eq(root->kind, SCN_MAP);
    cr_assert_eq(root->n, 4);
    cr_assert_str_eq(root->file, "t.yaml");
    assert_pos(root, 1, 1);
    const char *order[] = {"name", "servers", "empty", "nested"};
    for (size_t i = 0; i < 4; i++)
        assert_scalar(root->keys[i], order[i]);
    assert_pos(root->keys[1], 2, 1);

    const scn_node *name = get(root, "name");
    assert_scalar(name, "web");
    cr_assert_eq(name->plain, 1);
    assert_pos(name, 1, 7);
    cr_assert_str_eq(name->file, "t.yaml");

    const scn_node *servers = get(root, "servers");
    cr_assert_eq(servers->kind, SCN_SEQ);
    cr_assert_eq(servers->n, 2);
    cr_assert_null(servers->keys);
    assert_pos(servers, 3, 3);
    const scn_node *s0 = servers->vals[0];
    cr_assert_eq(s0->kind, SCN_MAP);
    assert_pos(s0, 3, 5);
    assert_pos(s0->keys[1], 4, 5);
    assert_scalar(get(s0, "port"), "80");
    assert_pos(get(s0, "port"), 4, 11);
    assert_scalar(servers->vals[1], "quoted");
    cr_assert_eq(servers->vals[1]->plain, 0);
    assert_pos(servers->vals[1], 5, 5);

    const scn_node *empty = get(root, "empty");
    assert_scalar(empty, "");
    cr_assert_eq(empty->plain, 1);

    const scn_node *nested = get(root, "nested");
    cr_assert_eq(nested->kind, SCN_MAP);
    assert_pos(nested, 7, 9);
    const scn_node *y = get(nested, "y");
    cr_assert_eq(y->kind, SCN_SEQ);
    assert_pos(y, 7, 19);
    assert_scalar(y->vals[1], "three");
    cr_assert_eq(y->vals[1]->plain, 0);
    assert_pos(y->vals[1], 7, 23);
    scn_doc_free(doc);
}

Test(tree, scalar_styles_keep_their_value, .timeout = 30)
{
    scn_doc *doc = parse_ok("block: |\n"
                            "  line one\n"
                            "  line two\n"
                            "folded: >-\n"
                            "  a\n"
                            "  b\n"
                            "dq: \"tab\\there \\u00e9\"\n"
                            "sq: 'it''s'\n"
                            "null1: ~\n"
                            "empty_quoted: ''\n"
                            "utf8: café\n");
    const scn_node *root = scn_doc_root(doc);
    assert_scalar(get(root, "block"), "line one\nline two\n");
    cr_assert_eq(get(root, "block")->plain, 0);
    assert_pos(get(root, "block"), 1, 8);
    assert_scalar(get(root, "folded"), "a b");
    assert_scalar(get(root, "dq"), "tab\there \xc3\xa9");
    assert_scalar(get(root, "sq"), "it's");
    assert_scalar(get(root, "null1"), "~");
    cr_assert_eq(get(root, "null1")->plain, 1);
    assert_scalar(get(root, "empty_quoted"), "");
    cr_assert_eq(get(root, "empty_quoted")->plain, 0);
    assert_scalar(get(root, "utf8"), "caf\xc3\xa9");
    scn_doc_free(doc);
}

Test(tree, columns_count_characters_bom_and_crlf, .timeout = 30)
{
    /* a BOM is not a column; CRLF is one line break; é is one column */
    scn_doc *doc = parse_ok("\xef\xbb\xbf"
                            "a: 1\r\n"
                            "\xc3\xa9t\xc3\xa9: x\r\n");
    const scn_node *root = scn_doc_root(doc);
    assert_pos(root->keys[0], 1, 1);
    assert_pos(get(root, "\xc3\xa9t\xc3\xa9"), 2, 6);
    scn_doc_free(doc);
}

Test(tree, map_get, .timeout = 30)
{
    scn_doc *doc = parse_ok("a: 1\nlist: [x]\n");
    const scn_node *root = scn_doc_root(doc);
    assert_scalar(scn_map_get(root, "a"), "1");
    cr_assert_null(scn_map_get(root, "b"));
    cr_assert_null(scn_map_get(root, "A"));
    cr_assert_null(scn_map_get(get(root, "list"), "x"));
    cr_assert_null(scn_map_get(get(root, "a"), "a"));
    cr_assert_null(scn_map_get(NULL, "a"));
    cr_assert_null(scn_doc_root(NULL));
    scn_doc_free(doc);
    scn_doc_free(NULL);
}

Test(tree, parse_does_not_follow_extends, .timeout = 30)
{
    scn_doc *doc = parse_ok("extends: nowhere.yaml\na: 1\n");
    assert_scalar(get(scn_doc_root(doc), "extends"), "nowhere.yaml");
    scn_doc_free(doc);
}

Test(tree, merge_key_is_an_ordinary_key, .timeout = 30)
{
    scn_doc *doc = parse_ok("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n");
    const scn_node *c = get(scn_doc_root(doc), "c");
    cr_assert_eq(c->n, 2);
    assert_scalar(c->keys[0], "<<");
    cr_assert_eq(c->vals[0]->kind, SCN_MAP);
    assert_scalar(get(c->vals[0], "x"), "1");
    scn_doc_free(doc);
}

Test(tree, flow_root_and_document_markers, .timeout = 30)
{
    scn_doc *doc = parse_ok("%YAML 1.1\n---\n{a: 1, b: [2]}\n...\n");
    const scn_node *root = scn_doc_root(doc);
    cr_assert_eq(root->n, 2);
    assert_pos(root, 3, 1);
    scn_doc_free(doc);
}

/* ---------------------------------------------------------------- aliases */

Test(alias, expands_into_copies, .timeout = 30)
{
    scn_doc *doc = parse_ok("base: &b\n"
                            "  x: 1\n"
                            "  y: [1, 2]\n"
                            "use: *b\n"
                            "again: *b\n");
    const scn_node *root = scn_doc_root(doc);
    const scn_node *base = get(root, "base"), *use = get(root, "use"), *again = get(root, "again");
    cr_assert_eq(use->kind, SCN_MAP);
    cr_assert_eq(use->n, 2);
    assert_scalar(get(use, "x"), "1");
    cr_assert_eq(get(use, "y")->n, 2);
    assert_scalar(get(use, "y")->vals[1], "2");
    /* real copies: no node is shared */
    cr_assert_neq(use, base);
    cr_assert_neq(use, again);
    cr_assert_neq(use->keys, base->keys);
    cr_assert_neq(use->vals[1], base->vals[1]);
    cr_assert_neq(use->vals[1]->vals[0], base->vals[1]->vals[0]);
    cr_assert_neq(again->vals[1], use->vals[1]);
    /* the copy sits where the alias is; its insides where they were written */
    assert_pos(use, 4, 6);
    assert_pos(again, 5, 8);
    assert_pos(get(use, "y"), 3, 6);
    assert_pos(base, 1, 7); /* a node starts with its anchor */
    scn_doc_free(doc);
}

Test(alias, scalars_keys_and_redefinition, .timeout = 30)
{
    scn_doc *doc = parse_ok("a: &v hello\n"
                            "b: *v\n"
                            "k: &key name\n"
                            "m: {*key : 1}\n"
                            "c: &v bye\n"
                            "d: *v\n");
    const scn_node *root = scn_doc_root(doc);
    assert_scalar(get(root, "b"), "hello");
    assert_pos(get(root, "b"), 2, 4);
    assert_scalar(get(get(root, "m"), "name"), "1");
    assert_scalar(get(root, "d"), "bye");
    scn_doc_free(doc);
}

Test(alias, unknown_and_recursive_anchors, .timeout = 30)
{
    parse_bad("a: 1\nb: *nope\n", 2, 4, "alias *nope refers to no anchor &nope");
    parse_bad("a: &r [1, *r]\n", 1, 11, "alias *r refers to no anchor");
    parse_bad("a: *later\nb: &later 1\n", 1, 4, "*later");
}

Test(alias, billion_laughs_is_refused_quickly, .timeout = 30)
{
    const char *text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
                       "\"lol\",\"lol\"]\n"
                       "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                       "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                       "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                       "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                       "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                       "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
                       "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* Lines a-d make 12348 nodes (keys included); line e adds its key, its sequence and 11111
     * per *d: the 8th *d (column 8 + 7*3) would pass 100000. */
    parse_bad(text, 5, 29, "alias expansion exceeds 100000 nodes (YAML alias bomb?)");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_assert_lt(secs, 2.0, "took %.3f s", secs);
}

/* The root (1), `a: &a [998 items]` (1 + 999), `pad: [n items]` (2 + n), then `kI: *a` lines of
 * 1 + 999 nodes each. */
static char *alias_doc(int pad, int aliases)
{
    buf b = {0};
    bputs(&b, "a: &a [");
    for (int i = 0; i < 998; i++)
        bputs(&b, i ? ",1" : "1");
    bputs(&b, "]\npad: [");
    for (int i = 0; i < pad; i++)
        bputs(&b, i ? ",1" : "1");
    bputs(&b, "]\n");
    for (int i = 0; i < aliases; i++) {
        char line[32];
        snprintf(line, sizeof line, "k%d: *a\n", i);
        bputs(&b, line);
    }
    return b.s;
}

Test(alias, expansion_limit_is_exact, .timeout = 30)
{
    /* 1001 + 999 + 98 * 1000 = 100000 nodes: accepted */
    char *fits = alias_doc(997, 98);
    scn_doc *doc = parse_ok(fits);
    const scn_node *root = scn_doc_root(doc);
    cr_assert_eq(root->n, 100);
    cr_assert_eq(get(root, "k97")->n, 998);
    scn_doc_free(doc);
    free(fits);
    /* one node more: the last alias (line 100, column 6) is refused */
    char *over = alias_doc(998, 98);
    parse_bad(over, 100, 6, "alias expansion exceeds 100000 nodes");
    free(over);
}

Test(limits, node_count_without_aliases, .timeout = 30)
{
    buf b = {0};
    bputs(&b, "a: [");
    for (int i = 0; i < 99998; i++)
        bputs(&b, "1,");
    bputs(&b, "1]\n");
    /* root + key + sequence + 99999 items = 100002 nodes: the 99998th item is one too many */
    parse_bad(b.s, 1, 4 + 2 * 99997 + 1, "document has more than 100000 nodes");
    free(b.s);
}

static char *nested(int levels)
{
    buf b = {0};
    bputs(&b, "a: ");
    for (int i = 0; i < levels; i++)
        bputs(&b, "[");
    for (int i = 0; i < levels; i++)
        bputs(&b, "]");
    bputs(&b, "\n");
    return b.s;
}

Test(limits, nesting_depth, .timeout = 30)
{
    /* the root mapping is level 1: 63 sequences inside it reach 64 */
    char *ok = nested(63);
    scn_doc *doc = parse_ok(ok);
    const scn_node *n = get(scn_doc_root(doc), "a");
    int depth = 1; /* the root */
    while (n->kind == SCN_SEQ) {
        depth++;
        if (n->n == 0)
            break;
        n = n->vals[0];
    }
    cr_assert_eq(depth, 64);
    scn_doc_free(doc);
    free(ok);
    char *deep = nested(64);
    parse_bad(deep, 1, 3 + 64, "nesting deeper than 64 levels");
    free(deep);
    char *bomb = nested(100000);
    parse_bad(bomb, 1, 3 + 64, "nesting deeper than 64 levels");
    free(bomb);
}

Test(limits, alias_nesting_depth, .timeout = 30)
{
    /* &x is 3 levels; placed under 62 more it would reach 65 */
    buf b = {0};
    bputs(&b, "x: &x [[[1]]]\ny: ");
    for (int i = 0; i < 62; i++)
        bputs(&b, "[");
    bputs(&b, "*x");
    for (int i = 0; i < 62; i++)
        bputs(&b, "]");
    parse_bad(b.s, 2, 4 + 62, "alias *x nests deeper than 64 levels");
    free(b.s);
}

Test(limits, file_size, .timeout = 30)
{
    size_t len = SCN_MAX_FILE_BYTES + 1;
    char *text = malloc(len);
    cr_assert_not_null(text);
    memset(text, '#', len);
    text[0] = 'a';
    text[1] = ':';
    text[2] = ' ';
    text[3] = '1';
    text[4] = '\n';
    parse_bad_n(text, len, BASE_EINPUT, 0, 0, "larger than the limit of 4194304 bytes");
    /* exactly at the limit is fine */
    scn_doc *doc = NULL;
    base_err err;
    cr_assert_eq(scn_doc_parse("big.yaml", text, len - 1, &doc, &err), BASE_OK, "%s", err.msg);
    assert_scalar(get(scn_doc_root(doc), "a"), "1");
    scn_doc_free(doc);
    free(text);
}

/* ---------------------------------------------------------------- refused files */

Test(refused, syntax_errors, .timeout = 30)
{
    parse_bad("a: b: c\n", 1, 5, "YAML syntax error: mapping values are not allowed");
    parse_bad("list: [1, 2\nnext: 3\n", 2, 5,
              "(while parsing a flow sequence at line 1, column 7)");
    parse_bad("a:\n  b: 1\n c: 2\n", 3, 2, "did not find expected key");
    parse_bad("a: \"unterminated\n", 2, 1, "found unexpected end of stream");
    parse_bad("a: 1\n\tb: 2\n", 2, 1, "YAML syntax error");
}

Test(refused, empty_files, .timeout = 30)
{
    parse_bad("", 1, 1, "empty scenario: expected a mapping of keys");
    parse_bad("# only a comment\n\n   # another\n", 1, 1, "empty scenario");
    parse_bad("\n\n  \n", 1, 1, "empty scenario");
    parse_bad("---\n", 2, 1, "empty scenario");
    parse_bad_n(NULL, 0, BASE_EINPUT, 1, 1, "empty scenario");
}

Test(refused, root_not_a_mapping, .timeout = 30)
{
    parse_bad("- a\n- b\n", 1, 1, "a scenario must be a mapping of keys, not a sequence");
    parse_bad("\n  hello\n", 2, 3, "a scenario must be a mapping of keys, not a scalar");
    parse_bad("\"\"\n", 1, 1, "not a scalar");
}

Test(refused, nul_bytes, .timeout = 30)
{
    parse_bad_n("a: 1\nb: x\0y\n", 11, BASE_EINPUT, 2, 5, "not a text file: byte 0x00");
    parse_bad_n("\0", 1, BASE_EINPUT, 1, 1, "byte 0x00");
    /* UTF-16: every ASCII character comes with a NUL */
    parse_bad_n("\xff\xfe"
                "a\0:\0",
                6, BASE_EINPUT, 1, 1, "byte 0xff is not valid UTF-8");
}

Test(refused, invalid_utf8, .timeout = 30)
{
    parse_bad("a: 1\nname: caf\xe9\n", 2, 10, "not a text file: byte 0xe9 is not valid UTF-8");
    parse_bad("\xc3\xa9: \xff\n", 1, 4, "byte 0xff");
    parse_bad("a: \xc0\xaf\n", 1, 4, "byte 0xc0");         /* overlong '/' */
    parse_bad("a: \xed\xa0\x80\n", 1, 4, "byte 0xed");     /* a UTF-16 surrogate */
    parse_bad("a: \xf4\x90\x80\x80\n", 1, 4, "byte 0xf4"); /* over U+10FFFF */
    parse_bad("a: \xe2\x82\n", 1, 4, "byte 0xe2");         /* truncated */
    parse_bad("a: x\xe2\x82", 1, 5, "byte 0xe2");          /* truncated at the end */
    parse_bad("a: \x80\n", 1, 4, "byte 0x80");             /* a lone continuation byte */
}

/* The edges of each row of the Unicode Standard's Table 3-7 (text.c's utf8_leads): the first and
 * last code point of each accepted range parse, and one byte past an edge is refused at its
 * lead byte; a 4-byte character before a bad byte is one column. */
Test(refused, utf8_table_edges, .timeout = 30)
{
    static const char *const ok[] = {
        "\xc2\xa0",         "\xdf\xbf",         /* U+00A0, U+07FF */
        "\xe0\xa0\x80",     "\xec\xbf\xbf",     /* U+0800, U+CFFF */
        "\xed\x80\x80",     "\xed\x9f\xbf",     /* U+D000, U+D7FF */
        "\xee\x80\x80",     "\xef\xbf\xbd",     /* U+E000, U+FFFD */
        "\xf0\x90\x80\x80", "\xf3\xbf\xbf\xbf", /* U+10000, U+FFFFF */
        "\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf", /* U+100000, U+10FFFF */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char text[32];
        snprintf(text, sizeof text, "a: x%s\n", ok[i]);
        scn_doc *doc = parse_ok(text);
        char want[16];
        snprintf(want, sizeof want, "x%s", ok[i]);
        assert_scalar(get(scn_doc_root(doc), "a"), want);
        scn_doc_free(doc);
    }
    parse_bad("a: \xc1\xbf\n", 1, 4, "byte 0xc1");              /* overlong U+007F */
    parse_bad("a: \xe0\x9f\xbf\n", 1, 4, "byte 0xe0");          /* overlong U+07FF */
    parse_bad("a: \xed\xbf\xbf\n", 1, 4, "byte 0xed");          /* surrogate U+DFFF */
    parse_bad("a: \xf0\x8f\xbf\xbf\n", 1, 4, "byte 0xf0");      /* overlong U+FFFF */
    parse_bad("a: \xf5\x80\x80\x80\n", 1, 4, "byte 0xf5");      /* no such lead byte */
    parse_bad("a: \xe1\x80\xc0\n", 1, 4, "byte 0xe1");          /* a bad third byte */
    parse_bad("a: \xf1\x80\x80\x7f\n", 1, 4, "byte 0xf1");      /* a bad fourth byte */
    parse_bad("a: \xf0\x90\x80\x80 \xff\n", 1, 6, "byte 0xff"); /* U+10000 is one column */
}

Test(refused, control_characters, .timeout = 30)
{
    parse_bad("a: 1\nb: \x01\n", 2, 4, "not a text file: control characters are not allowed");
}

Test(refused, nul_in_a_string_escape, .timeout = 30)
{
    parse_bad("a: 1\nb: \"x\\0y\"\n", 2, 4, "must not contain a NUL");
}

Test(refused, duplicate_keys, .timeout = 30)
{
    parse_bad("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at 1:1)");
    parse_bad("top:\n  x: 1\n  'x': 2\n", 3, 3, "duplicate key 'x' (first at 2:3)");
    parse_bad("m: {k: 1, j: 2, k: 3}\n", 1, 17, "duplicate key 'k' (first at 1:5)");
    /* a large mapping: the first duplicate in file order is reported, with its first copy */
    buf b = {0};
    for (int i = 0; i < 200; i++) {
        char line[32];
        snprintf(line, sizeof line, "key%d: %d\n", i, i);
        bputs(&b, line);
    }
    bputs(&b, "key150: again\nkey7: again\nkey150: third\n");
    parse_bad(b.s, 201, 1, "duplicate key 'key150' (first at 151:1)");
    free(b.s);
}

Test(refused, non_scalar_keys, .timeout = 30)
{
    parse_bad("a: 1\n? [x, y]\n: 2\n", 2, 3, "mapping keys must be scalars, not a sequence");
    parse_bad("{a: 1}: x\n", 1, 1, "mapping keys must be scalars, not a mapping");
    parse_bad("s: &s [1]\n*s : 2\n", 2, 1, "mapping keys must be scalars, not a sequence");
}

Test(refused, several_documents, .timeout = 30)
{
    parse_bad("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document");
    parse_bad("a: 1\n...\n---\nb: 2\n", 3, 1, "more than one YAML document");
}

Test(refused, tags, .timeout = 30)
{
    parse_bad("a: !!str 5\n", 1, 4, "YAML tags are not supported");
    parse_bad("a: !!binary aGVsbG8=\n", 1, 4, "YAML tags are not supported");
    parse_bad("a:\n  - !foo {x: 1}\n", 2, 5, "YAML tags are not supported");
    parse_bad("--- !bar\na: 1\n", 1, 5, "YAML tags are not supported");
    parse_bad("a: ! 5\n", 1, 4, "YAML tags are not supported");
    parse_bad("!!str k: v\n", 1, 1, "YAML tags are not supported");
}

/* ---------------------------------------------------------------- files and extends */

Test(extends, deep_merge, .timeout = 30)
{
    scn_doc *doc = load_ok(DATA "ext_child.yaml");
    const char *child = DATA "ext_child.yaml", *base = DATA "ext_base.yaml";
    const scn_node *root = scn_doc_root(doc);
    cr_assert_eq(root->kind, SCN_MAP);
    cr_assert_null(scn_map_get(root, "extends"));
    /* the base's keys in its order, then the child's new ones */
    const char *order[] = {"name", "duration", "services", "tags", "limits", "extra"};
    cr_assert_eq(root->n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_scalar(root->keys[i], order[i]);

    const scn_node *name = get(root, "name");
    assert_scalar(name, "child");
    cr_assert_str_eq(name->file, child);
    assert_pos(name, 2, 7);
    const scn_node *dur = get(root, "duration");
    assert_scalar(dur, "1h");
    cr_assert_str_eq(dur->file, base);
    assert_pos(dur, 3, 11);

    const scn_node *services = get(root, "services");
    cr_assert_eq(services->n, 3);
    assert_scalar(services->keys[0], "web");
    assert_scalar(services->keys[1], "db");
    assert_scalar(services->keys[2], "cache");
    const scn_node *web = get(services, "web");
    cr_assert_eq(web->n, 3);
    assert_scalar(get(web, "replicas"), "4");
    cr_assert_str_eq(get(web, "replicas")->file, child);
    assert_pos(get(web, "replicas"), 5, 15);
    assert_scalar(get(web, "cpu"), "500m");
    cr_assert_str_eq(get(web, "cpu")->file, base);
    assert_pos(get(web, "cpu"), 7, 10);
    /* a sequence replaces the base's whole sequence */
    const scn_node *env = get(web, "env");
    cr_assert_eq(env->kind, SCN_SEQ);
    cr_assert_eq(env->n, 1);
    assert_scalar(env->vals[0], "C");
    assert_scalar(get(get(services, "db"), "size"), "small");
    cr_assert_str_eq(get(get(services, "cache"), "size")->file, child);

    /* other combinations: the extending value wins whole */
    assert_scalar(get(root, "tags"), "~");
    assert_scalar(get(root, "limits"), "5");
    assert_scalar(get(root, "extra"), "1");
    scn_doc_free(doc);
}

Test(extends, nested_chain_relative_to_each_file, .timeout = 30)
{
    scn_doc *doc = load_ok(DATA "nest_a.yaml");
    const scn_node *root = scn_doc_root(doc);
    cr_assert_null(scn_map_get(root, "extends"));
    const char *order[] = {"c", "shared", "a", "b"};
    cr_assert_eq(root->n, 4);
    for (size_t i = 0; i < 4; i++)
        assert_scalar(root->keys[i], order[i]);
    assert_scalar(get(root, "c"), "3");
    cr_assert_str_eq(get(root, "c")->file, DATA "nest/nest_c.yaml");
    assert_scalar(get(root, "shared"), "from b");
    cr_assert_str_eq(get(root, "shared")->file, DATA "nest/nest_b.yaml");
    assert_pos(get(root, "shared"), 3, 9);
    assert_scalar(get(root, "a"), "1");
    cr_assert_str_eq(get(root, "a")->file, DATA "nest_a.yaml");
    assert_scalar(get(root, "b"), "2");
    scn_doc_free(doc);
}

Test(extends, cycles, .timeout = 30)
{
    load_bad(DATA "cycle_a.yaml", BASE_EINPUT, DATA "cycle_b.yaml", 2, 10,
             "extends cycle: " DATA "cycle_a.yaml -> " DATA "cycle_b.yaml -> " DATA "cycle_a.yaml");
    load_bad(DATA "cycle_self.yaml", BASE_EINPUT, DATA "cycle_self.yaml", 1, 10,
             "extends cycle: " DATA "cycle_self.yaml -> " DATA "cycle_self.yaml");
    /* the same file named differently is still a cycle */
    tmp t;
    tmp_open(&t);
    tmp_write_str(&t, "one.yaml", "extends: ./two.yaml\n");
    char back[160];
    snprintf(back, sizeof back, "extends: %s/one.yaml\n", t.dir);
    tmp_write_str(&t, "two.yaml", back);
    char top[128], two[128];
    snprintf(top, sizeof top, "%s/one.yaml", t.dir);
    snprintf(two, sizeof two, "%s/./two.yaml", t.dir);
    load_bad(top, BASE_EINPUT, two, 1, 10, "extends cycle");
    tmp_close(&t);
}

Test(extends, missing_base, .timeout = 30)
{
    load_bad(DATA "ext_missing.yaml", BASE_EIO, DATA "ext_missing.yaml", 2, 10,
             "cannot read '" DATA "no_such_file.yaml': No such file or directory");
}

Test(extends, value_must_be_a_string, .timeout = 30)
{
    load_bad(DATA "ext_badvalue.yaml", BASE_EINPUT, DATA "ext_badvalue.yaml", 3, 3,
             "extends must name a file (a string), not a sequence");
    tmp t;
    tmp_open(&t);
    const char *p = tmp_write_str(&t, "e.yaml", "a: 1\nextends:\n");
    load_bad(p, BASE_EINPUT, p, 2, 9, "not an empty value");
    tmp_close(&t);
}

Test(extends, errors_point_into_the_base, .timeout = 30)
{
    load_bad(DATA "ext_broken_child.yaml", BASE_EINPUT, DATA "ext_broken_base.yaml", 3, 2,
             "(while parsing a flow sequence at line 2, column 4)");
}

Test(extends, absolute_path, .timeout = 30)
{
    tmp t;
    tmp_open(&t);
    char text[200];
    snprintf(text, sizeof text, "extends: %s\nname: abs\n", DATA "ext_base.yaml");
    const char *p = tmp_write_str(&t, "abs.yaml", text);
    scn_doc *doc = load_ok(p);
    const scn_node *root = scn_doc_root(doc);
    assert_scalar(get(root, "name"), "abs");
    assert_scalar(get(root, "duration"), "1h");
    cr_assert_str_eq(get(root, "duration")->file, DATA "ext_base.yaml");
    scn_doc_free(doc);
    tmp_close(&t);
}

static void write_chain(tmp *t, int files)
{
    for (int i = 0; i < files; i++) {
        char name[32], text[128];
        snprintf(name, sizeof name, "f%d.yaml", i);
        if (i + 1 < files)
            snprintf(text, sizeof text, "extends: f%d.yaml\nk%d: %d\nlast: %d\n", i + 1, i, i, i);
        else
            snprintf(text, sizeof text, "k%d: %d\nlast: %d\n", i, i, i);
        tmp_write_str(t, name, text);
    }
}

Test(extends, chain_length_limit, .timeout = 30)
{
    tmp t;
    tmp_open(&t);
    write_chain(&t, 16);
    char top[128];
    snprintf(top, sizeof top, "%s/f0.yaml", t.dir);
    scn_doc *doc = load_ok(top);
    const scn_node *root = scn_doc_root(doc);
    cr_assert_eq(root->n, 17);
    assert_scalar(get(root, "k15"), "15");
    assert_scalar(get(root, "last"), "0");
    scn_doc_free(doc);
    tmp_close(&t);

    tmp_open(&t);
    write_chain(&t, 17);
    snprintf(top, sizeof top, "%s/f0.yaml", t.dir);
    char f15[128];
    snprintf(f15, sizeof f15, "%s/f15.yaml", t.dir);
    load_bad(top, BASE_EINPUT, f15, 1, 10, "extends chain is longer than 16 files");
    tmp_close(&t);
}

Test(extends, merged_node_limit, .timeout = 30)
{
    tmp t;
    tmp_open(&t);
    buf base = {0}, child = {0};
    bputs(&base, "b: [1");
    bputs(&child, "c: 0\nextends: base.yaml\nc2: [1");
    for (int i = 0; i < 59990; i++) {
        bputs(&base, ",1");
        bputs(&child, ",1");
    }
    bputs(&base, "]\n");
    bputs(&child, "]\n");
    tmp_write_str(&t, "base.yaml", base.s);
    const char *p = tmp_write_str(&t, "child.yaml", child.s);
    load_bad(p, BASE_EINPUT, p, 2, 10, "more than 100000 nodes after extending");
    free(base.s);
    free(child.s);
    tmp_close(&t);
}

Test(files, missing_and_unreadable, .timeout = 30)
{
    load_bad(DATA "does_not_exist.yaml", BASE_EIO, DATA "does_not_exist.yaml", 0, 0,
             "No such file or directory");
    load_bad(SIMULATE_TESTDATA "/yaml", BASE_EINPUT, SIMULATE_TESTDATA "/yaml", 1, 1,
             "not a regular file (a folder)");
}

Test(files, binary_and_empty_files, .timeout = 30)
{
    tmp t;
    tmp_open(&t);
    const char *nul = tmp_write(&t, "nul.yaml", "name: x\nimage: \x89PNG\0\0\n", 22);
    load_bad(nul, BASE_EINPUT, nul, 2, 8, "not a text file");
    const char *nul2 = tmp_write(&t, "nul2.yaml", "a: 1\nb: 2\x00\n", 11);
    load_bad(nul2, BASE_EINPUT, nul2, 2, 5, "not a text file: byte 0x00");
    const char *latin1 = tmp_write_str(&t, "latin1.yaml", "city: M\xfcnchen\n");
    load_bad(latin1, BASE_EINPUT, latin1, 1, 8, "byte 0xfc is not valid UTF-8");
    const char *empty = tmp_write(&t, "empty.yaml", "", 0);
    load_bad(empty, BASE_EINPUT, empty, 1, 1, "empty scenario: expected a mapping of keys");
    const char *comments = tmp_write_str(&t, "comments.yaml", "# nothing yet\n");
    load_bad(comments, BASE_EINPUT, comments, 1, 1, "empty scenario");
    /* a bad base is reported in the base */
    tmp_write_str(&t, "uses_nul.yaml", "extends: nul2.yaml\n");
    char uses[128], nul2_as_named[128];
    snprintf(uses, sizeof uses, "%s/uses_nul.yaml", t.dir);
    snprintf(nul2_as_named, sizeof nul2_as_named, "%s/nul2.yaml", t.dir);
    load_bad(uses, BASE_EINPUT, nul2_as_named, 2, 5, "byte 0x00");
    tmp_close(&t);
}

Test(files, too_large, .timeout = 30)
{
    tmp t;
    tmp_open(&t);
    size_t len = SCN_MAX_FILE_BYTES + 10;
    char *text = malloc(len);
    cr_assert_not_null(text);
    memset(text, '#', len);
    memcpy(text, "a: 1\n", 5);
    const char *p = tmp_write(&t, "big.yaml", text, len);
    /* a whole-file error still has a position: 1:1 of the file, or the `extends` that named it
     * (issue 13) */
    load_bad(p, BASE_EINPUT, p, 1, 1, "larger than the limit");
    const char *ext = tmp_write_str(&t, "uses_big.yaml", "name: x\nextends: big.yaml\n");
    char big_as_named[160];
    snprintf(big_as_named, sizeof big_as_named, "'%s/big.yaml': file is larger than the limit",
             t.dir);
    load_bad(ext, BASE_EINPUT, ext, 2, 10, big_as_named);
    const char *ok = tmp_write(&t, "limit.yaml", text, SCN_MAX_FILE_BYTES);
    scn_doc *doc = load_ok(ok);
    assert_scalar(get(scn_doc_root(doc), "a"), "1");
    scn_doc_free(doc);
    free(text);
    tmp_close(&t);
}

Test(files, plain_load_keeps_the_path_as_given, .timeout = 30)
{
    scn_doc *doc = load_ok(DATA "nest/../nest/nest_c.yaml");
    const scn_node *root = scn_doc_root(doc);
    cr_assert_str_eq(root->file, DATA "nest/../nest/nest_c.yaml");
    cr_assert_str_eq(get(root, "a")->file, DATA "nest/../nest/nest_c.yaml");
    assert_pos(get(root, "a"), 3, 4);
    scn_doc_free(doc);
}
