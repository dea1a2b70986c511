# Stand-in for an application's settings module: the values retort.ini's
# [constants] declares, for real Alembic to import.
MULTI_TENANT = False
MODE = 'b'
PREFIX = ''
NULLABLE = False
SCHEMA = None
LIMIT = 2
