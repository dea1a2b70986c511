# Stand-in for an application's models module: the enum.Enum classes that
# retort.ini's [enums] declares, for real Alembic to import.
import enum


class Color(enum.Enum):
    RED = 'red'
    GREEN = 'green'


class Size(str, enum.Enum):
    SMALL = 's'
    LARGE = 'l'
