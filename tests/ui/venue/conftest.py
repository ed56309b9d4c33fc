"""Room terminals as the venue runs them: the kiosk window on the app's real services,
against the real venue server, PostgreSQL and Mosquitto of the venue integration tests."""

from tests.integration.venue.conftest import db, demo_dir, media_dirs, venue  # noqa: F401  (the fixtures)
