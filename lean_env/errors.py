"""User-facing errors. The CLI prints one of these on one line and exits 2."""


class RirError(Exception):
    """Bad input or a missing dependency: the user can fix it; no traceback."""


class BadInput(RirError):
    """A malformed file, line, option or name given by the user."""


class MissingDependency(RirError):
    """A tool or package the requested job needs is not installed."""


class OpenError(RirError):
    """A theorem could not be opened by a backend (bad statement, init failure)."""
