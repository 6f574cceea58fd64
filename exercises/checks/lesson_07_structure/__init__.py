"""Checks of lesson 07's exercises."""
