"""User-facing errors. The CLI prints one of these on one line and exits 2."""


class RirError(Exception):
    """Bad input or a missing dependency: the user can fix it; no traceback."""


class BadInput(RirError):
    """A malformed file, line, option or name given by the user."""


class MissingDependency(RirError):
    """A tool or package the requested job needs is not installed."""


class SetupError(MissingDependency):
    """A backend could not be set up (toolchain, network, a failed build or cache
    download): nothing can be proved, so the whole run stops."""


class OpenError(RirError):
    """A theorem could not be opened by a backend (bad statement, init failure)."""


class InfraError(RirError):
    """Lean's side failed on one theorem for a reason outside the theorem (a Lean
    process that would not start or died while opening): the theorem's record is an
    error that a resumed run retries."""
