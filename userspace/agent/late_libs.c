// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Finds the libraries with markers a target maps after attach: every object
 * the target maps is read once (dev/ino), later scans look at new ones only. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/late_libs.h"
#include "common/array.h"
#include "common/log.h"
#include "discover/sites.h"
#include "discover/target.h"
#include "scope_bpf.h"

struct seen_obj {
	dev_t dev;
	ino_t ino;
	char *name;	 /* known: the real path; late: as the target maps it */
	size_t nregions; /* late: regions with a BEGIN, never probed */
	bool late;
};

struct late_libs {
	struct seen_obj *v;
	size_t n, cap;
	size_t nlate;
	late_attach_fn attach;
	void *attach_ctx;
};

void late_libs__set_attach(struct late_libs *l, late_attach_fn fn, void *ctx)
{
	l->attach = fn;
	l->attach_ctx = ctx;
}

struct late_libs *late_libs__new(void)
{
	return calloc(1, sizeof(struct late_libs));
}

void late_libs__free(struct late_libs *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	free(l);
}

static int add(struct late_libs *l, dev_t dev, ino_t ino, const char *name)
{
	struct seen_obj *o;

	if (ARRAY_RESERVE(l->v, l->cap, l->n + 1))
		return -ENOMEM;
	o = &l->v[l->n];
	*o = (struct seen_obj){ .dev = dev, .ino = ino };
	o->name = strdup(name);
	if (!o->name)
		return -ENOMEM;
	l->n++;
	return 0;
}

int late_libs__know(struct late_libs *l, const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (stat(path, &st) || !realpath(path, real))
		return -errno;
	return add(l, st.st_dev, st.st_ino, real);
}

/* By dev/ino, or by name: on overlayfs the maps show the lower file's
 * dev/ino while stat shows the overlay's. */
static bool seen(const struct late_libs *l, const struct target_object *t)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct seen_obj *o = &l->v[i];

		if ((o->dev == t->dev && o->ino == t->ino) ||
		    (!o->late && !strcmp(o->name, t->name)))
			return true;
	}
	return false;
}

/* Regions with a BEGIN site in @sites: what the user would have seen. */
static size_t count_regions(const struct site_list *sites)
{
	size_t n = 0;

	for (size_t i = 0; i < sites->n; i++) {
		const struct site *s = &sites->v[i];
		bool first = s->kind == SCOPE_BPF_KIND_BEGIN;

		for (size_t j = 0; first && j < i; j++)
			first = sites->v[j].kind != SCOPE_BPF_KIND_BEGIN ||
				strcmp(sites->v[j].name, s->name);
		n += first;
	}
	return n;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* A new object: read once, late if it has markers. 1 if late, else 0, or
 * -ENOMEM. */
static int check(struct late_libs *l, const struct target_object *t, pid_t pid)
{
	struct site_list sites = {};
	struct seen_obj *o;
	int err;

	err = add(l, t->dev, t->ino, t->name);
	if (err)
		return err;
	/* a new executable is an exec: counted by the BPF side */
	if (t->is_exe)
		return 0;
	err = l->attach ? l->attach(l->attach_ctx, t->path, t->name) : -ENOSYS;
	if (err > 0)
		pr_info("pid %d mapped %s after attach: %d sites probed\n",
			(int)pid, base_name(t->name), err);
	if (err >= 0)
		return 0;
	if (sites__read_elf(t->path, &sites) <= 0)
		return 0;
	o = &l->v[l->n - 1];
	o->late = true;
	o->nregions = count_regions(&sites);
	site_list__free(&sites);
	l->nlate++;
	pr_warn("pid %d mapped %s after attach: its %zu region%s not profiled\n",
		(int)pid, base_name(o->name), o->nregions,
		o->nregions == 1 ? " is" : "s are");
	return 1;
}

int late_libs__scan(struct late_libs *l, pid_t pid)
{
	struct target_objects objs = {};
	int err, found = 0;

	err = target__objects_quiet(pid, &objs);
	for (size_t i = 0; !err && i < objs.n; i++) {
		if (seen(l, &objs.v[i]))
			continue;
		err = check(l, &objs.v[i], pid);
		found += err > 0;
		err = err < 0 ? err : 0;
	}
	target_objects__free(&objs);
	return err ? err : found;
}

size_t late_libs__count(const struct late_libs *l)
{
	return l->nlate;
}

/* "libfoo.so (3 regions), libbar.so (1 region)" into @buf, cut to fit. */
static void list_late(const struct late_libs *l, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n && len < size; i++) {
		const struct seen_obj *o = &l->v[i];

		if (!o->late)
			continue;
		len += snprintf(buf + len, size - len, "%s%s (%zu region%s)",
				len ? ", " : "", base_name(o->name),
				o->nregions, o->nregions == 1 ? "" : "s");
	}
}

void late_libs__warn(const struct late_libs *l)
{
	char list[1024];

	if (!l->nlate)
		return;
	list_late(l, list, sizeof(list));
	pr_warn("%zu librar%s with markers %s loaded after attach and could not be profiled: %s\n",
		l->nlate, l->nlate == 1 ? "y" : "ies",
		l->nlate == 1 ? "was" : "were", list);
}
