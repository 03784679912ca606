"""`python -m recommender`: the `facesym` command, for when the console script is not on PATH."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    main()
