"""`python -m decision_aid` is the same as the `ivig-decision-aid` command."""

import sys

from decision_aid.cli import main

sys.exit(main())
