/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one logging module: errors always, -v info, -vv debug, all to stderr. */
#ifndef SCOPE_LOG_H
#define SCOPE_LOG_H

#include <stdarg.h>

/* Not LOG_ERR/LOG_INFO: <syslog.h> owns those names. */
enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN = 1,
	LOG_LEVEL_INFO = 2,
	LOG_LEVEL_DEBUG = 3,
};

/* LOG_LEVEL_INFO is the default: -q lowers it to warnings, -v raises it to
 * debug (which includes libbpf\'s info and debug messages). */
void log__set_level(enum log_level level);
/* A command's default @base raised by -v and lowered by -q (@delta), kept
 * between warnings (errors and warnings always show) and debug. */
void log__set_verbosity(enum log_level base, int delta);
void log__vmsg(enum log_level level, const char *fmt, va_list ap);
void log__msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A status line kept on stderr's last line (the agent's, while it runs:
 * agent/status.c): drawn now, erased before each message and drawn again
 * after it, so the two never share a line. NULL erases it for good. The
 * caller decides whether stderr is a terminal; the line is cut to the
 * terminal's width, since a wrapped line cannot be rewritten in place. */
void log__set_status(const char *line);
/* libbpf's messages through the same switch: its warnings as warnings,
 * everything else as debug. */
void log__route_libbpf(void);

#define pr_err(...)   log__msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define pr_warn(...)  log__msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define pr_info(...)  log__msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define pr_debug(...) log__msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif /* SCOPE_LOG_H */
