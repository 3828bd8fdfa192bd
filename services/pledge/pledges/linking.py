"""The links a pledge notification carries, each absolute (``XIANFENG_PLEDGE_URL``) and opened in a browser.

A notification about one pledge (``pledge_review``, ``pledge_due``) gives each recipient their own link to the
pledge page, ``/pledges/{id}?grant=…``: a grant signed for that pledge and that person (``shared.links``,
purpose ``pledge``), so the page needs no header and shows what that person may see and do — the review
form to a reviewer of a submitted pledge, the pledge and its board entry to the others.  The look-back
reminder, sent to every party member of an org, links to the org's board.
"""

from __future__ import annotations

from shared import links
from shared.errors import Forbidden
from shared.principal import Principal
from shared.settings import Settings

PURPOSE = "pledge"
LINK_TTL = 30 * 24 * 3600  # a review request waits a while in an inbox


def pledge_link(settings: Settings, pledge_id: int, person_id: int, ttl: int = LINK_TTL) -> str:
    """The pledge page for ``person_id`` alone (a bearer link: its message must be private)."""
    return links.signed_url(settings, "pledge", f"/pledges/{pledge_id}", PURPOSE,
                            {"pledge": pledge_id, "sub": person_id}, ttl=ttl)


def board_link(settings: Settings, org_id: int, pledge_id: int | None = None) -> str:
    """The org's board, at the pledge's entry when ``pledge_id`` is given."""
    url = links.absolute(settings, "pledge", f"/board/{org_id}")
    return f"{url}#pledge-{pledge_id}" if pledge_id is not None else url


def grantee(settings: Settings, pledge_id: int, grant: str | None) -> Principal:
    """The member a grant was signed for: 401 missing, altered or expired; 403 for another pledge."""
    claims = links.verify(settings, PURPOSE, grant)
    links.require_claim(claims, "pledge", pledge_id)
    sub = claims.get("sub")
    if not isinstance(sub, int) or isinstance(sub, bool):
        raise Forbidden()
    return Principal(sub=str(sub), roles=frozenset({"member"}))
