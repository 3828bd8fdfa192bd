"""The one smorest Blueprint every route of every service is declared on.

A view reads as what it is: input and output schemas, who may call it, the transaction, one use case::

    @blp.route("/<int:pledge_id>/submit")
    class SubmitPledge(MethodView):
        @blp.authorize("admin", "org_admin", "member")      # 401/403 checked and documented; principal=
        @blp.arguments(TransitionCommentSchema)
        @blp.response(200, PledgeSchema)
        @blp.answers(404, 409)                             # documented with the error schema
        @blp.transaction                                   # one unit of work; ctx=
        def post(self, data, pledge_id, *, principal, ctx):
            \"\"\"Submit for review (审诺)\"\"\"
            return pledges.view(actions.submit(ctx, principal, pledge_id, data))

Put ``authorize`` above ``arguments``: the caller's roles are checked before their input is read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import current_app

from shared.auth import require

ERROR_DESCRIPTIONS = {
    400: "Bad request (e.g. a file that cannot be read)",
    401: "No token, or a token that is expired, badly signed or malformed",
    403: "The caller's role or organisation does not allow this",
    404: "Unknown id",
    409: "Conflicts with the current state (the message names the state and what is allowed from it)",
    413: "The request body is larger than allowed",
    415: "Unsupported media type",
    422: "Bad input: every bad field named in errors",
    429: "Too many requests: slow down and retry",
}


def current_service():
    """The service whose app handles this request (``app.extensions["xianfeng_service"]``)."""
    return current_app.extensions["xianfeng_service"]


class Blueprint(flask_smorest.Blueprint):
    def answers(self, *statuses: int) -> Callable:
        """Document that the operation may answer these error statuses (with the contract's error schema)."""
        from shared.web import ErrorSchema

        def decorator(func: Callable) -> Callable:
            for status in statuses:
                func = self.alt_response(status, schema=ErrorSchema, description=ERROR_DESCRIPTIONS[status])(func)
            return func

        return decorator

    def authorize(self, *roles: str) -> Callable:
        """Only callers holding one of ``roles`` (an admin always passes): 401 without a valid token, 403
        otherwise; the view receives ``principal=``.  Subtree checks belong to the use case, which knows
        the object's org."""

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return func(*args, principal=require(*roles), **kwargs)

            return self.answers(401, 403)(wrapper)

        return decorator

    def transaction(self, func: Callable | None = None, *, read_only: bool = False) -> Callable:
        """Run the view in one unit of work of the current service, passed as ``ctx=``
        (:class:`shared.context.Context`): committed when the view returns, rolled back when it raises.
        ``read_only=True`` for reads: no write lock on SQLite, no publishing."""

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                with current_service().unit_of_work(read_only=read_only) as ctx:
                    return view(*args, ctx=ctx, **kwargs)

            return wrapper

        return decorator(func) if func is not None else decorator
