"""Lesson 10, containers: the final app in a small non-root image, with compose and PostgreSQL."""
