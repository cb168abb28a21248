// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What every SVG picture of export/ draws with: the palette and XML-safe
 * text, shared by the flame graph and the timeline. */
#include <stdint.h>
#include <string.h>

#include "export/svg_draw.h"

void svg__colour(const char *name, unsigned int rgb[3])
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		h = (h ^ *s) * 16777619u;
	rgb[0] = 205 + h % 51;
	rgb[1] = (h >> 8) % 231;
	rgb[2] = (h >> 16) % 56;
}

void svg__text(FILE *out, const char *s, size_t max)
{
	size_t len = strlen(s), n = len > max ? (max > 2 ? max - 2 : 0) : len;

	/* never inside a UTF-8 sequence: the cut would not be XML */
	while (n < len && n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			/* XML 1.0 has no place for other control characters */
			fputc((unsigned char)s[i] < ' ' ? '?' : s[i], out);
		}
	}
	if (n < len)
		fputs("..", out);
}
