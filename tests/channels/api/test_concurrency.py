"""50 concurrent asks while a resource is uploaded and replaced: no errors, no citation of a dead version."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from evals.metrics import percentile
from tests.channels.api.conftest import Live

V1 = "青松镇教研活动制度\n一、活动安排\n青松镇中心学校的校本教研活动每月举行两次，由教研组长负责记录。\n"
V2 = "青松镇教研活动制度\n一、活动安排\n青松镇中心学校的校本教研活动每月举行三次，由教导处统一安排并记录。\n"
QUESTIONS = ["青松镇中心学校的校本教研活动每月举行几次？", "国培计划的培训经费如何保障？",
             "青松镇教研活动由谁负责记录？", "国培计划重点支持哪些方面？"]


def test_concurrent_asks_during_upload_and_replace(live: Live, record_property: Callable[[str, object], None]) -> None:
    marks: dict[str, float] = {}
    versions: dict[str, set[str]] = {}
    rid: list[str] = []

    def writer() -> None:
        with live.client("trainer") as trainer:
            marks["upload_start"] = time.monotonic()
            resp = trainer.post("/v1/resources", files={"file": ("青松教研.txt", V1.encode(), "text/plain")})
            assert resp.status_code == 201, resp.text
            rid.append(resp.json()["id"])
            versions["v1"] = {c["chunk_id"] for c in trainer.get(f"/v1/resources/{rid[0]}/chunks").json()}
            marks["replace_start"] = time.monotonic()
            resp = trainer.put(f"/v1/resources/{rid[0]}", files={"file": ("青松教研.txt", V2.encode(), "text/plain")})
            assert resp.status_code == 200, resp.text
            marks["replace_done"] = time.monotonic()
            versions["v2"] = {c["chunk_id"] for c in trainer.get(f"/v1/resources/{rid[0]}/chunks").json()}

    client = httpx.Client(base_url=live.base, headers={"Authorization": f"Bearer {live.tokens['teacher']}"},
                          timeout=60, limits=httpx.Limits(max_connections=60))
    results: list[tuple[float, float, int, dict]] = []
    lock = threading.Lock()

    def ask(i: int) -> None:
        start = time.monotonic()
        resp = client.post("/v1/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
        end = time.monotonic()
        with lock:
            results.append((start, end, resp.status_code, resp.json() if resp.status_code == 200 else {}))

    before = live.chunk_ids()
    with ThreadPoolExecutor(max_workers=16) as pool:
        w = pool.submit(writer)
        first = [pool.submit(ask, i) for i in range(35)]
        w.result(timeout=120)
        rest = [pool.submit(ask, i) for i in range(35, 50)]  # all of these start after the replace returned
        for f in first + rest:
            f.result(timeout=120)
    client.close()
    try:
        after = live.chunk_ids()
        assert len(results) == 50
        assert [r[2] for r in results] == [200] * 50
        v1, v2 = versions["v1"], versions["v2"]
        assert v1 and v2 and not v1 & v2 and not v1 & after
        for start, _end, _, body in results:
            for c in body["citations"]:
                # Exists now, or is the first version that was current while this ask ran.
                assert c["chunk_id"] in after or (c["chunk_id"] in v1 and start < marks["replace_done"]), c
                assert c["chunk_id"] in before | v1 | v2
                if start >= marks["replace_done"]:
                    assert c["chunk_id"] not in v1
        late = [b for s, _, _, b in results if s >= marks["replace_done"]]
        assert len(late) >= 15
        cited_v2 = [b for b in late if any(c["chunk_id"] in v2 for c in b["citations"])]
        assert cited_v2 and all("两次" not in b["answer"] for b in cited_v2)
        overlapping = sum(1 for s, e, _, _ in results if s < marks["replace_done"] and e > marks["upload_start"])
        latencies = [e - s for s, e, _, _ in results]
        p95 = percentile(latencies, 95)
        print(f"\n50 concurrent asks: p95 latency {p95 * 1000:.0f} ms, median "
              f"{percentile(latencies, 50) * 1000:.0f} ms, {overlapping} overlapped the upload/replace")
        record_property("ask_p95_ms", round(p95 * 1000))
        record_property("asks_overlapping_writes", overlapping)
    finally:
        with live.client("trainer") as trainer:
            trainer.delete(f"/v1/resources/{rid[0]}")
