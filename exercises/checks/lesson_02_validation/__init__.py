"""Checks of lesson 02's exercises."""
