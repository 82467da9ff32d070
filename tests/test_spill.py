"""Pages held in a temporary file until written (generator.spill)."""

import pickle

from generator import pages
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
    original = outputs()
    assert spill.size == sum(len(o.packed_body if isinstance(o, pages.GeneratedPage) else o.packed) for o in original)


def test_a_held_page_pickles_as_its_bytes():
    spill = Spill()
    page = pages.GeneratedPage.of("a/index.md", "A", "", "<p>a</p>").held_in(spill)
    copy = pickle.loads(pickle.dumps(page))
    assert isinstance(copy.packed_body, bytes)
    assert copy.body == "<p>a</p>"


def test_held_bytes_stay_readable_after_more_are_added():
    spill = Spill()
    first = spill.hold(b"first")
    second = spill.hold(b"second, longer")
    assert bytes(first) == b"first"  # read before and after later writes
    third = spill.hold(b"")
    assert (bytes(second), bytes(first), bytes(third)) == (b"second, longer", b"first", b"")
    assert len(second) == 14 and spill.size == 19
