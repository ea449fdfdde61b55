"""``POST /api/ingest/batch``: several files and/or URLs in one ingest job, for the web UI's "Add articles" page.

Each file is saved under the upload folder with a safe name (``<sha256 prefix>-<name>``) and ingested like
the CLI ingests a file; URLs (articles or RSS/Atom feeds) are fetched by the ingest itself, through the same
SSRF-checked fetcher. A file that cannot be taken (wrong type, above the size limit) is listed as a problem
in the job's results and does not stop the others; an empty or binary file gets the CLI's own message from
the ingest. The whole request is capped by the request guard while it streams (413).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile

from watchfloor.api.context import AppContext
from watchfloor.api.jobs import IngestJobs
from watchfloor.api.models import Job, JobResult
from watchfloor.api.write import require_token, upload_name
from watchfloor.ingest.sources import EXTENSIONS

MAX_FILES = 100
MAX_URLS = 100
_URL = re.compile(r"^https?://[^\s/?#]+\S*$")


def shown_name(filename: str | None) -> str:
    """The file name as the user knows it (no folder part), for the job's results."""
    return ((filename or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload")[:200]


def refusal_status(problems: list[JobResult], too_large: int, wrong_type: int) -> int:
    """The status when every input was refused: 413 if all were too large, 415 if all of a wrong type."""
    if too_large == len(problems):
        return 413
    return 415 if wrong_type == len(problems) else 400


def build_router(ctx: AppContext, jobs: IngestJobs) -> APIRouter:
    r = APIRouter(prefix="/api", dependencies=[Depends(require_token(ctx))], tags=["write"])

    @r.post("/ingest/batch", status_code=202, summary="Ingest several uploaded files and/or URLs in one job")
    def ingest_batch(
        files: Annotated[list[UploadFile] | None, File(description="txt, md, html, pdf or jsonl files")] = None,
        urls: Annotated[str | None, Form(max_length=200_000, description="article or feed URLs, one a line")] = None,
    ) -> Job:
        settings = ctx.settings
        limit = settings.max_upload_mb * 1_000_000
        links = [u.strip() for u in (urls or "").splitlines() if u.strip()]
        if len(files or []) > MAX_FILES or len(links) > MAX_URLS:
            raise HTTPException(400, f"at most {MAX_FILES} files and {MAX_URLS} URLs at once; send the rest next")
        if not files and not links:
            raise HTTPException(400, "nothing to ingest: choose files or paste URLs")
        targets: list[str] = []
        names: dict[str, str] = {}
        saved: list[Path] = []
        refused: list[JobResult] = []
        too_large = wrong_type = 0
        for upload in files or []:
            shown, name = shown_name(upload.filename), upload_name(upload.filename)
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if suffix not in EXTENSIONS:
                wrong_type += 1
                refused.append(JobResult(input=shown, outcome="problem", message=(
                    f"cannot ingest {suffix or 'files without an extension'}; send one of "
                    + ", ".join(sorted(EXTENSIONS)))))  # fmt: skip
                continue
            data = upload.file.read(limit + 1)
            if len(data) > limit:
                too_large += 1
                refused.append(JobResult(input=shown, outcome="problem",
                                         message=f"file is larger than the {settings.max_upload_mb} MB limit; "
                                         "split it"))  # fmt: skip
                continue
            path = settings.uploads() / f"{hashlib.sha256(data).hexdigest()[:16]}-{name}"
            if str(path) in names:
                continue  # the same file twice: ingested once
            try:
                path.write_bytes(data)  # an empty file too: the ingest says why it is skipped, as the CLI does
            except OSError as exc:
                raise HTTPException(507, f"cannot store the upload ({exc.strerror}); check the upload folder") from exc
            targets.append(str(path))
            names[str(path)] = shown
            saved.append(path)
        for link in links:
            if len(link) > 2000 or not _URL.match(link):
                refused.append(JobResult(input=link[:200], outcome="problem",
                                         message="not an http(s) URL; give one URL a line"))  # fmt: skip
            elif link not in targets:
                targets.append(link)
        if not targets:
            status = refusal_status(refused, too_large, wrong_type)
            raise HTTPException(status, "; ".join(f"{p.input}: {p.message}" for p in refused))
        return jobs.submit(targets, uploads=saved, names=names, rejected=refused)

    return r
