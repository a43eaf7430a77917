"""Builds seed_data/county_map.json: an SVG path per county (2024 numbering) for the demand page's map.

Source: Natural Earth 1:10m Admin 1 (states, provinces) v4.1.0, public domain, as QGIS ships it
generalised in `resources/data/world_map.gpkg` (layer states_provinces; QGIS's README_world_map.md
beside it says so). Debian's package `qgis-common` carries that file, so it can be had from the
package registry alone:

    apt-get download qgis-common && dpkg -x qgis-common_*.deb /tmp/qgis-common
    python -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install "shapely>=2"
    /tmp/mapvenv/bin/python scripts/dev/build_county_map.py \
        /tmp/qgis-common/usr/share/qgis/resources/data/world_map.gpkg --package-version 3.22.16+dfsg-1

Natural Earth has the 19 counties from before 2020: they are merged into the 15 counties of 2024
(Trøndelag, Agder, Vestland, Innlandet from two each; the others one to one, boundaries as before 2020,
so the small moves since, such as Jevnaker and Lunner to Akershus, are not drawn). Svalbard and Jan
Mayen are left out. The shapes are projected (spherical transverse
Mercator on 15° E, like UTM zone 33), simplified with a tolerance and islands under a minimum area
dropped, so the file stays small. The service only reads the JSON.
"""

import argparse
import json
import sqlite3
from pathlib import Path

import numpy as np
import shapely
from shapely import wkb
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "seed_data" / "county_map.json"
CENTRAL_MERIDIAN = 15.0
WIDTH = 400.0  # the viewBox's width; its height follows from Norway's shape
TOLERANCE = 0.4  # in viewBox units (about 3 km): what simplification may move a border
WEST_OF_MAINLAND = 4.0  # degrees east: Jan Mayen (8° W, under Nordland in Natural Earth) is left out
MIN_AREA = 1.0  # islands smaller than this (square viewBox units) are left out

# Natural Earth's county (FIPS 10-4 code) -> the 2024 county number.
COUNTY_OF_FIPS = {
    "NO12": "03",  # Oslo
    "NO14": "11",  # Rogaland
    "NO08": "15",  # Møre og Romsdal
    "NO09": "18",  # Nordland
    "NO13": "31",  # Østfold
    "NO01": "32",  # Akershus
    "NO04": "33",  # Buskerud
    "NO06": "34",  # Hedmark -> Innlandet
    "NO11": "34",  # Oppland -> Innlandet
    "NO20": "39",  # Vestfold
    "NO17": "40",  # Telemark
    "NO02": "42",  # Aust-Agder -> Agder
    "NO19": "42",  # Vest-Agder -> Agder
    "NO07": "46",  # Hordaland -> Vestland
    "NO15": "46",  # Sogn og Fjordane -> Vestland
    "NO16": "50",  # Sør-Trøndelag -> Trøndelag
    "NO10": "50",  # Nord-Trøndelag -> Trøndelag
    "NO18": "55",  # Troms
    "NO05": "56",  # Finnmark
}


def _geometry(blob: bytes) -> BaseGeometry:
    """A GeoPackage geometry: a header (magic, version, flags, srs id, envelope), then WKB."""
    flags = blob[3]
    envelope_bytes = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0b111]
    return wkb.loads(blob[8 + envelope_bytes :])


def _project(lonlat: np.ndarray) -> np.ndarray:
    """Spherical transverse Mercator on the central meridian (x east, y north, in radians of arc)."""
    phi, delta = np.radians(lonlat[:, 1]), np.radians(lonlat[:, 0] - CENTRAL_MERIDIAN)
    b = np.cos(phi) * np.sin(delta)
    return np.column_stack([0.5 * np.log((1 + b) / (1 - b)), np.arctan2(np.tan(phi), np.cos(delta))])


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [part for item in getattr(geometry, "geoms", []) for part in _polygons(item)]


def _path(geometry: BaseGeometry) -> str:
    """SVG path data: each ring a move, lines, close; coordinates to one decimal."""
    parts = []
    for polygon in _polygons(geometry):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [f"{x:.1f} {y:.1f}" for x, y in ring.coords[:-1]]
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def build(gpkg: Path, package_version: str) -> dict[str, object]:
    with sqlite3.connect(gpkg) as database:
        rows = database.execute(
            "select fips, name, geom from states_provinces where iso_a2 = 'NO' and fips like 'NO%'"
        ).fetchall()
    shapes: dict[str, list[BaseGeometry]] = {}
    names: dict[str, list[str]] = {}
    for fips, name, blob in rows:
        number = COUNTY_OF_FIPS[fips]
        mainland = [part for part in _polygons(_geometry(blob)) if part.bounds[2] > WEST_OF_MAINLAND]
        shapes.setdefault(number, []).extend(mainland)
        names.setdefault(number, []).append(name)
    projected = {number: shapely.transform(unary_union(parts), _project) for number, parts in shapes.items()}
    min_x, min_y, max_x, max_y = unary_union(list(projected.values())).bounds
    scale = WIDTH / (max_x - min_x)
    height = round((max_y - min_y) * scale, 1)

    def to_view(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - min_x) * scale, (max_y - xy[:, 1]) * scale])  # y grows down

    counties = {}
    for number in sorted(projected):
        shape = shapely.transform(projected[number], to_view).simplify(TOLERANCE, preserve_topology=True)
        kept = [polygon for polygon in _polygons(shape) if polygon.area >= MIN_AREA]
        counties[number] = {"merged_from": sorted(names[number]), "path": _path(MultiPolygon(kept))}
    return {
        "source": (
            "Natural Earth 1:10m Admin 1 - States, Provinces v4.1.0 (public domain, naturalearthdata.com), "
            "as generalised by QGIS in resources/data/world_map.gpkg (layer states_provinces), taken from "
            f"Debian's package qgis-common {package_version}. Natural Earth has the 19 counties from before "
            "2020; they are merged here into the 15 counties of 1 January 2024: Trøndelag = Sør- + "
            "Nord-Trøndelag, Agder = Aust- + Vest-Agder, Vestland = Hordaland + Sogn og Fjordane, "
            "Innlandet = Hedmark + Oppland; the others one to one, with their pre-2020 boundaries "
            "(so later small moves, e.g. Jevnaker and Lunner to Akershus, are not drawn). Svalbard and "
            "Jan Mayen are left out. Projected by spherical transverse Mercator on 15° E, simplified with a tolerance "
            f"of {TOLERANCE} viewBox units, islands under {MIN_AREA} square units dropped. Built by "
            "scripts/dev/build_county_map.py."
        ),
        "licence": "Public domain (Natural Earth: 'All versions of Natural Earth raster + vector map data "
        "are in the public domain')",
        "view_box": f"0 0 {WIDTH:g} {height:g}",
        "counties": counties,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gpkg", type=Path, help="QGIS's world_map.gpkg (from Debian's qgis-common)")
    parser.add_argument("--package-version", required=True, help="the qgis-common version it came from")
    arguments = parser.parse_args()
    document = build(arguments.gpkg, arguments.package_version)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{OUTPUT}: {OUTPUT.stat().st_size} bytes, {len(document['counties'])} counties")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
