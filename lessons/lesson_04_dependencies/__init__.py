"""Lesson 04, dependencies: `Depends` for shared parameters, cleanup and who is calling."""
