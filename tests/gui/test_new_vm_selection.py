"""After the New VM wizard's Finish the new VM is selected in the list once its job has completed (Hyper-V
Manager selects it too), also when the job's end reaches the console before the wizard hands the job over."""

from __future__ import annotations

from .conftest import make_vms, vm_by_name


def test_the_new_vm_is_selected_when_its_job_completes(window, conn, qtbot):
    make_vms(conn, "old1", "old2")
    s = window.session
    qtbot.waitUntil(lambda: len(s.vm_model.vms()) == 2)
    window.select_vms(["old1"])
    wizard = window.open_wizard()
    wizard.name_page.name.setText("fresh")
    qtbot.waitUntil(lambda: wizard.name_page.problem() is None, timeout=5000)
    wizard.accept()  # Finish
    qtbot.waitUntil(lambda: [vm["name"] for vm in window.selected_vms()] == ["fresh"], timeout=15_000)
    assert window.details.summary.values["Name"].text() == "fresh"
    assert window.nav.current_node() == ("vm", vm_by_name(s, "fresh")["id"])


def test_a_job_that_ended_before_it_was_handed_over_still_selects_its_vm(window, conn, qtbot):
    s = window.session
    job = conn.new_vm("early", memory="16M").wait(check=True).to_dict()
    qtbot.waitUntil(lambda: (s.jobs_model.job(job["id"]) or {}).get("state") == "Completed", timeout=10_000)
    window.follow_new_vm(s, job)
    qtbot.waitUntil(lambda: [vm["name"] for vm in window.selected_vms()] == ["early"], timeout=10_000)


def test_a_failed_new_vm_selects_nothing(window, conn, qtbot):
    make_vms(conn, "keep")
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "keep") is not None)
    window.select_vms(["keep"])
    window.follow_new_vm(s, {"id": 10_000, "target": "nope", "state": "Running"})
    window._job_done(s, {"id": 10_000, "target": "nope", "state": "Failed", "error": "no"})
    qtbot.wait(200)
    assert [vm["name"] for vm in window.selected_vms()] == ["keep"]
