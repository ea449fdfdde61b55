"""Error types. A :class:`UserError` is shown as one line without a traceback."""


class UserError(Exception):
    """A problem the user can fix (bad path, bad input, bad option)."""


class NotFound(UserError):
    """The user asked for something the store does not hold (an id, a name)."""


class InputProblem(UserError):
    """One input could not be ingested; the rest of the batch goes on."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class WorkersLost(Exception):
    """The workers of a run are gone (a cluster's scheduler lost, a task killing worker after worker); the
    message says so in one line. What was analysed before is stored and the run resumes."""
