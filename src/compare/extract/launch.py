"""Is a post a launch? A title (and, for feed items, the summary) decides, with the reason.

A launch announces a new product, model, API or major version. Other posts (research,
engineering, policy, hiring, events, customer stories, company news, feature updates) are told
apart by the words their titles lead with, and every verdict says which words decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

# Titles that announce a tool, each capturing its name.
_ANNOUNCES = (
    re.compile(
        r"^(?:introducing|announcing|meet|launching|unveiling|releasing|say hello to|hello|welcome,?|new:)\s*:?\s+"
        r"(?:the\s+|our\s+new\s+|our\s+)?(?P<name>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?:today,?\s+)?we(?:'re| are)\s+(?:releasing|launching|introducing|announcing)\s+(?:our\s+)?(?P<name>.+)$",
        re.I,
    ),
    re.compile(
        r"^(?P<name>.+?)\s+(?:is|are)\s+(?:now\s+)?(?:generally\s+)?(?:available|here|live|out)\b.*$",
        re.I,
    ),
    # German and French: "X ist jetzt (allgemein) verfügbar", "X est désormais disponible".
    re.compile(r"^(?P<name>.+?)\s+(?:ist|sind)\s+(?:jetzt\s+|ab sofort\s+)?(?:\S+\s+){0,3}?verfügbar\b.*$", re.I),
    re.compile(
        r"^(?P<name>.+?)\s+(?:est|sont)\s+(?:maintenant\s+|désormais\s+)?(?:\S+\s+){0,3}?disponibles?\b.*$", re.I
    ),
    re.compile(r"^(?:présentation de|voici|wir stellen vor:?|neu:)\s+(?P<name>.+)$", re.I),
    re.compile(r"^(?:the\s+)?(?P<name>\S+(?:\s\S+)?)\s+(?:release|launch)$", re.I),
    re.compile(r"^(?P<name>.+?)\s+(?:launches|arrives|debuts)(?:\s+(?:today|now|in|on)\b.*)?$", re.I),
    re.compile(r"^\S+(?:\s+\S+)?\s+(?:launches|unveils|releases|open-sources)\s+(?P<name>(?-i:[A-Z]).+)$", re.I),
    re.compile(r"^(?P<name>.+?)\s+(?:reaches|hits)\s+v?(?P<version>\d+(?:\.0)*)\b.*$", re.I),
    # Story lists: "Show HN: Shot-scraper video tool for ...", "Launch HN: Acme (YC W24) – ..."
    re.compile(r"^(?:show|launch) hn:\s+(?P<name>.+)$", re.I),
    # A major version before a comma or subtitle: "SQLite-utils 4.0, now with schema migrations"
    re.compile(r"^(?P<name>[^,:–—|]{1,40}?\s+v?\d+\.0)(?:\s*[,:–—|]\s.*)?$", re.I),
    # "What's new in Claude Sonnet 5": the notes of a new major version
    re.compile(r"^what['’]?s new in\s+(?P<name>.+?\s+v?\d+(?:\.0)?)$", re.I),
    # "GLM-5.2 is probably the most powerful open weights LLM", "Kimi K3, and what we learned"
    re.compile(
        r"^(?P<name>\S+(?:\s\S+)?\s*\S*\d[\w.\-]*)\s+is\s+(?:probably\s+|now\s+)?(?:the|a|an)\s+"
        r"(?:new|most|best|first|strongest)\b.{0,60}\b(?:model|LLM|agent)s?$",
        re.I,
    ),
    re.compile(r"^(?P<name>[^,:]{2,30}?\d[\w.\-]*),\s+and\s+(?:what|how|why)\b.*$", re.I),
    # "Open sourcing our testing framework Inspect"
    re.compile(r"^open[- ]sourcing\s+(?:our\s+|the\s+)?(?:[a-z-]+\s+){0,3}(?P<name>(?-i:[A-Z]).+)$", re.I),
    re.compile(r"^.+?\bis\s+open[- ]sourcing\s+(?P<name>.+)$", re.I),
    re.compile(r"^.+?[:–—]\s*introducing\s+(?P<name>.+)$", re.I),
    # "Perplexity collaborates with Amazon Web Services to launch Enterprise Pro"
    re.compile(r"^.+?\s+to\s+(?:launch|introduce|release)\s+(?P<name>(?-i:[A-Z]).+)$", re.I),
)
# A title that is a product name, optionally with a subtitle: "Mistral Small 3.1", "SmolLM3: smol".
_NAMED = re.compile(r"^(?P<name>[^:–—|]{2,50}?)(?:\s*(?::|\s[–—|-]\s)\s*(?P<subtitle>\S.*))?$")
_NAME_TAIL = re.compile(
    r"\s+(?:in|on|for|with|to|via|across)\s+(?:the\s+)?(?:api|apis|developers?|everyone|fine-tuning|all)\b.*$"
    r"|\s+(?:with|for|to|in)\s+(?-i:[a-z]).*$"
    r"|\s+(?:from|by)\s+(?-i:[A-Z]).*$"
    r"|\s*[,:–—(]\s.*$|\s+-\s.*$"
    r"|\s+(?:model\s+series|model\s+family|models?|tool)$|\s+\([^()]*\)$"
    r"|[.!]$",
    re.I,
)
# A second product named in the same title: "Muse Image and Muse Video" -> "Muse Image".
_AND_ANOTHER = re.compile(r"\s+(?:and|&)\s+(?:the\s+)?(?:(?-i:[A-Z])|(?=\S*\d)).*$")
# What follows a second product's name in a title: "... and Claude Sonnet 4 are here".
_AFTER_SECOND = re.compile(r"(?i)\s+(?:is|are|now|arrive|arrives|launch|launches|in|for|with|to|on)\b.*$|[:–—|,].*$")
# "The Jamba 1.5 Open Model Family" names Jamba 1.5.
_FAMILY = re.compile(r"(?i)^(?:the\s+)?(?P<name>.+?)\s+(?:open\s+)?(?:model\s+)?family$")
# What an announced phrase is when it is not a new product: a benchmark, a model card, pricing,
# a programme, a mode or an integration of an existing product.
_NOT_NEW = re.compile(
    r"(?i)\w*bench\b|\bbench\w*|\bindex\b|\b(?:model|system) card\b|\bpricing\b|\bplans\b|\bprogram(?:me)?\b"
    r"|\bevals?\b|(?-i:\w*QA\b)|\bleaderboard\b|\be-?book\b|\bplaybook\b|\breport\b|\bcouncil\b|\binstitute\b"
    r"|\bproject\b|\bfund\b|\bguide\b|\bprimer\b|\bsurvey\b|\bpartnership\b|\bboard\b|\bcontest\b|\bresults\b"
    r"|\bperformance\b|\bcomplian(?:t|ce)\b|\blabs\b|\bmetrics\b|\bFAQs?\b|\brelease notes\b"
    r"|\(fast mode\)|\s(?:in|to)\s+(?:the\s+)?(?!API\b)(?-i:[A-Z])\w+(?:\s+API)?$|\bways? to use\b"
)
_MAKER = re.compile(r"\s+(?:from|by)\s+(?-i:[A-Z]).*$")
_WIDER_AVAILABILITY = re.compile(r"(?i)\bavailable to (?:all|everyone|more)\b")
# A subtitle that says what a one-word product is: "Monitor: An AI-Driven Observability Interface".
_DESCRIBES_PRODUCT = re.compile(
    r"(?i)^(?:an?|our)\s|\bopen[- ]source\b|\bopen[- ]weights?\b|\bmodel\b|\bAPI\b|\binterface\b|\blibrary\b"
    r"|\bplatform\b|\bassistant\b|\bagent\b"
)
# A headline that leads with a verb: "Exploiting Novel GPT-4 APIs", "Redeploying Fable 5".
_GERUND = re.compile(r"^[A-Z][a-z]{2,}ing\s")
# Words a launch title never leads its name with.
_GENERIC = re.compile(
    r"(?i)^(research|update|updates|news|policy|guide|case study|customer story|how|why|what|when|"
    r"our|your|my|their|a|an|the|this|these|new ways?|community|events?|hiring|careers|q&a|interview|recap|"
    r"lessons?|notes?|more|better|faster|improved|improving|expanding|bringing|building|"
    r"advancing|scaling|making|helping|using|an update|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\b"
)
# Other posts, by what the title is about; the first category that matches decides.
_TOPICS = (
    (
        "hiring",
        r"\bwe(?:'re| are) hiring\b|\bcareers?\b|\bjoin (?:our|the) team\b|\bresidency\b|\bfellowship\b|\bjob\b",
    ),
    (
        "event",
        r"\bwebinar\b|\bconference\b|\bsummit\b|\bmeetup\b|\bhackathon\b|\bworkshop\b|\bkeynote\b|\brecap\b"
        r"|\b(?:NeurIPS|ICLR|ICML|CVPR|ECCV|ACL|EMNLP|NAACL|AAAI)\b|\bjoin us\b|\bat (?:re:Invent|Google I/O)\b",
    ),
    (
        "policy",
        r"\bpolic(?:y|ies)\b|\bregulat\w+|\bgovernance\b|\belections?\b|\bpreparedness\b|\bcommitments?\b"
        r"|\btestimony\b|\blegislat\w+|\bsafety\b|\bsecurity\b|\bresponsible\b|\btransparency\b|\bthreat\w*"
        r"|\bmisuse\b|\bmalicious\b|\bdisrupting\b|\bprivacy\b|\bsystem card\b|\bframework\b|\bAI Act\b"
        r"|\bincident\b",
    ),
    (
        "research",
        r"\bresearch\b|\bpaper\b|\bstudy\b|\bstudies\b|\binterpretab\w+|\balignment\b|\bevaluat\w+|\bbenchmark\w*"
        r"|\bscaling laws?\b|\btowards?\b|\banalysis\b|\bexperiments?\b|\bwe (?:find|found|show)\b"
        r"|\bmonitoring\b|\bemergent\b|\breasoning traces\b|\bcircuits?\b|\bfeatures? in\b|\bprobing\b"
        r"|\w*bench\b|\bbench\w*|\bindex\b|\bmodel card\b|\bexploring\b|\bleveraging\b|\bpost-training\b"
        r"|\btraining\b|\bdataset\b|\bsynthesis\b",
    ),
    ("podcast", r"\binterview\b|\bpodcast\b|\bepisode\b|\bin conversation\b|\bfireside\b"),
    (
        "customer story",
        r"\bcustomers?\b|\bcase study\b|\bhow \S+(?: \S+)? (?:uses|used|is using|built|builds|scaled|cut|saves)\b"
        r"|\bpartner(?:s|ship)?\b|\bcollaborat\w+|\bpowers\b|\bteams up\b|\bstory\b|\s+x\s+(?-i:[A-Z])",
    ),
    (
        "company news",
        r"\braises\b|\bfunding\b|\bseries [a-f]\b|\bacquir\w+|\bappoint\w+|\bwelcomes\b|\bboard\b|\bnew office\b"
        r"|\bexpands? (?:to|into)\b|\bopens? (?:an? )?office\b|\bannual report\b|\bletter\b|\bvaluation\b"
        r"|\bpricing\b|\bplans\b|\bimprint\b",
    ),
    (
        "feature update",
        r"\bnow (?:supports?|has|lets|with|in)\b|\bcan now\b|\badds?\b|\bgets\b|\bimprove\w*\b|\bupdates? to\b"
        r"|\bchangelog\b|\bwhat'?s new\b|\bnew features?\b|\brelease notes\b|\bpatch\b|\bbug ?fix\w*"
        r"|\(fast mode\)|\bavailable to all\b|\bbetter\b|\bsmarter\b|\bupgraded?\b|\bchangelist\b"
        r"|\s(?:in|to)\s+(?:the\s+)?(?!API$)(?-i:[A-Z])\w+(?:\s+API)?$"
        r"|\b\d+\.\d+\.\d+\b",
    ),
    (
        "engineering",
        r"^(?:how|why|what|when|inside|behind|under the hood|building|lessons|tips|a guide|guide|tutorial"
        r"|best practices|deep dive|a look)\b|\bhow (?:we|to)\b|\bengineering\b|\barchitecture\b|\binfrastructure\b"
        r"|\bbest practices\b|\bwhy\b|\bhow\b|\bkernel\b|\breview\b|\bprimer\b|\bleaderboard\b|\bfailures?\b",
    ),
)
_TOPIC_PATTERNS = tuple((topic, re.compile(pattern, re.I)) for topic, pattern in _TOPICS)
# Product-like words: a version ("3.1", "R1", "o4-mini", "V3"), or a coined name ("SmolLM", "GPT").
_VERSION = re.compile(
    r"^(?!(?:19|20)\d\d$)(?:v?\d+(?:\.\d+)*[a-z]?|[a-z]{1,3}\d+[\w.\-]*|\w+-\d[\w.\-]*|[a-z]+\d+(?:\.\d+)*(?:-\w+)?)$",
    re.I,
)
_COINED = re.compile(r"^[A-Za-z]*[a-z][A-Z]\w*$|^[A-Z]{2,}\d*$")
_COMMON_ACRONYMS = {"AI", "ML", "LLM", "LLMS", "API", "APIS", "RAG", "US", "EU", "UK", "GPU", "GPUS", "CEO", "FAQ"}
_SUMMARY_NOT_LAUNCH = re.compile(
    r"(?i)^\s*abstract\b|\bbenchmark\b|\bwe (?:study|propose|investigate)\b|\braised \$|\bfunding\b"
    r"|\b(?:batch of )?updates to\b"
)
# A subtitle that is a question or a verb-led headline, not what a product is:
# "Holy $#!t: Are popular toxicity models ...?", "IBM and Llama: Working to enable ...".
_QUESTION = re.compile(r"\?\s*$")
_TWO_PARTIES = re.compile(r"\s(?:and|&|x)\s")


def _is_headline(head: str, subtitle: str) -> bool:
    """A question subtitle, or a verb-led one after two parties or plain words ("IBM and Llama:
    Working to ...", "Ask Don't Tell: Reducing ..."), where no version or coined name shows a
    product ("VibeGame: Exploring ...")."""
    verb_led = bool(_GERUND.match(subtitle)) and (bool(_TWO_PARTIES.search(head)) or not _is_product_like(head))
    return bool(_QUESTION.search(subtitle)) or verb_led


# Feeds whose own title says they carry papers or write-ups, not product news.
_FEED_KINDS = (
    ("research", re.compile(r"(?i)\b(?:research|publications?|papers)\b")),
    ("engineering", re.compile(r"(?i)\bengineering\b")),
    ("podcast", re.compile(r"(?i)\bpodcast\b")),
)
_LAUNCH_WORDS = re.compile(
    r"(?i)\b(?:introduc\w+|launch\w*|releas\w+|unveil\w*|announc\w+|now available|available (?:today|now)"
    r"|new (?:model|family|version|generation)|our (?:latest|newest|most capable|first)"
    r"|(?:we(?:'re| are)\s+)?open[- ]sourc\w+|bring(?:s|ing)?\b[^.]{1,60}\bto)\b"
)


@dataclass(frozen=True)
class Verdict:
    launch: bool
    name: str | None
    reason: str
    formerly: str | None = None  # the name a renamed product had
    also: tuple[str, ...] = ()  # a second product the title launches: "OpenAI o3 and o4-mini"


# A product's new name: "Bard becomes Gemini: ...", "Bing Chat is now Microsoft Copilot",
# "Gemini for Google Workspace: Duet AI has a new name".
_RENAMED = (
    re.compile(
        r"^(?P<old>[^:–—|]+?)\s+(?:is now(?: called)?|becomes|has become|is renamed(?: to)?)\s+"
        r"(?!(?:live|available|here|out|open|generally|free|in|on|better|faster|ready)\b)"
        r"(?P<new>(?-i:[A-Z])[^:–—|]*?)(?:\s*[:–—|]\s.*|\s+-\s.*)?$",
        re.I,
    ),
    re.compile(r"^(?P<new>[^:–—|]+?)\s*[:–—]\s*(?P<old>.+?)\s+(?:has|gets) a new name\b.*$", re.I),
)


def former_names(old: str, new: str) -> list[str]:
    """A renamed product's old names: "Duet AI" became "Gemini for Google Workspace", so its
    pages say "Duet AI" or "Duet AI for Google Workspace"."""
    scope = re.search(r"\s(?:for|in)\s.+$", new)
    return [old, old + scope.group()] if scope and scope.group().strip() not in old else [old]


# The languages the rules are written in. English is read fully; in German and French only the
# announcing phrases count ("X ist jetzt verfügbar"), since a bare name there has no topic words
# to tell a podcast episode from a product.
READ_LANGUAGES = ("en", "de", "fr")
_CONFIDENT = 0.9


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> str | None:
    """The text's language where py3langid is confident (a title alone rarely is), else None."""
    if len(text.split()) < 3:
        return None
    language, probability = _language_identifier().classify(text)
    return str(language) if probability >= _CONFIDENT else None


def feed_kind(feed_title: str) -> str | None:
    """What a feed carries when its title says so: "research" for "Goodfire - Research"."""
    return next((kind for kind, pattern in _FEED_KINDS if pattern.search(feed_title or "")), None)


def classify(title: str, summary: str = "", feed_title: str = "") -> Verdict:
    """Launch or not, the tool's name (and a second one it names), and why, from a post's title
    (and summary, and the title of the feed it came in). An item in a language the rules do not
    read is never a launch by default; in a research, engineering or podcast feed only announcing
    words make a launch, not a bare name."""
    language = language_of(f"{title}. {summary}".strip())
    if language and language not in READ_LANGUAGES:
        return Verdict(False, None, f"language {language}: the launch rules read {', '.join(READ_LANGUAGES)} only")
    kind = feed_kind(feed_title)
    verdict = _classify(title, summary, bare_names=language in (None, "en") and kind is None)
    if not verdict.launch and verdict.reason == "no launch wording in the title":
        if kind:
            verdict = replace(verdict, reason=f"{kind} feed ({feed_title}): no announcing words in the title")
        elif language not in (None, "en"):
            verdict = replace(
                verdict, reason=f"no announcing words (the item is in {language}; a bare name is not enough)"
            )
    if verdict.launch and kind in ("research", "engineering") and _names_a_technique(verdict.name or ""):
        return Verdict(False, None, f"{kind} feed ({feed_title}): {verdict.name!r} names a technique, not a product")
    if verdict.launch and verdict.name and not verdict.formerly:
        return replace(verdict, also=_also_named(" ".join(title.split()), verdict.name))
    return verdict


def _names_a_technique(name: str) -> bool:
    """Plain capitalised words with no version or coined word ("Contextual Retrieval"): in a
    research or engineering feed that is a method's name; a product's has "Docent", "GPT-4o"."""
    return len(name.split()) > 1 and not _is_product_like(name)


def _also_named(title: str, name: str) -> tuple[str, ...]:
    """The product named after "and" beside the launched one: "o4-mini" in "OpenAI o3 and
    o4-mini"; "Flash-Lite" beside "Gemini 2.0 Flash" is "Gemini 2.0 Flash-Lite"."""
    at = title.find(name)
    match = re.match(r"\s+(?:and|&)\s+(?:the\s+)?(?P<other>.+)$", title[at + len(name) :]) if at >= 0 else None
    if not match:
        return ()
    other = _AFTER_SECOND.sub("", match.group("other")).strip(" .!")
    if not other or not is_name(other) or not (_has_version(other) or other[0].isupper()):
        return ()
    if not re.search(r"\d", other) and len(name.split()) > 1 and other.split()[0] != name.split()[0]:
        other = f"{name.rsplit(' ', 1)[0]} {other}"  # the shared line words, once
    return (other,)


def _classify(title: str, summary: str = "", bare_names: bool = True) -> Verdict:
    title = " ".join(title.split()).strip()
    if not title:
        return Verdict(False, None, "no title")
    for pattern in _RENAMED:
        match = pattern.match(title)
        if match and is_name(match.group("new")) and is_name(match.group("old")):
            new, old = match.group("new").strip(), match.group("old").strip()
            return Verdict(True, new, f"renamed: title says {old!r} is now {new!r}", formerly=old)
    for pattern in _ANNOUNCES:
        match = pattern.match(title)
        name = _name(match.group("name")) if match else None
        if name and match.groupdict().get("version"):  # "Swift Transformers Reaches 1.0"
            name = f"{name} {match.group('version')}"
        if name and is_name(name):
            phrase = _MAKER.sub("", match.group("name"))  # "Muse Glimmer from Meta Superintelligence Labs"
            not_new = _NOT_NEW.search(phrase) or _WIDER_AVAILABILITY.search(title)
            if not_new:  # "Introducing GeneBench-Pro", "Computer in Teams is here"
                return Verdict(False, None, f"not a new product: title says {not_new.group().strip()!r}")
            return Verdict(True, name, f"title announces {name!r}")
    named = _NAMED.match(title) if bare_names else None
    whole_head = named.group("name") if named else ""
    head = _name(family.group("name") if (family := _FAMILY.match(whole_head)) else whole_head)
    subtitle = named.group("subtitle") if named else None
    if subtitle and _is_headline(whole_head, subtitle) and not _has_version(head):
        return Verdict(False, None, f"a headline, not a product: the subtitle reads {subtitle[:40]!r}")
    said = _LAUNCH_WORDS.search(summary or "")
    titled = bool(subtitle) and (len(head.split()) > 1 or bool(_DESCRIBES_PRODUCT.search(subtitle)))
    titled = titled or (not subtitle and said is not None)
    if (
        head
        and is_name(head)
        and _is_product_like(head, titled)
        and not _topic(whole_head)
        and not _NOT_NEW.search(head)
    ):
        if re.search(r"\b\d+\.0\b", head):
            return Verdict(True, head, f"title names a major version {head!r}")
        about = _topic(subtitle or "")
        if about and not _describes_versioned_product(head, subtitle or "", about):
            return Verdict(False, None, f"{about[0]}: title says {about[1]!r}")
        about = _summary_topic(summary)
        if about:
            return Verdict(False, None, f"{about[0]}: summary says {about[1]!r}")
        if subtitle or _has_version(head):
            return Verdict(True, head, f"title names the product {head!r}")
        if said:
            return Verdict(True, head, f"title names {head!r} and the summary says {said.group()!r}")
    topic = _topic(title)
    if topic:
        return Verdict(False, None, f"{topic[0]}: title says {topic[1]!r}")
    return Verdict(False, None, "no launch wording in the title")


def _describes_versioned_product(head: str, subtitle: str, about: tuple[str, str]) -> bool:
    """'Qwen2.5-Max: Exploring the Intelligence of Large-scale MoE Model': a versioned name whose
    subtitle opens with a research word describes the product, not a paper."""
    return about[0] == "research" and _has_version(head) and subtitle.lower().startswith(about[1].lower())


def is_product_name(title: str) -> bool:
    """Whether a whole title is just a short capitalised name ("Devstral", "Kimi K2")."""
    words = title.split()
    return is_name(title) and 0 < len(words) <= 3 and all(w[0].isupper() or w[0].isdigit() for w in words)


def _topic(title: str) -> tuple[str, str] | None:
    for topic, pattern in _TOPIC_PATTERNS:
        match = pattern.search(title)
        if match:
            return topic, match.group().strip()
    return None


def _name(phrase: str) -> str:
    """The product in an announced phrase: its tail, subtitle and second product cut off."""
    name, cut = phrase.strip(" :.!"), ""
    while cut != name:  # a tail can end before another: "video tool for recording ..."
        cut, name = name, _NAME_TAIL.sub("", name).strip(" :,-–—\"'“”")
    return _AND_ANOTHER.sub("", name)


def _summary_topic(summary: str) -> tuple[str, str] | None:
    """A summary that shows a paper or company news behind a product-like title."""
    match = _SUMMARY_NOT_LAUNCH.search(summary or "")
    if not match:
        return None
    topic = "company news" if re.match(r"(?i)raised|funding", match.group()) else "research"
    return topic, match.group()


def is_name(name: str) -> bool:
    """Whether a phrase can be a product's name (short, named, not a generic or verb-led phrase)."""
    words = name.split()
    if not name or len(words) > 6 or _GENERIC.match(name) or _GERUND.match(name):
        return False
    return any(ch.isupper() or ch.isdigit() for ch in name) or "-" in name


def _has_version(name: str) -> bool:
    return any(_VERSION.match(word) for word in re.split(r"[\s/]+", name))


def _is_product_like(name: str, titled: bool = False) -> bool:
    """Short, capitalised, with a version or a coined word: not a sentence-like headline. Before
    a subtitle ("Aya Vision: ..."), a short run of capitalised words is a name too."""
    words = name.split()
    if len(words) > 5 or not (words[0][0].isupper() or _VERSION.match(words[0]) or _COINED.match(words[0])):
        return False
    lower = [w for w in words if w[0].islower() and not _VERSION.match(w) and w not in ("and", "&", "x")]
    if len(lower) > 1:
        return False
    if titled and not lower and len(words) <= 3 and not re.search(r"\s(?:and|&)\s", name):
        return True
    return _has_version(name) or any(_COINED.match(word) and word.upper() not in _COMMON_ACRONYMS for word in words)
