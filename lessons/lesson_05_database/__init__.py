"""Lesson 05, database: SQLAlchemy 2.0 sessions as a dependency, committed or rolled back."""
