"""Lesson 01, routing: from a script to a service."""
