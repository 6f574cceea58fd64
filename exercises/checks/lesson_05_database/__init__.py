"""Checks of lesson 05's exercises."""
