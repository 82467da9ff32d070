"""Pages held in a temporary file until written (generator.spill)."""

import os
import pickle

import pytest

from generator import pages
from generator.parallel import Forked
from generator.spill import Held, Spill


def outputs():
    return [
        pages.GeneratedPage.of("councils/a/index.md", "Council A", "Its figures", "<p>Upheld: 70%</p>" * 50),
        pages.GeneratedPage.of("councils/b/index.md", "Council B", "Its figures", "<p>Upheld: 55%</p>"),
        pages.GeneratedFile("data/all.csv", "council,upheld\na,70\nb,55\n"),
        pages.GeneratedFile.from_pieces("data/all.json", ['{"a": 70,', ' "b": 55}']),
        pages.GeneratedFile("badge.png", b"\x89PNG\r\n\x1a\n\x00\xff"),
    ]


def files_under(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_held_pages_are_written_and_read_back_as_the_same_bytes(tmp_path):
    spill = Spill()
    held = pages.write_pages(outputs(), tmp_path / "held", spill=spill)
    pages.write_pages(outputs(), tmp_path / "in-memory")

    assert files_under(tmp_path / "held") == files_under(tmp_path / "in-memory")
    assert all(isinstance(output.packed_body if isinstance(output, pages.GeneratedPage) else output.packed, Held) for output in held.values())
    assert held["councils/a/index.md"].body == "<p>Upheld: 70%</p>" * 50
    assert held["councils/a/index.md"].title == "Council A"
    assert held["data/all.json"].content == '{"a": 70, "b": 55}'
    assert held["badge.png"].data() == b"\x89PNG\r\n\x1a\n\x00\xff"
    assert spill.size == sum(len(output.packed_body if isinstance(output, pages.GeneratedPage) else output.packed) for output in outputs())


def test_held_bytes_cannot_be_pickled_to_just_any_process():
    page = pages.GeneratedPage.of("a/index.md", "A", "", "<p>a</p>").held_in(Spill())
    with pytest.raises(TypeError, match="forked"):
        pickle.dumps(page)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_process_hands_over_held_pages_by_reference():
    """What a second process holds in a spill made before the fork comes through the pipe as
    where it is in the file; this process reads the bytes from there."""
    spill = Spill()

    def work():
        made = [pages.GeneratedPage.of(f"c{n}/index.md", f"C{n}", "", f"<p>{n}</p>" * 1000).held_in(spill) for n in range(3)]
        spill.flush()
        return made

    succeeded, made = Forked(work, shared=[spill]).result()
    assert succeeded
    assert [page.body for page in made] == [f"<p>{n}</p>" * 1000 for n in range(3)]
    assert all(page.packed_body.spill is spill for page in made)
    assert spill.size == sum(len(page.packed_body) for page in made)
    assert made[0].held_in(Spill()) is made[0]  # held already: not copied again


def test_held_bytes_stay_readable_after_more_are_added():
    spill = Spill()
    first = spill.hold(b"first")
    second = spill.hold(b"second, longer")
    assert bytes(first) == b"first"  # read before and after later writes
    third = spill.hold(b"")
    assert (bytes(second), bytes(first), bytes(third)) == (b"second, longer", b"first", b"")
    assert len(second) == 14 and spill.size == 19
