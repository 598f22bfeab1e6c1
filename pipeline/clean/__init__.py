"""Cleaning: from decoded text to the article's words, page furniture removed."""
