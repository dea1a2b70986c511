/*
 * nogss.c - GSSAPI and LDAP entry points for the static release build
 *
 * Debian's libpq.a is built with GSSAPI and LDAP, but Debian ships no
 * static Kerberos, and static OpenLDAP drags in SASL and more. The static
 * migrator links these stand-ins instead: every one reports failure, so
 * libpq behaves as if no Kerberos credentials existed (gssencmode=prefer
 * falls back quietly), and a server that demands GSSAPI authentication, or
 * an ldap:// line in a service file, fails the connection with the message
 * below instead of crashing or hanging.
 *
 * The prototypes match MIT Kerberos' gssapi.h and OpenLDAP's ldap.h at the
 * ABI level; pointers the stubs never dereference are plain void *.
 */
/* program_invocation_short_name, for the one message we print */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint32_t OM_uint32;

struct gss_buffer {
	size_t length;
	void *value;
};

#define GSS_S_COMPLETE 0u
#define GSS_S_FAILURE (13u << 16)
#define GSS_C_GSS_CODE 1

static const char no_gss[] = "GSSAPI is not available in this static build of the migrator";
static const char no_krb5[] = "it links no Kerberos library";

/* libpq compares this OID by address only. */
void *GSS_C_NT_HOSTBASED_SERVICE;

OM_uint32 gss_acquire_cred(OM_uint32 *minor, void *name, OM_uint32 time, void *mechs, int usage,
			   void **cred, void **actual_mechs, OM_uint32 *time_rec);
OM_uint32 gss_import_name(OM_uint32 *minor, void *in, void *type, void **out);
OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx, void *target,
			       void *mech, OM_uint32 flags, OM_uint32 time, void *bindings,
			       void *in, void **actual_mech, void *out, OM_uint32 *ret_flags,
			       OM_uint32 *time_rec);
OM_uint32 gss_wrap(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop, void *in,
		   int *conf_state, void *out);
OM_uint32 gss_unwrap(OM_uint32 *minor, void *ctx, void *in, void *out, int *conf_state,
		     OM_uint32 *qop);
OM_uint32 gss_wrap_size_limit(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop,
			      OM_uint32 req, OM_uint32 *max);
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, void *mech,
			     OM_uint32 *msg_ctx, struct gss_buffer *msg);
OM_uint32 gss_release_buffer(OM_uint32 *minor, struct gss_buffer *buf);
OM_uint32 gss_release_name(OM_uint32 *minor, void **name);
OM_uint32 gss_release_cred(OM_uint32 *minor, void **cred);
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, void *out);

static OM_uint32 fail(OM_uint32 *minor)
{
	if (minor)
		*minor = 0;
	return GSS_S_FAILURE;
}

OM_uint32 gss_acquire_cred(OM_uint32 *minor, void *name, OM_uint32 time, void *mechs, int usage,
			   void **cred, void **actual_mechs, OM_uint32 *time_rec)
{
	(void)name, (void)time, (void)mechs, (void)usage, (void)actual_mechs, (void)time_rec;
	if (cred)
		*cred = NULL;
	return fail(minor);
}

OM_uint32 gss_import_name(OM_uint32 *minor, void *in, void *type, void **out)
{
	(void)in, (void)type;
	if (out)
		*out = NULL;
	return fail(minor);
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, void *cred, void **ctx, void *target,
			       void *mech, OM_uint32 flags, OM_uint32 time, void *bindings,
			       void *in, void **actual_mech, void *out, OM_uint32 *ret_flags,
			       OM_uint32 *time_rec)
{
	(void)cred, (void)ctx, (void)target, (void)mech, (void)flags, (void)time;
	(void)bindings, (void)in, (void)actual_mech, (void)ret_flags, (void)time_rec;
	if (out)
		memset(out, 0, sizeof(struct gss_buffer));
	return fail(minor);
}

OM_uint32 gss_wrap(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop, void *in,
		   int *conf_state, void *out)
{
	(void)ctx, (void)conf, (void)qop, (void)in, (void)conf_state, (void)out;
	return fail(minor);
}

OM_uint32 gss_unwrap(OM_uint32 *minor, void *ctx, void *in, void *out, int *conf_state,
		     OM_uint32 *qop)
{
	(void)ctx, (void)in, (void)out, (void)conf_state, (void)qop;
	return fail(minor);
}

OM_uint32 gss_wrap_size_limit(OM_uint32 *minor, void *ctx, int conf, OM_uint32 qop,
			      OM_uint32 req, OM_uint32 *max)
{
	(void)ctx, (void)conf, (void)qop, (void)req;
	if (max)
		*max = 0;
	return fail(minor);
}

/* What libpq shows for any GSSAPI failure: major status, then minor. */
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, void *mech,
			     OM_uint32 *msg_ctx, struct gss_buffer *msg)
{
	const char *text = type == GSS_C_GSS_CODE ? no_gss : no_krb5;

	(void)status, (void)mech;
	*minor = 0;
	*msg_ctx = 0;
	msg->value = (void *)text;
	msg->length = strlen(text);
	return GSS_S_COMPLETE;
}

OM_uint32 gss_release_buffer(OM_uint32 *minor, struct gss_buffer *buf)
{
	if (minor)
		*minor = 0;
	if (buf)
		buf->value = NULL, buf->length = 0;
	return GSS_S_COMPLETE;
}

OM_uint32 gss_release_name(OM_uint32 *minor, void **name)
{
	if (minor)
		*minor = 0;
	if (name)
		*name = NULL;
	return GSS_S_COMPLETE;
}

OM_uint32 gss_release_cred(OM_uint32 *minor, void **cred)
{
	return gss_release_name(minor, cred);
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, void *out)
{
	(void)out;
	return gss_release_name(minor, ctx);
}

/* ---- LDAP: service-file lookups (ldap://...) --------------------------------- */

#define LDAP_OTHER 0x50

void *ldap_init(const char *host, int port);
int ldap_unbind(void *ld);
int ldap_set_option(void *ld, int option, const void *value);
int ldap_simple_bind(void *ld, const char *who, const char *passwd);
int ldap_result(void *ld, int msgid, int all, void *timeout, void **res);
int ldap_search_st(void *ld, const char *base, int scope, const char *filter, char **attrs,
		   int attrsonly, void *timeout, void **res);
int ldap_count_entries(void *ld, void *chain);
void *ldap_first_entry(void *ld, void *chain);
void **ldap_get_values_len(void *ld, void *entry, const char *attr);
void ldap_value_free_len(void **vals);
int ldap_msgfree(void *msg);
char *ldap_err2string(int err);

/*
 * libpq reports a failed ldap_init() as "could not create LDAP structure";
 * say why first.
 */
void *ldap_init(const char *host, int port)
{
	static int told;

	(void)host, (void)port;
	/* libpq reads a service file twice (defaults, then the connection). */
	if (!told++)
		fprintf(stderr, "%s: error: LDAP service lookup is not available in this static build\n",
			program_invocation_short_name);
	errno = ENOSYS;
	return NULL;
}

int ldap_unbind(void *ld)
{
	(void)ld;
	return 0;
}

int ldap_set_option(void *ld, int option, const void *value)
{
	(void)ld, (void)option, (void)value;
	return LDAP_OTHER;
}

int ldap_simple_bind(void *ld, const char *who, const char *passwd)
{
	(void)ld, (void)who, (void)passwd;
	return -1;
}

int ldap_result(void *ld, int msgid, int all, void *timeout, void **res)
{
	(void)ld, (void)msgid, (void)all, (void)timeout;
	if (res)
		*res = NULL;
	return -1;
}

int ldap_search_st(void *ld, const char *base, int scope, const char *filter, char **attrs,
		   int attrsonly, void *timeout, void **res)
{
	(void)ld, (void)base, (void)scope, (void)filter, (void)attrs, (void)attrsonly, (void)timeout;
	if (res)
		*res = NULL;
	return LDAP_OTHER;
}

int ldap_count_entries(void *ld, void *chain)
{
	(void)ld, (void)chain;
	return 0;
}

void *ldap_first_entry(void *ld, void *chain)
{
	(void)ld, (void)chain;
	return NULL;
}

void **ldap_get_values_len(void *ld, void *entry, const char *attr)
{
	(void)ld, (void)entry, (void)attr;
	return NULL;
}

void ldap_value_free_len(void **vals)
{
	(void)vals;
}

int ldap_msgfree(void *msg)
{
	(void)msg;
	return 0;
}

char *ldap_err2string(int err)
{
	static char msg[] = "LDAP is not available in this static build";
	(void)err;
	return msg;
}
