"""Why an entry could not be recorded, in words the counter can show.

The caller must be able to tell the clerk "not recorded": every failure of the
store surfaces as a ``JournalError`` (never a raw driver exception), and the
subclasses name the two situations a clerk or operator can act upon.
No personal data ever goes into these messages.
"""

from __future__ import annotations


class JournalError(Exception):
    """The journal could not do what was asked; for an append: nothing was recorded."""


class JournalFullError(JournalError):
    """The disk or the database is full: free space or move the journal, then retry."""


class JournalBusyError(JournalError):
    """Another process held the journal longer than the busy timeout: retry shortly."""
