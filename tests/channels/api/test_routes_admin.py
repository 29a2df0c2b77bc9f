"""Admin eval runs over the live assistant: start, poll until done, HTML report, status surviving a restart;
jobs listed with progress; an interrupted run is failed with a reason."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.services import Services
from assistant.settings import Settings
from assistant.usecases.people import People
from channels.api.app import create_app
from evals.runner import SEED_PATH
from tests.channels.api.conftest import Live, serve

POLL_TIMEOUT = 180.0


@dataclass
class EvalServer:
    base: str
    settings: Settings
    datasets: Path
    token: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.token}"}, timeout=60)


@pytest.fixture(scope="module")
def eval_server(live: Live, api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalServer]:
    """A second server over the already indexed assistant and the same records, with a 5-item dataset."""
    datasets = tmp_path_factory.mktemp("datasets")
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    unanswerable = [line for line in lines if '"answerable": false' in line]
    (datasets / "small.jsonl").write_text("\n".join([*lines[:4], unanswerable[0]]) + "\n", encoding="utf-8")
    (datasets / "broken.jsonl").write_text('{"id": "x", "question": \n', encoding="utf-8")
    settings = api_settings.model_copy(update={"eval_datasets_dir": datasets})
    app = create_app(Services.from_settings(settings, assistant=live.assistant))
    _, token = app.state.services.users.add("评测管理员", "admin")
    with serve(app) as base:
        yield EvalServer(base, settings, datasets, token)


def wait_done(client: httpx.Client, url: str) -> dict:
    deadline = time.monotonic() + POLL_TIMEOUT
    while True:
        body = client.get(url).json()
        if body["status"] not in ("queued", "running"):
            return body
        assert time.monotonic() < deadline, f"评测在 {POLL_TIMEOUT:.0f} 秒内未完成"
        time.sleep(0.2)


def test_eval_run_reports_summary_and_html(eval_server: EvalServer, live: Live) -> None:
    with eval_server.client() as client:
        started = client.post("/v1/evals", json={"dataset": "small", "k": 5})
        assert started.status_code == 202, started.text
        run = started.json()
        assert re.fullmatch(r"ev-[0-9a-f]{12}", run["id"]) and run["status_url"] == f"/v1/evals/{run['id']}"
        assert started.headers["location"] == run["status_url"]

        body = wait_done(client, run["status_url"])
        assert body["status"] == "done", body
        summary = body["summary"]
        assert summary["n"] == 5 and summary["dataset"] == "small" and summary["k"] == 5
        assert 0.0 <= summary["recall@1"] <= 1.0
        assert body["report_url"] == f"/v1/evals/{run['id']}/report"
        assert (body["kb"], body["split"]) == ("live", "all"), "which knowledge base and split the figures are of"

        report = client.get(body["report_url"])
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
        assert "<svg" in report.text and "国培助手评测报告" in report.text

    out = eval_server.settings.data_dir / "evals" / run["id"]
    assert {p.name for p in out.iterdir()} >= {"results.jsonl", "summary.json", "report.html"}

    with eval_server.client() as client:
        jobs = client.get("/v1/jobs").json()
    job = next(j for j in jobs if j["target"] == run["id"])
    assert job["kind"] == "eval" and job["status"] == "done" and job["progress"] == 1.0

    # Another process over the same data: the status lives in SQLite, the summary and report on disk.
    again = create_app(Services.from_settings(eval_server.settings, assistant=live.assistant))
    with serve(again) as base, httpx.Client(base_url=base, timeout=60,
                                            headers={"Authorization": f"Bearer {eval_server.token}"}) as client:
        body = client.get(f"/v1/evals/{run['id']}").json()
        assert body["status"] == "done" and body["summary"] == summary
        assert "<svg" in client.get(f"/v1/evals/{run['id']}/report").text


def test_stats_count_questions_by_surface_with_their_chinese_names(live: Live) -> None:
    """A question over the API counts under api; one asked in the web console by the same account under web;
    the stats keep ``by_channel`` as it was and add each surface's Chinese name."""
    question = "学校每年要拿出多少经费用于教师培训？"
    with live.client("admin") as admin, live.client("teacher") as teacher:
        before = admin.get("/v1/stats").json()["usage"]["by_channel"]
        assert teacher.post("/v1/ask", json={"question": question}).status_code == 200
        user = live.users.by_name("teacher")
        assert user is not None
        live.services.usecases.asking.ask(People.console_actor(user), question)
        usage = admin.get("/v1/stats").json()["usage"]
    for channel in ("api", "web"):
        assert usage["by_channel"][channel]["questions"] == before.get(channel, {}).get("questions", 0) + 1
    assert usage["channel_labels"]["api"] == "HTTP API" and usage["channel_labels"]["web"] == "网页控制台"


@pytest.mark.parametrize("name", ["seed", "../datasets/seed", "/etc/passwd", "small/../small", "nope.jsonl", ""])
def test_only_dataset_names_in_the_datasets_dir_are_accepted(eval_server: EvalServer, name: str) -> None:
    with eval_server.client() as client:
        resp = client.post("/v1/evals", json={"dataset": name})
    assert resp.status_code == 422
    assert "找不到数据集" in resp.json()["detail"] and "small" in resp.json()["detail"]


def test_malformed_dataset_is_422_before_any_run(eval_server: EvalServer) -> None:
    with eval_server.client() as client:
        resp = client.post("/v1/evals", json={"dataset": "broken"})
    assert resp.status_code == 422 and "broken.jsonl:1" in resp.json()["detail"]


def test_a_misspelt_eval_field_is_refused_not_run_on_the_default_set(live: Live) -> None:
    """``{"datasets": [...]}`` used to start a run of the default seed set; now nothing starts."""
    with live.client("admin") as client:
        before = {j["id"] for j in client.get("/v1/jobs").json()}
        resp = client.post("/v1/evals", json={"datasets": ["nosuch"]})
        assert resp.status_code == 422, resp.text
        assert resp.json() == {"detail": "不支持字段「datasets」（可用：dataset、k）"}
        assert {j["id"] for j in client.get("/v1/jobs").json()} == before


def test_eval_k_must_be_a_json_integer(live: Live) -> None:
    with live.client("admin") as client:
        resp = client.post("/v1/evals", json={"dataset": "seed", "k": "5"})
    assert resp.status_code == 422 and resp.json() == {"detail": "「k」必须是整数"}


def test_path_like_dataset_is_refused_on_the_default_server(live: Live) -> None:
    with live.client("admin") as client:
        resp = client.post("/v1/evals", json={"dataset": "../datasets/seed"})
    assert resp.status_code == 422 and "seed" in resp.json()["detail"]


def test_unknown_and_interrupted_runs(eval_server: EvalServer, live: Live) -> None:
    """A run whose process died (its pid is gone) is failed with a reason by the next recovery pass."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    owner = f"{socket.gethostname()}:{gone.stdout.strip()}:dead"
    services = live.services
    services.supervisor.store.create("job-ev-0123456789ab", "eval", "ev-0123456789ab", "run",
                                     {"spec": {}, "out_dir": str(eval_server.settings.data_dir / "evals" / "x")},
                                     None, owner=owner)
    # Not ``in recover()``: the servers' heartbeat threads run the same pass every few seconds and may have
    # handled it already. Either way the status below must say failed, with the reason.
    services.supervisor.recover()
    with eval_server.client() as client:
        assert client.get("/v1/evals/ev-000000000000").status_code == 404
        assert "找不到评测" in client.get("/v1/evals/not..a-run").json()["detail"]
        assert client.get("/v1/evals/ev-000000000000/report").status_code == 404
        body = client.get("/v1/evals/ev-0123456789ab").json()
        assert body["status"] == "failed" and "重启" in body["detail"]
        assert client.get("/v1/evals/ev-0123456789ab/report").status_code == 404


def test_a_running_job_is_cancelled_by_an_admin_only(live: Live) -> None:
    """Cancelling asks the job's process to stop; if that process is gone, recovery ends the job as cancelled."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        owner = f"{socket.gethostname()}:{sleeper.pid}:other"  # a live process: not an orphan
        live.services.supervisor.store.create("job-cancel-me", "eval", "ev-000000000001", "run",
                                              {"spec": {}, "out_dir": "/nonexistent"}, None, owner=owner)
        with live.client("trainer") as trainer, live.client("admin") as admin:
            assert trainer.post("/v1/jobs/job-cancel-me/cancel").status_code == 403
            asked = admin.post("/v1/jobs/job-cancel-me/cancel")
            assert asked.status_code == 200 and asked.json()["cancel_requested"] is True
            assert asked.json()["status"] == "running"
            assert admin.post("/v1/jobs/job-unknown/cancel").status_code == 404
            sleeper.kill()
            sleeper.wait()
            live.services.supervisor.recover()  # a heartbeat thread's own pass may get there first
            job = admin.get("/v1/jobs/job-cancel-me").json()
        assert job["status"] == "cancelled" and "取消" in job["error"]
    finally:
        sleeper.kill()


def test_a_shipped_set_needing_documents_the_live_base_lacks_is_refused(api_settings, live: Live, tmp_path) -> None:
    """resource.jsonl asks about the city's guide; on a knowledge base without it every answer would miss and
    the run would read as a collapse of quality. The refusal names the document."""
    from assistant.errors import InvalidInput
    from assistant.evalruns import EvalSpec

    services = Services.from_settings(api_settings.model_copy(update={"data_dir": tmp_path}), assistant=live.assistant)
    services.readiness.indexed.set()  # the shared assistant is indexed already
    try:
        _, token = services.users.add("评测员", "admin")
        admin = services.usecases.people.authenticate(token)
        with pytest.raises(InvalidInput, match=r"《某市中小学校本研修实施指南（试行）》.*--kb declared"):
            services.evals.start(admin, EvalSpec(datasets=("resource",)))
    finally:
        services.close()
