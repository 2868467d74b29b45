"""Every structured fact is checked against the Japanese source text."""
import re

import pytest

from knowledge.facts import KNOWLEDGE_DIR, NAME_ONLY_KINDS, KnowledgeError, load_facts, gazetteer_terms
from knowledge.passages import passages_by_id

SOURCE = (KNOWLEDGE_DIR / "source" / "hokkaido-global-strategy-excerpt.txt").read_text("utf-8")
SEED = KNOWLEDGE_DIR.parent.parent / "shared" / "seed" / "hokkaido-global-strategy-excerpt.txt"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


FACTS = load_facts()


@pytest.mark.skipif(not SEED.exists(), reason="../shared is not beside this clone")
def test_source_copy_is_the_seed_byte_for_byte():
    assert SEED.read_bytes() == (KNOWLEDGE_DIR / "source" / SEED.name).read_bytes()


@pytest.mark.parametrize("fact", [f for f in FACTS if f.kind not in NAME_ONLY_KINDS], ids=lambda f: f"{f.kind}:{f.id}")
def test_evidence_is_in_the_source_and_cites_an_existing_passage(fact):
    evidence = fact.data.get("evidence")
    assert evidence, "every fact needs evidence"
    for quote in evidence if isinstance(evidence, list) else [evidence]:
        assert squash(quote) in squash(SOURCE), quote
    assert fact.data["source"] in passages_by_id()


@pytest.mark.parametrize("fact", [f for f in FACTS if f.kind == "regions"], ids=lambda f: f.id)
def test_region_figures_are_written_in_their_evidence(fact):
    evidence = squash("".join(fact.data["evidence"]))
    for kind, figure in fact.data.get("figures", {}).items():
        assert squash(figure["text"]) in evidence, (kind, figure)
        number = figure["text"].replace(",", "")
        assert str(figure["value"]).rstrip("0").rstrip(".") in number, (kind, figure)


# Where the plan puts each region's figures (section ４ was scrambled by the
# PDF extraction): region -> (GDP, population, food exports).
EXPECTED_REGIONS = {
    "asia": ("260,890億ドル", "41.3億人", "610.4億円"),
    "china": ("125,580億ドル", "14.3億人", "343億円"),
    "korea": ("15,920億ドル", "0.5億人", "11億円"),
    "taiwan_hongkong": ("9,180億ドル", "0.3億人", "183億円"),
    "asean": ("28,630億ドル", "6.6億人", "72億円"),
    "europe": ("193,430億ドル", "6.9億人", "20.0億円"),
    "africa": ("23,710億ドル", "13.1億人", "1.7億円"),
    "middle_east": ("34,680億ドル", "3.8億人", "0.5億円"),
}


@pytest.mark.parametrize("region,expected", EXPECTED_REGIONS.items())
def test_scrambled_region_figures_land_in_the_right_region(region, expected):
    fact = next(f for f in FACTS if f.kind == "regions" and f.id == region)
    figures = fact.data["figures"]
    assert (figures["gdp"]["text"], figures["population"]["text"], figures["food_exports"]["text"]) == expected
    passage = passages_by_id()[fact.data["source"]]
    for text in expected:
        assert text in passage.original.text


def test_flights_and_visitors_by_region():
    regions = {f.id: f.data["figures"] for f in FACTS if f.kind == "regions"}
    assert {r: regions[r].get("flights", {}).get("value") for r in regions} == {
        "asia": None, "china": 10, "korea": 2, "taiwan_hongkong": 5, "asean": 4,
        "europe": 1, "africa": None, "middle_east": None,
    }
    assert regions["taiwan_hongkong"]["visitors"]["value"] == 666700


def test_asean_office_staff_states_only_what_the_block_shows():
    office = next(f for f in FACTS if f.kind == "offices" and f.id == "asean_office")
    assert {s["role_ja"]: s["count"] for s in office.data["staff"]} == {"派遣者": 1, "現地スタッフ": 1}
    assert [s["role_ja"] for s in office.data["staff_uncertain"]] == ["所長"]  # stranded line, layout unproven
    assert office.data["since"] == 2016


def test_no_fact_comes_from_general_knowledge():
    sakhalin = next(f for f in FACTS if f.kind == "offices" and f.id == "sakhalin_office")
    assert "location" not in sakhalin.data  # the plan never says where the office is


def test_hokuyo_bank_staff_entry_is_loaded():
    bank = next(f for f in FACTS if f.kind == "other_staff" and f.id == "hokuyo_bank_bangkok")
    assert (bank.data["since"], bank.data["location"]) == (2015, "bangkok")


@pytest.mark.parametrize("fact", [f for f in FACTS if f.kind in NAME_ONLY_KINDS], ids=lambda f: f.id)
def test_places_without_a_profile_hold_names_only(fact):
    assert not {"figures", "evidence", "source"} & set(fact.data), fact.id
    assert fact.data.get("region") in (None, "asia", "china", "korea", "taiwan_hongkong", "asean",
                                       "europe", "africa", "middle_east")


def test_africa_and_middle_east_share_their_unattributed_focus_lines():
    regions = {f.id: f for f in FACTS if f.kind == "regions"}
    for region in ("africa", "middle_east"):
        assert regions[region].data["focus"] == []
        assert regions[region].data["shared_focus"] == "s4-africa-middle-east-focus"
    text = passages_by_id()["s4-africa-middle-east-focus"].original.text
    assert "JICA" in text and "潜在的な需要" in text


def test_sister_region_years():
    years = {f.id: f.data["year"] for f in FACTS if f.kind == "sister_regions"}
    assert years == {"heilongjiang": 1986, "seoul": 2010, "busan": 2005, "jeju": 2016,
                     "gyeongsangnam_do": 2006, "chiang_mai": 2013}


def test_every_fact_has_names_in_six_languages_and_the_gazetteer_knows_them():
    terms = {(entity, value) for entity, value, _ in gazetteer_terms()}
    assert ("office", "seoul_office") in terms and ("place", "heilongjiang") in terms
    assert ("metric", "flights") in terms and ("requested_language", "ja-easy") in terms


def test_chinese_names_are_also_known_in_traditional_characters():
    names = {(entity, value, name) for entity, value, name in gazetteer_terms()}
    assert ("term", "taiwan", "台灣") in names and ("place", "korea", "韓國") in names


def test_a_malformed_fact_file_names_the_file_entry_and_problem(tmp_path):
    for path in (KNOWLEDGE_DIR / "facts").glob("*.yml"):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    broken = tmp_path / "offices.yml"
    broken.write_text(broken.read_text("utf-8").replace("    names:\n", "    nomes:\n", 1), "utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_facts.__wrapped__(tmp_path)
    assert "offices.yml" in str(error.value) and "shanghai_office" in str(error.value)
    assert "names" in str(error.value)


def test_invalid_yaml_is_reported_with_the_file(tmp_path):
    for path in (KNOWLEDGE_DIR / "facts").glob("*.yml"):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "regions.yml").write_text("regions: [\n", "utf-8")
    with pytest.raises(KnowledgeError, match="regions.yml.*not valid YAML"):
        load_facts.__wrapped__(tmp_path)
