"""Casualty-claim extraction: ``python -m pipeline extract`` (see pipeline/cli.py).

Importing the package arranges for spaCy to be imported without its command-line
package (pipeline/lazy_spacy_cli.py): 0.2 s less start-up for every run.
"""

from pipeline.lazy_spacy_cli import install as _install_lazy_spacy_cli

_install_lazy_spacy_cli()
