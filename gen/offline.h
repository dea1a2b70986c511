/*
 * offline.h - Alembic's own offline rendering of a revision, offered in a hint
 *
 * When a .py revision fails with "rewrite this revision as a .sql file",
 * the statements it stands for are often computable by Alembic itself: if
 * Python with Alembic is installed (RETORT_PYTHON, default python3), the
 * revision is run as `alembic upgrade PARENT:REV --sql` and `alembic
 * downgrade REV:PARENT --sql` on a temporary alembic.ini and env.py (no
 * database; the folder's own env.py is not run), and those statements are
 * printed after the hint, marked as Alembic's for the user to review. They
 * are never used: the build still fails. Bounded: the child is killed after
 * RETORT_OFFLINE_TIMEOUT seconds (default 10) and its output capped; when
 * Python or Alembic is missing or fails, nothing more is printed.
 */
#ifndef GEN_OFFLINE_H
#define GEN_OFFLINE_H

#include "arena.h"
#include "rev.h"

/* Called after r (of folder dir) failed to compile: prints Alembic's
 * rendering when the last diagnostic printed was a "rewrite as SQL" hint. */
void offline_hint(struct arena *a, const char *dir, const struct rev *r);

#endif
