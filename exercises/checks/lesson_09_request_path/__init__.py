"""Checks of lesson 09's exercises."""
