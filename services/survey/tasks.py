"""Celery tasks of the survey service (queue ``survey``): thin wrappers around the use cases.

Aggregation is a chord: ``aggregate_round`` cuts the round into target ranges, one
``aggregate_chunk`` per range runs in parallel, ``finish_round`` ranks and publishes.
"""

from __future__ import annotations

from datetime import timedelta

from celery import chord
from sqlalchemy.exc import IntegrityError, OperationalError

from services.survey.aggregation import rerun, steps
from services.survey.app import service
from services.survey.ballots import release
from services.survey.directory import pledges, service_targets
from services.survey.directory.models import directory
from services.survey.rounds import actions, opening, reminders
from services.survey.rounds.domain.messages import AggregateRound, OpenRound
from services.survey.scorecards import computing, facts
from services.survey.scorecards.domain.messages import ComputeScorecards
from shared.directory import register_consumer
from shared.messages import PledgesChanged, ScorecardFactsChanged, ServiceTargetsChanged

directory_changed = register_consumer(service, directory)
celery = service.celery


@celery.task(name="survey.pledges_changed", ignore_result=True)
def pledges_changed(message: dict) -> dict[str, int]:
    event = PledgesChanged.from_payload(message)
    with service.unit_of_work() as ctx:
        return pledges.apply(ctx.session, event)


@celery.task(name="survey.service_targets_changed", ignore_result=True)
def service_targets_changed(message: dict) -> dict[str, int]:
    """三服务 targets set (or revised, withdrawn) in pledge: the copy that 三测评 ballots show."""
    event = ServiceTargetsChanged.from_payload(message)
    with service.unit_of_work() as ctx:
        return service_targets.apply(ctx.session, event)


# ---- a large round opened by the workers: open_round → issue_chunk per chunk of raters → finish_opening -----

@celery.task(name="survey.open_round", ignore_result=True)
def open_round(message: dict) -> int:
    """Fix the targets and start the chord over the chunks of raters (a round not opening: nothing)."""
    event = OpenRound.from_payload(message)
    with service.unit_of_work() as ctx:
        chunks = opening.start(ctx, event.round_id)
        if chunks is None:
            return 0
    header = [issue_chunk.si(event.round_id, number, chunk) for number, chunk in enumerate(chunks)]
    if header:
        chord(header)(finish_opening.si(event.round_id))
    else:
        finish_opening.delay(event.round_id)
    return len(chunks)


# a lost connection is retried; so is the unique ballot of a rater that a concurrent resumption of the same
# chunk committed first (the retry finds it and skips it)
@celery.task(name="survey.issue_chunk", autoretry_for=(OperationalError, IntegrityError), max_retries=3,
             retry_backoff=2, retry_jitter=False)
def issue_chunk(round_id: int, number: int, chunk: dict) -> int:
    with service.unit_of_work() as ctx:
        return opening.issue_chunk(ctx, round_id, number, chunk)


@celery.task(name="survey.finish_opening")
def finish_opening(round_id: int) -> bool:
    with service.unit_of_work() as ctx:
        return opening.finish(ctx, round_id)


@celery.task(name="survey.resume_openings", ignore_result=True)
def resume_openings() -> list[int]:
    """Rounds left opening for an hour (lost message, a chunk failed for good): their opening again."""
    with service.unit_of_work() as ctx:
        return opening.resume_stale(ctx, timedelta(hours=1))


@celery.task(name="survey.aggregate_round", ignore_result=True)
def aggregate_round(message: dict) -> int:
    """Start the chord; a round whose results are ready is left alone unless ``rerun`` asks again."""
    event = AggregateRound.from_payload(message)
    with service.unit_of_work() as ctx:
        ranges = steps.start(ctx, event.round_id, event.rerun)
        if ranges is None:
            return 0
    header = [aggregate_chunk.si(event.round_id, low, high) for low, high in ranges]
    if header:
        chord(header)(finish_round.si(event.round_id).on_error(aggregation_failed.s(event.round_id)))
    else:
        finish_round.delay(event.round_id)
    return len(ranges)


@celery.task(name="survey.aggregate_chunk", autoretry_for=(OperationalError,), max_retries=3, retry_backoff=2,
             retry_jitter=False)
def aggregate_chunk(round_id: int, low: int, high: int) -> int:
    """One range of targets; a lost database connection is retried (2, 4, 8 s), then the chord fails."""
    with service.unit_of_work() as ctx:
        return steps.compute_chunk(ctx.session, round_id, low, high)


@celery.task(name="survey.finish_round")
def finish_round(round_id: int) -> bool:
    with service.unit_of_work() as ctx:
        return steps.finish(ctx, round_id)


@celery.task(name="survey.aggregation_failed", ignore_result=True)
def aggregation_failed(request, exc, traceback, round_id: int) -> bool:
    """Errback of the chord: a chunk (or the callback) failed for good."""
    with service.unit_of_work() as ctx:
        return steps.fail(ctx.session, round_id, f"{type(exc).__name__}: {exc}")


@celery.task(name="survey.close_due", ignore_result=True)
def close_due() -> list[int]:
    with service.unit_of_work() as ctx:
        return actions.close_due(ctx)


@celery.task(name="survey.remind_due", ignore_result=True)
def remind_due() -> dict[int, int]:
    with service.unit_of_work() as ctx:
        return reminders.remind_due(ctx)


@celery.task(name="survey.requeue_stale", ignore_result=True)
def requeue_stale() -> list[int]:
    """Closed rounds whose aggregation never finished (lost message, crashed worker): ask again."""
    with service.unit_of_work() as ctx:
        return rerun.requeue_stale(ctx, timedelta(hours=1))


@celery.task(name="survey.release_answers", ignore_result=True)
def release_answers() -> dict[int, int]:
    """Pooled answer sets into the answers table, a shuffled batch at a time (then the pool is scrubbed)."""
    with service.unit_of_work() as ctx:
        return release.release_due(ctx.session)


# ---- 四好 scorecards: pledge's facts in, a chord over the orgs, recomputed each night ----------------

@celery.task(name="survey.scorecard_facts", ignore_result=True)
def scorecard_facts(message: dict) -> dict[str, int]:
    """The year's facts from pledge: stored, and the year's scorecards queued for recomputation."""
    event = ScorecardFactsChanged.from_payload(message)
    with service.unit_of_work() as ctx:
        applied = facts.apply(ctx.session, event)
        ctx.publish(ComputeScorecards(year=event.year))
        return applied


@celery.task(name="survey.compute_scorecards", ignore_result=True)
def compute_scorecards(message: dict) -> int:
    """Start the chord: one ``scorecard_chunk`` per chunk of orgs, then ``finish_scorecards`` ranks."""
    event = ComputeScorecards.from_payload(message)
    with service.unit_of_work() as ctx:
        chunks = computing.start(ctx.session, event.year)
    header = [scorecard_chunk.si(event.year, ids) for ids in chunks]
    if header:
        chord(header)(finish_scorecards.si(event.year))
    return len(chunks)


@celery.task(name="survey.scorecard_chunk", autoretry_for=(OperationalError,), max_retries=3, retry_backoff=2,
             retry_jitter=False)
def scorecard_chunk(year: int, org_ids: list[int]) -> int:
    with service.unit_of_work() as ctx:
        return computing.compute_chunk(ctx, year, org_ids)


@celery.task(name="survey.finish_scorecards")
def finish_scorecards(year: int) -> int:
    with service.unit_of_work() as ctx:
        return computing.finish(ctx.session, year)


@celery.task(name="survey.scorecards_nightly", ignore_result=True)
def scorecards_nightly() -> int:
    """The beat's nightly run: the current year's scorecards from the latest facts and results."""
    with service.unit_of_work() as ctx:
        year = ctx.today().year
    return compute_scorecards(ComputeScorecards(year=year).to_payload())
