/*
 * regex.c — JSON Schema patterns (ECMA-262 regular expressions) as POSIX extended regular
 * expressions, so regcomp/regexec from the C library can run them.
 *
 * Why translate rather than embed a regex engine: the patterns of the schemas we check (the
 * Kubernetes and Karpenter catalogues, our own) are plain ERE in ECMA dress: \d, (?:...), \.,
 * the odd lazy quantifier. Rewriting those few spellings is a page of code; everything POSIX cannot
 * express (look-around, back-references, word boundaries) is refused with a message instead of
 * being approximated, so a pattern either means what its author wrote or does not load.
 *
 * Character classes are built as a set of ASCII characters and printed back in the order POSIX
 * brackets need (']' first, '-' last, '^' never first, '[' never before ':', '.' or '='), which
 * also makes ECMA escapes inside classes ([\]\-], [\d_]) come out right. Everything that matches
 * "any character but ..." ('.', [^...], \D, \W, \S) matches one whole UTF-8 sequence, as ECMA
 * counts characters, not bytes. All of it assumes the "C" locale, which val_regex_compile sets
 * around regcomp.
 */
#include "validate/internal.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A set of characters: each ASCII one (NUL never a member), and all non-ASCII ones at once (what
 * \D, \W and \S bring into a class: patterns distinguish no non-ASCII characters in a class). */
typedef struct cset {
    unsigned char has[128];
    int nonascii;
} cset;

static void cset_range(cset *s, int lo, int hi)
{
    for (int c = lo; c <= hi; c++)
        if (c > 0 && c < 128)
            s->has[c] = 1;
}

/* Adds the members of \d, \w or \s (ECMA's \s also has Unicode spaces: ASCII only here), or for
 * \D, \W, \S of their complements. */
static void cset_class(cset *s, char k)
{
    if (k >= 'A' && k <= 'Z') {
        cset pos = {{0}, 0};
        cset_class(&pos, (char)(k | 0x20));
        for (int c = 1; c < 128; c++)
            if (!pos.has[c])
                s->has[c] = 1;
        s->nonascii = 1;
        return;
    }
    switch (k) {
    case 'd': cset_range(s, '0', '9'); break;
    case 'w':
        cset_range(s, '0', '9');
        cset_range(s, 'A', 'Z');
        cset_range(s, 'a', 'z');
        s->has['_'] = 1;
        break;
    case 's':
        s->has[' '] = s->has['\t'] = s->has['\n'] = s->has['\r'] = 1;
        s->has['\f'] = s->has['\v'] = 1;
        break;
    default: break;
    }
}

static int special_in_bracket(int c)
{
    return c == ']' || c == '-' || c == '^' || c == '[';
}

/* Writes the members of s that need no care in a bracket into out (room for 256), as runs ("a-z")
 * where three or more; returns how many characters it wrote. */
static size_t plain_members(const cset *s, char *out)
{
    size_t n = 0;
    int c = 1;
    while (c < 128) {
        if (!s->has[c] || special_in_bracket(c)) {
            c++;
            continue;
        }
        int end = c;
        while (end + 1 < 128 && s->has[end + 1] && !special_in_bracket(end + 1))
            end++;
        out[n++] = (char)c;
        if (end - c >= 2) /* three or more: "a-c" */
            out[n++] = '-';
        if (end > c)
            out[n++] = (char)end;
        c = end + 1;
    }
    return n;
}

/* One UTF-8 character that is not ASCII: how a class that has them all (negated classes, \D, \W,
 * \S, '.') matches a whole character, as ECMA does, rather than one byte of it. */
#define MULTIBYTE_CHAR "[\xc0-\xff][\x80-\xbf]*"

/* Writes an expression matching one character in s (negated: one character not in s). A
 * non-ASCII character is a sequence of bytes, so "any non-ASCII character" is MULTIBYTE_CHAR as an
 * alternative beside the bracket, and a negated bracket leaves out those characters' bytes. */
static void emit_set(base_buf *b, const cset *s, int negated)
{
    int multibyte = negated ? !s->nonascii : s->nonascii;
    char body[300];
    size_t n = 0;
    if (s->has[']'])
        body[n++] = ']';
    n += plain_members(s, body + n);
    if (negated) {
        body[n++] = '\x80';
        body[n++] = '-';
        body[n++] = '\xff';
    }
    if (s->has['['])
        body[n++] = '[';
    int caret_first = s->has['^'] && n == 0 && !negated;
    if (caret_first && s->has['-']) { /* only '^' and '-': "[-^]" */
        body[n++] = '-';
        body[n++] = '^';
    } else {
        if (s->has['^'] && !caret_first)
            body[n++] = '^';
        if (s->has['-'])
            body[n++] = '-';
    }
    body[n] = '\0';
    int ascii = 1;
    if (multibyte)
        base_buf_addc(b, '(');
    if (caret_first && !s->has['-'])
        base_buf_adds(b, "\\^"); /* "[^]" would not be a bracket */
    else if (n > 0) {
        base_buf_adds(b, negated ? "[^" : "[");
        base_buf_adds(b, body);
        base_buf_addc(b, ']');
    } else {
        ascii = 0; /* no ASCII member: only the non-ASCII alternative */
    }
    if (multibyte)
        base_buf_adds(b, ascii ? "|" MULTIBYTE_CHAR ")" : MULTIBYTE_CHAR ")");
}

/* The translation in progress: input position, output, and why it failed. */
typedef struct tr {
    const char *p; /* next input character */
    base_buf out;
    char *why;
    size_t why_len;
} tr;

static int refuse(tr *t, const char *what)
{
    snprintf(t->why, t->why_len, "%s", what);
    return BASE_EINPUT;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static long hex_digits(const char *p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Reads the escape after a backslash (t->p is on the character after it). Either a class letter
 * (d D w W s S: *cls is set) or one code point (*cp). */
static int read_escape(tr *t, int in_class, char *cls, long *cp)
{
    char c = *t->p;
    *cls = 0;
    if (c == '\0')
        return refuse(t, "pattern ends with a lone backslash");
    t->p++;
    switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 's':
    case 'S': *cls = c; return BASE_OK;
    case 't': *cp = '\t'; return BASE_OK;
    case 'n': *cp = '\n'; return BASE_OK;
    case 'r': *cp = '\r'; return BASE_OK;
    case 'f': *cp = '\f'; return BASE_OK;
    case 'v': *cp = '\v'; return BASE_OK;
    case 'x':
        *cp = hex_digits(t->p, 2);
        if (*cp < 0)
            return refuse(t, "\\x needs two hexadecimal digits");
        t->p += 2;
        break;
    case 'u': {
        *cp = hex_digits(t->p, 4);
        if (*cp < 0)
            return refuse(t, "\\u needs four hexadecimal digits (\\u{...} is not supported)");
        t->p += 4;
        if (*cp >= 0xD800 && *cp < 0xDC00) { /* a surrogate pair spells one code point */
            long lo = t->p[0] == '\\' && t->p[1] == 'u' ? hex_digits(t->p + 2, 4) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return refuse(t, "\\u escape is half a surrogate pair");
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
            t->p += 6;
        } else if (*cp >= 0xDC00 && *cp < 0xE000) {
            return refuse(t, "\\u escape is half a surrogate pair");
        }
        break;
    }
    case 'b':
        if (!in_class)
            return refuse(t, "word boundary \\b is not supported by POSIX regular expressions");
        *cp = '\b'; /* in a class, ECMA's backspace */
        return BASE_OK;
    case 'B': return refuse(t, "\\B is not supported by POSIX regular expressions");
    case 'c': return refuse(t, "control escapes (\\cX) are not supported");
    case 'k': return refuse(t, "named back-references (\\k) are not supported");
    case 'p':
    case 'P': return refuse(t, "Unicode property escapes (\\p) are not supported");
    case '0': return refuse(t, "\\0 (a NUL character) is not supported");
    default:
        if (c >= '1' && c <= '9')
            return refuse(t, "back-references (\\1 ...) are not supported");
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return refuse(t, "unknown escape in pattern");
        if ((unsigned char)c >= 0x80)
            return refuse(t, "escaped non-ASCII character in pattern");
        *cp = (unsigned char)c; /* escaped punctuation: the character itself */
        return BASE_OK;
    }
    if (*cp == 0)
        return refuse(t, "a NUL character in a pattern is not supported");
    return BASE_OK;
}

/* Writes code point cp as a literal outside brackets. */
static void emit_literal(base_buf *b, long cp)
{
    if (cp < 0x80) {
        if (strchr(".[\\()*+?{|^$", (int)cp))
            base_buf_addc(b, '\\');
        base_buf_addc(b, (int)cp);
        return;
    }
    char u[4];
    size_t n;
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    /* a group, so that a quantifier after it repeats the character, not its last byte */
    base_buf_addc(b, '(');
    base_buf_add(b, u, n);
    base_buf_addc(b, ')');
}

/* A literal non-ASCII character of the pattern itself (its UTF-8 bytes), as one group. */
static void emit_utf8_run(tr *t)
{
    const char *s = t->p++;
    while (((unsigned char)*t->p & 0xC0) == 0x80)
        t->p++;
    base_buf_addc(&t->out, '(');
    base_buf_add(&t->out, s, (size_t)(t->p - s));
    base_buf_addc(&t->out, ')');
}

static void emit_class_escape(base_buf *b, char cls)
{
    cset s = {{0}, 0};
    cset_class(&s, (char)(cls | 0x20)); /* lower case: the set; upper case: its complement */
    emit_set(b, &s, cls >= 'A' && cls <= 'Z');
}

/* One member of a class: a class escape (\d ...) or a code point. */
static int class_atom(tr *t, char *cls, long *cp)
{
    *cls = 0;
    if (*t->p == '\\') {
        t->p++;
        return read_escape(t, 1, cls, cp);
    }
    if ((unsigned char)*t->p >= 0x80)
        return refuse(t, "a non-ASCII character inside [...] is not supported");
    *cp = (unsigned char)*t->p++;
    return BASE_OK;
}

/* A [...] class; t->p is just after '['. */
static int translate_class(tr *t)
{
    int negated = 0;
    if (*t->p == '^') {
        negated = 1;
        t->p++;
    }
    if (*t->p == ']')
        return refuse(t, "empty class [] or [^] is not supported");
    cset s = {{0}, 0};
    while (*t->p != ']') {
        if (*t->p == '\0')
            return refuse(t, "unterminated [...] class");
        char cls;
        long lo;
        int st = class_atom(t, &cls, &lo);
        if (st != BASE_OK)
            return st;
        if (cls) {
            cset_class(&s, cls);
            continue;
        }
        if (t->p[0] == '-' && t->p[1] != ']' && t->p[1] != '\0') {
            t->p++;
            long hi;
            st = class_atom(t, &cls, &hi);
            if (st != BASE_OK)
                return st;
            if (cls) { /* [a-\d]: ECMA reads the '-' as itself */
                if (lo >= 0x80)
                    return refuse(t, "a non-ASCII character inside [...] is not supported");
                cset_class(&s, cls);
                cset_range(&s, (int)lo, (int)lo);
                cset_range(&s, '-', '-');
                continue;
            }
            if (lo > hi)
                return refuse(t, "range out of order in [...]");
            if (hi >= 0x80)
                return refuse(t, "a non-ASCII character inside [...] is not supported");
            cset_range(&s, (int)lo, (int)hi);
        } else {
            if (lo >= 0x80)
                return refuse(t, "a non-ASCII character inside [...] is not supported");
            cset_range(&s, (int)lo, (int)lo);
        }
    }
    t->p++; /* the ']' */
    emit_set(&t->out, &s, negated);
    return BASE_OK;
}

/* Is t->p at a quantifier in braces ({n}, {n,}, {n,m})? ECMA reads any other '{' as itself. */
static size_t brace_quantifier_length(const char *p)
{
    const char *q = p + 1;
    if (*q < '0' || *q > '9')
        return 0;
    while (*q >= '0' && *q <= '9')
        q++;
    if (*q == ',') {
        q++;
        while (*q >= '0' && *q <= '9')
            q++;
    }
    return *q == '}' ? (size_t)(q + 1 - p) : 0;
}

static int translate(tr *t)
{
    while (*t->p) {
        char c = *t->p;
        if ((unsigned char)c >= 0x80) {
            emit_utf8_run(t);
            continue;
        }
        switch (c) {
        case '\\': {
            t->p++;
            char cls;
            long cp;
            int st = read_escape(t, 0, &cls, &cp);
            if (st != BASE_OK)
                return st;
            if (cls)
                emit_class_escape(&t->out, cls);
            else
                emit_literal(&t->out, cp);
            break;
        }
        case '[': {
            t->p++;
            int st = translate_class(t);
            if (st != BASE_OK)
                return st;
            break;
        }
        case '(':
            if (t->p[1] == '?') {
                if (t->p[2] != ':')
                    return refuse(t, "look-around and named groups ((?=, (?!, (?<) are not "
                                     "supported by POSIX regular expressions");
                t->p += 3;
            } else {
                t->p++;
            }
            base_buf_addc(&t->out, '(');
            break;
        case '.': {
            cset s = {{0}, 0};
            s.has['\n'] = s.has['\r'] = 1; /* ECMA's '.' stops at line ends */
            emit_set(&t->out, &s, 1);
            t->p++;
            break;
        }
        case '*':
        case '+':
        case '?':
            base_buf_addc(&t->out, c);
            t->p++;
            if (*t->p == '?') /* lazy: changes which match, never whether one exists */
                t->p++;
            break;
        case '{': {
            size_t n = brace_quantifier_length(t->p);
            if (n) {
                base_buf_add(&t->out, t->p, n);
                t->p += n;
                if (*t->p == '?')
                    t->p++;
            } else {
                base_buf_adds(&t->out, "\\{");
                t->p++;
            }
            break;
        }
        default: /* ')', '|', '^', '$', '}', ']' and ordinary characters mean the same in ERE */
            base_buf_addc(&t->out, c);
            t->p++;
            break;
        }
    }
    return BASE_OK;
}

int val_regex_translate(const char *ecma, char **out, char *why, size_t why_len)
{
    tr t = {.p = ecma, .why = why, .why_len = why_len};
    *out = NULL;
    base_buf_adds(&t.out, ""); /* an empty pattern still yields a string */
    int st = translate(&t);
    if (st == BASE_OK && t.out.oom)
        st = BASE_ENOMEM;
    if (st != BASE_OK) {
        if (st == BASE_ENOMEM)
            snprintf(why, why_len, "out of memory");
        free(t.out.p);
        return st;
    }
    *out = t.out.p;
    return BASE_OK;
}

int val_regex_compile(const char *ecma, regex_t *re, char *why, size_t why_len)
{
    char *posix;
    int st = val_regex_translate(ecma, &posix, why, why_len);
    if (st != BASE_OK)
        return st;
    /* The translation counts on bytes being characters (the ranges of MULTIBYTE_CHAR), so the
     * pattern is compiled in the C locale whatever the program set; regexec then follows the
     * compiled form. */
    locale_t c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c_loc) {
        free(posix);
        snprintf(why, why_len, "cannot create the C locale");
        return BASE_ENOMEM;
    }
    locale_t old = uselocale(c_loc);
    int rc = regcomp(re, posix, REG_EXTENDED | REG_NOSUB);
    uselocale(old);
    freelocale(c_loc);
    if (rc != 0) {
        char msg[128];
        regerror(rc, re, msg, sizeof msg);
        snprintf(why, why_len, "not a valid regular expression here (%s)", msg);
        free(posix);
        return rc == REG_ESPACE ? BASE_ENOMEM : BASE_EINPUT;
    }
    free(posix);
    return BASE_OK;
}
