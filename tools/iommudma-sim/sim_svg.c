// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_svg.c - two pictures of a run, as hand-written SVG: each device's IOVA
 * space use over time (used pfns and the largest free range, as fractions of
 * the space) and the mapping-size histogram.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sim.h"

#define W	720
#define H	360
#define L	60	/* left margin */
#define B	40	/* bottom margin */

static const char *const sim_svg_colours[] = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd",
					       "#ff7f0e", "#8c564b" };

static FILE *svg_open(const char *dir, const char *name, const char *title, char *path,
		      size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
		"fill=\"white\"/>\n<text x=\"%d\" y=\"20\" font-size=\"15\">%s</text>\n"
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n"
		"<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", W, H, L, title,
		L, H - B, W - 10, H - B, L, L, H - B);
	return f;
}

/* One polyline: used pfns (solid) or ranges in the tree (dashed), scaled to @max. */
static void iova_series(FILE *f, const struct sim_dev_stats *d, uint64_t max_op, bool ranges,
			double max, const char *colour)
{
	unsigned int i;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\"%s points=\"", colour,
		ranges ? " stroke-dasharray=\"4 3\"" : "");
	for (i = 0; i < d->nr_samples; i++) {
		const struct sim_iova_sample *s = &d->samples[i];
		double v = ranges ? (double)s->nr_ranges : (double)(s->span_pfns - s->free_pfns);
		double x = L + (double)(W - 10 - L) * (double)s->op / (double)(max_op ? max_op : 1);
		double y = (H - B) - (H - B - 30) * v / (max > 0 ? max : 1);

		fprintf(f, "%.1f,%.1f ", x, y);
	}
	fprintf(f, "\"/>\n");
}

/**
 * sim_svg_write - write DIR/iova-space.svg and DIR/mapping-sizes.svg
 * @dir: an existing directory (created if missing)
 * @st: the run's statistics
 * @err: receives what went wrong
 * @errlen: size of @err
 *
 * Return: 0; -errno with @err set when a file could not be written.
 */
int sim_svg_write(const char *dir, const struct sim_stats *st, char *err, size_t errlen)
{
	char path[4096];
	uint64_t max_op = st->ops_total, max_count = 0;
	unsigned int i, j, n = 0, lo = SIM_HIST_SLOTS, hi = 0;
	double max_used = 0, max_ranges = 0;
	FILE *f;

	for (i = 0; i < st->nr_devs; i++) {
		for (j = 0; j < st->devs[i].nr_samples; j++) {
			const struct sim_iova_sample *s = &st->devs[i].samples[j];

			if (s->span_pfns - s->free_pfns > max_used)
				max_used = (double)(s->span_pfns - s->free_pfns);
			if (s->nr_ranges > max_ranges)
				max_ranges = (double)s->nr_ranges;
		}
	}
	mkdir(dir, 0777);
	f = svg_open(dir, "iova-space.svg", "IOVA space over time: pfns in use (solid), ranges "
		     "in the tree (dashed)", path, sizeof(path));
	if (!f)
		goto out_err;
	fprintf(f, "<text x=\"%d\" y=\"%d\">operations 0 .. %llu</text>\n<text x=\"2\" y=\"40\" "
		"font-size=\"10\">%.0f pfns</text>\n<text x=\"2\" y=\"52\" font-size=\"10\">%.0f "
		"ranges</text>\n<text x=\"5\" y=\"%d\">0</text>\n", L, H - 10,
		(unsigned long long)max_op, max_used, max_ranges, H - B);
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];
		const char *colour = sim_svg_colours[n % 6];

		if (!d->nr_samples)
			continue;
		iova_series(f, d, max_op, false, max_used, colour);
		iova_series(f, d, max_op, true, max_ranges, colour);
		fprintf(f, "<text x=\"%d\" y=\"%u\" fill=\"%s\">%s</text>\n", W - 150, 45 + 15 * n,
			colour, d->name);
		n++;
	}
	fprintf(f, "</svg>\n");
	if (fclose(f))
		goto out_err;

	for (i = 0; i < SIM_HIST_SLOTS; i++) {
		if (!st->hist[i])
			continue;
		lo = i < lo ? i : lo;
		hi = i;
		max_count = st->hist[i] > max_count ? st->hist[i] : max_count;
	}
	f = svg_open(dir, "mapping-sizes.svg", "Mappings by size (bytes, up to)", path,
		     sizeof(path));
	if (!f)
		goto out_err;
	for (i = lo; i <= hi && max_count; i++) {
		double bw = (double)(W - 10 - L) / (hi - lo + 1);
		double bh = (double)(H - B - 40) * st->hist[i] / max_count;
		double x = L + bw * (i - lo);

		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\"/>\n"
			"<text x=\"%.1f\" y=\"%d\" font-size=\"9\">%llu</text>\n"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\">%llu</text>\n", x + 1,
			H - B - bh, bw - 2, bh, x + 1, H - B + 12, 1ull << i, x + 1, H - B - bh - 3,
			(unsigned long long)st->hist[i]);
	}
	fprintf(f, "</svg>\n");
	if (fclose(f))
		goto out_err;
	return 0;

out_err:
	snprintf(err, errlen, "--svg: %s: %s", path, strerror(errno));
	return -errno;
}
