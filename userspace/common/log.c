// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Messages to stderr, prefixed with the tool name; stdout stays for data. */
#include <stdio.h>

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
	static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };

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
