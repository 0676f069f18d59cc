/*
 * numbers.c — whole numbers as the command line and the gate's --baseline write them: digits
 * only, no sign, no spaces, no overflow (strtoul would take " -1" as a huge number).
 */
#include "app/app.h"

int app_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

bool app_is_run_number(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}
