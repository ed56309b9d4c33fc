"""The phone remote (扫码点歌): an ASGI app on a thread and event loop of its own.

It talks only to `KaraokeSession` (and the catalog providers through it), never to the
engine, storage or the UI. `server.RemoteServer` binds and serves, `room.RemoteRoom`
holds the guests, limits and the host's rules, `api` maps HTTP/WebSocket onto the room,
`bridge` hands the session calls to the session's (GUI) loop.
Importing this package imports nothing: the GUI loads it only with `--remote`.
"""
