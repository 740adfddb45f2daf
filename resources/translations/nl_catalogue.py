"""Maintainer tool: refresh loket_nl.ts from the sources, fill the Dutch texts, compile .qm.

Run from the repository root:  .venv/bin/python resources/translations/nl_catalogue.py
Qt Linguist can edit loket_nl.ts as well; this table keeps the texts reviewable in
one place and lets the test suite check that no visible string is left untranslated.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent

NL: dict[str, str] = {
    # advice
    "Right": "Recht",
    "No right": "Geen recht",
    "Check manually": "Manueel nakijken",
    "Fact": "Gegeven",
    "Value": "Waarde",
    "Source": "Bron",
    "Retrieved": "Opgehaald",
    "Ask the citizen:": "Vraag aan de burger:",
    "Prices": "Prijzen",
    "Proposed end date: {date}": "Voorgestelde einddatum: {date}",
    "Explanation": "Uitleg",
    "Decided (log entry {entry}).": "Beslist (logboekregel {entry}).",
    "Show the explanation for {title}": "Toon de uitleg voor {title}",
    "Explanation for {title}": "Uitleg voor {title}",
    # card warning / identity
    "I have seen this — &continue": "Ik heb dit gezien — &verder",
    "Acknowledge the card problem and continue": "Bevestig het kaartprobleem en ga verder",
    "Belgian identity card": "Belgische identiteitskaart",
    "Kids-ID": "Kids-ID",
    "EU citizen card": "Kaart voor EU-burger",
    "Foreign child's card": "Kaart voor buitenlands kind",
    "Residence card type {kind}": "Verblijfskaart type {kind}",
    "Other document": "Ander document",
    "The card data is NOT authentic: the signatures do not match.":
        "De kaartgegevens zijn NIET echt: de handtekeningen kloppen niet.",
    "The card data could not be verified.": "De kaartgegevens konden niet geverifieerd worden.",
    "The card has EXPIRED.": "De kaart is VERVALLEN.",
    "The card is NOT YET VALID.": "De kaart is NOG NIET GELDIG.",
    "The card is NOT ACTIVATED (not personalised).": "De kaart is NIET GEACTIVEERD (niet gepersonaliseerd).",
    "Citizen": "Burger",
    "Name": "Naam",
    "Age": "Leeftijd",
    "Document": "Document",
    "Valid": "Geldig",
    "Show &photo": "Toon &foto",
    "Show the photo on the card": "Toon de foto op de kaart",
    "Photo on the card": "Foto op de kaart",
    "No photo on the card": "Geen foto op de kaart",
    "Entered by hand (no card)": "Manueel ingevoerd (geen kaart)",
    "None: INSZ typed by the clerk": "Geen: INSZ ingetypt door de loketmedewerker",
    "Not verified: no card was read": "Niet geverifieerd: er werd geen kaart gelezen",
    "{age} years": "{age} jaar",
    "about {age} years (born in {year})": "ongeveer {age} jaar (geboren in {year})",
    "{start} to {end}": "{start} tot {end}",
    "EXPIRED": "VERVALLEN",
    "NOT YET VALID": "NOG NIET GELDIG",
    "Authentic: the card's signatures are valid": "Echt: de handtekeningen van de kaart kloppen",
    "NOT AUTHENTIC: the card's signatures do not match":
        "NIET ECHT: de handtekeningen van de kaart kloppen niet",
    "Not verifiable: authenticity could not be checked":
        "Niet verifieerbaar: de echtheid kon niet gecontroleerd worden",
    # clerk
    "Clerk: {name} (MAGDA user {insz})": "Loketmedewerker: {name} (MAGDA-gebruiker {insz})",
    "not configured": "niet ingesteld",
    # window
    "Loket — counter": "Loket — balie",
    "&Manual entry (national number)…": "&Manuele invoer (rijksregisternummer)…",
    "&Insert simulated card": "Gesimuleerde kaart &insteken",
    "&Remove simulated card": "Gesimuleerde kaart ve&rwijderen",
    "&New citizen (clear the screen)": "&Nieuwe burger (scherm wissen)",
    "&Settings…": "In&stellingen…",
    "Supervisor's &view of the daily log…": "&Supervisie: het dagelijkse logboek…",
    "Not finished in this version: the purposes (Hoedanigheid) in the rules are placeholders "
    "to be confirmed. Real MAGDA refuses a request whose purpose is not authorised.":
        "Nog niet af in deze versie: de hoedanigheden in de regels zijn voorlopige codes die nog "
        "bevestigd moeten worden. Het echte MAGDA weigert een vraag met een niet-toegestane "
        "hoedanigheid.",
    "&Quit": "&Afsluiten",
    "&Counter": "&Loket",
    "C&ard": "K&aart",
    "&Try again": "&Opnieuw proberen",
    "Ask the sources again": "Vraag de bronnen opnieuw",
    "The daily log is not available: decisions are NOT recorded ({detail}).":
        "Het dagelijkse logboek is niet beschikbaar: beslissingen worden NIET bewaard ({detail}).",
    "Document seen: {what}": "Document gezien: {what}",
    "This consultation is NOT in the log: {error}": "Deze raadpleging staat NIET in het logboek: {error}",
    "Assess &again with these declarations": "&Opnieuw beoordelen met deze verklaringen",
    "Every decision is written to the daily log.": "Elke beslissing wordt in het dagelijkse logboek geschreven.",
    "Insert the eID card in the reader": "Steek de eID-kaart in de lezer",
    "Reading and verifying the card…": "De kaart wordt gelezen en geverifieerd…",
    "Look at the card problem below before you continue.":
        "Bekijk het kaartprobleem hieronder voor u verdergaat.",
    "This card is not a Belgian eID. Insert an eID card.":
        "Deze kaart is geen Belgische eID. Steek een eID-kaart in.",
    "The card was removed while it was read. Insert it again.":
        "De kaart werd verwijderd tijdens het lezen. Steek ze opnieuw in.",
    "The card could not be read: {detail}": "De kaart kon niet gelezen worden: {detail}",
    "Asking the sources…": "De bronnen worden bevraagd…",
    "Advice ready: decide below.": "Advies klaar: beslis hieronder.",
    "The check could not run: {detail}": "De controle kon niet uitgevoerd worden: {detail}",
    "Registering and writing the log…": "Registreren en het logboek schrijven…",
    "Done: registered and logged.": "Klaar: geregistreerd en gelogd.",
    "Decision confirmed. Still to decide: {rights}. Choose below, or remove the card when "
    "nothing more is needed.":
        "Beslissing bevestigd. Nog te beslissen: {rights}. Kies hieronder, of verwijder de kaart "
        "als er niets meer nodig is.",
    "Decision confirmed. Still to decide: {rights}. Choose below, or clear the screen (Ctrl+N) "
    "when nothing more is needed.":
        "Beslissing bevestigd. Nog te beslissen: {rights}. Kies hieronder, of wis het scherm "
        "(Ctrl+N) als er niets meer nodig is.",
    "Card removed: the screen clears shortly.": "Kaart verwijderd: het scherm wordt zo gewist.",
    "Card removed: the check was stopped; the screen clears shortly.":
        "Kaart verwijderd: de controle is gestopt; het scherm wordt zo gewist.",
    "Cancelled.": "Geannuleerd.",
    "No input for {delay}: the manual entry was cleared from the screen.":
        "Geen invoer gedurende {delay}: de manuele invoer is van het scherm gewist.",
    "Decision confirmed. Log entry {entry}.": "Beslissing bevestigd. Logboekregel {entry}.",
    "UiTPAS registration {ref}.": "UiTPAS-registratie {ref}.",
    "Warning: the log is not durable (see below).": "Let op: het logboek is niet blijvend (zie onder).",
    "The decision for the previous citizen was registered and logged (log entry {entry}).":
        "De beslissing voor de vorige burger werd geregistreerd en gelogd (logboekregel {entry}).",
    "The decision for the previous citizen was NOT recorded: {error}":
        "De beslissing voor de vorige burger werd NIET geregistreerd: {error}",
    "UiTPAS registered the pass of the previous citizen, but the log could not be written "
    "yet; Loket writes it again with the next log entry.":
        "UiTPAS heeft de pas van de vorige burger geregistreerd, maar het logboek kon nog niet "
        "geschreven worden; Loket schrijft de beslissing opnieuw bij de volgende logboekregel.",
    "Not recorded: {error}. Nothing was saved; you can try again.":
        "Niet geregistreerd: {error}. Er werd niets bewaard; u kunt opnieuw proberen.",
    "Not logged: {error}.": "Niet gelogd: {error}.",
    "Not logged yet: {error}. The decision is kept: confirm again to write it now; "
    "otherwise Loket writes it with the next log entry.":
        "Nog niet gelogd: {error}. De beslissing blijft bewaard: bevestig opnieuw om ze nu te "
        "schrijven; anders schrijft Loket ze bij de volgende logboekregel.",
    "The decision is not in the log yet: {error}. Loket writes it with the next log entry. "
    "The card was removed; the screen clears shortly.":
        "De beslissing staat nog niet in het logboek: {error}. Loket schrijft ze bij de "
        "volgende logboekregel. De kaart werd verwijderd; het scherm wordt zo gewist.",
    "The decision for the previous citizen could not be written to the log yet; Loket "
    "writes it again with the next log entry.":
        "De beslissing voor de vorige burger kon nog niet in het logboek geschreven worden; "
        "Loket schrijft ze opnieuw bij de volgende logboekregel.",
    "Not recorded: {error}. Nothing was saved.": "Niet geregistreerd: {error}. Er werd niets bewaard.",
    "The decision was NOT recorded: {error}. The card was removed; the screen clears shortly.":
        "De beslissing werd NIET geregistreerd: {error}. De kaart werd verwijderd; het scherm "
        "wordt zo gewist.",
    "Technical message: {detail}": "Technische melding: {detail}",
    "Registration uncertain: {error}.": "Registratie onzeker: {error}.",
    "Not registered: {error}. You can try again.": "Niet geregistreerd: {error}. U kunt opnieuw proberen.",
    "Not registered: {error}.": "Niet geregistreerd: {error}.",
    "the attempt is in the log (entry {entry})": "de poging staat in het logboek (regel {entry})",
    "the request to UiTPAS could not be written to the log":
        "de vraag aan UiTPAS kon niet in het logboek geschreven worden",
    "UiTPAS MAY have registered the pass. Do not register this person another way: confirm the "
    "sale again (the counter then looks the passholder up) or look the person up in UiTPAS":
        "UiTPAS heeft de pas MOGELIJK wel geregistreerd. Registreer deze persoon niet op een andere "
        "manier: bevestig de verkoop opnieuw (het loket zoekt de pashouder dan op) of zoek de "
        "persoon op in UiTPAS",
    "this person already has a UiTPAS, but not the pass this sale asked for: look the person up "
    "in UiTPAS":
        "deze persoon heeft al een UiTPAS, maar niet de pas die deze verkoop vroeg: zoek de persoon "
        "op in UiTPAS",
    # why a source or a registration failed (counter_app/ui/reasons.py)
    "technical message: {detail}": "technische melding: {detail}",
    "the source did not answer within {seconds}": "de bron antwoordde niet binnen {seconds}",
    "UiTPAS did not answer within {seconds}": "UiTPAS antwoordde niet binnen {seconds}",
    "the source reported an internal error (HTTP {code})":
        "de bron meldde een interne fout (HTTP {code})",
    "the source is receiving too many requests (HTTP {code}); try again shortly":
        "de bron krijgt te veel vragen (HTTP {code}); probeer straks opnieuw",
    "the source refused the request (HTTP {code})": "de bron weigerde de vraag (HTTP {code})",
    "this person already has a UiTPAS; a new pass cannot be sold (trying again will not help)":
        "deze persoon heeft al een UiTPAS; een nieuwe pas verkopen kan niet (opnieuw proberen "
        "helpt niet)",
    "the source did not answer before the check's time ran out":
        "de bron antwoordde niet voor de tijd van de controle om was",
    "UiTPAS did not answer in time; look the passholder up at UiTPAS before trying again":
        "UiTPAS antwoordde niet op tijd; zoek de pashouder eerst op bij UiTPAS voor u opnieuw "
        "probeert",
    "the source did not answer in time": "de bron antwoordde niet op tijd",
    "no connection with the source": "geen verbinding met de bron",
    "the connection with the source broke off": "de verbinding met de bron viel weg",
    "not asked: the source failed several times just before; try again later":
        "niet gevraagd: de bron faalde net enkele keren na elkaar; probeer later opnieuw",
    "MAGDA is too busy (too many simultaneous requests); try again":
        "MAGDA is overbelast (te veel gelijktijdige vragen); probeer opnieuw",
    "UiTPAS is receiving too many requests; try again shortly":
        "UiTPAS krijgt te veel vragen; probeer straks opnieuw",
    "UiTPAS refused the counter's access (configuration)":
        "UiTPAS weigerde de toegang van het loket (configuratie)",
    "MAGDA refused the counter's signature (configuration)":
        "MAGDA weigerde de handtekening van het loket (configuratie)",
    "the source reported an error": "de bron meldde een fout",
    "the national number is unknown to the source": "het rijksregisternummer is onbekend bij de bron",
    "the national register has no data on this person":
        "het rijksregister heeft geen gegevens over deze persoon",
    "the source refused the question": "de bron weigerde de vraag",
    "no data found": "geen gegevens gevonden",
    "the answer was about another person and was refused":
        "het antwoord ging over een andere persoon en werd geweigerd",
    "the national number is not valid": "het rijksregisternummer is niet geldig",
    "the disability administration (DG Personen met een handicap) could not answer":
        "de DG Personen met een handicap kon niet antwoorden",
    "the source could not determine the statutes": "de bron kon de statuten niet bepalen",
    "the OCMW list is not available or cannot be read":
        "de OCMW-lijst is niet beschikbaar of niet leesbaar",
    "the question could not be prepared": "de vraag kon niet opgesteld worden",
    "the source gave an unreadable answer": "de bron gaf een onleesbaar antwoord",
    "UiTPAS is not configured": "UiTPAS is niet ingesteld",
    "UiTPAS gave no answer about this person": "UiTPAS gaf geen antwoord over deze persoon",
    "a pass can only be registered with the identity and address read from the eID card":
        "een pas kan alleen geregistreerd worden met de identiteit en het adres van de eID-kaart",
    "UiTPAS did not register the pass": "UiTPAS heeft de pas niet geregistreerd",
    "the consultation could not be written to the log":
        "de raadpleging kon niet in het logboek geschreven worden",
    "UiTPAS registered the pass ({reference}), but the log could not be written; confirm again "
    "to write only the log":
        "UiTPAS heeft de pas geregistreerd ({reference}), maar het logboek kon niet geschreven "
        "worden; bevestig opnieuw om alleen het logboek te schrijven",
    "the log could not be written": "het logboek kon niet geschreven worden",
    "this advice has no check behind it; scan the card again":
        "achter dit advies zit geen controle; lees de kaart opnieuw in",
    "it cannot be opened": "het kan niet geopend worden",
    "it is not part of this installation": "het maakt geen deel uit van deze installatie",
    "unexpected error": "onverwachte fout",
    "Already has a UiTPAS (according to UiTPAS): a new pass cannot be sold. Look the person up "
    "in UiTPAS.":
        "Heeft al een UiTPAS (volgens UiTPAS): een nieuwe pas verkopen kan niet. Zoek de persoon "
        "op in UiTPAS.",
    "already has a UiTPAS": "heeft al een UiTPAS",
    "needs the eID card (name and address): sell in UiTPAS": (
        "vraagt de eID-kaart (naam en adres): verkoop in UiTPAS zelf"
    ),
    "Start the check for this national number": "Start de controle voor dit rijksregisternummer",
    "Cancel the manual entry": "Annuleer de manuele invoer",
    "Save the settings": "Bewaar de instellingen",
    "Close without saving": "Sluit zonder te bewaren",
    "Citizen, sources and advice": "Burger, bronnen en advies",
    # decision
    "Sell the UiTPAS at the opportunity tariff": "UiTPAS verkopen aan kansentarief",
    "Sell the UiTPAS at the normal price": "UiTPAS verkopen aan de normale prijs",
    "Register the LEZ exemption": "LEZ-vrijstelling registreren",
    "Grant the reduced LEZ tariff": "Verminderd LEZ-tarief toekennen",
    "No action": "Geen actie",
    "Reason (required: this departs from the advice)": "Reden (verplicht: dit wijkt af van het advies)",
    "Reason (optional)": "Reden (optioneel)",
    "Choose what to do first.": "Kies eerst wat u wilt doen.",
    "This departs from the advice: give a reason.": "Dit wijkt af van het advies: geef een reden op.",
    "override": "afwijking van het advies",
    "Decision": "Beslissing",
    "Confirmed: {decision} (log entry {entry}).": "Bevestigd: {decision} (logboekregel {entry}).",
    "Still to decide:": "Nog te beslissen:",
    "Price": "Prijs",
    "&End date": "&Einddatum",
    "End date of the status": "Einddatum van het statuut",
    "&Confirm": "&Bevestigen",
    "Confirm the decision": "Bevestig de beslissing",
    # deck
    "Simulated &card:": "Gesimuleerde &kaart:",
    "Simulated card profile": "Profiel van de gesimuleerde kaart",
    "Insert (Ctrl+I)": "Insteken (Ctrl+I)",
    "Insert the simulated card": "Steek de gesimuleerde kaart in",
    "Remove (Ctrl+R)": "Verwijderen (Ctrl+R)",
    "Remove the simulated card": "Verwijder de gesimuleerde kaart",
    # manual entry
    "Type the 11 digits of the national number (INSZ).": "Typ de 11 cijfers van het rijksregisternummer (INSZ).",
    "{count} of 11 digits": "{count} van 11 cijfers",
    "Valid national number.": "Geldig rijksregisternummer.",
    "Not a valid national number: check the digits.": "Geen geldig rijksregisternummer: controleer de cijfers.",
    "Enter a national number": "Rijksregisternummer invoeren",
    "For a damaged or forgotten card. The check is logged as a manual entry.":
        "Voor een beschadigde of vergeten kaart. De controle wordt gelogd als manuele invoer.",
    "&National number (INSZ)": "&Rijksregisternummer (INSZ)",
    "National number (INSZ)": "Rijksregisternummer (INSZ)",
    # reader status
    "Card service is not running": "De kaartdienst draait niet",
    "No card reader connected": "Geen kaartlezer aangesloten",
    "Reader ready, no card": "Lezer klaar, geen kaart",
    "Card in the reader": "Kaart in de lezer",
    "Reading the card…": "Kaart wordt gelezen…",
    "This card is not an eID": "Deze kaart is geen eID",
    # settings
    "Settings": "Instellingen",
    "&Language": "&Taal",
    "Language": "Taal",
    # sources
    "asking…": "bevragen…",
    "answered": "geantwoord",
    "no answer": "geen antwoord",
    "Sources": "Bronnen",
}


# Sub-packages that ship their own catalogue (loket_<name>_nl.ts), maintained by their owners.
OWN_CATALOGUES = ("supervisor",)


def sources() -> list[str]:
    """The counter window's sources (``counter_app/ui`` minus the sub-packages listed above)."""
    ui = ROOT / "counter_app" / "ui"
    return sorted(
        str(p)
        for p in ui.rglob("*.py")
        if not any(part in OWN_CATALOGUES for part in p.relative_to(ui).parts)
    )


def main() -> int:
    ts = HERE / "loket_nl.ts"
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), *sources(), "-no-obsolete", "-target-language", "nl_BE",
         "-ts", str(ts)],
        check=True, capture_output=True,
    )
    tree = etree.parse(str(ts))
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source in NL:
            translation.text = NL[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(str(ts), encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(HERE / "loket_nl.qm")],
                   check=True, capture_output=True)
    for text in missing:
        print(f"untranslated: {text!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
