"""Generators for the demo corpus: product images and the staff handbook PDF."""
