// SPDX-License-Identifier: MIT
/* The C side of the Fortran module scope_bpf (fortran/scope_bpf.f90): two
 * functions whose run-time named sites (scope_bpf.h) stand for every
 * Fortran call. A Fortran string has a length and no NUL, and a probe reads
 * a NUL-terminated one, so each thread keeps a NUL-terminated copy per
 * (address, length) it has met: a name at the same place in the code comes
 * back to the same copy, which the probe recognises by its address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <scope_bpf.h>

#define SLOTS 64

struct slot {
	const char *src;
	size_t len;
	char *copy; /* len bytes of src, then a NUL */
};

static __thread struct slot slots[SLOTS];

/* Fortran pads with blanks; a name is at most SCOPE_BPF_NAME_MAX - 1. */
static size_t trimmed(const char *s, size_t len)
{
	while (len && s[len - 1] == ' ')
		len--;
	return len < SCOPE_BPF_NAME_MAX ? len : SCOPE_BPF_NAME_MAX - 1;
}

/* The NUL-terminated copy of @s: the slot's when it still holds these
 * bytes (a character variable may have been rewritten since). */
static const char *c_name(const char *s, size_t len)
{
	struct slot *sl;
	char *copy;

	len = trimmed(s, len);
	sl = &slots[(((uintptr_t)s >> 3) ^ (len * 31)) % SLOTS];
	if (sl->src == s && sl->len == len && !memcmp(sl->copy, s, len))
		return sl->copy;
	copy = malloc(len + 1);
	if (!copy)
		return "(no memory for the region name)";
	memcpy(copy, s, len);
	copy[len] = '\0';
	free(sl->copy);
	*sl = (struct slot){ s, len, copy };
	return copy;
}

void scope_bpf_fortran_begin(const char *name, size_t len)
{
	scope_bpf_begin_named(c_name(name, len));
}

void scope_bpf_fortran_end(const char *name, size_t len)
{
	scope_bpf_end_named(c_name(name, len));
}
