<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_BE">
<context>
    <name>FiguresPanel</name>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="84"/>
        <source>Figures of the day</source>
        <translation>Cijfers van de dag</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="85"/>
        <source>Advice per right</source>
        <translation>Advies per recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="86"/>
        <source>Checks per hour</source>
        <translation>Controles per uur</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="88"/>
        <source>Checks:</source>
        <translation>Controles:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="89"/>
        <source>Decisions:</source>
        <translation>Beslissingen:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="90"/>
        <source>Sales at the opportunity tariff:</source>
        <translation>Verkocht aan kansentarief:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="91"/>
        <source>Sales at the normal price:</source>
        <translation>Verkocht aan normaal tarief:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="92"/>
        <source>Advice overridden:</source>
        <translation>Afgeweken van het advies:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="93"/>
        <source>Manual entries (no card):</source>
        <translation>Manuele invoer (geen kaart):</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="94"/>
        <source>Cancelled checks:</source>
        <translation>Geannuleerde controles:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="95"/>
        <source>Checks with a source failure:</source>
        <translation>Controles met een bronfout:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="96"/>
        <source>Median check time:</source>
        <translation>Mediane duur van een controle:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="102"/>
        <source>Right</source>
        <translation>Recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="104"/>
        <source>Advice per right and outcome</source>
        <translation>Advies per recht en uitkomst</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/figures_panel.py" line="125"/>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../counter_app/ui/supervisor/hourly_chart.py" line="65"/>
        <source>Checks per hour, by outcome</source>
        <translation>Controles per uur, per uitkomst</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/hourly_chart.py" line="82"/>
        <source>No checks on this day.</source>
        <translation>Geen controles op deze dag.</translation>
    </message>
</context>
<context>
    <name>SupervisorEntries</name>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="46"/>
        <source>Time</source>
        <translation>Tijd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="47"/>
        <source>Counter</source>
        <translation>Loket</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="48"/>
        <source>Kind</source>
        <translation>Soort</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="49"/>
        <source>Mode</source>
        <translation>Invoer</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="50"/>
        <source>Clerk</source>
        <translation>Medewerker</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="51"/>
        <source>Citizen (INSZ)</source>
        <translation>Burger (INSZ)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="52"/>
        <source>Advice</source>
        <translation>Advies</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="53"/>
        <source>Decision</source>
        <translation>Beslissing</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="54"/>
        <source>Override</source>
        <translation>Afgeweken</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="55"/>
        <source>Failed sources</source>
        <translation>Bronfouten</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="56"/>
        <source>Check time</source>
        <translation>Duur</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="62"/>
        <source>check</source>
        <translation>controle</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="63"/>
        <source>decision</source>
        <translation>beslissing</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="64"/>
        <source>day seal</source>
        <translation>dagafsluiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="65"/>
        <source>purge</source>
        <translation>wissing</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="66"/>
        <source>reveal</source>
        <translation>inzage</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="67"/>
        <source>supervisor login</source>
        <translation>aanmelding supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="75"/>
        <source>logged in</source>
        <translation>aangemeld</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="76"/>
        <source>wrong passphrase</source>
        <translation>verkeerde wachtzin</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="77"/>
        <source>refused during the delay</source>
        <translation>geweigerd tijdens de wachttijd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="80"/>
        <source>passphrase changed</source>
        <translation>wachtzin gewijzigd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="88"/>
        <source>right</source>
        <translation>recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="89"/>
        <source>no right</source>
        <translation>geen recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="90"/>
        <source>check manually</source>
        <translation>manueel nakijken</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="91"/>
        <source>no advice</source>
        <translation>geen advies</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="97"/>
        <source>sold at the opportunity tariff</source>
        <translation>verkocht aan kansentarief</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="100"/>
        <source>sold at the normal price</source>
        <translation>verkocht aan normaal tarief</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="101"/>
        <source>LEZ registered</source>
        <translation>LEZ geregistreerd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="102"/>
        <source>LEZ reduced tariff</source>
        <translation>LEZ verminderd tarief</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="103"/>
        <source>no action</source>
        <translation>geen actie</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="104"/>
        <source>cancelled</source>
        <translation>geannuleerd</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="184"/>
        <source>manual</source>
        <translation>manueel</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="185"/>
        <source>card</source>
        <translation>kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="188"/>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="192"/>
        <source>(purged)</source>
        <translation>(gewist)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/entries_model.py" line="201"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
</context>
<context>
    <name>SupervisorLoginDialog</name>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="116"/>
        <source>Supervisor login</source>
        <translation>Aanmelden als supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="119"/>
        <source>The supervisor's view shows the daily log of every counter. Give your name and the supervisors' passphrase.</source>
        <translation>Het supervisorscherm toont het dagelijkse logboek van alle loketten. Geef uw naam en de wachtzin van de supervisors.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="123"/>
        <source>Your &amp;name:</source>
        <translation>Uw &amp;naam:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="124"/>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Wachtzin:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="125"/>
        <source>Supervisor name</source>
        <translation>Naam van de supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="126"/>
        <source>Supervisor passphrase</source>
        <translation>Wachtzin van de supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="127"/>
        <source>&amp;Log in</source>
        <translation>&amp;Aanmelden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="128"/>
        <source>Log in as supervisor</source>
        <translation>Aanmelden als supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="144"/>
        <source>Give your name: reveals are logged under it.</source>
        <translation>Geef uw naam: elke inzage wordt onder die naam gelogd.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="151"/>
        <source>Checking…</source>
        <translation>Controleren…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="163"/>
        <source>Checking… (the attempt is being logged; one moment)</source>
        <translation>Controleren… (de poging wordt gelogd; een ogenblik)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="176"/>
        <location filename="../../counter_app/ui/supervisor/login.py" line="186"/>
        <location filename="../../counter_app/ui/supervisor/login.py" line="198"/>
        <source>unexpected error</source>
        <translation>onverwachte fout</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="177"/>
        <source>This attempt could not be logged: {detail}</source>
        <translation>Deze poging kon niet gelogd worden: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="184"/>
        <source>The login could not be written to the daily log, so the supervisor's view is not opened: {detail}</source>
        <translation>De aanmelding kon niet in het dagelijkse logboek geschreven worden, dus het supervisorscherm gaat niet open: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="199"/>
        <source>The passphrase could not be checked: {detail}</source>
        <translation>De wachtzin kon niet gecontroleerd worden: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="206"/>
        <source>No supervisor passphrase is set on this computer. Set one with: counter-app supervisor set-passphrase</source>
        <translation>Op deze computer is geen wachtzin voor supervisors ingesteld. Stel er een in met: counter-app supervisor set-passphrase</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="225"/>
        <source>Wrong passphrase. You can try again in {n} s.</source>
        <translation>Verkeerde wachtzin. U kunt het over {n} s opnieuw proberen.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="227"/>
        <source>Too many wrong attempts. You can try again in {n} s.</source>
        <translation>Te veel verkeerde pogingen. U kunt het over {n} s opnieuw proberen.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/login.py" line="235"/>
        <source>You can try again.</source>
        <translation>U kunt het opnieuw proberen.</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="240"/>
        <source>Loket — supervisor: {name}</source>
        <translation>Loket — supervisor: {name}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="241"/>
        <source>&amp;Day:</source>
        <translation>&amp;Dag:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="242"/>
        <source>Day to show</source>
        <translation>Dag om te tonen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="243"/>
        <source>&amp;Reload</source>
        <translation>Opnieuw &amp;laden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="244"/>
        <source>Load the day again and check its chain</source>
        <translation>Laad de dag opnieuw en controleer de keten</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="245"/>
        <source>C&amp;lerk:</source>
        <translation>&amp;Medewerker:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="246"/>
        <source>name or part of it</source>
        <translation>naam of een deel ervan</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="247"/>
        <source>Filter on clerk</source>
        <translation>Filter op loketmedewerker</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="248"/>
        <source>Ri&amp;ght:</source>
        <translation>&amp;Recht:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="249"/>
        <source>&amp;Outcome:</source>
        <translation>&amp;Uitkomst:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="250"/>
        <source>D&amp;ecision:</source>
        <translation>&amp;Beslissing:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="251"/>
        <source>O&amp;verride:</source>
        <translation>&amp;Afgeweken:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="252"/>
        <source>&amp;Manual entry:</source>
        <translation>Ma&amp;nuele invoer:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="253"/>
        <source>&amp;Source failures:</source>
        <translation>Bronf&amp;outen:</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="254"/>
        <source>Clear &amp;filters</source>
        <translation>&amp;Filters wissen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="255"/>
        <source>Filter on right</source>
        <translation>Filter op recht</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="256"/>
        <source>Filter on advice outcome</source>
        <translation>Filter op uitkomst van het advies</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="257"/>
        <source>Filter on decision</source>
        <translation>Filter op beslissing</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="258"/>
        <source>Filter on override</source>
        <translation>Filter op afwijking van het advies</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="259"/>
        <source>Filter on manual entry</source>
        <translation>Filter op manuele invoer</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="260"/>
        <source>Filter on source failures</source>
        <translation>Filter op fouten van bronnen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="261"/>
        <source>Entries of the day</source>
        <translation>Registraties van de dag</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="262"/>
        <source>Show &amp;INSZ…</source>
        <translation>Toon &amp;INSZ…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="264"/>
        <source>Show the full INSZ of the selected entry (the reveal is logged)</source>
        <translation>Toon het volledige INSZ van de gekozen registratie (de inzage wordt gelogd)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="266"/>
        <source>E&amp;xport CSV…</source>
        <translation>E&amp;xporteer CSV…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="267"/>
        <source>Export the day and its figures as CSV</source>
        <translation>Exporteer de dag en zijn cijfers als CSV</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="268"/>
        <source>Reload</source>
        <translation>Opnieuw laden</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="269"/>
        <source>Go to the table</source>
        <translation>Ga naar de tabel</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="270"/>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="283"/>
        <location filename="../../counter_app/ui/supervisor/window.py" line="288"/>
        <location filename="../../counter_app/ui/supervisor/window.py" line="290"/>
        <location filename="../../counter_app/ui/supervisor/window.py" line="294"/>
        <location filename="../../counter_app/ui/supervisor/window.py" line="299"/>
        <source>any</source>
        <translation>alle</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="284"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="285"/>
        <source>no</source>
        <translation>nee</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="295"/>
        <source>manual entries only</source>
        <translation>enkel manuele invoer</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="296"/>
        <source>card reads only</source>
        <translation>enkel met kaart</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="326"/>
        <source>Loading {day}…</source>
        <translation>{day} wordt geladen…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="348"/>
        <source>The log could not be read: {detail}</source>
        <translation>Het logboek kon niet gelezen worden: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="368"/>
        <source>The chain could not be checked: {detail}</source>
        <translation>De keten kon niet gecontroleerd worden: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="384"/>
        <source>Checking the chain…</source>
        <translation>Keten wordt gecontroleerd…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="388"/>
        <source>Chain intact ({n} entries checked)</source>
        <translation>Keten intact ({n} registraties gecontroleerd)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="394"/>
        <source>Chain broken at entry {seq} (counter {counter})</source>
        <translation>Keten gebroken bij entry {seq} (loket {counter})</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="440"/>
        <source>{shown} of {total} entries shown</source>
        <translation>{shown} van {total} registraties getoond</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="466"/>
        <source>Show the INSZ</source>
        <translation>INSZ tonen</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="467"/>
        <source>Why do you need the full INSZ? The reason is written to the log.</source>
        <translation>Waarom hebt u het volledige INSZ nodig? De reden wordt in het logboek geschreven.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="474"/>
        <source>Not shown: give a reason (5 characters or more).</source>
        <translation>Niet getoond: geef een reden (minstens 5 tekens).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="517"/>
        <source>Not shown</source>
        <translation>Niet getoond</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="518"/>
        <source>The reveal could not be logged, so the INSZ is not shown: {detail}</source>
        <translation>De inzage kon niet gelogd worden, dus het INSZ wordt niet getoond: {detail}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="501"/>
        <source>This entry has no INSZ (any more).</source>
        <translation>Deze registratie heeft geen INSZ (meer).</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="506"/>
        <source>INSZ shown; the reveal was logged.</source>
        <translation>INSZ getoond; de inzage werd gelogd.</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="531"/>
        <source>Export the day as CSV</source>
        <translation>De dag als CSV exporteren</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="533"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-bestanden (*.csv)</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="541"/>
        <source>Exporting…</source>
        <translation>Bezig met exporteren…</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="551"/>
        <source>{n} entries exported to {file}; figures in {figures}</source>
        <translation>{n} registraties geëxporteerd naar {file}; cijfers in {figures}</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="563"/>
        <source>Export failed</source>
        <translation>Export mislukt</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/window.py" line="564"/>
        <source>The CSV file could not be written: {detail}</source>
        <translation>Het CSV-bestand kon niet geschreven worden: {detail}</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../../counter_app/ui/supervisor/__init__.py" line="110"/>
        <source>Supervisor login</source>
        <translation>Aanmelden als supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/ui/supervisor/__init__.py" line="111"/>
        <source>The log could not be read: {detail}</source>
        <translation>Het logboek kon niet gelezen worden: {detail}</translation>
    </message>
</context>
</TS>