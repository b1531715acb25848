"""Pairing rules on hand-made cards: one article per pair of lines, and no pair across jobs."""

from __future__ import annotations

from compare.pairing import line_of, same_job, suggest


def hub(card_id: int, name: str, vendor: str, task: str | None = None, modality: str | None = "text") -> dict:
    return {"id": card_id, "name": name, "vendor": vendor, "hub_id": f"{vendor}/{name}", "family": name.lower(),
            "task": task, "modality": modality, "kind": "model"}  # fmt: skip


def test_every_size_of_two_lines_makes_one_article_and_one_maker_never_meets_itself():
    cards = {
        1: hub(1, "bloomz-560m", "bigscience"),
        2: hub(2, "bloomz-3b", "bigscience"),
        3: hub(3, "Qwen2-0.5B", "Qwen"),
        4: hub(4, "Qwen2-7B", "Qwen"),
        5: hub(5, "mt0-small", "bigscience"),
        6: hub(6, "falcon-7b", "tiiuae"),
    }
    neighbours = {1: [(3, 0.9), (4, 0.85), (5, 0.95)], 2: [(4, 0.88), (3, 0.87)], 3: [(6, 0.5)], 4: [], 5: [], 6: []}
    pairs = suggest(cards, neighbours, decided=set(), max_per_card=3)
    articles = [frozenset((line_of(cards[p["a"]]), line_of(cards[p["b"]]))) for p in pairs]
    assert len(articles) == len(set(articles))
    assert (pairs[0]["a"], pairs[0]["b"]) == (1, 3)  # the closest pair stands for bloomz vs Qwen2
    assert {(p["a"], p["b"]) for p in pairs} == {(1, 3), (3, 6)}  # bloomz vs mt0: one maker, never


def test_add_ons_rival_nothing():
    cards = {1: hub(1, "stable-diffusion-v1-4", "CompVis"), 2: hub(2, "IP-Adapter", "h94"),
             3: hub(3, "sd-controlnet-canny", "lllyasviel"), 4: hub(4, "waifu-diffusion", "hakurei")}  # fmt: skip
    neighbours = {1: [(2, 0.9), (3, 0.9), (4, 0.7)], 2: [(4, 0.8)], 3: [], 4: []}
    assert [(p["a"], p["b"]) for p in suggest(cards, neighbours, decided=set(), max_per_card=3)] == [(1, 4)]


def test_tasks_and_hub_modalities_of_different_jobs_never_pair():
    classifier = hub(1, "rubert-sentiment", "blanchefort", task="text-classification")
    chat = hub(2, "Llama-2-7b-chat", "meta", task="text-generation")
    t5 = hub(3, "flan-t5-base", "google", task="text2text-generation")
    vlm = hub(4, "llava-onevision-7b", "lmms-lab", modality="vision-language")
    named_chat = hub(5, "Llama2-Chinese-13b-Chat", "FlagAlpha", modality=None)
    named_vlm = hub(7, "llava-onevision-qwen2-7b-ov", "lmms-lab", modality=None)
    unknown = hub(8, "Aquila2-34B", "BAAI", modality=None)
    encoder = hub(9, "deberta-v3-large", "microsoft", task="fill-mask")
    assert not same_job(classifier, chat)
    assert same_job(chat, t5)  # text2text and text generation do one job
    assert not same_job(chat, vlm)
    assert not same_job(named_chat, named_vlm)  # the names say the tasks: chat vs image and text
    assert not same_job(named_chat, encoder)
    assert same_job(unknown, vlm) and same_job(unknown, named_chat)  # unknown keeps nothing apart
    api = {"id": 6, "name": "GPT-5", "vendor": "OpenAI", "family": "gpt-5", "modality": "text", "kind": "api"}
    assert same_job(vlm, api)  # modality only separates two Hub models


def test_a_derivative_named_after_another_line_never_meets_it():
    cards = {1: hub(1, "stable-diffusion-v1-4", "CompVis"), 2: hub(2, "Taiyi-Stable-Diffusion-1B-Chinese-v0.1", "IDEA-CCNL"),
             3: hub(3, "IF-I-XL-v1.0", "DeepFloyd"), 4: hub(4, "ddim-butterflies-128", "google")}  # fmt: skip
    neighbours = {1: [(2, 0.9), (3, 0.8), (4, 0.8)], 2: [(3, 0.7)], 3: [], 4: []}
    pairs = {(p["a"], p["b"]) for p in suggest(cards, neighbours, decided=set(), max_per_card=3)}
    assert pairs == {(1, 3), (2, 3)}  # Taiyi is never set against its base; a prompt-less generator
    # (no task stated, but a DDIM in its name: diffusers' unconditional training template) does another job


def test_a_model_never_meets_the_line_its_description_says_it_was_built_on():
    redshift = {**hub(1, "redshift-diffusion", "nitrosocke"),
                "description": "This is the fine-tuned Stable Diffusion model trained on high resolution 3D artworks."}  # fmt: skip
    alt = {**hub(2, "AltDiffusion-m9", "BAAI"), "description": "A bilingual diffusion model based on Stable Diffusion."}
    sd = {**hub(3, "stable-diffusion-2-1", "stabilityai"), "description": "A latent text-to-image diffusion model."}
    deepfloyd = {**hub(4, "IF-I-XL-v1.0", "DeepFloyd"), "description": "A pixel-based text-to-image cascade."}
    cards = {c["id"]: c for c in (redshift, alt, sd, deepfloyd)}
    neighbours = {1: [(3, 0.9), (4, 0.8)], 2: [(3, 0.9), (4, 0.7)], 3: [(4, 0.8)], 4: []}
    pairs = {(p["a"], p["b"]) for p in suggest(cards, neighbours, decided=set(), max_per_card=3)}
    assert pairs == {(1, 4), (2, 4), (3, 4)}  # both derivatives meet DeepFloyd, never Stable Diffusion
