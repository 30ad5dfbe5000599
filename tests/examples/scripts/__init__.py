"""Tests of the demo corpus generator scripts."""
