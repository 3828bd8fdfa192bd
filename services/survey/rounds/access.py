"""Who may see and run a round: role AND org subtree, from the directory projection."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.survey.directory.lookups import org_path
from services.survey.rounds.models import Round
from shared.directory import path_ids
from shared.errors import Forbidden
from shared.principal import Principal


def require_round_admin(principal: Principal, round_: Round) -> None:
    """Open, close, re-aggregate: the group admin, or an org admin over the round's root org."""
    if not principal.administers(path_ids(round_.root_path)):
        raise Forbidden("org_forbidden")


def view_scope(session: Session, principal: Principal, round_: Round) -> str | None:
    """The org path the caller may read of a round (``None``: all of it); 403 when nothing.

    The round's admins and other group systems read everything; an org admin inside the round's
    subtree reads its own part (a branch its members, a committee its branches and their members).
    """
    if principal.is_admin or principal.is_system or principal.administers(path_ids(round_.root_path)):
        return None
    if "org_admin" in principal.roles and principal.org is not None:
        own = org_path(session, principal.org)
        if own and own.startswith(round_.root_path):
            return own
    raise Forbidden("org_forbidden")
