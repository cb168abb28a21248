// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Consumes interval records from the ring buffer: each one is folded into the
 * statistics right away, so the agent holds no record after its callback. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/consume.h"
#include "common/array.h"
#include "common/log.h"

struct consumer {
	struct ring_buffer *rb;
	struct stats_table *stats;
	struct consumer_counts counts;
	struct profile_thread *threads;
	size_t nthreads, cap;
	int err; /* first error met inside the callback */
};

/* The thread's name, read while it (probably) still runs; "" once gone. */
static char *thread_comm(uint32_t pid, uint32_t tid)
{
	char path[64], buf[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		close(fd);
	}
	return strdup(buf);
}

static int note_thread(struct consumer *c, uint32_t pid, uint32_t tid)
{
	struct profile_thread *t;

	for (size_t i = c->nthreads; i-- > 0;)
		if (c->threads[i].tid == tid && c->threads[i].pid == pid)
			return 0;
	if (ARRAY_RESERVE(c->threads, c->cap, c->nthreads + 1))
		return -ENOMEM;
	t = &c->threads[c->nthreads];
	t->pid = pid;
	t->tid = tid;
	t->comm = thread_comm(pid, tid);
	if (!t->comm)
		return -ENOMEM;
	c->nthreads++;
	return 0;
}

static int on_interval(struct consumer *c, uint32_t pid, uint32_t tid,
		       const struct scope_record *r)
{
	size_t rows = stats__count(c->stats);
	int err = stats__add(c->stats, pid, tid, r);

	if (err)
		return err;
	c->counts.records++;
	/* a new row may be a new thread: the only time we look at threads */
	if (stats__count(c->stats) != rows)
		return note_thread(c, pid, tid);
	return 0;
}

static int on_one(struct consumer *c, const struct scope_batch_header *h,
		  const struct scope_record *r)
{
	switch (r->type) {
	case SCOPE_REC_INTERVAL:
		return on_interval(c, h->pid, h->tid, r);
	case SCOPE_REC_UNFINISHED:
		c->counts.unfinished++;
		return 0;
	default:
		c->counts.malformed++;
		return 0;
	}
}

/* One sample: a thread's header and the records its size holds. */
static int on_batch(void *ctx, void *data, size_t size)
{
	const struct scope_batch_header *h = data;
	const struct scope_record *r = (const void *)(h + 1);
	struct consumer *c = ctx;
	size_t n;
	int err = 0;

	if (size < sizeof(*h) + sizeof(*r) ||
	    (size - sizeof(*h)) % sizeof(*r)) {
		c->counts.malformed++;
		return 0;
	}
	n = (size - sizeof(*h)) / sizeof(*r);
	for (size_t i = 0; i < n && !err; i++)
		err = on_one(c, h, &r[i]);
	if (err && !c->err)
		c->err = err;
	/* a negative return stops the drain; keep going and report later */
	return 0;
}

struct consumer *consumer__new(int ringbuf_fd, struct stats_table *stats)
{
	struct consumer *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->stats = stats;
	c->rb = ring_buffer__new(ringbuf_fd, on_batch, c, NULL);
	if (!c->rb) {
		int err = errno;

		free(c);
		errno = err;
		return NULL;
	}
	return c;
}

void consumer__free(struct consumer *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	for (size_t i = 0; i < c->nthreads; i++)
		free(c->threads[i].comm);
	free(c->threads);
	free(c);
}

int consumer__epoll_fd(const struct consumer *c)
{
	return ring_buffer__epoll_fd(c->rb);
}

int consumer__drain(struct consumer *c)
{
	int n = ring_buffer__consume(c->rb);

	if (c->err)
		return c->err;
	return n;
}

void consumer__counts(const struct consumer *c, struct consumer_counts *out)
{
	*out = c->counts;
}

const struct profile_thread *consumer__threads(const struct consumer *c,
					       size_t *n)
{
	*n = c->nthreads;
	return c->threads;
}
