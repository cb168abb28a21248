// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Brendan Gregg's folded stacks from the call tree: one line per node, its
 * path from the root joined by ';', and its weight. flamegraph.pl, inferno
 * and speedscope add up a line's weight into every frame of its stack, so
 * with self time as the weight a frame's width is its inclusive time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "export/names.h"
#include "report/tree.h"

size_t export__folded_name(char *buf, size_t len, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		bool esc = *s == '%' || *s == ';' || *s <= ' ' || *s == 0x7f;
		char enc[3] = { '%', hex[*s >> 4], hex[*s & 15] };

		for (int i = 0; i < (esc ? 3 : 1); i++, n++) {
			if (n + 1 < len)
				buf[n] = esc ? enc[i] : (char)*s;
		}
	}
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

int export__weight_counter(const struct profile *p, const char *event)
{
	for (size_t i = 0; i < p->ncounters; i++) {
		if (p->counters[i].name && !strcmp(p->counters[i].name, event))
			return p->paths_counted ? (int)i : -ENODATA;
	}
	return -ENOENT;
}

char *export__counter_names(const struct profile *p)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < p->ncounters; i++)
		len += strlen(p->counters[i].name ?: "") + 2;
	s = calloc(1, len);
	for (size_t i = 0; s && i < p->ncounters; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, p->counters[i].name ?: "");
	}
	return s;
}

/* The stack being printed: frames joined by ';', grown as needed. */
struct folded {
	const struct profile *p;
	const struct tree *t;
	const struct export_opts *o;
	FILE *out;
	char *stack;
	size_t len, cap;
};

/* Appends @name, escaped, and a ';' after it when @sep. */
static int folded__push(struct folded *f, const char *name, bool sep)
{
	size_t need = export__folded_name(NULL, 0, name) + 2;

	if (f->len + need > f->cap) {
		size_t cap = 2 * (f->len + need);
		char *s = realloc(f->stack, cap);

		if (!s)
			return -ENOMEM;
		f->stack = s;
		f->cap = cap;
	}
	f->len += export__folded_name(f->stack + f->len, f->cap - f->len, name);
	if (sep)
		f->stack[f->len++] = ';';
	f->stack[f->len] = '\0';
	return 0;
}

static uint64_t folded__weight(const struct folded *f,
			       const struct tree_node *n)
{
	switch (f->o->weight) {
	case EXPORT_WEIGHT_CALLS:
		return n->calls;
	case EXPORT_WEIGHT_TOTAL:
		return n->total_ns;
	case EXPORT_WEIGHT_COUNTER:
		return n->counter_self[f->o->weight_counter %
				       PROFILE_MAX_COUNTERS];
	default:
		return n->self_ns;
	}
}

/* Node @i's line, then its children's, each under @i's frame. */
static int folded__node(struct folded *f, size_t i)
{
	const struct tree_node *n = &f->t->nodes[i];
	size_t mark = f->len;
	int err = folded__push(f, export__region_name(f->p, n->region), false);

	if (err)
		return err;
	fprintf(f->out, "%s %llu\n", f->stack,
		(unsigned long long)folded__weight(f, n));
	f->stack[f->len++] = ';';
	for (size_t c = 0; c < n->nchildren && !err; c++)
		err = folded__node(f, n->children[c]);
	f->len = mark;
	f->stack[mark] = '\0';
	return err;
}

/* A root, under "comm-tid;" per thread. */
static int folded__root(struct folded *f, size_t i)
{
	const struct tree_node *n = &f->t->nodes[i];
	char thread[64];
	int err = 0;

	f->len = 0;
	if (f->o->threads) {
		/* a comm is at most 15 bytes, escaped 45: no cut */
		snprintf(thread, sizeof(thread), "%s-%u",
			 export__thread_comm(f->p, n->pid, n->tid), n->tid);
		err = folded__push(f, thread, true);
	}
	return err ?: folded__node(f, i);
}

int export__folded(const struct profile *p, FILE *out,
		   const struct export_opts *o)
{
	struct tree_opts to = { .per_thread = o->threads, .raw = o->raw };
	struct folded f = { .p = p, .o = o, .out = out };
	struct tree t;
	int err = tree__build(p, &to, &t);

	if (err)
		return err;
	f.t = &t;
	for (size_t r = 0; r < t.nroots && !err; r++)
		err = folded__root(&f, t.roots[r]);
	free(f.stack);
	tree__free(&t);
	if (!err && ferror(out))
		err = -EIO;
	return err;
}
