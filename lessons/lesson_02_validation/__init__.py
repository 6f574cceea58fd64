"""Lesson 02, validation: Pydantic models for what comes in and what goes out."""
