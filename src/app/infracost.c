/*
 * infracost.c — infracost-usage.yml beside every run's report: the simulated month's usage in
 * Infracost's usage-file format, so that `infracost breakdown --usage-file` prices the team's
 * Terraform with simulated quantities instead of guesses.
 *
 * The format (version 0.1): `resource_usage` keyed by a Terraform resource address, and
 * `resource_type_default_usage` keyed by a resource type, applying to every resource of that
 * type. The keys are those Infracost's resources read (github.com/infracost/infracost,
 * internal/resources/aws/: cloudfront_distribution.go, lb.go, nat_gateway.go, rds_cluster.go;
 * infracost-usage-example.yml):
 *
 *   aws_rds_cluster.main          storage_gb, read_requests_per_sec, write_requests_per_sec
 *                                 (Infracost bills (read + write) x 730 h x 3600 s of I/O)
 *   aws_cloudfront_distribution   united_states_data_transfer_internet_gb,
 *                                 united_states_https_requests
 *   aws_lb                        processed_bytes_gb (GB an hour; ALB bills the largest of its
 *                                 LCU dimensions, 1 LCU = 1 GB an hour)
 *   aws_nat_gateway               monthly_data_processed_gb (each gateway)
 *
 * `aws_rds_cluster.main` is the address `simulate emit` writes (terraform/database.tf.json);
 * CloudFront, the ALB and the NAT gateways are not emitted, so they are type defaults that
 * apply to the team's own resources. The values come from the report's priced cost lines
 * (cost.lines: the month's quantities, the same the bill is priced from), never estimated here.
 */
#include "app/app.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The sum of the quantities of the cost lines of `component` whose item starts with `item`. */
static double line_sum(const json_t *lines, const char *component, const char *item)
{
    double sum = 0;
    for (size_t i = 0; i < json_array_size(lines); i++) {
        const json_t *l = json_array_get(lines, i);
        const char *c = json_string_value(json_object_get(l, "component"));
        const char *it = json_string_value(json_object_get(l, "item"));
        double q = json_number_value(json_object_get(l, "quantity"));
        if (c && it && strcmp(c, component) == 0 && strncmp(it, item, strlen(item)) == 0 &&
            isfinite(q))
            sum += q;
    }
    return sum;
}

/* The usage file's text for report `doc` into buf; 0 when the report has no cost lines (a run
 * without a pricing file), else its length (truncated to n - 1). */
size_t app_infracost_usage(const json_t *doc, char *buf, size_t n)
{
    const json_t *cost = json_object_get(doc, "cost"), *lines = json_object_get(cost, "lines");
    if (json_array_size(lines) == 0 || n == 0)
        return 0;
    double hours = json_number_value(json_object_get(cost, "month_hours"));
    if (!(hours > 0))
        hours = 730; /* AWS's and Infracost's month (docs/cost-model.md) */
    const char *name = json_string_value(json_object_get(json_object_get(doc, "scenario"), "name"));
    size_t len = 0;
#define OUT(...)                                                                                   \
    do {                                                                                           \
        int w_ = snprintf(buf + len, n - len, __VA_ARGS__);                                        \
        len += w_ > 0 ? (size_t)w_ : 0;                                                            \
        if (len >= n)                                                                              \
            return n - 1;                                                                          \
    } while (0)
    OUT("# infracost-usage.yml: the usage simulated for %s, a %.0f-hour month.\n"
        "# infracost breakdown --path terraform/ --usage-file infracost-usage.yml\n"
        "# Keys: Infracost's (github.com/infracost/infracost, internal/resources/aws/).\n"
        "version: 0.1\n",
        name ? name : "this run", hours);
    double storage = line_sum(lines, "Aurora", "storage"),
           io = line_sum(lines, "Aurora", "I/O requests") * 1e6;
    if (storage > 0 || io > 0) {
        /* Infracost's I/O is (read + write) per second over 730 h; the run counts them
         * together, so all of it is given as reads */
        OUT("resource_usage:\n"
            "  aws_rds_cluster.main:\n"
            "    storage_gb: %.10g # Aurora storage, GB-months\n"
            "    read_requests_per_sec: %.0f # every I/O request, reads and writes, per second\n"
            "    write_requests_per_sec: 0 # counted with the reads above\n",
            storage, io / (730 * 3600.0));
    }
    double cf_gb = line_sum(lines, "CloudFront", "data transfer out (US"),
           cf_req = line_sum(lines, "CloudFront", "HTTPS requests") * 1e4;
    double lcu = line_sum(lines, "ALB", "LCU-hours");
    double gw_hours = line_sum(lines, "NAT gateway", "gateways"),
           nat_gb = line_sum(lines, "NAT gateway", "data processed");
    if (cf_gb > 0 || cf_req > 0 || lcu > 0 || gw_hours > 0)
        OUT("resource_type_default_usage:\n");
    if (cf_gb > 0 || cf_req > 0)
        OUT("  aws_cloudfront_distribution:\n"
            "    united_states_data_transfer_internet_gb: %.10g # GB out to viewers a month\n"
            "    united_states_https_requests: %.0f # HTTPS requests a month\n",
            cf_gb, cf_req);
    if (lcu > 0)
        OUT("  aws_lb:\n"
            "    processed_bytes_gb: %.10g # the simulated LCUs an hour, as GB an hour (1 LCU)\n",
            lcu / hours);
    if (gw_hours > 0)
        OUT("  aws_nat_gateway:\n"
            "    monthly_data_processed_gb: %.10g # each of the %.0f gateways' share\n",
            nat_gb / (gw_hours / hours), gw_hours / hours);
#undef OUT
    return len;
}

int app_write_infracost(const json_t *doc, const char *dir, base_err *err)
{
    char text[4096], path[4200];
    size_t len = app_infracost_usage(doc, text, sizeof text);
    if (len == 0)
        return BASE_OK; /* nothing priced, nothing to say */
    snprintf(path, sizeof path, "%s/infracost-usage.yml", dir);
    return base_write_file_atomic(path, text, len, err);
}
