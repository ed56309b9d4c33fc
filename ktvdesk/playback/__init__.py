"""Playback engine: being built (issue 4)."""
