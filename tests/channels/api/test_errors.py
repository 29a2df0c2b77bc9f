"""The API's one mapping from the core's typed errors to status codes, and Chinese for FastAPI's own refusals."""

from __future__ import annotations

import pytest

from assistant import errors
from channels.api.errors import DESCRIPTIONS, STATUS, describe_validation
from tests.channels.api.conftest import Live


def test_every_typed_error_has_a_status_with_a_description() -> None:
    kinds = {cls.kind for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.CoreError) and cls is not errors.CoreError}
    assert kinds == set(STATUS)
    assert all(code in DESCRIPTIONS for code in STATUS.values())
    assert STATUS["not_found"] == 404 and STATUS["forbidden"] == 403 and STATUS["too_large"] == 413


# -- FastAPI's and Starlette's own refusals, in Chinese -------------------------------------------------------
def test_validation_errors_become_one_chinese_sentence_naming_the_field() -> None:
    assert describe_validation([{"type": "missing", "loc": ("body", "question")}]) == "缺少必填字段「question」"
    assert describe_validation([{"type": "string_type", "loc": ("body", "question")}]) == "「question」必须是文本"
    assert describe_validation([{"type": "missing", "loc": ("body", "file")}]) == "缺少上传的文件（表单字段「file」）"
    assert describe_validation([{"type": "model_attributes_type", "loc": ("body",)}]) == "请求体必须是 JSON 对象"
    union = [{"type": "string_type", "loc": ("body", "answer", "constrained-str")},
             {"type": "list_type", "loc": ("body", "answer", "list[constrained-str]")}]
    assert describe_validation(union) == "「answer」必须是文本或数组"
    assert describe_validation([{"type": "less_than_equal", "loc": ("body", "rating"), "ctx": {"le": 5}},
                                {"type": "literal_error", "loc": ("body", "history", 0, "role"),
                                 "ctx": {"expected": "'user' or 'assistant'"}}]) == (
        "「rating」不能大于 5；「history.0.role」只能是 user、assistant 之一")
    key = [{"type": "literal_error", "loc": ("body", "filters", "colour", "[key]"),
            "ctx": {"expected": "'doc_id' or 'kind'"}}]
    assert describe_validation(key) == "「filters」不支持键「colour」（可用：doc_id、kind）"
    extra = [{"type": "extra_forbidden", "loc": ("body", "datasets")}]
    assert describe_validation(extra, ("dataset", "k")) == "不支持字段「datasets」（可用：dataset、k）"
    nested = [{"type": "extra_forbidden", "loc": ("body", "history", 0, "name")}]
    assert describe_validation(nested, ("question", "history")) == "不支持字段「history.0.name」"
    many = [{"type": "missing", "loc": ("body", name)} for name in "abcd"]
    assert describe_validation(many).endswith("（共 4 处问题）") and "「d」" not in describe_validation(many)
    assert describe_validation([{"type": "missing", "loc": ("body", "\udfff")}]).encode("utf-8")


@pytest.mark.parametrize(("body", "detail"), [
    ({"question": 123}, "「question」必须是文本"),
    ({}, "缺少必填字段「question」"),
    ({"question": "经费", "k": 0}, "「k」不能小于 1"),
    ([1], "请求体必须是 JSON 对象"),
])
def test_ask_validation_detail_is_chinese(live: Live, body: object, detail: str) -> None:
    with live.client("teacher") as client:
        resp = client.post("/v1/ask", json=body)
    assert resp.status_code == 422 and resp.json() == {"detail": detail}


def test_values_of_the_wrong_kind_are_refused_not_coerced(live: Live) -> None:
    """JSON true is not one star; an answer that is text but too long is not told to be an array; a
    question of zero-width characters is empty; a topic nothing is near gets no quiz."""
    with live.client("teacher") as client:
        star = client.post("/v1/feedback", json={"target_kind": "answer", "target_ref": "x", "rating": True})
        tasks = client.post("/v1/ask", json={"question": "学分怎么认定", "with_tasks": "yes"})
        long = client.post("/v1/tasks/t/answer", json={"answer": "答" * 4001})
        blank = client.post("/v1/ask", json={"question": "\u200b\u200b\u200b"})
        emoji = client.post("/v1/quiz", json={"topic": "😀"})
    assert star.status_code == 422 and "rating" in star.json()["detail"]
    assert tasks.status_code == 422 and "with_tasks" in tasks.json()["detail"]
    assert long.status_code == 422 and long.json() == {"detail": "作答过长：最多 4000 个字（本次 4001 个字），请精简后再提交。"}
    assert blank.status_code == 422 and "问题不能为空" in blank.json()["detail"]
    assert emoji.status_code == 200 and emoji.json() == {"tasks": [], "message": "知识库中没有找到与“😀”相关的内容，暂时无法出题。"}


@pytest.mark.parametrize(("method", "path", "body", "detail"), [
    ("POST", "/v1/ask", {"question": "学分怎么认定", "with_task": True},
     "不支持字段「with_task」（可用：id、question、history、k、filters、with_tasks）"),
    ("POST", "/v1/ask", {"question": "学分怎么认定", "history": [{"role": "user", "content": "你好", "name": "王"}]},
     "不支持字段「history.0.name」"),
    ("POST", "/v1/search", {"query": "学分", "top_k": 3}, "不支持字段「top_k」（可用：query、k、filters）"),
    ("PUT", "/v1/me/plan", {"picks": ["1"]}, "不支持字段「picks」（可用：stage、subject、school_level、weeks、pick、drop）"),
    ("POST", "/v1/feedback", {"target_kind": "answer", "target_ref": "x", "rating": 5, "comments": "好"},
     "不支持字段「comments」（可用：target_kind、target_ref、rating、comment）"),
], ids=["ask", "history-item", "search", "plan", "feedback"])
def test_a_field_the_body_does_not_have_is_refused_naming_it(live: Live, method: str, path: str, body: dict,
                                                             detail: str) -> None:
    """A misspelt optional field is not dropped in silence (the request would run on its default): 422 naming
    it beside the fields the body has, on every JSON body of our own."""
    with live.client("teacher") as client:
        before = client.get("/v1/me/plan").json() if path == "/v1/me/plan" else None
        resp = client.request(method, path, json=body)
        assert resp.status_code == 422 and resp.json() == {"detail": detail}
        if before is not None:
            assert client.get("/v1/me/plan").json() == before


def test_a_body_that_is_not_json_is_told_which_header_to_send(live: Live) -> None:
    """A question posted as plain text or a form is not a wrong field: the client must send JSON."""
    with live.client("teacher") as client:
        plain = client.post("/v1/ask", content="学分怎么认定".encode(), headers={"content-type": "text/plain"})
        form = client.post("/v1/ask", data={"question": "学分怎么认定"})
        typed = client.post("/v1/ask", content=b'{"question": 1}', headers={"content-type": "application/json"})
    assert plain.status_code == 415
    assert plain.json() == {"detail": "请求体须为 JSON（Content-Type: application/json），收到的是「text/plain」"}
    assert form.status_code == 415 and "application/x-www-form-urlencoded" in form.json()["detail"]
    assert typed.status_code == 422 and typed.json() == {"detail": "「question」必须是文本"}


def test_upload_without_a_file_unknown_route_and_wrong_method_are_chinese(live: Live) -> None:
    with live.client("trainer") as client:
        no_file = client.post("/v1/resources", data={"title": "标题"})
        unknown = client.get("/v1/no-such-route")
        wrong = client.get("/v1/ask")
        page = client.get("/no-such-page")
    assert no_file.status_code == 422 and no_file.json() == {"detail": "缺少上传的文件（表单字段「file」）"}
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "没有这个接口：GET /v1/no-such-route（接口列表见 /docs）"}
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert wrong.json() == {"detail": "接口 /v1/ask 不支持 GET 请求，可用：POST"}
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")  # the console's page


def test_openapi_documents_the_validation_error_as_it_is_sent(live: Live) -> None:
    with live.client() as client:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["HTTPValidationError"]["properties"]["detail"]["type"] == "string"
    assert "ValidationError" not in schemas
