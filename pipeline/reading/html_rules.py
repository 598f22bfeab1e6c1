"""Tag lists and class/id markers that decide what of a saved page is article text.

Everything here is data: ordered, commented constants read by ``markup.py`` (the
streaming scanner) and ``html.py`` (metadata and body selection). Page furniture
matters for this project because it carries *other* stories' numbers: a "Related:
300 killed in Aleppo" teaser next to an Idlib article would become a false claim.
"""

from __future__ import annotations

import re

# Elements whose text is never article text, in the order a reader meets them.
# Their content is skipped while scanning, whatever page they are on.
HARD_DROP_TAGS: tuple[str, ...] = (
    "script",  # code; JSON-LD is read for the date, never shown
    "style",
    "noscript",  # "please enable JavaScript", tracking pixels
    "template",  # inert markup for scripts
    "iframe",  # embedded pages (ads, videos, tweets): never fetched, never read
    "object",
    "embed",
    "applet",
    "svg",  # icons; their <title> elements are not the page title
    "math",
    "canvas",  # fallback text only
    "video",  # "your browser does not support video"
    "audio",
    "select",  # form controls
    "textarea",
    "button",  # "Share", "Subscribe", "Load more"
    "rt",  # ruby annotations: the reading of the characters beside them, not more text
    "rp",  # ... and the brackets shown around it where ruby is not supported
)

# Foreign content (SVG, MathML): "<title>" there names an icon and is no raw-text
# element, and "<path/>" or "<svg/>" closes itself (in HTML "<div/>" does not).
FOREIGN_TAGS = frozenset({"svg", "math"})

# Elements whose content is raw text up to their end tag (no markup inside).
RAW_TEXT_TAGS = frozenset({"script", "style", "noscript", "iframe", "xmp", "noembed", "noframes", "textarea", "title"})

# Elements that are page furniture by their tag, dropped unless they hold most of
# the page's paragraphs (a <form> around the whole page, as ASP.NET writes, or a
# <header> used as a wrapper) or enclose the chosen article container.
SOFT_DROP_TAGS: tuple[str, ...] = (
    "nav",
    "header",  # site header; an <article>'s or <main>'s own header (lead) is kept
    "footer",
    "aside",  # sidebars, pull quotes, fact boxes about other events
    "form",  # search boxes, comment forms, newsletter sign-ups
    "menu",
    "dialog",  # modals: cookie and paywall prompts
    "figure",  # images with their captions and credits
    "figcaption",
)

# ARIA landmark roles that mark the same furniture on a <div>; mapped to the kind
# counted in ``HtmlArticle.dropped``.
SOFT_DROP_ROLES: dict[str, str] = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "search": "form",
    "menu": "menu",
    "menubar": "menu",
    "dialog": "dialog",
    "alertdialog": "dialog",
}

# class/id values that mark furniture: kind -> marker phrases. A class or id value
# is split into lowercase words (on spaces, "-", "_", ":" and camelCase, so
# "relatedPosts", "related-posts" and "related_posts" all hold the word
# "related"), and a marker matches whole words only: "share-bar" holds "share",
# "shared-content" does not. Multi-word markers are written with "-".
# The first kind listed that matches is the kind reported in ``dropped``.
# Rejected on purpose: "teaser" (German sites call the lead paragraph so),
# "banner" (hero banners hold the headline), "hide" ("hide-on-mobile" is shown on
# desktop), a bare "hidden" word (Tailwind "overflow-hidden", "md:hidden").
CLASS_MARKERS: dict[str, tuple[str, ...]] = {
    "share": ("share", "sharing", "sharebar", "sharetools", "sharethis", "addthis", "shariff", "ssba",
              "sharedaddy"),
    "social": ("social", "socials", "socialmedia", "follow-us"),
    "related": ("related", "recommended", "recommendations", "recirc", "recirculation", "outbrain",
                "taboola", "more-stories", "morestories", "more-news", "read-more", "readmore", "read-next",
                "also-read", "trending", "most-read", "mostread", "most-popular"),
    "cookie": ("cookie", "cookies", "consent", "gdpr", "cookiebanner"),
    "menu": ("menu", "menus", "submenu", "megamenu", "navbar", "nav", "navigation", "topnav", "sitenav",
             "skip-link", "skip-to"),
    "breadcrumb": ("breadcrumb", "breadcrumbs", "crumbs"),
    "newsletter": ("newsletter", "newsletters", "subscribe", "subscription", "signup", "sign-up", "paywall"),
    "user-comments": ("comments", "commentlist", "comment-list", "disqus", "respond"),
    "ad": ("ad", "ads", "advert", "adverts", "advertisement", "adslot", "ad-slot", "adunit", "ad-unit",
           "dfp", "sponsored", "sponsor", "promo"),
    "sidebar": ("sidebar", "side-bar", "rail", "widget", "widgets"),
    "caption": ("caption", "captions", "wp-caption-text", "credit", "credits"),
    "hidden": ("sr-only", "screen-reader-text", "screen-reader-only", "visually-hidden", "visuallyhidden",
               "is-hidden", "offscreen", "d-none"),
    "header": ("masthead", "site-header", "page-header"),
    "footer": ("footer",),
    "tags": ("tags", "tagcloud", "tag-cloud", "tag-list"),
    # bylines are metadata (who wrote it), not article text: "By Jane Doe | 5 April"
    "byline": ("byline", "bylines", "author", "authors", "author-box", "autor", "autoren", "auteur", "autor-info"),
    "pagination": ("pagination", "pager"),
}
# From one of these words on, a class token describes a state of the element
# ("has-share-buttons", "article--with-sidebar", "no-comments", "non-paywall"), not
# what the element is: the words before it still count ("sidebar-no-ads" is a sidebar).
STATE_PREFIXES = frozenset({"has", "with", "no", "non", "not", "without", "show", "enable", "enabled", "disable",
                            "disabled", "allow", "allows"})
# Page builders name every block of a page "<builder>-widget": Elementor's
# "elementor-widget-theme-post-content" holds the article. After these first
# words, "widget" says nothing; the other words still count
# ("elementor-widget-share-buttons" is a share bar).
# Adobe's core components prefix every class with "cmp-" ("cmp-text", "cmp-container"), so
# "cmp" is a layout prefix here, not a consent-management marker.
LAYOUT_PREFIXES = frozenset({"elementor", "et", "fl", "vc", "wpb", "jet", "fusion", "siteorigin", "so", "cmp"})
LAYOUT_WORDS = frozenset({"widget", "widgets"})
# Longest marker, in words: how many consecutive words are tried as a phrase.
MARKER_MAX_WORDS = 3
CLASS_SPLIT = re.compile(r"[^a-z0-9]+")
# Exact class tokens that hide an element (CSS frameworks' display:none helpers).
HIDDEN_CLASS_TOKENS = frozenset({"hidden", "invisible"})
# Responsive classes that show an element from some screen width on (Tailwind
# "hidden md:block", Bootstrap "d-none d-lg-flex"): then "hidden" / "d-none" hide it on
# phones only, and a saved desktop page shows it.
SHOWN_AT_WIDTH = re.compile(
    r"(?:^|\s)(?:(?:sm|md|lg|xl|2xl):(?:block|flex|grid|inline|inline-block|inline-flex|table|contents)"
    r"|d-(?:sm|md|lg|xl|xxl)-(?:block|flex|grid|inline|inline-block|inline-flex|table))(?=\s|$)"
)
# Inline styles that hide an element.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Elements on which class markers are never acted upon: the page itself and the
# article containers ("single-post has-share-buttons" on <body> is not a widget).
MARKER_EXEMPT_TAGS = frozenset({"html", "body", "main", "article"})

# Elements that end a paragraph (before and after). td/th only separate cells by
# a space; inline elements (b, i, a, span, ...) join text exactly as written.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "html", "legend", "li", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})
CELL_TAGS = frozenset({"td", "th"})

# Elements that never have content or an end tag.
VOID_TAGS = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
})

# A start tag implicitly closes an open element of these names, searching down
# the stack no further than the listed scope elements (HTML's "optional end tags").
IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "rt": (frozenset({"rt", "rp"}), frozenset({"ruby"})),
    "rp": (frozenset({"rt", "rp"}), frozenset({"ruby"})),
    "rb": (frozenset({"rt", "rp"}), frozenset({"ruby"})),
}
# How far down the stack an implied end is searched; keeps deep pages linear.
IMPLIED_END_REACH = 8

# Where a publication date may be declared, best first. Keys are the lowercased
# meta name/property/itemprop; "jsonld" is schema.org datePublished in a
# <script type="application/ld+json">. Modified/updated dates are deliberately
# absent: they are not when the article's relative dates were written.
PUBLISHED_KEYS: tuple[str, ...] = (
    "article:published_time",
    "og:published_time",
    "jsonld",
    "datepublished",  # microdata itemprop on <meta> or <time>
    "date",
    "pubdate",  # <meta name="pubdate"> and <time pubdate>
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "time-in-article",  # first <time datetime> inside <article>
    "url",  # a dated path in the canonical URL or og:url: /2020/02/19/, /2020-02-19-
)

# Where a page declares when it was last changed. Used only when nothing declares a
# publication date and the text has no date line: a modified date may be years
# after the events the article's "last week" refers to.
MODIFIED_KEYS: tuple[str, ...] = (
    "article:modified_time",
    "og:updated_time",
    "jsonld",  # schema.org dateModified
    "datemodified",
    "last-modified",
    "dcterms.modified",
)

# A date in a URL path: /2020/02/19/, /2020-02-19/, /20200219-. Bounded by path
# separators, so a bare year (/2020/) or an id (/20200219123/) is no date.
URL_DATE = re.compile(r"/((?:19|20)\d{2})([/-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")

# Separators between a headline and the site name in <title>: "Headline | Site".
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ")
# A suffix longer than this is part of the headline, not a site name.
SITE_NAME_MAX_WORDS = 5
