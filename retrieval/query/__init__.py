"""Query understanding: history-aware rewriting, constraints in words turned into filters."""
