"""Lesson 10 containerizes the final app itself, not a copy of it."""

from final_app.main import app as final_app
from lessons.lesson_10_containers.app import app


def test_lesson_app_is_the_final_app() -> None:
    assert app is final_app
