/*
 * ini.c — pgbouncer.ini read by hand, as PgBouncer reads its configuration (pgbouncer.org,
 * config.md "Generic settings"): `[section]` headers, `key = value` lines, comments starting
 * with `;` or `#`, blank lines. Anything else is an error with its line and column, so a
 * damaged file is never half-read.
 */
#include "import/import.h"

#include <ctype.h>
#include <string.h>

#define INI_MAX_LINE 4096 /* characters in one line; PgBouncer's own limit is about this */

static const char *trim(const char *s, const char *e, size_t *n)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    *n = (size_t)(e - s);
    return s;
}

/* A section's or key's name, [s, e) trimmed, lowercased into key (PgBouncer matches names without
 * regard to case); -1 when it is empty or longer than key holds. */
static int lower_name(const char *s, const char *e, char (*key)[128])
{
    size_t kn;
    const char *k = trim(s, e, &kn);
    if (kn == 0 || kn >= sizeof *key)
        return -1;
    for (size_t i = 0; i < kn; i++)
        (*key)[i] = (char)tolower((unsigned char)k[i]);
    (*key)[kn] = '\0';
    return 0;
}

int imp_ini_load(const char *name, const char *text, size_t len, json_t **out, base_err *err)
{
    *out = NULL;
    json_t *root = json_object(), *sec = NULL;
    if (!root)
        return base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
    const char *p = text, *end = text + len;
    int line = 0, st = BASE_OK;
    while (p < end && st == BASE_OK) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le - p > INI_MAX_LINE) {
            st = base_err_set(err, BASE_EINPUT, name, line, 1, "line longer than %d characters",
                              INI_MAX_LINE);
            break;
        }
        for (const char *q = p; q < le; q++)
            if (*q == '\0' || ((unsigned char)*q < 32 && *q != '\t' && *q != '\r')) {
                st = base_err_set(err, BASE_EINPUT, name, line, (int)(q - p) + 1,
                                  "a control character: not a text file");
                break;
            }
        if (st)
            break;
        size_t n;
        const char *s = trim(p, le, &n);
        int col = (int)(s - p) + 1;
        if (n == 0 || s[0] == ';' || s[0] == '#') {
            /* blank or comment */
        } else if (s[0] == '[') {
            if (s[n - 1] != ']' || n < 3) {
                st = base_err_set(err, BASE_EINPUT, name, line, col,
                                  "a section header must be [name]");
                break;
            }
            char key[128];
            if (lower_name(s + 1, s + n - 1, &key) != 0) {
                st = base_err_set(err, BASE_EINPUT, name, line, col, "bad section name");
                break;
            }
            sec = json_object_get(root, key);
            if (!sec) {
                sec = json_object();
                if (!sec || json_object_set_new(root, key, sec))
                    st = base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
            }
        } else {
            const char *eq = memchr(s, '=', n);
            if (!eq) {
                st = base_err_set(err, BASE_EINPUT, name, line, col,
                                  "expected key = value, a [section] or a comment");
                break;
            }
            if (!sec) {
                st = base_err_set(err, BASE_EINPUT, name, line, col,
                                  "a setting before any [section]");
                break;
            }
            size_t vn;
            const char *v = trim(eq + 1, s + n, &vn);
            char key[128];
            if (lower_name(s, eq, &key) != 0) {
                st = base_err_set(err, BASE_EINPUT, name, line, col, "bad key");
                break;
            }
            if (json_object_get(sec, key)) {
                st = base_err_set(err, BASE_EINPUT, name, line, col, "'%s' is set twice", key);
                break;
            }
            json_t *val = json_stringn(v, vn);
            if (!val || json_object_set_new(sec, key, val))
                st = base_err_set(err, BASE_ENOMEM, name, 0, 0, "out of memory");
        }
        p = nl ? nl + 1 : end;
    }
    if (st) {
        json_decref(root);
        return st;
    }
    *out = root;
    return BASE_OK;
}
