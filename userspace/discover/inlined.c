// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Inlined functions in an ELF file's DWARF, read with elfutils' libdw: the
 * reason a --func pattern finds no symbol for a function of the source. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "discover/funcs.h"

struct inl_search {
	const char *glob;
	char *first;
	size_t size;
	int n;
};

static bool is_inlined(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	Dwarf_Word v;

	if (!dwarf_attr(die, DW_AT_inline, &a) || dwarf_formudata(&a, &v))
		return false;
	return v == DW_INL_inlined || v == DW_INL_declared_inlined;
}

/* The subprograms under @die (namespaces and classes hold C++ ones). */
static void search_children(Dwarf_Die *die, struct inl_search *s, int level)
{
	Dwarf_Die child;
	const char *name;

	if (level > 8 || dwarf_child(die, &child))
		return;
	do {
		switch (dwarf_tag(&child)) {
		case DW_TAG_subprogram:
			name = dwarf_diename(&child);
			if (!name || !is_inlined(&child) ||
			    fnmatch(s->glob, name, 0))
				break;
			if (!s->n++ && s->first)
				snprintf(s->first, s->size, "%s", name);
			break;
		case DW_TAG_namespace:
		case DW_TAG_class_type:
		case DW_TAG_structure_type:
			search_children(&child, s, level + 1);
			break;
		}
	} while (!dwarf_siblingof(&child, &child));
}

int funcs__inlined(const char *path, const char *glob, char *first, size_t size)
{
	struct inl_search s = { .glob = glob, .first = first, .size = size };
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cu;
	Dwarf *dw;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return 0; /* no DWARF: nothing to say */
	}
	while (!dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + hsize, &cu))
			search_children(&cu, &s, 0);
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	return s.n;
}
