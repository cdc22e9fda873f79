"""Products: what a planner takes away, composed from renderer output and the county record.

- :mod:`geo.products.profile`: one county's A4 profile (一县一图), and its interactive map;
- :mod:`geo.products.book`: every profile of the edition bound into one PDF;
- :mod:`geo.products.site`: the offline website (index, theme pages, county pages);
- :mod:`geo.products.report`: the editable Word report (.docx), province or counties;
- :mod:`geo.products.slides`: the editable 16:9 PowerPoint deck (.pptx);
- :mod:`geo.products.office`: what the report and the deck share (measured text, links,
  alternative text, document properties).

A product lays out facts; it never computes them (:func:`geo.county.county_record` does)
and never imports another product's private names.
"""
