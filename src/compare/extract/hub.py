"""Hugging Face Hub: per-model API JSON and README model cards (YAML front matter + body)."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from compare.extract.license import (
    about_code_only,
    commercial_use,
    license_in_text,
    license_of_text,
    normalize_license,
)
from compare.extract.text import first_sentences, inline_text, markdown_paragraphs, markdown_sections, sentences
from compare.extract.vocab import modality_of_hub_model, pipeline_tags, task_of_hub_model, vendor_for_org
from compare.records import PROBLEM, Extraction, RecordBuilder

HUB = "https://huggingface.co"
# Legacy canonical models have one-segment ids ('gpt2', 't5-small').
_API_URL = re.compile(r"^https?://huggingface\.co/api/models/(?P<id>[^/?#]+(?:/[^/?#]+)?)/?(?:\?[^#]*)?$")
_README_URL = re.compile(r"^https?://huggingface\.co/(?P<id>[^/?#]+/[^/?#]+)/raw/[^/]+/README\.md$")
_LICENSE_URL = re.compile(
    r"^https?://huggingface\.co/(?P<id>[^/?#]+/[^/?#]+)/raw/[^/]+/(?P<file>[^/?#]*licen[cs]e[^/?#]*)$", re.IGNORECASE
)
_RELATIONS = ("quantized", "finetune", "adapter", "merge")
_YAML_KEY = re.compile(r"^[A-Za-z_][\w.\-]*\s*:(?:\s|$)")
_QUANTIZED_NAME = re.compile(r"(?i)gguf|awq|gptq|exl2|bnb|[-_](?:4|8)bit|mlx|int[48]|fp8")


_HUB_ID = re.compile(r"^(?!.*(?:\.\.|--))[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?/[A-Za-z0-9_](?:[\w.-]{0,94}[\w])?$")


def valid_hub_id(model_id: object) -> bool:
    """Whether a listing's model id is a Hub repository id as the Hub allows them: owner/name of
    letters, digits, '-', '_' and '.', no '..' or '--', at most 96 characters each."""
    return isinstance(model_id, str) and _HUB_ID.match(model_id) is not None


def api_model_id(url: str) -> str | None:
    match = _API_URL.match(url)
    return match.group("id") if match else None


def readme_model_id(url: str) -> str | None:
    match = _README_URL.match(url)
    return match.group("id") if match else None


def license_file_model_id(url: str) -> str | None:
    match = _LICENSE_URL.match(url)
    return match.group("id") if match else None


def extract_api_json(url: str, body: str) -> Extraction:
    """One record from `GET /api/models/{id}`."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as error:
        return Extraction.failed(f"invalid JSON: {error.msg} at line {error.lineno}")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return Extraction.failed("not a Hub model object (no 'id')")
    if data.get("disabled"):
        return Extraction.ok([], reason="model disabled on the Hub")
    if data.get("private"):
        return Extraction.ok([], reason="private model")
    hub_id = data["id"]
    card = data.get("cardData") if isinstance(data.get("cardData"), dict) else {}
    tags = [t for t in data.get("tags") or [] if isinstance(t, str)]
    rec = _model_record(url, hub_id, "hub_api")

    license_raw, license_snippet = _declared_license(card, tags)
    _set_license(rec, normalize_license(license_raw), license_snippet)

    pipeline_tag = data.get("pipeline_tag") or card.get("pipeline_tag")
    library = data.get("library_name") or card.get("library_name")
    rec.set("modality", *modality_of_hub_model(pipeline_tag, tags, library, as_json=True))
    rec.set("task", *task_of_hub_model(pipeline_tag, tags, as_json=True))

    for weights in ("safetensors", "gguf"):  # the counted parameters first, then the name
        total = data[weights].get("total") if isinstance(data.get(weights), dict) else None
        if isinstance(total, int | float) and total > 0:
            rec.set("params_b", round(total / 1e9, 2), f'"{weights}": {{"total": {total}}}')
    _params_from_name(rec, hub_id)

    base, relation = _base_model(card, tags)
    _set_base(rec, base, relation, hub_id)

    downloads, likes = data.get("downloads"), data.get("likes")
    if isinstance(downloads, int) or isinstance(likes, int):
        rec.extra["popularity"] = {"downloads": downloads or 0, "likes": likes or 0}
    if data.get("createdAt"):
        rec.extra["released"] = str(data["createdAt"])[:10]
    reason = None
    if data.get("gated"):
        rec.extra["gated"] = str(data["gated"])
        reason = f"gated model ({data['gated']}): weights need an accepted license on the Hub"
    return Extraction.ok([rec.build()], reason=reason)


def extract_readme(url: str, body: str) -> Extraction:
    """One record from a model card: front matter facts and the first real paragraphs."""
    hub_id = readme_model_id(url)
    if hub_id is None:
        return Extraction.failed("not a Hub README URL")
    meta, text, problem = split_front_matter(body)
    rec = _model_record(url, hub_id, "hub_readme")
    license_raw, snippet = _declared_license(meta, [])
    license_id = normalize_license(license_raw)
    if license_id in (None, "other"):  # the body may name it
        stated, stated_snippet = license_in_body(text)
        if stated:
            license_id, snippet = stated, stated_snippet
    _set_license(rec, license_id, snippet)
    if license_id in (None, "other"):
        rec.set("commercial_use", *_commercial_terms_in_body(text))
    tags = [t for t in meta["tags"] if isinstance(t, str)] if isinstance(meta.get("tags"), list) else []
    pipeline_tag = meta.get("pipeline_tag")
    modality = modality_of_hub_model(pipeline_tag, tags, meta.get("library_name"), as_json=False)
    task = task_of_hub_model(pipeline_tag, tags, as_json=False)
    if task[0] is None and (stated := model_type_in_card(text)):  # the template's "Model type:" line
        task = stated
        if modality[0] is None:
            modality = modality_of_hub_model(stated[0], [], None, as_json=False)[0], stated[1]
    rec.set("modality", *modality)
    rec.set("task", *task)
    base, relation = _base_model(meta, [])
    snippet = None
    if base is None:  # the card's prose may say what it was fine-tuned from
        base, snippet = base_model_in_body(text)
        relation = "finetune" if base else None
    _set_base(rec, base, relation, hub_id, snippet)
    paragraphs = card_paragraphs(text) or use_paragraphs(text)
    if paragraphs:
        description = first_sentences(" ".join(paragraphs[:2]), max_sentences=3, max_chars=600)
        rec.set("description", description, paragraphs[0])
    _params_from_name(rec, hub_id)
    rec.set("params_b", *params_in_text(text))
    record = rec.build()
    if problem:
        record["warnings"] = [problem]
    return Extraction.ok([record], reason=f"{PROBLEM}{problem}" if problem else None)


def extract_license_file(url: str, body: str) -> Extraction:
    """A repo's LICENSE file, read when the card's metadata names no license: the license its
    title names."""
    hub_id = license_file_model_id(url)
    if hub_id is None:
        return Extraction.failed("not a Hub LICENSE URL")
    license_id, snippet = license_of_text(body)
    if license_id is None:
        return Extraction.ok([], reason="LICENSE file names no license we know")
    rec = RecordBuilder(url, "hub_license")
    rec.set("hub_id", hub_id, None)
    rec.set("name", hub_id.rpartition("/")[2], None)
    _set_license(rec, license_id, snippet)
    return Extraction.ok([rec.build()])


def _set_license(rec: RecordBuilder, license_id: str | None, snippet: str | None) -> None:
    rec.set("license", license_id, snippet)
    rec.set("commercial_use", commercial_use(license_id), snippet)


_LICENSE_LINE = re.compile(r"(?im)^\s*[-*]?\s*\**licen[sc]e\**\s*:?\s*\**\s*:?\s*(?P<value>\S.*)$")
_LICENSE_HEADING = re.compile(r"(?im)^#{1,6}[^\n]*\blicen[sc]e\b[^\n]*$")
_NON_COMMERCIAL = re.compile(r"(?i)\bnon[- ]?commercial\b|\bresearch[- ]only\b|\bnot for commercial\b")


def license_in_body(text: str) -> tuple[str | None, str | None]:
    """A license the card's body states for itself: a `License:` line, else the first sentences
    under a License heading ("released under the Apache-2.0 License")."""
    for match in _LICENSE_LINE.finditer(text):
        value = inline_text(match.group("value"))
        license_id = normalize_license(value) if len(value) < 60 and " " not in value.strip() else None
        if license_id is None:
            license_id, _ = license_in_text([value, f"under the {value.rstrip('. ')}"])
            license_id = None if license_id == "proprietary" else license_id
        if license_id:
            return license_id, match.group(0).strip()
    for heading in _LICENSE_HEADING.finditer(text):
        section = text[heading.end() : heading.end() + 800].split("\n#", 1)[0]
        # "The code in this repo is released under Apache-2.0" is not the weights' license.
        lines = [inline_text(line.lstrip("*-+ ")) for line in section.splitlines() if line.strip()]
        said = [s for line in lines[:4] for s in sentences(line) if not about_code_only(s)]
        license_id, sentence = license_in_text(said)
        if license_id and license_id != "proprietary":
            return license_id, sentence
    return None, None


def _commercial_terms_in_body(text: str) -> tuple[str | None, str | None]:
    """'no' where a License line or section says non-commercial / research-only."""
    for match in _LICENSE_LINE.finditer(text):
        if _NON_COMMERCIAL.search(match.group("value")):
            return "no", match.group(0).strip()
    return None, None


_BOILERPLATE = re.compile(
    r"(?i)^(?:(?:for (?:more|full|further) (?:details|information)|please (?:refer|see|read)|disclaimer|"
    r"find below|it is (?:highly )?recommended|you can find|if you (?:require|want|need)|this format must|"
    r"note that|note:|you are encouraged|play with|join (?:our|us)|we support a|try (?:it|the model|our)|check out|"
    r"\W*(?:🚨|⚠|📢|🔥|🎉|✨|👋|📍))[^.!?]*?(?:https?://\S+\s*|[.!?]|:(?=\s))\s*)+"
)
_LABEL_PREFIX = re.compile(r"^(?:model )?(?:description|summary|overview|about)\s*:\s*", re.IGNORECASE)


_MODEL_TYPE = re.compile(r"(?im)^\s*[-*]\s*\*\*model type:?\*\*:?\s*(.+?)\s*$")


def model_type_in_card(text: str) -> tuple[str, str] | None:
    """(pipeline tag, line) where the template's "Model type:" line names a Hub task
    ("- **Model type:** Text2Text Generation"); free wording ("Causal decoder-only") says none."""
    known = pipeline_tags()
    for match in _MODEL_TYPE.finditer(text):
        tag = re.sub(r"[\s_]+", "-", match.group(1).strip(" .;").lower())
        if tag in known:
            return tag, match.group(0).strip()
    return None


# Sections of the Hub's model-card template that never say what a model is, and those that do.
_NOT_DESCRIPTION = re.compile(
    r"(?i)\b(?:bias|risks?|limitations|out-of-scope|recommendations?|citation|bibtex|environmental impact"
    r"|technical specifications|model card (?:authors?|contact)|glossary|training|evaluation|uses?"
    r"|how to get started|disclaimers?|acknowledge?ments?|licen[cs]e)\b"
)
_DESCRIBING = re.compile(r"(?i)^(?:model (?:description|summary|overview)|overview|introduction|about|summary)\b")
_NO_INFORMATION = re.compile(r"(?i)^\W*more information needed\W*$")
_DIRECT_USE = re.compile(r"(?i)^(?:direct use|uses|intended uses?)\b")
_TASK_FILLER = re.compile(r"(?i)^this model can be used for the task of [\w\s-]{1,30}\.?$")  # the task field says it


def card_paragraphs(text: str) -> list[str]:
    """A model card's descriptive paragraphs in order, without the template's sections (and
    their sub-sections) about uses, risks, training, evaluation and citation, which never say
    what the model is. Under 'Model Description' a short line counts too ("Russian texts
    sentiment classification.")."""
    paragraphs, skipped_level = [], None
    for level, heading, body in markdown_sections(text):
        if skipped_level is not None and level > skipped_level:
            continue
        skipped_level = None
        describing = bool(_DESCRIBING.match(heading))
        if _NOT_DESCRIPTION.search(heading) and not describing:
            skipped_level = level
            continue
        short = 3 if describing else 6
        for paragraph in markdown_paragraphs(body, min_words=short if describing else 8, sentences_only=not describing):
            paragraph = _without_boilerplate(paragraph)
            if len(paragraph.split()) >= short and not _NO_INFORMATION.match(paragraph):
                paragraphs.append(paragraph)
    return paragraphs


def use_paragraphs(text: str) -> list[str]:
    """What the template's "Direct Use" (or "Uses") section says the model is for ("This model
    is designed for creative story generation."): the description of a card whose own
    description section says nothing but "More information needed"."""
    paragraphs = []
    for _, heading, body in markdown_sections(text):
        if _DIRECT_USE.match(heading):
            for paragraph in markdown_paragraphs(body, min_words=6, sentences_only=True):
                paragraph = _without_boilerplate(paragraph)
                if not (_NO_INFORMATION.match(paragraph) or _TASK_FILLER.match(paragraph)):
                    paragraphs.append(paragraph)
    return paragraphs


def _without_boilerplate(paragraph: str) -> str:
    """A card paragraph without leading notices and pointers ('For more details please refer
    to ...', 'Disclaimer: ...', '🚨 ...') or a 'Model Description:' label."""
    return _LABEL_PREFIX.sub("", _BOILERPLATE.sub("", paragraph)).strip()


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """(metadata, body, problem). Finds a `---` block even after a few wrapper lines."""
    lines = text.lstrip("\ufeff").splitlines()
    start = _front_matter_start(lines)
    if start is None:
        return {}, text, None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, text, "front matter not closed"
    block = "\n".join(lines[start + 1 : end])
    body = "\n".join(lines[:start] + lines[end + 1 :])
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return {}, body, f"malformed YAML front matter{where}"
    if meta is None:
        return {}, body, None
    if not isinstance(meta, dict):
        return {}, body, "front matter is not a mapping"
    return meta, body, None


def _front_matter_start(lines: list[str]) -> int | None:
    """The `---` line that opens the front matter: the first one followed by a `key:` line (a
    wrapper may put a markdown rule `---` above the real block), else the first one."""
    rules = [i for i, line in enumerate(lines[:12]) if line.strip() == "---"]
    for i in rules:
        following = next((line for line in lines[i + 1 :] if line.strip()), "")
        if _YAML_KEY.match(following):
            return i
    return rules[0] if rules else None


def _model_record(url: str, hub_id: str, extractor: str) -> RecordBuilder:
    rec = RecordBuilder(url, extractor)
    org, _, name = hub_id.rpartition("/")
    rec.set("hub_id", hub_id, None)
    rec.set("name", name, None)
    rec.set("vendor", vendor_for_org(org) if org else None, None)
    rec.set("kind", "model", None)
    rec.set("open_weights", True, f"{HUB}/{hub_id}")
    rec.set("entry", "free", f"weights downloadable from {HUB}/{hub_id}")
    rec.set("urls", [f"{HUB}/{hub_id}"], None)
    return rec


def _declared_license(meta: dict[str, Any], tags: list[str]) -> tuple[str | None, str | None]:
    raw = meta.get("license")
    if isinstance(raw, list):
        raw = next((item for item in raw if isinstance(item, str)), None)
    if raw is None or (isinstance(raw, str) and raw.strip().lower() == "other"):
        name = meta.get("license_name")
        if isinstance(name, str) and name.strip():
            return name, f"license: {raw or '(none)'}, license_name: {name}"
    if isinstance(raw, str) and raw.strip():
        return raw, f"license: {raw}"
    for tag in tags:
        if tag.startswith("license:") and tag != "license:other":
            return tag.split(":", 1)[1], tag
    return None, None


def _base_model(meta: dict[str, Any], tags: list[str]) -> tuple[str | None, str | None]:
    relation = meta.get("base_model_relation")
    for tag in tags:
        parts = tag.split(":")
        if len(parts) == 3 and parts[0] == "base_model" and parts[1] in _RELATIONS:
            return parts[2], parts[1]
    base = meta.get("base_model")
    if isinstance(base, list):
        base = next((b for b in base if isinstance(b, str)), None)
    if not isinstance(base, str) or "/" not in base:
        base = next(
            (t.split(":", 1)[1] for t in tags if t.count(":") == 1 and t.startswith("base_model:")),
            None,
        )
    return base, relation if relation in _RELATIONS else None


# "The model originally used for fine-tuning is [Stable Diffusion 1.4](https://huggingface.co/CompVis/...)",
# "fine-tuned from [Llama-2-7b](https://huggingface.co/meta-llama/Llama-2-7b)": the link to the base
# model's repository follows the words that say it was fine-tuned from it.
_FINE_TUNED_FROM = re.compile(
    r"(?i)(?:\bfine-?tuned\s+(?:(?:from|version of)\s+)?|\bused for fine-?tuning is\s+|\bfine-?tune of\s+)(?:the\s+)?"
    r"\[[^\]]{1,80}\]\(https?://huggingface\.co/(?P<id>[\w.\-]+/[\w.\-]+)/?\)"
)
_NOT_MODEL_OWNERS = {"datasets", "spaces", "docs", "blog", "papers", "collections"}


def base_model_in_body(text: str) -> tuple[str | None, str | None]:
    """The base model a card's prose says it was fine-tuned from, as a linked Hub repository,
    with its sentence (lines of lists, tables and code say nothing)."""
    for line in text.splitlines()[:200]:
        if line.lstrip().startswith(("-", "*", "|", "#", ">", "`")):
            continue
        for sentence in sentences(line):
            found = _FINE_TUNED_FROM.search(sentence)
            if found and found["id"].split("/")[0] not in _NOT_MODEL_OWNERS:
                return found["id"], inline_text(sentence)
    return None, None


def _set_base(
    rec: RecordBuilder, base: str | None, relation: str | None, hub_id: str, snippet: str | None = None
) -> None:
    if not base or base.lower() == hub_id.lower():
        return
    if relation is None:
        relation = "quantized" if _QUANTIZED_NAME.search(hub_id) else "finetune"
    rec.extra["base_model"] = base
    rec.extra["base_model_relation"] = relation
    rec.evidence["family"] = {
        "url": rec.url,
        "snippet": snippet or f"base_model: {base}",
        "extractor": rec.extractor,
    }


_MOE = re.compile(r"(?i)(?:^|[-_ /])(\d+)x(\d+(?:\.\d+)?)b(?=$|[-_ .])")
_SIZE = re.compile(r"(?i)(?:^|[-_ /])(\d+(?:\.\d+)?)([bm])(?=$|[-_ ])")


def params_from_name(name: str) -> float | None:
    """'Qwen2.5-VL-7B-Instruct' -> 7.0; 'SmolVLM2-256M' -> 0.26; 'Mixtral-8x7B' -> 56.0."""
    moe = _MOE.search(name)
    if moe:
        return round(int(moe.group(1)) * float(moe.group(2)), 2)
    size = _SIZE.search(name)
    if not size:
        return None
    value = float(size.group(1))
    return round(value / 1000 if size.group(2).lower() == "m" else value, 2)


_PARAMS_STATED = re.compile(
    r"(?i)(?<![\w.])(?P<n>\d+(?:\.\d+)?)[\s-]*(?P<u>b|bn|billion|m|million)\b[\s-]*(?:total\s+)?param",
)
_PARAMS_FIELD = re.compile(
    r"(?i)\b(?:number of |total )?param(?:eter)?s?(?: count)?\**\s*[:|]\s*(?:\|\s*)?\**\s*"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>b|bn|billion|m|million)\b"
)


def params_in_text(text: str) -> tuple[float | None, str | None]:
    """A parameter count the card states ('176B parameters', 'Parameters: 7.3B'), in billions."""
    matches = [m for pattern in (_PARAMS_FIELD, _PARAMS_STATED) for m in pattern.finditer(text)]
    if not matches:
        return None, None
    match = min(matches, key=lambda m: m.start())
    value = float(match.group("n"))
    if match.group("u").lower().startswith("m"):
        value /= 1000
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    return round(value, 2), text[line_start : line_end if line_end > 0 else None]


def _params_from_name(rec: RecordBuilder, hub_id: str) -> None:
    name = hub_id.rpartition("/")[2]
    rec.set("params_b", params_from_name(name), name)
