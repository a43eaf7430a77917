"""The CSRF token belongs to one cookie secret and reveals nothing of it."""

from service.accounts.browser_secrets import csrf_matches, csrf_token_for, hash_secret, new_secret


def test_the_token_of_a_secret_matches_only_that_secret() -> None:
    secret, other = new_secret(), new_secret()
    token = csrf_token_for(secret)
    assert csrf_matches(token, secret)
    assert not csrf_matches(token, other)
    assert not csrf_matches(csrf_token_for(other), secret)
    assert secret not in token and hash_secret(secret) != token


def test_nothing_matches_without_a_token_or_a_secret() -> None:
    secret = new_secret()
    assert not csrf_matches(None, secret)
    assert not csrf_matches("", secret)
    assert not csrf_matches(csrf_token_for(secret), None)


def test_secrets_are_long_and_new_each_time() -> None:
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert all(len(secret) >= 43 for secret in secrets)  # 256 bits in URL-safe base64
