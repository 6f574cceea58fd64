"""Lesson 03, errors: status codes, exception handlers and one error shape."""
