// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the call tree: call paths per thread and per record merge
 * into nodes under their parents, largest first, and render. */
#include <errno.h>
#include <string.h>

#include "testutil.h"

#include "aggregate/paths.h"
#include "report/report.h"
#include "report/tree.h"

/* a (1) encloses b (2) twice and c (3) once, on two threads */
static struct scope_record rec(uint32_t region, uint64_t path, uint64_t parent,
			       uint32_t depth, uint64_t dur, uint64_t child)
{
	return (struct scope_record){ .type = SCOPE_REC_INTERVAL,
				      .region = region,
				      .path = path,
				      .parent_path = parent,
				      .depth = depth,
				      .start_ns = 1000,
				      .end_ns = 1000 + dur,
				      .child_ns = child };
}

static struct region regions[] = {
	{ .id = 1, .name = "a" },
	{ .id = 2, .name = "b" },
	{ .id = 3, .name = "c" },
};

/* Paths of two threads: a -> {b, c}, with b twice per a. */
static struct path_table *two_threads(void)
{
	struct path_table *t = paths__new();
	uint64_t a = scope_path_of(0, 1), b = scope_path_of(a, 2),
		 c = scope_path_of(a, 3);

	for (uint32_t tid = 10; tid <= 11; tid++) {
		struct scope_record r[] = {
			rec(2, b, a, 1, 100, 0),
			rec(2, b, a, 1, 300, 0),
			rec(3, c, a, 1, 50 * tid, 0),
			rec(1, a, 0, 0, 1000, 400 + 50 * tid),
		};

		for (size_t i = 0; i < 4; i++)
			assert_int_equal(paths__add(t, 1, tid, &r[i]), 0);
	}
	return t;
}

static void profile_of(struct profile *p, const struct path_table *t)
{
	*p = (struct profile){ .paths = (struct path_stats *)paths__at(t, 0),
			       .npaths = paths__count(t) };
	p->regions.v = regions;
	p->regions.n = 3;
}

static void test_paths_merge_per_thread(void **state)
{
	struct path_table *t = two_threads();
	const struct path_stats *r;

	(void)state;
	assert_int_equal(paths__count(t), 6); /* 3 paths x 2 threads */
	r = paths__at(t, 0);
	assert_int_equal(r->region, 2);
	assert_int_equal(r->calls, 2);
	assert_int_equal(r->total_ns, 400);
	assert_int_equal(r->parent_path, scope_path_of(0, 1));
	paths__free(t);
}

static void test_tree_merged(void **state)
{
	struct path_table *pt = two_threads();
	struct tree_opts o = { .raw = true };
	const struct tree_node *root, *first;
	struct profile p;
	struct tree t;

	(void)state;
	profile_of(&p, pt);
	assert_int_equal(tree__build(&p, &o, &t), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.nroots, 1);
	root = &t.nodes[t.roots[0]];
	assert_int_equal(root->region, 1);
	assert_int_equal(root->calls, 2);
	assert_int_equal(root->total_ns, 2000);
	assert_int_equal(root->self_ns, 2000 - 450 - 500 - 400 - 400 - 100);
	assert_int_equal(t.roots_ns, 2000);
	assert_int_equal(root->nchildren, 2);
	/* largest first: c (1050 ns over both threads) before b (800) */
	first = &t.nodes[root->children[0]];
	assert_int_equal(first->region, 3);
	assert_int_equal(first->total_ns, 1050);
	assert_int_equal(t.nodes[root->children[1]].region, 2);
	assert_int_equal(first->parent, t.roots[0]);
	tree__free(&t);
	paths__free(pt);
}

static void test_tree_per_thread(void **state)
{
	struct path_table *pt = two_threads();
	struct tree_opts o = { .per_thread = true, .raw = true };
	struct profile p;
	struct tree t;

	(void)state;
	profile_of(&p, pt);
	assert_int_equal(tree__build(&p, &o, &t), 0);
	assert_int_equal(t.n, 6);
	assert_int_equal(t.nroots, 2);
	for (size_t i = 0; i < t.n; i++) {
		const struct tree_node *n = &t.nodes[i];

		if (n->parent != TREE_NONE)
			assert_int_equal(t.nodes[n->parent].tid, n->tid);
	}
	tree__free(&t);
	paths__free(pt);
}

/* The CSV keeps the ids and the shares; a file without paths is said. */
static void test_tree_render(void **state)
{
	struct path_table *pt = two_threads();
	struct report_opts o = { .raw = true, .tree = true };
	struct profile p;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	profile_of(&p, pt);
	assert_int_equal(report__tree(&p, out, &o, true), 0);
	fclose(out);
	assert_non_null(strstr(buf, REPORT_CSV_TREE_HEADER "\n"));
	assert_non_null(strstr(buf, "\nc,1,0,0,"));
	assert_non_null(strstr(buf, ",2,1050,1050,52.500\n"));
	free(buf);
	p.npaths = 0;
	out = open_memstream(&buf, &len);
	assert_int_equal(report__tree(&p, out, &o, false), -ENODATA);
	fclose(out);
	free(buf);
	paths__free(pt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_merge_per_thread),
		cmocka_unit_test(test_tree_merged),
		cmocka_unit_test(test_tree_per_thread),
		cmocka_unit_test(test_tree_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
