"""Caps, budget strands, the ledger and agreed packages (issue: caps and budget)."""
