"""Asking for an aggregation again, called with a hand-built Context: a real session, a fake ``publish``
(a list's ``append``) and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.survey.aggregation.rerun import request_aggregation, requeue_stale
from services.survey.rounds.domain.messages import AggregateRound
from shared.context import Context
from shared.errors import Conflict, Forbidden
from shared.principal import Principal

NOW = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
ADMIN = Principal(sub=None, roles=frozenset({"admin"}))


@pytest.fixture
def published() -> list:
    return []


@pytest.fixture
def ctx(session, settings, published) -> Context:
    return Context(session, settings, publish=published.append, clock=lambda: NOW)


def test_rounds_left_without_results_for_an_hour_are_queued_again(ctx, published, round_factory):
    hours = timedelta(hours=2)
    stale_closed = round_factory(state="closed", closed_at=NOW - hours)
    stale_aggregating = round_factory(state="aggregating", closed_at=NOW - hours, aggregation_started_at=NOW - hours)
    round_factory(state="closed", closed_at=NOW - timedelta(minutes=10))  # its aggregation may still be queued
    round_factory(state="results_ready", closed_at=NOW - hours, aggregation_started_at=NOW - hours)
    round_factory(state="open")
    requeued = requeue_stale(ctx, timedelta(hours=1))
    assert sorted(requeued) == sorted([stale_closed.id, stale_aggregating.id])
    assert sorted(published, key=lambda m: m.round_id) == sorted(
        [AggregateRound(round_id=stale_closed.id), AggregateRound(round_id=stale_aggregating.id)],
        key=lambda m: m.round_id)


def test_an_admin_re_runs_a_failed_round_and_nothing_else_is_sent(ctx, published, round_factory):
    failed = round_factory(state="failed", aggregation_error="OperationalError: lost")
    assert request_aggregation(ctx, ADMIN, failed.id)["state"] == "failed"  # the worker moves it on
    assert published == [AggregateRound(round_id=failed.id, rerun=True)]


def test_a_re_run_is_refused_for_an_open_round_and_outside_the_subtree(ctx, published, round_factory):
    opened = round_factory(state="open")
    with pytest.raises(Conflict) as refused:
        request_aggregation(ctx, ADMIN, opened.id)
    assert refused.value.errors["state"] == ["open"]
    outsider = Principal(sub=None, roles=frozenset({"org_admin"}), org=5)
    with pytest.raises(Forbidden):
        request_aggregation(ctx, outsider, round_factory(state="closed", root_org_id=2, root_path="/1/2/").id)
    assert published == []
