"""The maturity heatmap, drawn at build time as inline SVG (no JavaScript, prints well)."""

from __future__ import annotations

from html import escape

from .graph import LEVELS, Graph

ROW, LABEL, COL, HEAD = 26, 300, 84, 34


HEATMAP_UP_TO = 60
"""Above this many capabilities the home page summarizes maturity per domain instead."""


def domain_summary(g: Graph) -> str:
    """Per domain: how many capabilities are at each level now, and how many are below target."""
    rows = [
        "| Domain | Crawl | Walk | Run | Not assessed | Below target |",
        "|---|---|---|---|---|---|",
    ]
    for domain in g.domains:
        counts = dict.fromkeys(LEVELS, 0)
        missing = below = 0
        for cap in g.by_domain.get(domain.id, []):
            overlay = g.overlays.get(cap.id)
            mat = overlay.meta.get("maturity") if overlay else None
            now = mat.get("current") if isinstance(mat, dict) else None
            target = mat.get("target") if isinstance(mat, dict) else None
            if now in counts:
                counts[now] += 1
                below += target in LEVELS and LEVELS.index(target) > LEVELS.index(now)
            else:
                missing += 1
        rows.append(
            f"| {domain.title} | "
            + " | ".join(str(counts[x]) for x in LEVELS)
            + f" | {missing} | {below} |"
        )
    return "\n".join(rows)


def heatmap(g: Graph, href: dict[str, str]) -> str:
    """Current (filled) and target (outlined) maturity per capability, grouped by domain.

    `href` maps capability ids to the URLs their labels link to.
    """
    rows: list[tuple[str, str]] = []  # (kind, id or title)
    for domain in g.domains:
        caps = g.by_domain.get(domain.id, [])
        if caps:
            rows.append(("domain", domain.title))
            rows += [("cap", c.id) for c in caps]
    width, height = LABEL + COL * len(LEVELS) + 10, HEAD + ROW * len(rows) + 8
    out = [
        f'<svg class="fkb-heatmap" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">',
        "<title>Maturity by capability: filled is where we are, outlined is our target</title>",
    ]
    for i, name in enumerate(LEVELS):
        x = LABEL + COL * i + COL / 2
        out.append(
            f'<text class="fkb-hm-head" x="{x:.0f}" y="22" text-anchor="middle">'
            f"{name.capitalize()}</text>"
        )
    y = HEAD
    for kind, key in rows:
        if kind == "domain":
            out.append(f'<text class="fkb-hm-domain" x="4" y="{y + 18}">{escape(key)}</text>')
            y += ROW
            continue
        cap = g.capabilities[key]
        overlay = g.overlays.get(key)
        mat = overlay.meta.get("maturity") if overlay else None
        current = mat.get("current") if isinstance(mat, dict) else None
        target = mat.get("target") if isinstance(mat, dict) else None
        label = escape(cap.title)
        out.append(
            f'<a href="{escape(href[key])}"><text class="fkb-hm-label" x="16" y="{y + 18}">'
            f"{label}</text></a>"
        )
        for i, name in enumerate(LEVELS):
            cls = ["fkb-hm-cell"]
            if current and LEVELS.index(name) <= LEVELS.index(current):
                cls.append("fkb-hm-now")
            if name == target:
                cls.append("fkb-hm-target")
            state = ("current " if name == current else "") + ("target" if name == target else "")
            out.append(
                f'<rect class="{" ".join(cls)}" x="{LABEL + COL * i + 4}" y="{y + 3}" '
                f'width="{COL - 8}" height="{ROW - 6}" rx="4">'
                f"<title>{label}: {name}{(' — ' + state) if state.strip() else ''}</title>"
                "</rect>"
            )
        if not overlay:
            out.append(
                f'<text class="fkb-hm-none" x="{LABEL + COL * 1.5:.0f}" y="{y + 18}" '
                'text-anchor="middle">not assessed</text>'
            )
        y += ROW
    out.append("</svg>")
    return "".join(out)
