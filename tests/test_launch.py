"""Launch or not, with the reason: titles of launch posts and feed items, and the labelled real
feed items of ../shared/corpus/feeds (tests/fixtures/feed_labels.json)."""

from __future__ import annotations

import json

import pytest

from compare.extract.launch import classify
from conftest import FIXTURES, corpus_or_skip
from evals.feeds import evaluate_feeds, report_lines

# Floors measured on the labelled items (288 items, 54 launches): precision 0.882, recall 0.833,
# names 1.0. Misses are launches titled in prose only ("Speaking of Voxtral") and feature
# updates titled like products ("Wave 14: Arena Mode").
PRECISION_FLOOR, RECALL_FLOOR, NAME_FLOOR = 0.85, 0.8, 0.95


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Introducing GPT-4.1 in the API", "GPT-4.1"),
        ("Announcing Claude 3.5 Haiku", "Claude 3.5 Haiku"),
        ("Claude Code is now generally available", "Claude Code"),
        ("Meet Claude for Teachers", "Claude for Teachers"),
        ("Welcome EmbeddingGemma, Google's new efficient embedding model", "EmbeddingGemma"),
        ("We're announcing our BananaMind 2.1 model series!", "BananaMind 2.1"),
        ("Introducing Muse Image and Muse Video", "Muse Image"),
        ("Muse Glimmer from Meta Superintelligence Labs is now available", "Muse Glimmer"),
        ("Cohere Labs Launches Tiny Aya, Making Multilingual AI Accessible", "Tiny Aya"),
        ("Swift Transformers Reaches 1.0 — and Looks to the Future", "Swift Transformers 1.0"),
        ("Mapping Forests with Precision: Introducing Canopy Height Maps v2", "Canopy Height Maps v2"),
        ("Perplexity Is Open-Sourcing Bumblebee", "Bumblebee"),
        ("Introducing: Devstral 2 and Mistral Vibe CLI.", "Devstral 2"),
        ("Mistral Small 3.1", "Mistral Small 3.1"),
        ("SmolLM3: smol, multilingual, long-context reasoner", "SmolLM3"),
        ("mmBERT: ModernBERT goes Multilingual", "mmBERT"),
        ("Aya Vision: expanding the worlds AI can see", "Aya Vision"),
        ("Windsurf 2.0: Introducing the Agent Command Center", "Windsurf 2.0"),
        ("Qwen2.5-Max: Exploring the Intelligence of Large-scale MoE Model", "Qwen2.5-Max"),  # describes, not a paper
        ("Perplexity collaborates with Amazon Web Services to launch Enterprise Pro", "Enterprise Pro"),
        ("Open sourcing our testing framework Inspect", "Inspect"),
        # Story-list titles (Hacker News)
        ("Show HN: Fotoshop image tool for batch-resizing photos", "Fotoshop image"),
        ("Launch HN: Acme (YC W24) – Databases for agents", "Acme"),
        ("Datasette 2.0, now with plugins for writes", "Datasette 2.0"),
        ("What's new in Claude Sonnet 5", "Claude Sonnet 5"),
        ("Qwen-4 is probably the strongest open weights LLM", "Qwen-4"),
        ("Kimi K3, and what it tells us about open models", "Kimi K3"),
    ],
)
def test_launch_titles_name_the_tool(title, name):
    verdict = classify(title)
    assert (verdict.launch, verdict.name) == (True, name), verdict
    assert name in verdict.reason


@pytest.mark.parametrize(
    ("title", "why"),
    [
        ("We're hiring research engineers in Paris", "hiring"),
        ("Join us at NeurIPS 2025", "event"),
        ("Our updated Preparedness Framework", "policy"),
        ("Detecting misbehavior in frontier reasoning models: a study", "research"),
        ("How Acme cut support costs with Claude", "customer story"),
        ("Cohere raises $500M to scale enterprise AI", "company news"),
        ("ChatGPT can now remember your projects", "feature update"),
        ("Windsurf 2.3.15", "feature update"),
        ("What's new in Windsurf 1.9", "feature update"),
        ("sqlite-utils 4.0rc2, mostly written by an agent", "no launch wording"),
        ("Introducing GeneBench-Pro", "not a new product"),
        ("Introducing Finance Search in the Agent API", "not a new product"),
        ("Opus 4.7 (fast mode) is now available in Windsurf", "not a new product"),
        ("Personal Computer is Available to All Mac Users", "not a new product"),
        ("Smol2Operator: Post-Training GUI Agents for Computer Use", "research"),
        ("Exploiting Novel GPT-4 APIs", "no launch wording"),
        ("Holy Moly: Are popular toxicity models simply profanity detectors?", "a headline"),
        ("IBM and Llama: Working to enable AI builder creativity globally", "a headline"),
        ("Cohere and Bell partner to deliver sovereign AI", "customer story"),
        ("AI Artifacts: An interview with two artists", "podcast"),
        ("Jul 24, 2026 Project Pilot: Can AI control a drone?", "no launch wording"),
        ("", "no title"),
    ],
)
def test_other_posts_say_why(title, why):
    verdict = classify(title)
    assert not verdict.launch and verdict.name is None, verdict
    assert verdict.reason.startswith(why), verdict.reason


def test_a_product_title_needs_a_launch_summary_without_a_version():
    assert not classify("Le Chat Enterprise").launch
    verdict = classify("Le Chat Enterprise", "Today we are introducing an enterprise assistant.")
    assert verdict.launch and "summary says 'introducing'" in verdict.reason
    paper = classify("Chartograph 2: Professional Chart Reasoning", "Abstract. We propose a benchmark for charts.")
    assert not paper.launch and paper.reason.startswith("research: summary says")


def test_real_feeds_parse_and_labelled_items_meet_floors():
    feeds = corpus_or_skip("feeds")
    labels = json.loads((FIXTURES / "feed_labels.json").read_text())
    report = evaluate_feeds(feeds, labels)
    print("\n" + "\n".join(report_lines(report)))
    assert len(report.feeds) >= 29
    assert all(feed["status"] in ("ok", "empty") and feed["items"] > 0 for feed in report.feeds.values())
    assert sum(feed["launches"] for feed in report.feeds.values()) > 100
    assert report.unmatched == []
    assert report.true_pos + report.false_neg == sum(label["launch"] for label in labels)
    assert report.precision >= PRECISION_FLOOR
    assert report.recall >= RECALL_FLOOR
    assert report.name_accuracy >= NAME_FLOOR


def test_a_renamed_product_is_announced_under_its_new_name_with_the_old_one():
    from compare.extract.launch import classify, former_names

    verdict = classify("Bing Chat is now Microsoft Copilot: one experience, one name")
    assert (verdict.launch, verdict.name, verdict.formerly) == (True, "Microsoft Copilot", "Bing Chat")
    verdict = classify("Gemini for Google Workspace: Duet AI has a new name")
    assert (verdict.name, verdict.formerly) == ("Gemini for Google Workspace", "Duet AI")
    assert former_names("Duet AI", "Gemini for Google Workspace") == ["Duet AI", "Duet AI for Google Workspace"]
    assert classify("ChatGPT is now available in the EU").formerly is None


def test_a_title_that_launches_two_products_names_both():
    from compare.extract.launch import classify

    assert classify("Introducing OpenAI o3 and o4-mini").also == ("o4-mini",)
    verdict = classify("Claude Opus 4 and Claude Sonnet 4 are here")
    assert (verdict.name, verdict.also) == ("Claude Opus 4", ("Claude Sonnet 4",))
    assert classify("Gemini 2.0 Flash and Flash-Lite").also == ("Gemini 2.0 Flash-Lite",)  # the line's words, once
    assert classify("Introducing GPT-4.1 in the API").also == ()
    assert classify("Mistral Small 3.1 and our new partners").launch is False


@pytest.mark.parametrize(
    ("title", "summary", "launch", "reason_start"),
    [
        # A podcast episode in German: a bare name-like title is no launch where the rules cannot read its topic.
        (
            "Unsere Top 3 Use Cases",
            "In dieser Folge sprechen wir über KI im Mittelstand und was wirklich funktioniert.",
            False,
            "no announcing words (the item is in de",
        ),
        (
            "Devstral ist jetzt verfügbar",
            "Unser neues Modell für Code ist ab sofort für alle verfügbar.",
            True,
            "title announces",
        ),
        # A language the rules do not read at all is recorded as such.
        (
            "Presentamos Orca 2",
            "Hoy lanzamos un nuevo modelo de lenguaje abierto para todos los desarrolladores de la región.",
            False,
            "language es",
        ),
        ("Mistral Small 3.1", "", True, "title names the product"),
    ],
)
def test_items_in_other_languages_are_launches_only_by_announcing_words(title, summary, launch, reason_start):
    verdict = classify(title, summary)
    assert verdict.launch is launch, verdict
    assert verdict.reason.startswith(reason_start), verdict.reason


@pytest.mark.parametrize(
    ("title", "summary", "feed_title", "launch", "reason_start"),
    [
        # A paper's short name before its subtitle is no product in a feed of papers.
        (
            "FFJORD: Free-form continuous dynamics for scalable reversible generative models",
            "",
            "OpenAI Research News",
            False,
            "research feed (OpenAI Research News)",
        ),
        ("FFJORD: Free-form continuous dynamics", "", "OpenAI News", True, "title names the product"),
        # Announcing words still make a launch there.
        (
            "Introducing Docent",
            "A tool for reading agent transcripts.",
            "Transluce - Research",
            True,
            "title announces",
        ),
        # ... unless what they announce is a method's plain name, not a product's.
        (
            "Introducing Semantic Caching",
            "",
            "Acme Engineering",
            False,
            "engineering feed (Acme Engineering): 'Semantic",
        ),
        ("Introducing Semantic Caching", "", "Acme News", True, "title announces"),
        ("Mistral Small 3.1", "", "Anthropic Engineering Blog", False, "engineering feed"),
        ("Mistral Small 3.1", "", "Mistral AI News", True, "title names the product"),
    ],
)
def test_in_a_research_or_engineering_feed_only_announcing_words_make_a_launch(
    title, summary, feed_title, launch, reason_start
):
    verdict = classify(title, summary, feed_title=feed_title)
    assert verdict.launch is launch, verdict
    assert verdict.reason.startswith(reason_start), verdict.reason
