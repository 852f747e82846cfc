"""Select Host of the Convert wizards rates each host for the VM the conversion makes, as the Migrate wizard rates
hosts (stars painted in their own column, the number as its text, the reasons as its tooltip, off the GUI thread);
the API's rating gives a host the VM does not fit 0 stars with the reason, and says where the guest boots."""

from __future__ import annotations

import shutil

import pytest

from core.api.convert import rate_host
from gui.wizards.convert import ConvertWizard
from gui.wizards.convert.host import RATING
from gui.wizards.migrate.stars import STARS_ROLE

from .convert_helpers import WAIT, ThreadRecorder, to_page
from .test_convert_wizard import write_domain

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")


def test_the_api_rates_a_host_for_the_converted_vm(conn):
    fits = rate_host(conn, 64 << 20, vcpus=1, disk_bytes=16 << 20, name="here")
    assert fits["suitable"] and 0.5 <= fits["stars"] <= 5 and fits["host"] == "here"
    assert "does not boot on the embedded engine" in fits["explanation"][-1]
    huge = rate_host(conn, 1 << 50, vcpus=1, name="here")
    assert huge["stars"] == 0 and not huge["suitable"] and "per VM" in huge["explanation"][0]
    many = rate_host(conn, 64 << 20, vcpus=10_000, name="here")
    assert many["stars"] == 0 and "processors" in " ".join(many["explanation"])


def test_select_host_shows_the_rating_of_each_host(make_window, conn, qtbot, tmp_path):
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    wiz = ConvertWizard(window.session, [window.session], window)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.source_page.path.setText(write_domain(tmp_path / "libvirt"))
    qtbot.waitUntil(lambda: wiz.source_page.answer() is not None, timeout=WAIT)
    to_page(qtbot, wiz, wiz.host_page)
    page = wiz.host_page
    load = page.load()
    assert load["memory"] == 64 << 20 and load["vcpus"] == 2
    table = page.table
    assert table.headerItem().text(RATING) == "Rating"
    qtbot.waitUntil(lambda: table.topLevelItemCount() == 1 and table.topLevelItem(0).data(RATING, STARS_ROLE)
                    is not None, timeout=WAIT)
    row = table.topLevelItem(0)
    stars = row.data(RATING, STARS_ROLE)
    assert 0.5 <= stars <= 5 and row.text(RATING) == f"{stars:g} stars"
    assert "stars for load balancing" in row.toolTip(RATING) and "embedded engine" in row.toolTip(RATING)
    assert row.isSelected() and table.topLevelItem(0).text(1) == "bulkhead"
    assert "rate_host" not in recorder.on_gui_thread and recorder.on_gui_thread == [], recorder.on_gui_thread
    wiz.close()
