#!/usr/bin/env python
"""Django's command-line utility; `sigap` (installed into .venv/bin) is the same thing."""

from sigap.__main__ import main

if __name__ == "__main__":
    main()
