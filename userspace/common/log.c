// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Messages to stderr, prefixed with the tool name; stdout stays for data. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "common/log.h"

/* Back to the line's start, the line, then the rest of the row erased:
 * nothing of a longer line before stays behind. */
#define STATUS_ERASE "\r\033[K"

static enum log_level current = LOG_LEVEL_INFO;
static char status[256]; /* the status line shown, "" for none */

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

/* One write: stderr is unbuffered, and a line drawn in pieces flickers. */
static void draw_status(void)
{
	struct winsize ws;
	int width = sizeof(status) - 1;
	char buf[sizeof(status) + 8];

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1 &&
	    ws.ws_col - 1 < width)
		width = ws.ws_col - 1;
	snprintf(buf, sizeof(buf), "\r%.*s\033[K", width, status);
	fputs(buf, stderr);
}

void log__set_status(const char *line)
{
	if (!line) {
		if (status[0])
			fputs(STATUS_ERASE, stderr);
		status[0] = '\0';
		return;
	}
	snprintf(status, sizeof(status), "%s", line);
	if (status[0])
		draw_status();
}

static bool ends_line(const char *fmt)
{
	size_t n = strlen(fmt);

	return n && fmt[n - 1] == '\n';
}

void log__vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "error: ", "warning: ", "",
					   "debug: " };

	if (level > current)
		return;
	fprintf(stderr, "%sscope-bpf: %s", status[0] ? STATUS_ERASE : "",
		tag[level]);
	vfprintf(stderr, fmt, ap);
	/* messages end their line; one that does not is continued by the
	 * next, so the line waits for the next redraw */
	if (status[0] && ends_line(fmt))
		draw_status();
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
