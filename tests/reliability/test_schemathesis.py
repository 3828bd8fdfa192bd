"""Schemathesis over each service's OpenAPI (issue 8, #12): no 5xx, answers match the documented schema.

Runs in-process against fresh databases with an admin token and a bounded number of examples per
operation (``XIANFENG_FUZZ_EXAMPLES``, default 15, 10 on PostgreSQL) so CI stays quick on both backends.
"""

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared.testing.databases import BACKEND

# the PostgreSQL profile repeats the walk with fewer examples (each example costs more there)
EXAMPLES = int(os.environ.get("XIANFENG_FUZZ_EXAMPLES", "15" if BACKEND == "embedded" else "10"))
# generate only: shrinking and the explain phase trace every line (sys.settrace), minutes per operation
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("name", ["pledge", "survey", "notify"])
def test_api_holds_under_fuzzing(name, services, settings, sent, token):
    service = services[name]
    service.start(settings, sender=sent)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", service.create_app(settings))
    headers = {"Authorization": f"Bearer {token('admin')}"}
    failures: list[str] = []
    # /readyz answers 503 by design here: the fuzzed app has no broker
    operations = [op for op in (r.ok() for r in schema.get_all_operations()) if op.path != "/readyz"]
    assert len(operations) > 3

    for operation in operations:
        @FUZZ
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call(headers=headers)
            assert response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
            case.validate_response(response, checks=[response_schema_conformance])

        started = time.perf_counter()
        try:
            fuzz()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
        took = time.perf_counter() - started
        print(f"fuzzed {operation.method.upper()} {operation.path} in {took:.1f} s", flush=True)
    assert not failures, "\n\n".join(failures)
