// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* -o placeholders and temporary names: pure string work, unit-tested. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/path.h"

/* The short host name, with anything a path cannot hold made '_'. */
static int put_host(FILE *f, const char *host)
{
	size_t n = strcspn(host ?: "", ".");

	if (!n)
		return fputs("localhost", f) < 0 ? -EIO : 0;
	for (size_t i = 0; i < n; i++)
		if (fputc(host[i] == '/' ? '_' : host[i], f) == EOF)
			return -EIO;
	return 0;
}

/* Basic ISO 8601 in UTC: sorts by time and has no ':' (forbidden on
 * some file systems that profiles get copied to). */
static int put_time(FILE *f, time_t t)
{
	char buf[32];
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm))
		return -EINVAL;
	return fputs(buf, f) < 0 ? -EIO : 0;
}

static int put_placeholder(FILE *f, char c, const struct output_vars *v)
{
	switch (c) {
	case 'p':
		return fprintf(f, "%d", (int)v->pid) < 0 ? -EIO : 0;
	case 'h':
		return put_host(f, v->host);
	case 't':
		return put_time(f, v->start);
	case '%':
		return fputc('%', f) == EOF ? -EIO : 0;
	}
	return -EINVAL;
}

int output_path__expand(const char *tmpl, const struct output_vars *v,
			char **out, size_t *bad_at)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);
	int err = 0;

	if (!f)
		return -ENOMEM;
	for (const char *p = tmpl; !err && *p; p++) {
		if (*p != '%') {
			err = fputc(*p, f) == EOF ? -EIO : 0;
			continue;
		}
		err = put_placeholder(f, p[1], v);
		if (err == -EINVAL && bad_at)
			*bad_at = p - tmpl;
		p++;
	}
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		free(buf);
		return err == -EIO ? -ENOMEM : err;
	}
	*out = buf;
	return 0;
}

const char *output_path__base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

char *output_path__dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	/* "/x" lives in "/" */
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* "." + NAME + TAG + PID + "." + RANDOM: NAME is cut so that the whole
 * fits in NAME_MAX, or an output name of ~230 bytes and more would fail
 * only when the profile is written, at the end of the run. */
int output_path__temp_name(const char *path, pid_t pid, const char *random,
			   char **out)
{
	const char *base = output_path__base(path);
	int dirlen = (int)(base - path);
	char tail[64];
	int taillen, keep;

	taillen = snprintf(tail, sizeof(tail), "%s%d.%.*s", OUTPUT_TEMP_TAG,
			   (int)pid, OUTPUT_TEMP_RANDOM, random);
	keep = NAME_MAX - 1 - taillen;
	if (asprintf(out, "%.*s.%.*s%s", dirlen, path, keep, base, tail) < 0)
		return -ENOMEM;
	return 0;
}

/* The last tag in @name: NAME may hold the tag itself. */
static const char *find_tag(const char *name)
{
	const char *p = name, *last = NULL;

	while ((p = strstr(p, OUTPUT_TEMP_TAG))) {
		last = p;
		p++;
	}
	return last;
}

pid_t output_path__temp_pid(const char *name)
{
	const char *tag = find_tag(name);
	const char *p, *dot;
	long pid = 0;

	if (name[0] != '.' || !tag || tag == name)
		return 0;
	p = tag + strlen(OUTPUT_TEMP_TAG);
	dot = strchr(p, '.');
	if (!dot || dot == p || strlen(dot + 1) != OUTPUT_TEMP_RANDOM)
		return 0;
	for (; p < dot; p++) {
		if (!isdigit((unsigned char)*p) || pid > INT_MAX / 10)
			return 0;
		pid = pid * 10 + (*p - '0');
	}
	for (p = dot + 1; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return pid > 0 ? (pid_t)pid : 0;
}
