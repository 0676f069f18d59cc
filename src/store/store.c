/*
 * store.c — the one door to the results store (store.h): a `postgresql://` or `postgres://` URL
 * opens the PostgreSQL store (pg.c), anything else is the path of an SQLite file (sqlite.c).
 * Every other call goes to the backend that opened the handle.
 */
#include <string.h>

#include "store/internal.h"

bool store_is_url(const char *where)
{
    /* the two URI schemes libpq accepts (PostgreSQL 15 documentation, 34.1.1.2 "Connection
     * URIs") */
    return where && (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11));
}

int store_open(const char *where, store **out, base_err *err)
{
    return store_is_url(where) ? store__pg_open(where, 0, out, err)
                               : store__sqlite_open(where, 0, out, err);
}

int store_open_read(const char *where, store **out, base_err *err)
{
    return store_is_url(where) ? store__pg_open(where, 1, out, err)
                               : store__sqlite_open(where, 1, out, err);
}

void store_close(store *st)
{
    if (st)
        st->ops->close(st);
}

int store_begin(store *st, const store_run *run, int64_t *id, base_err *err)
{
    return st->ops->begin(st, run, id, err);
}

int store_add_replication(store *st, int64_t id, const eng_rep *rep, base_err *err)
{
    return st->ops->add_replication(st, id, rep, err);
}

int store_finish(store *st, int64_t id, const eng_summary *sum, const char *report_json,
                 double wall_s, base_err *err)
{
    return st->ops->finish(st, id, sum, report_json, wall_s, err);
}

int store_fail(store *st, int64_t id, const char *why, double wall_s, base_err *err)
{
    return st->ops->fail(st, id, why, wall_s, err);
}

int store_history(store *st, int limit, store_entry_fn fn, void *ctx, base_err *err)
{
    return st->ops->history(st, limit, fn, ctx, err);
}

int store_show(store *st, int64_t id, store_entry *entry, store_figure_fn fn, void *ctx,
               base_err *err)
{
    return st->ops->show(st, id, entry, fn, ctx, err);
}

int store_report(store *st, int64_t id, char **json, base_err *err)
{
    return st->ops->report(st, id, json, err);
}
