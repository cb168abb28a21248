// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The tables as one JSON document: {"tables": {NAME: {"columns": [{"name",
 * "unit"}], "rows": [{column: value}]}}}, the CSV's column names as keys,
 * numbers as numbers. */
#include <errno.h>

#include "common/json.h"
#include "export/tables.h"

/* Bumped when a key changes meaning or goes; new tables and keys keep it. */
#define EXPORT_JSON_VERSION 1

struct json_sink {
	struct table_sink s; /* first: the sink's callbacks get it */
	struct json j;
};

/* The key of the next cell, and the row's "{" before its first. */
static struct json *json__cell(struct table_sink *s)
{
	struct json_sink *js = (struct json_sink *)s;

	if (!s->col)
		json__begin_object(&js->j);
	json__key(&js->j, s->col < s->ncols ? s->cols[s->col].name : "?");
	s->col++;
	return &js->j;
}

static void json__cell_u64(struct table_sink *s, uint64_t v)
{
	json__u64(json__cell(s), v);
}

static void json__cell_i64(struct table_sink *s, int64_t v)
{
	json__i64(json__cell(s), v);
}

static void json__cell_str(struct table_sink *s, const char *v)
{
	json__string(json__cell(s), v);
}

static void json__cell_dbl(struct table_sink *s, double v)
{
	json__double(json__cell(s), v);
}

static void json__row(struct table_sink *s)
{
	json__end_object(&((struct json_sink *)s)->j);
	s->col = 0;
}

static int json__table_begin(struct table_sink *s, const char *table,
			     const struct table_col *cols, size_t n)
{
	struct json *j = &((struct json_sink *)s)->j;

	json__key(j, table);
	json__begin_object(j);
	json__key(j, "columns");
	json__begin_array(j);
	for (size_t i = 0; i < n; i++) {
		json__begin_object(j);
		json__kv_string(j, "name", cols[i].name);
		json__kv_string(j, "unit", cols[i].unit);
		json__end_object(j);
	}
	json__end_array(j);
	json__key(j, "rows");
	json__begin_array(j);
	s->cols = cols;
	s->ncols = n;
	s->col = 0;
	return 0;
}

static int json__table_end(struct table_sink *s)
{
	struct json *j = &((struct json_sink *)s)->j;

	json__end_array(j);
	json__end_object(j);
	return ferror(j->out) ? -EIO : 0;
}

int export__json(const struct profile *p, FILE *out,
		 const struct export_opts *o)
{
	struct json_sink js = {
		.s = { .begin = json__table_begin,
		       .u64 = json__cell_u64,
		       .i64 = json__cell_i64,
		       .str = json__cell_str,
		       .dbl = json__cell_dbl,
		       .row = json__row,
		       .end = json__table_end },
	};
	int err;

	json__init(&js.j, out);
	json__begin_object(&js.j);
	json__kv_string(&js.j, "schema", "scope-bpf-export");
	json__kv_u64(&js.j, "version", EXPORT_JSON_VERSION);
	json__key(&js.j, "tables");
	json__begin_object(&js.j);
	err = tables__write(p, o->trace, &js.s);
	json__end_object(&js.j);
	json__end_object(&js.j);
	if (!err)
		err = json__end(&js.j);
	return !err && ferror(out) ? -EIO : err;
}
