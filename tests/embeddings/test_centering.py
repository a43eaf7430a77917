"""Language centring: each vector loses its language's mean; a language without one loses the mean of all."""

import numpy as np

from embeddings import LanguageCentroids

CENTROIDS = LanguageCentroids(
    means={"no": np.array([1.0, 0.0, 0.0], np.float32), "en": np.array([0.0, 1.0, 0.0], np.float32)}
)


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, np.float32)
    return vector / np.linalg.norm(vector)


def test_a_vector_is_centred_on_its_own_language() -> None:
    centred = CENTROIDS.apply(np.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), ["no", "en"])
    np.testing.assert_allclose(centred, [_unit(0, 1, 1), _unit(1, 0, 1)], atol=1e-6)


def test_a_language_without_a_centroid_is_centred_on_the_mean_of_the_known_ones() -> None:
    # Measured on Swedish, Danish and German needs: better than leaving them uncentred (docs/languages.md).
    centred = CENTROIDS.apply(np.array([[1.0, 1.0, 1.0]]), ["sv"])
    np.testing.assert_allclose(centred, [_unit(0.5, 0.5, 1)], atol=1e-6)


def test_without_any_centroid_a_vector_is_only_normalised() -> None:
    centred = LanguageCentroids(means={}).apply(np.array([[3.0, 0.0, 4.0]]), ["sv"])
    np.testing.assert_allclose(centred, [[0.6, 0.0, 0.8]], atol=1e-6)
