"""cloudsim: a local emulator of the cloud catalogs' wire protocols, for tests and demos.

    ktvdesk sim --port 8640            # prints the endpoint and the credentials it accepts
    export KTVDESK_YINSUDA_SECRET_ID=… KTVDESK_YINSUDA_SECRET_KEY=…
    export KTVDESK_YINSUDA_APP_NAME=demo KTVDESK_YINSUDA_USER_ID=me
    ktvdesk catalog --provider yinsuda --endpoint http://127.0.0.1:8640 search 月亮

In process (tests, the GUI's --demo-cloud): `handle = start_in_thread(latency_ms=50)`, then
`handle.base_url`, `handle.yinsuda_env()`, `handle.clock.advance(s)` to expire links,
`handle.faults` to change the knobs, `handle.access_log` for every signed link issued and
used, and `handle.stop()`.
"""

from ktvdesk.cloudsim.server import SimConfig, SimHandle, SimState, build_app, serve, start_in_thread

__all__ = ["SimConfig", "SimHandle", "SimState", "build_app", "serve", "start_in_thread"]
