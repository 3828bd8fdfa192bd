"""GET · PUT /api/v1/preferences/{person_id}; GET /api/v1/categories, PUT …/{category} (mandatory)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.notify import access, preferences
from services.notify.extensions import service
from services.notify.schemas import (
    CategorySettingInSchema,
    CategorySettingSchema,
    PreferencesInSchema,
    PreferencesSchema,
)
from shared.auth import require
from shared.db import utcnow
from shared.errors import NotFound
from shared.messages import CATEGORIES

blp = Blueprint("preferences", __name__, url_prefix="/api/v1",
                description="通知偏好 — muted categories, channels; mandatory categories")


@blp.route("/preferences/<int:person_id>")
class Preferences(MethodView):
    @blp.response(200, PreferencesSchema)
    def get(self, person_id: int):
        """A person's muted categories and accepted channels"""
        with service.db.session() as session:
            access.require_person(require("member", "org_admin", "system"), session, person_id)
            return preferences.read(session, person_id)

    @blp.arguments(PreferencesInSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, data: dict, person_id: int):
        """Replace them (a mandatory category cannot be muted)"""
        with service.db.session() as session:
            access.require_person(require("member", "org_admin", "system"), session, person_id)
            return preferences.write(session, person_id, data["muted_categories"], data["channels"], utcnow())


@blp.route("/categories")
class Categories(MethodView):
    @blp.response(200, CategorySettingSchema(many=True))
    def get(self):
        """Every category and whether it is mandatory"""
        require("member", "org_admin", "system")
        with service.db.session() as session:
            return preferences.categories(session)


@blp.route("/categories/<category>")
class Category(MethodView):
    @blp.arguments(CategorySettingInSchema)
    @blp.response(200, CategorySettingSchema)
    def put(self, data: dict, category: str):
        """Make a category mandatory or not (group administrators)"""
        require("admin")
        if category not in CATEGORIES:
            raise NotFound()
        with service.db.session() as session:
            return preferences.set_mandatory(session, category, data["mandatory"], utcnow())
