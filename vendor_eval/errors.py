"""Errors a user can act on. Each carries one sentence that says what is wrong and where.

Anything that is not a UserError is a bug: the CLI and the GUI log its traceback.
"""


class UserError(Exception):
    """Bad input or a refused action, explained in one sentence."""


class NotFound(UserError):
    """A named evaluation, vendor, evaluator or criterion does not exist."""


class ValidationError(UserError):
    """Input that breaks a rule (out of scale, negative weight, malformed file)."""


class ReadOnlyError(UserError):
    """A change to a finalised evaluation."""


class ConflictError(UserError):
    """Someone else changed the same record since it was read."""


class StorageError(UserError):
    """The database file cannot be used (busy, full, read-only, corrupt)."""
