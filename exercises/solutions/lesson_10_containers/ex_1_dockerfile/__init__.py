"""Exercise 10.1, solved: the blog post's Dockerfile, repaired (see `Dockerfile` beside this).

The repository's own `Dockerfile` goes further: pinned, hashed wheels, a fixed uid, bytecode
compiled at build time, a probe of a real health endpoint.
"""
