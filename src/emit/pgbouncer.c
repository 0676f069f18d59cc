/*
 * pgbouncer.c — PgBouncer as the scenario runs it (seed §6.5: transaction pooling): its
 * pgbouncer.ini, the ConfigMap that mounts it, and for the central mode its own Deployment and
 * Service. Settings are PgBouncer's (pgbouncer.org/config.html); the simulated ones come from
 * the scenario's pgbouncer section, the rest are named as parameters or left at PgBouncer's
 * defaults.
 */
#include "emit/internal.h"

#include <stdio.h>
#include <string.h>

/* Seconds with the fraction PgBouncer accepts (its timeouts are floating-point seconds). */
static void secs_text(char *b, size_t n, sim_time t)
{
    snprintf(b, n, "%g", (double)t / (double)SIM_SEC);
}

char *emit_pgbouncer_ini(const mdl_scenario *s)
{
    const mdl_pgbouncer_config *p = &s->pgbouncer;
    char reserve[32], wait[32];
    secs_text(reserve, sizeof reserve, p->reserve_pool_timeout);
    secs_text(wait, sizeof wait, p->query_wait_timeout);
    base_buf b = {0};
    base_buf_addf(&b,
                  ";; pgbouncer.ini of scenario '%s', emitted by simulate %s.\n"
                  ";; Mode: %s. Every value below marked 'simulated' is what the run played.\n"
                  "[databases]\n"
                  "* = host=${DB_ENDPOINT} port=5432\n"
                  "\n"
                  "[pgbouncer]\n"
                  "listen_addr = %s\n"
                  "listen_port = 6432\n"
                  "unix_socket_dir = /tmp\n"
                  "auth_type = scram-sha-256\n"
                  "auth_file = /etc/pgbouncer-auth/userlist.txt\n"
                  "admin_users = pgbouncer\n"
                  "pool_mode = transaction\n"
                  "; simulated\n"
                  "default_pool_size = %d\n"
                  "; simulated\n"
                  "reserve_pool_size = %d\n"
                  "; simulated\n"
                  "reserve_pool_timeout = %s\n"
                  "; simulated\n"
                  "max_client_conn = %d\n"
                  "; simulated\n"
                  "query_wait_timeout = %s\n",
                  s->name, SIMULATE_VERSION,
                  p->mode == MDL_PGB_CENTRAL ? "central Deployment" : "sidecar in each API pod",
                  p->mode == MDL_PGB_CENTRAL ? "0.0.0.0" : "127.0.0.1", p->default_pool_size,
                  p->reserve_pool_size, reserve, p->max_client_conn, wait);
    if (b.oom || !b.p) {
        base_buf_free(&b);
        return NULL;
    }
    return b.p;
}

static json_t *configmap(const emit_input *in, const char *ini)
{
    return json_pack("{s:s, s:s, s:o, s:{s:s}}", "apiVersion", "v1", "kind", "ConfigMap",
                     "metadata", emit__meta(in, EMIT_PGB_NAME, "pgbouncer"), "data",
                     "pgbouncer.ini", ini);
}

/* The central mode: one PgBouncer Deployment (the model's one central pool) and its Service. */
static json_t *central_deployment(const emit_input *in)
{
    json_t *containers = json_array();
    json_array_append_new(containers, emit__pgbouncer_container());
    return json_pack("{s:s, s:s, s:o, s:{s:i, s:{s:{s:s}}, s:{s:{s:{s:s}}, s:o}}}", "apiVersion",
                     "apps/v1", "kind", "Deployment", "metadata",
                     emit__meta(in, EMIT_PGB_NAME, "pgbouncer"), "spec", "replicas", 1, "selector",
                     "matchLabels", "app", EMIT_PGB_NAME, "template", "metadata", "labels", "app",
                     EMIT_PGB_NAME, "spec", emit__pod_spec(in, containers, false));
}

static json_t *central_service(const emit_input *in)
{
    return json_pack("{s:s, s:s, s:o, s:{s:s, s:{s:s}, s:[{s:s, s:i, s:s, s:s}]}}", "apiVersion",
                     "v1", "kind", "Service", "metadata",
                     emit__meta(in, EMIT_PGB_NAME, "pgbouncer"), "spec", "type", "ClusterIP",
                     "selector", "app", EMIT_PGB_NAME, "ports", "name", "pgbouncer", "port", 6432,
                     "targetPort", "pgbouncer", "protocol", "TCP");
}

int emit__pgbouncer(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (!s->db.enabled || s->pgbouncer.mode == MDL_PGB_NONE)
        return BASE_OK;
    set->pgbouncer_ini = emit_pgbouncer_ini(s);
    if (!set->pgbouncer_ini || emit__add(set, "kubernetes/pgbouncer-configmap.yaml",
                                         "configmap-v1.json", configmap(in, set->pgbouncer_ini)))
        return BASE_ENOMEM;
    if (s->pgbouncer.mode == MDL_PGB_CENTRAL &&
        (emit__add(set, "kubernetes/pgbouncer-deployment.yaml", "deployment-apps-v1.json",
                   central_deployment(in)) ||
         emit__add(set, "kubernetes/pgbouncer-service.yaml", "service-v1.json",
                   central_service(in))))
        return BASE_ENOMEM;
    return BASE_OK;
}
