"""Hypothesis profiles, loaded by ``tests/conftest.py`` for every property test.

``ci`` (the default) keeps the property tests of ``tests/properties`` and
``tests/reliability`` to about a minute on two cores; ``bench`` runs at least 2,000
examples per property: ``HYPOTHESIS_PROFILE=bench pytest tests/properties
tests/reliability --hypothesis-show-statistics``. A test that sets its own
``max_examples`` keeps it under every profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    # A run writes and fsyncs a report; its time depends on the disk, not on the example.
    "deadline": None,
    # Strategies build whole answers files and banks; slow data generation is expected.
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}

settings.register_profile("ci", max_examples=25, **_COMMON)
settings.register_profile("bench", max_examples=2000, **_COMMON)
# Between the two, for a longer look while changing the code: HYPOTHESIS_PROFILE=explore.
settings.register_profile("explore", max_examples=300, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
