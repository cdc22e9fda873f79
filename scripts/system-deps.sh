#!/usr/bin/env bash
# Debian packages the tests need: Chromium and its headless shell (browser tests), a CJK font for the browser,
# poppler-utils (pdftotext, pdffonts), gdal-bin (ogrinfo), GDAL's Python scripts
# (validate_gpkg), QGIS with PyQGIS (the GeoPackage opened and drawn as an analyst opens it;
# about 1.1 GB, under two minutes) and LibreOffice's Writer, Impress and Calc without a GUI
# (the Word report, the deck and the template workbook, converted to PDF as a reader opens them). PyQGIS and GDAL's
# scripts live in Debian's Python (/usr/bin/python3), not in the project's venv. Installed
# when missing and we are root; otherwise stop with the command to run.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# the tests open their pages in its headless shell (half the CPU per page), and one in both
command -v chromium-headless-shell >/dev/null 2>&1 || need+=(chromium-headless-shell)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
/usr/bin/python3 -c "import osgeo_utils.samples.validate_gpkg" >/dev/null 2>&1 || need+=(python3-gdal)
QT_QPA_PLATFORM=offscreen /usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1 || need+=(qgis python3-qgis)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-impress-nogui)
# Calc comes apart from Writer and Impress: soffice without it cannot load a workbook
[ -e /usr/lib/libreoffice/program/libsclo.so ] || need+=(libreoffice-calc-nogui)
# grep reads all of fc-list: with -q it would stop early, and pipefail would call the font missing
fc-list 2>/dev/null | grep -iE "noto sans cjk|wenquanyi" >/dev/null || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "missing system packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
