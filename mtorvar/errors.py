"""The one error hierarchy. The CLI catches ``MtorvarError`` once and prints one line.

Exit codes (documented in the README): 0 success, 1 input or data error, 2 usage error,
3 invalid rule set, 4 internal error.
"""

from __future__ import annotations


class MtorvarError(Exception):
    """Base of every error mtorvar reports to a user."""

    exit_code: int = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        file: str | None = None,
        record: str | None = None,
        sample: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file
        self.record = record
        self.sample = sample

    def one_line(self) -> str:
        """Render as a single line: where, what, and a hint."""
        where = [p for p in (self.file, self.record and f"record {self.record}",
                             self.sample and f"sample {self.sample}") if p]
        text = " ".join(self.message.split())
        line = f"{', '.join(where)}: {text}" if where else text
        if self.hint:
            line += f" (hint: {' '.join(self.hint.split())})"
        return line


class InputError(MtorvarError):
    """Unreadable, malformed or inconsistent input (exit 1)."""

    exit_code = 1


class BuildError(InputError):
    """The genome build cannot be decided, or contradicts the data (exit 1)."""


class UsageError(MtorvarError):
    """Bad command-line usage (exit 2)."""

    exit_code = 2


class RuleSetError(MtorvarError):
    """The rule set failed validation (exit 3); ``problems`` lists every finding (the CLI
    prints them below the one-line summary, one per line)."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        problems: list[str] | None = None,
        *,
        hint: str | None = None,
        file: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint, file=file)
        self.problems = problems or []


class InternalError(MtorvarError):
    """A bug in mtorvar (exit 4)."""

    exit_code = 4
