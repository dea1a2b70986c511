/*
 * page.c - the prose of retort(1), around what the tables give
 */
#include "page.h"

#include "emit.h"

const struct spec_page retort_page = {
	.title = "RETORT",
	.name_line = "retort \\- compile a folder of PostgreSQL migrations into one migrator binary",
	.synopsis = "COMMAND [OPTIONS] [DIR]",
	.description =
		"retort reads a migration folder (native .sql revisions and Alembic .py\n"
		"revision scripts in a static subset, under DIR/versions) and builds a\n"
		"self-contained migrator from it: one binary that carries its migrations\n"
		"and speaks Alembic's commands on Alembic's alembic_version table (see\n"
		"retort-migrator(1)). It also lints the folder, lists its heads and\n"
		"history, and writes new revisions.\n"
		"\n"
		"'retort COMMAND --help' prints what this page says about COMMAND.",
	.common_title = NULL,
	.tail =
		".SH ENVIRONMENT\n"
		".TP\n.B RETORT_PREFIX\n"
		"where \\fBretort build\\fR finds the installed runtime (default: the\n"
		"directory above the one retort is in).\n"
		".TP\n.B RETORT_DEV_URL\n"
		"the scratch server of \\fBrevision \\-\\-autogenerate\\fR, \\fBdiff\\fR and \\fBcheck\\fR.\n"
		".SH EXIT STATUS\n"
		".TP\n.B 0\nsuccess\n"
		".TP\n.B 1\nthe folder has errors, or a file could not be written\n"
		"(\\fBdiff\\fR and \\fBcheck\\fR: the schemas differ)\n"
		".TP\n.B 2\nusage error\n"
		".SH FILES\n"
		".TP\n.I DIR/versions/\n"
		"the revisions: \\fIID_slug.sql\\fR and Alembic \\fI.py\\fR scripts.\n"
		".TP\n.I DIR/retort.ini\n"
		"the folder's settings.\n"
		".TP\n.I DIR/script.sql.tmpl\n"
		"the template of \\fBrevision\\fR.\n"
		".SH SEE ALSO\n"
		"retort-migrator(1), alembic(1); docs/commands.md and docs/install.md in\n"
		"retort's source tree.\n",
	.version = "retort " RETORT_VERSION,
};
