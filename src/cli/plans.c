/*
 * plans.c — the plans of a results store as `simulate history` lists them (after the runs) and
 * `simulate show PN` prints one: the winner with its figures, the confirmation, what the search
 * did, the runners-up and the Pareto frontier, read back from the plan.json kept with it.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static int print_plan_entry(void *ctx, const store_plan_entry *e)
{
    int *first = ctx;
    if (*first) {
        printf("\n%5s  %-20s  %-24s  %-12s  %-8s  %-22s  %8s  %-14s  %s\n", "plan", "started (UTC)",
               "scenario", "sha256", "engine", "simulated / space (reps)", "wall", "USD/month",
               "winner");
        *first = 0;
    }
    char id[24], search[48], wall[24], cost[48], c[24], ch[24];
    snprintf(id, sizeof id, "P%lld", (long long)e->id);
    snprintf(search, sizeof search, "%.0f / %.0f (%.0f)", e->simulated, e->space, e->replications);
    if (isnan(e->wall_s))
        snprintf(wall, sizeof wall, "-");
    else
        snprintf(wall, sizeof wall, "%.1f s", e->wall_s);
    if (isnan(e->cost))
        snprintf(cost, sizeof cost, "-");
    else if (isnan(e->cost_half))
        snprintf(cost, sizeof cost, "%s", cli_grouped(c, sizeof c, e->cost, 0));
    else
        snprintf(cost, sizeof cost, "%s ± %s", cli_grouped(c, sizeof c, e->cost, 0),
                 cli_grouped(ch, sizeof ch, e->cost_half, 0));
    printf("%5s  %-20s  %-24.24s  %-12.12s  %-8s  %-24s  %8s  %-14s  %s\n", id, e->started, e->name,
           e->hash, e->engine, search, wall, cost, e->winner[0] ? e->winner : "nothing feasible");
    return 0;
}

int cli_history_plans(store *st, int limit, base_err *err)
{
    int first = 1;
    return store_plans(st, limit, print_plan_entry, &first, err);
}

static void print_ci(const char *label, const json_t *fig, const char *unit)
{
    double m = json_real_value(json_object_get(fig, "mean"));
    json_t *h = json_object_get(fig, "ci95_half_width");
    if (!fig)
        return;
    char v[40], hv[40];
    cli_figure_text(v, sizeof v, m, unit);
    if (json_is_number(h)) {
        cli_figure_text(hv, sizeof hv, json_number_value(h), unit);
        printf("    %-32s %14s %-6s ± %s\n", label, v, unit, hv);
    } else {
        printf("    %-32s %14s %s\n", label, v, unit);
    }
}

static void print_configuration(const json_t *cfg, const char *indent)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)cfg, k, v)
        printf("%s%-34s %s\n", indent, k, json_string_value(v));
}

/* The figures of plan.json's winner (json.c): monthly cost, p99, errors, RTO. */
static void print_figures(const json_t *figs)
{
    print_ci("monthly cost", json_object_get(figs, "monthly_cost"), "USD");
    print_ci("API latency p99", json_object_get(figs, "api_latency_p99"), "ms");
    print_ci("errors", json_object_get(figs, "error_rate"), "%");
    print_ci("RTO (first failure)", json_object_get(figs, "rto"), "s");
}

int cli_show_plan(store *st, int64_t id, base_err *err)
{
    store_plan_entry e;
    json_t *doc;
    int rc = store_plan_doc(st, id, &e, &doc, err);
    if (rc != BASE_OK)
        return rc;
    printf("plan P%lld · %s · %s engine · seed %s · started %s", (long long)id, e.name, e.engine,
           e.seed, e.started);
    if (!isnan(e.wall_s))
        printf(" in %.1f s", e.wall_s);
    printf("\nscenario %s · sha256 %s\n",
           json_string_value(json_object_get(doc, "scenario"))
               ? json_string_value(json_object_get(doc, "scenario"))
               : "?",
           e.hash);
    printf("minimised: %s · feasible = every objective met at %.0f%% confidence\n",
           json_string_value(json_object_get(doc, "minimise")),
           100 * json_number_value(json_object_get(doc, "confidence")));
    const json_t *s = json_object_get(doc, "search");
    printf("search: %lld configurations; %lld pruned by the queueing bounds, %lld skipped by "
           "bisection, %lld simulated, %lld replications\n",
           (long long)json_integer_value(json_object_get(s, "space")),
           (long long)json_integer_value(json_object_get(s, "pruned")),
           (long long)json_integer_value(json_object_get(s, "skipped_by_bisection")),
           (long long)json_integer_value(json_object_get(s, "simulated")),
           (long long)json_integer_value(json_object_get(s, "replications")));
    const json_t *w = json_object_get(doc, "winner");
    if (!json_is_object(w)) {
        printf("\nno configuration in the space is feasible\n");
    } else {
        printf("\ncheapest feasible configuration (%lld replications):\n",
               (long long)json_integer_value(json_object_get(w, "replications")));
        print_configuration(json_object_get(w, "configuration"), "    ");
        print_figures(json_object_get(w, "figures"));
        const json_t *c = json_object_get(w, "confirmation");
        printf("  confirmed with fresh random numbers (seed %s, %lld replications): %s\n",
               json_string_value(json_object_get(c, "seed")),
               (long long)json_integer_value(json_object_get(c, "replications")),
               json_is_true(json_object_get(c, "confirmed")) ? "yes"
                                                             : "NO — an objective's mean missed");
    }
    const json_t *ru = json_object_get(doc, "runners_up");
    if (json_array_size(ru))
        printf("\nrunners-up (%zu):\n", json_array_size(ru));
    size_t i;
    json_t *x;
    json_array_foreach(ru, i, x)
    {
        const json_t *f = json_object_get(json_object_get(x, "figures"), "monthly_cost");
        char v[40] = "-";
        if (f)
            cli_figure_text(v, sizeof v, json_real_value(json_object_get(f, "mean")), "USD");
        printf("    %14s USD  %-10s", v, json_string_value(json_object_get(x, "status")));
        const char *k;
        json_t *kv;
        int first = 1;
        json_object_foreach(json_object_get(x, "configuration"), k, kv)
        {
            printf("%s%s=%s", first ? " " : ", ", k, json_string_value(kv));
            first = 0;
        }
        const json_t *m = json_object_get(x, "missed");
        size_t j;
        json_t *y;
        json_array_foreach(m, j, y)
        {
            printf("; %s %s by %.4g %s", json_string_value(json_object_get(y, "status")),
                   json_string_value(json_object_get(y, "objective")),
                   json_number_value(json_object_get(y, "by")),
                   json_string_value(json_object_get(y, "unit")));
        }
        putchar('\n');
    }
    const json_t *par = json_object_get(doc, "pareto");
    printf("\nPareto frontier: %zu configurations of cost against p99, %zu against RTO (plan.json "
           "'pareto')\n",
           json_array_size(json_object_get(par, "cost_vs_p99")),
           json_array_size(json_object_get(par, "cost_vs_rto")));
    json_decref(doc);
    return BASE_OK;
}
