#!/usr/bin/env python3
"""Derive course 5's list of real dinosaur genus names from WordNet, SCOWL and an npm list.

Sources (two Debian packages, read as installed, and one npm package archive):

* npm ``dinosaurs`` 1.2.1 (WTFPL, by Jason Denizac): ``package/dinosaurs.csv``, 1,324 lower-case
  dinosaur names (1,318 distinct) taken from the A-Z index of dinodictionary.com. The archive
  is fetched with ``npm pack`` by :func:`shared_utils.data.download.archive`, its pinned size
  and SHA-256 checked before it is opened, and the member's SHA-256 checked after; nothing in
  it runs. Every distinct name is kept (all are plain a-z words).

* ``wordnet-base`` (WordNet 3.0, Princeton University, WordNet 3.0 licence):
  ``/usr/share/wordnet/data.noun`` is parsed directly.  Every synset below ``dinosaur``
  (transitively, through WordNet's hyponym pointers) is visited; a name is kept when it is
  a genus: a lemma (``genus_X`` read as ``X``, or a single word such as ``Titanosaurus``) of a
  member holonym of one of those synsets that names no higher rank (no ``family_``,
  ``order_``, ``suborder_`` ... lemma), or a single-word lemma of a synset with no hyponyms
  that is capitalised or ends in a genus ending of :data:`ENDINGS` (``protoceratops``,
  ``coelophysis``, ``Edmontonia``).  Common nouns of groups (``maniraptor``, ``theropod``)
  and the groups themselves (``Carnosaura``, ``family_Hadrosauridae``) are left out.
* ``wamerican-insane`` (SCOWL's largest American list, Kevin Atkinson et al., SCOWL's
  permissive licence): every word ending in one of :data:`ENDINGS` is a candidate (267 of the
  2020.12.07 list), but the endings also catch fishes, mammals, anatomy and ordinary words
  (``Carcharodon``, ``mastodon``, ``hypophysis``, ``thesaurus``), and no rule on the spelling
  tells a dinosaur from a plesiosaur.  A candidate is therefore kept only when it is in
  :data:`REVIEWED_DINOSAURS`, the table below of the candidates that are the genus names
  of dinosaurs, valid or historical (a junior synonym), each with what it is; spelling
  variants of a name already kept are left out.  The other candidates are left out and
  counted; ``--rejected`` prints them.  Non-dinosaurs are never added to pad the list:
  marine reptiles, pterosaurs, pelycosaurs and other prehistoric animals are left out.

All names are lower-cased and written one per line, sorted, to
``course5_sequence/data/dinosaur_names.txt`` (no header: the loader reads every line);
``course5_sequence/data/dinosaur_names.LICENSE.txt`` records the sources, the rule, the
counts and both licences.  The script prints the names file's sha256, which
``shared_utils/data/registry.py`` records.

    apt-get install wordnet-base wamerican-insane
    python tools/derive_dinosaur_names.py
    python tools/derive_dinosaur_names.py --rejected   # also list the candidates left out
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared_utils.common.files import atomic_write  # noqa: E402
from shared_utils.data import download  # noqa: E402
from shared_utils.data.catalog import Asset  # noqa: E402
from shared_utils.data.registry import file_sha256, sha256  # noqa: E402

WORDNET = Path("/usr/share/wordnet/data.noun")
SCOWL = Path("/usr/share/dict/american-english-insane")
WORDNET_COPYRIGHT = Path("/usr/share/doc/wordnet-base/copyright")
SCOWL_COPYRIGHT = Path("/usr/share/doc/wamerican-insane/copyright")
OUT = Path(__file__).resolve().parent.parent / "course5_sequence" / "data"
NAMES = OUT / "dinosaur_names.txt"
NOTE = OUT / "dinosaur_names.LICENSE.txt"

NPM_LIST = Asset(
    name="dinosaurs.csv",
    source="npm",
    package="dinosaurs",
    version="1.2.1",
    archive="dinosaurs-1.2.1.tgz",
    archive_sha256="a9c8399dbbd767d57789ac9553c884e82c1a311a83d94912d44fc16d808ab31f",
    archive_size=8_574,
    member="package/dinosaurs.csv",
    sha256="01b13929f8ab736388ee2a28df07d7f681ac137a0995c7a15a33393fbb60d134",
    size=16_960,
    licence="WTFPL (package.json of dinosaurs 1.2.1)",
    description="a list of common dinosaur names, from dinodictionary.com's A-Z index",
)

ENDINGS = (
    "saurus",
    "saura",
    "raptor",
    "ceratops",
    "mimus",
    "nychus",
    "gnathus",
    "docus",
    "odon",
    "titan",
    "suchus",
    "venator",
    "pelta",
    "physis",
    "cheirus",
    "pteryx",
    "lophus",
)
RANKS = ("genus_", "family_", "subfamily_", "order_", "suborder_", "infraorder_", "superfamily_")

# The candidates of the SCOWL list that are dinosaur genera, with what each is.
REVIEWED_DINOSAURS = {
    "allosaurus": "theropod, Late Jurassic",
    "anatosaurus": "hadrosaur; junior synonym of Edmontosaurus",
    "anatotitan": "hadrosaur, Late Cretaceous",
    "anchisaurus": "sauropodomorph, Early Jurassic",
    "ankylosaurus": "ankylosaur, Late Cretaceous",
    "apatosaurus": "sauropod, Late Jurassic",
    "archaeopteryx": "avialan theropod, Late Jurassic",
    "atlantosaurus": "sauropod; historical name, dubious",
    "barosaurus": "sauropod, Late Jurassic",
    "brachiosaurus": "sauropod, Late Jurassic",
    "brontosaurus": "sauropod, Late Jurassic",
    "camarasaurus": "sauropod, Late Jurassic",
    "ceratosaurus": "theropod, Late Jurassic",
    "cetiosaurus": "sauropod, Middle Jurassic",
    "claosaurus": "hadrosauroid, Late Cretaceous",
    "coelophysis": "theropod, Late Triassic",
    "compsognathus": "theropod, Late Jurassic",
    "corythosaurus": "hadrosaur, Late Cretaceous",
    "deinocheirus": "ornithomimosaur, Late Cretaceous",
    "deinodon": "tyrannosaurid known from teeth; dubious",
    "deinonychus": "dromaeosaurid theropod, Early Cretaceous",
    "diplodocus": "sauropod, Late Jurassic",
    "edmontosaurus": "hadrosaur, Late Cretaceous",
    "eoraptor": "early saurischian, Late Triassic",
    "gigantosaurus": "sauropod, Late Jurassic (Seeley's genus)",
    "gorgosaurus": "tyrannosaurid, Late Cretaceous",
    "griphosaurus": "junior synonym of Archaeopteryx",
    "hadrosaurus": "hadrosaur, Late Cretaceous",
    "herrerasaurus": "early saurischian, Late Triassic",
    "hylaeosaurus": "ankylosaur, Early Cretaceous",
    "hypsilophodon": "ornithopod, Early Cretaceous",
    "iguanodon": "ornithopod, Early Cretaceous",
    "labrosaurus": "theropod; junior synonym of Allosaurus",
    "megalosaurus": "theropod, Middle Jurassic",
    "morosaurus": "sauropod; junior synonym of Camarasaurus",
    "ornithomimus": "ornithomimosaur, Late Cretaceous",
    "oviraptor": "oviraptorosaur, Late Cretaceous",
    "pachycephalosaurus": "pachycephalosaur, Late Cretaceous",
    "pisanosaurus": "early ornithischian, Late Triassic",
    "protoceratops": "ceratopsian, Late Cretaceous",
    "psittacosaurus": "ceratopsian, Early Cretaceous",
    "scelidosaurus": "thyreophoran, Early Jurassic",
    "seismosaurus": "sauropod; junior synonym of Diplodocus",
    "staurikosaurus": "early saurischian, Late Triassic",
    "stegosaurus": "stegosaur, Late Jurassic",
    "struthiomimus": "ornithomimosaur, Late Cretaceous",
    "styracosaurus": "ceratopsian, Late Cretaceous",
    "titanosaurus": "sauropod, Late Cretaceous",
    "torosaurus": "ceratopsian, Late Cretaceous",
    "trachodon": "hadrosaur known from teeth; dubious",
    "triceratops": "ceratopsian, Late Cretaceous",
    "tyrannosaurus": "tyrannosaurid, Late Cretaceous",
    "utahraptor": "dromaeosaurid theropod, Early Cretaceous",
    "velociraptor": "dromaeosaurid theropod, Late Cretaceous",
}


def _ends_like_a_genus(word: str) -> bool:
    return word.isalpha() and word.lower().endswith(ENDINGS)


def wordnet_synsets(path: Path = WORDNET) -> dict[str, tuple[list[str], list[tuple[str, str]]]]:
    """offset -> (lemmas, [(pointer symbol, target offset)]) of every noun synset of data.noun."""
    synsets = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):  # the licence header
                continue
            fields = line.partition(" | ")[0].split()
            n_words = int(fields[3], 16)
            lemmas = [fields[4 + 2 * i] for i in range(n_words)]
            i = 4 + 2 * n_words
            pointers = []
            for _ in range(int(fields[i])):
                symbol, target, pos = fields[i + 1], fields[i + 2], fields[i + 3]
                if pos == "n":
                    pointers.append((symbol, target))
                i += 4
            synsets[fields[0]] = (lemmas, pointers)
    return synsets


def wordnet_genera(path: Path = WORDNET) -> set[str]:
    """The dinosaur genus names of WordNet (the rule of the module docstring), lower-cased."""
    synsets = wordnet_synsets(path)
    (root,) = [o for o, (lemmas, _) in synsets.items() if "dinosaur" in lemmas]
    below, stack = set(), [root]
    while stack:
        offset = stack.pop()
        if offset not in below:
            below.add(offset)
            stack += [t for s, t in synsets[offset][1] if s in ("~", "~i")]  # hyponyms
    names = set()
    for offset in below - {root}:
        lemmas, pointers = synsets[offset]
        if not any(s in ("~", "~i") for s, _ in pointers):  # a leaf: one kind of dinosaur, not a group
            names.update(w for w in lemmas if w.isalpha() and (w[:1].isupper() or _ends_like_a_genus(w)))
        for symbol, target in pointers:
            if symbol != "#m":  # member holonym: the genus (or group) this synset belongs to
                continue
            holonym = synsets[target][0]
            if not any(lemma.startswith(RANKS[1:]) for lemma in holonym):  # a genus, not a family
                names.update(
                    lemma.removeprefix("genus_")
                    for lemma in holonym
                    if lemma.isalpha() or lemma.startswith("genus_")
                )
    return {n.lower() for n in names}


def scowl_candidates(path: Path = SCOWL) -> set[str]:
    """Every word of the SCOWL list ending in a genus ending, lower-cased."""
    with open(path, encoding="utf-8") as f:
        return {w.strip().lower() for w in f if _ends_like_a_genus(w.strip())}


def npm_names(folder: Path) -> set[str]:
    """The distinct names of the npm list, its archive and member checked against their SHA-256."""
    import tarfile

    path = download.archive(NPM_LIST, folder)
    with tarfile.open(path, "r:gz") as tar:
        data = tar.extractfile(NPM_LIST.member).read()
    if sha256(data) != NPM_LIST.sha256 or len(data) != NPM_LIST.size:
        raise SystemExit(f"{NPM_LIST.member} in {NPM_LIST.archive} differs from the one this script pins")
    return {line.strip() for line in data.decode("utf-8").splitlines() if line.strip()}


def derive() -> tuple[list[str], dict[str, int], list[str]]:
    """The sorted names, counts by source, and the SCOWL candidates left out."""
    import tempfile

    for p in (WORDNET, SCOWL):
        if not p.is_file():
            raise SystemExit(f"{p} is missing: apt-get install wordnet-base wamerican-insane")
    wordnet = wordnet_genera()
    candidates = scowl_candidates()
    missing = sorted(set(REVIEWED_DINOSAURS) - candidates)
    if missing:
        raise SystemExit(f"the reviewed names {missing} are not in {SCOWL}: review the table again")
    scowl = set(REVIEWED_DINOSAURS)
    with tempfile.TemporaryDirectory() as folder:
        npm = npm_names(Path(folder))
    names = sorted(wordnet | scowl | npm)
    bad = [n for n in names if not re.fullmatch(r"[a-z]+", n)]
    if bad:
        raise SystemExit(f"names with characters other than a-z: {bad}")
    counts = {
        "wordnet": len(wordnet),
        "scowl_candidates": len(candidates),
        "scowl_kept": len(scowl),
        "both": len(wordnet & scowl),
        "npm": len(npm),
        "npm_new": len(npm - wordnet - scowl),
        "total": len(names),
    }
    return names, counts, sorted(candidates - scowl - wordnet)


def _note(counts: dict[str, int]) -> str:
    endings = ", ".join("-" + e for e in ENDINGS)
    total = counts["total"]
    return f"""dinosaur_names.txt: {total} real dinosaur names, one lower-case name per line, sorted.
Derived by tools/derive_dinosaur_names.py from an npm package and two Debian packages:

* npm dinosaurs 1.2.1 (licence WTFPL, by Jason Denizac; package/dinosaurs.csv, taken from the
  A-Z index of dinodictionary.com): {counts["npm"]} distinct names, {counts["npm_new"]} of them in
  neither Debian source.

* wordnet-base (WordNet 3.0): {counts["wordnet"]} genus names below the synset "dinosaur" in
  data.noun (member holonyms genus_X, and lemmas with a genus ending).
* wamerican-insane (SCOWL, 2020.12.07): of the {counts["scowl_candidates"]} words ending in {endings},
  {counts["scowl_kept"]} are dinosaur genera (valid or historical names), kept by the reviewed table in
  the script; fishes, mammals, marine reptiles, pterosaurs, anatomy and ordinary words are left out.
  {counts["both"]} names are in both sources.

The three sources together hold {counts["total"]} names.

----------------------------------------------------------------------------------------------
WordNet 3.0 licence (from {WORDNET_COPYRIGHT}):

{_licence_text(WORDNET_COPYRIGHT, "License: WordNet3.0", "Files: debian/*")}
----------------------------------------------------------------------------------------------
SCOWL copyright and permission notice (from {SCOWL_COPYRIGHT}):

{_licence_text(SCOWL_COPYRIGHT, "The collective work is Copyright", "Alan Beale")}
"""


def _licence_text(path: Path, start: str, stop: str) -> str:
    """The lines of ``path`` from the one starting with ``start`` to before the one with ``stop``."""
    text = path.read_text(encoding="utf-8")
    body = text[text.index(start) : text.index(stop)]
    return "\n".join(line[1:] if line.startswith(" ") else line for line in body.splitlines()).strip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rejected", action="store_true", help="list the SCOWL candidates left out")
    args = parser.parse_args()
    names, counts, rejected = derive()
    OUT.mkdir(parents=True, exist_ok=True)
    atomic_write(NAMES, "".join(n + "\n" for n in names))
    atomic_write(NOTE, _note(counts))
    print(f"{counts['total']} names -> {NAMES}")
    print(
        f"  WordNet {counts['wordnet']}, SCOWL {counts['scowl_kept']} "
        f"of {counts['scowl_candidates']} candidates, npm {counts['npm']} ({counts['npm_new']} new)"
    )
    print(f"sha256 {file_sha256(NAMES)}")
    if args.rejected:
        print("left out:", " ".join(rejected))


if __name__ == "__main__":
    main()
