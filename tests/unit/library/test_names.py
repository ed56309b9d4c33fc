from __future__ import annotations

import pytest

from ktvdesk.catalog.local.names import (
    accompaniment_base,
    guess_from_name,
    split_singers,
    strip_number,
    title_aliases,
    title_length,
)


@pytest.mark.parametrize(
    ("stem", "title", "singers"),
    [
        ("周杰伦 - 七里香", "七里香", ("周杰伦",)),
        ("七里香-周杰伦", "七里香", ("周杰伦",)),
        ("七里香_周杰伦", "七里香", ("周杰伦",)),
        ("01. 周杰伦 - 七里香", "七里香", ("周杰伦",)),
        ("003 - 周杰伦 - 七里香", "七里香", ("周杰伦",)),
        ("12_七里香_周杰伦", "七里香", ("周杰伦",)),
        ("7、晴天-周杰伦", "晴天", ("周杰伦",)),
        ("周杰伦&费玉清 - 千里之外", "千里之外", ("周杰伦", "费玉清")),
        ("刀马旦-李玟、周杰伦", "刀马旦", ("李玟", "周杰伦")),
        ("Hey-Jude-Beatles", "Hey-Jude", ("Beatles",)),
        ("ＡＢＣ　－　Ｔｉｔｌｅ", "Title", ("ABC",)),  # full-width forms
        ("2002年的第一场雪", "2002年的第一场雪", ()),  # a number that is part of the title stays
    ],
)
def test_file_name_conventions(stem: str, title: str, singers: tuple[str, ...]) -> None:
    guess = guess_from_name(stem)
    assert (guess.title, guess.singers) == (title, singers)


def test_folder_name_gives_the_singer_when_the_file_name_has_none() -> None:
    assert guess_from_name("七里香", "周杰伦").singers == ("周杰伦",)
    assert guess_from_name("七里香", "周杰伦 - 七里香专辑").singers == ("周杰伦",)
    assert guess_from_name("林俊杰 - 江南", "周杰伦").singers == ("林俊杰",)


def test_singer_separators() -> None:
    assert split_singers("A/B & C、D, E feat. F") == ("A", "B", "C", "D", "E", "F")
    assert split_singers("周杰伦，费玉清") == ("周杰伦", "费玉清")  # full-width comma
    assert split_singers("Same / Same") == ("Same",)


@pytest.mark.parametrize(
    ("stem", "base"),
    [
        ("七里香_伴奏", "七里香"),
        ("七里香-伴奏", "七里香"),
        ("七里香(伴奏)", "七里香"),
        ("七里香（伴奏）", "七里香"),
        ("Song_karaoke", "Song"),
        ("Song (Instrumental)", "Song"),
        ("Song [Off Vocal]", "Song"),
        ("七里香", None),
        ("伴奏", None),
    ],
)
def test_accompaniment_markers(stem: str, base: str | None) -> None:
    assert accompaniment_base(stem) == base


def test_number_prefix_never_eats_the_whole_name() -> None:
    assert strip_number("1999") == "1999"
    assert strip_number("01 七里香") == "七里香"


def test_aliases_and_title_length() -> None:
    assert title_aliases("茉莉花 (Jasmine Flower)") == ("茉莉花", "Jasmine Flower")
    assert title_aliases("七里香") == ()
    assert title_length("七里香") == 3
    assert title_length("茉莉花 (Jasmine Flower)") == 3
    assert title_length("Amazing Grace") == 2
