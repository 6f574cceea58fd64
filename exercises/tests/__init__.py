"""Tests of the exercise checker itself."""
