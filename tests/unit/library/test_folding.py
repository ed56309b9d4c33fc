from __future__ import annotations

from ktvdesk.catalog.local.pinyin_keys import pinyin_keys
from ktvdesk.catalog.local.textfold import compact, fold


def test_fold_width_case_and_traditional() -> None:
    assert fold("ＡＢＣ　Ｄｅｆ") == "abc def"
    assert fold("愛的代價") == "爱的代价"
    assert fold("LOVE  Song") == "love song"
    assert compact("Twinkle, Twinkle, Little Star!") == "twinkletwinklelittlestar"


def test_pinyin_and_initials() -> None:
    keys = pinyin_keys("七里香")
    assert keys.full[0] == "qilixiang"
    assert keys.initials[0] == "qlx"


def test_polyphonic_characters_index_their_other_readings() -> None:
    keys = pinyin_keys("重庆森林")
    assert keys.full[0] == "chongqingsenlin"  # phrase-aware primary reading
    assert "zhongqingsenlin" in keys.full
    assert {"cqsl", "zqsl"} <= set(keys.initials)


def test_english_titles_get_word_initials_and_no_pinyin() -> None:
    keys = pinyin_keys("twinkle twinkle little star")
    assert keys.full == ()
    assert keys.initials == ("ttls",)


def test_mixed_text_keeps_latin_words() -> None:
    assert pinyin_keys("爱ai 你2").full[0] == "aiaini2"
