"""i13a_0001 on a database with data: published pledges get their channel flags (withdrawn ones none), and
carriers that started after the 28th get their right end."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from services.pledge import service
from shared import migrations
from shared.db import utcnow


def test_upgrade_fills_channels_and_mends_carrier_ends(tmp_path):
    url = f"sqlite:///{tmp_path / 'pledge.db'}"
    migrations.upgrade("pledge", service.migrations_dir, url, "0003_supervision")
    engine = sa.create_engine(url)
    now = utcnow()
    with engine.begin() as c:
        c.exec_driver_sql("INSERT INTO orgs (id, code, name, kind, path, created_at) VALUES (1, 'HG', 'G', "
                          f"'committee', '/1/', '{now.isoformat()}')")
        for cid, kind, start, end in ((1, "quarter", "2026-04-29", "2026-07-27"), (2, "month", "2026-04-01",
                                                                                  "2026-04-30")):
            c.exec_driver_sql("INSERT INTO carriers (id, title, org_id, period_kind, period_start, period_end, themes,"
                              f" created_at) VALUES ({cid}, 't', 1, '{kind}', '{start}', '{end}', '[]', "
                              f"'{now.isoformat()}')")
        for pid, on_ledger, channels in ((1, 1, '["board", "meeting"]'), (2, 0, '["intranet"]'), (3, 1, "[]")):
            c.exec_driver_sql(
                "INSERT INTO pledges (id, pledger_type, pledger_id, pledger_name, org_id, org_path, category, title,"
                " content, audiences, targets, due_on, state, version, on_ledger, channels, exemplar, latest_values,"
                f" completion, created_at, updated_at) VALUES ({pid}, 'org', 1, 'G', 1, '/1/', 'key_tasks', 't',"
                f" '', '[]', '[]', '2026-12-31', 'published', 1, {on_ledger}, '{channels}', 0, '{{}}', 0,"
                f" '{now.isoformat()}', '{now.isoformat()}')")
    migrations.upgrade("pledge", service.migrations_dir, url)
    with engine.connect() as c:
        flags = c.exec_driver_sql("SELECT id, on_board, on_meeting, on_intranet FROM pledges ORDER BY id").all()
        ends = c.exec_driver_sql("SELECT period_end FROM carriers ORDER BY id").scalars().all()
    assert [tuple(r) for r in flags] == [(1, 1, 1, 0), (2, 0, 0, 0), (3, 0, 0, 0)]
    assert [str(e)[:10] for e in ends] == [date(2026, 7, 28).isoformat(), "2026-04-30"]
