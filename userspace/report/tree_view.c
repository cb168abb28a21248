// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `report --tree`: the call tree as an indented table, or as CSV rows that
 * keep the path ids so tools can rebuild it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/tree.h"

struct tree_view {
	const struct profile *p;
	const struct report_opts *o;
	FILE *out;
	uint64_t min_ns; /* --min-percent of the roots' total */
};

static const char *region_name(const struct profile *p, uint32_t id)
{
	for (size_t i = 0; i < p->regions.n; i++) {
		if (p->regions.v[i].id == id)
			return p->regions.v[i].name;
	}
	return "?";
}

static const char *thread_comm(const struct profile *p, uint32_t pid,
			       uint32_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		if (p->threads[i].pid == pid && p->threads[i].tid == tid)
			return p->threads[i].comm ?: "";
	}
	return "";
}

/* Inclusive time in % of the parent's, or of all roots' for a root. */
static double pct_parent(const struct tree *t, const struct tree_node *n)
{
	uint64_t of = n->parent == TREE_NONE ? t->roots_ns :
					       t->nodes[n->parent].total_ns;

	return of ? 100.0 * n->total_ns / of : 0.0;
}

/* Whether node @n is cut: past --depth or below --min-percent. */
static bool cut(const struct tree_view *v, const struct tree_node *n)
{
	return (v->o->tree_depth && n->depth >= v->o->tree_depth) ||
	       n->total_ns < v->min_ns;
}

static int print_row(const struct tree *t, size_t i, void *ctx)
{
	struct tree_view *v = ctx;
	const struct tree_node *n = &t->nodes[i];
	char incl[32], self[32];

	if (cut(v, n))
		return 1;
	if (v->o->threads && n->parent == TREE_NONE)
		fprintf(v->out, "thread %u (%s), pid %u\n", n->tid,
			thread_comm(v->p, n->pid, n->tid), n->pid);
	report__fmt_ns(incl, sizeof(incl), n->total_ns);
	report__fmt_ns(self, sizeof(self), n->self_ns);
	fprintf(v->out, "%10s %10s %10llu %7.1f  %*s%s\n", incl, self,
		(unsigned long long)n->calls, pct_parent(t, n),
		2 * (int)n->depth, "", region_name(v->p, n->region));
	return 0;
}

static int csv_row(const struct tree *t, size_t i, void *ctx)
{
	struct tree_view *v = ctx;
	const struct tree_node *n = &t->nodes[i];

	if (cut(v, n))
		return 1;
	fprintf(v->out, "%s,%u,%u,%u,%llu,%llu,%llu,%llu,%llu,%.3f\n",
		region_name(v->p, n->region), n->depth, n->pid, n->tid,
		(unsigned long long)n->path, (unsigned long long)n->parent_path,
		(unsigned long long)n->calls, (unsigned long long)n->total_ns,
		(unsigned long long)n->self_ns, pct_parent(t, n));
	return 0;
}

int report__tree(const struct profile *p, FILE *out,
		 const struct report_opts *o, bool csv)
{
	struct tree_opts to = { .per_thread = o->threads, .raw = o->raw };
	struct tree_view v = { .p = p, .o = o, .out = out };
	struct tree t;
	int err = tree__build(p, &to, &t);

	if (err)
		return err;
	v.min_ns = (uint64_t)(o->tree_min_percent / 100.0 * t.roots_ns);
	if (csv) {
		fprintf(out, "%s\n", REPORT_CSV_TREE_HEADER);
		tree__walk(&t, csv_row, &v);
	} else {
		fprintf(out,
			"call tree: time %s, %s; %%parent: of the enclosing region's inclusive time\n",
			o->raw ? "as measured" : "compensated",
			o->threads ? "per thread" : "merged over threads");
		fprintf(out, "%10s %10s %10s %7s  %s\n", "inclusive",
			"exclusive", "calls", "%parent", "region");
		tree__walk(&t, print_row, &v);
	}
	tree__free(&t);
	return ferror(out) ? -EIO : 0;
}
