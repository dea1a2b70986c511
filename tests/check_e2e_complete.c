/*
 * check_e2e_complete.c - shell completion and man pages, from the binaries
 *
 * The scripts `retort completion SHELL` and `migrate completion SHELL`
 * print are checked by the shells themselves (bash -n, zsh -n, fish -n),
 * then run: bash's completion function is called as bash would call it
 * (COMP_WORDS, COMP_CWORD) in a non-interactive bash, fish's through
 * `complete -C`. The oracles are the binaries' other outputs: --help for
 * commands and options, `history` for revision ids. The man pages the
 * build printed are linted by groff and mandoc and must name every option
 * --help lists.
 */
/* vasprintf */
#define _GNU_SOURCE
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	va_start(ap, f);
	ck_assert(vasprintf(&s, f, ap) >= 0);
	va_end(ap);
	return s;
}

/* Runs `script` with bash; returns its status, stdout and stderr in *out. */
static int sh(const char *script, char **out)
{
	char *argv[] = { "/bin/bash", "-c", (char *)script, NULL };
	char *env[] = { "LC_ALL=C", "MANWIDTH=80", NULL };
	char *o, *e;
	int rc = tu_run(argv, env, &o, &e);
	*out = fmt("%s%s", o, e);
	free(o), free(e);
	return rc;
}

static char *sh_ok(const char *script)
{
	char *out;
	int rc = sh(script, &out);
	ck_assert_msg(rc == 0, "%s\nexit %d:\n%s", script, rc, out);
	return out;
}

static char *tmp, *retort, *migrate, *build;

static void setup(void)
{
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	const char *t = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	tmp = fmt("%s/retort-complete-XXXXXX", t);
	ck_assert(mkdtemp(tmp) != NULL);
	build = fmt("%s/%s", cwd, tu_build_dir());
	retort = fmt("%s/retort", build);
	migrate = fmt("%s/tests/migrate-branchy", build);
}

static void teardown(void)
{
	char *cmd = fmt("rm -rf '%s'", tmp);
	free(sh_ok(cmd));
	free(cmd), free(tmp), free(retort), free(migrate), free(build);
}

/*
 * A bash prelude: the script of `bin` loaded, and t WORD... printing what
 * completing the last word offers, one a line, sorted.
 */
static char *bash_prelude(const char *bin, const char *fn)
{
	return fmt("set -e; cd '%s'; mkdir -p db/versions; touch dbfile\n"
		   "source <('%s' completion bash)\n"
		   "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=();\n"
		   "      %s; printf '%%s\\n' \"${COMPREPLY[@]}\" | sort; }\n",
		   tmp, bin, fn);
}

START_TEST(scripts_pass_their_shells_syntax_check)
{
	const char *bins[] = { retort, migrate };
	const char *shells[] = { "bash", "zsh", "fish" };
	for (size_t b = 0; b < 2; b++) {
		for (size_t s = 0; s < 3; s++) {
			char *cmd = fmt("'%s' completion %s >'%s/script' && %s -n '%s/script' && "
					"head -2 '%s/script'", bins[b], shells[s], tmp, shells[s], tmp,
					tmp);
			char *out = sh_ok(cmd);
			ck_assert_contains(out, shells[s]);
			free(out), free(cmd);
		}
	}
}
END_TEST

START_TEST(bash_completes_migrator_commands_options_and_revisions)
{
	char *pre = bash_prelude(migrate, "_migrate_branchy");
	char *cmd = fmt("%s"
			"t '%s' up; echo --\n"
			"t '%s' upgrade --tr; echo --\n"
			"t '%s' -c x.ini sta; echo --\n"
			"t '%s' -c db; echo --\n"
			"t '%s' --conf", pre, migrate, migrate, migrate, migrate, migrate);
	char *out = sh_ok(cmd);
	ck_assert_str_eq(out, "upgrade\n--\n--transaction-per-migration\n--\nstamp\n--\n"
			      "db\ndbfile\n--\n--config\n");
	free(out), free(cmd);

	/* Every revision id `history` shows, and nothing else but names. */
	cmd = fmt("%s"
		  "want=$('%s' history | sed -n 's/.*-> \\([0-9a-f]*\\).*/\\1/p' | sort)\n"
		  "[ -n \"$want\" ]\n"
		  "for c in upgrade downgrade stamp show; do\n"
		  "  got=$(t '%s' $c '' | grep -E '^[0-9a-f]{12}$')\n"
		  "  [ \"$got\" = \"$want\" ] || { echo \"$c: $got\"; exit 1; }\n"
		  "done\n"
		  /* Branch labels as history shows them: "-> ID (alpha, beta)". */
		  "labels=$('%s' history | sed -n 's/.*-> [0-9a-f]* (\\([a-z, ]*\\)).*/\\1/p' |\n"
		  "         tr -s ', ' '\\n' | grep -vxE 'head|branchpoint|mergepoint' | sort -u)\n"
		  "got=$(t '%s' upgrade '')\n"
		  "for w in head heads base $labels $(sed 's/$/@head/' <<<\"$labels\"); do\n"
		  "  grep -qxF \"$w\" <<<\"$got\" || { echo \"$w not offered\"; exit 1; }\n"
		  "done\n"
		  "echo $labels\n"
		  "t '%s' history -", pre, migrate, migrate, migrate, migrate, migrate);
	out = sh_ok(cmd);
	ck_assert_contains(out, "alpha beta other\n");
	ck_assert_contains(out, "--rev-range\n");
	free(out), free(cmd), free(pre);
}
END_TEST

START_TEST(bash_completes_generator_directories_and_files)
{
	char *pre = bash_prelude(retort, "_retort");
	char *cmd = fmt("%s"
			"t '%s' li; echo --\n"
			"t '%s' lint d; echo --\n"
			"t '%s' compile db -o d; echo --\n"
			"t '%s' revision db --he; echo --\n"
			"t '%s' --", pre, retort, retort, retort, retort, retort);
	char *out = sh_ok(cmd);
	ck_assert_str_eq(out, "lint\n--\ndb\n--\ndb\ndbfile\n--\n--head\n--help\n--\n--help\n--version\n");
	free(out), free(cmd), free(pre);
}
END_TEST

START_TEST(fish_completes_revisions_and_descriptions)
{
	/* fish completes a command by name: the migrator on PATH. */
	char *cmd = fmt("cd '%s' && mkdir -p bin && cp '%s' bin/mig && PATH=\"$PWD/bin:$PATH\" && "
			"want=$(mig history | sed -n 's/.*-> \\([0-9a-f]*\\).*/\\1/p' | sort) && "
			"mig completion fish >mig.fish && "
			"got=$(fish -c 'source mig.fish; complete -C \"mig show \"' | "
			"      grep -E '^[0-9a-f]{12}$' | sort) && "
			"[ \"$got\" = \"$want\" ] && "
			"fish -c 'source mig.fish; complete -C \"mig upgrade --sq\"'", tmp, migrate);
	char *out = sh_ok(cmd);
	ck_assert_str_eq(out, "--sql\tprint the SQL script instead of running it (TARGET may be "
			      "START:END)\n");
	free(out), free(cmd);
}
END_TEST

START_TEST(zsh_completes_a_revision)
{
	/*
	 * An interactive zsh on a pseudo-terminal (zpty) with compinit and the
	 * script loaded types a revision's prefix and a tab; the line must end
	 * up holding the whole id. Should completion not work, the read never
	 * matches and timeout(1) fails the run.
	 */
	char *cmd = fmt("cd '%s' && mkdir -p bin && cp '%s' bin/mig && PATH=\"$PWD/bin:$PATH\" && "
			"id=$(mig history | sed -n 's/.*-> \\([0-9a-f]*\\).*/\\1/p' | head -1) && "
			"cat >t.zsh <<EOF\n"
			"zmodload zsh/zpty\n"
			"zpty z env TERM=dumb zsh -f -i\n"
			"zpty -w z 'autoload -U compinit; compinit -u -D; "
			"source <(mig completion zsh); bindkey \"^I\" complete-word; print RE\"\"ADY'\n"
			"zpty -r z out '*READY*'\n"
			"zpty -w -n z \\$'mig upgrade ${id%%??}\\t'\n"
			"zpty -r z out '*$id*'\n"
			"zpty -d z\n"
			"print -r -- completed\n"
			"EOF\n"
			"timeout 30 zsh -f t.zsh", tmp, migrate);
	char *out = sh_ok(cmd);
	ck_assert_str_eq(out, "completed\n");
	free(out), free(cmd);
}
END_TEST

/*
 * For each command --help lists: the options its --help shows (usage line
 * and option lines) are completed, and the man page has them all.
 */
static void every_option(const char *bin, const char *fn, const char *page)
{
	char *pre = bash_prelude(bin, fn);
	char *cmd = fmt("%s"
			"n=0 page=$(<'%s')\n"
			"for c in $('%s' --help | grep -E '^  [a-z]' | awk '{print $1}'); do\n"
			"  help=$('%s' $c --help)\n"
			/* Fleet options are listed for all, taken by the commands named. */
			"  case $(grep '^Fleet options' <<<\"$help\") in\n"
			"  *\"($c,\"*|*\" $c,\"*|*\" $c;\"*) ;;\n"
			"  *) help=$(sed '/^Fleet options/,$d' <<<\"$help\");;\n"
			"  esac\n"
			"  opts=$( { head -1 <<<\"$help\" | grep -oE -- '--[a-z][a-z-]*';\n"
			"    sed -nE 's/^ +(-[a-zA-Z], )?(--[a-z][a-z-]*).*/\\2/p' <<<\"$help\"; } | sort -u)\n"
			"  offered=$'\\n'$(t '%s' $c --)$'\\n'\n"
			"  for o in $opts; do\n"
			"    [[ $offered == *$'\\n'$o$'\\n'* ]] || { echo \"$c: $o not completed\"; exit 1; }\n"
			"    [[ $page == *\"${o//-/\\\\-}\"* ]] || { echo \"$c: $o not in %s\"; exit 1; }\n"
			"    n=$((n + 1))\n"
			"  done\n"
			"done\n"
			"echo $n options", pre, page, bin, bin, bin, page);
	char *out = sh_ok(cmd);
	ck_assert_msg(atoi(out) > 20, "%s", out);
	free(out), free(cmd), free(pre);
}

START_TEST(every_option_of_help_is_completed_and_in_the_man_page)
{
	char *page = fmt("%s/man/retort.1", build);
	every_option(retort, "_retort", page);
	free(page);
	page = fmt("%s/man/retort-migrator.1", build);
	every_option(migrate, "_migrate_branchy", page);
	free(page);
}
END_TEST

START_TEST(man_pages_render_without_warnings)
{
	const char *pages[] = { "retort.1", "retort-migrator.1" };
	for (size_t i = 0; i < 2; i++) {
		char *cmd = fmt("p='%s/man/%s'; groff -ww -z -man \"$p\" 2>&1 && "
				"mandoc -T lint -W warning \"$p\" 2>&1 && man -l \"$p\" 2>&1",
				build, pages[i]);
		char *out = sh_ok(cmd);
		/* Nothing before the rendered page: no warning from either. */
		ck_assert_msg(strncmp(out, i ? "RETORT-MIGRATOR(1)" : "RETORT(1)", 9) == 0,
			      "%s", out);
		ck_assert_contains(out, "\nCOMMANDS\n");
		ck_assert_contains(out, i ? "   upgrade\n" : "   build\n");
		ck_assert_contains(out, "\nEXIT STATUS\n");
		free(out), free(cmd);
	}
}
END_TEST

START_TEST(bad_shell_is_a_usage_error)
{
	char *out;
	char *cmd = fmt("'%s' completion tcsh", retort);
	ck_assert_int_eq(sh(cmd, &out), 2);
	ck_assert_contains(out, "no completion for 'tcsh': bash, zsh or fish");
	free(out), free(cmd);
	cmd = fmt("'%s' completion", migrate);
	ck_assert_int_eq(sh(cmd, &out), 2);
	ck_assert_contains(out, "missing SHELL (bash, zsh or fish)");
	free(out), free(cmd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("completion and man pages (end to end)");
	TCase *tc = tcase_create("complete");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, scripts_pass_their_shells_syntax_check);
	tcase_add_test(tc, bash_completes_migrator_commands_options_and_revisions);
	tcase_add_test(tc, bash_completes_generator_directories_and_files);
	tcase_add_test(tc, fish_completes_revisions_and_descriptions);
	tcase_add_test(tc, zsh_completes_a_revision);
	tcase_add_test(tc, every_option_of_help_is_completed_and_in_the_man_page);
	tcase_add_test(tc, man_pages_render_without_warnings);
	tcase_add_test(tc, bad_shell_is_a_usage_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
