"""Real model-catalogue and vendor model cards, served as the web pages they would be.

`../shared/corpus/launch_pages` holds real markdown cards: Docker Hub's model catalogue
(`docker_hub_model_cards/`) and a vendor's own model cards on its code host
(`vendor_model_cards/`). Each is rendered to HTML and wrapped in page chrome of our own (site
navigation, a cookie banner, breadcrumbs, related links, a footer) so that extraction meets it as
it meets a real page; the card's text stays the real card's. Nothing here is committed: the pages
are built from the corpus into a mirror directory when an evaluation runs.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


@dataclass(frozen=True)
class CataloguePage:
    source: str  # the corpus file, relative to the corpus root
    url: str  # where the page lives on the web
    site: str  # the site's own name, as its chrome says it
    title: str
    html: str


def _docker_hub(path: Path, corpus: Path) -> CataloguePage:
    slug = path.stem
    text = path.read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), slug)
    url = f"https://hub.docker.com/r/ai/{slug}"
    body = _MARKDOWN.render(text)
    page = _chrome(
        site="Docker Hub",
        title=f"ai/{slug} - Docker Image | Docker Hub",
        og_title=f"ai/{slug}",
        nav=("Explore", "Repositories", "Organizations", "Pricing", "Sign in"),
        crumbs=("Explore", "Models", f"ai/{slug}"),
        main=f'<div class="repo-header"><h1>ai/{html.escape(slug)}</h1><p class="pulls">Pulls: 10K+ · Updated 3 months'
        f" ago</p><pre>docker model pull ai/{html.escape(slug)}</pre></div>"
        f'<section class="overview"><h2>Overview</h2>{body}</section>',
        related=("ai/llama3.2", "ai/gemma3", "ai/phi4", "ai/mistral", "ai/qwen2.5"),
        footer="© 2026 Docker Inc. All rights reserved. Terms of Service · Privacy · Cookie settings",
    )
    return CataloguePage(str(path.relative_to(corpus)), url, "Docker Hub", title, page)


def _vendor_card(path: Path, corpus: Path) -> CataloguePage:
    # black-forest-labs_flux__model_cards_FLUX.1-dev.md -> github.com/black-forest-labs/flux/blob/main/model_cards/...
    owner_repo, _, inner = path.stem.partition("__")
    owner, _, repo = owner_repo.partition("_")
    inner_path = inner.replace("model_cards_", "model_cards/") + ".md"
    url = f"https://github.com/{owner}/{repo}/blob/main/{inner_path}"
    text = path.read_text(encoding="utf-8")
    body = _MARKDOWN.render(text)
    page = _chrome(
        site="GitHub",
        title=f"{repo}/{inner_path} at main · {owner}/{repo} · GitHub",
        og_title=f"{repo}/{inner_path} at main · {owner}/{repo}",
        nav=("Product", "Solutions", "Resources", "Open Source", "Pricing", "Sign in", "Sign up"),
        crumbs=(owner, repo, *inner_path.split("/")),
        main=f'<div class="file-header"><span>{html.escape(inner_path)}</span><span>History</span></div>'
        f'<article class="markdown-body">{body}</article>',
        related=("Code", "Issues 120", "Pull requests 31", "Actions", "Security", "Insights"),
        footer="© 2026 GitHub, Inc. Terms Privacy Security Status Docs Contact Manage cookies",
    )
    return CataloguePage(str(path.relative_to(corpus)), url, "GitHub", inner_path, page)


def _chrome(
    site: str, title: str, og_title: str, nav: tuple[str, ...], crumbs: tuple[str, ...], main: str,
    related: tuple[str, ...], footer: str,
) -> str:  # fmt: skip
    e = html.escape
    nav_links = "".join(f'<li><a href="/{e(item.lower().replace(" ", "-"))}">{e(item)}</a></li>' for item in nav)
    crumb_links = " / ".join(f'<a href="#">{e(c)}</a>' for c in crumbs)
    related_links = "".join(f'<li><a href="/{e(r)}">{e(r)}</a></li>' for r in related)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<meta property="og:site_name" content="{e(site)}"><meta property="og:title" content="{e(og_title)}">
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<div id="cookie-banner" class="cookie"><p>We use cookies to improve your experience and for analytics.
By clicking Accept you agree to our use of cookies.</p><button>Accept all</button><button>Reject</button></div>
<header><a class="logo" href="/">{e(site)}</a><nav><ul>{nav_links}</ul></nav>
<form class="search"><input placeholder="Search {e(site)}"></form></header>
<div class="breadcrumbs">{crumb_links}</div>
<main>{main}</main>
<aside class="related"><h3>Related</h3><ul>{related_links}</ul></aside>
<footer><p>{e(footer)}</p><ul><li><a href="/about">About</a></li><li><a href="/blog">Blog</a></li>
<li><a href="/careers">Careers</a></li><li><a href="/support">Support</a></li></ul></footer>
</body></html>
"""


def catalogue_pages(corpus: Path) -> list[CataloguePage]:
    """Every real catalogue and vendor card of the corpus as a page, in file order."""
    folder = corpus / "launch_pages"
    pages = [_docker_hub(p, corpus) for p in sorted((folder / "docker_hub_model_cards").glob("*.md"))]
    pages += [_vendor_card(p, corpus) for p in sorted((folder / "vendor_model_cards").glob("*.md"))]
    return pages


def write_mirror(pages: list[CataloguePage], root: Path) -> None:
    """The pages as a mirror directory (`HOST/PATH` files, HTML by their headers)."""
    for page in pages:
        host_path = page.url.split("://", 1)[1]
        target = root / host_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.html, encoding="utf-8")
        target.with_name(target.name + ".headers").write_text("Content-Type: text/html; charset=utf-8\n")
