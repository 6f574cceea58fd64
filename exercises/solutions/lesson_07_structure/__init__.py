"""Reference solutions to lesson 07's exercises."""
