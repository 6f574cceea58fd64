"""Test helpers that are not tests: isolated databases and the like."""
