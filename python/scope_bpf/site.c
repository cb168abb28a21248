// SPDX-License-Identifier: MIT
/* The named-region sites of the scope_bpf Python module: every Python region
 * goes through these two sites, out of line, so that there is one BEGIN
 * site to look at when asking whether an agent is attached. */
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

#if SCOPE_BPF_API_VERSION >= 3
#define SBPY_NAMED_BEGIN(site) scope_bpf_begin_named(site)
#define SBPY_NAMED_END(site)   scope_bpf_end_named(site)
#else
/* Until the header offers named regions: the marker's code without its note,
 * the name in the first argument register, so that the detached cost is what
 * it will be; no agent finds these. */
#define SBPY__STUB_SITE(site)                                                  \
	__asm__ __volatile__(                                                  \
		"nop\n\t"                                                      \
		".byte 0x48, 0x8d, 0x64, 0x24, 0x80\n\t"                       \
		".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"                       \
		".byte 0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, "             \
		"0x00\n" ::"D"(site)                                           \
		: "memory")
#define SBPY_NAMED_BEGIN(site) SBPY__STUB_SITE(site)
#define SBPY_NAMED_END(site)   SBPY__STUB_SITE(site)
#endif

__attribute__((noinline)) void sbpy_site__begin(const char *site)
{
	SBPY_NAMED_BEGIN(site);
}

__attribute__((noinline)) void sbpy_site__end(const char *site)
{
	SBPY_NAMED_END(site);
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
	begin_site = find_site((const void *)sbpy_site__begin);
	end_site = find_site((const void *)sbpy_site__end);
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
