"""The page: sizes, fonts, the map's projection, a bare figure, the layout and saving.

Projected to CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549) so the scale bar is
true. Chinese text uses the Noto Sans CJK font shipped by the PyPI package
``noto-cjk-sans-otc``, registered at render time inside an ``rc_context`` (the user's
global matplotlib settings are not touched). PDF text stays Type 3 so ``pdftotext``
extracts it; SVG text is drawn as paths so the file is self-contained.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import RenderError

CRS = "EPSG:4549"
FORMATS = ("png", "svg", "pdf")
CM = 1 / 2.54
#: width, height (inches; None: as tall as the map needs), base font size (pt), and where
#: the legend goes: on the open sea east of the coast inside the frame, or below it
SIZES = {
    "a4": (16 * CM, None, 7.5, "sea"),
    "half": (8 * CM, None, 5.0, "below"),
    "slide": (13.333, 7.5, 12.0, "sea"),
}
#: facets (small multiples) keep a fixed page
FACET_HEIGHT = {"a4": 15 * CM, "half": 10.5 * CM, "slide": 7.5}
SEA = "#e4edf3"
NEIGHBOUR_FILL = "#fbfaf7"  # lighter than Zhejiang's own grey, so the province stands out
NEIGHBOUR_EDGE = "#b9b5ad"
PROVINCE_EDGE = "#4d4d4d"
#: the packaged Noto Sans CJK has one weight (Regular): titles stand out by size on purpose,
#: never by asking for a bold face that would make matplotlib fall back and warn
TITLE_WEIGHT = "normal"
SIMPLIFY_DEG = 0.0004  # about 40 m: finer than a printed line at A4


@lru_cache(maxsize=1)
def _font_path() -> str:
    try:
        import noto_cjk_sans_otc
    except ImportError:  # pragma: no cover
        raise RenderError("the CJK font package is missing: `pip install noto-cjk-sans-otc`.") from None
    return str(noto_cjk_sans_otc.FONT_PATH)


@contextmanager
def font_context(base_size: float = 8.0):
    """Register the packaged Noto Sans CJK and use it, for this block only."""
    import matplotlib
    from matplotlib import font_manager

    path = _font_path()
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    with matplotlib.rc_context(
        {
            "font.family": ["Noto Sans CJK SC", "DejaVu Sans"],
            "font.size": base_size,
            "pdf.fonttype": 3,
            "svg.fonttype": "path",
            "axes.unicode_minus": False,
            "savefig.facecolor": "white",
        }
    ):
        yield


@lru_cache(maxsize=1)
def _transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


def project_geoms(geoms):
    """Shapely geometries from lon/lat to the map's CRS with one cached transformer."""
    import shapely

    t = _transformer()
    return shapely.transform(
        np.asarray(geoms, dtype=object), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
    )


def project_frame(gdf):
    """A GeoDataFrame in the map's CRS (returned as is when it already is)."""
    if gdf.crs is not None and gdf.crs.to_epsg() == 4549:
        return gdf
    return gdf.set_geometry(project_geoms(gdf.geometry.values), crs=CRS)


def project_bounds(bounds):
    """Lon/lat bounds as the (minx, miny, maxx, maxy) of their corners in the map's CRS."""
    t = _transformer()
    xs, ys = t.transform([bounds[0], bounds[2], bounds[0], bounds[2]], [bounds[1], bounds[1], bounds[3], bounds[3]])
    return min(xs), min(ys), max(xs), max(ys)


def new_figure(width, height):
    """A white Figure on an Agg canvas, ``width`` by ``height`` inches."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)  # a canvas without pyplot: no GUI backend, no global state
    fig.patch.set_facecolor("white")
    return fig


def page_layout(extent, size: str, n_subtitle: int, n_source: int, n_legend_rows: int = 0) -> dict:
    """Where the title block, map frame, legend band and source line go (inches).

    The frame is as wide as the page; the counties take its west part and the open sea
    east of the coast is widened to hold the locator and the legend, so neither covers
    land. ``half`` puts the legend in a band below the frame instead.
    """
    width, height, base, legend_at = SIZES[size]
    margin = 0.06
    pt = 1 / 72
    title_h = base * 1.45 * 1.25 * pt + n_subtitle * base * 0.9 * 1.3 * pt + base * 0.6 * pt
    source_h = n_source * base * 0.62 * 1.3 * pt + base * 0.3 * pt
    band_h = n_legend_rows * base * 0.82 * 1.45 * pt + base * 0.8 * pt if legend_at == "below" else 0.0
    minx, miny, maxx, maxy = extent
    data_w, data_h = maxx - minx, maxy - miny
    frame_w = width - 2 * margin
    if height is None:
        land_share = 0.72 if legend_at == "sea" else 0.8
        scale = data_w / (frame_w * land_share)  # metres per inch
        frame_h = data_h / scale
        height = 2 * margin + title_h + frame_h + band_h + source_h
    else:
        frame_h = height - 2 * margin - title_h - band_h - source_h
        scale = max(data_h / frame_h, data_w / (frame_w * 0.72))
    land_w = data_w / scale
    # the counties sit west; the frame's extra width is sea to the east
    west = minx - max(0.0, min(frame_w - land_w, 0.25 * land_w) * 0.15) * scale
    y_mid = (miny + maxy) / 2
    xlim = (west, west + frame_w * scale)
    ylim = (y_mid - frame_h * scale / 2, y_mid + frame_h * scale / 2)
    return {
        "width": width,
        "height": height,
        "margin": margin,
        "title_h": title_h,
        "source_h": source_h,
        "band_h": band_h,
        "frame": (margin, margin + source_h + band_h, frame_w, frame_h),
        "land_w": (minx - west) / scale + land_w,
        "xlim": xlim,
        "ylim": ylim,
        "scale": scale,
        "base": base,
        "legend_at": legend_at,
    }


def save_static(fig, path, *, format: str | None = None, dpi: int = 300) -> Path:
    """Save a figure from :func:`render_static` atomically (PNG at ``dpi``)."""
    from .._io import atomic_path

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise RenderError(f"{path}: unknown format {fmt!r}; use png, svg or pdf.")
    with font_context(), atomic_path(path) as tmp:
        meta = {
            "png": {"Software": "shanhai-atlas"},
            "pdf": {"Creator": "shanhai-atlas", "CreationDate": None},
            "svg": {"Date": None},
        }[fmt]
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta)
        if fmt == "svg":
            _round_svg(tmp)
    return path


def _round_svg(path: Path, decimals: int = 1) -> None:
    """Write path coordinates to 0.1 pt (0.04 mm, a quarter of a 300-dpi pixel) instead of
    matplotlib's 1e-6 and drop repeated lineto commands: the file shrinks by more than
    half and nothing visible moves. Only path data is touched (transforms keep their
    precision: a glyph's scale is 0.015625)."""
    number = re.compile(r"(-?\d+\.\d{" + str(decimals) + r"})\d+")
    out, prev = [], ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        stripped = line.lstrip()
        is_data = stripped[:2] in ("M ", "L ", "C ", "Q ") or ' d="M ' in line
        if is_data:
            head, sep, data = line.partition(' d="') if ' d="' in line else ("", "", line)
            line = head + sep + number.sub(r"\1", data)
        # "L x y" after an L or M segment is an implicit lineto: the command letter can go
        if stripped.startswith("L ") and prev in ("L", "M"):
            out[-1] = out[-1].rstrip() + " " + line.lstrip()[2:]
        else:
            out.append(line)
        cmd = line.partition(' d="')[2][:1] if ' d="' in line else stripped[:1]
        prev = cmd if is_data else ""
    path.write_text("\n".join(out), encoding="utf-8")


_PDF_NUMBER = re.compile(rb"(-?\d+\.\d)\d+")


def compact_pdf(writer, decimals: int = 1) -> None:
    """Round the numbers of every page's drawing to 0.1 pt (0.035 mm, under half a 300-dpi
    pixel; matplotlib writes six decimals) and store repeated objects once: a bound book of
    maps shrinks by half with nothing visible moved. ``writer`` is a ``pypdf.PdfWriter``."""
    number = _PDF_NUMBER if decimals == 1 else re.compile(rb"(-?\d+\.\d{%d})\d+" % decimals)
    for page in writer.pages:
        contents = page.get("/Contents")
        if contents is None:
            continue
        stream = contents.get_object()
        stream.set_data(number.sub(rb"\1", stream.get_data()))
    writer.compress_identical_objects()
