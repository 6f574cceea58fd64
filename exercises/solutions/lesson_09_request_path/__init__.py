"""Reference solutions to lesson 09's exercises."""
