"""Fixtures for the deploy and observe checks: the manifests as data, scraped metrics, captured logs."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from deploy.helpers import samples
from shared import logs

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="session")
def k8s_documents() -> list[tuple[str, dict]]:
    """``(file name, document)`` for every document of every manifest in deploy/k8s."""
    return [
        (path.name, doc)
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


@pytest.fixture
def scrape() -> Callable:
    """``scrape(client)`` → the parsed ``GET /metrics`` of a Flask test client."""

    def get(client) -> dict:
        response = client.get("/metrics")
        assert response.status_code == 200, response.data[:500]
        assert response.mimetype == "text/plain"
        return samples(response.get_data(as_text=True))

    return get


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Every log line (structlog and stdlib) rendered as production renders it, into a buffer."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logs.configure("INFO", json=True)
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)
    yield buffer
    root.handlers[:], _ = saved
    root.setLevel(saved[1])
