"""License ids: SPDX where one exists, else the Hub's id, else unknown (None); license statements
in prose; which licenses forbid commercial use."""

from __future__ import annotations

import pytest

from compare.extract.license import (
    PROPRIETARY,
    is_non_commercial,
    license_in_text,
    normalize_license,
    open_weights_in_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("apache-2.0", "Apache-2.0"),
        ("Apache-2.0", "Apache-2.0"),
        ("  apache-2.0 ", "Apache-2.0"),
        ("mit", "MIT"),
        ("MIT", "MIT"),
        ("cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("gpl-3.0", "GPL-3.0-only"),  # the SPDX id for the deprecated 'GPL-3.0'
        ("lgpl-3.0", "LGPL-3.0-only"),
        ("bsd-3-clause", "BSD-3-Clause"),
        ("afl-3.0", "AFL-3.0"),
        ("apache-2.0 OR mit", "Apache-2.0 OR MIT"),
    ],
)
def test_spdx_ids_are_normalised(raw, expected):
    assert normalize_license(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "llama3.1",
        "llama3.2",
        "gemma",
        "openrail++",
        "openrail",
        "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0",
        "deepfloyd-if-license",
        "lgpl-lr",
    ],
)
def test_hub_ids_without_spdx_equivalent_are_kept(raw):
    assert normalize_license(raw) == raw
    assert normalize_license(raw.upper()) == raw  # ids are lower-case


@pytest.mark.parametrize("raw", ["bsd", "gpl", "lgpl", "cc", "gfdl", "odbl", "odc-by"])
def test_family_ids_stay_hub_ids_not_a_guessed_member(raw):
    """SPDX would pick one member of a family ('gpl' -> GPL-1.0-or-later): a guess, so no."""
    assert normalize_license(raw) == raw


@pytest.mark.parametrize("raw", [None, "", "   ", "unknown", "none", "null", "not a license at all!"])
def test_unknown_licenses_are_none(raw):
    assert normalize_license(raw) is None


@pytest.mark.parametrize("raw", ["other", "Other"])
def test_other_is_what_the_card_declares_a_custom_license(raw):
    assert normalize_license(raw) == "other"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("minicpm-model-license", "minicpm-model-license"),
        ("flux-1-dev-non-commercial-license", "flux-1-dev-non-commercial-license"),
        ("Tongyi-Qianwen", "tongyi-qianwen"),  # a custom license_name is kept, lower-case
        ("qwen", "qwen"),
    ],
)
def test_custom_license_names_are_kept_lower_case(raw, expected):
    assert normalize_license(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Apache License 2.0", "Apache-2.0"),
        ("MIT License", "MIT"),
        ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
        ("Llama 3.1 Community License", "llama3.1"),
        ("Gemma Terms of Use", "gemma"),
    ],
)
def test_license_names_in_words(raw, expected):
    assert normalize_license(raw) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Both models are released under the Apache 2.0 license.", "Apache-2.0"),
        ("It ships under an Apache 2.0 licence.", "Apache-2.0"),
        ("It is released under a permissive MIT license.", "MIT"),
        ("The model is released under the MIT License.", "MIT"),
        ("Both checkpoints are MIT-licensed.", "MIT"),
        ("Apache 2.0-licensed weights are on the Hub.", "Apache-2.0"),
        ("Gemma 3 ships with open weights under the Gemma Terms of Use.", "gemma"),
        ("Aya Vision is available under a CC-BY-NC 4.0 license.", "CC-BY-NC-4.0"),
        ("Released under a Creative Commons Attribution-NonCommercial 4.0 license.", "CC-BY-NC-4.0"),
        ("Weights are available under the Llama 3.2 Community License Agreement.", "llama3.2"),
        ("Pixtral Large is released under the Mistral Research License.", "mistral-research"),
        ("Gemini 2.5 Pro is a proprietary model.", PROPRIETARY),
        ("The model itself is closed-weights.", PROPRIETARY),
        ("Permissive Apache 2.0 license: build freely and deploy commercially.", "Apache-2.0"),  # a feature label
    ],
)
def test_license_in_text(sentence, expected):
    assert license_in_text(["An unrelated first sentence.", sentence]) == (expected, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "We looked under the hood of the attention layers.",
        "This is released with a custom license.",
        "Licensing questions go to our legal team.",
        "Open source license: see the repository for details.",
    ],
)
def test_no_license_in_text(sentence):
    assert license_in_text([sentence]) == (None, None)


def test_a_named_license_wins_over_proprietary_anywhere():
    said = ["Gemini is our proprietary model family.", "Gemma is released under the Gemma Terms of Use."]
    assert license_in_text(said) == ("gemma", said[1])
    assert license_in_text([]) == (None, None)


def test_open_weights_in_text():
    assert open_weights_in_text(["Fast.", "The open-weights release is on the Hub."]) == (
        True,
        "The open-weights release is on the Hub.",
    )
    assert open_weights_in_text(["Its weights are freely available."])[0] is True
    assert open_weights_in_text(["Available in the API."]) == (None, None)


@pytest.mark.parametrize(
    ("license_id", "expected"),
    [
        ("CC-BY-NC-4.0", True),
        ("cc-by-nc-sa-4.0", True),
        ("flux-1-dev-non-commercial-license", True),
        ("mistral-research", True),
        ("deepfloyd-if-license", True),
        ("Apache-2.0", False),
        ("MIT", False),
        ("llama3.1", False),
        ("gemma", False),
        (PROPRIETARY, None),  # a closed tool: the license says nothing about weights
        (None, None),
    ],
)
def test_is_non_commercial(license_id, expected):
    assert is_non_commercial(license_id) is expected


def test_normalised_non_commercial_ids_are_recognised():
    assert is_non_commercial(normalize_license("cc-by-nc-4.0")) is True
    assert is_non_commercial(normalize_license("apache-2.0")) is False
