"""The production ``CounterBackend``: real card reading, the check service, the daily log.

"Embedded defaults" means: the simulated reader bank (with its card deck) or
pcscd, the check service on the in-process sandbox, and the SQLite log in the
user's data directory — whatever the configuration says. Nothing here fakes an
outcome: the window only ever shows what these layers returned.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from cardreader.connection import CardConnection
from cardreader.insz import mask_insz, validate_insz
from cardreader.models import EidReading
from counter_app.check.models import CheckOutcome, ProgressState, Subject
from counter_app.check.models import SourceProgress as ServiceProgress
from counter_app.config import Settings
from counter_app.journal.writer import JournalWriter
from counter_app.ui.check_view import (
    check_view,
    is_uitpas,
    override_reason,
    service_decision_kind,
    summary_of,
)
from counter_app.ui.ports import (
    CheckSubject,
    CheckView,
    Clerk,
    Confirmation,
    ConfirmError,
    ConfirmFailure,
    DecisionRequest,
    ReaderEvent,
    RegistrationUncertainError,
    SourceProgress,
    SourceState,
)


def _journal_detail(err: BaseException) -> str:
    """The journal's own words (they carry no personal data), else the kind of failure."""
    from counter_app.journal.errors import JournalError

    return str(err) if isinstance(err, JournalError) and str(err) else type(err).__name__


class BackendError(Exception):
    """The backend cannot be built (one line, for the terminal; no personal data)."""


_log = logging.getLogger(__name__)


class Readers(Protocol):
    """The card side: a monitor that reports events, and a way to connect to a reader."""

    deck: Sequence[str]

    def start(self, sink: Callable[[ReaderEvent], None]) -> None: ...

    def stop(self) -> None: ...

    def connect(self, reader: str) -> CardConnection: ...

    def insert(self, profile: str) -> None: ...

    def remove(self) -> None: ...


class SourceRows:
    """Turns the service's per-request progress into one row per source.

    One source can be asked for several purposes at once; the clerk wants to know
    whether *the source* is still answering, so a row is "asking" while any of its
    requests is open and "no answer" if any of them failed.
    """

    def __init__(self, emit: Callable[[SourceProgress], None]) -> None:
        self._emit = emit
        self._open: dict[str, int] = {}
        self._failed: dict[str, str] = {}

    def __call__(self, progress: ServiceProgress) -> None:
        source = progress.source.value
        if progress.state is ProgressState.STARTED:
            self._open[source] = self._open.get(source, 0) + 1
        else:
            self._open[source] = max(0, self._open.get(source, 0) - 1)
            if progress.state is ProgressState.FAILED:
                self._failed[source] = progress.detail
        if self._open.get(source, 0):
            state = SourceState.ASKING
        elif source in self._failed:
            state = SourceState.FAILED
        else:
            state = SourceState.OK
        self._emit(SourceProgress(source, state, self._failed.get(source, "")))


# How long closing waits for log writes in flight before closing the rest (the window
# gives the whole close 5 s).
_WRITES_GRACE_S = 3.5


def _entry_number(stored: Any) -> str:
    """``day#seq`` of a stored journal entry (what the clerk is shown and can quote)."""
    return f"{stored.day.isoformat()}#{stored.seq}" if hasattr(stored, "seq") else str(stored)


class EmbeddedBackend:
    """Implements ``counter_app.ui.ports.CounterBackend``."""

    def __init__(
        self,
        settings: Settings,
        service: ServiceHolder,
        readers: Readers,
        journal: Any | None,  # a journal store with .append(entry), or None when unavailable
        *,
        journal_problem: str = "",
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.settings = settings
        self.service = service
        self.readers = readers
        self.journal = journal
        self._journal_problem = journal_problem if journal is None else ""
        self._today = today
        self._trust: Any = None
        self._trust_lock = threading.Lock()
        self._read_ms: dict[str, float] = {}
        # decision registered at UiTPAS but not yet in the log: (entry, UiTPAS reference)
        self._pending_log: dict[str, tuple[Any, str]] = {}
        self._retrying: dict[str, asyncio.Future[Any]] = {}  # pending log writes tried again
        # pending decisions those retries did write: (entry number, UiTPAS reference). The
        # citizen may still be at the desk and confirm again: that must not register anew.
        self._written_later: dict[str, tuple[str, str]] = {}
        # people whose last registration attempt in the log was uncertain (see check)
        self._uncertain_subjects: set[str] = set()
        self._consultations: dict[str, asyncio.Future[Any]] = {}  # check id -> log write
        # The log's own writer thread. Its writes are plain futures, not asyncio tasks, so
        # a shutdown that cancels every task cannot stop one half-way or leave one unstarted,
        # and closing waits for them before the journal is closed (see aclose).
        self._writer = JournalWriter()

    # -- identity of the counter -------------------------------------------------------
    @property
    def clerk(self) -> Clerk:
        insz = self.settings.clerk.insz or ""
        return Clerk(name=self.settings.clerk.name, masked_insz=mask_insz(insz) if insz else "")

    @property
    def deck(self) -> Sequence[str]:
        return self.readers.deck

    @property
    def journal_note(self) -> str:
        return self._journal_problem

    # -- cards -------------------------------------------------------------------------
    def insert_card(self, profile: str) -> None:
        self.readers.insert(profile)

    def remove_card(self) -> None:
        self.readers.remove()

    def start_monitor(self, sink: Callable[[ReaderEvent], None]) -> None:
        self.readers.start(sink)

    def stop_monitor(self) -> None:
        self.readers.stop()

    def _trust_store(self) -> Any:
        with self._trust_lock:
            if self._trust is None:
                from counter_app.check.runner import trust_store

                self._trust = trust_store(self.settings)
            return self._trust

    def read_card(self, reader: str, *, photo: bool = False) -> EidReading:
        from cardreader.reading import read_eid

        started = time.perf_counter()
        connection = self.readers.connect(reader)
        try:
            reading = read_eid(
                connection,
                photo=photo,
                trust=self._trust_store(),
                today=self._today(),
                test_mode=self.settings.test_mode,
            )
        finally:
            connection.disconnect()
        self._read_ms[reading.identity.national_number] = (time.perf_counter() - started) * 1000
        return reading

    def normalise_insz(self, text: str) -> str:
        return validate_insz(text, test_mode=self.settings.test_mode)

    # -- the check ---------------------------------------------------------------------
    async def check(
        self, subject: CheckSubject, progress: Callable[[SourceProgress], None]
    ) -> CheckView:
        service_subject = Subject(
            insz=subject.insz,
            entry="manual" if subject.manual else "card",
            summary=summary_of(subject),
        )
        service = await self.service.get()
        outcome: CheckOutcome = await service.run(
            service_subject,
            self._today(),
            progress=SourceRows(progress),
            declarations={name: True for name in subject.declarations},
        )
        # queued before the consultation's write, so the advice never waits for that write
        own_pass = self._look_up_uncertain_pass(outcome)
        if self.journal is not None:
            from counter_app.ui.journal_entries import consultation_entry

            entry = consultation_entry(
                self.settings, outcome, card_read_ms=self._read_ms.pop(subject.insz, None)
            )
            # Written while the window paints the advice; a decision waits for it.
            self._forget_old_consultations()
            self._consultations[str(outcome.check_id)] = self._start_append(entry)
            self._retry_pending_logs()
        view = check_view(subject, outcome)
        if own_pass is not None and await self._own_uncertain_pass(outcome, own_pass):
            # UiTPAS's "already a passholder" may be the pass our own earlier attempt made
            # (before a restart, or at another counter): offer the sale, whose confirmation
            # looks the pass up and records it instead of failing on "already a passholder".
            view = dataclasses.replace(
                view,
                advices=tuple(
                    dataclasses.replace(a, already_passholder=False) for a in view.advices
                ),
            )
        return view

    def _look_up_uncertain_pass(self, outcome: CheckOutcome) -> asyncio.Future[bool] | None:
        """For a passholder: is the log's last word on their registration "uncertain"?

        Asked on the log's own thread (its connection lives there); None when there is
        nothing to ask (not a passholder, no log).
        """
        passholder = any(r.uitpas is not None and r.uitpas.passholder for r in outcome.rights)
        if not passholder or self.journal is None:
            return None
        from counter_app.journal.records import uncertain_registration_open

        job = self._writer.submit(uncertain_registration_open, self.journal, outcome.subject.insz)
        return asyncio.wrap_future(job)

    async def _own_uncertain_pass(
        self, outcome: CheckOutcome, lookup: asyncio.Future[bool]
    ) -> bool:
        try:
            found = await lookup
        except Exception:  # the log cannot tell: the window keeps saying "already has a pass"
            _log.warning("could not look up earlier registration attempts in the log")
            return False
        if found:
            self._uncertain_subjects.add(outcome.subject.insz)
        return bool(found)

    def _forget_old_consultations(self, keep: int = 8) -> None:
        """Only recent checks can still be decided on; finished writes of older ones go."""
        finished = [key for key, task in self._consultations.items() if task.done()]
        for key in finished[: max(0, len(self._consultations) - keep)]:
            del self._consultations[key]

    async def consultation_logged(self, check: CheckView) -> str:
        outcome = check.handle
        if self.journal is None or not isinstance(outcome, CheckOutcome):
            return ""
        task = self._consultations.get(str(outcome.check_id))
        if task is None:
            return ""
        try:
            return _entry_number(await asyncio.shield(task))
        except asyncio.CancelledError:
            raise
        except Exception as err:
            detail = _journal_detail(err)
            raise ConfirmError(
                f"the consultation could not be logged: {detail}",
                failure=ConfirmFailure.CONSULTATION_NOT_LOGGED,
                log_failed_detail=detail,
            ) from err

    def _retry_pending_logs(self) -> None:
        """Decisions the log refused (a UiTPAS sale among them may be registered), written
        again once the log is used again (the next consultation).

        Confirming again rewrites such an entry while its citizen is on screen; once the
        card is gone (or the window closes) nobody can, and the decision (a registered sale,
        perhaps) would stay out of the log. Runs on the loop thread, as do the callbacks.
        """
        if self.journal is None:
            return
        for key, (entry, _reference) in list(self._pending_log.items()):
            if key in self._retrying:
                continue
            future = self._start_append(entry)
            self._retrying[key] = future

            def settled(
                done: asyncio.Future[Any], key: str = key, reference: str = _reference
            ) -> None:
                self._retrying.pop(key, None)
                if not done.cancelled() and done.exception() is None:
                    self._pending_log.pop(key, None)
                    self._written_later[key] = (_entry_number(done.result()), reference)
                    _log.info("a decision whose log write had failed is now logged")

            future.add_done_callback(settled)

    def _start_append(self, entry: Any) -> asyncio.Future[Any]:
        """Append on the writer thread (SQLite/PostgreSQL block); the stored entry, later."""
        assert self.journal is not None
        return asyncio.wrap_future(self._writer.submit(self.journal.append, entry))

    async def _append(self, entry: Any) -> str:
        """Append and wait; the entry's number. Cancelling the waiter does not stop the write."""
        return _entry_number(await asyncio.shield(self._start_append(entry)))

    async def confirm(self, check: CheckView, decision: DecisionRequest) -> Confirmation:
        from counter_app.check.models import Decision
        from counter_app.journal.records import with_registration_fact
        from counter_app.ui.journal_entries import decision_entry

        outcome = check.handle
        if not isinstance(outcome, CheckOutcome):
            raise ConfirmError(
                "this advice has no check behind it", failure=ConfirmFailure.NO_CHECK
            )
        await self.consultation_logged(check)  # no decision in the log without its consultation
        key = f"{outcome.check_id}:{decision.right_id}"
        kind = service_decision_kind(decision)
        reason = override_reason(decision)
        reference = ""
        entry = None
        calls: tuple[Any, ...] = ()
        if key in self._written_later:  # logged by a retry meanwhile: never a second sale
            number, reference = self._written_later.pop(key)
            return Confirmation(journal_entry=number, passholder_reference=reference)
        if key in self._pending_log:
            entry, reference = self._pending_log[key]
            retrying = self._retrying.get(key)
            if retrying is not None:  # being written again already: not a second entry
                with contextlib.suppress(Exception):
                    stored = await asyncio.shield(retrying)
                    return Confirmation(
                        journal_entry=_entry_number(stored), passholder_reference=reference
                    )
        if entry is None:
            if is_uitpas(decision.right_id):
                service = await self.service.get()
                result = await service.confirm_sale(
                    outcome,
                    decision.right_id,
                    kind,
                    end_date=decision.end_date,
                    reason=reason,
                    after_uncertain=outcome.subject.insz in self._uncertain_subjects,
                )
                if result.registered:
                    self._uncertain_subjects.discard(outcome.subject.insz)
                if not result.registered:
                    await self._log_failed_registration(outcome, decision.right_id, result)
                reference = result.reference
                service_decision = result.decision
                calls = result.calls  # the registration request, for the audit trail
            else:
                service_decision = Decision(
                    check_id=outcome.check_id,
                    ruleset_id=decision.right_id,
                    kind=kind,
                    reason=reason,
                    end_date=decision.end_date,
                )
            entry = decision_entry(
                self.settings, outcome, decision, service_decision, requests=calls
            )
            if reference:
                entry = with_registration_fact(entry, result)
        if self.journal is None:
            return Confirmation(
                journal_entry="—", passholder_reference=reference, journal_durable=False
            )
        write = self._start_append(entry)
        # While this write runs, a retry started by the next consultation must not write
        # the same (kept) entry a second time: it skips what is in _retrying.
        self._retrying[key] = write
        try:
            number = _entry_number(await asyncio.shield(write))
        except Exception as err:
            # Registered but not logged: keep the entry; confirming again only writes the log.
            self._pending_log[key] = (entry, reference)
            detail = _journal_detail(err)
            extra = f" (UiTPAS {reference})" if reference else ""
            raise ConfirmError(
                f"the log could not be written{extra}: {detail}",
                failure=ConfirmFailure.NOT_LOGGED,
                registered_reference=reference,
                log_failed_detail=detail,
            ) from err
        finally:
            if self._retrying.get(key) is write:
                del self._retrying[key]
        self._pending_log.pop(key, None)
        return Confirmation(journal_entry=number, passholder_reference=reference)

    async def _log_failed_registration(
        self, outcome: CheckOutcome, right: str, result: Any
    ) -> None:
        """Log a registration request that registered nothing as far as we know, then raise.

        Personal data went to UiTPAS, so the request is logged ("no action", with its
        call record) even though no sale happened; when its outcome is unknown the entry
        says so and the clerk is told the pass MAY exist. Never re-sent from here: a
        second confirmation goes through ``confirm_sale``, which looks the person up when
        UiTPAS answers "already a passholder".
        """
        from counter_app.journal.records import failed_registration_entry

        message = result.error or "UiTPAS did not register the pass"
        reason = result.uncertain_reason if result.uncertain else message
        entry = failed_registration_entry(self.settings, outcome, right, result)
        if self.journal is None or entry is None:
            raise _not_registered(message, reason, uncertain=result.uncertain)
        try:
            number = await self._append(entry)
        except Exception as err:
            detail = _journal_detail(err)
            maybe = "; it MAY have registered the pass" if result.uncertain else ""
            raise _not_registered(
                f"{message}; the UiTPAS request could not be logged{maybe}: {detail}",
                reason,
                uncertain=result.uncertain,
                log_failed_detail=detail,
            ) from err
        logged = "attempt logged" if result.uncertain else "the refused request is logged"
        raise _not_registered(
            f"{message} ({logged}: {number})",
            reason,
            uncertain=result.uncertain,
            logged_entry=number,
        )

    async def aclose(self) -> None:
        # Log writes started (consultations, decisions) finish first: they are the record of
        # what was asked and decided. Only then is the journal closed. A write that takes
        # longer than the grace (a stuck database) keeps the journal open and goes on in
        # its own thread; the rest closes anyway, within the window's closing budget.
        self._retry_pending_logs()  # a last try for decisions not yet in the log
        done = await asyncio.to_thread(self._writer.close, _WRITES_GRACE_S)
        if self._pending_log:
            _log.error(
                "%d decision(s) could not be logged before closing (a UiTPAS sale among them"
                " stays registered)",
                len(self._pending_log),
            )
        await self.service.aclose()
        if self.journal is None:
            return
        if done:
            await asyncio.to_thread(self.journal.close)
        else:
            _log.warning("a log write is still running at close: the journal stays open for it")

    def wait_for_log_writes(self, timeout: float) -> bool:
        """After the window closed: give log writes still running up to ``timeout`` seconds.

        False when one is still stuck (a database that stopped answering). The writer is
        a daemon thread, so the process can end anyway; the caller says so.
        """
        return self._writer.wait(timeout)

    @property
    def unlogged_decisions(self) -> int:
        """Decisions the log refused and no retry wrote (after ``aclose``: lost to the log)."""
        return len(self._pending_log)


def _not_registered(
    message: str,
    reason: str,
    *,
    uncertain: bool,
    logged_entry: str = "",
    log_failed_detail: str = "",
) -> ConfirmError:
    """UiTPAS registered nothing as far as we know; an uncertain outcome is its own type."""
    if uncertain:
        return RegistrationUncertainError(
            message, reason=reason, logged_entry=logged_entry, log_failed_detail=log_failed_detail
        )
    return ConfirmError(
        message,
        failure=ConfirmFailure.NOT_REGISTERED,
        reason=reason,
        logged_entry=logged_entry,
        log_failed_detail=log_failed_detail,
    )


def build_backend(
    settings: Settings,
    *,
    reader: str = "simulated",
    faults: Any | None = None,
    readers: Readers | None = None,
    journal: Any | None = None,
) -> EmbeddedBackend:
    """Wire the real layers together; raises ``BackendError`` with one line on failure.

    ``faults`` (a ``SandboxFaults``) makes the in-process sandbox slow or failing, for
    the demo, tests and benchmark; ``readers``/``journal`` replace the defaults.
    """
    try:
        chosen = readers if readers is not None else _build_readers(reader)
    except Exception as err:
        raise BackendError(f"the card reader cannot be set up: {err}") from None
    problem = ""
    if journal is None:
        journal, problem = _open_journal(settings)
    return EmbeddedBackend(
        settings, ServiceHolder(settings, faults), chosen, journal, journal_problem=problem
    )


class ServiceHolder:
    """Opens the check service on first use, on the asyncio thread that will use it.

    The service's HTTP clients belong to one event loop, and building it loads the
    rule book: doing that lazily keeps the window's start fast and on the right loop.
    """

    def __init__(self, settings: Settings, faults: Any | None) -> None:
        self._settings = settings
        self._faults = faults
        self._stack: contextlib.AsyncExitStack | None = None
        self._service: Any = None
        self._lock: asyncio.Lock | None = None

    async def get(self) -> Any:
        if self._service is not None:
            return self._service
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._service is None:
                from counter_app.check.runner import open_check_service

                stack = contextlib.AsyncExitStack()
                self._service = await stack.enter_async_context(
                    open_check_service(self._settings, faults=self._faults)
                )
                self._stack = stack
        return self._service

    async def aclose(self) -> None:
        stack, self._stack, self._service = self._stack, None, None
        if stack is not None:
            await stack.aclose()


def _build_readers(kind: str) -> Readers:
    from counter_app.ui.readers import PcscReaders, SimulatedReaders

    if kind == "pcsc":
        return PcscReaders()
    return SimulatedReaders()


def _open_journal(settings: Settings) -> tuple[Any | None, str]:
    """The daily log (``LOKET_JOURNAL_URL``, else ``journal.url``); if it cannot be opened
    the window says so."""
    try:
        from counter_app.journal.location import resolve_journal_url
        from counter_app.journal.store import open_journal
    except ImportError:
        return None, "not part of this installation"
    try:
        return open_journal(resolve_journal_url(None, settings.journal.url)), ""
    except Exception as err:  # JournalError or a driver error: shown, never a traceback
        return None, f"cannot be opened: {str(err) or type(err).__name__}"
