"""Lesson 11's exercises: edit a file, then check it with `nox -s check -- 11`."""
