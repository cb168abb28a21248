/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* NULL-terminated string vectors (a command and its arguments). */
#ifndef SCOPE_STRV_H
#define SCOPE_STRV_H

/* The first @n strings of @v (all of them, up to the NULL, when @n < 0)
 * joined by single spaces, allocated; NULL with errno set. */
char *strv__join(char *const *v, int n);

#endif /* SCOPE_STRV_H */
