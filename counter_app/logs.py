"""No national number in diagnostic logs, whoever configures logging and whichever library logs.

Why a record factory and not a filter on a few loggers: the INSZ reaches URLs
(the OCMW and UiTPAS-status endpoints carry it in their path), and libraries log
URLs on loggers of their own (``httpx`` at INFO, ``httpcore.*``, ``uvicorn.access``)
that the application never configures and may not even know. A filter only runs
for records created on the logger it sits on (not its children), and a filter on
a handler only for that handler; a deployment, a support session or a test that
adds its own handler at DEBUG would see the numbers. The record factory sees every
record of every logger at creation, before any handler, so masking there holds for
every entry point (the window, ``counter-app check``, ``counter-app sandbox``) and
for any logging configuration made later.

Only records that contain something shaped like an INSZ are touched: the message
is formatted once, masked, and stored without arguments. Exception text and stack
information are masked the same way (an ``httpx.HTTPStatusError`` names the URL).
Every run of exactly 11 digits is masked, valid INSZ or not: a mistyped number is
still personal data, and masking an unrelated 11-digit value costs nothing.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any

# 11 digits not part of a longer number, or the printed form on the card (85.72.03-157.05)
INSZ_PATTERN = re.compile(r"(?<!\d)(?:\d{11}|\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2})(?!\d)")
MASK = "[INSZ]"

_lock = threading.Lock()
_installed = False


def mask_insz(text: str) -> str:
    """``text`` with every national-number-shaped run replaced by ``MASK``."""
    return INSZ_PATTERN.sub(MASK, text)


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:
        # A log call whose arguments do not fit its format: logging would print both
        # raw to stderr when the record is emitted. Keep them, masked, as plain text.
        message = f"{record.msg} (arguments that did not fit: {record.args!r})"
        record.msg, record.args = message, None
    if INSZ_PATTERN.search(message):
        record.msg, record.args = mask_insz(message), None
    if record.exc_info and not record.exc_text:
        # formatted now, so every formatter prints the masked text (Formatter reuses exc_text)
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text and INSZ_PATTERN.search(record.exc_text):
        record.exc_text = mask_insz(record.exc_text)
    if record.stack_info and INSZ_PATTERN.search(record.stack_info):
        record.stack_info = mask_insz(record.stack_info)


def install_insz_masking() -> None:
    """Wrap the current log record factory once per process; later calls do nothing."""
    global _installed
    with _lock:
        if _installed:
            return
        previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

        def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _mask_record(record)
            return record

        logging.setLogRecordFactory(masking_factory)
        _installed = True
