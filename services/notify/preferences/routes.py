"""GET · PUT /api/v1/preferences/{person_id}; GET /api/v1/categories, PUT …/{category} (mandatory)."""

from __future__ import annotations

from flask.views import MethodView

from services.notify.preferences import categories, people
from services.notify.preferences.schemas import (
    CategorySettingInSchema,
    CategorySettingSchema,
    PreferencesInSchema,
    PreferencesSchema,
)
from shared.web.blueprint import Blueprint

blp = Blueprint("preferences", __name__, url_prefix="/api/v1",
                description="通知偏好 — muted categories, channels; mandatory categories")

READERS = ("member", "org_admin", "system")


@blp.route("/preferences/<int:person_id>")
class Preferences(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, PreferencesSchema)
    @blp.transaction(read_only=True)
    def get(self, person_id: int, *, principal, ctx):
        """A person's muted categories, accepted channels, quiet hours and digest"""
        return people.read(ctx, principal, person_id)

    @blp.authorize(*READERS)
    @blp.arguments(PreferencesInSchema)
    @blp.response(200, PreferencesSchema)
    @blp.transaction
    def put(self, data: dict, person_id: int, *, principal, ctx):
        """Replace them (a mandatory category cannot be muted or held for a digest)"""
        return people.write(ctx, principal, person_id, **data)


@blp.route("/categories")
class Categories(MethodView):
    @blp.authorize(*READERS)
    @blp.response(200, CategorySettingSchema(many=True))
    @blp.transaction(read_only=True)
    def get(self, *, principal, ctx):
        """Every category and whether it is mandatory"""
        return categories.categories(ctx.session)


@blp.route("/categories/<category>")
class Category(MethodView):
    @blp.authorize("admin")
    @blp.arguments(CategorySettingInSchema)
    @blp.response(200, CategorySettingSchema)
    @blp.answers(404)
    @blp.transaction
    def put(self, data: dict, category: str, *, principal, ctx):
        """Make a category mandatory or not, and a mandatory one urgent (skips quiet hours)"""
        return categories.set_mandatory(ctx, category, data["mandatory"], data["urgent"])

