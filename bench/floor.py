"""The floor: render prepared page contents with plain Jinja2 straight to HTML files.

``python floor.py INPUT.json OUT_DIR``. No Markdown, no MkDocs, no data checking: only what any
static site build must do at least, rendering a layout and a body per page and writing the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jinja2

LAYOUT = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ page.title }} · Council complaint figures</title>
<link rel="stylesheet" href="{{ root }}assets/site.css"></head>
<body>
<header><a href="{{ root }}">Council complaint figures</a>
<nav aria-label="Main"><ul>{% for item in nav %}<li><a href="{{ root }}">{{ item }}</a></li>{% endfor %}</ul></nav></header>
<main id="main">
{%- for block in page.blocks %}
{%- if block.kind in ("h1", "h2") %}
<{{ block.kind }}>{{ block.text }}</{{ block.kind }}>
{%- elif block.kind == "p" %}
<p>{{ block.text }}</p>
{%- elif block.kind == "ul" %}
<ul>{% for item in block["items"] %}<li>{% if block.links %}<a href="{{ block.links[loop.index0] }}">{{ item }}</a>{% else %}{{ item }}{% endif %}</li>{% endfor %}</ul>
{%- elif block.kind == "table" %}
<table><caption>{{ block.caption }}</caption>
<thead><tr>{% for cell in block.header %}<th scope="col">{{ cell }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in block.rows %}
<tr><th scope="row">{% if block.links %}<a href="{{ block.links[loop.index0] }}">{{ row[0] }}</a>{% else %}{{ row[0] }}{% endif %}</th>{% for cell in row[1:] %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</tbody></table>
{%- elif block.kind == "html" %}
{{ block.html | safe }}
{%- endif %}
{%- endfor %}
</main>
<footer><p>Complaint figures: the Local Government and Social Care Ombudsman.</p></footer>
</body>
</html>
"""


def main(source: str, out: str) -> int:
    content = json.loads(Path(source).read_text(encoding="utf-8"))
    template = jinja2.Environment(autoescape=True).from_string(LAYOUT)
    out_dir = Path(out)
    for page in content["pages"]:
        target = out_dir / page["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(page=page, nav=content["nav"], root="../" * page["path"].count("/")), encoding="utf-8")
    print(len(content["pages"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
