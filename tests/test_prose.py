"""The prose types no measured number, and names the course it calls "the classic course".

The rule (DESIGN.md, "Rules learned"): a figure a run measures is printed by the code, never
typed in the markdown, because a typed figure goes stale the day the data, a seed or a library
changes. The test scans every markdown cell of every source, math and code spans included (an
accuracy typed between backticks is still typed), for numbers that look measured:

* decimals (``0.51``) and numbers in scientific notation (``2.8e-16``);
* percentages (``86.2%``) and percentage points (``7.4 points``);
* counts out of a total (``37 of 120``);
* durations (``40 s``, ``3 ms``) and ratios (``3x``, ``10 times``);
* any number after a word of approximation (``about 0.3``, ``around 11``, ``roughly three``).

A hit is not a measurement, and passes, when

* the same value is a literal in one of the notebook's code cells (a learning rate, a
  threshold, a target the code sets; ``83%`` matches ``0.83``);
* it is a section, exercise or version number (``section 3.2``, ``TensorFlow 2.21``) or the
  ``**Time:**`` line of a header (the estimate the header must give);
* an entry of ALLOWED below covers it: the notebook, a phrase of the sentence that contains
  the number, and why that number is not measured.

Anything else fails, naming the notebook, the cell and the sentence; rewrite it so that the
code prints the number ("the cell above prints ...") or so that the prose says it in words
("well above chance", "an order of magnitude smaller").

"The classic course" (or its version, curriculum, set) may only appear in a sentence that
names it: "Deep Learning Specialization" (or deeplearning.ai) and the number of the course
("Course 2"), so that a learner can look up what is meant.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

import pytest

from shared_utils.engine.build import Notebook, discover

# (notebook stem, phrase of the sentence that covers the number, reason)
ALLOWED: list[tuple[str, str, str]] = [
    (
        "01_initialization",
        "anything but $c \\approx 1$",
        "a condition on the factor c, not a value a run measures",
    ),
    (
        "02_regularization",
        "(x = −5.25)",
        "the goal line of a 105 m pitch in units of 10 m: the generator's geometry",
    ),
    ("03_gradient_checking", "(1e-7, 1e-5, 1e-3)", "the verdict thresholds of the table in section 3"),
    ("03_gradient_checking", "about 16 significant digits", "the precision of an IEEE 754 float64"),
    ("03_gradient_checking", "if the gradient is 0.002", "an invented example of scale"),
    ("05_normalization", "its `momentum=0.1` meaning our 0.9", "PyTorch's default: a library's convention"),
    ("07_evaluation", "gives F1 = 0.04, not 0.51", "a worked example of the two means"),
    ("07_evaluation", "(0.05 = 5%)", "notation: how an error is written"),
    (
        "07_evaluation",
        "A category that holds 40% of the mistakes can cut the error by at most 40%",
        "an invented example",
    ),
    (
        "02_logistic_regression",
        "a factor of about 3 apart (0.01, 0.03, 0.1, 0.3, ...)",
        "a rule of thumb for a search",
    ),
    ("08_scaling_out", "float16 keeps about three decimal digits", "a property of IEEE 754 float16"),
    ("08_scaling_out", "below about 6e-8", "float16's smallest subnormal number"),
    ("08_scaling_out", "anything under 6e-8", "float16's smallest subnormal number"),
    ("08_scaling_out", "multiplied by 1e-6", "how the check builds its network"),
    ("06_tensorflow", "one in six, 0.17", "1/6: the chance level of six classes"),
]

_WORD_NUMBERS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|a third|a quarter|"
    r"a tenth|a fifth|twice|thrice"
)
_NUM = r"\d+(?:[.,]\d+)*(?:\.\d+)?"
_MEASURED = re.compile(
    "|".join(
        [
            rf"(?<![\w.]){_NUM}e[-+]?\d+\b",  # 2.8e-16
            rf"(?<![\w.]){_NUM}\s?(?:%|percent\b)",  # 86.2%
            rf"(?<![\w.]){_NUM}\s(?:percentage\s)?points?\b",  # 7.4 points
            rf"(?<![\w.]){_NUM}\s(?:out\s)?of\s(?:the\s|all\s)?{_NUM}\b",  # 37 of 120
            rf"(?<![\w.]){_NUM}\s?(?:s|ms|µs|us|seconds?|milliseconds?|minutes?|hours?)\b(?!-)",  # 40 s
            rf"(?<![\w.]){_NUM}\s?(?:x|×)(?![\w\d])",  # 3x (not 28×28)
            rf"(?<![\w.]){_NUM}\s(?:times)\b",  # 10 times
            rf"\bfactor\s(?:of\s)?{_NUM}\b",  # a factor 14
            rf"(?:\babout|\baround|\broughly|\bnearly|\bnear|\balmost|\bapproximately|~|≈|\\approx)\s*"
            rf"(?:{_NUM}|(?:{_WORD_NUMBERS})\b)",  # about 0.3, roughly three
            r"(?<![\w.])\d+\.\d+(?!\.\d|\w)",  # 0.51
        ]
    ),
    re.IGNORECASE,
)
_NOT_MEASURED_BEFORE = re.compile(
    r"(?:^#+|sections?|exercises?|§|TensorFlow|Keras|Python|NumPy|version|v)\s*$", re.IGNORECASE
)
_NOT_MEASURED_AFTER = re.compile(r"^\s*(?:to\s+\d+\s+)?lines?\b")  # "(about 6 lines)": an exercise's size
_APPROXIMATE = re.compile(
    r"^(?:about|around|roughly|nearly|almost|approximately|~|≈|\\approx)", re.IGNORECASE
)
_CLASSIC = re.compile(r"\bclassic\s+(?:course|version|curriculum|set|assignment|notebook)", re.IGNORECASE)
_NAMED = re.compile(r"(?:Deep Learning Specialization|deeplearning\.ai)", re.IGNORECASE)
_COURSE_NUMBER = re.compile(r"\bCourse\s+\d\b")


@dataclass(frozen=True)
class Finding:
    notebook: str
    cell: int
    sentence: str
    number: str

    def __str__(self) -> str:
        return f"{self.notebook}, cell {self.cell}: {self.number!r} in: {self.sentence}"


def _sentences(markdown: str) -> list[str]:
    """Paragraphs, list items and table rows, cut into sentences (a decimal point does not cut)."""
    blocks, current = [], []
    for line in markdown.splitlines():
        stripped = line.strip()
        starts_block = (
            not stripped
            or stripped.startswith(("|", "#", "- ", "* "))
            or bool(re.match(r"\d+\.\s", stripped))
        )
        if starts_block and current:
            blocks.append(" ".join(current))
            current = []
        if stripped:
            current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    out = []
    for block in blocks:
        out.extend(s for s in re.split(r"(?<=[.!?:;])\s+(?=[A-Z*(`$\"'])", block) if s)
    return out


def _code_values(notebook: Notebook) -> set[float]:
    """Every number the notebook's code cells state (literals, and numbers inside strings) and its
    fast-mode parameters."""
    values: set[float] = set()
    for cell in notebook.read().cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        try:
            for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                if tok.type == tokenize.NUMBER:
                    numbers = [tok.string.replace("_", "")]
                elif tok.type == tokenize.STRING:  # "small random (x 0.01)"
                    numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?", tok.string)
                else:
                    continue
                for number in numbers:
                    try:
                        values.add(float(number))
                    except ValueError:
                        pass
        except (tokenize.TokenError, IndentationError, SyntaxError):
            continue
    for value in notebook.fast_parameters.values():
        if isinstance(value, (int, float)):
            values.add(float(value))
    return values


def _value(number: str) -> float | None:
    match = re.search(r"\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?", number, re.IGNORECASE)
    if not match:
        return None
    return float(match.group(0).replace(",", ""))


def _set_by_code(hit: str, values: set[float]) -> bool:
    value = _value(hit)
    if value is None:
        return False
    candidates = {value}
    if "%" in hit or "percent" in hit.lower() or "point" in hit.lower():
        candidates.add(value / 100)
    return any(abs(c - v) <= 1e-12 * max(1.0, abs(v)) for c in candidates for v in values)


def _computed_in_math(sentence: str, at: int) -> bool:
    """``$\\log 2 \\approx 0.693$``: the value of a numeric expression written in the same math span."""
    spans = [m.span() for m in re.finditer(r"\$\$.+?\$\$|\$.+?\$", sentence)]
    return any(start < at < end and re.search(r"\d", sentence[start:at]) for start, end in spans)


def _allowed(notebook: str, sentence: str, start: int, end: int) -> tuple[str, str, str] | None:
    for entry in ALLOWED:
        name, phrase, _ = entry
        if name not in (notebook, "*"):
            continue
        at = sentence.find(phrase)
        while at >= 0:
            if at <= start and end <= at + len(phrase):
                return entry
            at = sentence.find(phrase, at + 1)
    return None


def scan(notebook: Notebook) -> tuple[list[Finding], list[Finding], set[tuple[str, str, str]]]:
    """(typed measured numbers, unnamed classic-course mentions, allowlist entries used)."""
    values = _code_values(notebook)
    measured: list[Finding] = []
    classic: list[Finding] = []
    used: set[tuple[str, str, str]] = set()
    for index, cell in enumerate(notebook.read().cells):
        if cell.cell_type != "markdown":
            continue
        for sentence in _sentences(cell.source):
            if _CLASSIC.search(sentence) and not (
                _NAMED.search(sentence) and _COURSE_NUMBER.search(sentence)
            ):
                classic.append(Finding(notebook.name, index, sentence, _CLASSIC.search(sentence).group(0)))
            if sentence.startswith("**Time:**"):
                continue
            for match in _MEASURED.finditer(sentence):
                hit = match.group(0)
                if _NOT_MEASURED_BEFORE.search(sentence[: match.start()]):
                    continue
                if _NOT_MEASURED_AFTER.match(sentence[match.end() :]):
                    continue
                if hit.startswith("\\approx") and _computed_in_math(sentence, match.start()):
                    continue
                if not _APPROXIMATE.match(hit) and _set_by_code(hit, values):
                    continue
                entry = _allowed(notebook.name, sentence, match.start(), match.end())
                if entry is not None:
                    used.add(entry)
                    continue
                measured.append(Finding(notebook.name, index, sentence, hit))
    return measured, classic, used


NOTEBOOKS = discover()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.key)
def test_prose_types_no_measured_number(notebook):
    measured, _, _ = scan(notebook)
    assert not measured, (
        f"{len(measured)} number(s) in the prose of {notebook.key} look measured. Let the code print "
        "them, or say them in words; a number that is not measured goes into ALLOWED in "
        "tests/test_prose.py with its reason:\n" + "\n".join(f"  {f}" for f in measured)
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.key)
def test_classic_course_is_named(notebook):
    _, classic, _ = scan(notebook)
    assert not classic, (
        f"{notebook.key} refers to 'the classic course' without saying which: name the "
        "Deep Learning Specialization and its course number in the same sentence:\n"
        + "\n".join(f"  {f}" for f in classic)
    )


def test_every_allowlist_entry_is_used():
    used = set()
    for notebook in NOTEBOOKS:
        used |= scan(notebook)[2]
    stale = [entry for entry in ALLOWED if entry not in used]
    assert not stale, "entries of ALLOWED that match no sentence any more:\n" + "\n".join(
        f"  {entry}" for entry in stale
    )


def test_the_scanner_finds_typed_figures():
    cases = {
        "A full run reaches 84.5% test accuracy.": "84.5%",
        "It gets 37 of 120 right.": "37 of 120",
        "The gap is 7.4 points.": "7.4 points",
        "The cost ends at about 0.3 after training.": "about 0.3",
        "The difference is 2.8e-16.": "2.8e-16",
        "Training takes 40 s on a laptop.": "40 s",
        "The loss falls to 0.51.": "0.51",
        "The interval is about three points wide.": "about three",
    }
    for sentence, expected in cases.items():
        found = [m.group(0) for m in _MEASURED.finditer(sentence)]
        assert expected in found, (sentence, found)
    for sentence in ["Images of 28×28 pixels, see section 3.2.", "On TensorFlow 2.21 and Keras 3."]:
        hits = [
            m for m in _MEASURED.finditer(sentence) if not _NOT_MEASURED_BEFORE.search(sentence[: m.start()])
        ]
        assert not hits, (sentence, [m.group(0) for m in hits])


if __name__ == "__main__":
    for nb in NOTEBOOKS:
        m, c, _ = scan(nb)
        for f in m + c:
            print(f)
