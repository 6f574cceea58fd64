"""Checks of lesson 11's exercises."""
