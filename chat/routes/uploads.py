"""``POST /upload``, ``GET /list_uploaded``, ``POST /delete_uploaded``: per-user documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile
from pydantic import BaseModel, model_validator

from chat.protocol import refuse_lone_surrogates
from chat.routes.deps import current_user
from chat.uploads import UploadTooLargeError, UserUploads


class DeleteRequest(BaseModel):
    filename: str

    _valid_unicode = model_validator(mode="before")(refuse_lone_surrogates)


def uploads_router(uploads: UserUploads, *, max_bytes: int) -> APIRouter:
    router = APIRouter()

    @router.post("/upload")
    def upload(
        file: Annotated[UploadFile, File()], user: Annotated[str, Depends(current_user)]
    ) -> dict[str, Any]:
        data = file.file.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise UploadTooLargeError(f"{file.filename}: larger than {max_bytes} bytes")
        chunks = uploads.add(user, file.filename or "", data)
        return {"message": "File uploaded successfully", "chunks": chunks}

    @router.get("/list_uploaded")
    def list_uploaded(user: Annotated[str, Depends(current_user)]) -> list[str]:
        return uploads.list(user)

    @router.post("/delete_uploaded")
    def delete_uploaded(
        request: DeleteRequest, user: Annotated[str, Depends(current_user)]
    ) -> dict[str, str]:
        uploads.delete(user, request.filename)
        return {"message": f"File {request.filename} deleted successfully"}

    return router
