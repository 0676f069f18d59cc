/*
 * test_infracost.c — infracost-usage.yml (src/app/infracost.c): every key is one Infracost
 * defines for its resource type (github.com/infracost/infracost, internal/resources/aws/:
 * cloudfront_distribution.go, lb.go, nat_gateway.go, rds_cluster.go — the `infracost_usage`
 * tags), the Aurora cluster is keyed by the address `simulate emit` writes, and every value
 * equals the simulated figure the report's cost lines hold.
 *
 * Why: Infracost ignores a key it does not know without a word, so a misspelt key would price
 * the month at zero usage while looking right.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"

/* A report's cost lines as the cost model writes them (report.json `cost`): the black-friday
 * shape, with quantities chosen so that each derived value is exact. */
static json_t *report(int aurora)
{
    json_t *lines = json_array();
    static const struct {
        const char *component, *item, *unit;
        double quantity;
    } rows[] = {
        {"EKS", "cluster control plane (standard support)", "hours", 730},
        {"ALB", "load balancer", "hours", 730},
        {"ALB", "LCU-hours", "LCU-hours", 7300},
        {"CloudFront", "data transfer out (US, Mexico, Canada), always-free tier (1 TB a month)",
         "GB", 1024},
        {"CloudFront", "data transfer out (US, Mexico, Canada), first 10 TB", "GB", 976},
        {"CloudFront", "HTTPS requests, always-free tier (10M requests a month)", "10k requests",
         1000},
        {"CloudFront", "HTTPS requests", "10k requests", 4000},
        {"NAT gateway", "gateways (3, one per AZ)", "hours", 2190},
        {"NAT gateway", "data processed", "GB", 300},
        {"Aurora", "Serverless v2 ACUs (Aurora Standard)", "ACU-hours", 5000},
        {"Aurora", "storage (Aurora Standard)", "GB-months", 100},
        {"Aurora", "I/O requests", "1M requests", 2628}, /* 1,000 a second over 730 h */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!aurora && strcmp(rows[i].component, "Aurora") == 0)
            continue;
        json_array_append_new(lines, json_pack("{s:s, s:s, s:f, s:s}", "component",
                                               rows[i].component, "item", rows[i].item, "quantity",
                                               rows[i].quantity, "unit", rows[i].unit));
    }
    return json_pack("{s:{s:s}, s:{s:f, s:o}}", "scenario", "name", "t", "cost", "month_hours",
                     730.0, "lines", lines);
}

/* The usage keys Infracost reads, by resource type (the `infracost_usage:"..."` tags of the
 * files named above). */
static const char *const known[][8] = {
    {"aws_rds_cluster", "storage_gb", "read_requests_per_sec", "write_requests_per_sec",
     "capacity_units_per_hr", "backup_snapshot_size_gb", NULL},
    {"aws_cloudfront_distribution", "united_states_data_transfer_internet_gb",
     "united_states_https_requests", "united_states_http_requests",
     "united_states_data_transfer_origin_gb", NULL},
    {"aws_lb", "new_connections", "active_connections", "processed_bytes_gb", "rule_evaluations",
     NULL},
    {"aws_nat_gateway", "monthly_data_processed_gb", NULL},
};

static int is_known(const char *type, const char *key)
{
    for (size_t t = 0; t < sizeof known / sizeof known[0]; t++)
        if (strcmp(known[t][0], type) == 0)
            for (size_t k = 1; known[t][k]; k++)
                if (strcmp(known[t][k], key) == 0)
                    return 1;
    return 0;
}

/* Reads the usage file's "type[.name]: / key: value" lines into a check: every key known,
 * and the value of `want_key` under `want_type` returned (NaN when absent). */
static double value_of(const char *text, const char *want_type, const char *want_key)
{
    char type[128] = "";
    double found = NAN;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        if (strncmp(line, "    ", 4) == 0) {
            char key[128];
            double v;
            cr_assert_eq(sscanf(line, " %127[a-z0-9_]: %lf", key, &v), 2, "%s", line);
            cr_expect(is_known(type, key), "%s is not a usage key Infracost reads for %s", key,
                      type);
            if (strcmp(type, want_type) == 0 && strcmp(key, want_key) == 0)
                found = v;
        } else if (strncmp(line, "  ", 2) == 0) {
            cr_assert_eq(sscanf(line, " %127[a-z0-9_]", type), 1, "%s", line);
        }
        p += n + (e ? 1 : 0);
    }
    return found;
}

Test(infracost, keys_are_infracosts_and_values_the_simulated_ones)
{
    json_t *doc = report(1);
    char text[4096];
    size_t len = app_infracost_usage(doc, text, sizeof text);
    cr_assert_gt(len, 0);
    cr_expect_not_null(strstr(text, "version: 0.1\n"), "%s", text);
    /* the address simulate emit gives the Aurora cluster (src/emit/terraform.c) */
    cr_expect_not_null(strstr(text, "resource_usage:\n  aws_rds_cluster.main:\n"), "%s", text);
    cr_expect_not_null(strstr(text, "resource_type_default_usage:\n"), "%s", text);
    cr_expect_eq(value_of(text, "aws_rds_cluster", "storage_gb"), 100);
    cr_expect_eq(value_of(text, "aws_rds_cluster", "read_requests_per_sec"), 1000);
    cr_expect_eq(value_of(text, "aws_rds_cluster", "write_requests_per_sec"), 0);
    /* CloudFront: the free tier's quantities count, as the viewers' bytes and requests */
    cr_expect_eq(
        value_of(text, "aws_cloudfront_distribution", "united_states_data_transfer_internet_gb"),
        2000);
    cr_expect_eq(value_of(text, "aws_cloudfront_distribution", "united_states_https_requests"),
                 5e7);
    cr_expect_eq(value_of(text, "aws_lb", "processed_bytes_gb"), 10); /* 7,300 LCU-h / 730 h */
    cr_expect_eq(value_of(text, "aws_nat_gateway", "monthly_data_processed_gb"), 100); /* / 3 */
    json_decref(doc);
}

Test(infracost, rds_has_no_cluster_and_no_prices_no_file)
{
    json_t *doc = report(0);
    char text[4096];
    cr_assert_gt(app_infracost_usage(doc, text, sizeof text), 0);
    cr_expect_null(strstr(text, "aws_rds_cluster"), "%s", text);
    cr_expect_eq(value_of(text, "aws_lb", "processed_bytes_gb"), 10);
    json_decref(doc);
    json_t *bare = json_pack("{s:{s:s}}", "scenario", "name", "t"); /* no pricing file */
    cr_expect_eq(app_infracost_usage(bare, text, sizeof text), 0);
    json_decref(bare);
}
