"""Keep the build context to what the image needs.

--8<-- [start:task]
**Ticket RD-902.** The `.dockerignore` of the exercise's folder lists a few things to leave out
of the build context, and everything it forgets goes to the Docker daemon and, with one
careless `COPY`, into the image: the developer's `.env`, the local database, the tests. Turn it
into an allowlist, as the repository's own `.dockerignore` does: ignore everything, then let in
only `main.py`, `requirements.txt` and the `app/` folder. Inside what is let in, keep out
`__pycache__` folders and any `.env` file. The check asks your file about a list of paths, the
way Docker matches them.
--8<-- [end:task]
"""
