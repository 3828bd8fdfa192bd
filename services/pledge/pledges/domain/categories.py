"""Pledge categories (承诺类别) and their labels: an org pledges on four, a member on three (plain data)."""

from __future__ import annotations

PLEDGER_TYPES = ("org", "person")
ORG_CATEGORIES = ("serve_overall", "key_tasks", "hot_issues", "self_building")
PERSON_CATEGORIES = ("first_class_service", "first_class_results", "first_class_image")
CATEGORIES = ORG_CATEGORIES + PERSON_CATEGORIES
CATEGORY_LABELS = {
    "serve_overall": "服务大局", "key_tasks": "完成重点任务", "hot_issues": "解决热点难点问题",
    "self_building": "加强自身建设", "first_class_service": "一流服务", "first_class_results": "一流业绩",
    "first_class_image": "一流形象",
}


def categories_for(pledger_type: str) -> tuple[str, ...]:
    """The categories a pledger of this type may pledge on."""
    return ORG_CATEGORIES if pledger_type == "org" else PERSON_CATEGORIES


def label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)
