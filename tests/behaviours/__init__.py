"""Behaviours that several lessons keep, written once.

A lesson that keeps a behaviour imports its module into the lesson's `test_behaviours.py`;
pytest then runs the same tests against that lesson's `client`.
"""
