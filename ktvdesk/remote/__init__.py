"""The phone remote (扫码点歌): an ASGI app in a process of its own, one channel to the app.

It talks only to `KaraokeSession` (and the catalog providers through it), never to the
engine, storage or the UI. In the app's process: `server.RemoteServer` binds, starts and
watches the remote's process, `room.RemoteRoom` holds the session side (the host's rules,
whose songs are whose, the published state). In the remote's process (`child`):
`front.RoomFront` holds the guests, limits, caches and the live fan-out, `api` maps
HTTP/WebSocket onto it. `wire.Channel` is the one channel between the two.
Importing this package imports nothing: the GUI loads it only with `--remote`.
"""
