/*
 * regex.c — JSON Schema patterns (ECMA-262 regular expressions) run by PCRE2.
 *
 * Why PCRE2 (libpcre2-8, Debian's libpcre2-dev): JSON Schema draft 7 says patterns "SHOULD be
 * valid according to the ECMA 262 regular expression dialect" (draft-handrews-json-schema-
 * validation-01 §4.3, "Regular Expressions"; §6.3.3 "pattern"). PCRE2 is the C library whose syntax
 * is closest to that dialect (look-around, back-references, \b, lazy quantifiers, named groups,
 * Unicode code points as characters), and it has options made for JavaScript compatibility
 * (pcre2api(3), "Compiling a pattern": PCRE2_ALT_BSUX, PCRE2_EXTRA_ALT_BSUX,
 * PCRE2_MATCH_UNSET_BACKREF; pcre2compat(3) lists the Perl/PCRE2 differences).
 *
 * The options and why (pcre2api(3) for each):
 *   PCRE2_UTF            characters are code points, as JSON strings are Unicode text;
 *   no PCRE2_UCP         \d, \w and \b stay ASCII, as in ECMA-262 without the u flag (ECMA-262
 *                        §22.2.2.9 CharacterClassEscape: \d is 0-9, \w is [A-Za-z0-9_]);
 *   PCRE2_DOLLAR_ENDONLY $ matches only at the very end (PCRE2 by default also before a final
 *                        newline; ECMA-262 never does);
 *   PCRE2_ALT_BSUX, PCRE2_EXTRA_ALT_BSUX  \uHHHH and \u{H...} are code points, \xHH needs two
 *                        hexadecimal digits, as in ECMA-262;
 *   PCRE2_MATCH_UNSET_BACKREF  a back-reference to a group that did not take part matches the
 *                        empty string, as in ECMA-262 (PCRE2 by default fails);
 *   PCRE2_NEVER_BACKSLASH_C  \C (one code unit) has no ECMA-262 meaning.
 *
 * What options cannot say is rewritten before compiling (val_regex_adapt), and is small:
 *   \s and \S: ECMA's white space is Unicode's (§22.2.2.9 with §12.2 WhiteSpace and §12.3
 *     LineTerminator: TAB VT FF SP NBSP ZWNBSP, every Zs, LF CR LS PS); PCRE2 without UCP has the
 *     ASCII ones only, with UCP it has no U+FEFF and adds U+0085. Both become explicit classes.
 *   '.': ECMA stops at LF, CR, U+2028 and U+2029 only; PCRE2 depends on its newline setting.
 *   \v is the VT character in ECMA, a class of vertical space in PCRE2.
 *   [] matches nothing and [^] anything in ECMA; PCRE2 reads a ']' first in a class as itself.
 *   '[' inside a class is itself in ECMA; PCRE2 may read [:alpha:] as a POSIX class.
 *   A '{' that does not start a quantifier is itself (Annex B); escaped, so PCRE2 versions that
 *     read {,n} as a quantifier (10.43 on) agree.
 *   A surrogate pair of \u escapes is one code point (PCRE2 in UTF mode refuses surrogates).
 * What ECMA-262 would refuse but PCRE2 would read in its own way is refused, so a pattern means
 * what its author wrote or does not load: escapes of letters ECMA does not define (\A \z \Z \Q
 * \h \K \R \X ...), groups other than (?: (?= (?! (?<= (?<! and (?<name>, and possessive
 * quantifiers (a++). Left as PCRE2 reads them (documented in validate.h): \p{...} with the u flag's
 * meaning; look-behind must have a bounded length.
 */
#include "validate/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ECMA-262's white space and line terminators (§12.2 Table 33 with Unicode's Zs category, §12.3
 * Table 34), as members of a PCRE2 class under PCRE2_ALT_BSUX (\uHHHH, and \xHH with two digits).
 */
#define ECMA_SPACE                                                                                 \
    "\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"

/* What ECMA's '.' does not match (§22.2.2.7 with §12.3 LineTerminator). */
#define ECMA_LINE_END "\\n\\r\\u2028\\u2029"

/* The pattern being adapted: input position, output, and why it was refused. */
typedef struct ad {
    const char *p;
    base_buf out;
    char *why;
    size_t why_len;
} ad;

static int refuse(ad *a, const char *what)
{
    snprintf(a->why, a->why_len, "%s", what);
    return BASE_EINPUT;
}

/* refuse, naming the character c where fmt has %c */
static int refuse_c(ad *a, const char *fmt, int c)
{
    snprintf(a->why, a->why_len, fmt, c);
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

/* The value of \uHHHH at p (p on the backslash), or -1. */
static long u_escape(const char *p)
{
    if (p[0] != '\\' || p[1] != 'u')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Length of the ECMA brace quantifier at p ({n}, {n,}, {n,m}), or 0 when '{' is itself. */
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

/* Copies the escape at a->p (on the backslash) into out, rewritten where ECMA and PCRE2 differ.
 * \s is left to the caller (it depends on being in a class); *cls gets 's' or 'S' then. */
static int escape(ad *a, base_buf *out, char *cls)
{
    char c = a->p[1];
    *cls = 0;
    if (c == '\0')
        return refuse(a, "pattern ends with a lone backslash");
    if (c == 's' || c == 'S') {
        *cls = c;
        a->p += 2;
        return BASE_OK;
    }
    if (c == 'v') {
        base_buf_adds(out, "\\x0b");
        a->p += 2;
        return BASE_OK;
    }
    long hi = u_escape(a->p);
    if (hi >= 0xD800 && hi < 0xDC00) {
        long lo = u_escape(a->p + 6);
        if (lo >= 0xDC00 && lo < 0xE000) { /* a surrogate pair: one code point */
            char u[16];
            snprintf(u, sizeof u, "\\u{%lx}", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
            base_buf_adds(out, u);
            a->p += 12;
            return BASE_OK;
        }
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        /* ECMA-262 §22.2.1 CharacterEscape, CharacterClassEscape, AtomEscape */
        if (!strchr("bBcdDfknpPrtuwWx", c))
            return refuse_c(a, "\\%c is not an ECMA-262 escape", c);
    }
    size_t n = 2;
    if ((c == 'p' || c == 'P' || c == 'u') && a->p[2] == '{') { /* \p{L}, \u{1F600}: whole */
        const char *end = strchr(a->p + 2, '}');
        if (end)
            n = (size_t)(end + 1 - a->p);
    }
    base_buf_add(out, a->p, n);
    a->p += n;
    return BASE_OK;
}

/* A [...] class; a->p on the '['. Its members go to a buffer of their own, because a \S among
 * them turns the class into an alternative (PCRE2 has no class of ECMA's non-space characters). */
static int adapt_class(ad *a)
{
    a->p++;
    int negated = *a->p == '^';
    if (negated)
        a->p++;
    if (*a->p == ']') { /* [] matches nothing, [^] any character */
        base_buf_adds(&a->out, negated ? "[\\s\\S]" : "(?!)");
        a->p++;
        return BASE_OK;
    }
    base_buf body = {0};
    int nonspace = 0, st = BASE_OK;
    base_buf_adds(&body, "");
    while (st == BASE_OK && *a->p != ']') {
        if (*a->p == '\0') {
            st = refuse(a, "unterminated [...] class");
        } else if (*a->p == '\\') {
            char cls;
            st = escape(a, &body, &cls);
            if (cls == 's')
                base_buf_adds(&body, ECMA_SPACE);
            nonspace |= cls == 'S';
        } else if (*a->p == '[') {
            base_buf_adds(&body, "\\[");
            a->p++;
        } else {
            base_buf_addc(&body, *a->p++);
        }
    }
    if (st == BASE_OK) {
        a->p++; /* the ']' */
        const char *m = body.p;
        if (!nonspace) {
            base_buf_adds(&a->out, negated ? "[^" : "[");
            base_buf_adds(&a->out, m);
            base_buf_addc(&a->out, ']');
        } else if (!negated) { /* a member, or not a space */
            base_buf_adds(&a->out, "(?:[^" ECMA_SPACE "]");
            if (*m) {
                base_buf_adds(&a->out, "|[");
                base_buf_adds(&a->out, m);
                base_buf_addc(&a->out, ']');
            }
            base_buf_addc(&a->out, ')');
        } else { /* a space that is not a member */
            if (*m) {
                base_buf_adds(&a->out, "(?![");
                base_buf_adds(&a->out, m);
                base_buf_adds(&a->out, "])");
            }
            base_buf_adds(&a->out, "[" ECMA_SPACE "]");
        }
        if (body.oom)
            a->out.oom = 1;
    }
    free(body.p);
    return st;
}

/* Checks the group opening at a->p ("(?...") is one ECMA-262 has. */
static int check_group(ad *a)
{
    const char *q = a->p + 2;
    if (*q == ':' || *q == '=' || *q == '!')
        return BASE_OK;
    if (*q == '<' && (q[1] == '=' || q[1] == '!' || q[1] == '_' || q[1] == '$' ||
                      ((q[1] | 0x20) >= 'a' && (q[1] | 0x20) <= 'z')))
        return BASE_OK;
    return refuse_c(a, "group (?%c is not ECMA-262", *q ? *q : ' ');
}

/* After a quantifier: a lazy '?' is ECMA's too; a '+' would be PCRE2's possessive form. */
static int after_quantifier(ad *a)
{
    if (*a->p == '?')
        base_buf_addc(&a->out, *a->p++);
    if (*a->p == '+')
        return refuse(a, "possessive quantifiers (+ after a quantifier) are not ECMA-262");
    return BASE_OK;
}

int val_regex_adapt(const char *ecma, char **out, char *why, size_t why_len)
{
    ad a = {.p = ecma, .why = why, .why_len = why_len};
    int st = BASE_OK;
    *out = NULL;
    base_buf_adds(&a.out, ""); /* an empty pattern still yields a string */
    while (st == BASE_OK && *a.p) {
        char c = *a.p;
        switch (c) {
        case '\\': {
            char cls;
            st = escape(&a, &a.out, &cls);
            if (cls)
                base_buf_adds(&a.out, cls == 's' ? "[" ECMA_SPACE "]" : "[^" ECMA_SPACE "]");
            break;
        }
        case '[': st = adapt_class(&a); break;
        case '.':
            base_buf_adds(&a.out, "[^" ECMA_LINE_END "]");
            a.p++;
            break;
        case '(':
            if (a.p[1] == '?') { /* "(?" together: that '?' is no quantifier */
                st = check_group(&a);
                base_buf_add(&a.out, a.p, 2);
                a.p += 2;
            } else {
                base_buf_addc(&a.out, *a.p++);
            }
            break;
        case '*':
        case '+':
        case '?':
            base_buf_addc(&a.out, *a.p++);
            st = after_quantifier(&a);
            break;
        case '{': {
            size_t n = brace_quantifier_length(a.p);
            if (n) {
                base_buf_add(&a.out, a.p, n);
                a.p += n;
                st = after_quantifier(&a);
            } else {
                base_buf_adds(&a.out, "\\{");
                a.p++;
            }
            break;
        }
        default: base_buf_addc(&a.out, *a.p++); break;
        }
    }
    if (st == BASE_OK && a.out.oom) {
        st = BASE_ENOMEM;
        snprintf(why, why_len, "out of memory");
    }
    if (st != BASE_OK) {
        free(a.out.p);
        return st;
    }
    *out = a.out.p;
    return BASE_OK;
}

int val_regex_compile(const char *ecma, pcre2_code **out, char *why, size_t why_len)
{
    char *pat;
    *out = NULL;
    int st = val_regex_adapt(ecma, &pat, why, why_len);
    if (st != BASE_OK)
        return st;
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!cc) {
        free(pat);
        snprintf(why, why_len, "out of memory");
        return BASE_ENOMEM;
    }
    pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALT_BSUX |
                                       PCRE2_MATCH_UNSET_BACKREF | PCRE2_NEVER_BACKSLASH_C,
                                   &code, &off, cc);
    pcre2_compile_context_free(cc);
    free(pat);
    if (!re) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(why, why_len, "not a valid regular expression (%s)", (const char *)msg);
        return code == PCRE2_ERROR_HEAPLIMIT ? BASE_ENOMEM : BASE_EINPUT;
    }
    /* JIT when the platform has it (pcre2jit(3)): patterns run once per string of every
     * document; without it the interpreter gives the same answers. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    *out = re;
    return BASE_OK;
}

int val_regex_match(const pcre2_code *re, const char *s, size_t len, pcre2_match_data *md)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
    if (rc >= 0) /* 0: matched, the ovector too small for the groups, which are not wanted */
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_HEAPLIMIT)
        return BASE_ENOMEM;
    return BASE_ELIMIT; /* match, depth or JIT stack limit: a pathological pattern */
}
