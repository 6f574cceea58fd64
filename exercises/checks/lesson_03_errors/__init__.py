"""Checks of lesson 03's exercises."""
