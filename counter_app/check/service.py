"""The check: ask every source at once, evaluate every right in force, explain.

Why the sources are asked concurrently: the citizen waits at the desk, and the
slowest source, not the sum of all, should set the pace. Each source gets its own
timeout, retries (transient errors of these idempotent reads only) and circuit
breaker; the whole check has one deadline. A source that cannot answer turns its
facts into SOURCE_ERROR facts, so the rules say "check manually" with the reason,
and the rights that do not depend on it are still decided.

The service holds no Qt and no card: the UI and the CLI hand it a ``Subject``. It
keeps its circuit breakers between checks (that is their point), so one service
lives as long as the counter session.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, Protocol

from cardreader.insz import validate_insz
from counter_app.check.models import (
    CheckOutcome,
    Decision,
    DecisionKind,
    ProgressState,
    RightAdvice,
    SaleResult,
    SourceProgress,
    Subject,
    Timings,
    UitpasInfo,
)
from counter_app.check.plan import PlannedRequest, plan_requests, purpose_of
from counter_app.check.resilience import (
    AttemptPolicy,
    CircuitBreaker,
    Clock,
    answer_failed,
    ask_with_retries,
    synthetic_answer,
)
from counter_app.check.uitpas import (
    ask_uitpas,
    is_uitpas_right,
    registration_for,
    timed_out_call,
    uitpas_notes,
)
from counter_app.config import Settings
from counter_app.sources.base import (
    CallStatus,
    QueryContext,
    SourceAdapter,
    SourceAnswer,
    SourceCall,
)
from counter_app.sources.errors import SourceError
from counter_app.sources.uitpas import (
    AlreadyPassholder,
    RegistrationUncertain,
    SocialTariffState,
    UitpasClient,
)
from rules import Advice
from rules import evaluate as evaluate_ruleset
from rules.facts import Fact, SourceId
from rules.rulebook import RuleBook
from rules.ruleset import RuleSet

log = logging.getLogger(__name__)

ProgressCallback = Callable[[SourceProgress], None]
DecisionHook = Callable[[Decision, CheckOutcome | None], None]
UitpasResult = tuple[UitpasInfo, tuple[SourceCall, ...]]

MAY_HAVE_REGISTERED = (
    "the registration MAY have gone through at UiTPAS ({why}). Do not register this "
    "person another way: confirm the sale again (the counter then looks the passholder "
    "up and records the pass it finds), or look the person up in UiTPAS"
)


class Evaluate(Protocol):
    def __call__(self, ruleset: RuleSet, facts: Mapping[str, Fact], on: dt.date) -> Advice: ...


def _default_evaluate(ruleset: RuleSet, facts: Mapping[str, Fact], on: dt.date) -> Advice:
    return evaluate_ruleset(ruleset, facts, on, trace=True)


class CheckService:
    """One per counter session: holds the adapters, the rule book and the circuit breakers."""

    def __init__(
        self,
        settings: Settings,
        adapters: Mapping[SourceId, SourceAdapter],
        rulebook: RuleBook,
        *,
        uitpas: UitpasClient | None = None,
        evaluate: Evaluate = _default_evaluate,
        on_decision: DecisionHook | None = None,
        sequential: bool = False,
        clock: Clock = time.monotonic,
    ) -> None:
        self.settings = settings
        self.adapters = dict(adapters)
        self.rulebook = rulebook
        self.uitpas = uitpas
        self.evaluate = evaluate
        self.on_decision = on_decision
        self.sequential = sequential  # benchmark comparison only: one source after the other
        self.clock = clock
        # per source and purpose: one Hoedanigheid's failures (a refused authorisation,
        # say) must not stop the requests of another
        self.breakers: dict[tuple[SourceId, str], CircuitBreaker] = {}
        # INSZ whose registration this session sent without learning its outcome: a 409
        # for them may be our own pass (kept in memory only, never logged)
        self._uncertain_registrations: set[str] = set()

    def breaker(self, source: SourceId, purpose: str) -> CircuitBreaker:
        key = (source, purpose)
        if key not in self.breakers:
            conf = self.settings.sources.for_source(source)
            self.breakers[key] = CircuitBreaker(
                conf.breaker_threshold, conf.breaker_cooldown_s, clock=self.clock
            )
        return self.breakers[key]

    # -- the check -----------------------------------------------------------------------

    async def run(
        self,
        subject: Subject,
        on: dt.date,
        progress: ProgressCallback | None = None,
        declarations: Mapping[str, bool] | None = None,
    ) -> CheckOutcome:
        """Ask, evaluate, explain. Cancellation (card removed) propagates; nothing leaks.

        Raises ``InvalidNationalNumberError`` for a test INSZ outside test mode: in
        production no source may be asked about a fictitious person.
        """
        validate_insz(subject.insz, test_mode=self.settings.test_mode)
        check_id = uuid.uuid4()
        started_at = dt.datetime.now(dt.UTC)
        t0 = self.clock()
        deadline = t0 + self.settings.check_deadline_s
        rulesets = self.rulebook.in_force(on)
        overrides = self.settings.magda.purposes
        requests = plan_requests(rulesets, overrides, on)
        report = _shielded(progress)

        jobs: list[Callable[[], Coroutine[Any, Any, SourceAnswer]]] = [
            self._job(r, subject, on, deadline, report) for r in requests
        ]
        uitpas_rulesets = [r for r in rulesets if is_uitpas_right(r.id)]
        uitpas_purpose = purpose_of(uitpas_rulesets[0], overrides) if uitpas_rulesets else None
        answers, uitpas_result = await self._gather(jobs, subject, deadline, report, uitpas_purpose)
        uitpas_info, uitpas_calls = uitpas_result if uitpas_result else (None, ())
        t_sources = self.clock()

        facts_by_purpose: dict[str, dict[str, Fact]] = {}
        calls: list[SourceCall] = []
        for request, answer in zip(requests, answers, strict=True):
            bucket = facts_by_purpose.setdefault(request.purpose, {})
            for fact in answer.facts:
                bucket[fact.name] = fact
            calls.extend(answer.calls)
        calls.extend(uitpas_calls)
        declared = _declared_facts(declarations or {}, started_at)

        rights: list[RightAdvice] = []
        for ruleset in rulesets:
            purpose = purpose_of(ruleset, overrides)
            facts = {**facts_by_purpose.get(purpose, {}), **declared}
            advice = self.evaluate(ruleset, facts, on)
            info = uitpas_info if ruleset in uitpas_rulesets else None
            rights.append(
                RightAdvice(
                    ruleset_id=ruleset.id,
                    purpose=purpose,
                    advice=advice,
                    uitpas=info,
                    notes=uitpas_notes(info, advice) if info is not None else (),
                )
            )
        t_end = self.clock()

        per_source: dict[str, float] = {}
        for call in calls:
            key = call.source.value
            per_source[key] = max(per_source.get(key, 0.0), call.duration_ms)
        return CheckOutcome(
            check_id=check_id,
            subject=subject,
            reference_date=on,
            started_at=started_at,
            rights=tuple(rights),
            facts={
                purpose: tuple(sorted(f.values(), key=lambda x: x.name))
                for purpose, f in facts_by_purpose.items()
            },
            calls=tuple(calls),
            timings=Timings(
                total_ms=(t_end - t0) * 1000,
                sources_ms=(t_sources - t0) * 1000,
                evaluation_ms=(t_end - t_sources) * 1000,
                per_source_ms=per_source,
            ),
            settings_environment=self.settings.environment.value,
        )

    async def _gather(
        self,
        jobs: Sequence[Callable[[], Coroutine[Any, Any, SourceAnswer]]],
        subject: Subject,
        deadline: float,
        report: ProgressCallback,
        uitpas_purpose: str | None,
    ) -> tuple[list[SourceAnswer], UitpasResult | None]:
        uitpas_job = (
            self._uitpas_job(subject, uitpas_purpose, deadline, report) if uitpas_purpose else None
        )
        if self.sequential:
            answers = [await job() for job in jobs]
            info = await uitpas_job() if uitpas_job is not None else None
            return answers, info
        # TaskGroup: if the check is cancelled (card removed), every child is cancelled
        # and awaited before the CancelledError leaves this frame; nothing keeps running.
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(job()) for job in jobs]
            uitpas_task = group.create_task(uitpas_job()) if uitpas_job is not None else None
        return [t.result() for t in tasks], (
            uitpas_task.result() if uitpas_task is not None else None
        )

    def _job(
        self,
        request: PlannedRequest,
        subject: Subject,
        on: dt.date,
        deadline: float,
        report: ProgressCallback,
    ) -> Callable[[], Coroutine[Any, Any, SourceAnswer]]:
        async def job() -> SourceAnswer:
            source, purpose = request.source, request.purpose
            report(SourceProgress(source=source, purpose=purpose, state=ProgressState.STARTED))
            t0 = self.clock()
            adapter = self.adapters.get(source)
            if adapter is None:
                answer = synthetic_answer(
                    source,
                    purpose,
                    request.wanted,
                    CallStatus.ERROR,
                    "this source is not configured at this counter",
                    started_at=dt.datetime.now(dt.UTC),
                    duration_ms=0.0,
                    attempts=0,
                )
            else:
                ctx = QueryContext(
                    subject_insz=subject.insz,
                    reference_date=on,
                    purpose=purpose,
                    clerk_insz=self.settings.clerk.insz,
                )
                answer = await ask_with_retries(
                    lambda: adapter.fetch(ctx, request.wanted),
                    source=source,
                    purpose=purpose,
                    wanted=request.wanted,
                    policy=AttemptPolicy.from_settings(self.settings.sources.for_source(source)),
                    breaker=self.breaker(source, purpose),
                    deadline=deadline,
                    clock=self.clock,
                )
            failed = answer_failed(answer) or any(
                c.status is CallStatus.CIRCUIT_OPEN for c in answer.calls
            )
            report(
                SourceProgress(
                    source=source,
                    purpose=purpose,
                    state=ProgressState.FAILED if failed else ProgressState.ANSWERED,
                    detail=_failure_detail(answer) if failed else "",
                    duration_ms=(self.clock() - t0) * 1000,
                )
            )
            return answer

        return job

    def _uitpas_job(
        self, subject: Subject, purpose: str, deadline: float, report: ProgressCallback
    ) -> Callable[[], Coroutine[Any, Any, UitpasResult]]:
        async def job() -> UitpasResult:
            if self.uitpas is None:
                return UitpasInfo(available=False, error="UiTPAS is not configured"), ()
            source = SourceId.UITPAS
            report(SourceProgress(source=source, purpose=purpose, state=ProgressState.STARTED))
            t0 = self.clock()
            conf = self.settings.sources.uitpas
            info, calls = await ask_uitpas(
                self.uitpas,
                subject,
                self.settings.uitpas.card_system_id,
                purpose,
                breaker=self.breaker(source, purpose),
                timeout_s=min(
                    conf.timeout_s * (conf.retries + 1), max(deadline - self.clock(), 0.001)
                ),
                retries=conf.retries,
            )
            report(
                SourceProgress(
                    source=source,
                    purpose=purpose,
                    state=ProgressState.ANSWERED if info.available else ProgressState.FAILED,
                    detail=info.error,
                    duration_ms=(self.clock() - t0) * 1000,
                )
            )
            return info, calls

        return job

    # -- after the advice ----------------------------------------------------------------

    def record_decision(self, decision: Decision, outcome: CheckOutcome | None = None) -> None:
        """Hand the clerk's decision to whoever keeps the log (the journal plugs in here)."""
        if self.on_decision is not None:
            self.on_decision(decision, outcome)

    async def confirm_sale(
        self,
        outcome: CheckOutcome,
        ruleset_id: str,
        kind: DecisionKind,
        *,
        end_date: dt.date | None = None,
        reason: str = "",
        after_uncertain: bool = False,
    ) -> SaleResult:
        """Record the clerk's decision; for a UiTPAS sale, register the passholder first.

        The registration is never retried (a POST is not idempotent: a lost answer may
        still have registered); its failure is returned for the clerk, not raised. A
        failure that may have registered all the same (no answer in time, 5xx, a cut or
        unreadable answer) is ``uncertain``, with the request's call record for the log.
        When the clerk confirms again after such an attempt (this session's, or one the
        caller found in the log: ``after_uncertain``) and UiTPAS answers "already a
        passholder", the person is looked up and the pass found is the registration.
        """
        decision = Decision(
            check_id=outcome.check_id,
            ruleset_id=ruleset_id,
            kind=kind,
            reason=reason,
            end_date=end_date,
        )
        if kind in (DecisionKind.CANCELLED, DecisionKind.LEZ) or not is_uitpas_right(ruleset_id):
            # nothing to register at UiTPAS: the decision only goes to the log
            self.record_decision(decision, outcome)
            return SaleResult(registered=False, decision=decision)
        if self.uitpas is None:
            self.record_decision(decision, outcome)
            return SaleResult(registered=False, error="UiTPAS is not configured", decision=decision)
        # an override with an end date sells at the social tariff against the advice
        social_end = (
            end_date if kind in (DecisionKind.OPPORTUNITY_TARIFF, DecisionKind.OVERRIDE) else None
        )
        purpose = next((r.purpose for r in outcome.rights if r.ruleset_id == ruleset_id), "")
        insz = outcome.subject.insz
        timeout_s = self.settings.sources.uitpas.timeout_s
        started_at = dt.datetime.now(dt.UTC)
        try:
            registration = registration_for(
                outcome.subject, self.settings.uitpas.card_system_id, social_end
            )
            async with asyncio.timeout(timeout_s):
                fetched = await self.uitpas.register_passholder(registration, purpose=purpose)
        except TimeoutError:
            # sent, and given up on: it may have registered; keep the request for the log
            why = f"no answer within {timeout_s:g} s"
            call = timed_out_call("register-passholder", purpose, started_at, timeout_s, why)
            return self._uncertain(decision, outcome, why, (call,))
        except RegistrationUncertain as err:
            calls = (err.call,) if err.call is not None else ()
            return self._uncertain(decision, outcome, err.reason, calls)
        except AlreadyPassholder as err:
            calls = (err.call,) if err.call is not None else ()
            if after_uncertain or insz in self._uncertain_registrations:
                return await self._look_up_own_registration(
                    decision, outcome, purpose, social_end, calls
                )
            self.record_decision(decision, outcome)
            return SaleResult(registered=False, error=err.reason, decision=decision, calls=calls)
        except SourceError as err:  # a clean refusal: nothing was registered
            self.record_decision(decision, outcome)
            calls = (err.call,) if err.call is not None else ()
            return SaleResult(registered=False, error=err.reason, decision=decision, calls=calls)
        return self._registered(decision, outcome, fetched.value.passholder_id, (fetched.call,))

    def _registered(
        self,
        decision: Decision,
        outcome: CheckOutcome,
        reference: str,
        calls: tuple[SourceCall, ...],
        *,
        recovered: bool = False,
    ) -> SaleResult:
        """The pass is there (registered now, or found after our uncertain attempt)."""
        self._uncertain_registrations.discard(outcome.subject.insz)
        decision = decision.model_copy(update={"registration_reference": reference})
        self.record_decision(decision, outcome)
        return SaleResult(
            registered=True,
            recovered=recovered,
            reference=reference,
            decision=decision,
            calls=calls,
        )

    def _uncertain(
        self,
        decision: Decision,
        outcome: CheckOutcome,
        why: str,
        calls: tuple[SourceCall, ...],
    ) -> SaleResult:
        self._uncertain_registrations.add(outcome.subject.insz)
        self.record_decision(decision, outcome)
        return SaleResult(
            registered=False,
            uncertain=True,
            error=MAY_HAVE_REGISTERED.format(why=why),
            uncertain_reason=why,
            decision=decision,
            calls=calls,
        )

    async def _look_up_own_registration(
        self,
        decision: Decision,
        outcome: CheckOutcome,
        purpose: str,
        social_end: dt.date | None,
        calls: tuple[SourceCall, ...],
    ) -> SaleResult:
        """After our own uncertain attempt UiTPAS says "already a passholder": is it our pass?

        It is when the person holds a pass in our card system, with an active social
        tariff when that is what was sold. Anything else stays uncertain (the lookup
        failed) or is a plain refusal (a pass, but not the one that was asked for).
        """
        assert self.uitpas is not None
        card_system = self.settings.uitpas.card_system_id
        timeout_s = self.settings.sources.uitpas.timeout_s
        started_at = dt.datetime.now(dt.UTC)
        try:
            async with asyncio.timeout(timeout_s):
                found = await self.uitpas.passholder_status(outcome.subject.insz, purpose=purpose)
        except TimeoutError:
            why = f"already a passholder, and the lookup gave no answer within {timeout_s:g} s"
            call = timed_out_call("passholder-status", purpose, started_at, timeout_s, why)
            return self._uncertain(decision, outcome, why, (*calls, call))
        except SourceError as err:
            lookup = (err.call,) if err.call is not None else ()
            why = f"already a passholder, and the lookup failed: {err.reason}"
            return self._uncertain(decision, outcome, why, (*calls, *lookup))
        calls = (*calls, found.call)
        status = found.value
        membership = next((m for m in status.card_systems if m.card_system_id == card_system), None)
        ours = (
            status.is_passholder
            and membership is not None
            and (social_end is None or membership.status is SocialTariffState.ACTIVE)
        )
        if not ours or not status.passholder_id:
            self._uncertain_registrations.discard(outcome.subject.insz)
            self.record_decision(decision, outcome)
            return SaleResult(
                registered=False,
                error="this person is already a UiTPAS passholder, but not with the pass "
                "this sale asked for: look the person up in UiTPAS",
                decision=decision,
                calls=calls,
            )
        return self._registered(decision, outcome, status.passholder_id, calls, recovered=True)

    async def aclose(self) -> None:
        """Close every adapter's HTTP client (the UI calls this when the session ends)."""
        closers = [a.aclose() for a in self.adapters.values()]
        if self.uitpas is not None:
            closers.append(self.uitpas.aclose())
        await asyncio.gather(*closers, return_exceptions=True)


def _shielded(progress: ProgressCallback | None) -> ProgressCallback:
    """A failing progress listener (a UI bug) must not abort the citizen's check."""
    if progress is None:
        return lambda _p: None
    listener = progress

    def report(event: SourceProgress) -> None:
        try:
            listener(event)
        except Exception:
            log.exception("progress listener failed for %s", event.source.value)

    return report


def _declared_facts(declarations: Mapping[str, bool], at: dt.datetime) -> dict[str, Fact]:
    return {
        name: Fact.known(name, bool(value), SourceId.CLERK_DECLARATION, retrieved_at=at)
        for name, value in declarations.items()
    }


def _failure_detail(answer: SourceAnswer) -> str:
    for call in reversed(answer.calls):
        if call.status is not CallStatus.OK:
            return call.error or call.status.value
    return ""
