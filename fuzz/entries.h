/*
 * entries.h — the fuzz targets' entry points: each takes one input as bytes, feeds it to one of
 * simulate's readers and returns 0 whatever the reader thought of it (a refusal is a fine
 * answer; a crash, a sanitizer report, a hang or a leak is a finding).
 *
 * Shared by the libFuzzer targets (libfuzzer.c, built with clang when SIMULATE_FUZZ is on, run
 * by tools/fuzz) and by tests/test_fuzz.c, which replays the seed corpus and every reproducer
 * in fuzz/crashes/ through the same functions on every ordinary test run, with gcc.
 */
#ifndef SIMULATE_FUZZ_ENTRIES_H
#define SIMULATE_FUZZ_ENTRIES_H

#include <stddef.h>
#include <stdint.h>

/* A scenario's text: parsed (scn_doc_parse: YAML, anchors, limits), bound (scn_bind: every key,
 * unit and relation) and, when it binds, projected (eng_project: events and memory) — what
 * `simulate --check` does before a run, without `extends` (no file system). */
int fuzz_scenario(const uint8_t *data, size_t size);

/* A pricing file's text (models/pricing/REGION.yaml), through scn_load_pricing. */
int fuzz_pricing(const uint8_t *data, size_t size);

/* A report.json or compare.json as `simulate plot` reads it: parsed, told apart, and every
 * chart it names drawn (small SVG, into a scratch folder). */
int fuzz_report(const uint8_t *data, size_t size);

/* A report.json as `simulate check --baseline` reads it (app_baseline_parse). */
int fuzz_baseline(const uint8_t *data, size_t size);

/* One of the above by name ("scenario", "pricing", "report", "baseline"); NULL if none. */
typedef int (*fuzz_entry)(const uint8_t *data, size_t size);
fuzz_entry fuzz_entry_named(const char *name);

#endif
