"""Entry point of ``python -m pdfwriter``."""

import sys

from .cli import main

sys.exit(main())
