"""The HTTP layer: the dependencies routes share (`deps.py`) and one router per resource."""
