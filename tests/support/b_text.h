/*
 * b_text.h — what a test reads in a text it was given (a page of a pack, a file written): each
 * of a list of phrases is there, every one reported when missing.
 *
 * Included after <criterion/criterion.h> and <string.h>.
 */
#ifndef SIMULATE_TESTS_SUPPORT_B_TEXT_H
#define SIMULATE_TESTS_SUPPORT_B_TEXT_H

/* Each of the n strings of want is in text; `where` names text in a failure ("page 1"). */
static inline void expect_each_in(const char *text, const char *const *want, size_t n,
                                  const char *where)
{
    for (size_t i = 0; i < n; i++)
        cr_expect_not_null(strstr(text, want[i]), "%s lacks \"%s\":\n%s", where, want[i], text);
}

#endif
