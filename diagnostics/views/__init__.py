"""Eligibility and diagnostic pages, split by who uses them."""
