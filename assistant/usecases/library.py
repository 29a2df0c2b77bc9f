"""The knowledge base as trainers and operators see it: uploads, their versions and chunks, indexing, stats."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.errors import Forbidden, InvalidInput, NotFound
from assistant.headings import document_outline
from assistant.resource_files import Upload
from assistant.resources import Outcome, ResourceService
from assistant.roles import Actor, require
from assistant.service import Assistant
from corpus.documents import LoaderError
from indexer.pipeline import IndexResult


class Library:
    def __init__(self, assistant: Assistant, resources: ResourceService) -> None:
        self.assistant = assistant
        self.resources = resources

    @property
    def max_bytes(self) -> int:
        """The upload size cap, for channels that must stop reading a body at it."""
        return self.resources.max_bytes

    # -- uploads ----------------------------------------------------------------------------------------
    def upload(self, actor: Actor, upload: Upload, *, wait: bool = False) -> Outcome:
        return self._outlined(actor, self.resources.upload(actor, upload, wait=wait))

    def replace(self, actor: Actor, rid: str, data: bytes, filename: str, *, wait: bool = False,
                **meta: Any) -> Outcome:
        """A new version of ``rid``; ``wait``: index before returning, whatever the size (a command line has
        no server to hand a job to)."""
        return self._outlined(actor, self.resources.replace(actor, rid, data, filename, wait=wait, **meta))

    def _outlined(self, actor: Actor, outcome: Outcome) -> Outcome:
        if outcome.job is not None or outcome.resource.get("status") != "ready":
            return outcome
        return dataclasses.replace(outcome, outline=self.outline(actor, outcome.resource["id"]))

    def delete(self, actor: Actor, rid: str) -> int:
        return self.resources.delete(actor, rid)

    def list(self, actor: Actor) -> list[dict[str, Any]]:
        return self.resources.list(actor)

    def get(self, actor: Actor, rid: str) -> dict[str, Any]:
        return self.resources.get(actor, rid)

    def changeable(self, actor: Actor, rid: str) -> dict[str, Any]:
        """The resource, if this actor may replace or delete it (``Forbidden`` otherwise): asked before a
        confirmation page, so nobody confirms what will then be refused."""
        row = self.resources.get(actor, rid)
        self.resources.owned(actor, rid)
        return row

    def chunks(self, actor: Actor, rid: str) -> list[dict[str, Any]]:
        return self.resources.chunks(actor, rid)

    def outline(self, actor: Actor, rid: str) -> list[dict[str, Any]]:
        """Every heading of the live version, in order (``assistant.headings.document_outline``)."""
        return document_outline(self.resources.chunks(actor, rid))

    # -- operator indexing ------------------------------------------------------------------------------
    def index(self, actor: Actor, paths: Sequence[Path] = (), *,
              progress: Callable[[IndexResult], None] | None = None,
              on_error: Callable[[Path, LoaderError], None] | None = None,
              on_skip: Callable[[Path], None] | None = None) -> list[IndexResult]:
        """Index files or folders from the machine's own disk (the bundled corpus without paths): an
        operator's action, never a remote one — a remote caller uploads instead. ``on_skip`` hears of the
        files in a folder that are not documents (slides, spreadsheets, hidden and lock files)."""
        if not actor.local:
            raise Forbidden("只能在服务器本机上按路径建立索引；远程请上传文件")
        if not paths:
            return self.assistant.ensure_indexed(progress)
        return self.assistant.index_paths(list(paths), progress, on_error, on_skip)

    def unindex(self, actor: Actor, doc_id: str) -> int:
        """Take a document the operator indexed by path out of the knowledge base; returns its chunk count.

        An uploaded resource has a record, files and versions of its own and is deleted as a resource; a
        document of the bundled corpus comes back with the next ``guopei index`` without paths."""
        if not actor.local:
            raise Forbidden("只能在服务器本机上移除按路径建立索引的文件；上传的资源请在资源管理中删除")
        if self.resources.rows.find(doc_id) is not None:
            raise InvalidInput(f"“{doc_id}”是上传的培训资源，请用资源删除（guopei resources delete {doc_id}）")
        if not any(d["doc_id"] == doc_id for d in self.assistant.documents()):
            raise NotFound(f"知识库中没有编号为“{doc_id}”的文件；可用 guopei index --list 查看")
        return self.assistant.delete_document(doc_id)

    def stats(self, actor: Actor) -> dict[str, Any]:
        """What the knowledge base holds: searchable chunks and documents."""
        require(actor, "ask")
        documents = self.assistant.documents()
        return {"chunks": sum(d["chunks"] for d in documents), "documents": documents}
