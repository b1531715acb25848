"""Lookups in the project's data files: vendor names, modalities, categories."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from compare.config import PACKAGE_DATA


@cache
def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((PACKAGE_DATA / name).read_text())


def vendor_for_org(org: str) -> str:
    orgs = _load("vendors.toml")["hub_orgs"]
    lowered = {k.lower(): v for k, v in orgs.items()}
    return orgs.get(org) or lowered.get(org.lower()) or org


def line_words(vendor: str | None) -> set[str]:
    """Words of the vendor's model line its pages may leave out ("claude" for Anthropic)."""
    return set(_load("vendors.toml")["line_words"].get(vendor or "", []))


def catalogue_hosts() -> set[str]:
    """Sites that list other makers' models (registries, catalogues, clouds' model gardens)."""
    return set(_load("vendors.toml")["catalogues"]["hosts"])


def code_hosts() -> set[str]:
    """Sites whose first path segment is the owner of what the page is about."""
    return set(_load("vendors.toml")["catalogues"]["code_hosts"])


def vendor_for_url(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    domains = _load("vendors.toml")["domains"]
    while host:
        if host in domains:
            return domains[host]
        if "." not in host:
            return None
        host = host.split(".", 1)[1]
    return None


def modality_of_hub_model(
    pipeline_tag: Any, tags: list[str], library: Any, as_json: bool
) -> tuple[str | None, str | None]:
    """(modality, evidence) of a Hub model: its pipeline tag, else a tag that is a pipeline tag
    (older cards list "text-generation" among their tags), else a library that does one job
    (sentence-transformers: embeddings; diffusers: image generation). The evidence is written as
    the API's JSON or the card's YAML writes it."""

    def said(key: str | None, value: str) -> str:
        if key is None:  # one of the tags
            return f'"{value}"' if as_json else value
        return f'"{key}": "{value}"' if as_json else f"{key}: {value}"

    by_tag = _load("taxonomy.toml")["modality_by_pipeline_tag"]
    by_library = _load("taxonomy.toml")["modality_by_library"]
    if isinstance(pipeline_tag, str) and pipeline_tag:
        return by_tag.get(pipeline_tag, pipeline_tag), said("pipeline_tag", pipeline_tag)
    if tag := next((t for t in tags if t in by_tag), None):
        return by_tag[tag], said(None, tag)
    if isinstance(library, str) and library in by_library:
        if library == "diffusers" and any("video" in tag for tag in tags):  # a video diffusion model
            return "video", said("library_name", library)
        return by_library[library], said("library_name", library)
    if tag := next((t for t in tags if t in by_library), None):
        return by_library[tag], said(None, tag)
    return None, None


def pipeline_tags() -> set[str]:
    """Every Hub pipeline tag the taxonomy knows."""
    return set(_load("taxonomy.toml")["modality_by_pipeline_tag"])


def task_of_hub_model(pipeline_tag: Any, tags: list[str], as_json: bool) -> tuple[str | None, str | None]:
    """(task, evidence) of a Hub model: its pipeline tag, else a tag that is one
    ("text-classification" among an older card's tags)."""
    known = _load("taxonomy.toml")["modality_by_pipeline_tag"]
    if isinstance(pipeline_tag, str) and pipeline_tag:
        return pipeline_tag, (f'"pipeline_tag": "{pipeline_tag}"' if as_json else f"pipeline_tag: {pipeline_tag}")
    if tag := next((t for t in tags if t in known), None):
        return tag, (f'"{tag}"' if as_json else tag)
    return None, None


def job_of_task(task: str | None) -> str | None:
    """The job a Hub task does, where several tasks do one ("text2text-generation" and
    "text-generation" both generate text); a task not grouped is its own job."""
    if not task:
        return None
    groups = _load("taxonomy.toml")["jobs_by_task"]
    return next((job for job, tasks in groups.items() if task in tasks), task)


def task_from_name(name: str) -> str | None:
    """The task a Hub model's name says ("llava-onevision-7b": image-text-to-text), where it says one."""
    rules = _load("taxonomy.toml")["task_by_name"]
    return next((task for task, pattern in rules.items() if re.search(pattern, name)), None)


def is_add_on(name: str) -> bool:
    """An adapter, LoRA or ControlNet: it works inside other models and rivals none."""
    return re.search(_load("taxonomy.toml")["add_ons"]["name"], name) is not None


# A category rule's reason in an editor's words (the rule's pattern stays in taxonomy.toml).
_RULE_SAYS = {
    "modality": "its modality is {}",
    "name": "its name says “{}”",
    "product_name": "its name says “{}”",
    "text": "its description says “{}”",
    "product_text": "its description says “{}”",
}


def _whole_words(text: str, start: int, end: int) -> str:
    """The words a match lies in ("fine-tuning", not the pattern's "fine-tun")."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "-"):
        end += 1
    return text[start:end].strip()


def category_for(card: dict[str, Any]) -> tuple[str | None, str | None]:
    """(category, reason) by the first matching rule of the taxonomy."""
    name = card.get("name") or ""
    text = f"{name} {card.get('description') or ''}"
    modality = card.get("modality") or ""
    product = card.get("kind") not in ("api", "model")  # apps, plans, and tools of unknown kind
    subjects = {"name": name, "text": text, "modality": modality,
                "product_name": name if product else "", "product_text": text if product else ""}  # fmt: skip
    for rule in _load("taxonomy.toml")["category"]:
        subject = subjects[rule["rule"]]
        found = re.fullmatch if rule["rule"] == "modality" else re.search
        match = found(rule["pattern"], subject)
        if match:
            return rule["name"], _RULE_SAYS[rule["rule"]].format(_whole_words(subject, *match.span()))
    if any(p.get("unit") == "1M tokens" for p in card.get("prices") or []):
        return "Language Models", "priced per token (a language model API)"
    return None, None
