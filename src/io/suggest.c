/*
 * suggest.c — "did you mean": the candidate closest to a misspelt word.
 *
 * Why: an unknown key or value in a scenario is almost always a typo (`replicsa`, `cpus`),
 * and naming the intended word turns a puzzle into a one-second fix. Distance is Levenshtein
 * (insertions, deletions, substitutions, each 1) over bytes, case-sensitive; a candidate
 * counts when its distance is at most max(2, strlen(word)/3), ties go to the earliest
 * candidate, and an exact match (distance 0) wins. Candidates whose length alone puts them
 * out of reach are skipped without computing anything. Out of memory simply means no
 * suggestion: a hint must never be why the program fails.
 */
#include "io/io.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Levenshtein distance of a and b, using `row` (strlen(b) + 1 entries) as scratch; gives up
 * and returns limit + 1 as soon as every entry of a row exceeds `limit`. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb, size_t *row,
                       size_t limit)
{
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0]; /* the entry above-left */
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = diag + cost;
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

const char *scn_suggest(const char *word, const char *const *candidates, size_t n)
{
    if (!word || !candidates)
        return NULL;
    size_t lw = strlen(word);
    size_t limit = lw / 3 > 2 ? lw / 3 : 2;
    size_t maxlen = 0;
    for (size_t i = 0; i < n; i++)
        if (candidates[i] && strlen(candidates[i]) > maxlen)
            maxlen = strlen(candidates[i]);
    if (maxlen == SIZE_MAX)
        return NULL;
    size_t *row = malloc((maxlen + 1) * sizeof *row);
    if (!row)
        return NULL;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        if (!c)
            continue;
        size_t lc = strlen(c);
        size_t gap = lc > lw ? lc - lw : lw - lc;
        if (gap >= best_d)
            continue;
        size_t d = distance(word, lw, c, lc, row, best_d - 1);
        if (d < best_d) {
            best_d = d;
            best = c;
            if (d == 0)
                break;
        }
    }
    free(row);
    return best;
}
