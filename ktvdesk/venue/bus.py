"""The venue's MQTT bus: topic names and one client used by the server and the rooms.

paho-mqtt runs its network loop on its own thread and reconnects by itself; messages
and connection changes are handed to the asyncio loop with `call_soon_threadsafe`, so
the rest of the venue code stays on one thread. On every (re)connection the owner's
`on_connect` runs again: that is where the server re-publishes the rooms' retained
session topics and a room re-publishes its state, which is how both recover from a
broker restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from ktvdesk.errors import ConfigError, UserMessage

log = logging.getLogger(__name__)

PREFIX = "ktvdesk"
BROADCAST = f"{PREFIX}/broadcast"
ALL_STATES = f"{PREFIX}/rooms/+/state"
ALL_ONLINE = f"{PREFIX}/rooms/+/online"


def state_topic(room: str) -> str:
    return f"{PREFIX}/rooms/{room}/state"


def online_topic(room: str) -> str:
    return f"{PREFIX}/rooms/{room}/online"


def commands_topic(room: str) -> str:
    return f"{PREFIX}/rooms/{room}/commands"


def session_topic(room: str) -> str:
    return f"{PREFIX}/rooms/{room}/session"


def room_of(topic: str) -> str | None:
    parts = topic.split("/")
    return parts[2] if len(parts) == 4 and parts[0] == PREFIX and parts[1] == "rooms" else None


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        parts = urlsplit(url)
        if parts.scheme != "mqtt" or not parts.hostname:
            raise ConfigError(
                f"bad broker URL {url!r}",
                user_message=UserMessage(
                    "消息服务器地址应为 mqtt://主机:端口。", "The broker address is mqtt://host:port."
                ),
            )
        return cls(parts.hostname, parts.port or 1883)


Handler = Callable[[str, Any], None]


class Bus:
    """One MQTT connection; JSON payloads; callbacks on the asyncio loop."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        loop: asyncio.AbstractEventLoop,
        on_message: Handler,
        on_connect: Callable[[], None] = lambda: None,
        subscriptions: tuple[str, ...] = (),
        will: tuple[str, Any] | None = None,
    ) -> None:
        self._address = BrokerAddress.parse(url)
        self._loop = loop
        self._on_message = on_message
        self._on_connect = on_connect
        self._subscriptions = subscriptions
        self.connected = asyncio.Event()
        self._client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=user, clean_session=True)
        self._client.username_pw_set(user, password)
        if will is not None:
            self._client.will_set(will[0], json.dumps(will[1]), qos=1, retain=True)
        self._client.reconnect_delay_set(min_delay=1, max_delay=10)
        self._client.on_connect = self._connected
        self._client.on_disconnect = self._disconnected
        self._client.on_message = self._message

    def start(self) -> None:
        self._client.connect_async(self._address.host, self._address.port, keepalive=15)
        self._client.loop_start()

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def publish(self, topic: str, payload: Any, *, retain: bool = False, qos: int = 1) -> None:
        """Queued by paho while disconnected (QoS 1), sent on reconnection."""
        self._client.publish(topic, json.dumps(payload, ensure_ascii=False), qos=qos, retain=retain)

    # paho's thread ---------------------------------------------------------------------

    def _connected(self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            log.warning("MQTT connection refused: %s", reason)
            return
        for pattern in self._subscriptions:
            client.subscribe(pattern, qos=1)
        self._loop.call_soon_threadsafe(self._on_connected_in_loop)

    def _on_connected_in_loop(self) -> None:
        self.connected.set()
        self._on_connect()

    def _disconnected(
        self, _client: mqtt.Client, _userdata: Any, _flags: Any, _reason: Any, _props: Any
    ) -> None:
        self._loop.call_soon_threadsafe(self.connected.clear)

    def _message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        try:
            payload = json.loads(message.payload) if message.payload else None
        except ValueError:
            log.warning("ignoring a non-JSON message on %s", message.topic)
            return
        self._loop.call_soon_threadsafe(self._on_message, message.topic, payload)
