"""The local library: folders of karaoke files indexed in SQLite, and its catalog provider."""

from __future__ import annotations

from ktvdesk.catalog.local.demo import bundled_demo_dir
from ktvdesk.catalog.local.index import LibraryIndex, LibraryStats, ScanReport
from ktvdesk.catalog.local.provider import LocalLibraryProvider

__all__ = ["LibraryIndex", "LibraryStats", "LocalLibraryProvider", "ScanReport", "bundled_demo_dir"]
