"""Seeded dates written the way people write them, with their ISO form (course 5, notebooks 7 and 8).

``make_dates(n, seed)`` draws ``n`` calendar days with Faker (seeded) and writes each in one of
:data:`FORMATS`: a locale and a CLDR pattern that babel formats (``"full"``, ``"long"``,
``"medium"``, ``"short"`` or an explicit pattern such as ``"EEE d MMM y"``), lower-cased, every
space made a plain space. The target is the ISO form ``YYYY-MM-DD``::

    >>> make_dates(2, seed=0)[0]                    # doctest: +SKIP
    ('samedi 10 juin 2034', '2034-06-10')

The formats were chosen so that no written date means two days: numeric formats are either
month first with a two-digit year and no leading zeros (en_US ``9/24/21``) or day first with a
four-digit year or dots (``24/09/2021``, ``24.09.21``, ``24-09-2021``); the day-first
two-digit forms with slashes (es_ES, it_IT ``24/09/21``) are left out, since ``12/11/21``
would then read two ways. Two-digit years are unambiguous because the days are drawn from
:data:`START` to :data:`END` (1950-2049): ``50``-``99`` are 19xx, ``00``-``49`` 20xx.

Models read fixed-length sequences of indices: :func:`human_vocabulary` (every character the
formats can write, plus ``<pad>`` and ``<unk>``), :func:`machine_vocabulary` (the digits and
``-``), :func:`encode` and :func:`decode`. A text the generator never writes (longer than the
input length, or with characters outside the vocabulary) raises ``ValueError`` naming what is
wrong, unless ``unknown="unk"`` asks for such characters to be read as ``<unk>``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

TX = 30  # the longest written date (German "full" with a 10-letter weekday) is 30 characters
TY = 10  # YYYY-MM-DD
START, END = dt.date(1950, 1, 1), dt.date(2049, 12, 31)
PAD, UNK = "<pad>", "<unk>"

# (locale, babel pattern): each written date uses one, drawn uniformly
FORMATS: tuple[tuple[str, str], ...] = (
    ("en_US", "full"),  # friday, september 24, 2021
    ("en_US", "long"),  # september 24, 2021
    ("en_US", "medium"),  # sep 24, 2021
    ("en_US", "short"),  # 9/24/21
    ("en_US", "EEE d MMM y"),  # fri 24 sep 2021
    ("en_US", "MMMM d y"),  # september 24 2021
    ("en_GB", "full"),  # friday, 24 september 2021
    ("en_GB", "long"),  # 24 september 2021
    ("en_GB", "medium"),  # 24 sept 2021
    ("en_GB", "short"),  # 24/09/2021
    ("en_GB", "d MMMM yy"),  # 24 september 21
    ("fr_FR", "full"),  # vendredi 24 septembre 2021
    ("fr_FR", "long"),  # 24 septembre 2021
    ("fr_FR", "medium"),  # 24 sept. 2021
    ("de_DE", "full"),  # freitag, 24. september 2021
    ("de_DE", "long"),  # 24. september 2021
    ("de_DE", "medium"),  # 24.09.2021
    ("de_DE", "short"),  # 24.09.21
    ("es_ES", "long"),  # 24 de septiembre de 2021
    ("es_ES", "medium"),  # 24 sept 2021
    ("it_IT", "full"),  # venerdì 24 settembre 2021
    ("it_IT", "long"),  # 24 settembre 2021
    ("it_IT", "medium"),  # 24 set 2021
    ("nl_NL", "long"),  # 24 september 2021
    ("nl_NL", "short"),  # 24-09-2021
    ("pt_PT", "long"),  # 24 de setembro de 2021
)

_SPACES = re.compile(r"\s+")


@cache
def _locale(name: str):
    from babel import Locale

    return Locale.parse(name)


def write_date(day: dt.date, locale: str, pattern: str) -> str:
    """``day`` written in ``locale`` with the babel ``pattern``, lower-cased, plain single spaces."""
    from babel.dates import format_date

    return _SPACES.sub(" ", format_date(day, pattern, locale=_locale(locale))).strip().lower()


def _check_formats(formats: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    formats = tuple(tuple(f) for f in formats)
    if not formats:
        raise ValueError("formats is empty: give at least one (locale, pattern) pair, e.g. dates.FORMATS[:4]")
    for f in formats:
        if len(f) != 2 or not all(isinstance(x, str) for x in f):
            raise ValueError(f"each format is a (locale, pattern) pair of strings, got {f!r}")
    return formats  # type: ignore[return-value]


def make_dates(
    n: int,
    seed: int = 0,
    *,
    formats: Sequence[tuple[str, str]] = FORMATS,
    start: dt.date = START,
    end: dt.date = END,
    exclude: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """``n`` pairs (written date, ISO date), drawn with Faker seeded by ``seed``.

    Each day is uniform between ``start`` and ``end`` (both included), each format uniform over
    ``formats``. ``exclude``: written dates not to produce (e.g. a training set's, to draw a
    held-out set that shares none of them). The same arguments always give the same pairs.
    """
    from faker import Faker

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n is the number of dates to make, a whole number >= 0; got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)) or start > end:
        raise ValueError(f"start and end must be dates with start <= end, got {start!r} and {end!r}")
    formats = _check_formats(formats)
    excluded = set(exclude)
    fake = Faker()
    fake.seed_instance(int(seed))
    pairs: list[tuple[str, str]] = []
    tries = 0
    while len(pairs) < n:
        tries += 1
        if tries > 20 * n + 1000:
            raise ValueError(
                f"could only make {len(pairs)} of {n} dates outside `exclude`: widen start/end or add formats"
            )
        day = fake.date_between_dates(start, end)
        locale, pattern = formats[fake.random_int(0, len(formats) - 1)]
        human = write_date(day, locale, pattern)
        if human in excluded:
            continue
        pairs.append((human, day.isoformat()))
    return pairs


@dataclass(frozen=True)
class Vocabulary:
    """Symbols and their indices: ``tokens[i]`` is the symbol of index ``i``."""

    tokens: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def index(self) -> dict[str, int]:
        return _index(self.tokens)

    def __contains__(self, symbol: str) -> bool:
        return symbol in self.index


@cache
def _index(tokens: tuple[str, ...]) -> dict[str, int]:
    return {t: i for i, t in enumerate(tokens)}


@cache
def human_vocabulary(formats: tuple[tuple[str, str], ...] = FORMATS) -> Vocabulary:
    """``<pad>`` (index 0), ``<unk>`` (1), then every character ``formats`` can write, sorted.

    Found by writing, in every format, every day of 2021 (every month and weekday name) and
    the digits: the same formats always give the same vocabulary.
    """
    formats = _check_formats(formats)
    chars = set("0123456789")
    day = dt.date(2021, 1, 1)
    while day.year == 2021:
        for locale, pattern in formats:
            chars.update(write_date(day, locale, pattern))
        day += dt.timedelta(days=1)
    return Vocabulary((PAD, UNK, *sorted(chars)))


@cache
def machine_vocabulary() -> Vocabulary:
    """The symbols of an ISO date: ``-`` (index 0) and the digits 0-9 (indices 1-10)."""
    return Vocabulary(tuple("-0123456789"))


def encode(
    texts: str | Sequence[str], vocab: Vocabulary, length: int, *, unknown: str = "error"
) -> np.ndarray:
    """Indices of ``texts`` in ``vocab``, padded with ``<pad>`` to ``length``: (m, length) int32.

    One string gives shape ``(length,)``. A text longer than ``length`` raises ``ValueError``;
    a character outside ``vocab`` raises ``ValueError`` naming it, or with ``unknown="unk"``
    is read as ``<unk>`` (a vocabulary without ``<unk>`` always raises). Texts are used as
    given: lower-case them first for :func:`human_vocabulary`.
    """
    if unknown not in ("error", "unk"):
        raise ValueError(f'unknown must be "error" or "unk", got {unknown!r}')
    single = isinstance(texts, str)
    items = [texts] if single else list(texts)
    index = vocab.index
    pad = index.get(PAD)
    out = np.zeros((len(items), length), dtype=np.int32)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise ValueError(f"text {i} is {type(text).__name__} {text!r}; expected a string")
        if len(text) > length:
            raise ValueError(
                f"{text!r} has {len(text)} characters, more than the {length} the model reads: "
                f"shorten it (the generator's longest date has {TX} characters)"
            )
        if len(text) < length and pad is None:
            raise ValueError(
                f"{text!r} has {len(text)} characters, fewer than {length}, and the vocabulary has no {PAD}"
            )
        missing = sorted({c for c in text if c not in index})
        if missing and (unknown == "error" or UNK not in index):
            raise ValueError(
                f"{text!r} holds character(s) {''.join(missing)!r} outside the vocabulary: write the "
                'date with the letters, digits and signs of the generator\'s formats, or pass unknown="unk" '
                f"to read them as {UNK}"
            )
        row = [index.get(c, index.get(UNK, 0)) for c in text]
        out[i] = row + [pad] * (length - len(row)) if pad is not None else row
    return out[0] if single else out


def decode(indices: np.ndarray | Sequence[int], vocab: Vocabulary) -> str | list[str]:
    """The text of a row of indices (``<pad>`` dropped), or a list of texts for a 2-D array."""
    arr = np.asarray(indices)
    if arr.ndim not in (1, 2) or arr.dtype.kind not in "iu":
        raise ValueError(
            f"indices must be a 1-D or 2-D array of integers, got {arr.dtype} of shape {arr.shape}"
        )
    if arr.size and (arr.min() < 0 or arr.max() >= len(vocab)):
        raise ValueError(
            f"indices must lie in [0, {len(vocab)}), the vocabulary's size; got {arr.min()}..{arr.max()}"
        )
    if arr.ndim == 2:
        return [decode(row, vocab) for row in arr]  # type: ignore[misc]
    return "".join(vocab.tokens[i] for i in arr if vocab.tokens[i] != PAD)


def one_hot(indices: np.ndarray, size: int) -> np.ndarray:
    """One-hot float32 vectors of ``indices``: shape ``indices.shape + (size,)``."""
    arr = np.asarray(indices)
    return np.eye(size, dtype=np.float32)[arr]


def dataset(pairs: Sequence[tuple[str, str]], tx: int = TX, ty: int = TY):
    """``pairs`` as arrays: X (m, tx) and Y (m, ty) indices, Xoh (m, tx, |human|), Yoh (m, ty, |machine|)."""
    human, machine = human_vocabulary(), machine_vocabulary()
    X = encode([h for h, _ in pairs], human, tx)
    Y = encode([m for _, m in pairs], machine, ty)
    return X, Y, one_hot(X, len(human)), one_hot(Y, len(machine))


def make_splits(
    n_train: int, n_test: int, seed: int = 0
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A training set and a held-out set that shares none of its written dates.

    The training set is ``make_dates(n_train, seed)`` (so a smaller ``n_train`` gives its first
    pairs); the held-out set is drawn with seed ``seed + 1`` and excludes the training set's
    written dates, so a model is measured on dates it never read.
    """
    train = make_dates(n_train, seed)
    test = make_dates(n_test, seed + 1, exclude={h for h, _ in train})
    return train, test
