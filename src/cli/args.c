/*
 * args.c — a command line read word by word against a table of options (cli.h, cli_flag): the
 * one reader `simulate` and `simulate check` share, so that both accept the same forms and
 * refuse the same mistakes with the same words.
 *
 * Forms: --name, --name=value, --name value, -x, -x value, -xVALUE; "--" ends the options; a
 * lone "-" is a word. A value is the next word even when it starts with '-' ("--max-increase
 * -3" is then refused for what it says, not as an unknown option).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int bad(char *msg, size_t len, const char *fmt, const char *what)
{
    snprintf(msg, len, fmt, what);
    return CLI_ARGS_BAD;
}

int cli_args_next(cli_args *a, const cli_flag *flags, size_t n, cli_arg *out, char *msg,
                  size_t msglen)
{
    memset(out, 0, sizeof *out);
    if (a->i >= a->argc)
        return CLI_ARGS_END;
    const char *w = a->argv[a->i++];
    if (a->only_words || w[0] != '-' || w[1] == '\0') {
        out->word = w;
        return CLI_ARGS_WORD;
    }
    if (!strcmp(w, "--")) {
        a->only_words = true;
        return cli_args_next(a, flags, n, out, msg, msglen);
    }
    const cli_flag *f = NULL;
    const char *val = NULL;
    if (w[1] == '-') {
        const char *name = w + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        for (size_t k = 0; k < n; k++)
            if (strlen(flags[k].lng) == len && !strncmp(flags[k].lng, name, len))
                f = &flags[k];
        if (!f)
            return bad(msg, msglen, "unknown option '%s'", w);
        if (eq && !f->value)
            return bad(msg, msglen, "option '%s' takes no value", w);
        val = eq ? eq + 1 : NULL;
    } else {
        for (size_t k = 0; k < n; k++)
            if (flags[k].shrt && flags[k].shrt == w[1])
                f = &flags[k];
        if (!f || (w[2] != '\0' && !f->value))
            return bad(msg, msglen, "unknown option '%s'", w);
        if (w[2] != '\0')
            val = w + 2; /* -j4 */
    }
    if (f->value && !val) {
        if (a->i >= a->argc)
            return bad(msg, msglen, "option '%s' needs a value", w);
        val = a->argv[a->i++];
    }
    out->flag = f;
    out->value = val;
    return CLI_ARGS_FLAG;
}

int cli_usage_error(const char *cmd, const char *fmt, const char *what)
{
    fprintf(stderr, "simulate: %s: ", cmd);
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (try 'simulate %s --help')\n", cmd);
    return CLI_EXIT_INPUT;
}
