"""Venue mode: one song store, many rooms, one front desk.

PostgreSQL is the system of record (the catalog, rooms, staff, every song request);
Mosquitto carries each room's state as a retained topic, desk commands to one room,
and presence through last-will messages. The server (`server.py`) is an ASGI app over
both; room terminals reach it through the `venue` catalog provider
(`ktvdesk/catalog/venue/`) and the bus client (`bus.py`). No Qt here.
"""
