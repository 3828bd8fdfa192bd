"""``make bench QUICK=1`` as a smoke run: every benchmark still runs at small sizes and reports its figures.

What a figure's value is, or whether it meets its goal, is not asserted here (goals are ratios measured
by ``make bench`` on a whole machine, never timed assertions in a test); that every part runs to the
end, against its baseline, on this profile's backend, is.  Selected with ``-m bench`` (CI runs it on
PostgreSQL + Redis beside the RabbitMQ profile; ``make test-bench`` runs it here).
"""

from __future__ import annotations

import json
import math
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.bench, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
# every bench/<name>.py, as ``python -m bench`` finds them (bench/ is beside the packages, not installed)
BENCHES = {m.name for m in pkgutil.iter_modules([str(ROOT / "bench")]) if not m.name.startswith("_")}


def test_every_benchmark_runs_quick_and_reports_its_figures(tmp_path):
    backend = "services" if os.environ.get("XIANFENG_TEST_BACKEND", "embedded") != "embedded" else "embedded"
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, "-m", "bench", "--quick", "--backend", backend, "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    figures = json.loads(out.read_text())
    assert {f["bench"] for f in figures} == BENCHES  # none crashed, none left out
    for f in figures:
        assert f["backend"] == backend and f["name"] and f["unit"] and f["goal"] is not None, f
        assert math.isfinite(f["value"]) and f["value"] > 0, f
        if f["baseline"] is not None:
            assert math.isfinite(f["baseline"]) and f["baseline"] > 0 and f["ratio"] > 0, f
    names = [(f["bench"], f["name"]) for f in figures]
    assert len(names) == len(set(names)), "two figures of one bench share a name"
    assert "| bench" in run.stdout  # the table a reader looks at
