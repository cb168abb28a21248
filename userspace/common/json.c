// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JSON output without a library: the report writes a few hundred values,
 * and only the escapes and the commas need care. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>

#include "common/json.h"

void json__init(struct json *j, FILE *out)
{
	*j = (struct json){ .out = out };
}

static void json__indent(struct json *j)
{
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Before any value: the comma and the line of an array's item, nothing
 * after a key (its line is started). */
static void json__before_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->depth)
		return;
	if (j->has_items[j->depth - 1])
		fputc(',', j->out);
	j->has_items[j->depth - 1] = true;
	json__indent(j);
}

static void json__open(struct json *j, char c)
{
	json__before_value(j);
	fputc(c, j->out);
	if (j->depth >= JSON_MAX_DEPTH) {
		j->bad = true;
		return;
	}
	j->has_items[j->depth++] = false;
}

static void json__close(struct json *j, char c)
{
	if (!j->depth || j->after_key) {
		j->bad = true;
		return;
	}
	j->depth--;
	if (j->has_items[j->depth])
		json__indent(j);
	fputc(c, j->out);
}

void json__begin_object(struct json *j)
{
	json__open(j, '{');
}

void json__end_object(struct json *j)
{
	json__close(j, '}');
}

void json__begin_array(struct json *j)
{
	json__open(j, '[');
}

void json__end_array(struct json *j)
{
	json__close(j, ']');
}

/* The control characters as \uXXXX (\n and \t shorter), '"' and '\\'
 * escaped; other bytes as they are: names are UTF-8 or, from a binary's
 * symbols, ASCII. */
void json__quote(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

void json__key(struct json *j, const char *key)
{
	if (j->after_key || !j->depth)
		j->bad = true;
	json__before_value(j);
	json__quote(j->out, key);
	fputs(": ", j->out);
	j->after_key = true;
}

void json__string(struct json *j, const char *s)
{
	json__before_value(j);
	if (s)
		json__quote(j->out, s);
	else
		fputs("null", j->out);
}

void json__u64(struct json *j, uint64_t v)
{
	json__before_value(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json__i64(struct json *j, int64_t v)
{
	json__before_value(j);
	fprintf(j->out, "%" PRId64, v);
}

void json__double(struct json *j, double v)
{
	json__before_value(j);
	if (isfinite(v))
		fprintf(j->out, "%.6g", v);
	else
		fputs("null", j->out);
}

void json__bool(struct json *j, bool v)
{
	json__before_value(j);
	fputs(v ? "true" : "false", j->out);
}

void json__null(struct json *j)
{
	json__before_value(j);
	fputs("null", j->out);
}

void json__kv_string(struct json *j, const char *key, const char *s)
{
	json__key(j, key);
	json__string(j, s);
}

void json__kv_u64(struct json *j, const char *key, uint64_t v)
{
	json__key(j, key);
	json__u64(j, v);
}

void json__kv_i64(struct json *j, const char *key, int64_t v)
{
	json__key(j, key);
	json__i64(j, v);
}

int json__end(struct json *j)
{
	fputc('\n', j->out);
	return j->bad || j->depth || j->after_key ? -EINVAL : 0;
}
