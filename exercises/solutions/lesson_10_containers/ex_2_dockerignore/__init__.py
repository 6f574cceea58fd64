"""Exercise 10.2, solved: an allowlist `.dockerignore` (see the file beside this)."""
