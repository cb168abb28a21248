/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one logging module: errors always, -v info, -vv debug, all to stderr. */
#ifndef SCOPE_LOG_H
#define SCOPE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* LOG_INFO is the default: -q lowers it to LOG_WARN, -v raises it to
 * LOG_DEBUG (which includes libbpf's info and debug messages). */
void log__set_level(enum log_level level);
enum log_level log__level(void);
void log__vmsg(enum log_level level, const char *fmt, va_list ap);
void log__msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* libbpf's messages through the same switch: its warnings as LOG_WARN,
 * everything else as LOG_DEBUG. */
void log__route_libbpf(void);

#define pr_err(...) log__msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) log__msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...) log__msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log__msg(LOG_DEBUG, __VA_ARGS__)

#endif /* SCOPE_LOG_H */
