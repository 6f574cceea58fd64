"""The service layer: the rules of the desk, as plain functions of a SQLAlchemy session.

They know nothing of HTTP: the routers call them through `Database.run`, and the tests can
call them directly. They return schemas, never ORM objects, so nothing lazy-loads after the
session is closed.
"""
