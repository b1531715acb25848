"""Text helpers shared by the extractors: real paragraphs out of markdown, sentences."""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_TAG = re.compile(r"<[^>]+>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1")
_SKIP_START = ("#", "|", "- ", "* ", "+ ", "@", "[!", "<!--", "![", "[![", "=", "---")
_HTML_BLOCK = re.compile(
    r"(?i)^</?(?:table|thead|tbody|tr|td|th|div|ul|ol|li|dl|dt|dd|details|summary|center|hr|br|img|figure|picture"
    r"|source|video|iframe|h[1-6])\b"
)
_QUOTE = re.compile(r"^\s*>\s?")
_STYLE_OR_SCRIPT = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|approx|incl|Dr|Mr|Ms|No|Fig|Mio|Mrd|ca|bzw)\.$", re.IGNORECASE)


def markdown_sections(text: str) -> list[tuple[int, str, str]]:
    """(level, heading, body) in order; the text before the first heading has level 0 and heading
    ''. Lines in code fences never start a section ("# install" in a shell block)."""
    sections: list[tuple[int, str, list[str]]] = [(0, "", [])]
    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        heading = _HEADING.match(line) if not in_code else None
        if heading:
            sections.append((len(heading.group(1)), inline_text(heading.group(2)).strip(), []))
        else:
            sections[-1][2].append(line)
    return [(level, heading, "\n".join(lines)) for level, heading, lines in sections]


def markdown_paragraphs(text: str, min_words: int = 8, sentences_only: bool = True) -> list[str]:
    """Prose paragraphs of a markdown body, in order: no headings, tables, code, badges, lists,
    HTML blocks, citations or link lists. Inline markup is reduced to its text. With
    `sentences_only`, a paragraph needs sentence punctuation."""
    blocks: list[list[str]] = [[]]
    in_code = False
    text = _STYLE_OR_SCRIPT.sub("\n", text)
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            blocks.append([])
            continue
        if in_code:
            continue
        if not line.strip():
            blocks.append([])
        else:
            blocks[-1].append(line)
    paragraphs = []
    for block in blocks:
        if block and all(_QUOTE.match(line) for line in block):  # a quoted abstract reads as prose
            block = [_QUOTE.sub("", line) for line in block]
            if block[0].lstrip().startswith(("[!", ">")):  # a GitHub notice, a nested quote
                continue
        if not block or block[0].lstrip().startswith(_SKIP_START) or block[0].startswith("    "):
            continue
        if _HTML_BLOCK.match(block[0].lstrip()) or _QUOTE.match(block[0]):
            continue
        raw = " ".join(line.strip() for line in block)
        if raw.lower().startswith(("table of contents", "contents:", "citation", "bibtex")):
            continue
        clean = inline_text(raw)
        words = clean.split()
        if len(words) < min_words or (sentences_only and not re.search(r"[.!?:]", clean)):
            continue
        if sum(w[0].isalpha() for w in words) < len(words) * 0.6:
            continue
        if clean.count(" | ") >= 2 or len(_CJK.findall(clean)) > len(clean) * 0.2:
            continue  # a link bar, or not English (the site is)
        paragraphs.append(clean)
    return paragraphs


def inline_text(text: str) -> str:
    """Markdown/HTML inline markup reduced to its text."""
    text = _IMAGE.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(html.unescape(text).split())


def sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking '$1.25', 'e.g.' or version numbers."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(\[$])", " ".join(text.split()))
    merged: list[str] = []
    for part in parts:
        if merged and _ABBREVIATIONS.search(merged[-1]):
            merged[-1] += " " + part
        else:
            merged.append(part)
    return [s for s in merged if s]


def first_sentences(text: str, max_sentences: int = 3, max_chars: int = 600) -> str:
    """The lead: up to `max_sentences` whole sentences within `max_chars`."""
    chosen: list[str] = []
    for sentence in sentences(text):
        if chosen and (len(chosen) >= max_sentences or len(" ".join([*chosen, sentence])) > max_chars):
            break
        chosen.append(sentence)
    return " ".join(chosen)
