"""L'historique de démonstration de l'observatoire remplit aussi les délais et les mesures du parcours."""

import random
from collections import Counter

from demo.statistics import history_record


def test_history_records_carry_deadlines_and_journey_measures():
    records = [history_record(random.Random(index), 2025, [1, 2]) for index in range(600)]

    assert {"met", "missed", "running"} <= set(Counter(record.triage_deadline for record in records))
    assert {"met", "missed"} <= {record.decision_deadline for record in records}
    assert {"granted", "none"} <= {record.reflection_period for record in records}
    assert any(record.residence_permit.startswith("permit_") for record in records)
    assert {"granted", "requested"} <= {record.legal_aid for record in records}
    assert all((record.decision_delay_band == "none") == (record.decision_working_days is None) for record in records)
