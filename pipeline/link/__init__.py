"""Cross-source incidents (issue 15): link the reports of one event, reconcile their figures, grade them.

``python -m pipeline link --outputs DIR`` reads the per-article outputs and writes
``DIR/_incidents.json``. The stages, one module each, in the order they run:

- ``records``: each article's main claim as a flat :class:`~pipeline.link.records.Report`
  (interval, place, perpetrator, cause, figure, lead words);
- ``keys``: blocking, the candidate pairs (same country, time intervals that overlap once
  widened by their precision, the same tier);
- ``score``: a fixed-weight pair score (data in ``rules.yaml``), with cannot-link rules;
- ``cluster``: average-linkage merging of candidate pairs into incidents;
- ``reconcile``: per incident, each source's figure, low/best/high, the conservative figure,
  independent sources (syndicated copies count once), perpetrators and the grade;
- ``writer``: the byte-stable ``_incidents.json`` and its ``--check``.

Nothing here is imported by ``extract``: linking adds nothing to extraction's start-up.
"""
