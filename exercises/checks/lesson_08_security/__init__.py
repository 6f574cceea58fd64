"""Checks of lesson 08's exercises."""
