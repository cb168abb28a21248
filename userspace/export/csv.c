// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The tables as CSV: one file per table in a directory, where each is a
 * plain CSV that any reader takes whole; or one stream, each table after a
 * "# table: NAME" line (pandas: split on them, or read_csv with
 * comment='#' per part), for a pipe. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/csv.h"
#include "common/log.h"
#include "export/tables.h"

struct csv_sink {
	struct table_sink s; /* first: the sink's callbacks get it */
	const char *dir;     /* NULL: all into out */
	FILE *out;	     /* the stream, or the open table's file */
	FILE *stream;
	char *path; /* the open table's file */
};

static void csv__sep(struct table_sink *s)
{
	struct csv_sink *c = (struct csv_sink *)s;

	if (s->col++)
		fputc(',', c->out);
}

static void csv__u64(struct table_sink *s, uint64_t v)
{
	csv__sep(s);
	fprintf(((struct csv_sink *)s)->out, "%llu", (unsigned long long)v);
}

static void csv__i64(struct table_sink *s, int64_t v)
{
	csv__sep(s);
	fprintf(((struct csv_sink *)s)->out, "%lld", (long long)v);
}

static void csv__str(struct table_sink *s, const char *v)
{
	csv__sep(s);
	csv__field(((struct csv_sink *)s)->out, v);
}

static void csv__dbl(struct table_sink *s, double v)
{
	csv__sep(s);
	fprintf(((struct csv_sink *)s)->out, "%.3f", v);
}

static void csv__row(struct table_sink *s)
{
	fputc('\n', ((struct csv_sink *)s)->out);
	s->col = 0;
}

static int csv__begin(struct table_sink *s, const char *table,
		      const struct table_col *cols, size_t n)
{
	struct csv_sink *c = (struct csv_sink *)s;

	if (c->dir) {
		free(c->path);
		if (asprintf(&c->path, "%s/%s.csv", c->dir, table) < 0) {
			c->path = NULL;
			return -ENOMEM;
		}
		/* a file of that name is replaced: unlinked, then
		 * created anew ("x"), so a symlink planted there is
		 * removed, never written through */
		unlink(c->path);
		c->out = fopen(c->path, "wxe");
		if (!c->out) {
			int err = -errno;

			pr_err("%s: %s\n", c->path, strerror(errno));
			return err;
		}
	} else {
		fprintf(c->out, "# table: %s\n", table);
	}
	s->cols = cols;
	s->ncols = n;
	s->col = 0;
	for (size_t i = 0; i < n; i++)
		csv__str(s, cols[i].name);
	csv__row(s);
	return 0;
}

static int csv__end(struct table_sink *s)
{
	struct csv_sink *c = (struct csv_sink *)s;
	int err = 0;

	if (!c->dir)
		return ferror(c->out) ? -EIO : 0;
	if (ferror(c->out) | fclose(c->out)) {
		err = -EIO;
		pr_err("%s: cannot write: %s\n", c->path, strerror(errno));
	}
	c->out = c->stream;
	return err;
}

int export__csv(const struct profile *p, const char *dir, FILE *out,
		const struct export_opts *o)
{
	struct csv_sink c = {
		.s = { .begin = csv__begin,
		       .u64 = csv__u64,
		       .i64 = csv__i64,
		       .str = csv__str,
		       .dbl = csv__dbl,
		       .row = csv__row,
		       .end = csv__end },
		.dir = dir,
		.out = out,
		.stream = out,
	};
	int err;

	if (dir && mkdir(dir, 0777) && errno != EEXIST) {
		err = -errno;
		pr_err("%s: cannot create the directory: %s\n", dir,
		       strerror(errno));
		return err;
	}
	err = tables__write(p, o->trace, &c.s);
	if (err && c.dir && c.out && c.out != c.stream)
		fclose(c.out);
	free(c.path);
	return err;
}
