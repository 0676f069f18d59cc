/*
 * keys.c — `simulate keys [PATTERN]`: the reference of every scenario key (docs/scenarios.md's
 * tables, from the one key table), or only the keys PATTERN names: a part of a dotted key or of
 * its meaning ("max_connections", "spot"), case ignored, or a shell pattern on the dotted key
 * ("database.*", "*.timeout").
 */
#include "cli/cli.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/io.h"

typedef struct keys_opts {
    const char *pattern;
} keys_opts;

static const cli_flag options[] = {
    CLI_FLAG_HELP,
    CLI_WORD("pattern", keys_opts, pattern),
};

static const char help_text[] =
    "usage: simulate keys [PATTERN]\n"
    "\n"
    "Prints every scenario key as Markdown (docs/scenarios.md): its type, default, range,\n"
    "meaning and the source of its default. With PATTERN, only the keys it names: a part\n"
    "of the dotted key or of its meaning, case ignored (simulate keys max_connections),\n"
    "or a shell pattern on the dotted key (simulate keys 'database.*').\n"
    "\noptions:";

static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return true;
    return false;
}

/* Whether a table row of section `section` ("(top level)" or "traffic.phases[]") matches. */
static bool row_matches(const char *section, const char *row, const char *pattern)
{
    const char *k = strchr(row, '`'), *e = k ? strchr(k + 1, '`') : NULL;
    if (!k || !e)
        return false;
    char key[256];
    bool top = !strcmp(section, "(top level)");
    snprintf(key, sizeof key, "%s%s%.*s", top ? "" : section, top ? "" : ".", (int)(e - k - 1),
             k + 1);
    if (strpbrk(pattern, "*?["))
        return fnmatch(pattern, key, 0) == 0;
    return contains(key, pattern) || contains(row, pattern);
}

/* Copies the reference in text to stdout, keeping of each section its heading, text and
 * table header only when one of its rows matches. Returns the rows printed. */
static size_t filter(char *text, const char *pattern)
{
    size_t rows = 0;
    char section[256] = "";
    char *held = NULL; /* the section's lines before its first row, printed with that row */
    bool shown = false;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!strncmp(line, "### `", 5)) {
            const char *e = strchr(line + 5, '`');
            snprintf(section, sizeof section, "%.*s", e ? (int)(e - line - 5) : 0, line + 5);
            held = line;
            shown = false;
        }
        bool is_row = line[0] == '|' && line[1] == ' ' && line[2] == '`';
        if (is_row && row_matches(section, line, pattern)) {
            if (!shown && held) {
                /* the heading and the lines up to this row but the rows that did not match
                 * (each line ends at the NUL that was its newline) */
                putchar('\n');
                for (char *p = held; p < line; p += strlen(p) + 1)
                    if (p[0] != '|' || p[1] != ' ' || p[2] != '`')
                        puts(p);
                shown = true;
            }
            puts(line);
            rows++;
        }
    }
    return rows;
}

#define NOPTIONS (sizeof options / sizeof options[0])
static const cli_command command = {"keys", options, NOPTIONS, NULL, help_text, NULL};

int cli_keys(int argc, char **argv)
{
    keys_opts o = {0};
    int st = cli_parse(&command, argc, argv, &o);
    const char *pattern = o.pattern;
    if (st)
        return st == CLI_PARSE_STOP ? CLI_EXIT_OK : st;
    if (!pattern) {
        scn_keys_markdown(stdout);
        return CLI_EXIT_OK;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        fputs("simulate: out of memory\n", stderr);
        return CLI_EXIT_FAILURE;
    }
    scn_keys_markdown(mem);
    fclose(mem);
    size_t rows = filter(text, pattern);
    free(text);
    if (rows == 0) {
        fprintf(stderr, "simulate: keys: no scenario key matches '%s'\n", pattern);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}
