/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The step that failed, kept for the one error line a module prints when
 * its whole job fails (a file write or read), not one line per step. */
#ifndef SCOPE_ERRMSG_H
#define SCOPE_ERRMSG_H

struct errmsg {
	char msg[192];
};

/* Formats into @e and returns @err, so that `return errmsg__set(...)`
 * both says and fails. */
int errmsg__set(struct errmsg *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* SCOPE_ERRMSG_H */
