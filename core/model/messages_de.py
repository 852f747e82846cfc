"""German for the hosts' refusals (core.model.messages): code -> [(the English template, its German)].

Placeholders are the values in the English text; each German template uses the same ones (tests/test_cli_german.py
checks it). A value that is a VM state or an operation is translated as Hyper-V Manager says it (``value``).
Terms: Hyper-V Manager's German (Virtueller Computer, Prüfpunkt, Auftrag, Warnung, virtueller Switch ...).
"""

from __future__ import annotations

STATES = {
    "Off": "Aus", "Starting": "Wird gestartet", "Running": "Wird ausgeführt", "Pausing": "Wird angehalten",
    "Paused": "Angehalten", "Resuming": "Wird fortgesetzt", "Saving": "Wird gespeichert", "Saved": "Gespeichert",
    "Stopping": "Wird beendet", "Critical": "Kritisch", "Configuration error": "Konfigurationsfehler",
    "running": "ausgeführt", "off": "aus", "saved": "gespeichert",
}
# check_operation's verbs ("cannot shut down VM ...") as nouns: "Herunterfahren ist ... nicht möglich"
OPERATIONS = {
    "start": "Starten", "shut down": "Herunterfahren", "turn off": "Ausschalten", "save": "Speichern",
    "pause": "Anhalten", "resume": "Fortsetzen", "reset": "Zurücksetzen", "remove": "Löschen",
    "delete saved state": "Löschen des gespeicherten Zustands", "migrate": "Migrieren", "move": "Verschieben",
    "export": "Exportieren", "checkpoint": "Prüfpunkt erstellen", "restart": "Zurücksetzen",
}


def _states(text: str) -> str:
    """ "Off, Saved or Critical" in German, each state quoted."""
    head, sep, last = text.rpartition(" or ")
    words = [w.strip() for w in head.split(",")] + [last] if sep else [text]
    german = [f"„{STATES.get(w, w)}“" for w in words]
    return german[0] if len(german) == 1 else ", ".join(german[:-1]) + " oder " + german[-1]


def value(name: str, text: str) -> str:
    """A placeholder's value as the German sentence shows it."""
    if name == "state":
        return STATES.get(text, text)
    if name == "states":
        return _states(text)
    if name == "verb":
        return OPERATIONS.get(text, text)
    return text


_VM = "den virtuellen Computer „{vm}“"
CATALOG: dict[str, list[tuple[str, str]]] = {
    # the VM's state does not allow the operation (core.model.states.check_operation and the hosts' own checks)
    "vm.state": [
        ("cannot {verb} VM '{vm}': it is {state} ({verb} needs {states})",
         "{verb} ist für " + _VM + " nicht möglich: sein Status ist „{state}“ ({verb} erfordert {states})"),
        ("cannot remove VM '{vm}': it is {state} (turn it off first)",
         "Der virtuelle Computer „{vm}“ kann nicht gelöscht werden: sein Status ist „{state}“ (schalten Sie ihn "
         "zuerst aus)"),
        ("cannot move VM '{vm}': it is {state} (a move needs it Running, Paused, Saved or Off)",
         "Der virtuelle Computer „{vm}“ kann nicht verschoben werden: sein Status ist „{state}“ (zum Verschieben "
         "muss er „Wird ausgeführt“, „Angehalten“, „Gespeichert“ oder „Aus“ sein)"),
        ("cannot export VM '{vm}' while it is {state}: shut it down or save it first",
         "Der virtuelle Computer „{vm}“ kann im Status „{state}“ nicht exportiert werden: fahren Sie ihn zuerst "
         "herunter oder speichern Sie ihn"),
        ("cannot export VM '{vm}' while it is {state}",
         "Der virtuelle Computer „{vm}“ kann im Status „{state}“ nicht exportiert werden"),
        ("cannot move the storage of VM '{vm}' while it is {state}",
         "Der Speicher des virtuellen Computers „{vm}“ kann im Status „{state}“ nicht verschoben werden"),
        ("cannot take a checkpoint of VM '{vm}' while it is {state}",
         "Für " + _VM + " kann im Status „{state}“ kein Prüfpunkt erstellt werden"),
        ("cannot apply a checkpoint to VM '{vm}' while it is {state}",
         "Auf " + _VM + " kann im Status „{state}“ kein Prüfpunkt angewendet werden"),
        ("VM '{vm}' is {state}: try again once it is running, off or saved",
         "Der virtuelle Computer „{vm}“ hat den Status „{state}“: versuchen Sie es erneut, wenn er ausgeführt wird, "
         "aus oder gespeichert ist"),
    ],
    # refusals raised without a code of their own (their kind is the code; found by their sentence too)
    "state": [
        ("cannot change {settings} of VM '{vm}' while it is {state}: turn it off first",
         "Die Einstellungen {settings} des virtuellen Computers „{vm}“ können im Status „{state}“ nicht geändert "
         "werden: schalten Sie ihn zuerst aus"),
        ("VM '{vm}' is {state}: its console takes no input",
         "Der virtuelle Computer „{vm}“ hat den Status „{state}“: seine Konsole nimmt keine Eingaben an"),
        ("virtual switch '{name}' is used by {users}: disconnect them first",
         "Der virtuelle Switch „{name}“ wird von {users} verwendet: trennen Sie diese zuerst"),
    ],
    "usage": [
        ("no virtual switch named '{name}' (create it: bulkhead switch new {name})",
         "Es gibt keinen virtuellen Switch namens „{name}“ (erstellen Sie ihn: bulkhead switch new {name})"),
        ("a virtual switch named '{name}' already exists",
         "Ein virtueller Switch namens „{name}“ ist bereits vorhanden"),
        ("virtual switch '{name}' has no free addresses", "Der virtuelle Switch „{name}“ hat keine freien Adressen"),
        ("unknown stop mode '{mode}' (choose {choices})", "unbekannter Stoppmodus „{mode}“ (möglich: {choices})"),
        ("unknown switch type '{type}' (choose {choices})", "unbekannter Switchtyp „{type}“ (möglich: {choices})"),
        ("an IP address needs a network (a virtual switch)",
         "Eine IP-Adresse erfordert ein Netzwerk (einen virtuellen Switch)"),
        ("IP address {ip} is not a usable address of {subnet}", "Die IP-Adresse {ip} ist in {subnet} nicht verwendbar"),
        ("IP address {ip} is already used by VM '{vm}'",
         "Die IP-Adresse {ip} wird bereits vom virtuellen Computer „{vm}“ verwendet"),
        ("disk {disk} is already attached to VM '{vm}'",
         "Der Datenträger {disk} ist bereits an den virtuellen Computer „{vm}“ angeschlossen"),
        ("name a VM", "Geben Sie einen virtuellen Computer an"),
        ("a connection named '{name}' already exists ({uri})",
         "Eine Verbindung namens „{name}“ ist bereits vorhanden ({uri})"),
        ("{uri} is already saved as '{name}'", "{uri} ist bereits als „{name}“ gespeichert"),
    ],
    "vm.not_found": [
        ("no VM named '{vm}'", "Es gibt keinen virtuellen Computer namens „{vm}“"),
    ],
    "not_found": [
        ("no VM named '{vm}'", "Es gibt keinen virtuellen Computer namens „{vm}“"),
        ("no VM named '{vm}' on {uri}", "Auf {uri} gibt es keinen virtuellen Computer namens „{vm}“"),
        ("no virtual switch named '{name}'", "Es gibt keinen virtuellen Switch namens „{name}“"),
        ("no saved connection '{ref}' (see: bulkhead host list)",
         "Es gibt keine gespeicherte Verbindung „{ref}“ (siehe: bulkhead host list)"),
        ("no alert {alert}", "Es gibt keine Warnung {alert}"),
        ("no job {job}", "Es gibt keinen Auftrag {job}"),
    ],
    "job.not_found": [("no job {job}", "Es gibt keinen Auftrag {job}")],
    "alert.not_found": [("no alert {alert}", "Es gibt keine Warnung {alert}")],
    "alert.id": [
        ("an alert id is a whole number (got {got})", "Eine Warnungs-ID ist eine ganze Zahl (angegeben: {got})"),
        ("an alert id is a whole number of at least 1 (got {got})",
         "Eine Warnungs-ID ist eine ganze Zahl ab 1 (angegeben: {got})"),
    ],
    "vm.name_taken": [
        ("a VM named '{name}' already exists", "Ein virtueller Computer namens „{name}“ ist bereits vorhanden"),
    ],
    "convert.name_taken": [
        ("a VM named {name} already exists on this host: give another name",
         "Ein virtueller Computer namens {name} ist auf diesem Host bereits vorhanden: geben Sie einen anderen "
         "Namen an"),
    ],
    "vm.busy": [
        ("the storage of VM '{vm}' is being moved already (job {job})",
         "Der Speicher des virtuellen Computers „{vm}“ wird bereits verschoben (Auftrag {job})"),
        ("the storage of VM '{vm}' is being moved (job {job}): try again once it is done",
         "Der Speicher des virtuellen Computers „{vm}“ wird gerade verschoben (Auftrag {job}): versuchen Sie es "
         "erneut, wenn das abgeschlossen ist"),
    ],
    "checkpoint.not_found": [
        ("VM '{vm}' has no checkpoint '{checkpoint}' (vm checkpoints {vm} lists them)",
         "Der virtuelle Computer „{vm}“ hat keinen Prüfpunkt „{checkpoint}“ (bulkhead vm checkpoints {vm} listet "
         "sie auf)"),
        ("VM '{vm}' has no checkpoint '{checkpoint}'",
         "Der virtuelle Computer „{vm}“ hat keinen Prüfpunkt „{checkpoint}“"),
    ],
    "checkpoint.none": [
        ("VM '{vm}' has no checkpoint to revert to (vm checkpoint {vm} takes one)",
         "Der virtuelle Computer „{vm}“ hat keinen Prüfpunkt zum Zurücksetzen (bulkhead vm checkpoint {vm} "
         "erstellt einen)"),
        ("VM '{vm}' has no checkpoint to revert to",
         "Der virtuelle Computer „{vm}“ hat keinen Prüfpunkt zum Zurücksetzen"),
    ],
    "checkpoint.limit": [
        ("VM '{vm}' has {n} checkpoints, the most a VM can have: delete one first",
         "Der virtuelle Computer „{vm}“ hat {n} Prüfpunkte, die Höchstzahl: löschen Sie zuerst einen"),
    ],
    # the host's limits (memory, processors)
    "limits.memory": [
        ("memory {memory} MiB is more than this host has room for: at most {max} MiB ({reason})",
         "Arbeitsspeicher von {memory} MiB ist mehr, als dieser Host bereitstellen kann: höchstens {max} MiB "
         "({reason})"),
        ("memory must be a multiple of {step} MiB between {min} MiB and {max} MiB (got {got} MiB)",
         "Der Arbeitsspeicher muss ein Vielfaches von {step} MiB zwischen {min} MiB und {max} MiB sein "
         "(angegeben: {got} MiB)"),
    ],
    "limits.vcpus": [
        ("{vcpus} virtual processors is more than this host's limit of {max} ({reason})",
         "{vcpus} virtuelle Prozessoren sind mehr als die Grenze dieses Hosts von {max} ({reason})"),
    ],
    # parameters a request gives (core.model.params, core.model.names)
    "param.invalid": [
        ("{what} must be true or false (got {got})", "{what} muss true oder false sein (angegeben: {got})"),
        ("{what} must be a number of bytes (got {got})", "{what} muss eine Anzahl Bytes sein (angegeben: {got})"),
        ("{what} must be a whole number (got {got})", "{what} muss eine ganze Zahl sein (angegeben: {got})"),
        ("{what} must be between {min} and {max} (got {got})",
         "{what} muss zwischen {min} und {max} liegen (angegeben: {got})"),
        ("{what} must be a finite number (got {got})", "{what} muss eine endliche Zahl sein (angegeben: {got})"),
        ("{what} must be a number (got {got})", "{what} muss eine Zahl sein (angegeben: {got})"),
        ("{what} must be text (got {got})", "{what} muss Text sein (angegeben: {got})"),
        ("{what} must be a list (got {got})", "{what} muss eine Liste sein (angegeben: {got})"),
        ("{what} must be an object (got {got})", "{what} muss ein Objekt sein (angegeben: {got})"),
        ("{what} can have at most {n} characters (got {got})",
         "{what} darf höchstens {n} Zeichen haben (angegeben: {got})"),
        ("{what} cannot contain lone surrogates", "{what} darf keine einzelnen Ersatzzeichen (Surrogates) enthalten"),
        ("{what} cannot contain {kind} characters (found {char})",
         "{what} darf keine Zeichen der Art „{kind}“ enthalten (gefunden: {char})"),
        ("{what}: choose {choices} (got {got})", "{what}: wählen Sie {choices} (angegeben: {got})"),
        ("{where}: unexpected keyword argument {key} (it takes {takes})",
         "{where}: unerwartetes Argument {key} (möglich sind: {takes})"),
        ("{where}: missing required argument {name}", "{where}: das erforderliche Argument {name} fehlt"),
    ],
    "name.invalid": [
        ("{what} must be text (got {got})", "{what} muss Text sein (angegeben: {got})"),
        ("{what} cannot be empty", "{what} darf nicht leer sein"),
        ("{what} can have at most {n} characters (got {got})",
         "{what} darf höchstens {n} Zeichen haben (angegeben: {got})"),
        ("{what} cannot contain {kind} characters (found {char})",
         "{what} darf keine Zeichen der Art „{kind}“ enthalten (gefunden: {char})"),
        ("{what} cannot contain '/' or '\\' (got {got})",
         "{what} darf weder „/“ noch „\\“ enthalten (angegeben: {got})"),
        ("{what} cannot start with '.' (got {got})", "{what} darf nicht mit „.“ beginnen (angegeben: {got})"),
        ("{what} cannot contain '..' (got {got})", "{what} darf „..“ nicht enthalten (angegeben: {got})"),
    ],
    # paths on the host
    "path.not_found": [("{path}: no such folder on {where}", "{path}: Ordner auf {where} nicht vorhanden")],
    "path.not_folder": [("{path} is not a folder on {where}", "{path} ist kein Ordner auf {where}")],
    "path.timeout": [
        ("{path}: the file system on {where} did not answer within {s} s",
         "{path}: das Dateisystem auf {where} hat nicht innerhalb von {s} s geantwortet"),
    ],
    "convert.path": [("path {path}: no such folder on this host",
                      "Pfad {path}: Ordner auf diesem Host nicht vorhanden")],
    "export.path": [("{path}: no such folder on this host", "{path}: Ordner auf diesem Host nicht vorhanden")],
    "import.path": [("{path}: no such folder on this host", "{path}: Ordner auf diesem Host nicht vorhanden")],
    "export.exists": [
        ("{path} already exists: choose another file name",
         "{path} ist bereits vorhanden: wählen Sie einen anderen Dateinamen"),
        ("{path} already exists: export into another folder",
         "{path} ist bereits vorhanden: exportieren Sie in einen anderen Ordner"),
    ],
    "storage.exists": [
        ("{folder} already holds a file named {name}; choose another folder",
         "{folder} enthält bereits eine Datei namens {name}; wählen Sie einen anderen Ordner"),
    ],
    # core.model.units.parse_size (a ValueError: the command line gives it this code)
    "units.size": [
        ("{value} is not a size (try 512M or 4G)", "{value} ist keine Größe (z. B. 512M oder 4G)"),
        ("{value} must be larger than zero", "{value} muss größer als null sein"),
        ("{value} is too large", "{value} ist zu groß"),
    ],
    # the host cannot be reached (the local host service, a remote Bulkhead host)
    "unavailable": [
        ("the host service at {path} does not accept connections (waited {s} s)",
         "Der Hostdienst unter {path} nimmt keine Verbindungen an (nach {s} s Wartezeit)"),
        ("lost the host service at {path}: {why}", "Verbindung zum Hostdienst unter {path} verloren: {why}"),
        ("the host service at {path} closed the connection", "Der Hostdienst unter {path} hat die Verbindung getrennt"),
        ("the host service at {path} closed the stream before answering",
         "Der Hostdienst unter {path} hat den Datenstrom vor der Antwort geschlossen"),
        ("cannot start the host service: {why}", "Der Hostdienst kann nicht gestartet werden: {why}"),
        ("the host service did not start: {why} (see {log})",
         "Der Hostdienst wurde nicht gestartet: {why} (siehe {log})"),
        ("the host service did not start within {s} s (see {log})",
         "Der Hostdienst wurde nicht innerhalb von {s} s gestartet (siehe {log})"),
        ("the connection to {path} is closed", "Die Verbindung zu {path} ist geschlossen"),
        ("cannot connect to {target}: {why}", "Keine Verbindung zu {target} möglich: {why}"),
        ("cannot reach {target}: no answer within {s} s",
         "{target} ist nicht erreichbar: keine Antwort innerhalb von {s} s"),
        ("cannot reach {target}: {why}", "{target} ist nicht erreichbar: {why}"),
        ("cannot run ssh to reach {target}: {why}",
         "ssh kann nicht ausgeführt werden, um {target} zu erreichen: {why}"),
    ],
    "move.switch_missing": [
        ("no virtual switch named '{switch}' on this host (map the VM's adapter to one: --network-map {net}=SWITCH)",
         "Auf diesem Host gibt es keinen virtuellen Switch namens „{switch}“ (ordnen Sie den Netzwerkadapter des "
         "virtuellen Computers einem zu: --network-map {net}=SWITCH)"),
    ],
    "move.memory": [
        ("this host has {free} MiB of memory free, VM '{vm}' needs {need} MiB",
         "Dieser Host hat {free} MiB Arbeitsspeicher frei, der virtuelle Computer „{vm}“ benötigt {need} MiB"),
    ],
    "move.none": [
        ("VM '{vm}' has no unconfirmed move to resolve",
         "Der virtuelle Computer „{vm}“ hat keine unbestätigte Verschiebung aufzulösen"),
    ],
}
