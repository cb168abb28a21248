// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* agent/named.c against a real BPF hash map of the probes' layout: names
 * the probes numbered become regions of the table, once, with their first
 * site's location; a name shared with a marker region is that region. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "testutil.h"

#include "agent/named.h"
#include "scope_bpf_record.h"

static int names_map(void)
{
	return bpf_map_create(BPF_MAP_TYPE_HASH, "test_named",
			      sizeof(struct scope_name),
			      sizeof(struct scope_named), 64, NULL);
}

static void put(int fd, const char *name, uint32_t k, uint32_t site)
{
	struct scope_name key = { 0 };
	struct scope_named v = { SCOPE_REGION_NAMED_BASE + k, site };

	strncpy(key.s, name, sizeof(key.s) - 1);
	assert_int_equal(bpf_map_update_elem(fd, &key, &v, BPF_NOEXIST), 0);
}

static void test_named_resolve(void **state)
{
	struct region_table t = { 0 };
	struct named_regions *n;
	uint32_t id;
	int fd;

	(void)state;
	fd = names_map();
	if (fd < 0)
		skip(); /* not root: no BPF */
	assert_int_equal(region_table__intern(&t, "solve", "a.c", 3, 1), 0);
	n = named__new(fd, &t);
	assert_non_null(n);
	assert_int_equal(named__add_site(n, "lib.c", 10), 0);
	assert_int_equal(named__add_site(n, "lib.c", 20), 1);
	put(fd, "level_1", 0, 1);
	put(fd, "solve", 1, 0);

	/* a marker region's id is left alone */
	id = 0;
	assert_int_equal(named__resolve(n, &id), 0);
	assert_int_equal(id, 0);
	/* a new name: a region at its first site */
	id = SCOPE_REGION_NAMED_BASE;
	assert_int_equal(named__resolve(n, &id), 0);
	assert_int_equal(id, 1);
	assert_string_equal(t.v[1].name, "level_1");
	assert_string_equal(t.v[1].file, "lib.c");
	assert_int_equal(t.v[1].line, 20);
	/* the name of a marker region is that region */
	id = SCOPE_REGION_NAMED_BASE + 1;
	assert_int_equal(named__resolve(n, &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(named__count(n), 2);
	/* known now: no second region */
	id = SCOPE_REGION_NAMED_BASE;
	assert_int_equal(named__resolve(n, &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(t.n, 2);
	/* an id the map does not hold */
	id = SCOPE_REGION_NAMED_BASE + 7;
	assert_int_equal(named__resolve(n, &id), -ENOENT);
	/* a name numbered later is found by the next miss */
	put(fd, "level_2", 7, 0);
	assert_int_equal(named__resolve(n, &id), 0);
	assert_int_equal(id, 2);
	assert_string_equal(t.v[2].name, "level_2");
	named__free(n);
	region_table__free(&t);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
