/*
 * arena.h - one allocation arena per generator run, and growable strings
 *
 * The generator reads a folder, emits a file and exits: nothing it allocates
 * needs freeing piecemeal, so everything lives in one arena released at the
 * end. Allocation failure is fatal (the message names the size).
 */
#ifndef GEN_ARENA_H
#define GEN_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t held;   /* bytes of all its blocks: for callers that bound their use */
};

void *arena_alloc(struct arena *a, size_t size);          /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Grows *v (of *cap elements of `size` bytes) to hold at least `need`. */
void arena_grow(struct arena *a, void *v, size_t *cap, size_t need, size_t size);
void arena_free(struct arena *a);

/* Allocation that must not fail: exits with a message when it does. */
void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);

/*
 * A growable byte buffer that is always NUL-terminated (git's strbuf).
 * Lives on the heap, not in the arena, because it is resized often.
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { 0 }

void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_addstr(struct strbuf *sb, const char *s);
void sb_addch(struct strbuf *sb, int c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reset(struct strbuf *sb);
void sb_release(struct strbuf *sb);
/* Returns sb->buf ("" when empty) and hands ownership to the caller. */
char *sb_detach(struct strbuf *sb);

#endif
