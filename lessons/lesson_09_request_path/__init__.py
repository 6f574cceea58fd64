"""Lesson 09: the production request path, from lesson 08 to RepairDesk's architecture."""
