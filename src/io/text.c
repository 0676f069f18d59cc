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

/* The well-formed UTF-8 byte sequences by their first byte, and the range their second byte must
 * fall in (the Unicode Standard, Table 3-7): the narrower second-byte ranges after E0, ED, F0
 * and F4 refuse overlong forms, UTF-16 surrogates and code points over U+10FFFF. Every byte
 * after the second is 80..BF. */
static const struct utf8_lead {
    unsigned char first, last; /* first byte */
    unsigned char len;         /* bytes in the sequence */
    unsigned char lo, hi;      /* second byte */
} utf8_leads[] = {
    {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF}, {0xE1, 0xEC, 3, 0x80, 0xBF},
    {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF}, {0xF0, 0xF0, 4, 0x90, 0xBF},
    {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F},
};

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not valid (overlong forms,
 * surrogates and code points over U+10FFFF are invalid). *cp receives the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    const struct utf8_lead *lead = NULL;
    for (size_t i = 0; i < sizeof utf8_leads / sizeof utf8_leads[0] && !lead; i++)
        if (c >= utf8_leads[i].first && c <= utf8_leads[i].last)
            lead = &utf8_leads[i];
    if (!lead || n < lead->len)
        return 0;
    *cp = c & (0xFFu >> (lead->len + 1)); /* the lead byte's payload: 5, 4 or 3 bits */
    for (size_t i = 1; i < lead->len; i++) {
        unsigned char b = s[i];
        if (b < (i == 1 ? lead->lo : 0x80) || b > (i == 1 ? lead->hi : 0xBF))
            return 0;
        *cp = (*cp << 6) | (b & 0x3Fu);
    }
    return lead->len;
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
