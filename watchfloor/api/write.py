"""Write endpoints: ingest, and analyst corrections. Each needs ``Authorization: Bearer <token>``."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from watchfloor.api.context import AppContext
from watchfloor.api.guard import auth_problem
from watchfloor.api.jobs import JOB_TTL_S, IngestJobs
from watchfloor.api.models import AliasIn, IngestUrlIn, Job, MergeIn, PublishedIn, RejectIn, SplitIn
from watchfloor.errors import NotFound
from watchfloor.ingest.sources import EXTENSIONS
from watchfloor.store import sqlite_corrections as corrections

_bearer = HTTPBearer(auto_error=False, description="the token given to `watchfloor serve`")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100  # the stored name is "<16 hex>-<name>", well below the 255 bytes file systems allow


def require_token(ctx: AppContext) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    """The token check as a dependency (documents the scheme in OpenAPI). The request guard has already run
    the same check before the body was read; this one keeps the endpoints safe on their own."""

    def check(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        given = f"Bearer {credentials.credentials}" if credentials is not None else None
        problem = auth_problem(ctx.settings, given)
        if problem is not None:
            status, message, headers = problem
            raise HTTPException(status, message, headers=headers or None)

    return check


def upload_name(filename: str | None) -> str:
    """A safe file name for an upload: no path, only ``[A-Za-z0-9._-]``, at most ``MAX_NAME`` characters
    with the extension kept."""
    name = _SAFE_NAME.sub("_", (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1]).strip("._") or "upload"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(ext) - 1].rstrip("._") + (f".{ext}" if ext else "")
    return name or "upload"


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
        name = upload_name(file.filename)
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
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise HTTPException(507, f"cannot store the upload ({exc.strerror}); check the upload folder") from exc
        return jobs.submit([str(path)], upload=path, names={str(path): name})

    @r.get("/jobs/{job_id}", summary="State of an ingest job")
    def job(job_id: str) -> Job:
        found = jobs.get(job_id)
        if found is None:
            raise NotFound(f"no job {job_id!r} (finished jobs are kept for {JOB_TTL_S // 60} minutes)")
        return found

    @r.post("/entities/{ref}/aliases", status_code=201, summary="Add an alias; its mentions link to the entity")
    def add_alias(ref: str, body: AliasIn) -> dict[str, Any]:
        entity_id = int(ctx.entity(ref)["id"])
        return corrected(lambda conn: corrections.add_alias(conn, entity_id, body.alias, body.author, body.note))

    def remove(ref: str, alias: str, author: str, note: str | None) -> dict[str, Any]:
        entity_id = int(ctx.entity(ref)["id"])
        return corrected(lambda conn: corrections.remove_alias(conn, entity_id, alias, author, note))

    @r.delete("/entities/{ref}/aliases", summary="Remove an alias given as ?alias= (any characters, '/' too)")
    def remove_alias_query(
        ref: str,
        alias: Annotated[str, Query(min_length=1, max_length=200)],
        author: Annotated[str, Query(max_length=100)] = "analyst",
        note: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> dict[str, Any]:
        return remove(ref, alias, author, note)

    # `{alias:path}`: an alias may hold "/" ("ISKP/ISIS-K"), sent as %2F or as is.
    @r.delete("/entities/{ref}/aliases/{alias:path}", summary="Remove an alias; its mentions are unlinked")
    def remove_alias(
        ref: str,
        alias: str,
        author: Annotated[str, Query(max_length=100)] = "analyst",
        note: Annotated[str | None, Query(max_length=2000)] = None,
    ) -> dict[str, Any]:
        return remove(ref, alias, author, note)

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
        # An event is rejected report by report: `corrections` lists them all, `correction` is the first,
        # an integer like every other correction endpoint answers.
        out = corrected(lambda conn: corrections.reject(conn, body.kind, body.id, body.author, body.note))
        ids: list[int] = out["correction"]
        return {**out, "correction": ids[0], "corrections": ids}

    return r
