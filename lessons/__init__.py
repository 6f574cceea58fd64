"""The course lessons: one package per lesson, each a complete FastAPI app."""
