"""Reference solutions to lesson 01's exercises."""
