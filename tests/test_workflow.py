"""The GitHub Pages workflow runs what the README tells a person to run."""

from __future__ import annotations

import re

import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


def readme_commands(section: str) -> list[str]:
    """The commands in the first ``sh`` block of a README section, comments removed."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    body = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## )", readme, re.S | re.M).group(1)
    block = re.search(r"```sh\n(.*?)```", body, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def run_lines(job: dict) -> list[str]:
    return [line.strip() for step in job["steps"] if "run" in step for line in step["run"].splitlines() if line.strip()]


def test_workflow_runs_on_main_and_release_tags():
    triggers = workflow()[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["push"]["tags"] == ["v*"]


def test_build_job_runs_the_readme_commands_in_order():
    job = workflow()["jobs"]["build"]
    lines = run_lines(job)
    commands = readme_commands("Deploying")
    assert commands == ["make test", ".venv/bin/perfsite validate", ".venv/bin/perfsite boundaries fetch",
                        '.venv/bin/perfsite build --strict --site-url "$SITE_URL"']
    assert "make test" in readme_commands("Quick start")
    positions = [lines.index(command) for command in commands]
    assert positions == sorted(positions)
    build_step = next(step for step in job["steps"] if commands[-1] in step.get("run", ""))
    assert build_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    # the browser tests need Debian's chromium at /usr/bin/chromium
    assert job["container"].startswith("python:3.11-bookworm")
    assert any("apt-get install" in line and "chromium" in line for line in lines)


def test_workflow_deploys_the_built_site_to_pages():
    document = workflow()
    assert document["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build_steps = [step.get("uses", "") for step in document["jobs"]["build"]["steps"]]
    assert build_steps[0].startswith("actions/checkout@")
    upload = next(step for step in document["jobs"]["build"]["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    deploy = document["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
