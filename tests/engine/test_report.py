"""The headline figure: printed for the learner and appended to the run's report file."""

from __future__ import annotations

import json

from shared_utils.engine.report import REPORT_ENV, format_value, headline


def test_format_value_keeps_small_figures_readable():
    assert format_value(0.845) == "0.8450"
    assert format_value(0.0) == "0.0000"
    assert format_value(2.7755e-16) == "2.78e-16"
    assert format_value(-0.02) == "-0.0200"


def test_headline_writes_one_json_line_and_says_whether_the_target_is_met(tmp_path, monkeypatch, capsys):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV, str(report))
    assert headline("gap", 3e-16, 1e-9, higher_is_better=False)
    assert not headline("accuracy", 0.5, 0.8)
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(d["name"], d["met"]) for d in lines] == [("gap", True), ("accuracy", False)]
    out = capsys.readouterr().out
    assert "gap: 3e-16  (target ≤ 1e-09)  ✅ target met" in out
    assert "accuracy: 0.5000  (target ≥ 0.8)  ❌ below target" in out
