"""Library index at 100,000 songs: build time and search latency, against a linear scan.

Run: `.venv/bin/pytest tests/bench/bench_library.py -s` (make bench). Set
KTVDESK_BENCH_SONGS to try another catalog size.

The catalog is generated: Chinese titles from common lyric words (some in traditional
characters), English titles from common song words, 8,000 Chinese and English singers
with a realistic long tail (a few singers own many songs), play counts for a thousand of them.

The baseline is what OpenKJ and PiKaraoke do: every song in a Python list, a substring
test per song per query, matches sorted. To make it answer the same queries, its
haystack already holds the folded title, singers, pinyin and initials: the comparison is
then purely "index vs linear scan", not "pinyin vs no pinyin".

Targets (issue 5): p95 ≤ 20 ms per query at 100,000 songs; build ≤ 60 s.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from ktvdesk.catalog.local import LibraryIndex
from ktvdesk.catalog.local.pinyin_keys import pinyin_keys
from ktvdesk.catalog.local.scanner import SongRecord
from ktvdesk.catalog.local.textfold import compact, fold, to_simplified


def _words(text: str) -> list[str]:
    return text.split()


SONGS = int(os.environ.get("KTVDESK_BENCH_SONGS", "100000"))
QUERIES_PER_KIND = 200
LIMIT = 50

ZH_WORDS = _words(
    "爱 你 我 的 心 梦 雨 天 月亮 星星 故事 时光 思念 告白 晴天 夜 城市 大海 风 花 离开 回忆 永远 一生 青春 远方 等待 孤单 幸福 眼泪 "
    "温柔 微笑 春天 夏天 秋天 冬天 情人 朋友 再见 明天 昨天 今天 红尘 江湖 北京 上海 香港 故乡 妈妈 爸爸 少年 女孩 男孩 誓言 天空 彩虹 "
    "阳光 黑夜 灯火 旅行 飞翔 自由 勇气 传说 童话 情歌 恋曲 心愿 约定 相遇 分手 想念 长大 重来 行走 快乐 伤心 寂寞 浪漫 唯一 世界 未来 "
    "曾经 千年 一万 七里 香 稻香 东风 菊花 青花瓷 蜗牛 晴 不 要 会 是 说 走 爱情 好 别 再 最 后 第一 次 那些 年 小 大"
)
EN_WORDS = _words(
    "love story night dream heart fire rain summer girl boy forever baby time world "
    "light home shape blue sky star moon sun wild young free crazy lonely sweet "
    "dance hello goodbye tonight yesterday tomorrow rock river road city angel ghost "
    "gold silver shadow memory wonder happy"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢".strip()
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
EN_FIRST = _words(
    "Taylor Adele Bruno Ed Justin Katy Lady Billie Ariana Harry Sam Dua Shawn Lana "
    "John Paul Mary Elton Frank Nat"
)
EN_LAST = _words(
    "Swift Mars Sheeran Bieber Perry Gaga Eilish Grande Styles Smith Lipa Mendes Rey "
    "Lennon Simon Jones King Brown Cole"
)


def _singers(rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < 8000:
        if rng.random() < 0.8:
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            names.add(rng.choice(SURNAMES) + given)
        else:
            names.add(f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}{rng.choice(('', '', ' Band', ' Jr'))}")
    return sorted(names)


def make_catalog(count: int, seed: int = 5) -> list[SongRecord]:
    rng = random.Random(seed)
    singers = _singers(rng)
    weights = [1 / (rank + 10) for rank in range(len(singers))]  # long tail
    cumulative = list(_accumulate(weights))
    records: list[SongRecord] = []
    for i in range(count):
        if rng.random() < 0.75:
            title = "".join(rng.choice(ZH_WORDS) for _ in range(rng.choice((1, 2, 2, 3, 3, 4))))
            if rng.random() < 0.1:
                title = _to_traditional(title)
        else:
            title = " ".join(rng.choice(EN_WORDS).capitalize() for _ in range(rng.choice((1, 2, 3, 4))))
        if rng.random() < 0.05:
            title += rng.choice((" (Live)", " (DJ版)", " (伴奏版)", " (Remix)"))
        artists = tuple({singers[_pick(cumulative, rng)] for _ in range(1 if rng.random() < 0.9 else 2)})
        records.append(
            SongRecord(
                path=f"/ktv/{i // 1000:03d}/{i:06d}.mkv".encode(),
                size=1000 + i,
                mtime_ns=i,
                signature="",
                title=title,
                singers=artists,
                album=None,
                genre=rng.choice(("流行", "摇滚", "民歌", "儿歌", "Pop", "Rock")),
                language=rng.choice(("国语", "粤语", "英语", "闽南语")),
                duration_ms=rng.randrange(120_000, 330_000),
                container="mkv",
                folder=f"/ktv/{i // 1000:03d}",
            )
        )
    return records


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


def _pick(cumulative: list[float], rng: random.Random) -> int:
    import bisect

    return min(len(cumulative) - 1, bisect.bisect_left(cumulative, rng.random() * cumulative[-1]))


_TRADITIONAL = str.maketrans(
    "爱梦时风离远单乐伤寂浪诺约亲愿恋传说东菊瓷蜗会这长", "愛夢時風離遠單樂傷寂浪諾約親願戀傳說東菊瓷蝸會這長"
)


def _to_traditional(text: str) -> str:
    return text.translate(_TRADITIONAL)


class LinearScan:
    """The baseline: a list and a substring test per song (OpenKJ / PiKaraoke style)."""

    def __init__(self, records: list[SongRecord]) -> None:
        self.rows: list[tuple[str, str, int]] = []
        for index, record in enumerate(records):
            parts = [compact(record.title), *(compact(s) for s in record.singers)]
            for text in (record.title, *record.singers):
                keys = pinyin_keys(fold(text))
                parts.extend(keys.full[:1])
                parts.extend(keys.initials[:1])
            self.rows.append(("|".join(parts), record.title, index))

    def search(self, query: str) -> list[int]:
        key = compact(query)
        hits = [(title, index) for haystack, title, index in self.rows if key in haystack]
        hits.sort()
        return [index for _, index in hits[:LIMIT]]


def _queries(records: list[SongRecord], rng: random.Random) -> dict[str, list[str]]:
    zh_titles = [r.title for r in records if any("\u4e00" <= ch <= "\u9fff" for ch in r.title)]
    zh_singers = [s for r in records for s in r.singers if "\u4e00" <= s[0] <= "\u9fff"]

    def sample(pool: list[str], make: Callable[[str], str]) -> list[str]:
        out: list[str] = []
        while len(out) < QUERIES_PER_KIND:
            value = make(rng.choice(pool))
            if value:
                out.append(value)
        return out

    def chars(title: str, n: int) -> str:
        text = to_simplified(compact(title))
        if len(text) < n:
            return ""
        start = rng.randrange(len(text) - n + 1)
        return text[start : start + n]

    def initials(title: str) -> str:
        keys = pinyin_keys(fold(title)).initials
        return keys[0] if keys and len(keys[0]) >= 2 else ""

    def full_pinyin(title: str) -> str:
        keys = pinyin_keys(fold(title)).full
        return keys[0] if keys else ""

    def mixed(title: str) -> str:
        singer = rng.choice(zh_singers)
        surname = pinyin_keys(fold(singer[0])).full
        word = chars(title, 2)
        return f"{surname[0] if surname else singer[0]} {word}" if word else ""

    return {
        "1-char": sample(zh_titles, lambda t: chars(t, 1)),
        "2-char": sample(zh_titles, lambda t: chars(t, 2)),
        "initials": sample(zh_titles, initials),
        "full pinyin": sample(zh_titles, full_pinyin),
        "singer": sample(zh_singers, lambda s: s),
        "mixed": sample(zh_titles, mixed),
    }


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered), p95


def _time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e6


def test_library_benchmark(tmp_path: Path) -> None:
    rng = random.Random(55)
    started = time.perf_counter()
    records = make_catalog(SONGS)
    generated = time.perf_counter() - started

    index = LibraryIndex(tmp_path / "bench.db")
    started, cpu_started = time.perf_counter(), time.process_time()
    index.write_records(records)
    build_s = time.perf_counter() - started
    build_cpu_s = time.process_time() - cpu_started
    db_mb = (tmp_path / "bench.db").stat().st_size / 1e6
    wal = tmp_path / "bench.db-wal"
    wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0.0

    started = time.perf_counter()
    baseline = LinearScan(records)
    baseline_build_s = time.perf_counter() - started

    for song_id in rng.sample(range(1, SONGS + 1), min(SONGS, 1000)):
        index.record_play(song_id)  # some popularity, so the tie-break has work to do
    queries = _queries(records, rng)

    print()
    print(
        f"catalog: {SONGS:,} songs (generated in {generated:.1f} s), index {db_mb:.0f} MB + WAL {wal_mb:.0f} MB"
    )
    print(
        f"build:   index {build_s:.1f} s wall, {build_cpu_s:.1f} s CPU (target ≤ 60 s); "
        f"baseline list {baseline_build_s:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'query kind':<12} {'index p50':>10} {'p95':>8} {'linear p50':>11} {'p95':>8} {'p95 ratio':>10}")
    worst_p95 = 0.0
    for kind, items in queries.items():
        index.search(items[0], LIMIT)  # warm the page cache for this kind
        ours = [_time_ms(lambda q=q: index.search(q, LIMIT)) for q in items]
        theirs = [_time_ms(lambda q=q: baseline.search(q)) for q in items[:50]]
        p50, p95 = _percentiles(ours)
        b50, b95 = _percentiles(theirs)
        worst_p95 = max(worst_p95, p95)
        print(f"{kind:<12} {p50:>8.2f}ms {p95:>6.2f}ms {b50:>9.2f}ms {b95:>6.2f}ms {b95 / p95:>9.0f}x")
    print(f"worst p95 {worst_p95:.2f} ms (target ≤ 20 ms): {'met' if worst_p95 <= 20 else 'NOT met'}")
    print(f"build {build_s:.1f} s (target ≤ 60 s): {'met' if build_s <= 60 else 'NOT met'}")
    sample = {kind: items[:3] for kind, items in queries.items()}
    print(f"sample queries: {sample}")
    index.close()
