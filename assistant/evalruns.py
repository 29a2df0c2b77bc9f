"""Eval runs as supervised jobs: one path for the API, the bot and the command line.

Scoring answers is the ``evals`` package's business, and ``evals`` sits *above* the core (it drives the
assistant and imports it), so the core must not import it. Instead ``evals`` registers a backend under the
entry point group ``guopei.evals`` — the way embedders register under ``guopei.embedders`` — and the core
looks it up when a run starts. An admin account's run (API ``POST /v1/evals``, the bot's ``/eval``,
``guopei --as ADMIN eval run``) names a dataset of the datasets directory and runs over the live knowledge
base; the operator's ``guopei eval run`` is the same job run inline, on a file or a dataset named like an
account's, over the eval knowledge bases each dataset declares unless told otherwise. Status, progress and cancellation are the job's.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from assistant.errors import Conflict, InvalidInput, NotFound, Unavailable
from assistant.jobs import JobContext, JobKind, Supervisor
from assistant.roles import Actor, require
from assistant.service import Assistant
from assistant.settings import Settings

ENTRY_POINT_GROUP = "guopei.evals"
SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.html"
_RUN_ID = re.compile(r"^ev-[0-9a-f]{12}$")
_DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class EvalSpec:
    """What to evaluate. ``kb``: ``live`` (the knowledge base teachers are answered from) or, for the
    eval knowledge bases, ``declared`` (each dataset on the documents it was written for), ``eval`` or
    ``bundled``."""

    datasets: tuple[str, ...]
    split: str = "all"
    k: int = 5
    kb: str = "live"
    index: tuple[str, ...] = ()
    baseline: str | None = None


class EvalBackend(Protocol):
    """What the ``evals`` package provides to the core."""

    datasets_dir: Path
    runs_dir: Path  # where an operator's runs go by default

    def check(self, path: Path) -> int:
        """Validate a dataset file (``ValueError`` with a one-line reason); returns its item count."""

    def run(self, spec: EvalSpec, out_dir: Path, *, settings: Settings, live: Assistant,
            progress: Callable[[int, int], None]) -> dict[str, Any]:
        """Run, write results, summary and report into ``out_dir``; returns the summary."""

    def documents_for(self, path: Path) -> list[str]:
        """Titles of the documents a dataset's questions were written for, beside the bundled notice."""


def _as_an_account(spec: EvalSpec) -> None:
    """An account's run (the API, the bot, or ``guopei --as`` at the machine) is an admin's check of the
    knowledge base teachers are answered from: datasets by name, on the live knowledge base, nothing added.
    The operator at the machine may do more; the refusal says what to change, in either place."""
    fix = "或者不加 --as，以本机操作员身份运行"
    if spec.kb != "live":
        raise InvalidInput(f"以账号身份发起的评测只在当前知识库上运行，不能使用评测知识库（{spec.kb}）：在命令行请去掉 --kb "
                           f"或改为 --kb live，{fix}")
    if spec.index:
        raise InvalidInput(f"以账号身份发起的评测不能另外索引文件（--index）：请先把文件上传为培训资源，{fix}")
    if spec.baseline:
        raise InvalidInput(f"以账号身份发起的评测不能指定对照的运行目录（--baseline）：{fix}")


def load_backend() -> EvalBackend:
    found = list(entry_points(group=ENTRY_POINT_GROUP))
    if not found:
        raise Unavailable("评测组件未安装，无法运行评测")
    backend: EvalBackend = found[0].load()()
    return backend


@dataclass
class EvalRuns:
    settings: Settings
    assistant: Assistant
    supervisor: Supervisor
    root: Path
    backend_factory: Callable[[], EvalBackend] = load_backend
    ready: Callable[[], bool] = lambda: True  # whether the live knowledge base is indexed
    _backend: EvalBackend | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.supervisor.register(JobKind("eval", self._run))

    @property
    def backend(self) -> EvalBackend:
        if self._backend is None:
            self._backend = self.backend_factory()
        return self._backend

    @property
    def datasets_dir(self) -> Path:
        return self.settings.eval_datasets_dir or self.backend.datasets_dir

    def dataset_path(self, name: str) -> Path:
        """A dataset by name from the datasets directory only — never a path from an account's request."""
        path = self._named(name)
        if path is None:
            raise InvalidInput(f"找不到数据集“{name}”；只能使用评测数据集目录中的名称：{self._available()}")
        return path

    def local_path(self, name: str) -> Path | None:
        """At the machine a dataset is a file, or the name of one in the datasets directory (seed, kb, …)."""
        path = Path(name)
        return path if path.is_file() else self._named(name)

    def _named(self, name: str) -> Path | None:
        stem = name.removesuffix(".jsonl")
        if not _DATASET.match(stem) or ".." in stem:
            return None
        path = self.datasets_dir / f"{stem}.jsonl"
        return path if path.is_file() else None

    def _available(self) -> str:
        return "、".join(sorted(p.stem for p in self.datasets_dir.glob("*.jsonl"))) or "无"

    def start(self, actor: Actor, spec: EvalSpec, *, out_dir: Path | None = None, wait: bool = False
              ) -> dict[str, Any]:
        """Validate, then queue the run (or with ``wait`` run it here); returns the run's status."""
        require(actor, "evals.run")
        if spec.kb == "live" and not self.ready():
            raise Unavailable("知识库尚未就绪，请稍后再发起评测")
        if actor.local:
            found = {d: self.local_path(d) for d in spec.datasets}
            missing = [d for d, path in found.items() if path is None]
            if missing:
                raise InvalidInput(f"找不到评测集：{'、'.join(missing)}（既不是文件，也不是评测数据集目录中的名称；"
                                   f"可用的名称：{self._available()}）")
            paths = [path for path in found.values() if path is not None]
        else:
            _as_an_account(spec)
            paths = [self.dataset_path(d) for d in spec.datasets]
            self._on_live_knowledge_base(paths)
        for path in paths:
            try:
                self.backend.check(path)  # a malformed file is the caller's error, not a failed run
            except ValueError as exc:
                raise InvalidInput(f"评测集有误：{exc}") from exc
        if self.supervisor.store.list(kind="eval", active_only=True, limit=1):
            raise Conflict("已有评测正在运行，请等它完成后再发起")
        run_id = f"ev-{secrets.token_hex(6)}"
        out = out_dir or (self.backend.runs_dir / datetime.now().strftime("%Y%m%d-%H%M%S") if actor.local
                          else self.root / run_id)
        params = {"spec": {**asdict(spec), "datasets": [str(p) for p in paths]}, "out_dir": str(out)}
        self.supervisor.submit("eval", run_id, "run", params, actor.user_id, inline=wait, job_id=f"job-{run_id}")
        return self.status(actor, run_id)

    def _on_live_knowledge_base(self, paths: list[Path]) -> None:
        """A dataset written for documents the live knowledge base lacks would score near zero and read as a
        collapse of answer quality (and join the trend chart); it is refused, naming what is missing."""
        held = {re.sub(r"\s+", "", d["title"]) for d in self.assistant.documents()}
        for path in paths:
            missing = [t for t in self.backend.documents_for(path) if re.sub(r"\s+", "", t) not in held]
            if missing:
                raise InvalidInput(f"评测集“{path.stem}”依据的文件不在当前知识库中：{'、'.join(f'《{t}》' for t in missing)}；"
                                   "在当前知识库上评测的结果没有可比性。请先上传这些文件，或在命令行用 "
                                   "guopei eval run --kb declared 在评测知识库上运行")

    def _run(self, ctx: JobContext) -> None:
        raw = ctx.params["spec"]
        spec = EvalSpec(**{**raw, "datasets": tuple(raw["datasets"]), "index": tuple(raw["index"])})
        out = Path(ctx.params["out_dir"])
        out.mkdir(parents=True, exist_ok=True)

        def progress(done: int, total: int) -> None:
            ctx.check()
            ctx.progress(done / max(total, 1), f"已评测 {done}/{total} 题")

        ctx.progress(0.0, "准备知识库")
        self.backend.run(spec, out, settings=self.settings, live=self.assistant, progress=progress)

    def status(self, actor: Actor, run_id: str) -> dict[str, Any]:
        require(actor, "evals.run")
        job = self.supervisor.store.find(f"job-{run_id}") if _RUN_ID.match(run_id) else None
        if job is None:
            raise NotFound(f"找不到评测 {run_id}")
        out = Path(job["params"]["out_dir"])
        spec = job["params"].get("spec") or {}
        # Which knowledge base and which split: runs of different kinds are not comparable figures.
        body: dict[str, Any] = {"id": run_id, "status": job["status"], "progress": round(job["progress"], 3),
                                "stage": job["stage"], "out_dir": str(out), "kb": spec.get("kb", "live"),
                                "split": spec.get("split", "all")}
        if job["status"] == "done" and (out / SUMMARY_FILE).is_file():
            body["summary"] = json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))
            body["report_url"] = f"/v1/evals/{run_id}/report"
        elif job["status"] in ("failed", "cancelled"):
            body["detail"] = job["error"] or "评测未完成"
        return body

    def report(self, actor: Actor, run_id: str) -> Path:
        body = self.status(actor, run_id)
        path = Path(body["out_dir"]) / REPORT_FILE
        if body["status"] != "done" or not path.is_file():
            raise NotFound(f"评测 {run_id} 不存在或报告尚未生成")
        return path
