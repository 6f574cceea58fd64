"""What every lesson with migrations keeps true, whatever its tables.

A lesson's test module star-imports these checks and provides two fixtures:
`empty_database_url` (see `databases.py`) and `lesson_migrate`, the lesson's `migrate` module.
"""

from types import ModuleType
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, create_engine, inspect

from tests.support.database import current_revision


def table_names(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def schema_differences(database_url: str, metadata: MetaData) -> list[Any]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            # Alembic compares server defaults only when asked (compare_server_default=False
            # by default): a default the models have and the migrations lack would pass.
            options = {"compare_type": True, "compare_server_default": True}
            context = MigrationContext.configure(connection, opts=options)
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_upgrade_head_on_an_empty_database_creates_every_table(
    empty_database_url: str, lesson_migrate: ModuleType
) -> None:
    lesson_migrate.upgrade(empty_database_url)
    expected = set(lesson_migrate.Base.metadata.tables) | {"alembic_version"}
    assert table_names(empty_database_url) == expected


def test_upgrade_head_records_the_latest_revision(
    empty_database_url: str, lesson_migrate: ModuleType
) -> None:
    lesson_migrate.upgrade(empty_database_url)
    head = ScriptDirectory(str(lesson_migrate.MIGRATIONS_DIR)).get_current_head()
    assert current_revision(empty_database_url) == head


def test_models_and_migrations_agree(empty_database_url: str, lesson_migrate: ModuleType) -> None:
    # What `revision --autogenerate` would write after `upgrade head`: nothing.
    lesson_migrate.upgrade(empty_database_url)
    assert schema_differences(empty_database_url, lesson_migrate.Base.metadata) == []


def test_upgrade_head_twice_changes_nothing(
    empty_database_url: str, lesson_migrate: ModuleType
) -> None:
    lesson_migrate.upgrade(empty_database_url)
    lesson_migrate.upgrade(empty_database_url)
    assert schema_differences(empty_database_url, lesson_migrate.Base.metadata) == []


def test_every_migration_can_be_undone(empty_database_url: str, lesson_migrate: ModuleType) -> None:
    lesson_migrate.upgrade(empty_database_url)
    lesson_migrate.downgrade_to_base(empty_database_url)
    assert table_names(empty_database_url) == {"alembic_version"}
    lesson_migrate.upgrade(empty_database_url)
    assert schema_differences(empty_database_url, lesson_migrate.Base.metadata) == []


def test_a_server_default_the_migrations_lack_is_a_difference(
    empty_database_url: str, lesson_migrate: ModuleType
) -> None:
    lesson_migrate.upgrade(empty_database_url)
    models = MetaData()
    for model_table in lesson_migrate.Base.metadata.tables.values():
        model_table.to_metadata(models)
    status = Column("status", String(20), nullable=False, server_default="received")
    models.tables["tickets"].append_column(status, replace_existing=True)
    differences = schema_differences(empty_database_url, models)
    assert [difference[0][0] for difference in differences] == ["modify_default"]
