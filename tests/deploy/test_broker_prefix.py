"""XIANFENG_BROKER_KEY_PREFIX keeps every Redis key of a deployment under it: queues and task results."""

from __future__ import annotations

import dataclasses

import pytest

from shared.celery import configure, make_celery


@pytest.mark.parametrize(("prefix", "key"), [
    ("", b"celery-task-meta-t1"), ("xf-blue:", b"xf-blue:celery-task-meta-t1"),
])
def test_task_results_and_queues_live_under_the_deployment_prefix(settings, prefix, key):
    app = configure(make_celery("probe"), dataclasses.replace(settings, broker_key_prefix=prefix))
    assert app.backend.get_key_for_task("t1") == key  # the aggregation's chord results, among others
    assert app.backend.get_key_for_group("g1", ".j").startswith(prefix.encode())  # chord counters
    assert app.conf.broker_transport_options.get("global_keyprefix", "") == prefix
