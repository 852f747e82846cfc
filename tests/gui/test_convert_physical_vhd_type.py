"""Volume Configuration of the Convert Physical Server wizard chooses the virtual hard disks' type: dynamically
expanding at first, fixed size when chosen, which the host's plan reports, the summary shows and View Script
gives."""

from __future__ import annotations

import shutil

import pytest

from .convert_helpers import WAIT, to_page, to_physical_volumes, view_script
from .test_convert_physical_wizard import write_image

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def test_fixed_size_is_planned_shown_and_scripted(make_window, conn, qtbot, tmp_path):
    image = write_image(tmp_path / "disk0.img")
    window = make_window(conn)
    wiz = to_physical_volumes(qtbot, window)
    volumes = wiz.volumes_page
    assert volumes.vhd_type() == "dynamic" and volumes.vhd_kind.accessibleName() == "Virtual hard disk type"
    volumes.image.setText(image)
    volumes.add_image()
    volumes.vhd_kind.setCurrentIndex(volumes.vhd_kind.findData("fixed"))
    assert wiz.params()["vhd_type"] == "fixed"
    qtbot.waitUntil(lambda: volumes.check.ok, timeout=WAIT)
    assert "physical.fixed" in {n["code"] for n in volumes.check.answer["report"]}
    row = volumes.disks.topLevelItem(volumes.disks.topLevelItemCount() - 1)
    assert row.text(0) == image and row.text(1) == "16 MiB"  # the image's size, as the host's plan read it
    wiz.next()
    wiz.config_page.name.setText("fixedp2v")
    to_page(qtbot, wiz, wiz.summary_page)
    summary = wiz.summary_page
    qtbot.waitUntil(lambda: summary.check.ok, timeout=WAIT)
    assert "Fixed size" in summary.summary.text() and "fixed-size virtual hard disks" in summary.summary.text()
    command, python = view_script(qtbot, wiz)
    assert f"convert physical --disk {image} --name fixedp2v --vhd-type fixed" in command, command
    assert "vhd_type='fixed'" in python
    wiz.script_dialog.close()
    wiz.close()
