"""The service object's hooks, called as the CLI and Prometheus would: the nightly run and the gauges."""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta

from services.survey.models import Round
from shared.db import utcnow

from .support import answer_all, invitations


def test_the_nightly_run_closes_due_rounds_and_aggregates_them(make_round, survey, survey_client, sent):
    rid = make_round(hours=30)["id"]
    answer_all(survey_client, sent, random.Random(4))
    today = utcnow().date()
    report = survey.daily(today - timedelta(days=1))
    assert report["closed"] == [] and report["aggregated"] == []
    report = survey.daily(today + timedelta(days=3))
    assert report == {"closed": [rid], "reminded": {}, "aggregated": [rid], "scorecards": 5}  # orgs 2–6
    with survey.db.session() as s:
        assert s.get(Round, rid).state == "results_ready"
    assert survey.daily(today + timedelta(days=4))["aggregated"] == []


def test_the_reminder_is_part_of_the_nightly_run(make_round, survey, settings, sent):
    local_today = utcnow().astimezone(settings.zone).date()
    end_of_day = datetime.combine(local_today + timedelta(days=1), time(0), tzinfo=settings.zone)
    rid = make_round(hours=math.ceil((end_of_day - utcnow()).total_seconds() / 3600) + 12)["id"]
    report = survey.daily(local_today)  # closes in 12 h after the end of the day: reminded, not closed
    assert report["reminded"] == {rid: len(invitations(sent))} and report["closed"] == []


def test_metrics_show_rounds_and_the_response_rate_of_open_rounds(make_round, survey):
    rid = make_round()["id"]
    make_round(open=False)
    with survey.db.session() as s:
        samples = {(m.name, tuple(sorted(m.labels.items()))): m.value for m in survey.metrics(s)}
    assert samples[("survey_rounds", (("kind", "three_way"), ("state", "open")))] == 1
    assert samples[("survey_rounds", (("kind", "three_way"), ("state", "draft")))] == 1
    assert samples[("survey_ballots_issued", (("round_id", str(rid)),))] == 20
    assert samples[("survey_response_rate", (("round_id", str(rid)),))] == 0.0
