"""A Hub of real model cards, served as the Hub API serves them, for whole-refresh evaluations.

Every `hf_cards/**/ORG__NAME.md` of `../shared/corpus` becomes a model of a mirrored Hub: a
listing page (`/api/models?...`, paginated by the Link header), the model's API JSON and its
README (the real file, served as it is). The API JSON carries what the Hub derives from the card's
front matter (pipeline tag, library, tags, `license:` and `base_model:` tags, cardData); fields the
card cannot tell (downloads, likes) are left out rather than made up. The files are written to a
directory when an evaluation runs; nothing of the corpus is committed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compare.extract.hub import split_front_matter

HUB = "huggingface.co"
LISTING = "api/models?sort={sort}&direction=-1&limit=50&full=true&cardData=true"


@dataclass(frozen=True)
class HubModel:
    source: str  # corpus path
    hub_id: str
    readme: str
    card_data: dict[str, Any]  # the front matter as the card declares it


def hub_models(corpus: Path) -> list[HubModel]:
    models = []
    for path in sorted((corpus / "hf_cards").rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        hub_id = path.stem.replace("__", "/", 1)
        models.append(HubModel(str(path.relative_to(corpus)), hub_id, text, split_front_matter(text)[0]))
    # one model per id: the first subset that has it
    return list({m.hub_id.lower(): m for m in reversed(models)}.values())[::-1]


def _listed(values: Any) -> list[str]:
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values] if isinstance(values, list) else []


def api_json(model: HubModel, number: int) -> dict[str, Any]:
    """What the Hub API answers for the model, as far as its card tells."""
    card = model.card_data
    tags = _listed(card.get("tags"))
    tags += _listed(card.get("library_name"))
    tags += _listed(card.get("pipeline_tag"))
    tags += _listed(card.get("language"))
    tags += [f"license:{lic}" for lic in _listed(card.get("license"))]
    tags += [f"base_model:{base}" for base in _listed(card.get("base_model"))]
    data: dict[str, Any] = {
        "_id": f"{number:024x}",
        "id": model.hub_id,
        "modelId": model.hub_id,
        "author": model.hub_id.split("/")[0],
        "sha": f"{abs(hash(model.readme)) % 16**40:040x}",
        "private": False,
        "tags": list(dict.fromkeys(tags)),
        "cardData": card,
        "siblings": [{"rfilename": "README.md"}],
    }
    for field in ("pipeline_tag", "library_name"):
        if isinstance(card.get(field), str):
            data[field] = card[field]
    return data


def write_mirror(models: list[HubModel], root: Path, page_size: int = 50, sort: str = "createdAt") -> Path:
    """The Hub mirror under `root`, listed in the order given (the Hub's order for `sort`);
    returns a sources file that lists it."""
    listing_url = LISTING.format(sort=sort)
    base = root / HUB
    pages = [models[i : i + page_size] for i in range(0, len(models), page_size)] or [[]]
    number = 0
    for index, page in enumerate(pages):
        name = listing_url if index == 0 else f"{listing_url}&cursor=page{index + 1}"
        listing = []
        for model in page:
            number += 1
            listing.append(api_json(model, number))
            target = base / "api" / "models" / model.hub_id
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(listing[-1]), encoding="utf-8")
            target.with_name(target.name + ".headers").write_text("Content-Type: application/json\n")
            readme = base / model.hub_id / "raw" / "main" / "README.md"
            readme.parent.mkdir(parents=True, exist_ok=True)
            readme.write_text(model.readme, encoding="utf-8")
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(listing), encoding="utf-8")
        headers = "Content-Type: application/json\n"
        if index + 1 < len(pages):
            headers += f'Link: <https://{HUB}/{quote(listing_url, safe="/?&=")}&cursor=page{index + 2}>; rel="next"\n'
        path.with_name(path.name + ".headers").write_text(headers)
    sources = root / "sources.toml"
    sources.write_text(f'[[source]]\nname = "hub"\nkind = "hf_hub"\nurl = "https://{HUB}/{listing_url}"\n')
    return sources
