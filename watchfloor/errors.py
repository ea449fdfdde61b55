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
