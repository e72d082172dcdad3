import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every persona gets a hashed password; a slow hasher only costs time in these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
