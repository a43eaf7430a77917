"""Helpers the tests import: a tiny encoder, real servers, real databases."""
