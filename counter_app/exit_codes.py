"""The process exit codes of ``counter-app``: one table for the command line and the window.

These numbers are an interface, not an implementation detail: support scripts, CI
jobs and the README's "Exit codes" paragraphs tell outcomes apart by them (21 is
"not recorded: the daily log could not be written", whether ``check --decide`` or
the closing window says it). A number therefore never changes meaning, and a new
outcome gets a new number. They live here,
with no Qt and no other import, because ``counter_app.cli`` and ``counter_app.ui``
both return them and the import-linter layers forbid the window from importing the
command line.

The table: 0 done; 1 unexpected internal error; 2 usage; 3 window not available;
4 configuration (``counter_app.config.ConfigError.exit_code``); 5 invalid INSZ;
6 unknown card profile; 7 no source could be reached (the advice is still printed);
8 rule files unusable; 9 sandbox server could not start; 10-18 card reading errors
(``cardreader.errors``: the card reader package imports nothing of the application,
so it keeps its own); 19 the decision was refused (the advice does not allow it as
asked); 20 UiTPAS did not register the pass (the decision is not recorded; a request
that reached UiTPAS is); 21 not recorded: the daily log could not be opened or
written; 22 the UiTPAS registration may have gone through (no usable answer): the
attempt is logged, run the same command again to look the passholder up and record
the sale; 23 the window or its demo could not set up the card reader; 130 interrupted
(Ctrl+C, the shell's 128 + SIGINT).

``counter-app log`` (``counter_app.journal.cli``) and ``counter-app supervisor``
(``counter_app.auth``, ``counter_app.ui.supervisor``) keep tables of their own.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_NO_GUI = 3  # no display, or the window is not part of this installation
EXIT_CONFIG = 4  # = counter_app.config.ConfigError.exit_code (a test keeps them equal)
EXIT_INVALID_INSZ = 5
EXIT_UNKNOWN_PROFILE = 6
EXIT_SOURCES_UNREACHABLE = 7
EXIT_RULES = 8
EXIT_SANDBOX = 9
EXIT_DECISION_REFUSED = 19
EXIT_NOT_REGISTERED = 20
EXIT_NOT_RECORDED = 21
EXIT_REGISTRATION_UNCERTAIN = 22
# The window (and its demo) cannot set up the card reader. Until 2026-11 this was 5,
# undocumented, shared with "invalid INSZ".
EXIT_NO_BACKEND = 23
EXIT_INTERRUPTED = 130
