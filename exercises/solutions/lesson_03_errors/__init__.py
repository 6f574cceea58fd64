"""Reference solutions to lesson 03's exercises."""
