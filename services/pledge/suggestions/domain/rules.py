"""Rules of suggestions (征求意见), plain data only.

- Any active person of an org submits to their own org or to one above it; anonymous or signed.
- An anonymous suggestion has no author, for anyone: not hidden, absent (``author_shown`` is ``None``).
- The org's secretaries (书记, 副书记) and admins over it read and answer: ``open`` → ``answered`` or
  ``declined`` (a reason is required); a pledge citing an open suggestion answers it.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.lifecycle import StateMachine
from shared.roles import LEADERS

STATES = ("open", "answered", "declined")
DECISIONS = ("answer", "decline")
LIFECYCLE = StateMachine({
    ("open", "answer"): "answered",
    ("open", "decline"): "declined",
    ("open", "cite"): "answered",
    ("answered", "cite"): "answered",
    ("answered", "answer"): "answered",  # a further reply replaces the first
})


def author_shown(anonymous: bool, author_id: int | None) -> int | None:
    """Who wrote it, as anyone may see it: nobody for an anonymous suggestion (nothing is stored either)."""
    return None if anonymous else author_id


def is_author(person_id: int, suggestion) -> bool:
    """Only a signed suggestion has an author who may follow it; an anonymous one has none, for anyone."""
    return not suggestion.anonymous and suggestion.author_id == person_id


def may_submit_to(person_lineage: Iterable[int], org_id: int) -> bool:
    """A person submits to their own org or to any org above it."""
    return org_id in set(person_lineage)


def leads(roles: Iterable[str]) -> bool:
    """A secretary or deputy secretary of their org reads and answers its suggestions."""
    return bool(set(roles) & LEADERS)


def covers(reader_path: str, org_path: str) -> bool:
    """A reader scoped to ``reader_path`` (an org's materialised path) covers the org and its subtree."""
    return org_path.startswith(reader_path)


def cited_fits(pledge_path: str, suggestion_path: str) -> bool:
    """A pledge may answer a suggestion made to its org, to an org above it, or to an org below it."""
    return pledge_path.startswith(suggestion_path) or suggestion_path.startswith(pledge_path)
