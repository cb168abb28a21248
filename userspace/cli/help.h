/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* -h as a synonym of --help in every subcommand: argp gives -? only. */
#ifndef SCOPE_CLI_HELP_H
#define SCOPE_CLI_HELP_H

#include <argp.h>

/* Add to an argp's .children. -h prints the command's help and exits 0;
 * under ARGP_NO_EXIT the parse fails with ECANCELED instead. */
extern const struct argp_child cli__help_children[];

#endif /* SCOPE_CLI_HELP_H */
