"""Reference solutions to lesson 06's exercises."""
