"""The lyric view drawn offscreen at chosen times; assertions read the rendered pixels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ktvdesk.lyrics import parse_lyrics
from ktvdesk.ui.lyric_view import LyricView

# Our own words; enhanced LRC with word timing, a long gap before the third line.
SONG = """[ti:Test Song]
[00:05.00]<00:05.00>Sing <00:06.00>a <00:07.00>song <00:08.00>today<00:09.00>
[00:09.50]<00:09.50>一起<00:10.50>唱歌<00:11.50>
[00:20.00]<00:20.00>after <00:21.00>the <00:22.00>break<00:23.00>
"""


class FakeClock:
    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> int:
        return self.ms


def sung_pixels(image: QImage) -> int:
    """Pixels in the wipe's warm gradient (yellow→orange), absent from the plain text."""
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            color = image.pixelColor(x, y)
            if color.red() > 200 and color.green() > 110 and color.blue() < 120:
                count += 1
    return count


@pytest.fixture
def view(qtbot: QtBot) -> tuple[LyricView, FakeClock]:
    widget = LyricView()
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    clock = FakeClock()
    widget.set_clock(clock)
    widget.set_lyrics(parse_lyrics(SONG.encode()))
    return widget, clock


def render_at(widget: LyricView, clock: FakeClock, ms: int) -> QImage:
    clock.ms = ms
    return widget.grab().toImage()


def test_wipe_advances_word_by_word(view: tuple[LyricView, FakeClock]) -> None:
    widget, clock = view
    counts = [sung_pixels(render_at(widget, clock, ms)) for ms in (5000, 5500, 6500, 7500, 8900)]
    assert widget.current_line == 0
    assert counts[0] < counts[1] < counts[2] < counts[3] < counts[4]
    assert counts[0] < 20  # nothing sung yet at the very start of the first word


def test_current_word_and_fraction_follow_the_clock(view: tuple[LyricView, FakeClock]) -> None:
    widget, clock = view
    render_at(widget, clock, 7500)
    assert (widget.current_line, widget.current_word) == (0, 2)
    assert widget.current_fraction == pytest.approx(0.5)
    render_at(widget, clock, 10_000)
    assert (widget.current_line, widget.current_word) == (1, 0)


def test_finished_line_gives_its_slot_to_the_line_after_next(view: tuple[LyricView, FakeClock]) -> None:
    widget, clock = view
    end_of_first = render_at(widget, clock, 8_990)
    assert sung_pixels(end_of_first) > 0
    between = render_at(widget, clock, 9_400)  # line 0 over, line 1 not started
    assert sung_pixels(between) == 0  # slots now hold lines 1 and 2, nothing sung yet
    assert widget.current_line == 0 and widget.current_word == 3
    assert between != end_of_first


def test_countdown_before_first_line_and_after_long_break(view: tuple[LyricView, FakeClock]) -> None:
    widget, clock = view
    render_at(widget, clock, 2_500)
    assert widget.last_countdown_dots == 3
    render_at(widget, clock, 4_200)
    assert widget.last_countdown_dots == 1
    render_at(widget, clock, 18_500)  # 8.5 s gap after line 2 → dots before line 3
    assert widget.last_countdown_dots == 2
    assert widget.countdown_dots(1, 400) == 0  # short gap before line 1: no dots


def test_no_lyrics_state(qtbot: QtBot) -> None:
    widget = LyricView()
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.set_lyrics(None)
    image = widget.grab().toImage()
    assert sung_pixels(image) == 0
    assert widget.current_line == -1


def test_resize_rerenders_at_new_size(view: tuple[LyricView, FakeClock]) -> None:
    widget, clock = view
    small = sung_pixels(render_at(widget, clock, 8_900))
    widget.resize(1280, 720)
    large = sung_pixels(render_at(widget, clock, 8_900))
    assert large > small * 2  # text scales with the window
