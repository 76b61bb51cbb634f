"""Reference data the app reads at run time from seed_data/: the service-line taxonomy, the KPI
library, the advisor questions, the KPO rubric and the selection criteria templates.

Each package reads its own file through a small loader of its own (`bpo.services.kpi_library`,
`selection.services.advisor_config`...). The demo data in the same folder is read only by
`vendor_tracker.demo`, which nothing at run time imports.
"""

import json
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent.parent / "seed_data"


def load_json(name: str):
    """Read one file of seed_data/."""
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))
