"""Exercise 10.3, solved: a healthy database first, the password from the environment.

See `compose.yaml` beside this. The repository's own `compose.yaml` adds the migration as a
step of its own, between the healthy database and the app.
"""
