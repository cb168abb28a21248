// SPDX-License-Identifier: MIT
/* The named-region sites of the scope_bpf Python module: the site strings,
 * and the test whether an agent has probed the module's sites. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scope_bpf.h>

#include "site.h"

/* The first byte of each site once found, NULL before. */
static const volatile unsigned char *begin_site, *end_site;

/* What follows the name's NUL: a tag, then "file:line" (the header's
 * SCOPE_BPF_NAME_AT where it has one). */
#ifndef SCOPE_BPF_NAME_AT
#define SCOPE_BPF_NAME_AT "scope_bpf.at="
#endif

/* The name, then its location after the NUL, where the probe (which reads
 * up to the NUL) does not see it but an agent that knows the address finds
 * it. */
const char *sbpy_site__string(const char *name, const char *file, int line)
{
	size_t nlen = strlen(name) + 1;
	size_t len = nlen + strlen(SCOPE_BPF_NAME_AT) + strlen(file) + 16;
	char *s = malloc(len);

	if (s) {
		memcpy(s, name, nlen);
		snprintf(s + nlen, len - nlen, "%s%s:%d", SCOPE_BPF_NAME_AT,
			 file, line);
	}
	return s;
}

/* Sites never run, of the same form as the inline ones: all of the
 * module's sites are probed together, so these tell whether an agent is
 * there. */
__attribute__((noinline)) void sbpy_site__probe_begin(const char *site)
{
	scope_bpf_begin_named(site);
}

__attribute__((noinline)) void sbpy_site__probe_end(const char *site)
{
	scope_bpf_end_named(site);
}

/* The marker's bytes after its 1-byte nop, as far as a probe leaves them:
 * a trap replaces the nop, a trampoline call the nop5, never the lea. */
static const unsigned char lea_down[] = { 0x48, 0x8d, 0x64, 0x24, 0x80 };

static const unsigned char *find_site(const void *func)
{
	const unsigned char *p = func;

	for (int i = 0; i < 64; i++)
		if (!memcmp(p + i + 1, lea_down, sizeof(lea_down)))
			return p + i;
	return NULL;
}

int sbpy_site__init(void)
{
	begin_site = find_site((const void *)sbpy_site__probe_begin);
	end_site = find_site((const void *)sbpy_site__probe_end);
	return begin_site && end_site ? 0 : -ENOENT;
}

/* uprobes write int3 (0xcc) over the probed instruction in the process's
 * copy of the page; 6.18 then may turn a probed nop5 into a call (0xe8). */
static bool probed(const volatile unsigned char *site)
{
	unsigned char trap = site[0];
	unsigned char nop5 = site[SCOPE_BPF_NOP5_OFFSET];

	return trap == 0xcc || nop5 == 0xcc || nop5 == 0xe8;
}

/* Both sites, since an agent probes one after the other: four loads, no
 * system call. */
bool sbpy_site__attached(void)
{
	return probed(begin_site) && probed(end_site);
}
