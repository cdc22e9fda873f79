"""The parts of the GeoPackage export (:func:`geo.export.export_gpkg`): the data dictionary
(:mod:`.columns`), the typed and labelled layers (:mod:`.tables`), the styles read off the
themes (:mod:`.styles`) and written as QGIS's QML (:mod:`.qml`) and as SLD (:mod:`.sld`), and
what the file says about itself: ``layer_styles``, ``gpkg_data_columns``, ``gpkg_metadata``
(:mod:`.catalog`)."""
