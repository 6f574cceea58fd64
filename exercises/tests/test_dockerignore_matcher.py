"""The `.dockerignore` matcher that exercise 10.2's check uses reads rules as Docker does."""

from exercises.checks.lesson_10_containers.check_ex_2_dockerignore import ignored, rules_of


def test_a_folder_rule_covers_what_is_inside() -> None:
    assert ignored(rules_of("build/\n"), "build/lib/x.py")


def test_the_last_matching_rule_wins() -> None:
    rules = rules_of("*\n!app/\n**/__pycache__\n")
    assert ignored(rules, "secret.txt")
    assert not ignored(rules, "app/main.py")
    assert ignored(rules, "app/__pycache__/main.pyc")


def test_a_single_star_stays_in_one_folder() -> None:
    rules = rules_of("*.db\n")
    assert ignored(rules, "repairdesk.db")
    assert not ignored(rules, "data/repairdesk.db")


def test_comments_and_blank_lines_are_not_rules() -> None:
    assert rules_of("# a comment\n\n") == []
