/*
 * args.c — a command line read word by word against a table of options (cli.h, cli_flag): the
 * one reader every command shares (simulate, check, compare, emit, plot, history, show, keys,
 * export, import, plan),
 * so that all accept the same forms and refuse the same mistakes with the same words; and the
 * options of a run, read once for every command that starts one.
 *
 * Forms: --name, --name=value, --name value, -x, -x value, -xVALUE; "--" ends the options; a
 * lone "-" is a word. A value is the next word even when it starts with '-' ("--max-increase
 * -3" is then refused for what it says, not as an unknown option).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "io/io.h"

/* A command line being read: argv[i..argc). */
typedef struct arg_reader {
    int argc;
    char **argv;
    int i;
    bool only_words; /* after "--" */
} arg_reader;

/* What next_arg found. */
enum { ARGS_END, ARGS_WORD, ARGS_FLAG, ARGS_BAD };

static int bad(char *msg, size_t len, const char *fmt, const char *what)
{
    snprintf(msg, len, fmt, what);
    return ARGS_BAD;
}

/* The next word of the command line against flags[0..n): ARGS_WORD, ARGS_FLAG,
 * ARGS_END, or ARGS_BAD with what is wrong in msg (no prefix: the command adds its own). */
static int next_arg(arg_reader *a, const cli_flag *flags, size_t n, cli_arg *out, char *msg,
                    size_t msglen)
{
    memset(out, 0, sizeof *out);
    if (a->i >= a->argc)
        return ARGS_END;
    const char *w = a->argv[a->i++];
    if (a->only_words || w[0] != '-' || w[1] == '\0') {
        out->word = w;
        return ARGS_WORD;
    }
    if (!strcmp(w, "--")) {
        a->only_words = true;
        return next_arg(a, flags, n, out, msg, msglen);
    }
    const cli_flag *f = NULL;
    const char *val = NULL;
    if (w[1] == '-') {
        const char *name = w + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        for (size_t k = 0; k < n; k++)
            if (flags[k].lng && strlen(flags[k].lng) == len && !strncmp(flags[k].lng, name, len))
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
    return ARGS_FLAG;
}

int cli_usage_error(const char *cmd, const char *fmt, const char *what)
{
    fprintf(stderr, "simulate: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (try 'simulate %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
    return CLI_EXIT_INPUT;
}

int cli_parse(const cli_command *c, int argc, char **argv, void *ctx)
{
    arg_reader a = {argc, argv, 0, false};
    cli_arg x;
    char msg[256];
    for (;;) {
        int k = next_arg(&a, c->flags, c->nflags, &x, msg, sizeof msg);
        if (k == ARGS_END)
            return 0;
        if (k == ARGS_BAD)
            return cli_usage_error(c->name, "%s", msg);
        if (c->usage && x.flag && !strcmp(x.flag->lng, "help")) {
            puts(c->usage);
            cli_print_options(stdout, c->flags, c->nflags);
            if (c->more)
                puts(c->more);
            return CLI_PARSE_STOP;
        }
        if (x.flag && x.flag->into) {
            char *at = (char *)ctx + x.flag->into - 1;
            if (x.flag->value)
                *(const char **)at = x.value;
            else
                *(int *)at = 1;
            continue;
        }
        if (!c->on_arg) {
            const cli_flag *w = c->flags;
            while (w < c->flags + c->nflags && w->lng)
                w++;
            BASE_ASSERT(!x.flag && w < c->flags + c->nflags); /* its CLI_WORD row */
            int st =
                cli_one_word(c->name, w->help, (const char **)((char *)ctx + w->into - 1), x.word);
            if (st)
                return st;
            continue;
        }
        int st = c->on_arg(ctx, &x);
        if (st)
            return st;
    }
}

int cli_one_word(const char *cmd, const char *what, const char **slot, const char *word)
{
    if (*slot) {
        char fmt[96];
        snprintf(fmt, sizeof fmt, "one %s at a time (got '%%s' too)", what);
        return cli_usage_error(cmd, fmt, word);
    }
    *slot = word;
    return 0;
}

void cli_print_options(FILE *f, const cli_flag *flags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char left[48];
        const cli_flag *o = &flags[i];
        if (!o->lng)
            continue; /* a CLI_WORD */
        const char *mv = o->metavar ? o->metavar : "";
        if (o->shrt)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->shrt, o->lng, *mv ? " " : "", mv);
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->lng, *mv ? " " : "", mv);
        fprintf(f, "  %-28s %s\n", left, o->help);
    }
}

/* A whole number from lo to hi for option `name`, or its usage error. */
static int whole(const char *cmd, const char *name, const char *val, uint64_t lo, uint64_t hi,
                 uint64_t *out)
{
    if (app_parse_uint(val, hi, out) == 0 && *out >= lo)
        return 0;
    char fmt[160];
    if (hi == UINT64_MAX)
        snprintf(fmt, sizeof fmt, "--%s needs a whole number from %llu to 2^64-1, not '%%s'", name,
                 (unsigned long long)lo);
    else
        snprintf(fmt, sizeof fmt, "--%s needs a whole number from %llu to %llu, not '%%s'", name,
                 (unsigned long long)lo, (unsigned long long)hi);
    return cli_usage_error(cmd, fmt, val);
}

int cli_run_option(const char *cmd, const char *n, const char *val, app_run_opts *o)
{
    uint64_t v;
    if (!strcmp(n, "quiet"))
        o->quiet = 1;
    else if (!strcmp(n, "output"))
        o->output = val;
    else if (!strcmp(n, "db"))
        o->db = val;
    else if (!strcmp(n, "fidelity")) {
        if (mdl_fidelity_parse(val, &o->fidelity))
            return cli_usage_error(cmd, "--fidelity must be request, flow or auto, not '%s'", val);
        o->has_fidelity = 1;
    } else if (!strcmp(n, "seed")) {
        if (whole(cmd, n, val, 0, UINT64_MAX, &o->seed))
            return CLI_EXIT_INPUT;
        o->has_seed = 1;
    } else if (!strcmp(n, "replications")) {
        if (whole(cmd, n, val, 1, ENG_MAX_REPLICATIONS, &v))
            return CLI_EXIT_INPUT;
        o->replications = (int)v;
    } else if (!strcmp(n, "jobs")) {
        if (whole(cmd, n, val, 1, ENG_MAX_JOBS, &v))
            return CLI_EXIT_INPUT;
        o->jobs = (int)v;
    } else if (!strcmp(n, "max-memory")) {
        int64_t bytes;
        base_err e;
        if (scn_parse_memory(val, &bytes, &e) != BASE_OK || bytes <= 0)
            return cli_usage_error(cmd, "--max-memory needs a size such as 8Gi or 500M, not '%s'",
                                   val);
        o->max_memory = (double)bytes;
    } else
        return -1;
    return 0;
}
