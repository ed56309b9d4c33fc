"""Lyrics engine: being built (issue 3)."""

from typing import Any

Lyrics = Any
