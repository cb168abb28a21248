// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --func: the functions the patterns name in every object, counted before
 * any probe goes in (the limit is on all of them), then one region each,
 * opened by an entry uprobe and ended by a uretprobe with the same cookie:
 * the BPF side closes it as it closes a marker region. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/func_probes.h"
#include "common/array.h"
#include "common/log.h"

struct func_object {
	char *path; /* openable from here */
	char *name; /* as the target maps it */
	bool is_exe;
	/* may be empty: every object searched is kept, for say_unmatched */
	struct func_list funcs;
};

struct func_probes {
	struct func_patterns *pats;
	struct func_object *v;
	size_t n, cap;
	size_t nfuncs;
	bool at_endbr; /* SCOPE_BPF_FUNC_ENTRY=endbr */
};

/* SCOPE_BPF_FUNC_ENTRY says where a function's entry probe goes: "after"
 * (unset: past a leading endbr64, which the kernel cannot emulate and
 * single-steps) or "endbr" (the first byte, for the benchmark). */
static int entry_mode(bool *at_endbr)
{
	const char *mode = getenv("SCOPE_BPF_FUNC_ENTRY");

	*at_endbr = mode && !strcmp(mode, "endbr");
	if (!mode || !*mode || *at_endbr || !strcmp(mode, "after"))
		return 0;
	pr_err("SCOPE_BPF_FUNC_ENTRY=%s: expected after or endbr\n", mode);
	return -EINVAL;
}

struct func_probes *func_probes__new(struct func_patterns *pats)
{
	struct func_probes *fp = calloc(1, sizeof(*fp));
	int err;

	if (!fp)
		return NULL;
	fp->pats = pats;
	err = entry_mode(&fp->at_endbr);
	if (err) {
		free(fp);
		errno = -err;
		return NULL;
	}
	return fp;
}

void func_probes__free(struct func_probes *fp)
{
	if (!fp)
		return;
	for (size_t i = 0; i < fp->n; i++) {
		free(fp->v[i].path);
		free(fp->v[i].name);
		func_list__free(&fp->v[i].funcs);
	}
	free(fp->v);
	free(fp);
}

int func_probes__collect(struct func_probes *fp, const char *path,
			 const char *name, bool is_exe)
{
	struct func_list l = { 0 };
	struct func_object *o;
	int n = funcs__match(path, name, is_exe, fp->pats, &l);

	if (n < 0) {
		/* the target runs it: a file we cannot read is said, and the
		 * other objects are still probed */
		pr_warn("%s: functions not searched: %s\n", name, strerror(-n));
		func_list__free(&l);
		return 0;
	}
	if (n)
		pr_debug("%s: %d functions match --func\n", name, n);
	if (ARRAY_RESERVE(fp->v, fp->cap, fp->n + 1)) {
		func_list__free(&l);
		return -ENOMEM;
	}
	o = &fp->v[fp->n];
	*o = (struct func_object){ .path = strdup(path),
				   .name = strdup(name),
				   .is_exe = is_exe,
				   .funcs = l };
	fp->n++;
	fp->nfuncs += l.n;
	return o->path && o->name ? 0 : -ENOMEM;
}

/* Whether the DWARF of an object @p looks in knows functions it matches
 * that were inlined: said, they are why it matched no symbol. */
static bool say_inlined(const struct func_probes *fp,
			const struct func_pattern *p)
{
	char first[256];

	for (size_t i = 0; i < fp->n; i++) {
		const struct func_object *o = &fp->v[i];
		int n;

		if (!func_pattern__applies(p, o->name, o->is_exe))
			continue;
		n = funcs__inlined(o->path, p->glob, first, sizeof(first));
		if (n <= 0)
			continue;
		pr_warn("--func %s%s%s: matches only inlined function%s (%s%s in %s): inlined code has no entry or return to probe\n",
			p->lib ?: "", p->lib ? ":" : "", p->glob,
			n == 1 ? "" : "s", first, n > 1 ? ", ..." : "",
			o->name);
		return true;
	}
	return false;
}

/* A pattern that matched nothing is most often a typo or a library the
 * command maps only later (dlopen), never silence. */
static void say_unmatched(const struct func_probes *fp)
{
	for (size_t i = 0; i < fp->pats->n; i++) {
		const struct func_pattern *p = &fp->pats->v[i];

		if (p->matched || say_inlined(fp, p))
			continue;
		if (p->lib)
			pr_warn("--func %s:%s: no function matches in %s (yet: a library the command loads later, by dlopen, is searched when it maps it)\n",
				p->lib, p->glob, p->lib);
		else
			pr_warn("--func %s: no function of the executable matches (for a library's: LIB:%s; an inlined function has no symbol to probe)\n",
				p->glob, p->glob);
	}
}

static int check_limit(const struct func_probes *fp, bool force)
{
	if (fp->nfuncs > FUNCS_REFUSE_AT && !force) {
		pr_err("--func matches %zu functions, more than %d: each call of each costs two probes (about 2 us). Narrow the patterns, or add --force\n",
		       fp->nfuncs, FUNCS_REFUSE_AT);
		return -E2BIG;
	}
	if (fp->nfuncs > FUNCS_WARN_AT)
		pr_warn("--func matches %zu functions: each call of each costs two probes (about 2 us), and attaching them takes a while\n",
			fp->nfuncs);
	return 0;
}

/* The return probe replaces the return address on the stack with the
 * kernel's trampoline, where the C++ unwinder finds no frame information:
 * an exception thrown out of a probed function ends the program
 * (std::terminate). The kernel's limit, said before it can bite. */
static void warn_exceptions(const struct func_object *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->funcs.n; i++)
		n += o->funcs.v[i].cxx;
	if (n)
		pr_warn("%s: %zu C++ function%s probed: an exception thrown out of a probed function ends the program (std::terminate: the unwinder cannot step over the kernel's return probe); see docs/functions.md\n",
			o->name, n, n == 1 ? "" : "s");
}

static int attach_object(struct func_probes *fp, const struct func_object *o,
			 struct probes *p, struct region_table *regions)
{
	struct probe_func *pf = calloc(o->funcs.n, sizeof(*pf));
	int err = 0;

	if (!pf)
		return -ENOMEM;
	for (size_t i = 0; i < o->funcs.n && err >= 0; i++) {
		const struct func *f = &o->funcs.v[i];

		pf[i].offset = f->offset + (f->endbr && !fp->at_endbr ? 4 : 0);
		err = region_table__intern(regions, f->name, o->name, 0, 1);
		pf[i].region = err;
	}
	if (err >= 0)
		err = probes__attach_functions(p, o->path, pf, o->funcs.n);
	if (err >= 0)
		warn_exceptions(o);
	if (err < 0)
		pr_err("%s: cannot attach the function probes: %s\n", o->name,
		       strerror(-err));
	free(pf);
	return err < 0 ? err : 0;
}

int func_probes__attach(struct func_probes *fp, struct probes *p,
			struct region_table *regions, bool force)
{
	int err;

	if (!fp->pats->n)
		return 0;
	say_unmatched(fp);
	err = check_limit(fp, force);
	for (size_t i = 0; i < fp->n && !err; i++) {
		if (fp->v[i].funcs.n)
			err = attach_object(fp, &fp->v[i], p, regions);
	}
	return err;
}

int func_probes__attach_late(struct func_probes *fp, struct probes *p,
			     struct region_table *regions, const char *path,
			     const char *name, bool force)
{
	size_t n = fp->n;
	const struct func_object *o;
	int err = func_probes__collect(fp, path, name, false);

	if (err || fp->n == n || !fp->v[n].funcs.n)
		return err;
	o = &fp->v[n];
	/* the limit holds for all the objects: one past it is left out */
	if (fp->nfuncs > FUNCS_REFUSE_AT && !force) {
		pr_warn("%s: %zu functions match --func, more than %d with the others: not probed (--force probes them)\n",
			name, o->funcs.n, FUNCS_REFUSE_AT);
		return 0;
	}
	err = attach_object(fp, o, p, regions);
	if (err)
		return err;
	pr_info("%s: mapped after attach: %zu function%s probed (--func)\n",
		name, o->funcs.n, o->funcs.n == 1 ? "" : "s");
	return (int)o->funcs.n;
}

size_t func_probes__count(const struct func_probes *fp)
{
	return fp ? fp->nfuncs : 0;
}
