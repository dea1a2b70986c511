/*
 * privilege.h - the GRANTs and REVOKEs between two access lists
 *
 * An access list is what aclexplode() gives for one object, the owner's own
 * entries left out (owners are not compared), as entries
 * "grantee\tPRIVILEGE\tg": grantee quoted or PUBLIC, g 't' when it carries
 * the grant option, sorted. The object's default list (PUBLIC's EXECUTE on a
 * function, USAGE on a type, nothing elsewhere) is what CREATE gives it.
 */
#ifndef GEN_SCHEMA_PRIVILEGE_H
#define GEN_SCHEMA_PRIVILEGE_H

#include <stddef.h>

#include "arena.h"

/*
 * Appends to sb the statements (each ending ";\n") that turn list `from`
 * into list `to` on `on` ("TABLE public.t", "FUNCTION public.f(integer)"),
 * or on its column `col` when not NULL. Returns how many.
 */
size_t priv_change(struct strbuf *sb, const char *on, const char *col, const char *const *from,
		   size_t nf, const char *const *to, size_t nt);

#endif
