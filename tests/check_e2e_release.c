/*
 * check_e2e_release.c - the static release migrator (make release)
 *
 * `make test` builds $B/release/migrate once (test-bins); these cases check
 * what the README promises of it: static and stripped, runnable in an empty
 * root holding only itself and /etc/hosts (TCP by host name, TLS with
 * verify-full), GSSAPI and LDAP refused with a clear message, the same bytes
 * from another tree at another time, and the same build through CMake with
 * toolchain.cmake.
 */
/* vasprintf, memmem */
#define _GNU_SOURCE
#include <check.h>
#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

#define DB_NAME "retort-db.test" /* resolved only through the root's /etc/hosts */

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


static char *release_bin(void)
{
	return fmt("%s/release/migrate", tu_build_dir());
}

/*
 * Runs `cmd` with /bin/sh; returns its status, output in *out (caller
 * frees), of which only the last 3000 bytes when it fails: Check cannot
 * carry longer messages, and a build's last lines say what broke.
 */
static int sh(const char *cmd, char *const env[], char **out)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char *o, *e;
	int rc = tu_run(argv, env, &o, &e);
	*out = fmt("%s%s", o, e);
	size_t len = strlen(*out);
	if (rc != 0 && len > 3000)
		memmove(*out, *out + len - 3000, 3001);
	free(o), free(e);
	return rc;
}

static void sh_ok(const char *cmd)
{
	char *out;
	int rc = sh(cmd, NULL, &out);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s", cmd, rc, out);
	free(out);
}

/* ---- the binary itself --------------------------------------------------------- */

struct elf_facts {
	bool interp, dynamic, symtab, debug, build_id;
};

static struct elf_facts elf_read(const char *path)
{
	struct elf_facts f = { 0 };
	size_t len;
	char *img = tu_read_file(path, &len);
	ck_assert_msg(img != NULL, "cannot read %s", path);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	ck_assert_msg(len > sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
		      eh->e_ident[EI_CLASS] == ELFCLASS64, "%s is not a 64-bit ELF file", path);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff + (size_t)i * eh->e_phentsize);
		f.interp |= ph->p_type == PT_INTERP;
		f.dynamic |= ph->p_type == PT_DYNAMIC;
	}
	const Elf64_Shdr *sh0 = (const Elf64_Shdr *)(img + eh->e_shoff);
	const char *names = img + sh0[eh->e_shstrndx].sh_offset;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		const char *name = names + sh0[i].sh_name;
		f.symtab |= sh0[i].sh_type == SHT_SYMTAB;
		f.debug |= strncmp(name, ".debug", 6) == 0;
		f.build_id |= strcmp(name, ".note.gnu.build-id") == 0;
	}
	free(img);
	return f;
}

static void assert_static_stripped(const char *path)
{
	struct elf_facts f = elf_read(path);
	ck_assert_msg(!f.interp && !f.dynamic, "%s has a program interpreter or dynamic section", path);
	ck_assert_msg(!f.symtab && !f.debug, "%s is not stripped", path);
	ck_assert_msg(!f.build_id, "%s carries a build id", path);

	char *cmd = fmt("ldd '%s'", path), *out;
	sh(cmd, NULL, &out);
	ck_assert_contains(out, "not a dynamic executable");
	free(cmd), free(out);
}

START_TEST(static_and_stripped)
{
	char *bin = release_bin();
	assert_static_stripped(bin);

	char *argv[] = { bin, "version", NULL }, *out, *err;
	ck_assert_int_eq(tu_run(argv, NULL, &out, &err), 0);
	ck_assert_contains(out, "revisions:  8\n");
	ck_assert_contains(out, " (static: no GSSAPI, no LDAP)\n");
	free(out), free(err);
	char *jargv[] = { bin, "version", "--json", NULL };
	ck_assert_int_eq(tu_run(jargv, NULL, &out, &err), 0);
	ck_assert_contains(out, ",\"static\":true}\n");
	free(out), free(err), free(bin);
}
END_TEST

/* ---- an empty root: the binary and /etc/hosts ----------------------------------- */

/* Makes $B/tests/root-XXXXXX holding /migrate and /etc/hosts; returns its path. */
static char *make_root(const char *extra_file, const char *extra_text)
{
	char *dir = fmt("%s/tests/root-XXXXXX", tu_build_dir());
	ck_assert(mkdtemp(dir) != NULL);
	char *bin = release_bin(), *to = fmt("%s/migrate", dir);
	size_t len;
	char *img = tu_read_file(bin, &len);
	ck_assert(img != NULL);
	FILE *fp = fopen(to, "wb");
	ck_assert(fp && fwrite(img, 1, len, fp) == len && fclose(fp) == 0);
	ck_assert_int_eq(chmod(to, 0755), 0);
	char *hosts = fmt("%s/etc/hosts", dir);
	tu_write_file(hosts, "127.0.0.1\t" DB_NAME "\n127.0.0.1\tsomeone-else.test\n");
	if (extra_file) {
		char *p = fmt("%s/%s", dir, extra_file);
		tu_write_file(p, extra_text);
		free(p);
	}
	free(img), free(bin), free(to), free(hosts);
	return dir;
}

static void remove_root(char *dir)
{
	char *cmd = fmt("rm -rf '%s'", dir);
	sh_ok(cmd);
	free(cmd), free(dir);
}

static const char *chroot_path(void)
{
	static const char *const cands[] = { "/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot" };
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (access(cands[i], X_OK) == 0)
			return cands[i];
	ck_abort_msg("no chroot(8) on this machine");
	return NULL;
}

/*
 * Runs /migrate ARGS... inside `root` with only `env` for the database: the
 * test cluster's PG* variables (a socket path outside the root) are unset.
 * As root, chroot(8); otherwise in a user namespace (unshare -r).
 */
static struct e2e_run in_root(const char *root, const char *env1, const char *env2, ...)
{
	char *argv[32], *env[16];
	size_t n = 0, k = 0;
	va_list ap;

	if (geteuid() != 0) {
		argv[n++] = "/usr/bin/unshare";
		argv[n++] = "-r";
	}
	argv[n++] = (char *)chroot_path();
	argv[n++] = (char *)root;
	argv[n++] = "/migrate";
	va_start(ap, env2);
	for (char *a; (a = va_arg(ap, char *)) != NULL && n < 31;)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	const char *unset[] = { "PGHOST=", "PGPORT=", "PGUSER=", "PGDATABASE=", "PGPASSWORD=",
				"PGSSLMODE=", "DATABASE_URL=", "HOME=/" };
	for (size_t i = 0; i < sizeof(unset) / sizeof(unset[0]); i++)
		env[k++] = (char *)unset[i];
	if (env1)
		env[k++] = (char *)env1;
	if (env2)
		env[k++] = (char *)env2;
	env[k] = NULL;

	struct e2e_run r;
	r.rc = tu_run(argv, env, &r.out, &r.err);
	return r;
}

static char *db_url(const char *host, const char *db, const char *params)
{
	return fmt("DATABASE_URL=postgresql://postgres:%s@%s:%s/%s%s", getenv("RETORT_TEST_PGPASSWORD"),
		   host, getenv("RETORT_TEST_PGPORT"), db, params);
}

/* The example's one head, as the dynamic build names it. */
static char *example_head(void)
{
	struct e2e_run r = e2e_migrate("example", NULL, NULL, "heads", (char *)NULL);
	e2e_assert_rc(&r, 0);
	char *id = strndup(r.out, strcspn(r.out, " \n"));
	ck_assert_msg(strchr(r.out, '\n') == r.out + strlen(r.out) - 1, "one head expected:\n%s", r.out);
	e2e_run_free(&r);
	return id;
}

START_TEST(empty_root_by_host_name)
{
	e2e_createdb("rel_root");
	char *root = make_root(NULL, NULL), *url = db_url(DB_NAME, "rel_root", "");
	char *head = example_head();

	struct e2e_run r = in_root(root, url, NULL, "upgrade", "head", (char *)NULL);
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running upgrade  -> ");
	e2e_run_free(&r);
	char *got = e2e_query("rel_root", "SELECT version_num FROM alembic_version");
	ck_assert_str_eq(got, head);
	free(got);

	char *want = fmt("%s (head)\n", head);
	r = in_root(root, url, NULL, "current", (char *)NULL);
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	r = in_root(root, url, NULL, "check", (char *)NULL);
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	/* No /etc/passwd in the root: libpq cannot guess a user, and says so. */
	char *port = fmt("PGPORT=%s", getenv("RETORT_TEST_PGPORT"));
	r = in_root(root, "PGHOST=" DB_NAME, port, "current", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "could not look up local user ID");
	e2e_run_free(&r);

	/* A name the root's /etc/hosts lacks is not found anywhere else. */
	char *bad = db_url("not-in-hosts.test", "rel_root", "");
	r = in_root(root, bad, NULL, "current", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "not-in-hosts.test");
	e2e_run_free(&r);
	free(bad), free(port), free(want), free(head), free(url);
	remove_root(root);
}
END_TEST

/* ---- TLS, GSSAPI, LDAP ---------------------------------------------------------- */

/* pg_reload_conf() is asynchronous: wait until new sessions see the reload. */
static void reload_and_wait(void)
{
	const char *q = "SELECT pg_conf_load_time()::text";
	char *before = e2e_query("postgres", q);
	e2e_exec("postgres", "SELECT pg_reload_conf()");
	for (int i = 0; i < 400; i++) {
		char *now = e2e_query("postgres", q);
		bool changed = strcmp(now, before) != 0;
		free(now);
		if (changed) {
			free(before);
			return;
		}
		usleep(25000);
	}
	ck_abort_msg("the server did not reload its configuration");
}

/* A CA, a server certificate for DB_NAME signed by it, and an unrelated CA. */
static char *make_certs(void)
{
	char *dir = fmt("%s/tests/tls", tu_build_dir());
	char abs[4096];
	char *cmd = fmt(
		"set -e; rm -rf '%s'; mkdir -p '%s'; cd '%s'\n"
		"key='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'\n"
		"openssl req -x509 $key -keyout ca.key -out ca.crt -days 2 -subj '/CN=retort test CA'\n"
		"openssl req -x509 $key -keyout other.key -out other-ca.crt -days 2 -subj '/CN=other CA'\n"
		"openssl req $key -keyout server.key -out server.csr -subj '/CN=" DB_NAME "'\n"
		"printf 'subjectAltName=DNS:" DB_NAME "\\n' >ext\n"
		"openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial"
		" -out server.crt -days 2 -extfile ext\n"
		"chmod 600 server.key\n"
		"if [ \"$(id -u)\" = 0 ]; then chown postgres: server.key server.crt; fi\n",
		dir, dir, dir);
	sh_ok(cmd);
	ck_assert(realpath(dir, abs) != NULL);
	free(cmd), free(dir);
	return strdup(abs);
}

START_TEST(tls_verify_full_in_empty_root)
{
	char *certs = make_certs();
	char *sql = fmt("ALTER SYSTEM SET ssl_cert_file = '%s/server.crt'", certs);
	e2e_exec("postgres", sql);
	free(sql);
	sql = fmt("ALTER SYSTEM SET ssl_key_file = '%s/server.key'", certs);
	e2e_exec("postgres", sql);
	free(sql);
	e2e_exec("postgres", "ALTER SYSTEM SET ssl = on");
	reload_and_wait();
	char *on = e2e_query("postgres", "SHOW ssl");
	ck_assert_msg(strcmp(on, "on") == 0, "the server did not turn TLS on (see its log)");
	free(on);

	char *cafile = fmt("%s/ca.crt", certs), *other = fmt("%s/other-ca.crt", certs);
	size_t len;
	char *ca = tu_read_file(cafile, &len), *other_ca = tu_read_file(other, &len);
	char *root = make_root("ca.crt", ca);
	char *p = fmt("%s/other-ca.crt", root);
	tu_write_file(p, other_ca);
	e2e_createdb("rel_tls");

	const char *params = "?sslmode=verify-full&sslrootcert=/ca.crt";
	char *url = db_url(DB_NAME, "rel_tls", params);
	struct e2e_run r = in_root(root, url, NULL, "upgrade", "+1", (char *)NULL);
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = in_root(root, url, NULL, "current", (char *)NULL);
	e2e_assert_rc(&r, 0);
	ck_assert_int_eq((int)strlen(r.out), 12 + 1);
	e2e_run_free(&r);

	/* The certificate names DB_NAME, not the other name for the same address. */
	char *wrong_name = db_url("someone-else.test", "rel_tls", params);
	r = in_root(root, wrong_name, NULL, "current", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "does not match host name \"someone-else.test\"");
	e2e_run_free(&r);

	char *wrong_ca = db_url(DB_NAME, "rel_tls", "?sslmode=verify-full&sslrootcert=/other-ca.crt");
	r = in_root(root, wrong_ca, NULL, "current", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "certificate verify failed");
	e2e_run_free(&r);

	e2e_exec("postgres", "ALTER SYSTEM RESET ssl");
	e2e_exec("postgres", "ALTER SYSTEM RESET ssl_cert_file");
	e2e_exec("postgres", "ALTER SYSTEM RESET ssl_key_file");
	reload_and_wait();
	free(wrong_ca), free(wrong_name), free(url), free(p), free(ca), free(other_ca);
	free(cafile), free(other), free(certs);
	remove_root(root);
}
END_TEST

START_TEST(gssapi_and_ldap_are_refused_clearly)
{
	/* A server that demands GSSAPI authentication from this user over TCP. */
	char *hba = e2e_query("postgres", "SHOW hba_file");
	size_t len;
	char *orig = tu_read_file(hba, &len);
	ck_assert(orig != NULL);
	char *with_gss = fmt("host all retort_gss 127.0.0.1/32 gss\n%s", orig);
	e2e_exec("postgres", "DROP ROLE IF EXISTS retort_gss");
	e2e_exec("postgres", "CREATE ROLE retort_gss LOGIN");
	tu_write_file(hba, with_gss);
	reload_and_wait();

	char *root = make_root("svc.conf", "[ldapsvc]\nldap://" DB_NAME "/dc=x?uri?one?(cn=x)\n");
	char *url = fmt("DATABASE_URL=postgresql://retort_gss@%s:%s/postgres", DB_NAME,
			getenv("RETORT_TEST_PGPORT"));
	struct e2e_run r = in_root(root, url, NULL, "current", (char *)NULL);
	tu_write_file(hba, orig);
	reload_and_wait();
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "GSSAPI is not available in this static build of the migrator");
	e2e_run_free(&r);

	r = in_root(root, "PGSERVICEFILE=/svc.conf", "PGSERVICE=ldapsvc", "current", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "migrate: error: LDAP service lookup is not available in this static build\n");
	e2e_run_free(&r);
	free(url), free(with_gss), free(orig), free(hba);
	remove_root(root);
}
END_TEST

/* ---- reproducible: another tree, another directory, another time ---------------- */

/*
 * The environment for a make that must not inherit this one's settings
 * (MAKEFLAGS carries the outer command line: B=, CFLAGS=, ...). Without
 * SOURCE_DATE_EPOCH the build date is the last commit's, as from a clone.
 */
static char *const clean_make_env[] = {
	"MAKEFLAGS=", "MFLAGS=", "MAKELEVEL=", "MAKEOVERRIDES=", "B=", "CFLAGS=", "CC=",
	"RELEASE=", "MIGRATIONS=", "MIGRATOR=", "SOURCE_DATE_EPOCH=", NULL,
};

/* Copies the tree at `from` (no build output) to a new temporary directory. */
static char *copy_tree(const char *from, const char *skip)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *dst = fmt("%s/retort-copy-XXXXXX", tmp);
	ck_assert(mkdtemp(dst) != NULL);
	char *cmd = fmt("tar -C '%s' --exclude=./build --exclude='./%s' -cf - . | tar -C '%s' -xf -",
			from, skip, dst);
	sh_ok(cmd);
	free(cmd);
	return dst;
}

/* make release in `tree` into `tree`/OUT; returns the binary's path. */
/* `version`'s date line for the tree's migrations: their last commit's time. */
static char *built_line(const char *tree)
{
	char *cmd = fmt("git -C '%s' log -1 --format=%%ct -- migrations", tree), *epoch;
	ck_assert_int_eq(sh(cmd, NULL, &epoch), 0);
	time_t t = (time_t)strtoll(epoch, NULL, 10);
	char want[64];
	strftime(want, sizeof(want), "built:      %Y-%m-%dT%H:%M:%SZ\n", gmtime(&t));
	free(cmd), free(epoch);
	return strdup(want);
}

static char *build_release(const char *tree, const char *out)
{
	char *cmd = fmt("make -C '%s' -j2 B='%s' release", tree, out), *log;
	int rc = sh(cmd, clean_make_env, &log);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s", cmd, rc, log);
	free(cmd), free(log);
	return fmt("%s/%s/release/migrate", tree, out);
}

START_TEST(same_bytes_from_another_tree)
{
	/*
	 * Two clean trees at different paths, built into differently named
	 * directories at different times. Both come from one snapshot of the
	 * working tree, which others may be editing while this runs.
	 */
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	char *one = copy_tree(cwd, tu_build_dir());
	char *bin1 = build_release(one, "out");
	char *two = copy_tree(one, "out");
	sleep(1);
	char *bin2 = build_release(two, "other/dir");

	size_t la, lb;
	char *a = tu_read_file(bin1, &la), *b = tu_read_file(bin2, &lb);
	ck_assert(a && b);
	size_t at = 0;
	while (at < la && at < lb && a[at] == b[at])
		at++;
	ck_assert_msg(la == lb && at == la, "%s (%zu bytes) and %s (%zu bytes) differ from byte %zu",
		      bin1, la, bin2, lb, at);
	/* Neither directory name reached the binary. */
	ck_assert(memmem(a, la, one, strlen(one)) == NULL);
	ck_assert(memmem(b, lb, two, strlen(two)) == NULL);
	assert_static_stripped(bin2);

	/* The build date is the migrations' last commit's, not the build's. */
	char *argv[] = { bin2, "version", NULL }, *out, *err;
	ck_assert_int_eq(tu_run(argv, NULL, &out, &err), 0);
	char *want = built_line(cwd);
	ck_assert_contains(out, want);
	free(out), free(err), free(want);
	free(a), free(b), free(bin1), free(bin2);
	remove_root(one);
	remove_root(two);
}
END_TEST

/* ---- CMake with toolchain.cmake -------------------------------------------------- */

START_TEST(cmake_with_toolchain_file)
{
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	char *dir = fmt("%s/tests/cmake", tu_build_dir());
	char *cmd = fmt("rm -rf '%s' && cmake -S '%s' -B '%s' -DCMAKE_TOOLCHAIN_FILE='%s/toolchain.cmake'"
			" -DRETORT_MIGRATIONS='%s/migrations' >/dev/null && cmake --build '%s' -j2",
			dir, cwd, dir, cwd, cwd, dir);
	char *out;
	int rc = sh(cmd, (char *const *)clean_make_env, &out);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s", cmd, rc, out);
	free(out), free(cmd);

	char *bin = fmt("%s/migrate", dir);
	assert_static_stripped(bin);
	char *argv[] = { bin, "version", NULL }, *err;
	ck_assert_int_eq(tu_run(argv, NULL, &out, &err), 0);
	ck_assert_contains(out, "revisions:  8\n");
	ck_assert_contains(out, " (static: no GSSAPI, no LDAP)\n");
	char *want = built_line(cwd);
	ck_assert_contains(out, want);
	free(want);
	free(out), free(err), free(bin), free(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("release (end to end)");
	TCase *tc = tcase_create("release");
	/* Builds and key generation, not assertions, take this long. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, static_and_stripped);
	tcase_add_test(tc, empty_root_by_host_name);
	tcase_add_test(tc, tls_verify_full_in_empty_root);
	tcase_add_test(tc, gssapi_and_ldap_are_refused_clearly);
	tcase_add_test(tc, same_bytes_from_another_tree);
	tcase_add_test(tc, cmake_with_toolchain_file);
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
