"""The review page's only stylesheet, inlined in every page so a page works alone from
``file://`` (no server, no CDN, no web fonts; the only scripts are the inline ones of scripts.py)."""

from __future__ import annotations

# One colour per predicate; text colour stays dark on all of them (WCAG AA on #1a1a1a).
PREDICATE_COLOURS: dict[str, str] = {
    "killed": "#f4a3a3",
    "injured": "#f7c98b",
    "trapped": "#d9c3f0",
    "displaced": "#a9d5f5",
    "detained": "#c9d99a",
    "missing": "#f2e28c",
    "incidents": "#b9e3cf",
    "other": "#dddddd",
}


def predicate_class(predicate: object) -> str:
    """``p-killed``; anything unknown becomes ``p-other`` so no text reaches a class name."""
    name = str(predicate)
    return f"p-{name}" if name in PREDICATE_COLOURS else "p-other"


def stylesheet() -> str:
    """The CSS text, predicate colours included."""
    colours = "\n".join(f".{predicate_class(name)}{{background:{colour}}}" for name, colour in PREDICATE_COLOURS.items())
    return _BASE + colours + "\n"


_BASE = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fafafa}
header,main,footer{padding:0 1.5rem}
h1{font-size:1.4rem;margin:1rem 0 .3rem}
h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
a{color:#0645ad}
nav{padding:.6rem 1.5rem;background:#eee;border-bottom:1px solid #ccc}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.4rem 0}
dl.meta dt{color:#555}
dl.meta dd{margin:0}
ul.notes{padding-left:1.2rem;margin:.3rem 0}
li.warning{color:#8a1c00}
li.warning::marker{content:"⚠ "}
li.info{color:#444}
.legend span{display:inline-block;padding:0 .5rem;margin:0 .3rem .3rem 0;border-radius:3px}
.layout{display:grid;grid-template-columns:minmax(22rem,30rem) minmax(0,1fr);gap:1.5rem;align-items:start}
@media (max-width:70rem){.layout{grid-template-columns:1fr}}
.text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:1rem;font-family:Georgia,"Times New Roman",serif;font-size:16px}
mark.ev{color:inherit;border-radius:2px}
mark.multi{box-shadow:inset 0 -2px 0 #555}
mark.cnt{font-weight:bold;text-decoration:underline}
a.mk{font:bold 11px/1 system-ui,sans-serif;vertical-align:super;padding:1px 3px;margin:0 1px;border:1px solid #555;border-radius:3px;color:#1a1a1a;text-decoration:none}
a.mk:target,tr:target{outline:3px solid #0645ad}
/* Targets stop below the sticky table header instead of under it. */
a.mk,tr.claim{scroll-margin-top:3rem}
#claims{overflow-x:auto}
td{overflow-wrap:break-word}
table{border-collapse:collapse;background:#fff;font-size:13px;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#f0f0f0;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.pred,.date{white-space:nowrap}
small{color:#555}
code{font-size:12px}
footer{color:#666;font-size:12px;margin:2rem 0 1rem}
kbd{font:11px/1 ui-monospace,monospace;border:1px solid #bbb;border-radius:3px;padding:1px 3px;background:#fff}
#filters fieldset{border:1px solid #ddd;background:#fff;display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center;margin:.4rem 0}
#filters label{font-size:13px;white-space:nowrap}
#filters select{max-width:14rem}
button.sort{font:inherit;font-weight:bold;border:0;background:none;padding:0;cursor:pointer;text-align:left}
th[aria-sort=ascending] button.sort::after{content:" ▲"}
th[aria-sort=descending] button.sort::after{content:" ▼"}
/* A fixed layout: a table of thousands of rows is laid out from its header, not row by row. */
#articles{table-layout:fixed}
#articles th:nth-child(1){width:22%}#articles th:nth-child(2){width:7%}#articles th:nth-child(3){width:9%}
#articles th:nth-child(4){width:7%}#articles th:nth-child(5){width:12%}#articles th:nth-child(6){width:10%}
#articles th:nth-child(7){width:7%}#articles th:nth-child(8){width:9%}#articles th:nth-child(9){width:6%}
tr.current td{background:#fff6d6}
tr.current td:first-child{box-shadow:inset 3px 0 0 #0645ad}
.grade{display:inline-block;padding:0 .4rem;border-radius:3px;background:#eee;text-decoration:none;color:#1a1a1a}
.g-corroborated{background:#b9e3cf}.g-contested{background:#f7c98b}.g-acknowledged{background:#a9d5f5}
.verdict{display:inline-block;padding:0 .3rem;border-radius:3px;font-size:12px}
.v-correct{background:#b9e3cf}.v-wrong{background:#f4a3a3}.v-corrected{background:#f7c98b}
tr.rv-wrong td:not(.review){text-decoration:line-through;color:#777}
td.review{min-width:6.5rem}
td.review form{margin-top:.3rem;min-width:12rem}
td.review form label{display:block;font-size:12px}
button.judge{font-size:11px;margin-top:.2rem}
"""
