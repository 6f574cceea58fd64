"""Checks of lesson 04's exercises."""
