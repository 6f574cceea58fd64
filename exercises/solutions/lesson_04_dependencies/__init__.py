"""Reference solutions to lesson 04's exercises."""
