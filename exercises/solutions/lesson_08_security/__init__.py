"""Reference solutions to lesson 08's exercises."""
