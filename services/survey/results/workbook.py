"""The results as a spreadsheet: one sheet per target type."""

from __future__ import annotations

import io

from openpyxl import Workbook

from services.survey.rounds.domain.rules import DIMENSIONS, TARGET_TYPE_LABELS, TARGET_TYPES

WITHHELD = {"min_group": "人数不足", "complementary": "防反推"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(items: list[dict]) -> bytes:
    """One sheet per target type: name, org, n, each dimension, score, grade, ranks."""
    book = Workbook()
    book.remove(book.active)
    for target_type in TARGET_TYPES:
        rows = [i for i in items if i["target_type"] == target_type]
        if not rows:
            continue
        sheet = book.create_sheet(TARGET_TYPE_LABELS[target_type])
        dims = DIMENSIONS[target_type]
        sheet.append(["对象编号", "名称", "所属组织", "评价人数", *[label for _, label in dims], "得分", "等级",
                      "组织内排名", "全轮排名", "不公布"])
        for r in rows:
            means = [None if r["suppressed"] else round(r["dimensions"].get(k, 0), 2) for k, _ in dims]
            withheld = WITHHELD.get(r.get("suppression"), "是") if r["suppressed"] else ""
            sheet.append([r["target_id"], r["name"], r["org_id"], r["n"], *means, r["score"], r["grade"],
                          r["rank"], r["rank_in_round"], withheld])
    if not book.sheetnames:
        book.create_sheet("结果")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
