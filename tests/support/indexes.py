"""Checks of the indexes against the database they are built from."""

import numpy as np
from fastapi import FastAPI

from service.indexing import Indexes, repository


def assert_index_equals_database(app: FastAPI) -> None:
    """Every stored vector is in its index, centred on its language, and nothing else is."""
    indexes: Indexes = app.state.indexes
    with app.state.session_factory() as session:
        for index in (indexes.needs, indexes.solutions):
            expected: dict[int, np.ndarray] = {}
            for ids, matrix, languages in repository.iter_vectors(
                session, kind=index.kind, model_id=index.encoder.model_id
            ):
                for owner_id, vector in zip(ids.tolist(), index.index_form(matrix, languages), strict=True):
                    expected[owner_id] = vector
            assert sorted(index.ids().tolist()) == sorted(expected)
            for owner_id, vector in expected.items():
                indexed = index.vector(owner_id)
                assert indexed is not None
                np.testing.assert_allclose(indexed, vector, atol=1e-5)
