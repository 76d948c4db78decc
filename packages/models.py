"""The menu of support packages (issue: the package menu, caps and budget)."""
