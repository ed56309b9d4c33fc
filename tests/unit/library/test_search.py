"""Search and browse over a real SQLite index filled with records (no files needed)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import pytest

from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.catalog.local.scanner import SongRecord


def record(
    title: str,
    *singers: str,
    aliases: Iterable[str] = (),
    genre: str | None = None,
    language: str | None = None,
) -> SongRecord:
    return SongRecord(
        path=f"/music/{title}-{'&'.join(singers)}.mkv".encode(),
        size=1,
        mtime_ns=1,
        signature="",
        title=title,
        singers=tuple(singers),
        aliases=tuple(aliases),
        genre=genre,
        language=language,
        folder="/music",
    )


@pytest.fixture
def library(index: LibraryIndex) -> LibraryIndex:
    index.write_records(
        [
            record("七里香", "周杰伦", genre="流行", language="国语"),
            record("晴天", "周杰伦", genre="流行", language="国语"),
            record("茉莉花", "中国民歌", aliases=["Jasmine Flower"], genre="民歌", language="国语"),
            record("爱的代价", "李宗盛", genre="流行", language="国语"),
            record("愛你一萬年", "劉德華", genre="流行", language="粤语"),
            record("Twinkle, Twinkle, Little Star", "Jane Taylor", genre="儿歌", language="英语"),
            record("重庆森林", "王菲"),
            record("七里香 (Live)", "周杰伦"),
            record("Love Story", "Taylor Swift", language="英语"),
            record("Lovers", "Someone"),
            record("Glove", "Other"),
            record("两只老虎", "儿歌"),
        ]
    )
    return index


def search(index: LibraryIndex, query: str, limit: int = 50) -> list[str]:
    return [song.title for song in index.search(query, limit)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("qlx", "七里香"),
        ("qilixiang", "七里香"),
        ("qi li xiang", "七里香"),
        ("jasmine", "茉莉花"),
        ("JASMINE flower", "茉莉花"),
        ("mlh", "茉莉花"),
        ("molihua", "茉莉花"),
        ("ｑｌｘ", "七里香"),  # full-width input
        ("cqsl", "重庆森林"),
        ("zqsl", "重庆森林"),  # the other reading of 重
        ("ttls", "Twinkle, Twinkle, Little Star"),
        ("twinkle little", "Twinkle, Twinkle, Little Star"),
    ],
)
def test_pinyin_initials_aliases_find_the_song(library: LibraryIndex, query: str, expected: str) -> None:
    assert search(library, query)[0] == expected


def test_traditional_and_simplified_find_each_other(library: LibraryIndex) -> None:
    assert "爱的代价" in search(library, "愛")  # 繁 query, 简 title
    assert "愛你一萬年" in search(library, "爱")  # 简 query, 繁 title
    assert search(library, "爱你一万年") == ["愛你一萬年"]
    assert search(library, "刘德华") == ["愛你一萬年"]
    assert search(library, "愛的代價") == ["爱的代价"]


def test_one_and_two_character_queries(library: LibraryIndex) -> None:
    assert set(search(library, "香")) == {"七里香", "七里香 (Live)"}
    assert search(library, "老虎") == ["两只老虎"]  # substring in the middle of the title
    assert search(library, "只老") == ["两只老虎"]
    assert set(search(library, "周")) == {"七里香", "晴天", "七里香 (Live)"}
    assert search(library, "qt") == ["晴天"]
    assert search(library, "虎香") == []  # characters from two different songs never match


def test_ranking_exact_prefix_initials_substring(library: LibraryIndex) -> None:
    # "love": two prefix matches (alphabetical tie-break), then the substring "Glove".
    assert search(library, "love") == ["Lovers", "Love Story", "Glove"]
    library.record_play(library.search("glove")[0].id)
    assert search(library, "love")[-1] == "Glove"  # popularity never lifts a song out of its tier
    # "七里香": exact title first, then the prefix match.
    assert search(library, "七里香") == ["七里香", "七里香 (Live)"]


def test_initials_rank_above_substring(index: LibraryIndex) -> None:
    index.write_records([record("Big Bang", "X"), record("ABBA Gold", "Y"), record("Bubbles", "Z")])
    # bb: initials of "Big Bang" (tier 3) beat a substring of "ABBA Gold" and of "Bubbles".
    assert search(index, "bb")[0] == "Big Bang"


def test_ties_broken_by_play_count_then_title(library: LibraryIndex) -> None:
    assert search(library, "周杰伦") == ["七里香", "七里香 (Live)", "晴天"]
    qingtian = library.search("晴天")[0]
    library.record_play(qingtian.id)
    assert search(library, "周杰伦") == ["晴天", "七里香", "七里香 (Live)"]


def test_multi_word_query_matches_singer_and_title(library: LibraryIndex) -> None:
    assert search(library, "周杰伦 晴天") == ["晴天"]
    assert search(library, "zhou 晴天") == ["晴天"]
    assert search(library, "晴天 zhou") == ["晴天"]  # word order does not matter
    assert search(library, "七里 zjl") == ["七里香", "七里香 (Live)"]  # singer initials
    assert search(library, "七里 wf") == []
    assert search(library, "twinkle taylor") == ["Twinkle, Twinkle, Little Star"]


def test_pinyin_from_inside_a_title_ranks_as_substring(library: LibraryIndex) -> None:
    assert search(library, "lixiang") == ["七里香", "七里香 (Live)"]
    assert search(library, "xiang")[:2] == ["七里香", "七里香 (Live)"]
    # 相 in a title starting with "xiang" would rank first (prefix); here none does.
    index_words = search(library, "senlin")
    assert index_words == ["重庆森林"]


def test_limit_offset_and_empty_queries(library: LibraryIndex) -> None:
    assert len(library.search("周", limit=2)) == 2
    assert [s.title for s in library.search("周", limit=2, offset=2)] == [search(library, "周")[2]]
    assert library.search("   ") == []
    assert library.search("!!!") == []
    assert library.search('"') == []
    assert library.search("nothing matches this") == []


def test_browse_singers_genres_languages_lengths(library: LibraryIndex) -> None:
    initials = dict(library.singer_initials())
    assert initials["Z"] == 2  # 周杰伦, 中国民歌
    assert library.singers("Z") == [("中国民歌", 1), ("周杰伦", 3)]
    assert [s.title for s in library.songs_of_singer("周杰伦")] == ["七里香", "七里香 (Live)", "晴天"]
    assert ("民歌", 1) in library.facet_counts("genre")
    assert dict(library.facet_counts("language"))["英语"] == 2
    assert {s.title for s in library.songs_by_facet("title_len", "2")} == {"晴天", "Love Story"}  # words
    assert {s.title for s in library.songs_by_facet("title_len", "3")} == {
        "七里香",
        "茉莉花",
        "七里香 (Live)",
    }
    assert library.facet_counts("folder") == [("/music", 12)]
    stats = library.stats()
    assert stats.songs == 12 and stats.singers == 10


def test_updates_and_removals_leave_no_stale_matches(library: LibraryIndex) -> None:
    old = record("七里香", "周杰伦")
    renamed = record("稻香", "周杰伦")
    renamed.path = old.path  # the same file, retagged
    library.write_records([renamed])
    assert "七里香" not in search(library, "七里香")  # trigram index
    assert "七里香" not in search(library, "里")  # short-query index
    assert "七里香" not in search(library, "qlx")  # keys
    assert "稻香" in search(library, "稻")
    library.write_records([], removed=[old.path])
    assert search(library, "稻香") == []
    with sqlite3.connect(library.db_path) as conn:  # the FTS indexes agree with the songs
        conn.execute("INSERT INTO fts_tri (fts_tri) VALUES ('integrity-check')")
        conn.execute("INSERT INTO fts_short (fts_short, rank) VALUES ('integrity-check', 0)")
