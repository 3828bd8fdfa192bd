"""The phone page ``/b/<token>``: one target per screen, answers carried in hidden fields, no JavaScript."""

from __future__ import annotations

import re

from ...support import invitations, pooled_scores


def _form(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_phone_page_walks_one_target_per_screen_without_javascript(make_round, survey_client, sent, survey):
    make_round(allow_partial=False)
    token = invitations(sent)[211]  # an employee of branch 4: three members to rate
    page = survey_client.get(f"/b/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in html
    assert all(label in html for label in ("很好", "较好", "一般", "较差", "差", "党员201", "思想觉悟"))
    dims = ["awareness", "skill", "performance", "solidarity"]
    incomplete = survey_client.post(f"/b/{token}", data={"step": "0", "go": "next", "a-0-skill": "5"})
    assert incomplete.status_code == 422 and "请为每一项选择评价" in incomplete.get_data(as_text=True)
    carried: dict[str, str] = {}
    for step in range(3):
        data = {**carried, "step": str(step), "go": "next" if step < 2 else "submit",
                **{f"a-{step}-{d}": str(5 - step) for d in dims}}
        r = survey_client.post(f"/b/{token}", data=data)
        html = r.get_data(as_text=True)
        carried = {k: v for k, v in _form(html).items() if k.startswith("a-")}
    assert r.status_code == 200 and "感谢参与" in html
    with survey.db.session() as s:
        assert pooled_scores(s) == [3] * 4 + [4] * 4 + [5] * 4
    used = survey_client.get(f"/b/{token}")
    assert used.status_code == 409 and "已使用" in used.get_data(as_text=True)
    assert survey_client.get("/b/unknown-token-xyz").status_code == 404
