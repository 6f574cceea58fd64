"""Exercises for every lesson, and the checker that tells a learner whether they got one right.

An exercise has four parts, found by name:

- the starting point the learner edits: `lessons/lesson_NN_topic/exercises/ex_K_name.py` (or a
  folder `ex_K_name/`), whose docstring holds the task and whose code holds a TODO;
- the check: `exercises/checks/lesson_NN_topic/check_ex_K_name.py`, pytest tests of the behaviour
  the task asks for, whose docstring holds the hint;
- the reference solution: `exercises/solutions/lesson_NN_topic/ex_K_name.py` (or folder);
- nothing else: no list to keep in sync.

`python -m exercises check 04` runs one lesson's checks against the learner's files;
`python -m exercises verify` proves every exercise honest (the starting point fails its check,
the reference solution passes it).
"""
