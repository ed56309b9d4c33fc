"""The `venue` catalog: a room terminal's view of the venue server's shared library."""

from ktvdesk.catalog.venue.provider import VenueProvider, VenueRoom

__all__ = ["VenueProvider", "VenueRoom"]
