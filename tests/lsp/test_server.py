"""End to end: `orchlint server` driven by pytest-lsp, a real LSP client.

A Compose override is opened in a workspace whose base file is on disk; its
diagnostics must arrive at the exact UTF-16 range with the rule's code and match
what `orchlint check` reports for the same files; the suppression code action,
applied with didChange, must clear the finding; and a rule's safe fix, offered as
the preferred quick fix, must remove its finding and keep the comment beside it.
Run from `.ci/run`:

    ORCHLINT=target/release/orchlint python -m pytest tests/lsp
"""

import atexit
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
ORCHLINT = str(ROOT / os.environ.get("ORCHLINT", "target/debug/orchlint"))

WORKSPACE = pathlib.Path(tempfile.mkdtemp(prefix="orchlint-lsp-")).resolve()
atexit.register(shutil.rmtree, WORKSPACE, True)
BASE = "services:\n  db:\n    image: postgres:16\n"
# `é` is one UTF-16 unit (two bytes), `😀` two units (four bytes): the finding's
# column differs in bytes (37), characters (33) and UTF-16 units (34).
OVERRIDE = "services:\n  web: {labels: {x: wé😀}, image: nginx, depends_on: [db]}\n"
(WORKSPACE / "compose.yaml").write_text(BASE, encoding="utf-8")
(WORKSPACE / "compose.override.yaml").write_text(OVERRIDE, encoding="utf-8")
# An opt-in reliability rule that fires on the override's service (the default
# set asks one-host Compose files for no resource limits).
(WORKSPACE / "orchlint.toml").write_text(
    'extend-select = ["missing-restart-policy"]\n', encoding="utf-8"
)
OVERRIDE_URI = (WORKSPACE / "compose.override.yaml").as_uri()


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[ORCHLINT, "server"]),
)
async def client(lsp_client: LanguageClient):
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=WORKSPACE.as_uri(),
            workspace_folders=[
                types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="workspace")
            ],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics_for(client: LanguageClient, uri: str, version: int):
    """The diagnostics published for `uri` at `version`."""
    while True:
        params = await client.wait_for_notification("textDocument/publishDiagnostics")
        if params.uri == uri and params.version == version:
            return params.diagnostics


def by_code(diagnostics, code):
    return [d for d in diagnostics if d.code == code]


def check_findings():
    """(code, 0-based line) of what `orchlint check` reports in the override."""
    out = subprocess.run(
        [ORCHLINT, "check", "--format", "json", "--exit-zero", "."],
        cwd=WORKSPACE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(
        (d["rule"], d["start"]["line"] - 1)
        for d in json.loads(out)["diagnostics"]
        if d["file"].endswith("compose.override.yaml")
    )


@pytest.mark.asyncio
async def test_diagnostics_code_action_and_clear(client: LanguageClient):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=OVERRIDE_URI, language_id="yaml", version=1, text=OVERRIDE
            )
        )
    )
    diags = await diagnostics_for(client, OVERRIDE_URI, 1)

    # The same findings as `check` over the same files.
    assert sorted((d.code, d.range.start.line) for d in diags) == check_findings()

    [latest] = by_code(diags, "reliability/latest-image-tag")
    assert latest.range == types.Range(
        start=types.Position(line=1, character=34),
        end=types.Position(line=1, character=39),
    )
    assert latest.source == "orchlint"
    assert latest.severity == types.DiagnosticSeverity.Warning
    assert latest.code_description.href.endswith("/rules/latest-image-tag")
    # `db` is defined by the base file, which is not open: read from disk.
    assert not by_code(diags, "correctness/undefined-service-reference")

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=OVERRIDE_URI),
            position=types.Position(line=1, character=36),
        )
    )
    assert "## Why it matters" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=OVERRIDE_URI),
            range=latest.range,
            context=types.CodeActionContext(diagnostics=[latest]),
        )
    )
    [suppress] = [a for a in actions if a.title == "Suppress `latest-image-tag` on this line"]
    [edit] = suppress.edit.changes[OVERRIDE_URI]
    assert edit.range.start == edit.range.end == types.Position(line=1, character=0)
    assert edit.new_text == "  # orchlint-ignore: latest-image-tag -- <reason>\n"

    lines = OVERRIDE.splitlines(keepends=True)
    lines.insert(1, edit.new_text)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=OVERRIDE_URI, version=2
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="".join(lines))],
        )
    )
    diags = await diagnostics_for(client, OVERRIDE_URI, 2)
    assert not by_code(diags, "reliability/latest-image-tag"), diags
    assert not by_code(diags, "suppression/unused-suppression"), diags
    # The other findings stay where they were.
    assert by_code(diags, "reliability/missing-restart-policy")

    # The server asked to be told of configuration changes, and acts on them.
    [watch] = client.registrations
    assert watch.method == "workspace/didChangeWatchedFiles"
    globs = [w["globPattern"] for w in watch.register_options["watchers"]]
    assert "**/orchlint.toml" in globs
    config = WORKSPACE / "orchlint.toml"
    config.write_text('ignore = ["reliability"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    diags = await diagnostics_for(client, OVERRIDE_URI, 2)
    # Every finding left was a reliability one (the suppression of one is not
    # reported unused while its rule is off).
    assert len(diags) == 0, diags


FIXABLE_DIR = WORKSPACE / "fixable"
FIXABLE_DIR.mkdir()
# The comment on the next line must survive the fix.
FIXABLE = 'version: "3.8"\n# the web tier\nservices:\n  web:\n    image: nginx:1.25\n'
(FIXABLE_DIR / "compose.yaml").write_text(FIXABLE, encoding="utf-8")
FIXABLE_URI = (FIXABLE_DIR / "compose.yaml").as_uri()


def apply_edits(text: str, edits) -> str:
    """Applies LSP text edits (ASCII text: UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos):
        return starts[pos.line] + pos.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


@pytest.mark.asyncio
async def test_quick_fix_clears_its_finding(client: LanguageClient):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=FIXABLE_URI, language_id="yaml", version=1, text=FIXABLE
            )
        )
    )
    diags = await diagnostics_for(client, FIXABLE_URI, 1)
    [obsolete] = by_code(diags, "best-practice/obsolete-compose-version")
    assert obsolete.range.start == types.Position(line=0, character=0)

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=FIXABLE_URI),
            range=obsolete.range,
            context=types.CodeActionContext(diagnostics=[obsolete]),
        )
    )
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    assert len(fixes) == 1, [a.title for a in actions]
    fixed = apply_edits(FIXABLE, fixes[0].edit.changes[FIXABLE_URI])
    assert fixed == "# the web tier\nservices:\n  web:\n    image: nginx:1.25\n"

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=FIXABLE_URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    diags = await diagnostics_for(client, FIXABLE_URI, 2)
    assert not by_code(diags, "best-practice/obsolete-compose-version"), diags


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
