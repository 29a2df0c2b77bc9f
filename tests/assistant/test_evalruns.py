"""Starting an eval run: what a dataset may be at the machine and for an account, and what a refusal says.

The scoring backend is a stand-in that writes a summary: these tests are about which file a run gets and
which runs are refused, not about scores (``tests/evals`` and the API's eval tests run real ones).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from assistant.db import Database
from assistant.errors import InvalidInput
from assistant.evalruns import EvalRuns, EvalSpec
from assistant.jobs import Supervisor
from assistant.records.jobs import JobStore
from assistant.records.users import UserStore
from assistant.roles import Actor
from assistant.settings import Settings
from assistant.usecases.people import People


@dataclass
class Backend:
    datasets_dir: Path
    runs_dir: Path

    def check(self, path: Path) -> int:
        return len(path.read_text(encoding="utf-8").splitlines())

    def documents_for(self, path: Path) -> list[str]:
        return []

    def run(self, spec: Any, out_dir: Path, *, settings: Any, live: Any,
            progress: Callable[[int, int], None]) -> dict[str, Any]:
        summary = {"n": 1, "datasets": list(spec.datasets), "kb": spec.kb}
        (out_dir / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        return summary


class Live:
    def documents(self) -> list[dict[str, Any]]:
        return []


@pytest.fixture
def admin(evals: EvalRuns) -> Actor:
    """An admin account acting at the machine (``guopei --as 张主任``)."""
    user = UserStore(evals.supervisor.store.db).by_name("张主任")
    assert user is not None
    return replace(People.api_actor(user), via="cli")


@pytest.fixture
def evals(tmp_path: Path) -> Iterator[EvalRuns]:
    shipped = tmp_path / "datasets"
    shipped.mkdir()
    for name in ("seed", "kb"):
        (shipped / f"{name}.jsonl").write_text('{"id": "1"}\n', encoding="utf-8")
    db = Database(tmp_path / "guopei.sqlite3")
    UserStore(db).add("张主任", "admin")  # an account's jobs are its own: the row must exist
    supervisor = Supervisor(JobStore(db))
    runs = EvalRuns(Settings(data_dir=tmp_path), Live(), supervisor, tmp_path / "evals",  # type: ignore[arg-type]
                    backend_factory=lambda: Backend(shipped, tmp_path / "runs"))
    try:
        yield runs
    finally:
        supervisor.stop()


def test_the_operator_names_a_shipped_dataset_or_gives_a_path(evals: EvalRuns, tmp_path: Path) -> None:
    """``guopei eval run seed`` at the machine is the shipped seed set; a path is a file as before."""
    own = tmp_path / "own.jsonl"
    own.write_text('{"id": "x"}\n', encoding="utf-8")
    for given, used in (("seed", evals.datasets_dir / "seed.jsonl"), ("kb.jsonl", evals.datasets_dir / "kb.jsonl"),
                        (str(own), own)):
        out = tmp_path / "out" / Path(given).stem
        run = evals.start(People.operator(), EvalSpec((given,), kb="declared"), out_dir=out, wait=True)
        assert run["status"] == "done" and run["summary"]["datasets"] == [str(used)]


def test_a_dataset_that_is_neither_is_refused_naming_the_choices(evals: EvalRuns) -> None:
    with pytest.raises(InvalidInput) as refused:
        evals.start(People.operator(), EvalSpec(("sead",), kb="declared"), wait=True)
    message = str(refused.value)
    assert message.startswith("找不到评测集：sead（既不是文件，也不是评测数据集目录中的名称") and "kb、seed" in message


@pytest.mark.parametrize(("spec", "said"), [
    (EvalSpec(("seed",), kb="declared"), "不能使用评测知识库（declared）：在命令行请去掉 --kb 或改为 --kb live，或者不加 --as"),
    (EvalSpec(("seed",), index=("extra.md",)), "不能另外索引文件（--index）"),
    (EvalSpec(("seed",), baseline="runs/old"), "不能指定对照的运行目录（--baseline）"),
], ids=["eval-kb", "index", "baseline"])
def test_an_accounts_run_is_refused_saying_what_to_change(evals: EvalRuns, admin: Actor, spec: EvalSpec,
                                                          said: str) -> None:
    """An admin account (``guopei --as``) is not a remote caller, and the refusal no longer calls it one: it
    says what such a run may be and how to get the run asked for."""
    with pytest.raises(InvalidInput) as refused:
        evals.start(admin, spec, wait=True)
    assert said in str(refused.value) and "远程" not in str(refused.value)


def test_an_account_runs_a_named_dataset_on_the_live_knowledge_base(evals: EvalRuns, admin: Actor,
                                                                   tmp_path: Path) -> None:
    run = evals.start(admin, EvalSpec(("seed",), kb="live"), out_dir=tmp_path / "live", wait=True)
    assert run["status"] == "done" and run["summary"]["kb"] == "live"
    with pytest.raises(InvalidInput, match="只能使用评测数据集目录中的名称"):
        evals.start(admin, EvalSpec((str(evals.datasets_dir / "seed.jsonl"),), kb="live"), wait=True)
