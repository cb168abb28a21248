// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A flame graph of the call tree as one SVG file, drawn as flamegraph.pl
 * draws it (roots at the bottom, a frame's width its inclusive time), with
 * no script and no external reference: any browser or SVG rasteriser opens
 * it offline. Each frame is a <g> holding its <title> (the tooltip), its
 * <rect> and its label, cut to the characters that fit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "export/names.h"
#include "export/svg_draw.h"
#include "export/svg_timeline.h"
#include "report/report.h"
#include "report/tree.h"

#define SVG_FRAME_H   16.0
#define SVG_TOP	      40.0 /* title and subtitle */
#define SVG_BOTTOM    10.0
#define SVG_MIN_LABEL 3 /* characters; fewer: no label */

void export__svg_layout(double x, double w, uint64_t parent_ns,
			const uint64_t *ns, size_t n, double *xs, double *ws)
{
	long double sum = 0, of = parent_ns;

	for (size_t i = 0; i < n; i++)
		sum += ns[i];
	/* compensated children may sum past their parent by the probes'
	 * cost the parent's own time could not absorb */
	if (sum > of)
		of = sum;
	for (size_t i = 0; i < n; i++) {
		xs[i] = x;
		ws[i] = of > 0 ? (double)(w * ns[i] / of) : 0.0;
		x += ws[i];
	}
}

struct svg {
	const struct profile *p;
	const struct tree *t;
	const struct export_opts *o;
	FILE *out;
	uint32_t max_depth; /* levels below the roots */
	double height;
	uint64_t roots_w; /* the roots' widths summed */
};

/* What a frame's width stands for: its inclusive time, or its inclusive
 * count of the --weight counter. */
static uint64_t svg__weight(const struct svg *v, const struct tree_node *n)
{
	if (v->o->weight == EXPORT_WEIGHT_COUNTER)
		return n->counter_incl[v->o->weight_counter %
				       PROFILE_MAX_COUNTERS];
	return n->total_ns;
}

/* The tree's height in frames, from the roots (orphans are roots too,
 * whatever depth their path had). */
static uint32_t svg__levels(const struct tree *t, size_t i)
{
	const struct tree_node *n = &t->nodes[i];
	uint32_t most = 0;

	for (size_t c = 0; c < n->nchildren; c++) {
		uint32_t l = svg__levels(t, n->children[c]);

		if (l > most)
			most = l;
	}
	return most + 1;
}

/* --weight EVENT: the frame's counts in its tooltip. */
static void svg__counts(const struct svg *v, const struct tree_node *n)
{
	size_t k = v->o->weight_counter % PROFILE_MAX_COUNTERS;

	if (v->o->weight != EXPORT_WEIGHT_COUNTER)
		return;
	fputc('\n', v->out);
	svg__text(v->out, v->o->weight_event, (size_t)-1);
	fprintf(v->out, " inclusive %llu, exclusive %llu",
		(unsigned long long)n->counter_incl[k],
		(unsigned long long)n->counter_self[k]);
}

static void svg__frame(const struct svg *v, size_t i, double x, double w,
		       uint32_t level)
{
	const struct tree_node *n = &v->t->nodes[i];
	const char *name = export__region_name(v->p, n->region);
	double y = v->height - SVG_BOTTOM - (level + 1) * SVG_FRAME_H;
	double pct = v->roots_w ? 100.0 * svg__weight(v, n) / v->roots_w : 0;
	char incl[32], self[32];
	unsigned int rgb[3];
	size_t fit = (size_t)((w - 6) / SVG_CHAR_W);

	report__fmt_ns(incl, sizeof(incl), n->total_ns);
	report__fmt_ns(self, sizeof(self), n->self_ns);
	svg__colour(name, rgb);
	fputs("<g><title>", v->out);
	svg__text(v->out, name, (size_t)-1);
	fprintf(v->out, "\ninclusive %s (%.2f%%)\nexclusive %s\ncalls %llu",
		incl, pct, self, (unsigned long long)n->calls);
	svg__counts(v, n);
	fputs("</title>", v->out);
	fprintf(v->out,
		"<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
		"fill=\"rgb(%u,%u,%u)\" rx=\"2\" ry=\"2\"/>",
		x, y, w, SVG_FRAME_H - 1, rgb[0], rgb[1], rgb[2]);
	if (fit >= SVG_MIN_LABEL) {
		fprintf(v->out, "<text x=\"%.2f\" y=\"%.1f\">", x + 3,
			y + SVG_FRAME_H - 4.5);
		svg__text(v->out, name, fit);
		fputs("</text>", v->out);
	}
	fputs("</g>\n", v->out);
}

/* Node @i at [x, x + w) on @level, then its children on the next. */
static int svg__node(const struct svg *v, size_t i, double x, double w,
		     uint32_t level)
{
	const struct tree_node *n = &v->t->nodes[i];
	uint64_t *ns = calloc(n->nchildren ?: 1, sizeof(*ns));
	double *xs = calloc(n->nchildren ?: 1, sizeof(*xs));
	double *ws = calloc(n->nchildren ?: 1, sizeof(*ws));
	int err = ns && xs && ws ? 0 : -ENOMEM;

	if (!err) {
		svg__frame(v, i, x, w, level);
		for (size_t c = 0; c < n->nchildren; c++)
			ns[c] = svg__weight(v, &v->t->nodes[n->children[c]]);
		export__svg_layout(x, w, svg__weight(v, n), ns, n->nchildren,
				   xs, ws);
	}
	for (size_t c = 0; c < n->nchildren && !err; c++)
		err = svg__node(v, n->children[c], xs[c], ws[c], level + 1);
	free(ns);
	free(xs);
	free(ws);
	return err;
}

static void svg__head(const struct svg *v, const struct export_opts *o,
		      double height)
{
	const char *cmd = v->p->meta.command ?: "";

	fprintf(v->out,
		"<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
		"<style>text { font-family: Verdana, sans-serif; font-size: "
		"%dpx; fill: black; }</style>\n"
		"<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" "
		"fill=\"white\"/>\n"
		"<text x=\"%.0f\" y=\"18\" text-anchor=\"middle\" "
		"style=\"font-size: 16px\">",
		SVG_WIDTH, height, SVG_WIDTH, height, SVG_FONT_PX,
		SVG_WIDTH / 2);
	svg__text(v->out, cmd, 120);
	fprintf(v->out,
		"</text>\n<text x=\"%.0f\" y=\"34\" text-anchor=\"middle\">"
		"scope-bpf flame graph: width = ",
		SVG_WIDTH / 2);
	if (o->weight == EXPORT_WEIGHT_COUNTER) {
		fputs("inclusive count of ", v->out);
		svg__text(v->out, o->weight_event, (size_t)-1);
	} else {
		fprintf(v->out, "inclusive time (%s)",
			o->raw ? "as measured" : "compensated");
	}
	fputs(", merged over threads; hover a frame for its times</text>\n",
	      v->out);
}

/* The flame graph's frames, from the roots up. */
static int svg__frames(struct svg *v)
{
	const struct tree *t = v->t;
	uint64_t *ns = calloc(t->nroots ?: 1, sizeof(*ns));
	double *xs = calloc(t->nroots ?: 1, sizeof(*xs));
	double *ws = calloc(t->nroots ?: 1, sizeof(*ws));
	int err = ns && xs && ws ? 0 : -ENOMEM;

	if (!err) {
		for (size_t r = 0; r < t->nroots; r++) {
			ns[r] = svg__weight(v, &t->nodes[t->roots[r]]);
			v->roots_w += ns[r];
		}
		export__svg_layout(SVG_PAD, SVG_WIDTH - 2 * SVG_PAD, v->roots_w,
				   ns, t->nroots, xs, ws);
	}
	for (size_t r = 0; r < t->nroots && !err; r++)
		err = svg__node(v, t->roots[r], xs[r], ws[r], 0);
	free(ns);
	free(xs);
	free(ws);
	return err;
}

int export__svg(const struct profile *p, FILE *out, const struct export_opts *o)
{
	struct tree_opts to = { .raw = o->raw };
	struct svg v = { .p = p, .o = o, .out = out };
	struct svg_timeline *tl = NULL;
	struct tree t;
	int err = tree__build(p, &to, &t);

	if (err)
		return err;
	v.t = &t;
	for (size_t r = 0; r < t.nroots; r++) {
		uint32_t l = svg__levels(&t, t.roots[r]);

		v.max_depth = l > v.max_depth ? l : v.max_depth;
	}
	v.height = SVG_TOP + v.max_depth * SVG_FRAME_H + SVG_BOTTOM;
	/* a trace is drawn on a timeline below the flame graph */
	if (o->trace && (p->meta.trace_intervals || p->meta.unfinished)) {
		tl = svg_timeline__plan(p);
		if (!tl && errno != ENODATA)
			err = -errno;
	}
	if (!err) {
		svg__head(&v, o,
			  v.height + (tl ? svg_timeline__height(tl) : 0));
		err = svg__frames(&v);
	}
	if (!err && tl)
		err = svg_timeline__draw(tl, o->trace, out, v.height);
	if (!err)
		fputs("</svg>\n", out);
	svg_timeline__free(tl);
	tree__free(&t);
	return !err && ferror(out) ? -EIO : err;
}
