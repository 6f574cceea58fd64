"""Lesson 08's exercises: edit a file, then check it with `nox -s check -- 08`."""
