"""The grader against a cheating learner and a faulty notebook: each scores what its own code earns.

Each file in ``tests/engine/attacks/`` is a notebook in jupytext's percent format: an attack on
the grader or a fault of the learner's code.  It is inserted into course 1's first notebook, as
a learner has it, with two exercises solved (``basic_sigmoid``, ``sigmoid``), right after the
cell that imports the checks; the test grades the result and states what it must score, what
the report must say and that the learner's file (and the workbook) are left as they were.
"""

from __future__ import annotations

import hashlib
import resource
import time
from pathlib import Path

import jupytext
import nbformat
import pytest

from shared_utils.engine.build import REPO_ROOT, discover, solution_notebook
from shared_utils.engine.grade import FAIL, NOT_DONE, PASS, grade_notebook

pytestmark = pytest.mark.notebook
ATTACKS = Path(__file__).parent / "attacks"
FIRST = next(n for n in discover() if n.name == "01_python_numpy")
SOLVED = ("basic_sigmoid", "sigmoid")
SEED = 1234
TIMES: dict[str, float] = {}
RESULTS: dict[str, tuple[str, float, bool]] = {}  # attack -> (score, seconds, learner's file intact)
END = "<the end of the notebook>"  # where attacks that define exercises go: after the stubs


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attack_notebook(
    attack: str, solved: tuple[str, ...] = SOLVED, after: str = "as check", **fill: str
) -> nbformat.NotebookNode:
    """The learner's notebook with ``solved`` exercises done and the attack's cells inserted
    after the first cell that contains ``after``."""
    learner = nbformat.read(FIRST.learner_path, as_version=4)
    solution = solution_notebook(FIRST)
    assert len(learner.cells) == len(solution.cells)
    for mine, theirs in zip(learner.cells, solution.cells):
        if any(f"def {name}(" in theirs.source for name in solved):
            mine.source = theirs.source
    text = (ATTACKS / f"{attack}.py").read_text()
    for key, value in fill.items():
        text = text.replace("{" + key + "}", value)
    cells = jupytext.reads(text, fmt="py:percent").cells
    if after == END:
        at = len(learner.cells)
    else:
        at = next(i for i, c in enumerate(learner.cells) if after in c.source) + 1
    learner.cells[at:at] = cells
    return learner


def grade_attack(folder: Path, attack: str, **options):
    """Grade the attack notebook written to ``folder``; the report, and whether files were kept."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = attack_notebook(attack, after=options.pop("after", "as check"), **options.pop("fill", {}))
    path = folder / "01_python_numpy.ipynb"
    nbformat.write(nb, path)
    watched = [
        path,
        REPO_ROOT / FIRST.course / "data" / "README.md",
        REPO_ROOT / "shared_utils/checks/__init__.py",
    ]
    before = {p: _digest(p) for p in watched if p.exists()}
    start = time.perf_counter()
    report = grade_notebook(path, seed=SEED, **options)
    TIMES[attack] = time.perf_counter() - start
    intact = all(p.exists() and _digest(p) == d for p, d in before.items())
    RESULTS[attack] = (f"{report.passed}/{len(report.exercises)}", TIMES[attack], intact and report.intact)
    return report, intact


@pytest.fixture(scope="module", autouse=True)
def attack_table():
    """After the module: the table of attacks and faults, with what each scored, in build/."""
    yield
    if not RESULTS:
        return
    lines = [
        f"Graded with {len(SOLVED)} exercises of {FIRST.key} solved (what the notebook's own code earns).",
        "",
        "| attack or fault | score | seconds | learner's file intact |",
        "|---|---|---|---|",
    ]
    for attack, (score, seconds, intact) in sorted(RESULTS.items()):
        lines.append(f"| {attack} | {score} | {seconds:.0f} | {'yes' if intact else 'NO'} |")
    out = REPO_ROOT / "build" / "attacks.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


def statuses(report) -> dict[str, str]:
    return {e["exercise"]: e["status"] for e in report.exercises}


def message(report, exercise: str) -> str:
    return next(e["message"] for e in report.exercises if e["exercise"] == exercise)


def earned_only_the_solved(report) -> None:
    got = statuses(report)
    assert {n for n, s in got.items() if s == PASS} == set(SOLVED), report.table()


@pytest.mark.parametrize(
    "attack",
    ["patch_check", "patch_engine", "patch_grader", "fake_result_line"],
)
def test_patching_the_kernel_earns_nothing(tmp_path, attack):
    report, intact = grade_attack(tmp_path, attack)
    earned_only_the_solved(report)
    assert report.passed == len(SOLVED) and intact and report.intact
    assert "@@WORKBOOK-GRADE" not in report.table()


def test_killing_the_grader_is_refused(tmp_path):
    report, _ = grade_attack(tmp_path, "kill_grader")
    assert any("signal to the grader" in r for r in report.refused), report.table()


def test_imported_solutions_earn_nothing_and_the_report_says_why(tmp_path):
    report, intact = grade_attack(tmp_path, "import_solutions", after=END)
    earned_only_the_solved(report)
    assert any("imported tests" in r for r in report.refused), report.table()
    assert intact


def test_solutions_read_from_disk_earn_nothing(tmp_path):
    report, intact = grade_attack(tmp_path, "read_solutions", after=END)
    earned_only_the_solved(report)
    assert any("sources" in r and "01_python_numpy.py" in r for r in report.refused), report.table()
    assert "no credit" in message(report, "softmax"), report.table()
    assert "tried to reach the solutions" in message(report, "softmax")


def test_another_program_cannot_be_started(tmp_path):
    report, _ = grade_attack(tmp_path, "run_program")
    earned_only_the_solved(report)
    refused = "\n".join(report.refused)
    assert "started another program (cat " in refused and "os.system" in refused, report.table()


def test_the_checks_internals_earn_no_credit(tmp_path):
    report, _ = grade_attack(tmp_path, "check_internals", after=END)
    earned_only_the_solved(report)
    assert "no credit" in message(report, "normalize_rows") and "`check`" in message(report, "normalize_rows")
    assert "no credit" in message(report, "softmax") and "oracles" in message(report, "softmax")


def test_damage_to_files_is_refused_and_nothing_changes(tmp_path):
    learner_dir = tmp_path / "class"
    learner_dir.mkdir()
    sibling = learner_dir / "sibling.ipynb"
    sibling.write_text("sibling's work")
    (learner_dir / "keep").mkdir()
    (learner_dir / "keep" / "notes.txt").write_text("notes")
    report, intact = grade_attack(learner_dir, "damage_files", fill={"LEARNER_DIR": str(learner_dir)})
    earned_only_the_solved(report)
    assert intact and report.intact
    assert sibling.read_text() == "sibling's work" and (learner_dir / "keep" / "notes.txt").exists()
    refused = "\n".join(report.refused)
    assert "attack.ipynb" in refused and "sibling.ipynb" in refused and "README.md" in refused, refused
    assert "shutil.rmtree" in refused and "checks/__init__.py" in refused, refused


def test_a_printing_loop_is_capped_and_stopped(tmp_path):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    report, intact = grade_attack(tmp_path, "print_flood", cell_timeout=60)
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert grew < 300 * 1024, f"the grader's memory grew by {grew / 1024:.0f} MiB"
    earned_only_the_solved(report)
    assert TIMES["print_flood"] < 55, "the loop is interrupted when it passes the output cap"
    assert intact and len(report.table()) < 20_000


def test_a_huge_exception_message_is_cut(tmp_path):
    report, _ = grade_attack(tmp_path, "huge_exception")
    earned_only_the_solved(report)
    table = report.table()
    assert "ValueError: yyyy" in table and len(table) < 20_000


def test_memory_over_the_limit_stops_the_kernel_and_keeps_the_exercises_above(tmp_path):
    report, intact = grade_attack(
        tmp_path, "memory_hog", memory_limit=int(1.5 * 2**30), after="check.sigmoid(sigmoid)"
    )
    table = report.table()
    assert "more than 1.5 GB of memory" in table, table
    earned_only_the_solved(report)  # defined above the cell, graded on the restarted kernel
    later = [e for e in report.exercises if e["exercise"] not in SOLVED]
    assert all(e["message"].startswith("not graded") for e in later), table
    assert intact


def test_a_cell_that_ignores_interrupts_is_restarted_not_waited_for(tmp_path):
    report, _ = grade_attack(tmp_path, "ignores_interrupts", cell_timeout=15)
    earned_only_the_solved(report)
    assert "did not respond to the interrupt" in report.table()
    assert TIMES["ignores_interrupts"] < 120, "a restart, not a wait of 600 s"


def test_keyboard_interrupt_and_exit_fail_their_exercise_only(tmp_path):
    report, _ = grade_attack(tmp_path, "keyboard_interrupt", after=END)
    earned_only_the_solved(report)
    got = statuses(report)
    assert got["normalize_rows"] == FAIL and "KeyboardInterrupt" in message(report, "normalize_rows")
    assert got["softmax"] == FAIL and "SystemExit" in message(report, "softmax")
    assert got["L1"] == NOT_DONE, "the exercises after them are still graded"


@pytest.mark.parametrize("attack,line", [("kernel_exit", "os._exit(3)"), ("kernel_exit_call", "exit()")])
def test_a_kernel_that_exits_in_a_cell_costs_the_exercises_after_it(tmp_path, attack, line):
    nb = attack_notebook(attack, after="check.sigmoid(sigmoid)")
    report, intact = grade_attack(tmp_path, attack, after="check.sigmoid(sigmoid)")
    table = report.table()
    exit_cell = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and line in c.source)
    number = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()].index(
        exit_cell
    ) + 1
    assert f"the kernel died in cell [{number}]" in table, table
    earned_only_the_solved(report)
    later = [e for e in report.exercises if e["exercise"] not in SOLVED]
    assert all(e["message"].startswith("not graded") for e in later), table
    assert intact


def test_a_kernel_that_dies_while_graded_fails_that_exercise_only(tmp_path):
    report, _ = grade_attack(tmp_path, "dies_when_graded", after=END)
    earned_only_the_solved(report)
    assert "died while your function ran" in message(report, "normalize_rows"), report.table()
    assert statuses(report)["softmax"] == NOT_DONE


def test_an_exercise_that_hangs_when_graded_has_its_own_time_limit(tmp_path):
    report, _ = grade_attack(tmp_path, "hangs_when_graded", grade_timeout=10, after=END)
    earned_only_the_solved(report)
    assert "time limit per exercise" in message(report, "normalize_rows"), report.table()
    assert statuses(report)["softmax"] == NOT_DONE
    assert TIMES["hangs_when_graded"] < 120
