"""Dutch texts of the supervisor's view: its own catalogue, ``loket_supervisor_nl``.

The counter window's tool (``resources/translations/nl_catalogue.py``) leaves this
sub-package out and ``LanguageSwitcher`` loads every ``loket_*_nl.qm``, so the
supervisor's texts live here, reviewable in one table. Regenerate the ``.ts`` and
``.qm`` after changing a visible string (from the repository root)::

    .venv/bin/python -m counter_app.ui.supervisor.catalogue_nl

It exits 1 and names the texts that have no Dutch yet. No Qt import: data and tooling.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

SUPERVISOR_NL: dict[str, str] = {
    # login
    "Supervisor login": "Aanmelden als supervisor",
    "The supervisor's view shows the daily log of every counter. "
    "Give your name and the supervisors' passphrase.": "Het supervisorscherm toont het dagelijkse "
    "logboek van alle loketten. Geef uw naam en de wachtzin van de supervisors.",
    "Your &name:": "Uw &naam:",
    "&Passphrase:": "&Wachtzin:",
    "Supervisor name": "Naam van de supervisor",
    "Supervisor passphrase": "Wachtzin van de supervisor",
    "&Log in": "&Aanmelden",
    "Log in as supervisor": "Aanmelden als supervisor",
    "Give your name: reveals are logged under it.": "Geef uw naam: elke inzage wordt onder die "
    "naam gelogd.",
    "Checking…": "Controleren…",
    "Checking… (the attempt is being logged; one moment)": (
        "Controleren… (de poging wordt gelogd; een ogenblik)"
    ),
    "The passphrase could not be checked: {detail}": "De wachtzin kon niet gecontroleerd worden: "
    "{detail}",
    "unexpected error": "onverwachte fout",
    "No supervisor passphrase is set on this computer. "
    "Set one with: counter-app supervisor set-passphrase": "Op deze computer is geen wachtzin "
    "voor supervisors ingesteld. Stel er een in met: counter-app supervisor set-passphrase",
    "Wrong passphrase. You can try again in {n} s.": "Verkeerde wachtzin. U kunt het over {n} s "
    "opnieuw proberen.",
    "Too many wrong attempts. You can try again in {n} s.": "Te veel verkeerde pogingen. U kunt "
    "het over {n} s opnieuw proberen.",
    "You can try again.": "U kunt het opnieuw proberen.",
    "This attempt could not be logged: {detail}": "Deze poging kon niet gelogd worden: {detail}",
    "The login could not be written to the daily log, so the supervisor's view is not opened: "
    "{detail}": "De aanmelding kon niet in het dagelijkse logboek geschreven worden, dus het "
    "supervisorscherm gaat niet open: {detail}",
    # window
    "Loket — supervisor: {name}": "Loket — supervisor: {name}",
    "&Day:": "&Dag:",
    "Day to show": "Dag om te tonen",
    "&Reload": "Opnieuw &laden",
    "Load the day again and check its chain": "Laad de dag opnieuw en controleer de keten",
    "C&lerk:": "&Medewerker:",
    "name or part of it": "naam of een deel ervan",
    "Filter on clerk": "Filter op loketmedewerker",
    "Ri&ght:": "&Recht:",
    "&Outcome:": "&Uitkomst:",
    "D&ecision:": "&Beslissing:",
    "O&verride:": "&Afgeweken:",
    "&Manual entry:": "Ma&nuele invoer:",
    "&Source failures:": "Bronf&outen:",
    "Clear &filters": "&Filters wissen",
    "Filter on right": "Filter op recht",
    "Filter on advice outcome": "Filter op uitkomst van het advies",
    "Filter on decision": "Filter op beslissing",
    "Filter on override": "Filter op afwijking van het advies",
    "Filter on manual entry": "Filter op manuele invoer",
    "Filter on source failures": "Filter op fouten van bronnen",
    "Entries of the day": "Registraties van de dag",
    "Show &INSZ…": "Toon &INSZ…",
    "Show the full INSZ of the selected entry (the reveal is logged)": "Toon het volledige INSZ "
    "van de gekozen registratie (de inzage wordt gelogd)",
    "E&xport CSV…": "E&xporteer CSV…",
    "Export the day and its figures as CSV": "Exporteer de dag en zijn cijfers als CSV",
    "Reload": "Opnieuw laden",
    "Go to the table": "Ga naar de tabel",
    "Close": "Sluiten",
    "any": "alle",
    "yes": "ja",
    "no": "nee",
    "manual entries only": "enkel manuele invoer",
    "card reads only": "enkel met kaart",
    "Loading {day}…": "{day} wordt geladen…",
    "The log could not be read: {detail}": "Het logboek kon niet gelezen worden: {detail}",
    "The chain could not be checked: {detail}": "De keten kon niet gecontroleerd worden: {detail}",
    "Checking the chain…": "Keten wordt gecontroleerd…",
    "Chain intact ({n} entries checked)": "Keten intact ({n} registraties gecontroleerd)",
    "Chain broken at entry {seq} (counter {counter})": "Keten gebroken bij entry {seq} "
    "(loket {counter})",
    "{shown} of {total} entries shown": "{shown} van {total} registraties getoond",
    "Show the INSZ": "INSZ tonen",
    "Why do you need the full INSZ? The reason is written to the log.": "Waarom hebt u het "
    "volledige INSZ nodig? De reden wordt in het logboek geschreven.",
    "Not shown: give a reason (5 characters or more).": "Niet getoond: geef een reden (minstens "
    "5 tekens).",
    "Not shown": "Niet getoond",
    "The reveal could not be logged, so the INSZ is not shown: {detail}": "De inzage kon niet "
    "gelogd worden, dus het INSZ wordt niet getoond: {detail}",
    "This entry has no INSZ (any more).": "Deze registratie heeft geen INSZ (meer).",
    "INSZ shown; the reveal was logged.": "INSZ getoond; de inzage werd gelogd.",
    "Export the day as CSV": "De dag als CSV exporteren",
    "CSV files (*.csv)": "CSV-bestanden (*.csv)",
    "Export failed": "Export mislukt",
    "The CSV file could not be written: {detail}": "Het CSV-bestand kon niet geschreven worden: "
    "{detail}",
    "{n} entries exported to {file}; figures in {figures}": "{n} registraties geëxporteerd naar "
    "{file}; cijfers in {figures}",
    # figures
    "Figures of the day": "Cijfers van de dag",
    "Advice per right": "Advies per recht",
    "Checks per hour": "Controles per uur",
    "Checks:": "Controles:",
    "Decisions:": "Beslissingen:",
    "Sales at the opportunity tariff:": "Verkocht aan kansentarief:",
    "Sales at the normal price:": "Verkocht aan normaal tarief:",
    "Advice overridden:": "Afgeweken van het advies:",
    "Manual entries (no card):": "Manuele invoer (geen kaart):",
    "Cancelled checks:": "Geannuleerde controles:",
    "Checks with a source failure:": "Controles met een bronfout:",
    "Median check time:": "Mediane duur van een controle:",
    "Right": "Recht",
    "Advice per right and outcome": "Advies per recht en uitkomst",
    "{s} s": "{s} s",
    "Checks per hour, by outcome": "Controles per uur, per uitkomst",
    "No checks on this day.": "Geen controles op deze dag.",
    # table
    "Time": "Tijd",
    "Counter": "Loket",
    "Kind": "Soort",
    "Mode": "Invoer",
    "Clerk": "Medewerker",
    "Citizen (INSZ)": "Burger (INSZ)",
    "Advice": "Advies",
    "Decision": "Beslissing",
    "Override": "Afgeweken",
    "Failed sources": "Bronfouten",
    "Check time": "Duur",
    "check": "controle",
    "decision": "beslissing",
    "day seal": "dagafsluiting",
    "purge": "wissing",
    "reveal": "inzage",
    "supervisor login": "aanmelding supervisor",
    "logged in": "aangemeld",
    "wrong passphrase": "verkeerde wachtzin",
    "passphrase changed": "wachtzin gewijzigd",
    "refused during the delay": "geweigerd tijdens de wachttijd",
    "right": "recht",
    "no right": "geen recht",
    "check manually": "manueel nakijken",
    "no advice": "geen advies",
    "sold at the opportunity tariff": "verkocht aan kansentarief",
    "sold at the normal price": "verkocht aan normaal tarief",
    "LEZ registered": "LEZ geregistreerd",
    "LEZ reduced tariff": "LEZ verminderd tarief",
    "no action": "geen actie",
    "cancelled": "geannuleerd",
    "manual": "manueel",
    "card": "kaart",
    "(purged)": "(gewist)",
    "Exporting…": "Bezig met exporteren…",
}


def sources() -> list[str]:
    return sorted(str(p) for p in Path(__file__).resolve().parent.glob("*.py"))


CATALOGUE_NAME = "loket_supervisor_nl"


def shipped_dir() -> Path:
    from cardreader.resources import resources_dir

    return resources_dir() / "translations"


def build_qm(out_dir: Path, name: str = CATALOGUE_NAME) -> tuple[Path, list[str]]:
    """Extract the texts (lupdate), fill in the Dutch, compile ``out_dir/<name>.qm``.

    Returns the ``.qm`` and the source texts that have no Dutch yet (should be none).
    """
    tools = Path(sys.executable).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    ts = out_dir / f"{name}.ts"
    subprocess.run(
        [
            str(tools / "pyside6-lupdate"),
            *sources(),
            "-no-obsolete",
            "-target-language",
            "nl_BE",
            "-ts",
            str(ts),
        ],
        check=True,
        capture_output=True,
    )
    tree = etree.parse(str(ts))
    missing: list[str] = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        if source in SUPERVISOR_NL:
            translation.text = SUPERVISOR_NL[source]
            if "type" in translation.attrib:
                del translation.attrib["type"]
        else:
            missing.append(source)
    tree.write(str(ts), encoding="utf-8", xml_declaration=True)
    qm = out_dir / f"{name}.qm"
    subprocess.run(
        [str(tools / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
    )
    return qm, missing


def main() -> int:
    _qm, missing = build_qm(shipped_dir())
    for text in missing:
        print(f"untranslated: {text!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
