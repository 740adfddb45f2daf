"""Source adapters: MAGDA (GeefPersoon, GeefSociaalStatuut, GeefDossierHandicap), the OCMW's
own list and UiTPAS. Each turns "these facts about this person" into facts plus call records,
never raising for a source failure (see ``base.SourceAdapter``). Build them with
``factory.build_adapters``.
"""

from counter_app.logs import install_insz_masking

# Every entry point that can ask a source imports this package: from here on, no
# library's log line carries a national number (the OCMW and UiTPAS URLs hold one).
install_insz_masking()
