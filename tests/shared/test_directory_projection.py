from sqlalchemy import select

from shared.directory import apply, counts, lineage
from shared.messages import DirectoryChanged, OrgRecord, PersonRecord


def _event():
    return DirectoryChanged(
        orgs=[OrgRecord(1, "HG", "集团党委", "committee", None, "/1/"),
              OrgRecord(2, "ZL", "转炉厂党委", "committee", 1, "/1/2/"),
              OrgRecord(3, "ZL1", "炼钢一支部", "branch", 2, "/1/2/3/")],
        people=[PersonRecord(10, "E10", "王强", 3, True, "1990-02-28", ["secretary"]),
                PersonRecord(11, "E11", "陈红", 3, False)],
    )


def test_events_reach_the_projection_through_the_consumer_task(survey, notify, pledge_client, auth_headers, sent):
    pledge_client.post("/api/v1/orgs", json={"name": "集团党委", "code": "HG", "kind": "committee"},
                       headers=auth_headers("admin"))
    from services.notify.tasks import directory_changed as notify_consumer
    from services.survey.tasks import directory_changed as survey_consumer

    survey_consumer(message=sent.of("survey.directory_changed")[0])
    notify_consumer(message=sent.of("notify.directory_changed")[0])
    notify_consumer(message=sent.of("notify.directory_changed")[0])  # delivered twice: one effect
    for svc in (survey, notify):
        with svc.db.session() as s:
            from services.notify.models import directory as tables

            if svc is survey:
                from services.survey.models import directory as tables
            assert counts(s, tables) == {"orgs": 1, "people": 0}


def test_apply_upserts_and_snapshot_deactivates(notify):
    from services.notify.models import directory

    with notify.db.session() as s:
        apply(s, directory, _event())
        apply(s, directory, DirectoryChanged(people=[PersonRecord(10, "E10", "王强", 2, True, None, [])]))
        row = s.execute(select(directory.people).where(directory.people.c.id == 10)).one()
        assert row.org_id == 2 and row.org_path == "/1/2/"
        assert lineage(s, directory, 3) == [1, 2, 3]
        assert counts(s, directory) == {"orgs": 3, "people": 2}
        snap = _event()
        apply(s, directory, DirectoryChanged(orgs=snap.orgs, people=snap.people[:1], snapshot=True))
        assert counts(s, directory) == {"orgs": 3, "people": 1}
