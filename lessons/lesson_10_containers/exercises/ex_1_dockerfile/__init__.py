"""Repair the blog post's Dockerfile.

--8<-- [start:task]
**Ticket RD-901.** The `Dockerfile` of the exercise's folder is the blog post's, for its
project of a `main.py` and a `requirements.txt`. Repair it the way the lesson repairs it. The
final stage runs as a non-root `USER`; it copies the files the app needs, never the whole build
context (`COPY . .` takes `.env`, `.git` and whatever else lies around); the dependencies are
installed into a virtual environment that the final stage copies, not with `pip install --user`
into `/root/.local`; the image has a `HEALTHCHECK`; and `CMD` is in exec form (a JSON list), so
that `docker stop` reaches uvicorn rather than a shell. The check reads the file; it does not
need Docker.
--8<-- [end:task]
"""
