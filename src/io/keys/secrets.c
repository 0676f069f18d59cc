/*
 * keys/secrets.c — the scenario keys of secrets: AWS Secrets Manager, synced by External Secrets
 * Operator.
 */
#include "io/keys/keys.h"

static const key secrets_keys[] = {
    {.name = "count",
     .bind = scn__bind_int,
     .off = OFF(extras.secrets),
     .def = "3",
     .type = "integer",
     .min = 0,
     .max = 100000,
     .range = ">= 0",
     .doc = "Secrets kept in AWS Secrets Manager.",
     .source = "seed §7: \"Database passwords, API keys, OAuth secrets\" (one each)"},
    {.name = "refresh",
     .bind = scn__bind_duration,
     .off = OFF(extras.secrets_refresh),
     .def = "1h",
     .type = "duration",
     .min = 1e9,
     .max = 1e18,
     .range = ">= 1s",
     .doc = "How often External Secrets Operator reads each secret (one API call).",
     .source = "External Secrets Operator ExternalSecret spec: refreshInterval defaults to 1h0m0s"},
};
const section scn__secrets_section = {"secrets",
                                      "AWS Secrets Manager, synced by External "
                                      "Secrets Operator (seed §7).",
                                      secrets_keys, NKEYS(secrets_keys)};
