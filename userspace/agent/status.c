// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The status line's pace and wording (agent/status.h). Short on purpose: a
 * line wider than the terminal wraps and can no longer be rewritten in
 * place (common/log.c cuts it at the terminal's width). */
#include <stdio.h>
#include <unistd.h>

#include "agent/status.h"
#include "common/log.h"

void status__start(struct status *st, bool on,
		   const struct status_sample *start)
{
	st->on = on;
	st->start = *start;
	st->prev = *start;
}

bool status__due(const struct status *st, uint64_t now_ns)
{
	return st->on && now_ns >= st->prev.ns + STATUS_PERIOD_NS;
}

/* 987, 12.3k, 4.56M, 7.89G: three figures are what a glance takes in. */
static void fmt_count(char *buf, size_t size, double v)
{
	static const char unit[] = " kMGTP";
	int u = 0;

	while (v >= 999.5 && u < (int)sizeof(unit) - 2) {
		v /= 1000;
		u++;
	}
	if (!u)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.*f%c",
			 v < 9.995 ? 2 :
			 v < 99.95 ? 1 :
				     0,
			 v, unit[u]);
}

static void fmt_elapsed(char *buf, size_t size, uint64_t ns)
{
	uint64_t s = ns / 1000000000ull;

	if (s < 60)
		snprintf(buf, size, "%.1fs", ns / 1e9);
	else if (s < 3600)
		snprintf(buf, size, "%um%02us", (unsigned)(s / 60),
			 (unsigned)(s % 60));
	else
		snprintf(buf, size, "%uh%02um%02us", (unsigned)(s / 3600),
			 (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

void status__format(char *buf, size_t size, const struct status_sample *start,
		    const struct status_sample *prev,
		    const struct status_sample *cur)
{
	char elapsed[32], rate[16], total[16], lost[16];
	uint64_t dt = cur->ns > prev->ns ? cur->ns - prev->ns : 0;
	uint64_t dn =
		cur->regions > prev->regions ? cur->regions - prev->regions : 0;
	uint64_t n = cur->regions > start->regions ?
			     cur->regions - start->regions :
			     0;

	fmt_elapsed(elapsed, sizeof(elapsed), cur->ns - start->ns);
	fmt_count(rate, sizeof(rate), dt ? dn * 1e9 / dt : 0);
	fmt_count(total, sizeof(total), n);
	fmt_count(lost, sizeof(lost), cur->lost);
	snprintf(
		buf, size,
		"scope-bpf: %s  %s regions/s  %s regions  %s lost  mem %.1f MiB",
		elapsed, rate, total, lost, cur->mem_bytes / 1048576.0);
}

void status__show(struct status *st, const struct status_sample *cur)
{
	char line[128];

	if (!st->on)
		return;
	status__format(line, sizeof(line), &st->start, &st->prev, cur);
	log__set_status(line);
	st->prev = *cur;
}

void status__end(struct status *st)
{
	if (st->on)
		log__set_status(NULL);
	st->on = false;
}

uint64_t status__rss_bytes(void)
{
	unsigned long long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%llu %llu", &size, &resident);
	fclose(f);
	return n == 2 ? resident * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}
