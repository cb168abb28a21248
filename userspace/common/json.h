/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A streaming JSON writer: values go out as they are given, indented, with
 * the commas and the string escapes (RFC 8259) kept right for the caller. */
#ifndef SCOPE_JSON_H
#define SCOPE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Nesting deeper than this is refused (json__end reports it). */
#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool bad;			/* misuse: too deep, key out of place */
	bool has_items[JSON_MAX_DEPTH]; /* a comma before the next item */
	bool after_key;			/* the next value completes a member */
};

void json__init(struct json *j, FILE *out);
void json__begin_object(struct json *j);
void json__end_object(struct json *j);
void json__begin_array(struct json *j);
void json__end_array(struct json *j);
/* A member's name; its value is the next call. */
void json__key(struct json *j, const char *key);
/* @s escaped; NULL is written as null. */
void json__string(struct json *j, const char *s);
void json__u64(struct json *j, uint64_t v);
void json__i64(struct json *j, int64_t v);
/* A finite @v with up to 6 significant digits; NaN and infinities (which
 * JSON lacks) as null. */
void json__double(struct json *j, double v);
void json__bool(struct json *j, bool v);
void json__null(struct json *j);
/* key and value at once */
void json__kv_string(struct json *j, const char *key, const char *s);
void json__kv_u64(struct json *j, const char *key, uint64_t v);
void json__kv_i64(struct json *j, const char *key, int64_t v);
/* @s as a JSON string, quoted and escaped, straight to @out: for writers
 * of one compact line per item (a trace's events), which the indenting
 * writer above would spread over lines. */
void json__quote(FILE *out, const char *s);
/* The final newline; 0, or -EINVAL when the document was left open or
 * misused (a bug of the caller's, caught by the tests). */
int json__end(struct json *j);

#endif /* SCOPE_JSON_H */
