"""Fonts and text: loading, measuring, shaping, and embedding fonts as PDF font objects."""
