/*
 * text.c — a scenario file's bytes before libyaml reads them (yaml_internal.h): a file over
 * SCN_MAX_FILE_BYTES, a NUL byte or a byte that is not UTF-8 is refused at its exact line and
 * column (libyaml would report some of them late or not at all), and the same walk gives the
 * position of an offset for libyaml's reader errors, counted the way libyaml counts marks.
 */
#include "io/io.h"
#include "io/yaml_internal.h"

#include <stdint.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not valid (overlong forms,
 * surrogates and code points over U+10FFFF are invalid). *cp receives the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        *cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        *cp = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        *cp = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        unsigned char b = s[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return 0;
        *cp = (*cp << 6) | (b & 0x3Fu);
    }
    return len;
}

void scn__text_walk(const unsigned char *s, size_t len, size_t stop, size_t *bad, int *line,
                    int *col)
{
    size_t i = 0;
    int l = 0, c = 0;
    *bad = SIZE_MAX;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    while (i < len && i < stop) {
        uint32_t cp;
        size_t k = s[i] == 0 ? 0 : utf8_seq(s + i, len - i, &cp);
        if (k == 0) {
            *bad = i;
            break;
        }
        if (cp == '\r' && i + 1 < len && s[i + 1] == '\n')
            k = 2;
        if (cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
            l++;
            c = 0;
        } else {
            c++;
        }
        i += k;
    }
    *line = l;
    *col = c;
}

int scn__text_check(const char *file, const char *text, size_t len, base_err *err)
{
    if (len > SCN_MAX_FILE_BYTES)
        return base_err_set(err, BASE_EINPUT, file, 0, 0,
                            "file is larger than the limit of %u bytes",
                            (unsigned)SCN_MAX_FILE_BYTES);
    size_t bad;
    int line, col;
    const unsigned char *s = (const unsigned char *)text;
    scn__text_walk(s, len, len, &bad, &line, &col);
    if (bad == SIZE_MAX)
        return BASE_OK;
    if (s[bad] == 0)
        return base_err_set(err, BASE_EINPUT, file, line + 1, col + 1,
                            "not a text file: byte 0x00 (NUL)");
    return base_err_set(err, BASE_EINPUT, file, line + 1, col + 1,
                        "not a text file: byte 0x%02x is not valid UTF-8", s[bad]);
}
