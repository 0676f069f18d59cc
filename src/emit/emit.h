/*
 * emit.h — the deployment configuration of what a scenario simulated, written out (issue 15):
 * the Kubernetes v1.30 objects of the API (Deployment, Service, Ingress for the AWS Load
 * Balancer Controller, HorizontalPodAutoscaler, PodDisruptionBudget, ServiceAccount,
 * NetworkPolicy, PgBouncer's ConfigMap), the Karpenter v1 NodePools and EC2NodeClass, and
 * pgbouncer.ini, and the AWS resources as Terraform JSON (terraform.c) — built from the typed
 * scenario (and a run's peaks when there is one), checked three ways (schemas, policy, consistency
 * with the simulation), and written as YAML (Terraform as JSON). The only header of src/emit/;
 * every public name is emit_*. docs/emit.md gives every emitted field's origin.
 *
 * Nothing here prints: checks return findings (one line each) and errors are values.
 */
#ifndef SIMULATE_EMIT_H
#define SIMULATE_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/base.h"
#include "engine/engine.h"
#include "model/model.h"

/* Headroom the checks ask of a run's peaks (stated in README.md of the emitted folder): a
 * NodePool's CPU limit is the simulated peak's vCPUs times EMIT_NODE_HEADROOM (rounded up),
 * and the HPA's maxReplicas must be at least the simulated peak pods times EMIT_HPA_HEADROOM.
 * Choices of this program, not published figures: 50% more nodes than the busiest moment lets
 * Karpenter launch replacements during a Spot drain at the peak; 10% more pods than the peak
 * says the HPA was not the run's ceiling. */
#define EMIT_NODE_HEADROOM 1.5
/* On a NodePool whose limits.cpu emit derived from the run (no karpenter.nodepools[].limits.cpu):
 * the value it wrote, so that import tells it from a limit of the team's own */
#define EMIT_ANN_DERIVED_CPU "simulate.innovate.example/limits-cpu-from-peak"
#define EMIT_HPA_HEADROOM    1.1

/* An objective of the scenario as the run judged it, for README.md. */
typedef struct emit_objective {
    const char *text; /* as written: "p(99)<500" */
    int known, met;
    double measured; /* mean across replications, the objective's unit */
    double limit;    /* its threshold, same unit */
} emit_objective;

/* What the objects are made from. */
typedef struct emit_input {
    const mdl_scenario *s;  /* required */
    const eng_summary *sum; /* a run of it (peaks, monthly cost); NULL: none */
    char sha256[65];        /* SHA-256 of the scenario's text (as the results store keeps) */
    int64_t run_id;         /* in the results store; 0: not stored */
    const char *scenario;   /* the scenario's path (carry.c reads it again); may be NULL */
    const char *shown;      /* the scenario as README.md names it; NULL: scenario */
    emit_objective objectives[MDL_MAX_OBJECTIVES];
    size_t nobjectives;
} emit_input;

#define EMIT_MAX_OBJECTS 64 /* a second region doubles the manifests */

/* One emitted object and where it goes. */
typedef struct emit_object {
    char file[64];   /* relative to the output folder: "kubernetes/deployment.yaml"; a file
                      * ending in .tf.json is written as JSON, the others as YAML */
    char schema[64]; /* the schema's file name (schemas/), "" when none */
    json_t *obj;     /* owned */
} emit_object;

typedef struct emit_set {
    emit_object o[EMIT_MAX_OBJECTS];
    size_t n;
    char *pgbouncer_ini; /* owned; NULL when the scenario has no PgBouncer */
} emit_set;

/* Builds every object. BASE_ENOMEM, or BASE_EINPUT when the scenario cannot be emitted (no
 * API, say), or the error of reading in->scenario again (the carried copy, carry.c). On
 * failure *out holds nothing. */
int emit_build(const emit_input *in, emit_set *out, base_err *err);
void emit_set_clear(emit_set *set);

/* The ConfigMap that carries the scenario beside the manifests (carry.c), and its data key:
 * what `simulate import` needs and no manifest says (the load, failures, objectives...). */
#define EMIT_CARRY_NAME "simulate-scenario"
#define EMIT_CARRY_KEY  "scenario.yaml"

/* A YAML scalar as the carried copy and `simulate import` read it: plain true/false a boolean,
 * plain ~, null or nothing a null, a plain whole number without sign or leading zero an
 * integer, anything else a string (units stay text: "250m", "70%"). */
json_t *emit_scalar_json(const char *text, int plain);

/* The scenario at path (its extends chain merged, `extends` gone) as a JSON tree of those
 * scalars, in file order. BASE_OK, or the loader's error. */
int emit_scenario_json(const char *path, json_t **out, base_err *err);
/* The same from scenario text in memory (the carried copy; no extends followed); name is the
 * file errors name. */
int emit_scenario_text_json(const char *name, const char *text, size_t len, json_t **out,
                            base_err *err);

/* The object of this kind and name ("Deployment", "flask-api"; name NULL: the first), or NULL. */
json_t *emit_find(const emit_set *set, const char *kind, const char *name);

/* The AWS Budgets limit terraform/budget.tf.json sets: the upper end of the run's monthly cost's
 * 95% interval, rounded up to whole USD; -1 without a run (no budget is emitted then). */
double emit_budget_limit(const eng_summary *sum);

/* pgbouncer.ini of the scenario's PgBouncer (allocated; NULL when out of memory). */
char *emit_pgbouncer_ini(const mdl_scenario *s);

/* Findings of the checks: one line each, "OBJECT: FIELD PATH: why". */
typedef struct emit_findings {
    char (*line)[512];
    size_t n, cap;
} emit_findings;

void emit_findings_free(emit_findings *f);

/* (a) Every object against its JSON Schema in folder schema_dir with the project's validator
 * (src/validate). A finding per invalid object; BASE_OK unless a schema cannot be loaded or
 * memory runs out (err says which). */
int emit_check_schemas(const emit_set *set, const char *schema_dir, emit_findings *out,
                       base_err *err);

/* (b) Policy (kube-score-like): probes, requests and limits, PDB, zone spread, the security
 * posture, secrets by reference. BASE_OK or BASE_ENOMEM. */
int emit_check_policy(const emit_set *set, emit_findings *out);

/* (c) Consistency with the simulation: HPA max against the peak pods, connections against
 * max_connections, NodePool limits against the peak nodes, the PDB against the disruptions
 * the run played. */
int emit_check_consistency(const emit_input *in, const emit_set *set, emit_findings *out);

/* One object as a YAML document (libyaml's emitter; keys in the object's order). Allocated;
 * NULL when out of memory. */
char *emit_yaml(const json_t *obj);

/* Writes the objects, pgbouncer.ini and README.md into dir (created). README.md lists the
 * checks' findings (NULL or none: every check passed). */
int emit_write(const emit_input *in, const emit_set *set, const emit_findings *findings,
               const char *dir, base_err *err);

#endif
