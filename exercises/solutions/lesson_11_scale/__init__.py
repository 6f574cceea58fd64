"""Reference solutions to lesson 11's exercises."""
