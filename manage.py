#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (installed: the `laser-prescreen` command)."""

from clinic.manage import main

if __name__ == "__main__":
    main()
