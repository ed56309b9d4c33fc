"""Singing: the reference melody, the pitch detector, the scorer and microphone input (no Qt).

Keep this file free of imports: the lyric parsers import `ktvdesk.singing.melody`, and
loading numpy or an audio backend for every lyric parse would slow the library scan.
"""
