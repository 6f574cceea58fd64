"""Reference solutions, laid out like the lessons: `lesson_NN_topic/ex_K_name.py`."""
