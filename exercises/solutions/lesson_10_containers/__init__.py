"""Reference solutions to lesson 10's exercises."""
