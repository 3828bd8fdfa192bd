"""What a round with results sends, called with a hand-built Context over the group's directory copy:
``publish`` is a list's ``append``, the link comes from the settings."""

from __future__ import annotations

from services.survey.results.publishing import publish_results
from shared import links
from shared.context import Context
from shared.messages import PledgeScoresReady, SendNotification


def test_the_results_notification_goes_to_the_secretaries_of_the_round_subtree(group, session, settings,
                                                                                 round_factory):
    sent: list = []
    round_ = round_factory(state="results_ready", root_org_id=2, root_path="/1/2/")
    publish_results(Context(session, settings, publish=sent.append), round_)
    [note] = sent
    assert isinstance(note, SendNotification) and note.category == "results"
    assert [i.person_id for i in note.items] == [101, 201]  # branch 6's secretary (301) is outside 转炉厂党委
    assert note.private and note.link is None
    for item, org in zip(note.items, (3, 4), strict=True):  # each link opens the recipient's own org
        base, grant = item.link.split("?grant=")
        assert base == f"{settings.service('survey').url}/results/{round_.id}"
        assert links.verify(settings, "results", grant) == {"round": round_.id, "org": org, "sub": item.person_id}
    assert note.key == f"survey:round:{round_.id}:results:0"


def test_a_pledge_evaluation_also_reports_its_scores_to_pledge_first(group, session, settings, round_factory):
    sent: list = []
    round_ = round_factory(kind="pledge_evaluation", state="results_ready")
    publish_results(Context(session, settings, publish=sent.append), round_)
    assert [type(m) for m in sent] == [PledgeScoresReady, SendNotification]
    assert sent[0] == PledgeScoresReady(round_id=round_.id, scores=[])  # no result rows in this round
