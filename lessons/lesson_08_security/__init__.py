"""Lesson 08, security: OAuth2 password flow, JWTs, hashed passwords and roles as dependencies."""
