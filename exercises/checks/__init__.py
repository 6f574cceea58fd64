"""The checks: one pytest module per exercise, `lesson_NN_topic/check_ex_K_name.py`."""
