"""Lesson 09's exercises: edit a file, then check it with `nox -s check -- 09`."""
