/*
 * schedule.c — a dev environment's schedule (seed §11.2, "Schedule: Stop at 8pm, start at
 * 8am"; docs/dev-environment.md) as deployment config: two Kubernetes CronJobs (batch/v1) that
 * scale the API's Deployment to 0 at `stop` and back at `start` with `kubectl scale`, under a
 * ServiceAccount whose Role allows only patching that Deployment's scale subresource; and, with
 * `database: stop`, two EventBridge Scheduler schedules that stop and start the RDS instance
 * through the universal target (Terraform, with the IAM role they assume).
 *
 * The HPA: it leaves a Deployment at 0 replicas alone (Kubernetes
 * pkg/controller/podautoscaler/horizontal.go: "scaling is disabled since the replica count of
 * the target is zero"), as the engine simulates, so its minReplicas does not undo the stop; the
 * start CronJob sets the emitted replicas back and the HPA resumes from there.
 */
#include "emit/internal.h"

#include <stdio.h>
#include <string.h>

#define SCHED_NAME "flask-api-schedule" /* the CronJobs' ServiceAccount, Role and RoleBinding */

/* kubectl's image: the Kubernetes project's kubectl image on registry.k8s.io, the minor of the
 * v1.30 API the objects are written against (emit.h) */
#define SCHED_KUBECTL_IMAGE "registry.k8s.io/kubectl:v1.30.0"

/* A time of day (ns after local midnight, 0 .. 24 h) as hour and minute, and whether it falls
 * on the next day (24:00 is the next day's 00:00). */
static void hm(sim_time t, int *h, int *m, int *next_day)
{
    long long min = (long long)(t / SIM_MIN);
    *next_day = min >= 24 * 60;
    min %= 24 * 60;
    *h = (int)(min / 60);
    *m = (int)(min % 60);
}

/* The days (bit 0 = Monday) a time of day t falls on when the running stretch starts on the
 * days of c: `start` on them; `stop` on them when it comes later the same day, else the day
 * after (mdl_schedule_config: the stretch ends at the next `stop`). */
static int days_of(const mdl_schedule_config *c, bool stop)
{
    int h, m, next;
    hm(stop ? c->stop : c->start, &h, &m, &next);
    int shift = next || (stop && c->stop <= c->start);
    if (!shift)
        return c->days & 0x7f;
    return ((c->days << 1) | (c->days >> 6)) & 0x7f;
}

/* The day-of-week field: "*" for every day, else the days in order, as Kubernetes' cron (0 =
 * Sunday) or EventBridge's (SUN..SAT names). */
static void dow(int days, bool names, char *out, size_t len)
{
    static const char *const nm[7] = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
    if ((days & 0x7f) == 0x7f) {
        snprintf(out, len, "*");
        return;
    }
    size_t n = 0;
    out[0] = '\0';
    for (int d = 0; d < 7 && n < len; d++)
        if (days & (1 << d)) {
            int w;
            if (names)
                w = snprintf(out + n, len - n, "%s%s", n ? "," : "", nm[d]);
            else
                w = snprintf(out + n, len - n, "%s%d", n ? "," : "", (d + 1) % 7);
            if (w < 0 || (size_t)w >= len - n)
                return;
            n += (size_t)w;
        }
}

void emit__schedule_cron(const mdl_schedule_config *c, bool stop, bool eventbridge, char *out,
                         size_t len)
{
    int h, m, next;
    hm(stop ? c->stop : c->start, &h, &m, &next);
    char d[40];
    dow(days_of(c, stop), eventbridge, d, sizeof d);
    /* Kubernetes: "minute hour day-of-month month day-of-week" (CronJob, "Schedule syntax");
     * EventBridge Scheduler: cron(minutes hours day-of-month month day-of-week year), one of
     * the two day fields "?" (EventBridge Scheduler User Guide, "Cron-based schedules") */
    if (eventbridge && !strcmp(d, "*"))
        snprintf(out, len, "cron(%d %d * * ? *)", m, h);
    else if (eventbridge)
        snprintf(out, len, "cron(%d %d ? * %s *)", m, h, d);
    else
        snprintf(out, len, "%d %d * * %s", m, h, d);
}

static json_t *head(const char *api, const char *kind, json_t *meta)
{
    return json_pack("{s:s, s:s, s:o}", "apiVersion", api, "kind", kind, "metadata", meta);
}

static json_t *service_account(const emit_input *in)
{
    json_t *o = head("v1", "ServiceAccount", emit__meta(in, SCHED_NAME, "schedule"));
    /* the token is mounted: kubectl needs it to call the API server */
    json_object_set_new(o, "automountServiceAccountToken", json_true());
    return o;
}

/* Only `patch` on the one Deployment's scale subresource (Kubernetes "Using RBAC
 * Authorization": resourceNames restricts a rule to named objects; `kubectl scale` patches
 * deployments/scale). */
static json_t *role(const emit_input *in)
{
    json_t *o =
        head("rbac.authorization.k8s.io/v1", "Role", emit__meta(in, SCHED_NAME, "schedule"));
    json_object_set_new(o, "rules",
                        json_pack("[{s:[s], s:[s], s:[s], s:[s]}]", "apiGroups", "apps",
                                  "resources", "deployments/scale", "resourceNames", EMIT_APP,
                                  "verbs", "patch"));
    return o;
}

static json_t *role_binding(const emit_input *in)
{
    json_t *o =
        head("rbac.authorization.k8s.io/v1", "RoleBinding", emit__meta(in, SCHED_NAME, "schedule"));
    json_object_set_new(o, "roleRef",
                        json_pack("{s:s, s:s, s:s}", "apiGroup", "rbac.authorization.k8s.io",
                                  "kind", "Role", "name", SCHED_NAME));
    json_object_set_new(o, "subjects",
                        json_pack("[{s:s, s:s}]", "kind", "ServiceAccount", "name", SCHED_NAME));
    return o;
}

static json_t *cronjob(const emit_input *in, bool stop)
{
    const mdl_scenario *s = in->s;
    char cron[64], arg[32], name[64];
    emit__schedule_cron(&s->schedule, stop, false, cron, sizeof cron);
    /* back to the Deployment's emitted replicas at the start (the HPA takes over from there) */
    snprintf(arg, sizeof arg, "--replicas=%d", stop ? 0 : s->api.replicas);
    snprintf(name, sizeof name, "%s-%s", EMIT_APP, stop ? "stop" : "start");
    /* the restricted posture of the API's pods (kubernetes.c); uid 65532: the kubectl image's
     * non-root user is not assumed, so a numeric one the kubelet can check */
    json_t *container = json_pack(
        "{s:s, s:s, s:[s, s, s, s], s:{s:b, s:b, s:b, s:{s:[s]}, s:{s:s}}, s:{s:{s:s, s:s}, "
        "s:{s:s, s:s}}}",
        "name", "kubectl", "image", SCHED_KUBECTL_IMAGE, "command", "kubectl", "scale",
        "deployment/" EMIT_APP, arg, "securityContext", "allowPrivilegeEscalation", 0,
        "readOnlyRootFilesystem", 1, "runAsNonRoot", 1, "capabilities", "drop", "ALL",
        "seccompProfile", "type", "RuntimeDefault", "resources", "requests", "cpu", "10m", "memory",
        "32Mi", "limits", "cpu", "100m", "memory", "64Mi");
    json_t *pod = json_pack("{s:s, s:b, s:s, s:{s:b, s:i, s:i, s:{s:s}}, s:o}",
                            "serviceAccountName", SCHED_NAME, "automountServiceAccountToken", 1,
                            "restartPolicy", "OnFailure", "securityContext", "runAsNonRoot", 1,
                            "runAsUser", 65532, "runAsGroup", 65532, "seccompProfile", "type",
                            "RuntimeDefault", "containers", json_pack("[o]", container));
    json_t *spec = json_pack("{s:s, s:s, s:i, s:i, s:i, s:{s:{s:i, s:i, s:{s:o}}}}", "schedule",
                             cron, "concurrencyPolicy", "Forbid", "startingDeadlineSeconds", 600,
                             "successfulJobsHistoryLimit", 1, "failedJobsHistoryLimit", 3,
                             "jobTemplate", "spec", "backoffLimit", 3, "ttlSecondsAfterFinished",
                             86400, "template", "spec", pod);
    json_t *o = head("batch/v1", "CronJob", emit__meta(in, name, "schedule"));
    json_object_set_new(o, "spec", spec);
    return o;
}

/* The role EventBridge Scheduler assumes (EventBridge Scheduler User Guide, "Setting up the
 * execution role": trust of scheduler.amazonaws.com) and its one permission. */
static json_t *terraform(const emit_input *in)
{
    const mdl_scenario *s = in->s;
    json_t *res = json_object();
    emit__tf_resource(
        res, "aws_iam_role", "db_schedule",
        json_pack("{s:s, s:s}", "name", EMIT_TF_DB "-schedule", "assume_role_policy",
                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                  "{\"Service\":\"scheduler.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
    emit__tf_resource(
        res, "aws_iam_role_policy", "db_schedule",
        json_pack("{s:s, s:s, s:s}", "name", "stop-start-rds", "role",
                  "${aws_iam_role.db_schedule.id}", "policy",
                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                  "[\"rds:StopDBInstance\",\"rds:StartDBInstance\"],\"Resource\":\""
                  "${aws_db_instance.main.arn}\"}]}"));
    for (int stop = 1; stop >= 0; stop--) {
        char cron[64];
        emit__schedule_cron(&s->schedule, stop, true, cron, sizeof cron);
        /* the universal target: arn:aws:scheduler:::aws-sdk:service:apiAction, its input the
         * API action's request (EventBridge Scheduler User Guide, "Using universal targets") */
        emit__tf_resource(
            res, "aws_scheduler_schedule", stop ? "db_stop" : "db_start",
            json_pack("{s:s, s:s, s:s, s:{s:s}, s:{s:s, s:s, s:s}}", "name",
                      stop ? EMIT_TF_DB "-stop" : EMIT_TF_DB "-start", "schedule_expression", cron,
                      "schedule_expression_timezone", "${var.schedule_timezone}",
                      "flexible_time_window", "mode", "OFF", "target", "arn",
                      stop ? "arn:aws:scheduler:::aws-sdk:rds:stopDBInstance"
                           : "arn:aws:scheduler:::aws-sdk:rds:startDBInstance",
                      "role_arn", "${aws_iam_role.db_schedule.arn}", "input",
                      "{\"DbInstanceIdentifier\":\"${aws_db_instance.main.identifier}\"}"));
    }
    json_t *var = json_object();
    json_t *tz = emit__tf_variable("string",
                                   "IANA time zone of the schedule's times (the team's local "
                                   "time, which the scenario does not name)",
                                   false);
    json_object_set_new(tz, "default", json_string("UTC"));
    json_object_set_new(var, "schedule_timezone", tz);
    return json_pack("{s:o, s:o}", "variable", var, "resource", res);
}

static bool stops_db(const mdl_scenario *s)
{
    return s->schedule.enabled && s->schedule.database == MDL_SCHEDULE_DB_STOP && s->db.enabled &&
           s->db.engine == MDL_DB_RDS;
}

int emit__schedule(const emit_input *in, emit_set *set)
{
    const mdl_scenario *s = in->s;
    if (!s->schedule.enabled)
        return BASE_OK;
    if (emit__add(set, "kubernetes/schedule-serviceaccount.yaml", "serviceaccount-v1.json",
                  service_account(in)) ||
        emit__add(set, "kubernetes/schedule-role.yaml", "", role(in)) ||
        emit__add(set, "kubernetes/schedule-rolebinding.yaml", "", role_binding(in)) ||
        emit__add(set, "kubernetes/schedule-stop.yaml", "", cronjob(in, true)) ||
        emit__add(set, "kubernetes/schedule-start.yaml", "", cronjob(in, false)))
        return BASE_ENOMEM;
    if (stops_db(s) && emit__add(set, "terraform/schedule.tf.json", EMIT_TF_SCHEMA, terraform(in)))
        return BASE_ENOMEM;
    return BASE_OK;
}
