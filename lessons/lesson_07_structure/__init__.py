"""Lesson 07, structure: routers, an app factory, settings and migrations."""
