import sys

from ktvdesk.cli import main

sys.exit(main())
