"""MP3+G file names: disc ids, artists and titles for search."""

from __future__ import annotations

import pytest

from ktvdesk.catalog.local.karaoke_songs import zip_pair
from ktvdesk.catalog.local.names import guess_from_name, karaoke_disc_name


@pytest.mark.parametrize(
    ("stem", "disc", "artist", "title"),
    [
        ("SC8123-05 - Testband - Morgenrot", "SC8123-05", "Testband", "Morgenrot"),
        ("SF001-01 - Anna & Ben - Lied - Live", "SF001-01", ("Anna", "Ben"), "Lied - Live"),
        ("CB 30045-03 - X - Y", "CB 30045-03", "X", "Y"),
        ("DK0123 - Chor - Abendlied", "DK0123", "Chor", "Abendlied"),
    ],
)
def test_disc_ids(stem: str, disc: str, artist: str | tuple[str, ...], title: str) -> None:
    found = karaoke_disc_name(stem)
    assert found is not None
    disc_id, guess = found
    assert disc_id == disc and guess.title == title
    assert guess.singers == (artist if isinstance(artist, tuple) else (artist,))


def test_names_without_disc_id_use_artist_dash_title() -> None:
    assert karaoke_disc_name("Testband - Morgenrot") is None
    guess = guess_from_name("Testband - Morgenrot")
    assert (guess.title, guess.singers) == ("Morgenrot", ("Testband",))


def test_zip_pairs() -> None:
    assert zip_pair(["a.cdg", "a.mp3"]) == ("a.cdg", "a.mp3")
    assert zip_pair(["a.mp3"]) == "zip holds audio without its .cdg graphics"
    assert zip_pair(["a.cdg"]) == "zip holds CD+G graphics without audio"
    several = zip_pair(["a.cdg", "b.cdg", "a.mp3"])
    assert isinstance(several, str) and several.startswith("zip holds no single MP3+G pair")
