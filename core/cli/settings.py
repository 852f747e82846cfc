"""`vm new` and `vm set` options, made from the one list of VM settings (core.model.spec.SETTINGS), and the request
each command sends (a VmSpec, VmChanges). A setting only libvirt hosts take goes in the "libvirt hosts" group."""

from __future__ import annotations

from core.model.errors import UsageError
from core.model.spec import NEW_VM_PARAMS, SET_VM_PARAMS, SETTING, VmChanges, VmSpec
from core.model.units import parse_size

from .common import host_path, whole
from .i18n import N_, _, size_problem

LIBVIRT_GROUP = N_("libvirt hosts (--connect URI)")
# what the command line says where the settings list has no help of its own (or no choices)
_METAVAR = {"size": "SIZE", "path": "PATH"}


def _shown(p, value) -> str:
    if p.type == "size":
        for unit, scale in (("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
            if value % scale == 0:
                return f"{value // scale}{unit}"
    return str(value)


def add_settings(parser, new: bool) -> None:
    """The options of ``vm new`` (``new``) or ``vm set``, one per setting, in the settings list's order."""
    libvirt = parser.add_argument_group(_(LIBVIRT_GROUP)) if new else None
    for p in NEW_VM_PARAMS if new else SET_VM_PARAMS:
        if new and p.name == "name":
            continue  # vm new NAME: the positional argument
        setting = SETTING.get(p.name, p)
        where = libvirt if p.kinds == ("libvirt",) else parser
        helptext = _(p.help or p.label)  # core.model.spec's words, in the catalog too
        if p.type == "bool":
            if setting.default is True:
                where.add_argument(p.option, dest=p.name, action="store_true", default=None, help=helptext)
                where.add_argument("--no-" + p.option[2:], dest=p.name, action="store_false")
            else:
                where.add_argument(p.option, dest=p.name, action="store_true", default=None, help=helptext)
            continue
        choices = tuple(c for c in p.choices if c != "")
        if new and setting.default not in ("", None, 0) and "default" not in (p.help or p.label):
            helptext += _(" (default: {value})").format(value=_shown(p, setting.default))
        kwargs = {"dest": p.name, "help": helptext, "default": None}
        if choices:
            kwargs["choices"] = choices
        elif p.type in _METAVAR:
            kwargs["metavar"] = _METAVAR[p.type]
        if p.type == "int":
            kwargs["type"] = whole(p.label.lower() or p.name)  # the range is the host's (its limits)
        where.add_argument(p.option, **kwargs)


def _given(args, params) -> dict:
    """The settings given on the command line, as the host takes them: sizes in bytes, paths for the host."""
    out = {}
    for p in params:
        value = getattr(args, p.name, None)
        if value is None:
            continue
        if p.type == "size":
            try:
                value = parse_size(value)
            except ValueError as e:
                raise UsageError(f"{p.option}: {size_problem(e)}") from None
        elif p.type == "path":
            value = host_path(value, args, p.option)
        out[p.name] = value
    return out


def vm_spec(args) -> VmSpec:
    """The new VM that ``vm new`` asks for; the host checks it against its kind and limits."""
    given = _given(args, [p for p in NEW_VM_PARAMS if p.name != "name"])
    return VmSpec(name=args.name, **given)


def vm_changes(args) -> VmChanges:
    changes = VmChanges.of(**_given(args, SET_VM_PARAMS))
    if not changes.values:
        raise UsageError(_("nothing to change: give at least one setting (see bulkhead vm set --help)"))
    return changes

