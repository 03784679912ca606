"""The shipped Alembic migrations build exactly the tables the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from recommender.records import RecordSettings, SchemaOutOfDateError
from recommender.records.database import make_engine
from recommender.records.models import Base
from recommender.records.schema import current_revision, head_revision, migrate
from recommender.records.store import ConsultStore

from .records_support import BACKENDS, empty_database


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return empty_database(request.param, tmp_path)


def test_upgrade_head_on_an_empty_database_matches_the_models(empty_url: str) -> None:
    engine = make_engine(empty_url)
    try:
        assert current_revision(engine) is None
        assert migrate(engine) == (None, head_revision())
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        assert migrate(engine) == (head_revision(), head_revision())  # a second run changes nothing
    finally:
        engine.dispose()


def test_the_store_refuses_a_database_never_migrated(empty_url: str) -> None:
    settings = RecordSettings(
        database_url=empty_url, keys=None, retention=RecordSettings.from_environment({}).retention
    )
    with pytest.raises(SchemaOutOfDateError, match="run `facesym records migrate`"):
        ConsultStore.open(settings)
