"""Schema-driven fuzzing of the live server from its own OpenAPI document: no input may cause a 5xx.

Named ``zz`` so it runs last: fuzzed uploads can land in the knowledge base. Bounded to 20 examples per
operation with an admin token (the widest role), so every route's handler is reached, not just auth.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.channels.api.conftest import Live

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


# JSON that Python's parser accepts but no JSON encoder can echo back: the 422 describing it used to fail
# to encode and became a 500. Also invalid UTF-8, numbers beyond int conversion, and nesting beyond recursion.
BAD_JSON = {
    "nan": b'{"question": NaN, "query": NaN, "answer": NaN, "rating": NaN}',
    "infinity": b'{"question": "x", "k": Infinity, "weeks": Infinity, "rating": Infinity}',
    "minus-infinity": b'{"question": "x", "k": -Infinity, "limit": -Infinity}',
    "overflow": b'{"question": "x", "k": 1e309, "weeks": 1e309, "rating": 1e309}',
    "lone-surrogate": b'{"question": "\\ud800", "query": "\\ud800", "answer": "\\ud800", "target_ref": "\\ud800"}',
    "surrogate-key": b'{"\\udfff": 1}',
    "encoded-surrogate": b'{"question": "\xed\xa0\x80"}',
    "invalid-utf8": b'{"question": "\xff\xfe"}',
    "huge-int": b'{"k": 1' + b"0" * 5000 + b"}",
    "deep": b"[" * 50_000,
}
JSON_ROUTES = [("POST", "/v1/ask"), ("POST", "/v1/ask/stream"), ("POST", "/v1/search"), ("POST", "/v1/quiz"),
               ("PUT", "/v1/me/plan"), ("POST", "/v1/feedback"), ("POST", "/v1/tasks/0000000000000000/answer"), ("POST", "/v1/evals")]


@pytest.mark.parametrize("case", sorted(BAD_JSON))
@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
def test_json_no_encoder_could_echo_is_a_clean_4xx(live: Live, method: str, path: str, case: str) -> None:
    with live.client("admin") as admin:
        resp = admin.request(method, path, content=BAD_JSON[case], headers={"Content-Type": "application/json"})
    assert resp.status_code in (400, 422), (case, resp.status_code, resp.text[:300])
    detail = resp.json()["detail"]
    assert isinstance(detail, str) and re.search(r"[\u4e00-\u9fff]", detail), detail
