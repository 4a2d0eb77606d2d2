"""The README's walkthrough, run as pasted against a real ``jobwise serve``.

Every ``bash`` block under "## Try it" runs, in order, in one shell: the manual
says only what works, because this test runs it.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.e2e.conftest import running_serve

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"```bash\n(.*?)```", re.DOTALL)


def walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Try it")
    end = text.index("\n## ", start + 1)
    blocks = BLOCK.findall(text[start:end])
    assert len(blocks) >= 5, "the walkthrough lost its blocks"
    return "\n".join(blocks)


def test_the_readme_walkthrough_runs_as_pasted(tmp_path: Path) -> None:
    # The reader pastes in the repository's folder: what the blocks use from it is here.
    for name in (".venv", "examples"):
        (tmp_path / name).symlink_to(README.parent / name)
    with running_serve(tmp_path / "data") as serve:
        script = walkthrough().replace("http://127.0.0.1:8000", serve.base)
        done = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + script],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,  # where the walkthrough's downloaded PDF lands
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert '"full_name": "Ada Lovelace"' in out or '"full_name":"Ada Lovelace"' in out
    assert "analytical-engine" in out  # the conditional project add went through
    assert "Kubernetes" in out  # k8s in the paste, canonical in the job
    assert "Acme Robotics GmbH" in out  # the typed company won
    assert '"applied"' in out
    assert "status: completed" in out  # the generation ran its five stages to the end
    # Its updates over Server-Sent Events (seq 1, 2, ... in order) and over the WebSocket.
    # (a block's first line may follow the last answer before it, which ends with no newline)
    sse_seqs = [int(seq) for seq in re.findall(r"\bid: ?(\d+)$", out, re.MULTILINE)]
    assert sse_seqs and sse_seqs == list(range(1, len(sse_seqs) + 1))
    assert re.search(r"^event: ?generation\.completed$", out, re.MULTILINE)
    ws_lines = re.findall(r"^(\d+) (generation\.\w+) ", out, re.MULTILINE)
    assert [int(seq) for seq, _ in ws_lines] == sse_seqs
    assert ws_lines[-1][1] == "generation.completed"
    assert "# Ada Lovelace" in out and "Engine Co" in out  # the tailored resume
    assert "200 application/pdf" in out
    assert (tmp_path / "resume.pdf").read_bytes().startswith(b"%PDF")
    assert "'company': 'Engine Co'" in out  # the PDF read back into a draft
    assert "deleted: 204" in out  # and its data went with it
    assert (tmp_path / "my-data.zip").read_bytes().startswith(b"PK")
    assert "JobCreated" in out
    assert re.search(r"\b204\n", out)
    assert "session_revoked" in out
    # No error bodies but the two expected (a generation's "error": null is no error):
    # the revoked session's, and the deleted account's login.
    refusals = re.findall(r'"error": ?\{"code": ?"(\w+)"', out)
    assert refusals == ["session_revoked", "invalid_credentials"], refusals
