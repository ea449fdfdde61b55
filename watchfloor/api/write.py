"""Write endpoints: ingest, and analyst corrections. Each needs ``Authorization: Bearer <token>``."""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from watchfloor.api.context import AppContext
from watchfloor.api.jobs import IngestJobs
from watchfloor.api.models import AliasIn, IngestUrlIn, Job, MergeIn, PublishedIn, RejectIn, SplitIn
from watchfloor.errors import NotFound
from watchfloor.ingest.sources import EXTENSIONS
from watchfloor.store import sqlite_corrections as corrections

_bearer = HTTPBearer(auto_error=False, description="the token given to `watchfloor serve`")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def require_token(ctx: AppContext) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    def check(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        expected = ctx.settings.token
        if not expected:
            raise HTTPException(
                403, "write endpoints are disabled: start the server with --token-file or WATCHFLOOR_TOKEN set"
            )
        if credentials is None or not secrets.compare_digest(credentials.credentials.encode(), expected.encode()):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    return check


def build_router(ctx: AppContext, jobs: IngestJobs) -> APIRouter:
    r = APIRouter(prefix="/api", dependencies=[Depends(require_token(ctx))], tags=["write"])

    def corrected(record: Callable[[sqlite3.Connection], Any]) -> dict[str, Any]:
        """Record a correction and re-apply all of them in one transaction."""
        made, applied = ctx.ws.repo.correct(record)
        return {"correction": made, "applied": applied}

    @r.post("/ingest", status_code=202, summary="Ingest an article or feed URL (a background job)")
    def ingest_url(body: IngestUrlIn) -> Job:
        return jobs.submit([body.url])

    @r.post("/ingest/upload", status_code=202, summary="Ingest an uploaded file (a background job)")
    def ingest_upload(file: Annotated[UploadFile, File(description="txt, md, html, pdf or jsonl")]) -> Job:
        name = _SAFE_NAME.sub("_", (file.filename or "upload").rsplit("/", 1)[-1]).strip("._") or "upload"
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in EXTENSIONS:
            raise HTTPException(415, f"cannot ingest {suffix or 'files without an extension'}; send one of "
                                + ", ".join(sorted(EXTENSIONS)))  # fmt: skip
        limit = ctx.settings.max_upload_mb * 1_000_000
        data = file.file.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(413, f"file is larger than {ctx.settings.max_upload_mb} MB")
        if not data:
            raise HTTPException(400, f"{name} is empty")
        path = ctx.settings.uploads() / f"{hashlib.sha256(data).hexdigest()[:16]}-{name}"
        path.write_bytes(data)
        return jobs.submit([str(path)])

    @r.get("/jobs/{job_id}", summary="State of an ingest job")
    def job(job_id: str) -> Job:
        found = jobs.get(job_id)
        if found is None:
            raise NotFound(f"no job {job_id!r} (jobs live as long as the server)")
        return found

    @r.post("/entities/{ref}/aliases", status_code=201, summary="Add an alias; its mentions link to the entity")
    def add_alias(ref: str, body: AliasIn) -> dict[str, Any]:
        entity_id = int(ctx.entity(ref)["id"])
        return corrected(lambda conn: corrections.add_alias(conn, entity_id, body.alias, body.author, body.note))

    @r.delete("/entities/{ref}/aliases/{alias}", summary="Remove an alias; its mentions are unlinked")
    def remove_alias(ref: str, alias: str, author: str = "analyst", note: str | None = None) -> dict[str, Any]:
        entity_id = int(ctx.entity(ref)["id"])
        return corrected(lambda conn: corrections.remove_alias(conn, entity_id, alias, author, note))

    @r.post("/entities/{ref}/merge", summary="Merge another entity into this one")
    def merge(ref: str, body: MergeIn) -> dict[str, Any]:
        keep = int(ctx.entity(ref)["id"])
        gone = int(ctx.entity(body.other)["id"])
        return corrected(lambda conn: corrections.merge(conn, keep, gone, body.author, body.note))

    @r.post("/entities/{ref}/split", status_code=201, summary="Move some aliases (and their mentions) to a new entity")
    def split(ref: str, body: SplitIn) -> dict[str, Any]:
        entity_id = int(ctx.entity(ref)["id"])
        out = corrected(
            lambda conn: corrections.split(conn, entity_id, body.name, body.aliases, body.author, body.note)
        )
        cid, key = out["correction"]
        return {**out, "correction": cid, "new_entity": ctx.entity(key)}

    @r.post("/documents/{doc_id}/published", summary="Set a document's publication date; its facts are re-resolved")
    def set_published(doc_id: str, body: PublishedIn) -> dict[str, Any]:
        processed = ctx.ws.set_published(doc_id, body.published.isoformat(), body.author, body.note)
        return {"document": ctx.ws.document(doc_id)["id"], "published": body.published.isoformat(),
                "reprocessed": processed}  # fmt: skip

    @r.post("/corrections/reject", status_code=201, summary="Mark an extraction wrong; it is hidden from now on")
    def reject(body: RejectIn) -> dict[str, Any]:
        return corrected(lambda conn: corrections.reject(conn, body.kind, body.id, body.author, body.note))

    return r
