"""Schema-driven fuzzing of the live server from its own OpenAPI document: no input may cause a 5xx.

Named ``zz`` so it runs last: fuzzed uploads can land in the knowledge base. Bounded to 20 examples per
operation with an admin token (the widest role), so every route's handler is reached, not just auth.
"""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.assistant.api.conftest import Live

MAX_EXAMPLES = 20


def test_openapi_fuzz_finds_no_server_errors(live: Live, record_property: Callable[[str, object], None]) -> None:
    schema = schemathesis.openapi.from_url(f"{live.base}/openapi.json")
    headers = {"Authorization": f"Bearer {live.tokens['admin']}"}
    failures: list[str] = []
    calls: dict[str, int] = {}
    def fuzz(operation: schemathesis.APIOperation) -> None:
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: schemathesis.Case) -> None:
            response = case.call(base_url=live.base, headers=headers, timeout=60)
            calls[operation.label] = calls.get(operation.label, 0) + 1
            if response.status_code >= 500:
                failures.append(f"{operation.label} → {response.status_code}: {response.text[:300]}")

        run()

    for result in schema.get_all_operations():
        fuzz(result.ok())
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(calls.items()))
    print(f"\nfuzz: {sum(calls.values())} requests over {len(calls)} operations, {len(failures)} server errors\n{summary}")
    record_property("fuzz_requests", sum(calls.values()))
    assert len(calls) >= 9
    assert not failures, "\n".join(failures)
