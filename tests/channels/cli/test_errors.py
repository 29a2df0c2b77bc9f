"""The command line's one error handler: a Chinese line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import pytest

from assistant.errors import Forbidden, InvalidInput, NotFound
from channels.cli.errors import BROKEN, REFUSED, run
from indexer.store import StoreError


def _raising(exc: BaseException):
    def app() -> None:
        raise exc
    return app


@pytest.mark.parametrize(("exc", "code", "line"), [
    (InvalidInput("问题不能为空"), REFUSED, "问题不能为空"),
    (NotFound("找不到任务“job-x”"), REFUSED, "找不到任务“job-x”"),
    (Forbidden("权限不足", ("admin",)), REFUSED, "权限不足"),
    (StoreError("无法连接知识库"), BROKEN, "错误：无法连接知识库"),
    (KeyError("oops"), BROKEN, "内部错误：KeyError: 'oops'"),
])
def test_each_kind_of_error_is_one_line_and_an_exit_code(exc: BaseException, code: int, line: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(_raising(exc))
    assert stopped.value.code == code
    captured = capsys.readouterr()
    assert captured.err.strip() == line and captured.out == ""
