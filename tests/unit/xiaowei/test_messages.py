"""unplayable_code 1–10 → the document's user messages."""

from __future__ import annotations

import pytest

from ktvdesk.catalog.xiaowei.messages import UNKNOWN, unplayable_error, unplayable_message
from ktvdesk.errors import RightsError

# The document's own sentences for 7–10 (its ASCII commas normalised).
DOC_SENTENCES = {
    7: "受版权方要求无法在当前设备播放,请到手机QQ音乐上播放",
    8: "当前接口仅有浏览歌曲信息权限",
    9: "您不是QQ音乐硬件会员,无法播放",
    10: "该音频需要付费,请在手机端购买或播放",
}
DOC_LABEL_WORDS = {1: "版权", 2: "绿钻", 3: "数字专辑", 4: "地区", 5: "无法播放"}


def _plain(text: str) -> str:
    return text.replace("，", ",")


def test_code_zero_is_playable() -> None:
    assert unplayable_message(0) is None
    assert unplayable_error(0, "1") is None


@pytest.mark.parametrize("code", sorted(DOC_SENTENCES))
def test_full_sentences_are_the_documents(code: int) -> None:
    message = unplayable_message(code)
    assert message is not None
    assert _plain(message.zh) == DOC_SENTENCES[code]
    assert message.en and message.en != message.zh


@pytest.mark.parametrize("code", sorted(DOC_LABEL_WORDS))
def test_short_labels_become_sentences_with_their_meaning(code: int) -> None:
    message = unplayable_message(code)
    assert message is not None and DOC_LABEL_WORDS[code] in message.zh
    assert message.en


def test_every_documented_code_has_its_own_message() -> None:
    messages = [unplayable_message(c) for c in (1, 2, 3, 4, 7, 8, 9, 10)]
    assert len({m.en for m in messages if m}) == 8


@pytest.mark.parametrize("code", [6, 11, 99])
def test_undocumented_codes_get_the_generic_message(code: int) -> None:
    assert unplayable_message(code) is UNKNOWN


def test_error_carries_code_and_message() -> None:
    error = unplayable_error(9, "300836597", "您不是QQ音乐硬件会员,无法播放")
    assert isinstance(error, RightsError)
    assert error.code == "unplayable9"
    assert "300836597" in error.detail
    assert error.message("en").startswith("You are not a QQ Music hardware member")
