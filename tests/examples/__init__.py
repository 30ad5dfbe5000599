"""Tests of the demo corpus and its generators."""
