"""Checks of lesson 01's exercises."""
