"""Reference solutions to lesson 02's exercises."""
