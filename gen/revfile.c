/*
 * revfile.c - render and create new revision files
 */
#include "revfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "folder.h"

const char revfile_builtin_template[] =
	"-- Message: ${message}\n"
	"-- Revision ID: ${rev_id}\n"
	"-- Revises: ${down_revision}\n"
	"-- Create Date: ${create_date}\n"
	"${if_branch_labels}-- Branch Labels: ${branch_labels}\n"
	"${if_depends_on}-- Depends On: ${depends_on}\n"
	"\n"
	"-- migrate:upgrade\n"
	"\n"
	"\n"
	/*
	 * An empty downgrade would pass the revision silently, its changes left
	 * in place: a new revision has none until one is written, so downgrade
	 * refuses to pass it. A merge changes nothing and has nothing to undo.
	 */
	"${if_merge}-- migrate:downgrade\n"
	"${if_not_merge}-- No '-- migrate:downgrade' section yet: 'downgrade' refuses to pass\n"
	"${if_not_merge}-- this revision until one is written below (an empty one undoes nothing).\n"
	"\n";

enum { SLUG_MAX = 40 };

char *revfile_slug(struct arena *a, const char *message)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)message;

	/* Python's \w is wider (Unicode letters); bytes past ASCII separate here. */
	while (*p) {
		while (*p && !(isalnum(*p) && *p < 0x80) && *p != '_')
			p++;
		if (!*p)
			break;
		if (sb.len)
			sb_addch(&sb, '_');
		while (*p && ((isalnum(*p) && *p < 0x80) || *p == '_'))
			sb_addch(&sb, tolower(*p++));
	}
	if (sb.len > SLUG_MAX) {
		sb.len = SLUG_MAX;
		sb.buf[sb.len] = '\0';
		char *us = strrchr(sb.buf, '_');
		if (us)
			sb.len = (size_t)(us - sb.buf);
		sb.buf[sb.len] = '\0';
		sb_addch(&sb, '_');
	}
	char *s = arena_strdup(a, sb.buf ? sb.buf : "");
	sb_release(&sb);
	return s;
}

int revfile_random_id(char out[13])
{
	unsigned char b[6];
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, b, sizeof b) != (ssize_t)sizeof b) {
		fprintf(stderr, "retort: error: cannot read /dev/urandom: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (size_t i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

void revfile_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

static void add_list(struct strbuf *out, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_addf(out, "%s%s", i ? ", " : "", v[i]);
}

int revfile_render(const char *tmpl, const char *tmpl_path,
		   const struct revfile_spec *s, struct strbuf *out)
{
	const char *p = tmpl;

	/*
	 * Only "${" starts a placeholder: a template is SQL, where "$$" and
	 * "$tag$" are dollar quotes, and no valid SQL has "${" outside one.
	 */
	while (*p) {
		if (p[0] != '$' || p[1] != '{') {
			sb_addch(out, *p++);
			continue;
		}
		const char *name = p + 2, *end = strchr(name, '}');
		size_t len = end ? (size_t)(end - name) : 0;
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(name, lit, len) == 0)
		if (!end || memchr(name, '\n', len)) {
			diag_plain(DIAG_ERROR, tmpl_path, "unterminated '${' in template");
			return -1;
		} else if (IS("message")) {
			sb_addstr(out, s->message);
		} else if (IS("rev_id")) {
			sb_addstr(out, s->rev_id);
		} else if (IS("down_revision")) {
			add_list(out, s->parents, s->n_parents);
		} else if (IS("create_date")) {
			sb_addstr(out, s->create_date);
		} else if (IS("branch_labels")) {
			add_list(out, s->labels, s->n_labels);
		} else if (IS("depends_on")) {
			add_list(out, s->depends, s->n_depends);
		} else if (IS("if_branch_labels") || IS("if_depends_on") || IS("if_merge") ||
			   IS("if_not_merge")) {
			bool keep = IS("if_branch_labels") ? s->n_labels > 0
				  : IS("if_depends_on") ? s->n_depends > 0
				  : IS("if_merge") == (s->n_parents > 1);
			if (!keep) {
				const char *nl = strchr(end, '\n');
				end = nl ? nl : end + strlen(end) - 1;
			}
		} else {
			diag_plain(DIAG_ERROR, tmpl_path, "unknown placeholder '${%.*s}' in template",
				   (int)len, name);
			diag_hint("placeholders are ${message}, ${rev_id}, ${down_revision}, "
				  "${create_date}, ${branch_labels}, ${depends_on}, "
				  "${if_branch_labels}, ${if_depends_on}, ${if_merge}, ${if_not_merge}");
			return -1;
		}
#undef IS
		p = end + 1;
	}
	return 0;
}

int revfile_create(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		fprintf(stderr, "retort: error: cannot create '%s': %s\n", path, strerror(errno));
		return -1;
	}
	int err = folder_write_close(fd, data, len);
	if (err) {
		fprintf(stderr, "retort: error: cannot write '%s': %s\n", path, strerror(err));
		unlink(path);
		return -1;
	}
	return 0;
}
