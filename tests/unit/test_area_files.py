"""Area files: YAML and CSV imports, with clear errors naming the bad entry."""

from __future__ import annotations

import pytest

from pipelineos.errors import InvalidInput
from pipelineos.leads.areas import AreaEntry, parse_area_file


def test_yaml_list_of_names_and_of_mappings() -> None:
    """Plain names and {name, kind, aliases} entries both work; a kind not given stays unset."""
    text = "areas:\n  - Plano\n  - name: Dallas\n    aliases: [DFW, Big D]\n  - {name: '75204', kind: zip}\n"
    assert parse_area_file(text, "areas.yaml") == [
        AreaEntry("Plano"), AreaEntry("Dallas", None, ("DFW", "Big D")),
        AreaEntry("75204", "zip")]


def test_csv_with_pipe_separated_aliases() -> None:
    """CSV columns name,kind,aliases; aliases separated by '|'; an empty kind stays unset."""
    text = "name,kind,aliases\nDallas,city,DFW|Big D\nLakewood,neighbourhood,\nPlano,,\n"
    assert parse_area_file(text, "areas.csv") == [
        AreaEntry("Dallas", "city", ("DFW", "Big D")), AreaEntry("Lakewood", "neighbourhood"),
        AreaEntry("Plano")]


@pytest.mark.parametrize(("text", "name", "message"), [
    ("- name: Dallas\n  kind: planet\n", "a.yaml", "entry 1: area kind must be one of"),
    ("areas: [: bad", "a.yaml", "not valid YAML"),
    ("city\nDallas\n", "a.csv", "header row with at least a 'name' column"),
    ("Dallas", "a.txt", "area files are .yaml, .yml or .csv"),
])
def test_bad_files_say_what_is_wrong(text: str, name: str, message: str) -> None:
    """Each kind of bad file gets its own message."""
    with pytest.raises(InvalidInput, match=message):
        parse_area_file(text, name)
