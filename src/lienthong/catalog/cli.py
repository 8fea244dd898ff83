"""`lienthong dataset ...`: the catalog from the console."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from lienthong.catalog import service
from lienthong.catalog.models import Classification, DatasetIn, DatasetPatch, Frequency
from lienthong.core.console import context, operator, out, show
from lienthong.core.errors import ValidationFailed

app = typer.Typer(help="Datasets: metadata and Table Schema.", no_args_is_help=True)
COLS = ["name", "title", "owner", "classification", "version", "record_count", "modified_at"]


def _schema(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"cannot read the Table Schema {path}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ValidationFailed(f"{path} does not hold a Table Schema object")
    return loaded


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="slug: a-z 0-9 _ -")],
    owner: Annotated[str, typer.Option(help="owner member CLASS/CODE, e.g. GOV/H31")],
    title: Annotated[str, typer.Option(help="Vietnamese title")],
    schema: Annotated[Path, typer.Option(help="Table Schema JSON file")],
    title_en: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str, typer.Option()] = "",
    classification: Annotated[Classification, typer.Option()] = Classification.SHARED,
    frequency: Annotated[Frequency | None, typer.Option()] = None,
    tag: Annotated[list[str] | None, typer.Option(help="repeat for several")] = None,
    license_id: Annotated[str, typer.Option()] = "cc-by-4.0",
) -> None:
    """Create a dataset and its table."""
    p = context(ctx).platform
    data = DatasetIn.model_validate(
        {
            "name": name,
            "owner": owner,
            "title": title,
            "title_en": title_en,
            "description": description,
            "classification": classification,
            "update_frequency": frequency,
            "tags": tag or [],
            "license_id": license_id,
            "schema": _schema(schema),
        }
    )
    with p.store.write() as conn:
        show(
            ctx, service.create_dataset(conn, p.audit, operator(), p.settings.instance, data), COLS
        )


@app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(ctx, [service.dataset_view(conn, r) for r in service.active_rows(conn)], COLS)


@app.command("show")
def show_cmd(ctx: typer.Context, name: str) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        view = service.dataset_view(conn, service.get_dataset(conn, name))
    if context(ctx).as_json:
        show(ctx, view)
        return
    show(ctx, view, COLS)
    fields = [
        {
            "field": f["name"],
            "type": f["type"],
            "title": f.get("title"),
            "personal": f.get("personal"),
        }
        for f in view["schema"]["fields"]
    ]
    show(ctx, fields)


@app.command("update")
def update(
    ctx: typer.Context,
    name: str,
    schema: Annotated[Path | None, typer.Option(help="a new Table Schema JSON file")] = None,
    title: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    classification: Annotated[Classification | None, typer.Option()] = None,
) -> None:
    """Change metadata or schema; a schema the records do not allow is refused with reasons."""
    p = context(ctx).platform
    changes: dict[str, Any] = {
        "title": title,
        "description": description,
        "classification": classification,
    }
    patch = {k: v for k, v in changes.items() if v is not None}
    if schema:
        patch["schema"] = _schema(schema)
    with p.store.write() as conn:
        row = service.get_dataset(conn, name)
        view = service.update_dataset(
            conn, p.audit, operator(), row, DatasetPatch.model_validate(patch)
        )
    show(ctx, view, COLS)


@app.command("versions")
def versions(ctx: typer.Context, name: str) -> None:
    p = context(ctx).platform
    with p.store.read() as conn:
        show(
            ctx,
            service.list_versions(conn, service.get_dataset(conn, name)),
            ["version", "modified_at", "actor", "change"],
        )


@app.command("delete")
def delete(ctx: typer.Context, name: str) -> None:
    p = context(ctx).platform
    with p.store.write() as conn:
        service.delete_dataset(conn, p.audit, operator(), service.get_dataset(conn, name))
    out.print(f"deleted dataset {name} and its records")
