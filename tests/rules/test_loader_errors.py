"""Every load-time validation names the file, the line and the path in the document."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import RuleFileError, load_rulebook, load_ruleset

from .conftest import MINIMAL, write_rule


def _error(tmp_path: Path, text: str) -> RuleFileError:
    path = write_rule(tmp_path, text)
    with pytest.raises(RuleFileError) as info:
        load_rulebook(tmp_path)
    error = info.value
    assert error.file == str(path)
    assert str(path) in str(error)
    return error


def _line(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[occurrence - 1]


def test_minimal_rule_file_loads(tmp_path: Path) -> None:
    write_rule(tmp_path, MINIMAL)
    (ruleset,) = load_rulebook(tmp_path)
    assert ruleset.id == "mini"
    assert set(ruleset.facts) == {"domicile_nis", "vt_own"}


def test_unknown_fact_in_a_condition(tmp_path: Path) -> None:
    text = MINIMAL.replace("covers: {fact: vt_own}", "covers: {fact: vt_owm}")
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[1].covers.fact"
    assert "unknown fact 'vt_owm'" in error.message
    assert error.line == _line(text, "vt_owm")
    assert f":{error.line} (eligibility.all[1].covers.fact)" in str(error)


def test_fact_not_in_the_catalogue(tmp_path: Path) -> None:
    text = MINIMAL.replace("  vt_own:\n    type", "  vt_mine:\n    type").replace(
        "fact: vt_own", "fact: vt_mine"
    )
    error = _error(tmp_path, text)
    assert error.location == "facts.vt_mine"
    assert "not in the fact catalogue" in error.message


def test_fact_with_the_wrong_source_key(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("key: BIM_BVT", "key: BIM_BVT_IN_FAMILY"))
    assert error.location == "facts.vt_own.key"
    assert "'BIM_BVT'" in error.message


def test_declared_fact_that_no_condition_uses(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "eligibility:",
        "  deceased:\n    type: boolean\n    source: national_register\n"
        "    label: {nl: overleden, en: deceased}\n"
        "    ask_citizen: {nl: a, en: b}\neligibility:",
    )
    error = _error(tmp_path, text)
    assert error.location == "facts.deceased"
    assert "no condition uses it" in error.message


def test_unknown_parameter(tmp_path: Path) -> None:
    text = MINIMAL.replace("param: towns", "param: town")
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[0].member.param"
    assert "unknown parameter 'town'" in error.message
    assert error.line == _line(text, "param: town}")


def test_unknown_parameter_in_an_advice_text(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("eligible: {nl: ja,", "eligible: {nl: 'ja {price}',"))
    assert error.location == "advice.eligible.nl"
    assert "unknown parameter 'price'" in error.message


def test_parameter_of_the_wrong_type(tmp_path: Path) -> None:
    text = MINIMAL.replace('value: ["44021"]', "value: 44021").replace(
        'value: ["44021", "44019"]', "value: 44019"
    )
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[0].member.param"
    assert "wrong type" in error.message


def test_missing_translation(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: {nl: Mini, en: Mini}", "title: {nl: Mini}")
    error = _error(tmp_path, text)
    assert error.location == "title.en"
    assert error.message == "missing translation (en)"
    assert error.line == _line(text, "title:")


def test_empty_translation(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        MINIMAL.replace(
            "check_manually: {nl: nakijken, en: check}", "check_manually: {nl: nakijken, en: ''}"
        ),
    )
    assert error.location == "advice.check_manually.en"
    assert "missing translation" in error.message


def test_missing_translation_of_what_to_ask(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        MINIMAL.replace("ask_citizen: {nl: attest, en: certificate}", "ask_citizen: {nl: attest}"),
    )
    assert error.location == "facts.vt_own.ask_citizen.en"


def test_fact_without_a_label(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    label: {nl: verhoogde tegemoetkoming, en: increased allowance}\n", ""
    )
    error = _error(tmp_path, text)
    assert error.location == "facts.vt_own.label"
    assert error.message == "required field is missing"
    assert error.line == _line(text, "  vt_own:")


def test_missing_translation_of_a_fact_label(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        MINIMAL.replace(
            "label: {nl: verhoogde tegemoetkoming, en: increased allowance}",
            "label: {en: increased allowance}",
        ),
    )
    assert error.location == "facts.vt_own.label.nl"
    assert error.message == "missing translation (nl)"


def test_condition_that_references_nothing(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    - id: vt\n      covers: {fact: vt_own}\n",
        "    - id: vt\n      covers: {fact: vt_own}\n    - id: nothing\n",
    )
    assert text != MINIMAL
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[2]"
    assert "references nothing" in error.message
    assert error.line == _line(text, "id: nothing")


def test_empty_all_references_nothing(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    - id: vt\n      covers: {fact: vt_own}\n",
        "    - id: vt\n      covers: {fact: vt_own}\n    - any: []\n",
    )
    assert text != MINIMAL
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[2].any"
    assert "empty 'any' references nothing" in error.message


def test_condition_with_two_kinds_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "covers: {fact: vt_own}", "covers: {fact: vt_own}\n      param_true: towns"
    )
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[1]"
    assert "exactly one of" in error.message


def test_compare_without_operand(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "member: {fact: domicile_nis, param: towns}", "compare: {fact: domicile_nis, op: eq}"
    )
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[0].compare"


def test_condition_on_a_fact_of_the_wrong_type(tmp_path: Path) -> None:
    text = MINIMAL.replace("covers: {fact: vt_own}", "covers: {fact: domicile_nis}")
    text = text.replace(
        "member: {fact: domicile_nis, param: towns}",
        "member: {fact: domicile_nis, values: ['44021']}\n    - covers: {fact: vt_own}",
    )
    error = _error(tmp_path, text)
    assert error.location == "eligibility.all[2].covers.fact"
    assert "needs periods" in error.message


def test_unknown_field(tmp_path: Path) -> None:
    text = MINIMAL.replace('version: "1"', 'version: "1"\nvalidity: soon')
    error = _error(tmp_path, text)
    assert error.location == "validity"
    assert "unknown field" in error.message
    assert error.line == 3


def test_overlapping_validity(tmp_path: Path) -> None:
    write_rule(tmp_path, MINIMAL, "mini-2024.yaml")
    later = MINIMAL.replace('version: "1"', 'version: "2"').replace(
        "valid_from: 2024-01-01", "valid_from: 2025-01-01"
    )
    path = write_rule(tmp_path, later, "mini-2025.yaml")
    with pytest.raises(RuleFileError) as info:
        load_rulebook(tmp_path)
    assert info.value.file == str(path)
    assert info.value.location == "valid_from"
    assert info.value.line == 3
    assert "overlaps version '1'" in info.value.message and "mini-2024.yaml" in str(info.value)


def test_consecutive_versions_do_not_overlap(tmp_path: Path) -> None:
    import datetime as dt

    earlier = MINIMAL.replace(
        "valid_from: 2024-01-01", "valid_from: 2024-01-01\nvalid_to: 2024-12-31"
    )
    write_rule(tmp_path, earlier, "mini-2024.yaml")
    later = (
        MINIMAL.replace('version: "1"', 'version: "2"')
        .replace("valid_from: 2024-01-01", "valid_from: 2025-01-01")
        .replace('- {from: 2024-01-01, value: ["44021"]}\n', "")
    )
    write_rule(tmp_path, later, "mini-2025.yaml")
    book = load_rulebook(tmp_path)
    assert book.get("mini", dt.date(2024, 12, 31)).version == "1"
    assert book.get("mini", dt.date(2025, 1, 1)).version == "2"


def test_valid_to_before_valid_from(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        MINIMAL.replace("valid_from: 2024-01-01", "valid_from: 2024-01-01\nvalid_to: 2023-12-31"),
    )
    assert error.location == "valid_to"


def test_parameter_without_a_value_on_valid_from(tmp_path: Path) -> None:
    error = _error(
        tmp_path,
        MINIMAL.replace(
            '- {from: 2024-01-01, value: ["44021"]}', '- {from: 2024-06-01, value: ["44021"]}'
        ),
    )
    assert error.location == "parameters.towns.values[0].from"
    assert "no value on valid_from" in error.message


def test_dated_values_out_of_order(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("- {from: 2025-01-01,", "- {from: 2023-01-01,"))
    assert error.location == "parameters.towns.values[1].from"


def test_yaml_syntax_error(tmp_path: Path) -> None:
    error = _error(
        tmp_path, MINIMAL.replace("title: {nl: Mini, en: Mini}", "title: {nl: Mini, en: Mini")
    )
    assert "YAML syntax error" in error.message
    assert error.line is not None


def test_not_a_mapping(tmp_path: Path) -> None:
    error = _error(tmp_path, "- just\n- a list\n")
    assert "must be a mapping" in error.message


def test_code_is_never_evaluated(tmp_path: Path) -> None:
    """YAML tags that construct Python objects are refused by safe_load."""
    text = MINIMAL.replace(
        "purpose: {value: test}", "purpose: !!python/object/apply:os.system [ls]"
    )
    error = _error(tmp_path, text)
    assert "YAML syntax error" in error.message or "could not determine" in error.message


def test_single_file_can_be_loaded(tmp_path: Path) -> None:
    ruleset = load_ruleset(write_rule(tmp_path, MINIMAL))
    assert ruleset.version == "1"


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="no such rule file"):
        load_rulebook(tmp_path / "nowhere")


def test_placeholder_with_a_format_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace("eligible: {nl: ja,", "eligible: {nl: 'ja {towns:>5}',")
    error = _error(tmp_path, text)
    assert error.location == "advice.eligible.nl"
    assert "without a format" in error.message


def test_a_day_between_two_versions_without_either_is_refused(tmp_path: Path) -> None:
    """valid_to is inclusive: ending on 12-30 and starting again on 01-01 leaves 12-31 bare."""
    earlier = MINIMAL.replace(
        "valid_from: 2024-01-01", "valid_from: 2024-01-01\nvalid_to: 2024-12-30"
    )
    write_rule(tmp_path, earlier, "mini-2024.yaml")
    later = (
        MINIMAL.replace('version: "1"', 'version: "2"')
        .replace("valid_from: 2024-01-01", "valid_from: 2025-01-01")
        .replace('- {from: 2024-01-01, value: ["44021"]}\n', "")
    )
    path = write_rule(tmp_path, later, "mini-2025.yaml")
    with pytest.raises(RuleFileError) as info:
        load_rulebook(tmp_path)
    assert info.value.file == str(path)
    assert info.value.location == "valid_from"
    assert "from 2024-12-31 to 2024-12-31" in info.value.message
