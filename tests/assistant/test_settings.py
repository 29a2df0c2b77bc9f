import pytest
from pydantic import ValidationError

from assistant.settings import Settings


@pytest.mark.parametrize(("value", "mode"), [("unsure", "unsure"), ("all", "all"), ("off", "off"), ("ALL", "all"),
                                             ("true", "unsure"), ("false", "off"), ("1", "unsure"), ("0", "off")])
def test_the_judge_setting_reads_its_modes_and_the_old_on_off_switch(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                                                     value: str, mode: str) -> None:
    monkeypatch.setenv("GUOPEI_LLM_JUDGE", value)
    assert Settings(data_dir=tmp_path).llm_judge == mode


def test_an_unknown_judge_mode_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("GUOPEI_LLM_JUDGE", "sometimes")
    with pytest.raises(ValidationError, match="llm_judge"):
        Settings(data_dir=tmp_path)
