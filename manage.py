#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcs_support.settings")
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        # A shell with nothing configured is a developer's machine: use the
        # quick-start defaults. Production always sets SECRET_KEY, so it never
        # lands here, and seed_demo's DEBUG guard still holds there.
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
