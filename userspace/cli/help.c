// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* -h for every subcommand, as an argp child parser: one line per command. */
#include <errno.h>

#include "cli/help.h"

static const struct argp_option help_options[] = {
	/* hidden: argp already lists -?, --help */
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Give this help list", -1 },
	{ 0 },
};

static error_t help__parse_opt(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != 'h')
		return ARGP_ERR_UNKNOWN;
	/* exits 0 unless the caller asked for ARGP_NO_EXIT */
	argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
	return ECANCELED;
}

static const struct argp help_argp = {
	.options = help_options,
	.parser = help__parse_opt,
};

const struct argp_child cli__help_children[] = {
	{ &help_argp, 0, NULL, 0 },
	{ 0 },
};
