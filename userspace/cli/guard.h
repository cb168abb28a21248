/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading profile files in a child bounded in memory and CPU time, for the
 * commands that read them (report, export): libhdf5 trusts what a damaged
 * file says. */
#ifndef SCOPE_CLI_GUARD_H
#define SCOPE_CLI_GUARD_H

#include <stddef.h>
#include <stdio.h>

/* Calls @render(@ctx, out) in a child capped by the sizes of @files (NULL
 * entries skipped; the render reads them), out a stream into memory; when
 * it returns EXIT_OK, copies what it wrote to @out_fd. The exit status:
 * the render's, EXIT_FAIL for a file that is no regular file or a child
 * the library crashed (said on stderr), or 128 + a signal that killed it.
 * Where no child can be had, @render runs here, writing to @out_fd. */
int guard__run(const char *const *files, size_t nfiles,
	       int (*render)(void *ctx, FILE *out), void *ctx, int out_fd);
/* The same child, writing straight to @out_fd as it renders: for outputs
 * that grow with a trace, which would otherwise wait whole in memory.
 * What a failed child wrote stays there (callers writing a file write a
 * temporary one); the exit status as guard__run's. */
int guard__stream(const char *const *files, size_t nfiles,
		  int (*render)(void *ctx, FILE *out), void *ctx, int out_fd);

#endif /* SCOPE_CLI_GUARD_H */
