// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Profiles for report and export. An unfinished trace's statistics come
 * from its intervals, read in chunks (memory bounded by the regions and
 * threads, not the trace's length), folded by aggregate/trace_stats.c,
 * the regions named by /trace/regions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/trace_stats.h"
#include "common/log.h"
#include "cli/profile_load.h"
#include "hdf5/profile_file.h"
#include "hdf5/trace_file.h"

#define CHUNK 4096

struct fill {
	struct trace_interval buf[CHUNK];
	uint64_t n, first_ns, last_ns;
	uint32_t max_region;
	struct trace_stats *ts;
};

static void fill__span(struct fill *f, const struct trace_interval *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!f->first_ns || v[i].start_ns < f->first_ns)
			f->first_ns = v[i].start_ns;
		if (v[i].end_ns > f->last_ns)
			f->last_ns = v[i].end_ns;
		if (v[i].region > f->max_region)
			f->max_region = v[i].region;
	}
	f->n += n;
}

static int fill__batch(void *ctx, struct trace_interval *v, size_t n)
{
	struct fill *f = ctx;

	fill__span(f, v, n);
	return trace_stats__add(f->ts, v, n);
}

static int fill__read(struct fill *f, struct trace_reader *r,
		      struct trace_stats *ts)
{
	f->ts = ts;
	return trace_reader__each(r, f->buf, CHUNK, fill__batch, f);
}

/* Ids are indexes: every id up to the largest seen gets a row, named
 * from /trace/regions, or "region#ID" for one added after the trace
 * began (a library loaded later). */
static int fill__regions(struct profile *p, struct trace_reader *r,
			 uint32_t max_region, bool any)
{
	char **names = NULL, anon[32];
	size_t n = 0, want;
	int err = trace_reader__region_names(r, &names, &n);

	if (err)
		n = 0;
	want = any && max_region >= n ? (size_t)max_region + 1 : n;
	err = want > TRACE_MAX_REGION_NAMES ? -E2BIG : 0;
	for (size_t id = 0; !err && id < want; id++) {
		const char *name = id < n ? names[id] : NULL;

		if (!name) {
			snprintf(anon, sizeof(anon), "region#%zu", id);
			name = anon;
		}
		err = region_table__intern(&p->regions, name, "", 0, 1);
		if (err >= 0)
			err = (size_t)err == id ? 0 : -EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

static void fill__meta(struct profile_meta *m, const struct fill *f)
{
	m->unfinished = true;
	m->trace_intervals = f->n;
	m->records = f->n;
	if (!m->start_ns)
		m->start_ns = f->first_ns;
	m->end_ns = f->last_ns > m->start_ns ? f->last_ns : m->start_ns;
}

static int trace_fill(struct profile *p, const char *path)
{
	struct trace_reader *r = trace_reader__open(path);
	struct trace_stats *ts = trace_stats__new();
	struct fill *f = calloc(1, sizeof(*f));
	int err = r && ts && f ? 0 : -errno ?: -ENOMEM;

	if (!err)
		err = fill__read(f, r, ts);
	if (!err)
		err = fill__regions(p, r, f->max_region, f->n > 0);
	if (!err)
		err = trace_stats__profile(ts, p);
	if (!err) {
		fill__meta(&p->meta, f);
		pr_warn("%s: an unfinished trace (its agent still runs, or was killed): statistics rebuilt from the %llu intervals flushed so far; regions still open are not in them\n",
			path, (unsigned long long)f->n);
	} else if (r) {
		pr_err("%s: cannot rebuild statistics from the trace: %s\n",
		       path, strerror(-err));
	}
	free(f);
	trace_stats__free(ts);
	trace_reader__free(r);
	return err;
}

int profile_load(struct profile *p, const char *path)
{
	int err = profile_file__read(p, path);

	if (err || !p->meta.unfinished)
		return err;
	err = trace_fill(p, path);
	if (err)
		profile__free(p);
	return err;
}
