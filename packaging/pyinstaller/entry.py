"""The frozen executables' entry point: the same `main` as the `ktvdesk` console script."""

import sys

from ktvdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
