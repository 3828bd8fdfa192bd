"""The demo supervision data: 转炉厂's 5 key + 3 general demonstration sites, contact points, idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from pledge.supervision.world import add_org, add_person
from services.pledge.demo.supervision import seed
from services.pledge.supervision.models import ContactPoint, DemoSite, DemoSiteEvaluation, Inspection

TODAY = date(2025, 6, 15)


def demo_group(session, converter_branches: int = 8) -> dict:
    root = add_org(session, "HG", "杭钢集团党委", "committee")
    converter = add_org(session, "ZLC", "转炉厂党委", "committee", root)
    coking = add_org(session, "JHC", "焦化厂党委", "committee", root)
    for i in range(converter_branches):
        add_org(session, f"ZLC-{i}", f"转炉厂第{i + 1}党支部", "branch", converter)
    for i in range(2):
        add_org(session, f"JHC-{i}", f"焦化厂第{i + 1}党支部", "branch", coking)
    add_person(session, "G1", "李世中", root, ["secretary"])
    add_person(session, "G2", "副书记", root, ["deputy_secretary"])
    add_person(session, "Z1", "转炉厂书记", converter, ["secretary"])
    add_person(session, "Z2", "转炉厂职员", converter)
    return {"root": root.id, "converter": converter.id}


def count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_seed_adds_five_key_and_three_general_sites_and_is_idempotent(pledge):
    with pledge.db.session() as session:
        demo_group(session)
        first = seed(session, TODAY)
    assert first["demo_sites"] == 8 and first["contact_points"] > 0 and first["visits"] > 0
    assert first["evaluations"] == 8 * 5  # January to May
    assert first["inspections"] == 10 and first["comments"] == 10  # every branch (fewer than 34 here)
    with pledge.db.session() as session:
        levels = session.execute(select(DemoSite.level, func.count()).group_by(DemoSite.level)).all()
        assert dict(levels) == {"key": 5, "general": 3}
        assert {k for (k,) in session.execute(select(DemoSite.kind))} == {"branch"}
        assert count(session, DemoSiteEvaluation) == 40
        assert session.execute(select(func.count()).where(Inspection.kind == "unannounced")).scalar_one() == 10
        again = seed(session, TODAY)
    assert set(again.values()) == {0}


def test_contact_points_link_each_leader_to_branches_of_their_own_level(pledge):
    with pledge.db.session() as session:
        ids = demo_group(session)
        seed(session, TODAY)
        points = session.execute(select(ContactPoint.leader_id, ContactPoint.org_id)).all()
        people = {p: n for p, n in session.execute(select(ContactPoint.leader_id, func.count())
                                                   .group_by(ContactPoint.leader_id)).all()}
    assert len(people) == 3  # the two group leaders and the 转炉厂 secretary; the clerk holds no leading role
    assert all(n == 2 for n in people.values())
    assert len(points) == 6 and ids["converter"] not in {org for _, org in points}


def test_with_fewer_branches_posts_make_up_the_eight_sites(pledge):
    with pledge.db.session() as session:
        demo_group(session, converter_branches=3)
        result = seed(session, TODAY)
        posts = session.execute(select(DemoSite.post_name).where(DemoSite.kind == "post")).scalars().all()
    assert result["demo_sites"] == 8 and len(posts) == 5


def test_seeded_sites_read_back_over_http(pledge, pledge_client, auth_headers):
    with pledge.db.session() as session:
        ids = demo_group(session)
        seed(session, TODAY)
    headers = auth_headers("org_admin", org=ids["converter"])
    page = pledge_client.get(f"/api/v1/demo-sites?org_id={ids['converter']}&subtree=1&level=key",
                             headers=headers).get_json()
    assert page["total"] == 5
    detail = pledge_client.get(f"/api/v1/demo-sites/{page['items'][0]['id']}", headers=headers).get_json()
    assert detail["progress"]["management"]["months"] == 5
    assert detail["actions"]["prescribed"]["total"] == 3
    counts = pledge_client.get("/api/v1/contact-points/counts?group_by=unit", headers=auth_headers("admin")).get_json()
    assert counts["total"] >= 1 and all(item["visits"] > 0 for item in counts["items"])


def test_seed_without_a_group_adds_nothing(pledge):
    with pledge.db.session() as session:
        assert set(seed(session, TODAY).values()) == {0}
