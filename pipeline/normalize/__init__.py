"""Normalizers: pure functions from matched text to values."""
