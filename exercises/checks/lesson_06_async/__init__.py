"""Checks of lesson 06's exercises."""
