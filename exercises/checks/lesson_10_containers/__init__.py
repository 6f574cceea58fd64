"""Checks of lesson 10's exercises."""
