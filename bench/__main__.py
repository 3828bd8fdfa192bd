"""``python -m bench [NAME ...] [--quick] [--backend embedded|services]``: run, print one table, write results.json."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
import tempfile
import traceback
from pathlib import Path

from bench import Context, Figure

HERE = Path(__file__).parent


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_"))


def table(figures: list[Figure]) -> str:
    head = ("bench", "figure", "value", "baseline", "ratio", "goal", "result")
    rows = [head]
    for f in figures:
        rows.append((
            f.bench, f.name, f"{f.value:.4g} {f.unit}",
            "" if f.baseline is None else f"{f.baseline:.4g} {f.unit} ({f.baseline_name})",
            "" if f.ratio is None else f"{f.ratio:.2f}",
            f.goal, {True: "pass", False: "FAIL", None: "-"}[f.passed],
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {', '.join(available())})")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--backend", default=os.environ.get("XIANFENG_TEST_BACKEND", "embedded"),
                        choices=("embedded", "services"))
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)
    os.environ["XIANFENG_TEST_BACKEND"] = args.backend
    figures: list[Figure] = []
    failed: list[str] = []
    for name in args.names or available():
        module = importlib.import_module(f"bench.{name}")
        with tempfile.TemporaryDirectory(prefix=f"xf-bench-{name}-") as tmp:
            ctx = Context(workdir=Path(tmp), backend=args.backend, quick=args.quick)
            try:
                got = module.run(ctx)
            except Exception:  # a broken benchmark must not hide the others' figures
                traceback.print_exc()
                failed.append(name)
                continue
        for f in got:
            f.backend = f.backend or args.backend
        figures.extend(got)
        print(table(got), flush=True)
    print("\n" + table(figures))
    Path(args.out).write_text(json.dumps([f.as_dict() for f in figures], ensure_ascii=False, indent=2) + "\n")
    if failed:
        print(f"benchmarks that crashed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
