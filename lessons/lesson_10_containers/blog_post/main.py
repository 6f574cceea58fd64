"""A stand-in for the blog post's app, just enough for its Dockerfile: `uvicorn main:app`.

The container tests build the post's image around it to measure what the Dockerfile does,
not what the app does.
"""

from fastapi import FastAPI

app = FastAPI()


@app.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}
