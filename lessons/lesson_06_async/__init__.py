"""Lesson 06, async: `def` or `async def`, measured, and the post's blocking bug fixed two ways."""
