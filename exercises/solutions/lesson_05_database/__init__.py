"""Reference solutions to lesson 05's exercises."""
