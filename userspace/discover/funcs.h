/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Functions named by --func patterns ([LIB:]GLOB) in an ELF file: where
 * their entry and return probes go, and their names demangled. */
#ifndef SCOPE_FUNCS_H
#define SCOPE_FUNCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More functions than this from all patterns together warn; past
 * FUNCS_REFUSE_AT they are refused unless forced (docs/functions.md). */
#define FUNCS_WARN_AT	1000
#define FUNCS_REFUSE_AT 5000

struct func_pattern {
	char *lib;	/* NULL: the executable; a soname prefix; or a path */
	char *glob;	/* fnmatch(3), on the demangled and the raw name */
	size_t matched; /* functions found for it so far */
};

struct func_patterns {
	struct func_pattern *v;
	size_t n, cap;
};

/* Adds "[LIB:]GLOB". LIB ends at the first ':' that is not part of a
 * C++ "::". 0, -EINVAL for an empty LIB or GLOB, or -ENOMEM. */
int func_patterns__add(struct func_patterns *p, const char *spec);
/* Adds one pattern a line of the file at @path (blank lines and lines
 * starting with '#' skipped). 0 or -errno (-EINVAL: *@line is the bad
 * line's number). */
int func_patterns__add_file(struct func_patterns *p, const char *path,
			    size_t *line);
void func_patterns__free(struct func_patterns *p);

/* Whether pattern @pat looks in the object @name (its path as the target
 * maps it; @is_exe for the executable). A soname prefix matches a file
 * name that continues with '.' or '-' (libm: libm.so.6, libm-2.36.so, not
 * libmvec.so.1); a LIB with a '/' is the file itself. */
bool func_pattern__applies(const struct func_pattern *pat, const char *name,
			   bool is_exe);

struct func {
	char *name;	 /* demangled; GCC's clone suffixes dropped */
	uint64_t vaddr;	 /* link-time address */
	uint64_t size;	 /* bytes of code */
	uint64_t offset; /* the function's first byte in the file */
	bool endbr;	 /* it starts with endbr64 (4 bytes) */
	bool cxx;	 /* a C++ (mangled) name */
};

struct func_list {
	struct func *v;
	size_t n, cap;
};

/* Appends the functions of the ELF file at @path that a pattern of @pats
 * that applies to the object (@name, @is_exe) matches, once each by
 * address, counting each pattern's matches. Functions come from .symtab,
 * or .dynsym when the file has none (stripped); a clone's cold or partial
 * part (.cold, .part.N) is no entry and is left out. Returns how many were
 * added, or -errno. */
int funcs__match(const char *path, const char *name, bool is_exe,
		 struct func_patterns *pats, struct func_list *out);
void func_list__free(struct func_list *l);

/* @name demangled (a malloc'd copy either way), or NULL on ENOMEM. A
 * template function's return type is left out: "ns::twice<int>(int)". */
char *funcs__demangle(const char *name);

/* Functions of @path's debug information (DWARF) whose name matches
 * @glob and that the compiler inlined (DW_AT_inline): they have no code of
 * their own to probe. Returns how many, 0 for a file without DWARF, or
 * -errno; the first one's name goes to @first (@size bytes). */
int funcs__inlined(const char *path, const char *glob, char *first,
		   size_t size);

#endif /* SCOPE_FUNCS_H */
