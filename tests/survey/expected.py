"""The independent computation of results, written from DOMAIN.md (not from the service code)."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction


def mean(scores: list[int]) -> Fraction:
    s = sorted(scores)
    if len(s) >= 5:
        s = s[1:-1]
    return Fraction(sum(s), len(s))


def grade(score: float) -> str:
    return "优秀" if score >= 90 else "合格" if score >= 75 else "基本合格" if score >= 60 else "不合格"


def _ranks(scores: dict) -> dict:
    return {k: 1 + sum(1 for other in scores.values() if other > v) for k, v in scores.items()}


def expected_three_way(given: dict, groups: dict[tuple[str, int], int]) -> dict:
    out = {}
    for key, org in groups.items():
        dims = given.get(key, {}).get(None, {})
        counts = [len(dims.get(d, [])) for d in dimensions_of(key[0])]
        if min(counts) < 3:
            out[key] = {"suppressed": True, "n": max(counts), "org": org}
            continue
        means = {d: mean(dims[d]) for d in dimensions_of(key[0])}
        score = sum(means.values()) / len(means) * 20
        out[key] = {"suppressed": False, "n": max(counts), "org": org, "dimensions": means, "score": score,
                    "grade": grade(score)}
    _complementary(out)
    for scope in ("org", "round"):
        buckets = defaultdict(dict)
        for key, r in out.items():
            if not r["suppressed"]:
                buckets[(key[0], r["org"] if scope == "org" else 0)][key] = r["score"]
        for scores in buckets.values():
            for key, rank in _ranks(scores).items():
                out[key]["rank" if scope == "org" else "rank_in_round"] = rank
    return out


def _complementary(out: dict) -> None:
    """A group's pooled total beside its hidden targets is safe when the hidden ones that hold ratings are at
    least two and hold at least 3 ratings; one more target (the smallest that is enough) is hidden to get there
    when another target still shows, else the total is withheld and no other target hidden."""
    by_group = defaultdict(list)
    for key, r in out.items():
        by_group[(key[0], r["org"])].append(key)

    def safe(keys: list) -> bool:
        return len(keys) >= 2 and sum(out[k]["n"] for k in keys) >= 3

    for keys in by_group.values():
        hidden = [k for k in keys if out[k]["suppressed"] and out[k]["n"] > 0]
        if not hidden or safe(hidden):
            continue
        shown = [k for k in keys if not out[k]["suppressed"]]
        enough = sorted((k for k in shown if safe([*hidden, k])), key=lambda k: (out[k]["n"], k[1]))
        if enough and len(shown) > 1:
            k = enough[0]
            out[k] = {"suppressed": True, "n": out[k]["n"], "org": out[k]["org"], "complementary": True}


def dimensions_of(target_type: str) -> list[str]:
    return {"person": ["awareness", "skill", "performance", "solidarity"],
            "branch": ["close_members", "close_production", "close_service"],
            "committee": ["rally_members", "rally_employees", "rally_enterprise"]}[target_type]


# the group of support.py: person → its branch, branch → its committee, committee → the group
GROUPS = {**{("person", p): 3 for p in range(101, 105)}, **{("person", p): 4 for p in range(201, 204)},
          **{("person", p): 6 for p in (301, 302)}, ("branch", 3): 2, ("branch", 4): 2, ("branch", 6): 5,
          ("committee", 2): 1, ("committee", 5): 1}
