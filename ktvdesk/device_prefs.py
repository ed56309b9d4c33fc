"""Per-device preferences the user sets from the player (not the config file).

The lyric calibration offset depends on this machine's audio path (Bluetooth speakers,
HDMI receivers), so it is remembered here, in the platform data dir, together with the
last volume. A damaged file falls back to defaults: these are conveniences, not data.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "device.json"


@dataclass(slots=True)
class DevicePrefs:
    # None: never calibrated on this device, the config's `playback.lyric_offset_ms` applies
    lyric_offset_ms: int | None = None
    volume: int | None = None
    clip_mode: bool = False
    audio_device: str | None = None  # libVLC's id of the chosen output; None: the system's default
    scoring: bool = False  # 评分 on
    mic_latency_ms: dict[str, int] = field(default_factory=dict)  # microphone name → calibrated round trip
    microphone: str | None = None  # the chosen capture device's name; None: the system's default
    microphone2: str | None = None  # player 2's capture device for duets; None: no second microphone

    @classmethod
    def load(cls, path: Path) -> DevicePrefs:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("device preferences %s unreadable (%s): using defaults", path, exc)
            return cls()
        prefs = cls()
        if isinstance(raw, dict):
            offset = raw.get("lyric_offset_ms")
            if isinstance(offset, int) and -5000 <= offset <= 5000:
                prefs.lyric_offset_ms = offset
            volume = raw.get("volume")
            if isinstance(volume, int) and 0 <= volume <= 100:
                prefs.volume = volume
            prefs.clip_mode = raw.get("clip_mode") is True
            device = raw.get("audio_device")
            prefs.audio_device = device if isinstance(device, str) and device else None
            prefs.scoring = raw.get("scoring") is True
            microphone = raw.get("microphone")
            prefs.microphone = microphone if isinstance(microphone, str) and microphone else None
            second = raw.get("microphone2")
            prefs.microphone2 = second if isinstance(second, str) and second else None
            latencies = raw.get("mic_latency_ms")
            if isinstance(latencies, dict):
                prefs.mic_latency_ms = {
                    str(k): v for k, v in latencies.items() if isinstance(v, int) and 0 <= v <= 2000
                }
        return prefs

    def save(self, path: Path) -> None:
        """Write atomically: a crash mid-write leaves the previous file."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("device preferences %s not saved: %s", path, exc)
