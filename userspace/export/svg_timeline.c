// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A trace's intervals on a timeline: a lane per thread, a row per nesting
 * depth, time from left to right. The output is bounded whatever the
 * trace's length: an interval at least a pixel wide is a box with its
 * tooltip (in a row, a thread's intervals never overlap, so a row holds at
 * most a box per pixel); narrower ones are counted per pixel and drawn
 * as grey runs saying how many they are. Times as measured. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/names.h"
#include "export/svg_draw.h"
#include "export/svg_timeline.h"
#include "hdf5/trace_file.h"
#include "profile/trace.h"
#include "report/report.h"

#define TL_MAX_LANES  64 /* threads drawn; the rest are counted */
#define TL_MAX_ROWS   12 /* depths drawn per thread */
#define TL_ROW_H      12.0
#define TL_LABEL_H    16.0 /* a lane's name above its rows */
#define TL_GAP	      6.0
#define TL_HEAD_H     44.0 /* title and the time axis */
#define TL_MIN_BOX_PX 1.0
#define TL_BATCH      4096

struct lane {
	uint32_t pid, tid;
	uint32_t rows;	/* depths drawn */
	double y;	/* of its first row, from the group's top */
	uint32_t *tiny; /* [rows][width px]: intervals under a pixel */
};

struct svg_timeline {
	const struct profile *p;
	struct lane *lanes;
	size_t nlanes, left_out; /* threads with regions not drawn */
	uint64_t t0, t1;
	size_t px; /* the time axis's width in pixels */
	double height;
	uint64_t deeper; /* intervals below TL_MAX_ROWS, not drawn */
	size_t last;	 /* the lane found last */
	struct trace_interval batch[TL_BATCH];
};

/* Rows a thread needs: one per depth its call paths reach. */
static uint32_t lane__rows(const struct profile *p, uint32_t pid, uint32_t tid)
{
	uint32_t rows = 0;

	for (size_t i = 0; i < p->npaths; i++) {
		const struct path_stats *s = &p->paths[i];

		if (s->pid == pid && s->tid == tid && s->depth + 1 > rows)
			rows = s->depth + 1;
	}
	/* a profile from before call paths: its stats say the thread ran */
	for (size_t i = 0; !rows && i < p->nstats; i++)
		if (p->stats[i].pid == pid && p->stats[i].tid == tid)
			rows = 1;
	return rows < TL_MAX_ROWS ? rows : TL_MAX_ROWS;
}

static int plan__lanes(struct svg_timeline *tl)
{
	const struct profile *p = tl->p;
	double y = TL_HEAD_H;

	tl->lanes = calloc(p->nthreads ?: 1, sizeof(*tl->lanes));
	if (!tl->lanes)
		return -ENOMEM;
	for (size_t i = 0; i < p->nthreads; i++) {
		uint32_t rows =
			lane__rows(p, p->threads[i].pid, p->threads[i].tid);
		struct lane *l = &tl->lanes[tl->nlanes];

		if (!rows)
			continue;
		if (tl->nlanes == TL_MAX_LANES) {
			tl->left_out++;
			continue;
		}
		*l = (struct lane){ .pid = p->threads[i].pid,
				    .tid = p->threads[i].tid,
				    .rows = rows,
				    .y = y + TL_LABEL_H };
		l->tiny = calloc((size_t)rows * tl->px, sizeof(*l->tiny));
		if (!l->tiny)
			return -ENOMEM;
		y = l->y + rows * TL_ROW_H + TL_GAP;
		tl->nlanes++;
	}
	tl->height = y + TL_GAP + TL_LABEL_H; /* and a line of notes */
	return tl->nlanes ? 0 : -ENODATA;
}

struct svg_timeline *svg_timeline__plan(const struct profile *p)
{
	struct svg_timeline *tl = calloc(1, sizeof(*tl));
	int err;

	if (!tl)
		return NULL;
	tl->p = p;
	tl->t0 = p->meta.start_ns;
	tl->t1 = p->meta.end_ns > tl->t0 ? p->meta.end_ns : tl->t0 + 1;
	tl->px = (size_t)(SVG_WIDTH - 2 * SVG_PAD);
	err = plan__lanes(tl);
	if (err) {
		svg_timeline__free(tl);
		errno = -err;
		return NULL;
	}
	return tl;
}

double svg_timeline__height(const struct svg_timeline *tl)
{
	return tl->height;
}

void svg_timeline__free(struct svg_timeline *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->nlanes; i++)
		free(tl->lanes[i].tiny);
	free(tl->lanes);
	free(tl);
}

static struct lane *lane__find(struct svg_timeline *tl, uint32_t pid,
			       uint32_t tid)
{
	/* lanes are few (TL_MAX_LANES): a scan, with the last hit first */
	size_t last = tl->last;

	if (last < tl->nlanes && tl->lanes[last].tid == tid &&
	    tl->lanes[last].pid == pid)
		return &tl->lanes[last];
	for (size_t i = 0; i < tl->nlanes; i++) {
		if (tl->lanes[i].tid == tid && tl->lanes[i].pid == pid) {
			tl->last = i;
			return &tl->lanes[i];
		}
	}
	return NULL;
}

static double x_of(const struct svg_timeline *tl, uint64_t ns)
{
	if (ns <= tl->t0)
		return 0;
	if (ns >= tl->t1)
		return (double)tl->px;
	return (double)(ns - tl->t0) * tl->px / (double)(tl->t1 - tl->t0);
}

static void draw__box(struct svg_timeline *tl, FILE *out, const struct lane *l,
		      const struct trace_interval *v, double x0, double x1)
{
	const char *name = export__region_name(tl->p, v->region);
	char dur[32], at[32];
	unsigned int rgb[3];
	size_t fit = (size_t)((x1 - x0 - 4) / SVG_CHAR_W);

	report__fmt_ns(dur, sizeof(dur), v->end_ns - v->start_ns);
	report__fmt_ns(at, sizeof(at),
		       v->start_ns > tl->t0 ? v->start_ns - tl->t0 : 0);
	svg__colour(name, rgb);
	fputs("<g><title>", out);
	svg__text(out, name, (size_t)-1);
	fprintf(out, "\n%s, from %s\ndepth %u</title>", dur, at, v->depth);
	fprintf(out,
		"<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
		"fill=\"rgb(%u,%u,%u)\"/>",
		SVG_PAD + x0, l->y + v->depth * TL_ROW_H, x1 - x0, TL_ROW_H - 1,
		rgb[0], rgb[1], rgb[2]);
	if (fit >= 3) {
		fprintf(out, "<text x=\"%.2f\" y=\"%.1f\">", SVG_PAD + x0 + 2,
			l->y + v->depth * TL_ROW_H + TL_ROW_H - 2.5);
		svg__text(out, name, fit);
		fputs("</text>", out);
	}
	fputs("</g>\n", out);
}

static void draw__interval(struct svg_timeline *tl, FILE *out,
			   const struct trace_interval *v)
{
	struct lane *l = lane__find(tl, v->pid, v->tid);
	double x0, x1;
	size_t px;

	if (!l)
		return;
	if (v->depth >= l->rows) {
		tl->deeper++;
		return;
	}
	x0 = x_of(tl, v->start_ns);
	x1 = x_of(tl, v->end_ns);
	if (x1 - x0 >= TL_MIN_BOX_PX) {
		draw__box(tl, out, l, v, x0, x1);
		return;
	}
	px = (size_t)x0 < tl->px ? (size_t)x0 : tl->px - 1;
	l->tiny[(size_t)v->depth * tl->px + px]++;
}

/* Each run of pixels that hold intervals too short for a box. */
static void draw__tiny(const struct svg_timeline *tl, FILE *out,
		       const struct lane *l, uint32_t row)
{
	const uint32_t *c = &l->tiny[(size_t)row * tl->px];
	double ns_px = (double)(tl->t1 - tl->t0) / tl->px;

	for (size_t x = 0; x < tl->px;) {
		uint64_t n = 0;
		size_t end = x;

		while (end < tl->px && c[end])
			n += c[end++];
		if (!n) {
			x++;
			continue;
		}
		fprintf(out,
			"<g><title>%llu intervals shorter than a pixel (%.0f "
			"ns)</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%zu\" "
			"height=\"%.1f\" fill=\"rgb(150,150,150)\"/></g>\n",
			(unsigned long long)n, ns_px, SVG_PAD + x,
			l->y + row * TL_ROW_H, end - x, TL_ROW_H - 1);
		x = end;
	}
}

static void draw__head(const struct svg_timeline *tl, FILE *out)
{
	char at[32];

	fprintf(out,
		"<text x=\"%.0f\" y=\"16\" text-anchor=\"middle\">"
		"timeline of the trace: a lane per thread, a row per nesting "
		"depth, times as measured; hover a box for its "
		"interval</text>\n",
		SVG_WIDTH / 2);
	fprintf(out,
		"<line x1=\"%.0f\" y1=\"36\" x2=\"%.0f\" y2=\"36\" "
		"stroke=\"black\"/>\n",
		SVG_PAD, SVG_WIDTH - SVG_PAD);
	for (int i = 0; i <= 4; i++) {
		double x = SVG_PAD + tl->px * i / 4.0;

		report__fmt_ns(at, sizeof(at), (tl->t1 - tl->t0) * i / 4);
		fprintf(out,
			"<line x1=\"%.1f\" y1=\"32\" x2=\"%.1f\" y2=\"40\" "
			"stroke=\"black\"/><text x=\"%.1f\" y=\"30\" "
			"text-anchor=\"%s\">%s</text>\n",
			x, x, x,
			i == 0 ? "start" :
			i == 4 ? "end" :
				 "middle",
			at);
	}
}

static void draw__labels(const struct svg_timeline *tl, FILE *out)
{
	for (size_t i = 0; i < tl->nlanes; i++) {
		const struct lane *l = &tl->lanes[i];
		const char *comm =
			export__thread_comm(tl->p, l->pid, l->tid) ?: "";

		fprintf(out, "<text x=\"%.0f\" y=\"%.1f\">", SVG_PAD, l->y - 4);
		svg__text(out, comm, 40);
		fprintf(out, " (tid %u, pid %u)</text>\n", l->tid, l->pid);
	}
}

/* What the picture leaves out, under the lanes. */
static void draw__notes(const struct svg_timeline *tl, FILE *out)
{
	if (!tl->left_out && !tl->deeper)
		return;
	fprintf(out, "<text x=\"%.0f\" y=\"%.1f\">not drawn:", SVG_PAD,
		tl->height - 4);
	if (tl->left_out)
		fprintf(out, " %zu more threads (at most %d lanes)",
			tl->left_out, TL_MAX_LANES);
	if (tl->deeper)
		fprintf(out, " %llu intervals deeper than %d levels",
			(unsigned long long)tl->deeper, TL_MAX_ROWS);
	fputs("</text>\n", out);
}

struct draw_ctx {
	struct svg_timeline *tl;
	FILE *out;
};

static int draw__batch(void *ctx, struct trace_interval *v, size_t n)
{
	struct draw_ctx *d = ctx;

	for (size_t i = 0; i < n; i++)
		draw__interval(d->tl, d->out, &v[i]);
	return 0;
}

static int draw__stream(struct svg_timeline *tl, struct trace_reader *r,
			FILE *out)
{
	struct draw_ctx d = { tl, out };

	return trace_reader__each(r, tl->batch, TL_BATCH, draw__batch, &d);
}

int svg_timeline__draw(struct svg_timeline *tl, const char *path, FILE *out,
		       double y)
{
	struct trace_reader *r = trace_reader__open(path);
	int err;

	if (!r)
		return -EIO;
	fprintf(out, "<g transform=\"translate(0,%.1f)\">\n", y);
	draw__head(tl, out);
	draw__labels(tl, out);
	err = draw__stream(tl, r, out);
	for (size_t i = 0; !err && i < tl->nlanes; i++)
		for (uint32_t row = 0; row < tl->lanes[i].rows; row++)
			draw__tiny(tl, out, &tl->lanes[i], row);
	draw__notes(tl, out);
	fputs("</g>\n", out);
	trace_reader__free(r);
	return err;
}
