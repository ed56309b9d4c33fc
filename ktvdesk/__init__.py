"""ktvdesk: a desktop karaoke (KTV) player."""

__version__ = "0.1.0"
APP_NAME = "ktvdesk"
