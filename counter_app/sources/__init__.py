"""Source adapters: MAGDA (GeefPersoon, GeefSociaalStatuut, GeefDossierHandicap), the OCMW's
own list and UiTPAS. Each turns "these facts about this person" into facts plus call records,
never raising for a source failure (see ``base.SourceAdapter``). Build them with
``factory.build_adapters``.
"""
