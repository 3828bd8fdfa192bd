"""What every service owes the others: its migrations build its models, it consumes its messages."""

import pytest

from shared import migrations
from shared.messages import consumers_of

SERVICES = ("pledge", "survey", "notify")


@pytest.mark.parametrize("name", SERVICES)
def test_migrations_build_exactly_the_models(name, services, test_databases):
    svc = services[name]
    migrations.check(name, svc.migrations_dir, test_databases.urls[name])  # raises on any difference


@pytest.mark.parametrize("name", SERVICES)
def test_each_message_for_the_queue_has_a_task(name, services, settings):
    svc = services[name]
    svc.start(settings)
    expected = set(consumers_of(name))
    assert expected <= set(svc.celery.tasks), f"{name} lacks {sorted(expected - set(svc.celery.tasks))}"


@pytest.mark.parametrize("name", SERVICES)
def test_every_task_is_named_by_its_queue(name, services, settings):
    svc = services[name]
    svc.start(settings)
    own = [t for t in svc.celery.tasks if not t.startswith("celery.")]
    assert own and all(t.startswith(name + ".") for t in own), own
