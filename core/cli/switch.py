"""`bulkhead switch ...`: virtual switches, private (VMs only) or internal (VMs and this host)."""

from __future__ import annotations

from .common import connect, examples, print_list
from .i18n import _


def register(sub) -> None:
    switch = sub.add_parser("switch", help=_("virtual switches: private (VMs only) or internal (VMs and this host)"))
    ws = switch.add_subparsers(dest="verb", metavar="VERB")
    p = ws.add_parser("list", help=_("virtual switches with their VMs and MAC tables"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=switch_list)
    p = ws.add_parser("new", help=_("create a virtual switch"),
                      **examples(_("  bulkhead switch new lab\n  bulkhead switch new hostnet --type internal\n")))
    p.add_argument("name")
    p.add_argument("--type", choices=("private", "internal"), default="private")
    p.set_defaults(func=switch_new)
    p = ws.add_parser("remove", help=_("delete a virtual switch no VM uses"))
    p.add_argument("name")
    p.set_defaults(func=switch_remove)
    p = ws.add_parser("rename", help=_("rename a virtual switch (its VMs stay connected)"),
                      **examples(_("  bulkhead switch rename lab lab-a\n")))
    p.add_argument("name", metavar="OLD")
    p.add_argument("new_name", metavar="NEW")
    p.set_defaults(func=switch_rename)


def switch_list(args) -> int:
    with connect(args) as conn:
        switches = conn.switches()
    return print_list(args, switches, _("No virtual switches. Create one: bulkhead switch new NAME"),
                      [_("NAME"), _("TYPE"), _("SUBNET"), _("VMS"), _("FORWARDED"), _("FLOODED")],
                      lambda s: [s["name"], s["type"], s["subnet"], ", ".join(s["vms"]) or "-", str(s["forwarded"]),
                                 str(s["flooded"])])


def switch_new(args) -> int:
    with connect(args) as conn:
        s = conn.new_switch(args.name, args.type).wait(check=True).result
    print(_("virtual switch '{name}' ({type}, {subnet}) created").format(
        name=s['name'], type=s['type'], subnet=s['subnet']))
    return 0


def switch_remove(args) -> int:
    with connect(args) as conn:
        conn.remove_switch(args.name).wait(check=True)
    print(_("virtual switch '{name}' removed").format(name=args.name))
    return 0


def switch_rename(args) -> int:
    with connect(args) as conn:
        s = conn.rename_switch(args.name, args.new_name).wait(check=True).result
    users = ", ".join(s.get("vms") or []) or "no VMs"
    print(_("virtual switch '{name}' renamed to '{name2}' ({users} connected)").format(
        name=args.name, name2=s['name'], users=users))
    return 0
