from __future__ import annotations

import pytest

from ktvdesk.singing.melody import Melody
from tests.unit.singing.voices import demo_melody


@pytest.fixture(scope="session")
def melody() -> Melody:
    return demo_melody()
