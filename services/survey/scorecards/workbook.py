"""The scorecards as a spreadsheet: one sheet per kind (党委, 党支部), one row per org."""

from __future__ import annotations

import io

from openpyxl import Workbook

from services.survey.scorecards.domain.composition import PART_LABELS, PARTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = (("committee", "党委"), ("branch", "党支部"))


def workbook(items: list[dict], year: int) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for kind, label in SHEETS:
        sheet = book.create_sheet(f"{year} 四好 {label}")
        sheet.append(["组织编号", "组织名称", *[PART_LABELS[p] for p in PARTS], "总分", "等级", "集团内排名",
                      "上级内排名", "计算时间"])
        for i in (i for i in items if i["kind"] == kind):
            sheet.append([i["org_id"], i["name"], *[i["parts"][p] for p in PARTS], i["score"], i["grade"],
                          i["rank"], i["rank_in_parent"], i["computed_at"].strftime("%Y-%m-%d %H:%M")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
