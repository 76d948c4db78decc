"""Eligibility, self-assessment and diagnostics (issue: eligibility and diagnostics)."""
