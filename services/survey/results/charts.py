"""An SVG chart per org for the results page: score distribution and response rate (no JavaScript)."""

from __future__ import annotations

from html import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.survey.directory.models import directory
from services.survey.rounds.models import Ballot, RoundTarget
from services.survey.rounds.reading import used_count

BINS = [(0, 60, "<60"), (60, 75, "60–75"), (75, 90, "75–90"), (90, 101, "≥90")]
WIDTH, HEIGHT, BAR_AREA = 360, 200, 110


def distribution(scores: list[float]) -> list[int]:
    """How many published scores fall in each grade band (不合格, 基本合格, 合格, 优秀 by default)."""
    return [sum(1 for s in scores if lo <= s < hi) for lo, hi, _ in BINS]


def org_chart(title: str, scores: list[float], issued: int, used: int) -> str:
    counts = distribution(scores)
    top = max(counts, default=0) or 1
    rate = used / issued if issued else 0.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f'<text x="8" y="16" font-size="13">{escape(title)}</text>']
    for i, ((_, _, label), count) in enumerate(zip(BINS, counts, strict=True)):
        h = round(BAR_AREA * count / top)
        x = 20 + i * 80
        parts.append(f'<rect class="bar" x="{x}" y="{30 + BAR_AREA - h}" width="50" height="{h}" fill="#c0392b"/>')
        parts.append(f'<text x="{x + 25}" y="{26 + BAR_AREA - h}" font-size="11" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + 25}" y="{154}" font-size="11" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<rect x="20" y="170" width="300" height="14" fill="#eee"/>'
                 f'<rect class="rate" x="20" y="170" width="{round(300 * rate)}" height="14" fill="#2980b9"/>'
                 f'<text x="8" y="196" font-size="11">参评率 {used}/{issued}（{rate:.0%}）</text></svg>')
    return "".join(parts)


def org_charts(session: Session, round_id: int, items: list[dict], scope: str | None) -> list[dict]:
    """Per org that ranks targets: its published scores and the response rate of its subtree."""
    o = directory.orgs
    orgs = session.execute(select(RoundTarget.org_id, RoundTarget.org_path, o.c.name).distinct()
                           .join(o, o.c.id == RoundTarget.org_id, isouter=True)
                           .where(RoundTarget.round_id == round_id).order_by(RoundTarget.org_path)).all()
    by_path = session.execute(select(Ballot.org_path, func.count(), used_count())
                              .where(Ballot.round_id == round_id).group_by(Ballot.org_path)).all()
    out = []
    for org_id, path, name in orgs:
        if scope is not None and not path.startswith(scope):
            continue
        scores = [i["score"] for i in items if i["org_id"] == org_id and i["score"] is not None]
        issued = sum(n for p, n, _ in by_path if p.startswith(path))
        used = sum(int(u or 0) for p, _, u in by_path if p.startswith(path))
        out.append({"org_id": org_id, "svg": org_chart(name or str(org_id), scores, issued, used)})
    return out
