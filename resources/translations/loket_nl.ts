<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_BE">
<context>
    <name>Advice</name>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="51"/>
        <source>Right</source>
        <translation>Recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="52"/>
        <source>No right</source>
        <translation>Geen recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="53"/>
        <source>Check manually</source>
        <translation>Manueel nakijken</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="100"/>
        <source>Fact</source>
        <translation>Gegeven</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="101"/>
        <source>Value</source>
        <translation>Waarde</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="102"/>
        <source>Source</source>
        <translation>Bron</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="103"/>
        <source>Retrieved</source>
        <translation>Opgehaald</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="116"/>
        <source>Ask the citizen:</source>
        <translation>Vraag aan de burger:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="123"/>
        <source>Prices</source>
        <translation>Prijzen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="129"/>
        <source>Proposed end date: {date}</source>
        <translation>Voorgestelde einddatum: {date}</translation>
    </message>
</context>
<context>
    <name>AdviceCard</name>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="295"/>
        <source>Explanation</source>
        <translation>Uitleg</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="297"/>
        <source>Show the explanation for {title}</source>
        <translation>Toon de uitleg voor {title}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="277"/>
        <source>Explanation for {title}</source>
        <translation>Uitleg voor {title}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="231"/>
        <source>Decided (log entry {entry}).</source>
        <extracomment>names of the facts the clerk now declares true (after seeing the documents)</extracomment>
        <translation>Beslist (logboekregel {entry}).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="290"/>
        <source>Already has a UiTPAS (according to UiTPAS): a new pass cannot be sold. Look the person up in UiTPAS.</source>
        <translation>Heeft al een UiTPAS (volgens UiTPAS): een nieuwe pas verkopen kan niet. Zoek de persoon op in UiTPAS.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="303"/>
        <source>Document seen: {what}</source>
        <translation>Document gezien: {what}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/advice.py" line="307"/>
        <source>Assess &amp;again with these declarations</source>
        <translation>&amp;Opnieuw beoordelen met deze verklaringen</translation>
    </message>
</context>
<context>
    <name>CardWarningBanner</name>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="251"/>
        <source>I have seen this — &amp;continue</source>
        <translation>Ik heb dit gezien — &amp;verder</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="252"/>
        <source>Acknowledge the card problem and continue</source>
        <translation>Bevestig het kaartprobleem en ga verder</translation>
    </message>
</context>
<context>
    <name>ClerkBadge</name>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="72"/>
        <source>Clerk: {name} (MAGDA user {insz})</source>
        <translation>Loketmedewerker: {name} (MAGDA-gebruiker {insz})</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="73"/>
        <source>not configured</source>
        <translation>niet ingesteld</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="321"/>
        <source>Loket — counter</source>
        <translation>Loket — balie</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="322"/>
        <source>&amp;Manual entry (national number)…</source>
        <translation>&amp;Manuele invoer (rijksregisternummer)…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="323"/>
        <source>&amp;Insert simulated card</source>
        <translation>Gesimuleerde kaart &amp;insteken</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="324"/>
        <source>&amp;Remove simulated card</source>
        <translation>Gesimuleerde kaart ve&amp;rwijderen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="325"/>
        <source>&amp;New citizen (clear the screen)</source>
        <translation>&amp;Nieuwe burger (scherm wissen)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="326"/>
        <source>&amp;Settings…</source>
        <translation>In&amp;stellingen…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="327"/>
        <source>Supervisor's &amp;view of the daily log…</source>
        <translation>&amp;Supervisie: het dagelijkse logboek…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="328"/>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="329"/>
        <source>&amp;Counter</source>
        <translation>&amp;Loket</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="330"/>
        <source>C&amp;ard</source>
        <translation>K&amp;aart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="331"/>
        <source>&amp;Try again</source>
        <translation>&amp;Opnieuw proberen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="332"/>
        <source>Ask the sources again</source>
        <translation>Vraag de bronnen opnieuw</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="333"/>
        <source>Citizen, sources and advice</source>
        <translation>Burger, bronnen en advies</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="369"/>
        <source>The daily log is not available: decisions are NOT recorded ({detail}).</source>
        <translation>Het dagelijkse logboek is niet beschikbaar: beslissingen worden NIET bewaard ({detail}).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="373"/>
        <source>Every decision is written to the daily log.</source>
        <translation>Elke beslissing wordt in het dagelijkse logboek geschreven.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="388"/>
        <source>Insert the eID card in the reader</source>
        <translation>Steek de eID-kaart in de lezer</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="389"/>
        <source>Reading and verifying the card…</source>
        <translation>De kaart wordt gelezen en geverifieerd…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="390"/>
        <source>Look at the card problem below before you continue.</source>
        <translation>Bekijk het kaartprobleem hieronder voor u verdergaat.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="391"/>
        <source>This card is not a Belgian eID. Insert an eID card.</source>
        <translation>Deze kaart is geen Belgische eID. Steek een eID-kaart in.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="393"/>
        <source>The card was removed while it was read. Insert it again.</source>
        <translation>De kaart werd verwijderd tijdens het lezen. Steek ze opnieuw in.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="395"/>
        <source>The card could not be read: {detail}</source>
        <translation>De kaart kon niet gelezen worden: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="396"/>
        <source>Asking the sources…</source>
        <translation>De bronnen worden bevraagd…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="397"/>
        <source>Advice ready: decide below.</source>
        <translation>Advies klaar: beslis hieronder.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="398"/>
        <source>The check could not run: {detail}</source>
        <translation>De controle kon niet uitgevoerd worden: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="399"/>
        <source>Registering and writing the log…</source>
        <translation>Registreren en het logboek schrijven…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="400"/>
        <source>Done: registered and logged.</source>
        <translation>Klaar: geregistreerd en gelogd.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="402"/>
        <source>Decision confirmed. Still to decide: {rights}. Choose below, or remove the card when nothing more is needed.</source>
        <translation>Beslissing bevestigd. Nog te beslissen: {rights}. Kies hieronder, of verwijder de kaart als er niets meer nodig is.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="406"/>
        <source>Decision confirmed. Still to decide: {rights}. Choose below, or clear the screen (Ctrl+N) when nothing more is needed.</source>
        <translation>Beslissing bevestigd. Nog te beslissen: {rights}. Kies hieronder, of wis het scherm (Ctrl+N) als er niets meer nodig is.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="410"/>
        <source>The decision was NOT recorded: {error}. The card was removed; the screen clears shortly.</source>
        <translation>De beslissing werd NIET geregistreerd: {error}. De kaart werd verwijderd; het scherm wordt zo gewist.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="414"/>
        <source>The decision is not in the log yet: {error}. Loket writes it with the next log entry. The card was removed; the screen clears shortly.</source>
        <translation>De beslissing staat nog niet in het logboek: {error}. Loket schrijft ze bij de volgende logboekregel. De kaart werd verwijderd; het scherm wordt zo gewist.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="417"/>
        <source>Card removed: the check was stopped; the screen clears shortly.</source>
        <translation>Kaart verwijderd: de controle is gestopt; het scherm wordt zo gewist.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="418"/>
        <source>Card removed: the screen clears shortly.</source>
        <translation>Kaart verwijderd: het scherm wordt zo gewist.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="419"/>
        <source>Cancelled.</source>
        <translation>Geannuleerd.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="421"/>
        <source>No input for {delay}: the manual entry was cleared from the screen.</source>
        <translation>Geen invoer gedurende {delay}: de manuele invoer is van het scherm gewist.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="444"/>
        <source>Decision confirmed. Log entry {entry}.</source>
        <translation>Beslissing bevestigd. Logboekregel {entry}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="448"/>
        <source>UiTPAS registration {ref}.</source>
        <translation>UiTPAS-registratie {ref}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="452"/>
        <source>Warning: the log is not durable (see below).</source>
        <translation>Let op: het logboek is niet blijvend (zie onder).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="361"/>
        <source>This consultation is NOT in the log: {error}</source>
        <translation>Deze raadpleging staat NIET in het logboek: {error}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="350"/>
        <source>Not finished in this version: the purposes (Hoedanigheid) in the rules are placeholders to be confirmed. Real MAGDA refuses a request whose purpose is not authorised.</source>
        <translation>Nog niet af in deze versie: de hoedanigheden in de regels zijn voorlopige codes die nog bevestigd moeten worden. Het echte MAGDA weigert een vraag met een niet-toegestane hoedanigheid.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="463"/>
        <source>Not logged: {error}.</source>
        <translation>Niet gelogd: {error}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="466"/>
        <source>Not logged yet: {error}. The decision is kept: confirm again to write it now; otherwise Loket writes it with the next log entry.</source>
        <translation>Nog niet gelogd: {error}. De beslissing blijft bewaard: bevestig opnieuw om ze nu te schrijven; anders schrijft Loket ze bij de volgende logboekregel.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="470"/>
        <source>Registration uncertain: {error}.</source>
        <translation>Registratie onzeker: {error}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="472"/>
        <source>Not registered: {error}. You can try again.</source>
        <translation>Niet geregistreerd: {error}. U kunt opnieuw proberen.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="474"/>
        <source>Not registered: {error}.</source>
        <translation>Niet geregistreerd: {error}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="478"/>
        <source>Not recorded: {error}. Nothing was saved.</source>
        <translation>Niet geregistreerd: {error}. Er werd niets bewaard.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="493"/>
        <source>The decision for the previous citizen was registered and logged (log entry {entry}).</source>
        <translation>De beslissing voor de vorige burger werd geregistreerd en gelogd (logboekregel {entry}).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="501"/>
        <source>UiTPAS registered the pass of the previous citizen, but the log could not be written yet; Loket writes it again with the next log entry.</source>
        <translation>UiTPAS heeft de pas van de vorige burger geregistreerd, maar het logboek kon nog niet geschreven worden; Loket schrijft de beslissing opnieuw bij de volgende logboekregel.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="507"/>
        <source>The decision for the previous citizen could not be written to the log yet; Loket writes it again with the next log entry.</source>
        <translation>De beslissing voor de vorige burger kon nog niet in het logboek geschreven worden; Loket schrijft ze opnieuw bij de volgende logboekregel.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="513"/>
        <source>The decision for the previous citizen was NOT recorded: {error}</source>
        <translation>De beslissing voor de vorige burger werd NIET geregistreerd: {error}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="476"/>
        <source>Not recorded: {error}. Nothing was saved; you can try again.</source>
        <translation>Niet geregistreerd: {error}. Er werd niets bewaard; u kunt opnieuw proberen.</translation>
    </message>
</context>
<context>
    <name>Decision</name>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="69"/>
        <source>Sell the UiTPAS at the opportunity tariff</source>
        <translation>UiTPAS verkopen aan kansentarief</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="72"/>
        <source>Sell the UiTPAS at the normal price</source>
        <translation>UiTPAS verkopen aan de normale prijs</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="75"/>
        <source>Register the LEZ exemption</source>
        <translation>LEZ-vrijstelling registreren</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="78"/>
        <source>Grant the reduced LEZ tariff</source>
        <translation>Verminderd LEZ-tarief toekennen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="81"/>
        <source>No action</source>
        <translation>Geen actie</translation>
    </message>
</context>
<context>
    <name>DecisionPanel</name>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="317"/>
        <source>Reason (required: this departs from the advice)</source>
        <translation>Reden (verplicht: dit wijkt af van het advies)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="319"/>
        <source>Reason (optional)</source>
        <translation>Reden (optioneel)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="327"/>
        <source>Choose what to do first.</source>
        <translation>Kies eerst wat u wilt doen.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="333"/>
        <source>This departs from the advice: give a reason.</source>
        <translation>Dit wijkt af van het advies: geef een reden op.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="358"/>
        <source>Confirmed: {decision} (log entry {entry}).</source>
        <translation>Bevestigd: {decision} (logboekregel {entry}).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="362"/>
        <source>Still to decide:</source>
        <translation>Nog te beslissen:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="371"/>
        <source>override</source>
        <translation>afwijking van het advies</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="373"/>
        <source>already has a UiTPAS</source>
        <translation>heeft al een UiTPAS</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="375"/>
        <source>needs the eID card (name and address): sell in UiTPAS</source>
        <translation>vraagt de eID-kaart (naam en adres): verkoop in UiTPAS zelf</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="380"/>
        <source>Decision</source>
        <translation>Beslissing</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="381"/>
        <location filename="../../counter_app/ui/widgets/decision.py" line="387"/>
        <source>Price</source>
        <translation>Prijs</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="382"/>
        <source>&amp;End date</source>
        <translation>&amp;Einddatum</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="383"/>
        <source>End date of the status</source>
        <translation>Einddatum van het statuut</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="388"/>
        <source>&amp;Confirm</source>
        <translation>&amp;Bevestigen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/decision.py" line="389"/>
        <source>Confirm the decision</source>
        <translation>Bevestig de beslissing</translation>
    </message>
</context>
<context>
    <name>DeckChooser</name>
    <message>
        <location filename="../../counter_app/ui/widgets/deck.py" line="40"/>
        <source>Simulated &amp;card:</source>
        <translation>Gesimuleerde &amp;kaart:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/deck.py" line="41"/>
        <source>Simulated card profile</source>
        <translation>Profiel van de gesimuleerde kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/deck.py" line="42"/>
        <source>Insert (Ctrl+I)</source>
        <translation>Insteken (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/deck.py" line="43"/>
        <source>Insert the simulated card</source>
        <translation>Steek de gesimuleerde kaart in</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/deck.py" line="44"/>
        <source>Remove (Ctrl+R)</source>
        <translation>Verwijderen (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/deck.py" line="45"/>
        <source>Remove the simulated card</source>
        <translation>Verwijder de gesimuleerde kaart</translation>
    </message>
</context>
<context>
    <name>IdentityPanel</name>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="37"/>
        <source>Belgian identity card</source>
        <translation>Belgische identiteitskaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="39"/>
        <source>Kids-ID</source>
        <translation>Kids-ID</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="41"/>
        <source>EU citizen card</source>
        <translation>Kaart voor EU-burger</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="43"/>
        <source>Foreign child's card</source>
        <translation>Kaart voor buitenlands kind</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="46"/>
        <source>Residence card type {kind}</source>
        <translation>Verblijfskaart type {kind}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="49"/>
        <source>Other document</source>
        <translation>Ander document</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="64"/>
        <source>The card data is NOT authentic: the signatures do not match.</source>
        <translation>De kaartgegevens zijn NIET echt: de handtekeningen kloppen niet.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="70"/>
        <source>The card data could not be verified.</source>
        <translation>De kaartgegevens konden niet geverifieerd worden.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="73"/>
        <source>The card has EXPIRED.</source>
        <translation>De kaart is VERVALLEN.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="75"/>
        <source>The card is NOT YET VALID.</source>
        <translation>De kaart is NOG NIET GELDIG.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="78"/>
        <source>The card is NOT ACTIVATED (not personalised).</source>
        <translation>De kaart is NIET GEACTIVEERD (niet gepersonaliseerd).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="129"/>
        <source>Citizen</source>
        <translation>Burger</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="130"/>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="130"/>
        <source>Age</source>
        <translation>Leeftijd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="130"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="130"/>
        <source>Valid</source>
        <translation>Geldig</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="133"/>
        <source>Show &amp;photo</source>
        <translation>Toon &amp;foto</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="134"/>
        <source>Show the photo on the card</source>
        <translation>Toon de foto op de kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="150"/>
        <source>Photo on the card</source>
        <translation>Foto op de kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="152"/>
        <source>No photo on the card</source>
        <translation>Geen foto op de kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="171"/>
        <source>Entered by hand (no card)</source>
        <translation>Manueel ingevoerd (geen kaart)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="173"/>
        <source>None: INSZ typed by the clerk</source>
        <translation>Geen: INSZ ingetypt door de loketmedewerker</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="175"/>
        <source>Not verified: no card was read</source>
        <translation>Niet geverifieerd: er werd geen kaart gelezen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="183"/>
        <source>{age} years</source>
        <translation>{age} jaar</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="187"/>
        <source>about {age} years (born in {year})</source>
        <translation>ongeveer {age} jaar (geboren in {year})</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="194"/>
        <source>{start} to {end}</source>
        <translation>{start} tot {end}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="199"/>
        <source>EXPIRED</source>
        <translation>VERVALLEN</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="201"/>
        <source>NOT YET VALID</source>
        <translation>NOG NIET GELDIG</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="205"/>
        <source>Authentic: the card's signatures are valid</source>
        <translation>Echt: de handtekeningen van de kaart kloppen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="207"/>
        <source>NOT AUTHENTIC: the card's signatures do not match</source>
        <translation>NIET ECHT: de handtekeningen van de kaart kloppen niet</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/identity.py" line="210"/>
        <source>Not verifiable: authenticity could not be checked</source>
        <translation>Niet verifieerbaar: de echtheid kon niet gecontroleerd worden</translation>
    </message>
</context>
<context>
    <name>ManualEntryDialog</name>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="64"/>
        <source>Type the 11 digits of the national number (INSZ).</source>
        <translation>Typ de 11 cijfers van het rijksregisternummer (INSZ).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="66"/>
        <source>{count} of 11 digits</source>
        <translation>{count} van 11 cijfers</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="70"/>
        <source>Valid national number.</source>
        <translation>Geldig rijksregisternummer.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="72"/>
        <source>Not a valid national number: check the digits.</source>
        <translation>Geen geldig rijksregisternummer: controleer de cijfers.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="81"/>
        <source>Enter a national number</source>
        <translation>Rijksregisternummer invoeren</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="83"/>
        <source>For a damaged or forgotten card. The check is logged as a manual entry.</source>
        <translation>Voor een beschadigde of vergeten kaart. De controle wordt gelogd als manuele invoer.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="85"/>
        <source>&amp;National number (INSZ)</source>
        <translation>&amp;Rijksregisternummer (INSZ)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="86"/>
        <source>National number (INSZ)</source>
        <translation>Rijksregisternummer (INSZ)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="89"/>
        <source>Start the check for this national number</source>
        <translation>Start de controle voor dit rijksregisternummer</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="90"/>
        <source>Cancel the manual entry</source>
        <translation>Annuleer de manuele invoer</translation>
    </message>
</context>
<context>
    <name>ReaderStatus</name>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="44"/>
        <source>Card service is not running</source>
        <translation>De kaartdienst draait niet</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="45"/>
        <source>No card reader connected</source>
        <translation>Geen kaartlezer aangesloten</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="46"/>
        <source>Reader ready, no card</source>
        <translation>Lezer klaar, geen kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="47"/>
        <source>Card in the reader</source>
        <translation>Kaart in de lezer</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="48"/>
        <source>Reading the card…</source>
        <translation>Kaart wordt gelezen…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/status.py" line="49"/>
        <source>This card is not an eID</source>
        <translation>Deze kaart is geen eID</translation>
    </message>
</context>
<context>
    <name>Reasons</name>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="46"/>
        <source>technical message: {detail}</source>
        <translation>technische melding: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="145"/>
        <source>the source did not answer within {seconds}</source>
        <translation>de bron antwoordde niet binnen {seconds}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="139"/>
        <source>UiTPAS did not answer within {seconds}</source>
        <translation>UiTPAS antwoordde niet binnen {seconds}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="73"/>
        <source>the source reported an internal error (HTTP {code})</source>
        <translation>de bron meldde een interne fout (HTTP {code})</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="77"/>
        <source>the source is receiving too many requests (HTTP {code}); try again shortly</source>
        <translation>de bron krijgt te veel vragen (HTTP {code}); probeer straks opnieuw</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="81"/>
        <source>the source refused the request (HTTP {code})</source>
        <translation>de bron weigerde de vraag (HTTP {code})</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="399"/>
        <source>UiTPAS MAY have registered the pass. Do not register this person another way: confirm the sale again (the counter then looks the passholder up) or look the person up in UiTPAS</source>
        <translation>UiTPAS heeft de pas MOGELIJK wel geregistreerd. Registreer deze persoon niet op een andere manier: bevestig de verkoop opnieuw (het loket zoekt de pashouder dan op) of zoek de persoon op in UiTPAS</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="377"/>
        <source>UiTPAS registered the pass ({reference}), but the log could not be written; confirm again to write only the log</source>
        <translation>UiTPAS heeft de pas geregistreerd ({reference}), maar het logboek kon niet geschreven worden; bevestig opnieuw om alleen het logboek te schrijven</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="109"/>
        <source>this person already has a UiTPAS, but not the pass this sale asked for: look the person up in UiTPAS</source>
        <extracomment>(pattern, builder), first match wins; patterns are searched, so a "Service: " prefix is fine.</extracomment>
        <translation>deze persoon heeft al een UiTPAS, maar niet de pas die deze verkoop vroeg: zoek de persoon op in UiTPAS</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="120"/>
        <source>this person already has a UiTPAS; a new pass cannot be sold (trying again will not help)</source>
        <translation>deze persoon heeft al een UiTPAS; een nieuwe pas verkopen kan niet (opnieuw proberen helpt niet)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="131"/>
        <source>the source did not answer before the check's time ran out</source>
        <translation>de bron antwoordde niet voor de tijd van de controle om was</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="153"/>
        <source>UiTPAS did not answer in time; look the passholder up at UiTPAS before trying again</source>
        <translation>UiTPAS antwoordde niet op tijd; zoek de pashouder eerst op bij UiTPAS voor u opnieuw probeert</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="163"/>
        <source>the source did not answer in time</source>
        <translation>de bron antwoordde niet op tijd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="167"/>
        <source>no connection with the source</source>
        <translation>geen verbinding met de bron</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="172"/>
        <source>the connection with the source broke off</source>
        <translation>de verbinding met de bron viel weg</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="181"/>
        <source>not asked: the source failed several times just before; try again later</source>
        <translation>niet gevraagd: de bron faalde net enkele keren na elkaar; probeer later opnieuw</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="189"/>
        <source>MAGDA is too busy (too many simultaneous requests); try again</source>
        <translation>MAGDA is overbelast (te veel gelijktijdige vragen); probeer opnieuw</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="197"/>
        <source>UiTPAS is receiving too many requests; try again shortly</source>
        <translation>UiTPAS krijgt te veel vragen; probeer straks opnieuw</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="206"/>
        <source>UiTPAS refused the counter's access (configuration)</source>
        <translation>UiTPAS weigerde de toegang van het loket (configuratie)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="215"/>
        <source>MAGDA refused the counter's signature (configuration)</source>
        <translation>MAGDA weigerde de handtekening van het loket (configuratie)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="224"/>
        <source>the source reported an error</source>
        <translation>de bron meldde een fout</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="232"/>
        <source>the national number is unknown to the source</source>
        <translation>het rijksregisternummer is onbekend bij de bron</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="241"/>
        <source>the national register has no data on this person</source>
        <translation>het rijksregister heeft geen gegevens over deze persoon</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="249"/>
        <source>the source refused the question</source>
        <translation>de bron weigerde de vraag</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="255"/>
        <source>no data found</source>
        <translation>geen gegevens gevonden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="260"/>
        <source>the answer was about another person and was refused</source>
        <translation>het antwoord ging over een andere persoon en werd geweigerd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="268"/>
        <source>the national number is not valid</source>
        <translation>het rijksregisternummer is niet geldig</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="275"/>
        <source>the disability administration (DG Personen met een handicap) could not answer</source>
        <translation>de DG Personen met een handicap kon niet antwoorden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="285"/>
        <source>the source could not determine the statutes</source>
        <translation>de bron kon de statuten niet bepalen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="294"/>
        <source>the OCMW list is not available or cannot be read</source>
        <translation>de OCMW-lijst is niet beschikbaar of niet leesbaar</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="303"/>
        <source>the question could not be prepared</source>
        <translation>de vraag kon niet opgesteld worden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="310"/>
        <source>the source gave an unreadable answer</source>
        <translation>de bron gaf een onleesbaar antwoord</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="317"/>
        <source>UiTPAS is not configured</source>
        <translation>UiTPAS is niet ingesteld</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="324"/>
        <source>UiTPAS gave no answer about this person</source>
        <translation>UiTPAS gaf geen antwoord over deze persoon</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="330"/>
        <source>a pass can only be registered with the identity and address read from the eID card</source>
        <translation>een pas kan alleen geregistreerd worden met de identiteit en het adres van de eID-kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="340"/>
        <source>UiTPAS did not register the pass</source>
        <translation>UiTPAS heeft de pas niet geregistreerd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="371"/>
        <source>the consultation could not be written to the log</source>
        <translation>de raadpleging kon niet in het logboek geschreven worden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="385"/>
        <source>the log could not be written</source>
        <translation>het logboek kon niet geschreven worden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="366"/>
        <source>this advice has no check behind it; scan the card again</source>
        <translation>achter dit advies zit geen controle; lees de kaart opnieuw in</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="345"/>
        <source>it cannot be opened</source>
        <translation>het kan niet geopend worden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="351"/>
        <source>it is not part of this installation</source>
        <translation>het maakt geen deel uit van deze installatie</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="390"/>
        <source>the attempt is in the log (entry {entry})</source>
        <translation>de poging staat in het logboek (regel {entry})</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="394"/>
        <source>the request to UiTPAS could not be written to the log</source>
        <translation>de vraag aan UiTPAS kon niet in het logboek geschreven worden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/reasons.py" line="423"/>
        <source>unexpected error</source>
        <translation>onverwachte fout</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="140"/>
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="141"/>
        <source>&amp;Language</source>
        <translation>&amp;Taal</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="142"/>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="144"/>
        <source>Save the settings</source>
        <translation>Bewaar de instellingen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/dialogs.py" line="144"/>
        <source>Close without saving</source>
        <translation>Sluit zonder te bewaren</translation>
    </message>
</context>
<context>
    <name>SourceProgressList</name>
    <message>
        <location filename="../../counter_app/ui/widgets/sources.py" line="55"/>
        <source>asking…</source>
        <translation>bevragen…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/sources.py" line="56"/>
        <source>answered</source>
        <translation>geantwoord</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/sources.py" line="57"/>
        <source>no answer</source>
        <translation>geen antwoord</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/sources.py" line="68"/>
        <source>Technical message: {detail}</source>
        <translation>Technische melding: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/widgets/sources.py" line="72"/>
        <source>Sources</source>
        <translation>Bronnen</translation>
    </message>
</context>
</TS>