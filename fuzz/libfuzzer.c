/*
 * libfuzzer.c — one libFuzzer target: FUZZ_TARGET (a compile definition, e.g. "scenario")
 * names the entry of entries.h it drives. Built by CMake when SIMULATE_FUZZ is on (clang's
 * -fsanitize=fuzzer); run by tools/fuzz.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "entries.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fuzz_entry entry;
    if (!entry) {
        entry = fuzz_entry_named(FUZZ_TARGET);
        if (!entry)
            abort(); /* a build mistake: CMake names only targets entries.c has */
    }
    return entry(data, size);
}
