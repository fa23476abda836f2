"""`python -m briefpress`: the `briefpress` command, for an environment without its script."""

import sys

from .cli import main

sys.exit(main())
