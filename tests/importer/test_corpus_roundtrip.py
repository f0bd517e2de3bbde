"""Round trip on every parseable swagger of the shared corpus: import -> module -> load_model -> build (exactly
`connector build`'s render: declaration checks included, so a model build refuses never counts) -> semantic
compare. The bar is 99 %; every file that does not round-trip must be in EXCEPTIONS with its reason,
so a new failure (or a fixed one) breaks this test and the list in docs/how-to/import.md stays true."""

from __future__ import annotations

import pytest

from connector.importer.roundtrip import roundtrip

from .conftest import CORPUS, corpus_name, corpus_swaggers

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")]

# corpus connector -> why it does not round-trip exactly (keep in step with docs/how-to/import.md)
EXCEPTIONS: dict[str, str] = {}

# Files that are not JSON at all: import refuses them with line and column (exit 2), they are not counted.
# (Trailing commas, comments and raw control characters are read as the platform reads them, with a warning:
# those six files round-trip like any other.)
UNPARSEABLE = {
    "certified-connectors/CognitiveServicesTextAnalytics": "276:6",
    "certified-connectors/ZohoSign": "14:1",
    "independent-publisher-connectors/AccuWeather": "9:7",
    "independent-publisher-connectors/Brønnøysundregistrene": "4:21",  # not UTF-8
    "independent-publisher-connectors/GIPHY": "810:13",
    "independent-publisher-connectors/Icon Horse": "56:11",
    "independent-publisher-connectors/StabilityAI": "16:3",
    "independent-publisher-connectors/XSOAR": "10:7",
    "independent-publisher-connectors/Yelp": "866:118",  # not UTF-8
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    work = tmp_path_factory.mktemp("roundtrip")
    return {corpus_name(f): roundtrip(f, f.parent / "apiProperties.json", work) for f in corpus_swaggers()}


def test_the_whole_corpus_is_seen(results):
    assert len(results) >= 400


def test_unparseable_files_are_refused_with_a_position(results):
    unparseable = {name: r.problem.split(":", 2)[:2] for name, r in results.items() if not r.parsed}
    assert {name: ":".join(pos) for name, pos in unparseable.items()} == UNPARSEABLE


def test_round_trip_share_is_at_least_99_percent(results):
    parsed = [r for r in results.values() if r.parsed]
    exact = [r for r in parsed if r.exact]
    share = len(exact) / len(parsed)
    assert share >= 0.99, f"{len(exact)}/{len(parsed)} = {share:.1%}"


def test_every_file_that_does_not_round_trip_is_a_listed_exception(results):
    failing = {name: (r.problem or "; ".join(r.differences[:3])) for name, r in results.items()
               if r.parsed and not r.exact}
    assert set(failing) == set(EXCEPTIONS), failing


def test_imports_produce_models_and_modules(results):
    # not vacuous: every parsed file gave operations and a module of real size
    for name, r in results.items():
        if r.parsed and name not in EXCEPTIONS:
            assert r.operations > 0 and r.module_bytes > 200, name


def test_the_import_guide_lists_the_exceptions():
    from .conftest import ROOT

    section = " ".join((ROOT / "docs" / "how-to" / "import.md").read_text(encoding="utf-8").split())
    if not EXCEPTIONS:
        assert "Exceptions: none." in section
    for name, reason in EXCEPTIONS.items():
        assert name.split("/")[-1] in section and reason in section, name
    for name, position in UNPARSEABLE.items():
        assert f"{name.split('/')[-1]} {position}" in section, name


# apiProperties.json files that are not JSON either: `connector import FOLDER` refuses them with line and column
UNPARSEABLE_PROPERTIES = {"certified-connectors/Shopranos": "22:4", "certified-connectors/gofileroom": "91:1"}


def test_the_cli_path_imports_and_builds_99_percent_back_with_icon_script_and_readme_byte_identical(tmp_path):
    """`connector import FOLDER`, then `connector build --model`, for every corpus folder (in-process through the
    click commands): swagger and apiProperties semantically equal, icon, script and readme byte-identical."""
    from connector.importer.roundtrip import cli_roundtrip

    results = {corpus_name(f): cli_roundtrip(f.parent, tmp_path) for f in corpus_swaggers()}
    refused = {name for name in UNPARSEABLE | UNPARSEABLE_PROPERTIES}
    for name in refused:  # refused with the position, never a traceback
        position = (UNPARSEABLE | UNPARSEABLE_PROPERTIES)[name]
        assert not results[name].imported and f":{position}:" in results[name].problem, (name, results[name].problem)
    counted = {name: r for name, r in results.items() if name not in refused}
    failing = {name: r.problem for name, r in counted.items() if not r.exact}
    assert set(failing) == set(EXCEPTIONS), failing
    exact = len(counted) - len(failing)
    assert exact / len(counted) >= 0.99, f"{exact}/{len(counted)}"
    # not vacuous: the byte-compared files were there and compared
    carried = {n: sum(1 for r in counted.values() if r.exact and n in r.compared)
               for n in ("icon.png", "script.csx", "readme.md")}
    assert carried["icon.png"] >= 5 and carried["script.csx"] >= 20 and carried["readme.md"] >= 100, carried


def test_the_written_modules_read_well(results):
    """Over the corpus: a number tells two names apart only where nothing else does (three definitions whose
    names differ from another's in case only), no argument repeats its constructor's default, and every module
    imports every constructor of the model."""
    import importlib.util

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location("import_readability", ROOT / "benchmarks" / "import_readability.py")
    readability = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readability)
    signatures = readability.constructors()
    measured = {name: readability.measure(r.source, signatures) for name, r in results.items() if r.source}
    assert len(measured) >= 700
    numbered = {name: m["numbered"] for name, m in measured.items() if m["numbered"]}
    assert sum(numbered.values()) <= 5, numbered  # 3319 before names came from what holds them
    assert "certified-connectors/monday" not in numbered and "certified-connectors/Dime.Scheduler" not in numbered
    assert sum(m["defaults"] for m in measured.values()) == 0
    assert sum(m["incomplete_import"] for m in measured.values()) == 0
