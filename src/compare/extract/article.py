"""Launch posts and pricing pages: the launched tool, its vendor, lead, prices and license.

Main text comes from trafilatura, page metadata (OpenGraph, JSON-LD) from extruct; price tables
are read from the HTML itself.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
import trafilatura
from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor

from compare.extract import grids, price_rows, price_tables, pricing
from compare.extract.attributes import attribute_facts, json_ld_facts
from compare.extract.hub import params_from_name, params_in_text
from compare.extract.launch import Verdict, classify, former_names, is_name, is_product_name
from compare.extract.license import (
    PROPRIETARY,
    commercial_use,
    license_in_text,
    normalize_license,
    open_weights_in_text,
)
from compare.extract.model_tables import model_table_records
from compare.extract.text import first_sentences, sentences
from compare.extract.vocab import catalogue_hosts, code_hosts, vendor_for_org, vendor_for_url
from compare.records import Extraction, RecordBuilder, name_key

EXTRACTOR = "article"

# A language model that reads images too ("image input"; not a sibling's id "Phi-4-multimodal-instruct").
_MULTIMODAL_WORDS = r"(?<![\w-])multimodal(?!-)|text and images?|images and text|image (?:inputs?|understanding)"
_MULTIMODAL = re.compile(_MULTIMODAL_WORDS, re.IGNORECASE)
# What a closed tool works with, from words in its launch post; the first that matches wins.
_MODALITY_WORDS = (
    (
        "image-generation",
        r"text-to-image|image generation|generat\w* images|\bproduc(?:e|es|ed|ing)\b(?: [\w-]+){0,2} images",
    ),
    ("video", r"video generation|text-to-video|generat\w* video"),
    ("speech", r"speech recognition|transcri\w+ audio|text-to-speech|voice model"),
    ("embedding", r"embedding model"),
    ("vision-language", r"vision[- ]language|\bVLMs?\b|vision models?"),
    ("multimodal", _MULTIMODAL_WORDS),
    ("text", r"language models?|\bLLMs?\b|reasoning models?|coding|agentic|tokens"),
)
_MODALITY_PATTERNS = [(modality, re.compile(words, re.IGNORECASE)) for modality, words in _MODALITY_WORDS]
# A lead that calls the tool a model ("the new generation of our flagship model"): a model, not an
# app (an app is "the best way to talk to our most capable models").
_IS_MODEL = re.compile(
    r"(?i)\b(?:language|flagship|frontier|reasoning|foundation|multimodal|embedding|small|large|open|newest|latest"
    r"|fastest|smartest|most \w+) model\b|\b\d+(?:\.\d+)? ?(?:billion|B)[ -]parameters?\b"
)
# ...unless the model powers an app the lead is about ("Le Chat, powered by our latest model").
_IS_APP = re.compile(r"(?i)\b(?:powered by|built on|way to (?:use|talk|chat)|apps?|assistant)\b")
# A model's name in a sentence ("DeepSeek-V3", "GPT-4o"): a size there may be that model's.
_MODEL_NAME = re.compile(r"\b[A-Za-z]+-?[vV]?\d")
_HUB_LINK = re.compile(r"^https?://huggingface\.co/(?P<id>[\w.\-]+/[\w.\-]+)/?$")
# Hub site pages shaped like ORG/NAME that are not models ('/join/discord', '/docs/hub').
_HUB_SITE_PATHS = tuple(
    f"{path}/"
    for path in (
        "blog", "docs", "spaces", "datasets", "join", "login", "settings", "organizations", "collections",
        "papers", "learn", "models", "tasks", "posts", "new", "pricing", "enterprise", "api",
    )
)  # fmt: skip
_TITLE_SUFFIX = re.compile(r"\s*[|\-–—]\s*[^|\-–—]{2,40}$")


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def main_text(doc: Any, url: str) -> str:
    """trafilatura's main text of the parsed page (trafilatura works on its own copy of the
    tree): one heading, paragraph or list item per line, whitespace collapsed."""
    document = trafilatura.bare_extraction(doc, url=url, include_tables=False, include_comments=False, fast=True)
    root = getattr(document, "body", None)
    if root is None:
        return ""
    blocks = ("head", "p", "item")
    lines = [
        " ".join(" ".join(element.itertext()).translate(_INVISIBLE).split())
        for element in root.iter(*blocks)
        if not any(ancestor.tag in blocks for ancestor in element.iterancestors())
    ]
    return "\n".join(line for line in lines if line)


def _params(name: str, said: list[str]) -> tuple[float | None, str | None]:
    """The tool's size in billions of parameters: as its name says ("Ministral 8B"), else as the
    sentences naming it say, else as the post first says (a list item "123 billion parameters")."""
    if (size := params_from_name(name)) is not None:
        return size, name
    naming = [sentence for sentence in said if name.lower() in sentence.lower()]
    found = params_in_text("\n".join(naming))
    unnamed = [sentence for sentence in said if not _MODEL_NAME.search(sentence)]  # not "DeepSeek-V3, a 671B model"
    return found if found[0] is not None else params_in_text("\n".join(unnamed))


_LANGUAGE = ("text", "multimodal")


def _names_sibling(sentence: str, name: str) -> bool:
    """The sentence names another model of the tool's line ("Phi-4-multimodal" in a Phi-4-mini post)."""
    stem = re.split(r"[\s-]", name.lower())[0]
    named = bool(stem) and re.search(rf"\b{re.escape(stem)}\b", sentence.lower()) is not None
    return named and name.lower() not in sentence.lower()


def modality_in_text(said: list[str], name: str = "") -> tuple[str | None, str | None]:
    """(modality, sentence): what most sentences naming the tool say it works with, else most
            sentences of the page (a tool list naming "image generation" once does not make a reasoning
            model an image model); ties go to the earliest. A sentence says the first modality it matches;
        text and multimodal count together, and a language model the page says reads images is
    multimodal, unless only a sibling of its line does."""
    naming = [sentence for sentence in said if name and name.lower() in sentence.lower()]
    for group in (naming, said):
        votes: dict[str, list[str]] = {}
        for sentence in group:
            found = next((m for m, pattern in _MODALITY_PATTERNS if pattern.search(sentence)), None)
            if found:
                votes.setdefault(found, []).append(sentence)
        if votes:
            language = len(votes.get("text", [])) + len(votes.get("multimodal", []))
            modality = max(votes, key=lambda m: language if m in _LANGUAGE else len(votes[m]))  # ties: first seen
            reads_images = [s for s in said if _MULTIMODAL.search(s) and not _names_sibling(s, name)]
            if modality in _LANGUAGE:  # multimodal only where the page says the tool itself reads images
                return ("multimodal", reads_images[0]) if reads_images else ("text", (votes.get("text") or said)[0])
            return modality, votes[modality][0]
    return None, None


def metadata(doc: Any, url: str) -> dict[str, Any]:
    """OpenGraph and JSON-LD fields we use, flattened, from the parsed page."""
    data: dict[str, list] = {}
    for syntax, extractor in (("opengraph", OpenGraphExtractor()), ("json-ld", JsonLdExtractor())):
        try:
            data[syntax] = extractor.extract_items(doc, base_url=url)
        except Exception:  # extruct raises on some broken markup; metadata is optional
            data[syntax] = []
    meta: dict[str, Any] = {"ld:items": []}
    for block in data.get("opengraph", []):
        for key, value in block.get("properties", []):
            meta.setdefault(key, value)
    for block in data.get("json-ld", []):
        items = block.get("@graph", [block]) if isinstance(block, dict) else []
        for item in items:
            if not isinstance(item, dict):
                continue
            meta["ld:items"].append(item)
            meta.setdefault("ld:headline", item.get("headline"))
            meta.setdefault("ld:datePublished", item.get("datePublished"))
            publisher = item.get("publisher")
            if isinstance(publisher, dict):
                meta.setdefault("ld:publisher", publisher.get("name"))
    return {k: v for k, v in meta.items() if v}


_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def release_date(doc: Any, meta: dict[str, Any]) -> tuple[str | None, str | None]:
    """(YYYY-MM-DD, evidence) from the page's metadata, else from its byline (htmldate without
    its guessing extensive search), kept only where the date is written on the page."""
    stated = meta.get("article:published_time") or meta.get("ld:datePublished")
    if stated and re.match(r"\d{4}-\d\d-\d\d", str(stated)):
        return str(stated)[:10], str(stated)
    try:
        found = htmldate.find_date(copy.deepcopy(doc), original_date=True, extensive_search=False)
    except Exception:  # htmldate on markup it cannot parse: no date
        return None, None
    if not found:
        return None, None
    written = _written_date(_visible_text(doc), date.fromisoformat(found))
    return (found, written) if written else (None, None)


def _visible_text(doc: Any) -> str:
    """The page's text without scripts and styles (what a reader sees)."""
    return " ".join(t for t in doc.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))


def _written_date(text: str, day: date) -> str | None:
    """How the page writes `day` ('December 26, 2024', '26. Dezember 2024', '2024-12-26')."""
    forms = [day.isoformat(), f"{day.year}/{day.month:02d}/{day.day:02d}"]
    for months in _MONTHS.values():
        month = months.split()[day.month - 1]
        for name in (month, month[:3]):
            forms += [
                f"{name} {day.day}, {day.year}", f"{name} {day.day:02d}, {day.year}", f"{name}. {day.day}, {day.year}",
                f"{day.day} {name} {day.year}", f"{day.day}. {name} {day.year}", f"{day.day:02d}. {name} {day.year}",
            ]  # fmt: skip
    flat = " ".join(text.split())
    lowered = flat.lower()
    for form in forms:
        at = lowered.find(form.lower())
        if at >= 0:
            return flat[at : at + len(form)]
    return None


_PACKAGED = {"gguf", "awq", "gptq", "mlx", "exl2", "bnb", "onnx"}  # a packager's copy, not the maker's repository
_HUB_URL_IN_TEXT = re.compile(r"https?://huggingface\.co/([\w.\-]+/[\w.\-]+)")


def _hub_links(doc: Any, url: str) -> list[str]:
    links = []
    on_hub = "huggingface.co" in url  # else only a link that names the Hub can lead there
    for href in doc.xpath("//a/@href"):
        if not on_hub and "huggingface.co" not in href:
            continue
        absolute = urljoin(url, str(href).strip())
        match = _HUB_LINK.match(absolute.split("#")[0].split("?")[0])
        if match and not match.group("id").lower().startswith(_HUB_SITE_PATHS):
            links.append(match.group("id"))
    return list(dict.fromkeys(links))


_PRICING_LINK = re.compile(r"(?i)pric|preise|tarif")
_DOCS_URL = re.compile(
    r"(?i)^https?://(?:docs|developers?|learn)\.|/docs?\b|/documentation|/guides?/|/reference"
    r"|/api-reference|/help/|readthedocs|/userguide|getting-started|quickstart"
)
_DOCS_WORDS = re.compile(r"(?i)\bdocs?\b|documentation|dokumentation|\bguide\b|\breference\b|quickstart|developer")


def doc_links(doc: Any, url: str) -> dict[str, tuple[str, str]]:
    """{"docs" | "pricing": (absolute URL, anchor text)}: the first link of each kind in the
    post's own text (site navigation, headers and footers left out), told by its words or URL."""
    found: dict[str, tuple[str, str]] = {}
    body = next(iter(doc.xpath("//main|//article")), doc)
    chrome = grids.chrome_elements(doc)
    for anchor in body.iter("a"):
        href = str(anchor.get("href") or "").strip()
        if not href or href.startswith("#") or anchor in chrome:
            continue
        text = " ".join(" ".join(anchor.itertext()).split())
        if not text:
            continue
        target = urljoin(url, href)
        if not target.startswith("http") or target.rstrip("/") == url.rstrip("/"):
            continue
        if _PRICING_LINK.search(text) or _PRICING_LINK.search(urlsplit(target).path):
            found.setdefault("pricing", (target, text))
        elif _DOCS_URL.search(target) or (_DOCS_WORDS.search(text) and "/blog" not in target):
            found.setdefault("docs", (target, text))
    return found


def _title(meta: dict[str, Any], doc: Any) -> str | None:
    h1 = doc.xpath("//h1")
    head_title = doc.findtext(".//title")
    candidates = [
        meta.get("og:title"),
        meta.get("ld:headline"),
        " ".join(h1[0].text_content().split()) if h1 else None,
        " ".join(head_title.split()) if head_title else None,  # a page with nothing but its <title>
    ]
    for candidate in candidates:
        if candidate:
            return _TITLE_SUFFIX.sub("", str(candidate)).strip() if "|" in str(candidate) else str(candidate)
    return None


# "Now in Preview: Groq's First Compound AI System" announces a tool its lead then names.
_UNNAMED_LAUNCH = re.compile(r"(?i)\b(?:now\s+in\s+preview|now\s+available|introducing|announcing|first|new)\b")
_LEAD_NAMES = re.compile(
    r"^(?P<name>[A-Z][\w.\-]*(?:\s+[A-Z0-9][\w.\-]*){0,3})\s+is\s+(?:now\s+)?(?:our|[\w.\-]+['’]s)\s+"
    r"(?:first|new|newest|latest)\b"
)


def _named_by_lead(title: str, text: str) -> Verdict | None:
    """A launch whose title describes the tool without naming it, named by the lead's subject;
    or whose title is only the tool's name, which the lead then defines ("Devstral est un...")."""
    lead, _ = _lead(text)
    match = _LEAD_NAMES.match(lead or "") if _UNNAMED_LAUNCH.search(title) else None
    if match:
        name = match.group("name")
        return Verdict(True, name, f"title announces a launch and the lead names {name!r}")
    opening = [s for paragraph in text.split("\n")[:4] for s in sentences(paragraph)[:1]]
    if is_product_name(title) and any(_defines(title).match(sentence) for sentence in opening):
        return Verdict(True, title, f"title names {title!r} and the lead says what it is")
    return None


_NOTE = re.compile(r"(?i)^(?:update\b|tl;?dr\b|note\b|editor'?s note\b)")
# "Kimi K2 is our latest...", not "Kimi K2 is available today..."
_DEFINES = r"\s*(?:\([^)]*\)\s*)?(?:is|are|ist|sind|est|sont)\b(?!\s+(?:now\s+)?(?:available|live|out|here)\b)"
_ANNOUNCES = re.compile(
    r"(?i)^(?:today,?\s+)?we(?:'re|’re|\s+are)?\s+(?:\w+\s+)?(?:introduc|announc|launch|releas|expand|unveil)\w*"
)


def _defines(name: str) -> re.Pattern[str]:
    """A sentence that says what `name` is."""
    return re.compile(rf"(?i)^{re.escape(name)}{_DEFINES}")


def _lead(text: str, name: str | None = None) -> tuple[str | None, str | None]:
    """The description: 2-3 sentences from the first sentence that says what `name` is ("Kimi K2
    is our latest...", "Today we're announcing Kimi K2, ..."), else from the first real paragraph
    that is no update note."""
    paragraphs = [
        p.strip()
        for p in text.split("\n")
        if len(p.strip()) >= 80 and len(p.split()) >= 12 and re.search(r"[.!?]", p) and not _NOTE.match(p.strip())
    ]
    if name:
        defines = _defines(name)

        def says_what(sentence: str) -> bool:
            return bool(defines.match(sentence) or (_ANNOUNCES.match(sentence) and name.lower() in sentence.lower()))

        for paragraph in paragraphs[:6]:
            said = sentences(paragraph)
            start = next((i for i, sentence in enumerate(said) if says_what(sentence)), None)
            if start is not None:
                return first_sentences(" ".join(said[start:]), max_sentences=3, max_chars=500), paragraph
    if paragraphs:
        return first_sentences(paragraphs[0], max_sentences=3, max_chars=500), paragraphs[0]
    return None, None


_PRICING_WORDS = re.compile(r"(?i)\b(?:pricing|plans?|prices|tarifs?|preise)\b|&|[|:–—-]")


def _product(meta: dict[str, str], vendor: str | None) -> str | None:
    """What the page's plans are plans of: the site's name unless it is the vendor's, else a
    short page title once pricing words are gone ("ChatGPT Pricing" -> ChatGPT)."""
    site = meta.get("og:site_name")
    if site and site != vendor:
        return site
    title = " ".join(_PRICING_WORDS.sub(" ", meta.get("og:title") or "").split())
    if title and len(title.split()) <= 3 and title != vendor:
        return title
    return None


def page_vendor(url: str, meta: dict[str, Any], stated: dict[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    """(vendor, evidence): the maker a page states (a Provider row, a JSON-LD author), else the
    owner on a code host (github.com/black-forest-labs/...), else the site's own vendor; a
    catalogue, registry or code host is never the vendor of a model it lists."""
    if "vendor" in stated:
        return stated["vendor"]
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    owner = urlsplit(url).path.strip("/").split("/")[0]
    if host in code_hosts() and owner:
        return vendor_for_org(owner), owner
    if host in catalogue_hosts():
        return None, None
    site = meta.get("og:site_name") or meta.get("ld:publisher")
    return vendor_for_url(url) or site, site or host


_SECTION_HEADING = re.compile(
    r"(?i)^(?:description|overview|characteristics|key features|features|usage|model details|model card"
    r"|summary|introduction|about|highlights|quick ?start|getting started|license|limitations)\b"
)
_DEFINES_TOOL = re.compile(
    r"^[`'\"]?(?!(?:This|The|It|These|Our|We|Its)\b)(?P<name>[A-Za-z0-9][\w.\-]*(?:\s+(?:\[\w+\]|[A-Z0-9][\w.\-]*)){0,4})[`'\"]?"
    r"(?:\s+and\s+[`'\"]?[\w.\-]+[`'\"]?)?\s+(?:is|are)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w.\-]+\s+){0,8}?(?:model|models|LLM|transformer|family|series|suite|library|tool|assistant)\b"
)


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013"})
_POSSESSIVE = re.compile(r"^[A-Z][\w&.\-]*['’]s\s+")
_WE_INTRODUCE = re.compile(
    r"(?i)^(?:today,?\s+)?we(?:'re|’re|\s+are)?\s+(?:proud to\s+)?(?:introduc|present|releas|announc|unveil)\w*\s+"
    r"(?P<name>(?-i:[A-Z])[\w.\-]*(?:\s+(?-i:[A-Z0-9])[\w.\-]*){0,3})[,:]"
)
_FROM_MAKER = re.compile(
    r"\b(?:model|models|LLM|family|series) (?:from|by) (?P<vendor>[A-Z][\w&.\-]*(?: [A-Z][\w&.\-]*){0,2})"
)


def _tool_name(doc: Any, text: str) -> tuple[str | None, str | None]:
    """(name, evidence) of the tool a page describes: a heading above the first paragraph that is
    a name (not a section heading, not a path like 'ai/qwen3'), else the subject of a lead that
    says what it is or that announces it ("We introduce DeepSeek-V3.2, a model...")."""
    content = next(iter(doc.xpath("//main|//article")), doc)
    chrome = grids.chrome_elements(doc)
    for element in content.iter("h1", "h2", "h3", "p"):
        if element in chrome:
            continue
        words = " ".join(element.text_content().split()).translate(_DASHES)
        if element.tag == "p":
            if len(words.split()) >= 8:
                break
            continue
        words = _POSSESSIVE.sub("", words).split(":")[0].strip()
        if "/" not in words and not _SECTION_HEADING.match(words) and is_name(words):
            return words, words
    for paragraph in text.split("\n")[:8]:
        match = _DEFINES_TOOL.match(paragraph.translate(_DASHES)) or _WE_INTRODUCE.match(paragraph)
        if match:
            return match.group("name"), paragraph
    return None, None


def _defining_lead(text: str) -> str | None:
    """The first paragraph of the opening ones that says what a tool is or announces it."""
    return next(
        (p for p in text.split("\n")[:8] if _DEFINES_TOOL.match(p.translate(_DASHES)) or _WE_INTRODUCE.match(p)), None
    )


def _describes_one_tool(doc: Any, text: str, stated: dict[str, tuple[str, str]]) -> Verdict | None:
    """A page about one tool without launch wording: a model card, a catalogue or registry entry,
    a product page. It says so by a spec table (Provider, License, Parameters...) or JSON-LD
    application naming the tool, or by a lead that says what the tool is."""
    name, _ = _tool_name(doc, text)
    spec = sorted(set(stated) & {"vendor", "license", "params", "context", "input_modalities"})
    if name and spec:
        return Verdict(True, name, f"the page describes one tool: its {'/'.join(spec)} rows")
    if "name" in stated and spec:
        return Verdict(True, stated["name"][0], "JSON-LD describes one application")
    if name and _defining_lead(text):
        return Verdict(True, name, f"the lead says what {name!r} is")
    return None


def extract_article(url: str, body: str) -> Extraction:
    """Records for the tool a page launches or describes and for each row of its price tables."""
    try:
        doc = grids.parse_html(body)
    except Exception as error:  # lxml: empty or undecodable document
        return Extraction.failed(f"unparseable HTML: {error}")
    meta = metadata(doc, url)
    stated = json_ld_facts(meta.get("ld:items", [])) | attribute_facts(doc)
    vendor, vendor_snippet = page_vendor(url, meta, stated)
    title = _title(meta, doc)
    text = main_text(doc, url)
    verdict = classify(title or "")
    if not verdict.launch:
        verdict = _named_by_lead(title or "", text) or _describes_one_tool(doc, text, stated) or verdict
    product = _product(meta, vendor)
    page_grids = list(grids.grids(doc, set()))  # read once, for price rows and model rows
    records = price_tables.page_records(doc, url, vendor, EXTRACTOR, verdict.launch, product, page_grids)
    records += model_table_records(doc, url, vendor, EXTRACTOR, verdict.name if verdict.launch else None, page_grids)
    if verdict.launch:
        launch = _launch_record(url, verdict.name, title, (vendor, vendor_snippet), meta, doc, text, body, stated)
        if verdict.formerly:  # the old name's pages are about this tool too
            launch["aliases"] = former_names(verdict.formerly, verdict.name)
        records += [_also_launched(url, other, title, launch) for other in verdict.also]
        records = [launch, *_adopt_price_tables(launch, records)]
    if not records:
        return Extraction.ok([], reason=f"not a launch ({verdict.reason})")
    return Extraction.ok(records)


_PRICE_HEADING = re.compile(r"(?i)^(?:api\s+)?(?:pricing|prices?|preise|tarifs?|kosten|availability and pricing)$")
_GENERIC_WORDS = {"api", "model", "the"}


def _adopt_price_tables(launch: dict[str, Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A launch post's price table prices the launched tool itself when it stands under a plain
    "Pricing" heading or names the tool ("Sonar" in "Introducing the Perplexity Sonar API").
    Where the prose named no entry class, prices make it paid, or freemium with a free tier."""
    kept = []
    for row in rows:
        if not (_PRICE_HEADING.match(row.get("name") or "") or _same_tool(row.get("name") or "", launch)):
            kept.append(row)
        elif not launch.get("prices"):
            launch["prices"] = row["prices"]
            launch["evidence"]["prices"] = row["evidence"]["prices"]
            if not launch.get("entry"):
                launch["entry"] = "freemium" if launch.get("free_tier") else "paid"
                launch["evidence"]["entry"] = row["evidence"]["prices"]
    return kept


def _same_tool(row_name: str, launch: dict[str, Any]) -> bool:
    def key(name: str) -> set[str]:
        return set(name_key(name, launch.get("vendor")).split()) - _GENERIC_WORDS

    return bool(key(row_name)) and key(row_name) == key(launch.get("name") or "")


def _also_launched(url: str, name: str, title: str, launch: dict[str, Any]) -> dict[str, Any]:
    """A second product the title launches: its name, vendor and date, from this post; the
    post's prices, license and text stay with the first, whose they may be alone."""
    rec = RecordBuilder(url, EXTRACTOR)
    rec.set("name", name, title)
    for field in ("vendor", "released"):
        rec.set(field, launch.get(field), launch.get("evidence", {}).get(field, {}).get("snippet"))
    rec.extra["page_kind"] = "launch"
    return rec.build()


_PULL_WEIGHTS = re.compile(r"\b(?:docker model|ollama|huggingface-cli|hf)\s+(?:pull|run|download)\s+[\w./:\-]+")


def _stated_license(stated: dict[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    """The license a License row or JSON-LD states: its id, else 'other' for a named license we
    cannot map (a row says there is one), with the row as evidence."""
    if "license" not in stated:
        return None, None
    value, snippet = stated["license"]
    return normalize_license(value) or "other", snippet


def _launch_record(
    url: str, name: str, title: str, vendor: tuple[str | None, str | None], meta: dict, doc: Any, text: str,
    body: str, stated: dict[str, tuple[str, str]],
) -> dict[str, Any]:  # fmt: skip
    rec = RecordBuilder(url, EXTRACTOR)
    rec.set("name", name, title if name in (title or "") else name)
    hub_links = _hub_links(doc, url)
    if vendor[0] is None:  # a catalogue page: the maker its text names, else its Hub link's owner
        lead = _defining_lead(text) or ""
        maker = _FROM_MAKER.search(lead)
        repos = [*hub_links, *_HUB_URL_IN_TEXT.findall(doc.text_content() or "")]  # links, and URLs in text
        words = set(name_key(name).split())
        repo_words = {h: set(name_key(h.split("/")[1]).split()) for h in repos if "/" in h}
        named = {h: (bool(found & _PACKAGED), len(found - words)) for h, found in repo_words.items() if words <= found}
        owner = min(named, key=named.__getitem__).split("/")[0] if named else None  # its own repo before a GGUF
        vendor = (maker.group("vendor"), lead) if maker else (vendor_for_org(owner), owner) if owner else vendor
    rec.set("vendor", *vendor)
    description, paragraph = _lead(text, name)
    rec.set("description", description, paragraph)
    rec.set("tagline", meta.get("og:description"), meta.get("og:description"))
    said = [s for paragraph in text.split("\n") for s in sentences(paragraph)]
    license_id, license_snippet = _stated_license(stated)  # a License row beats prose
    if license_id is None:
        license_id, license_snippet = license_in_text(said)
    open_weights, weights_snippet = open_weights_in_text(said)
    pulled = _PULL_WEIGHTS.search(doc.text_content() or "")
    if open_weights is None and pulled:  # a registry's pull command fetches the weights
        open_weights, weights_snippet = True, pulled.group(0)
    lead = description or ""
    calls_it_a_model = bool(_IS_MODEL.search(lead)) and not _IS_APP.search(lead)
    if license_id and license_id != PROPRIETARY and (hub_links or "license" in stated or calls_it_a_model):
        open_weights, weights_snippet = True, weights_snippet or license_snippet  # a model's license covers its weights
    if license_id == PROPRIETARY:
        open_weights, weights_snippet = False, license_snippet
    rec.set("license", license_id, license_snippet)
    rec.set("commercial_use", commercial_use(license_id), license_snippet)
    rec.set("open_weights", open_weights, weights_snippet)
    rec.set("params_b", *_params(name, said))
    modality, modality_snippet = modality_in_text(said, name)
    rec.set("modality", modality, modality_snippet)
    lines = [line for line in price_tables.pricing_section_lines(doc) if line not in said]
    facts = pricing.price_facts_in_text(said + lines, "input" if modality == "embedding" else None)
    facts.apply(rec, open_weights, license_id)
    kind = (
        "model"
        if open_weights
        else ("api" if re.search(r"\bAPI\b", f"{name} {text}") or calls_it_a_model else "product")
    )
    rec.set("kind", kind, None)
    released, released_snippet = release_date(doc, meta)
    rec.set("released", released, released_snippet)
    discount = next(((d, s) for s in said if (d := price_rows.batch_discount(s)) is not None), (None, None))
    rec.set("batch_discount", *discount)
    links = doc_links(doc, url)
    rec.set("links", {kind: link for kind, (link, _) in links.items()}, " … ".join(t for _, t in links.values()))
    if hub_links:
        rec.extra["hub_links"] = hub_links
        rec.fields.setdefault("urls", [])
        rec.fields["urls"] = [f"https://huggingface.co/{h}" for h in hub_links]
    rec.extra["page_kind"] = "launch"
    return rec.build()
