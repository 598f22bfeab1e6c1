"""Input reading: bytes on disk -> decoded text; saved HTML pages -> article text."""

from __future__ import annotations

from pipeline.reading.decode import Decoded, decode_bytes, fix_mojibake
from pipeline.reading.html import HtmlArticle, html_to_article

__all__ = ["Decoded", "HtmlArticle", "decode_bytes", "fix_mojibake", "html_to_article"]
