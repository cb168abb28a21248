// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Messages to stderr, prefixed with the tool name; stdout stays for data. */
#include <stdio.h>

#include <bpf/libbpf.h>

#include "common/log.h"

static enum log_level current = LOG_LEVEL_INFO;

void log__set_level(enum log_level level)
{
	current = level;
}

void log__set_verbosity(enum log_level base, int delta)
{
	int level = (int)base + delta;

	current = level < LOG_LEVEL_WARN  ? LOG_LEVEL_WARN :
		  level > LOG_LEVEL_DEBUG ? LOG_LEVEL_DEBUG :
					    (enum log_level)level;
}

void log__vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "error: ", "warning: ", "",
					   "debug: " };

	if (level > current)
		return;
	fprintf(stderr, "scope-bpf: %s", tag[level]);
	vfprintf(stderr, fmt, ap);
}

void log__msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log__vmsg(level, fmt, ap);
	va_end(ap);
}

/* libbpf's warnings are ours: a failed load says why only there (the
 * verifier's log included), so they show at the default level and under
 * -q. Its info and debug lines (every ELF section, every relocation) wait
 * for -v. */
static int log__libbpf_print(enum libbpf_print_level level, const char *fmt,
			     va_list ap)
{
	log__vmsg(level == LIBBPF_WARN ? LOG_LEVEL_WARN : LOG_LEVEL_DEBUG, fmt,
		  ap);
	return 0;
}

void log__route_libbpf(void)
{
	libbpf_set_print(log__libbpf_print);
}
