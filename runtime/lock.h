/*
 * lock.h - the migration lock: a PostgreSQL session advisory lock
 *
 * Every writing command holds it for its whole run, so two migrators on one
 * database never interleave. The key is hashtextextended() of
 * "retort:SCHEMA.TABLE" for the version table (its schema resolved by the
 * server when not configured), so migrators sharing a version table share
 * the lock and other version tables in the same database do not.
 *
 * It is taken by polling pg_try_advisory_lock() with no transaction open:
 * a migrator blocked in pg_advisory_lock() would hold a snapshot that makes
 * the holder's CREATE INDEX CONCURRENTLY wait for it, forever.
 */
#ifndef RT_LOCK_H
#define RT_LOCK_H

#include "db.h"

/*
 * Takes the lock on d's version table, waiting at most timeout_ms (-1:
 * without limit), saying once that it waits and who holds the lock.
 * Returns RT_EXIT_OK, RT_EXIT_LOCK_TIMEOUT, RT_EXIT_INTERRUPTED, or an
 * error's exit code after printing why. Also checks that the lock is held
 * by this very backend afterwards: a transaction-pooling PgBouncer hands
 * each statement to another server connection, and the lock means nothing.
 */
int lock_acquire(struct db *d, const struct cli *c, long timeout_ms);

/* Releases it, when held and the connection is still usable. */
void lock_release(struct db *d);

#endif
