"""Span finders: spaCy components and matchers that locate things, never interpret them."""
