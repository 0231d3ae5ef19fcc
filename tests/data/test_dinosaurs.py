"""The dinosaur names: the committed list loads, is what the tool promises, and a bad file is named."""

from __future__ import annotations

import shutil

import pytest

from shared_utils import REPO_ROOT
from shared_utils.data import registry
from shared_utils.data.dinosaurs import load_dinosaur_names
from shared_utils.data.registry import DINOSAUR_NAMES, DataError


def test_the_list_is_sorted_unique_lower_case_real_genera():
    names = load_dinosaur_names()
    assert names == sorted(set(names))
    assert all(n.isalpha() and n.islower() for n in names)
    assert len(names) >= 50
    for genus in ("tyrannosaurus", "triceratops", "velociraptor", "iguanodon", "diplodocus"):
        assert genus in names
    for not_a_dinosaur in ("mosasaurus", "plesiosaurus", "pteranodon", "mastodon", "thesaurus"):
        assert not_a_dinosaur not in names


def test_registered_with_its_licence_note():
    assert DINOSAUR_NAMES in registry.committed()
    note = (
        (REPO_ROOT / DINOSAUR_NAMES.path).with_name("dinosaur_names.LICENSE.txt").read_text(encoding="utf-8")
    )
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in note
    assert "Kevin Atkinson" in note and "WTFPL" in note
    assert f"{len(load_dinosaur_names())} real dinosaur names" in note


def test_a_missing_file_names_itself_and_the_commands(tmp_path):
    with pytest.raises(DataError, match="is missing") as info:
        load_dinosaur_names(tmp_path / "dinosaur_names.txt")
    message = str(info.value)
    assert "git checkout -- course5_sequence/data/dinosaur_names.txt" in message
    assert "python tools/derive_dinosaur_names.py" in message


def test_an_edited_file_is_refused(tmp_path):
    copy = tmp_path / "dinosaur_names.txt"
    shutil.copy(REPO_ROOT / DINOSAUR_NAMES.path, copy)
    assert load_dinosaur_names(copy) == load_dinosaur_names()
    copy.write_text(copy.read_text(encoding="utf-8") + "nessie\n", encoding="utf-8")
    with pytest.raises(DataError, match="differs from the committed one"):
        load_dinosaur_names(copy)
