"""``perfsite boundaries fetch`` against a local HTTP server: a good file, one cut short, bad content."""

from __future__ import annotations

import http.server
import json
import re
import threading
import time
from pathlib import Path

import pytest

from conftest import make_project, run_perfsite, write_topology

PREVIOUS = b'{"the previous file": "must survive a failed fetch"}'


@pytest.fixture(scope="module")
def server(boundaries_file):
    content = boundaries_file.read_bytes()
    without_cty = json.loads(content)
    del without_cty["objects"]["cty"]
    no_areas = json.loads(content)
    no_areas["objects"]["ltla"]["geometries"] = []
    bodies = {
        "/topo.json": content, "/invalid.json": json.dumps(without_cty).encode(), "/page.html": b"<html>Moved</html>",
        "/no-areas.json": json.dumps(no_areas).encode(),
        "/nan.json": content.replace(b'"arcs":[[', b'"arcs":[[[NaN,NaN],', 1),
        "/deep.json": b"[" * 200_000 + b"]" * 200_000,
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/trickle.json":
                # promise the whole file, then send a byte every tenth of a second
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                try:
                    for byte in content[:100]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:
                    pass
                self.close_connection = True
                return
            if self.path == "/cut-short.json":
                # promise the whole file, send half of it, hang up
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content[: len(content) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            body = bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, target: Path | None, cwd: Path, *extra: str, env: dict | None = None):
    target_args = ("--boundaries", str(target)) if target else ()
    return run_perfsite("boundaries", "fetch", "--url", url, *extra, *target_args, cwd=cwd, env={"PERFSITE_BOUNDARIES": None, **(env or {})})


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".download"))


def test_fetch_saves_a_checked_file_with_progress(server, boundaries_file, tmp_path):
    target = tmp_path / "new" / "topo.json"
    result = fetch(f"{server}/topo.json", target, tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == boundaries_file.read_bytes()
    assert "downloading boundaries: 100% (688 of 688 KB)" in result.stderr
    assert "downloading boundaries:   0%" in result.stderr
    # the reference README's counts of areas, all UK and all years
    assert "705,102 bytes; ltla: 407 areas, cty: 27 areas" in result.stdout
    assert leftovers(target.parent) == []


def test_a_download_cut_short_leaves_the_previous_file(server, tmp_path):
    target = tmp_path / "topo.json"
    target.write_bytes(PREVIOUS)
    result = fetch(f"{server}/cut-short.json", target, tmp_path)
    assert result.returncode == 1
    assert "the connection closed after 352,551 of 705,102 bytes" in result.stderr
    assert "any previous file is unchanged" in result.stderr
    assert target.read_bytes() == PREVIOUS
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/invalid.json", "/invalid.json: objects.cty: missing (expected a GeometryCollection of council areas)"),
        ("/page.html", "/page.html: not valid JSON"),
        ("/gone.json", "/gone.json: the server answered 404 Not Found (expected 200 and the file)"),
        ("/no-areas.json", "/no-areas.json: objects.ltla: has no areas (expected the council areas of England)"),
        ("/nan.json", "/nan.json: holds NaN (expected finite numbers for coordinates)"),
        ("/deep.json", "/deep.json: nests too deeply to be read (expected the ONS TopoJSON file, a few levels deep)"),
    ],
)
def test_unusable_content_is_refused_and_the_previous_file_kept(server, tmp_path, path, message):
    target = tmp_path / "topo.json"
    target.write_bytes(PREVIOUS)
    result = fetch(f"{server}{path}", target, tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert target.read_bytes() == PREVIOUS
    assert leftovers(tmp_path) == []


def test_a_download_that_trickles_stops_at_the_deadline(server, tmp_path):
    target = tmp_path / "topo.json"
    target.write_bytes(PREVIOUS)
    result = fetch(f"{server}/trickle.json", target, tmp_path, "--deadline", "1")
    assert result.returncode == 1
    assert re.search(r"/trickle\.json: the download did not finish within 1 s \([0-9]+ bytes so far\)", result.stderr), result.stderr
    assert target.read_bytes() == PREVIOUS
    assert leftovers(tmp_path) == []


def test_without_a_path_fetch_stores_where_the_configuration_points(server, boundaries_file, tmp_path):
    make_project(tmp_path, {"boundaries": "maps/topo.json"})
    result = fetch(f"{server}/topo.json", None, tmp_path, "--config", str(tmp_path / "mkdocs.yml"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "maps" / "topo.json").read_bytes() == boundaries_file.read_bytes()
    result = fetch(f"{server}/topo.json", None, tmp_path, "--config", str(tmp_path / "mkdocs.yml"),
                   env={"PERFSITE_BOUNDARIES": str(tmp_path / "from-env.json")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env.json").is_file()


def test_a_fetched_file_draws_the_map(server, tmp_path):
    data_council = tmp_path / "data" / "councils" / "redditch.yaml"
    data_council.parent.mkdir(parents=True)
    data_council.write_text("name: Redditch Borough Council\ncode: E07000236\ntype: district\nyears:\n  2023-24: {investigations: 2, upheld: 1}\n")
    make_project(tmp_path)
    assert fetch(f"{server}/topo.json", None, tmp_path, "--config", str(tmp_path / "mkdocs.yml")).returncode == 0
    assert (tmp_path / "boundaries" / "topo.json").is_file()  # the default place, beside mkdocs.yml
    result = run_perfsite("build", "--config", str(tmp_path / "mkdocs.yml"), "--out", str(tmp_path / "out"), cwd=tmp_path,
                          env={"PERFSITE_BOUNDARIES": None})
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "out" / "map" / "index.html").read_text(encoding="utf-8")
    assert '"c":"E07000236"' in source
    # the other English areas in force in 2023 (296 lower tier + 21 counties - Redditch) have no
    # council in this data: reported, not fatal
    assert "316 areas in force in boundary-year 2023 have no council in the data" in result.stderr


def test_write_topology_helper_is_a_valid_boundary_file(tmp_path):
    from generator.boundaries import load_boundaries
    path = write_topology(tmp_path / "t.json", [{"layer": "cty", "code": "E10000001", "name": "Shire", "cell": (0, 0)}])
    assert [area.code for area in load_boundaries(path).areas["cty"]] == ["E10000001"]
