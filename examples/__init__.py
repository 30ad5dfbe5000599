"""Ridgeline's own demo corpus: a fictitious outdoor-gear shop, Cairn & Crest Outfitters.

Build it with ``python -m examples.build_demo --out DIR``.
"""
