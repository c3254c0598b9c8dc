"""Shared PDF resources: hatch patterns, shadings, and the canon that writes each one once per document."""
