<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ActionsPane</name>
    <message>
        <location filename="../../gui/widgets/actions_pane.py" line="+18"/>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+59"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+55"/>
        <source>Virtual machine</source>
        <translation>Virtueller Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actions for {name}</source>
        <translation>Aktionen für {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual machine actions</source>
        <translation>Aktionen für virtuelle Computer</translation>
    </message>
</context>
<context>
    <name>AddConnectionDialog</name>
    <message>
        <location filename="../../gui/dialogs/add_connection.py" line="+57"/>
        <source>Add Host</source>
        <translation>Host hinzufügen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Manage another host: a Bulkhead host service over SSH or TLS, or an existing QEMU/KVM host through libvirt. The console connects in the background and reconnects on its own; nothing on the host changes.</source>
        <translation>Einen weiteren Host verwalten: einen Bulkhead-Hostdienst über SSH oder TLS oder einen vorhandenen QEMU/KVM-Host über libvirt. Die Konsole verbindet sich im Hintergrund und stellt die Verbindung selbst wieder her; auf dem Host ändert sich nichts.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kind of host</source>
        <translation>Art des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead host over SSH</source>
        <translation>Bulkhead-Host über SSH</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead host over TLS (client certificate)</source>
        <translation>Bulkhead-Host über TLS (Clientzertifikat)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libvirt host (QEMU/KVM)</source>
        <translation>libvirt-Host (QEMU/KVM)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Connection URI</source>
        <translation>Verbindungs-URI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The URI the fields make; type one to choose the kind by its scheme</source>
        <translation>Der URI aus den Feldern; geben Sie einen ein, um die Art über sein Schema zu wählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;URI:</source>
        <translation>&amp;URI:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Host group</source>
        <translation>Hostgruppe</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Host &amp;group:</source>
        <translation>Host&amp;gruppe:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Test Connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect once and show the host&apos;s version, VMs and the link&apos;s latency</source>
        <translation>Einmal verbinden und Version, VMs und Latenz der Verbindung des Hosts anzeigen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Copy Command</source>
        <translation>Befehl &amp;kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy {command} to the clipboard</source>
        <translation>{command} in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This console cannot reach libvirt hosts yet: libvirt-python is not installed. Install it with {command}, then start the console again.</source>
        <translation>Diese Konsole kann libvirt-Hosts noch nicht erreichen: libvirt-python ist nicht installiert. Installieren Sie es mit {command}, und starten Sie die Konsole dann neu.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Host name or address</source>
        <translation>Hostname oder Adresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>as ssh decides</source>
        <translation>wie ssh entscheidet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User on the host</source>
        <translation>Benutzer auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>U&amp;ser:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the remote user&apos;s default (optional)</source>
        <translation>Standard des Remotebenutzers (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead home on the host</source>
        <translation>Bulkhead-Basisordner auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote &amp;home:</source>
        <translation>Remote-&amp;Basisordner:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ssh uses your keys, agent and ~/.ssh/config; the console never asks for a password. The host runs bulkhead host proxy.</source>
        <translation>ssh verwendet Ihre Schlüssel, Ihren Agent und ~/.ssh/config; die Konsole fragt nie nach einem Kennwort. Der Host führt bulkhead host proxy aus.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Type the host&apos;s libvirt URI below, e.g. qemu+ssh://user@host/system.</source>
        <translation>Geben Sie unten den libvirt-URI des Hosts ein, z. B. qemu+ssh://user@host/system.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>This machine&apos;s client certificate is in {folder}.</source>
        <translation>Das Clientzertifikat dieses Computers liegt in {folder}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No client certificate here ({folder}). On the host run bulkhead host certs client NAME --allow, copy the folder it makes to this machine and run {how} here.</source>
        <translation>Hier ist kein Clientzertifikat ({folder}). Führen Sie auf dem Host bulkhead host certs client NAME --allow aus, kopieren Sie den erstellten Ordner auf diesen Computer und führen Sie hier {how} aus.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Type the URI of a libvirt host.</source>
        <translation>Geben Sie den URI eines libvirt-Hosts ein.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the host&apos;s name or address.</source>
        <translation>Geben Sie den Namen oder die Adresse des Hosts ein.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Shown as &apos;{name}&apos;.</source>
        <translation>Angezeigt als „{name}“.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>from the URI</source>
        <translation>aus dem URI</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Testing {uri}...</source>
        <translation>{uri} wird getestet...</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+5"/>
        <source>Cannot connect: {reason}</source>
        <translation>Verbindung nicht möglich: {reason}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} VMs</source>
        <translation>{count} VMs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>latency {ms:.1f} ms</source>
        <translation>Latenz {ms:.1f} ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>connected in {ms:.0f} ms</source>
        <translation>verbunden in {ms:.0f} ms</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saving...</source>
        <translation>Wird gespeichert...</translation>
    </message>
</context>
<context>
    <name>AlertNotice</name>
    <message>
        <location filename="../../gui/alerts/notice.py" line="+22"/>
        <source>New alert</source>
        <translation>Neue Warnung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Show &amp;Alerts</source>
        <translation>&amp;Warnungen anzeigen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dismiss (the alert stays in the Alerts pane)</source>
        <translation>Ausblenden (die Warnung bleibt im Bereich „Warnungen“)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>({count} new alerts)</source>
        <translation>({count} neue Warnungen)</translation>
    </message>
</context>
<context>
    <name>AlertNotifier</name>
    <message>
        <location filename="../../gui/alerts/notifier.py" line="+51"/>
        <source>Bulkhead critical: {target} on {host}</source>
        <translation>Bulkhead kritisch: {target} auf {host}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead warning: {target} on {host}</source>
        <translation>Bulkhead-Warnung: {target} auf {host}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead alert: {target} on {host}</source>
        <translation>Bulkhead-Warnung: {target} auf {host}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Bulkhead alerts</source>
        <translation>Bulkhead-Warnungen</translation>
    </message>
</context>
<context>
    <name>AlertOperations</name>
    <message>
        <location filename="../../gui/operations/alerts.py" line="+15"/>
        <source>Alerts unavailable</source>
        <translation>Warnungen nicht verfügbar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot acknowledge the alert</source>
        <translation>Die Warnung kann nicht bestätigt werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot clear the alert</source>
        <translation>Die Warnung kann nicht gelöscht werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot read the alert rules</source>
        <translation>Die Warnungsregeln können nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alert rules not changed</source>
        <translation>Warnungsregeln nicht geändert</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot suggest moves</source>
        <translation>Es können keine Verschiebungen vorgeschlagen werden</translation>
    </message>
</context>
<context>
    <name>AlertRules</name>
    <message>
        <location filename="../../gui/alerts/rules_dialog.py" line="+33"/>
        <source>VM CPU high</source>
        <translation>Hohe CPU-Auslastung der VM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM memory pressure</source>
        <translation>Arbeitsspeicherdruck der VM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host memory pressure</source>
        <translation>Arbeitsspeicherdruck des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host CPU pressure</source>
        <translation>CPU-Druck des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heartbeat lost</source>
        <translation>Takt verloren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM went Critical</source>
        <translation>VM wurde kritisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synthetic device failed</source>
        <translation>Synthetisches Gerät fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual disk nearly full</source>
        <translation>Virtuelle Festplatte fast voll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host storage nearly full</source>
        <translation>Hostspeicher fast voll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{rule}: the threshold is a percentage from 1 to 100 (0 would raise it all the time).</source>
        <translation>{rule}: Der Schwellenwert ist ein Prozentsatz von 1 bis 100 (bei 0 würde die Warnung ständig ausgelöst).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{rule}: the duration can be at most {seconds} s (a day).</source>
        <translation>{rule}: Die Dauer darf höchstens {seconds} s (einen Tag) betragen.</translation>
    </message>
</context>
<context>
    <name>AlertRulesDialog</name>
    <message>
        <location line="+15"/>
        <source>Alert Rules - {host}</source>
        <translation>Warnungsregeln - {host}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An alert is raised when its condition holds for the duration, and cleared when it ends. Changes apply to every virtual machine of this host.</source>
        <translation>Eine Warnung wird ausgelöst, wenn ihre Bedingung für die Dauer erfüllt ist, und gelöscht, wenn sie endet. Änderungen gelten für jeden virtuellen Computer dieses Hosts.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>On</source>
        <translation>Ein</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Threshold</source>
        <translation>Schwellenwert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Reading the host&apos;s alert rules...</source>
        <translation>Die Warnungsregeln des Hosts werden gelesen...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot read the alert rules: {error}</source>
        <translation>Die Warnungsregeln können nicht gelesen werden: {error}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{rule} on</source>
        <translation>{rule} ein</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{rule} threshold</source>
        <translation>Schwellenwert für {rule}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This rule has no threshold: its condition holds or not</source>
        <translation>Diese Regel hat keinen Schwellenwert: Ihre Bedingung ist erfüllt oder nicht</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{rule} duration</source>
        <translation>Dauer für {rule}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long the condition must hold before the alert is raised (0: at once)</source>
        <translation>Wie lange die Bedingung erfüllt sein muss, bevor die Warnung ausgelöst wird (0: sofort)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{rule} severity</source>
        <translation>Schweregrad für {rule}</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Applying...</source>
        <translation>Wird übernommen...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Applied.</source>
        <translation>Übernommen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The host refused the rules (nothing changed): {error}</source>
        <translation>Der Host hat die Regeln abgelehnt (nichts geändert): {error}</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <location filename="../../gui/alerts/model.py" line="+33"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+86"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cleared {time} (condition ended)</source>
        <translation>Gelöscht {time} (Bedingung beendet)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cleared {time} (by an operator)</source>
        <translation>Gelöscht {time} (durch einen Operator)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared {time}</source>
        <translation>Gelöscht {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{message}
Raised {time} by rule {rule}; {state}</source>
        <translation>{message}
Ausgelöst {time} durch Regel {rule}; {state}</translation>
    </message>
</context>
<context>
    <name>AlertsPane</name>
    <message>
        <location filename="../../gui/alerts/pane.py" line="+41"/>
        <location line="+42"/>
        <source>Alerts</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;lear</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show &amp;cleared</source>
        <translation>&amp;Gelöschte anzeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Also list alerts that have ended (the hosts keep their alert history)</source>
        <translation>Auch beendete Warnungen auflisten (die Hosts bewahren ihren Warnungsverlauf auf)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Notify</source>
        <translation>Be&amp;nachrichtigen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show a desktop notification when an alert is raised</source>
        <translation>Eine Desktopbenachrichtigung anzeigen, wenn eine Warnung ausgelöst wird</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tell of new alerts: this desktop has no system tray, so they show in a notice at the top of the window</source>
        <translation>Über neue Warnungen informieren: Dieser Desktop hat keinen Infobereich, daher erscheinen sie in einem Hinweis oben im Fenster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert &amp;Rules...</source>
        <translation>Warnungs&amp;regeln...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thresholds, durations and severities of the selected host&apos;s alert rules</source>
        <translation>Schwellenwerte, Dauern und Schweregrade der Warnungsregeln des ausgewählten Hosts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert counts</source>
        <translation>Anzahl der Warnungen</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Alerts unavailable: {error}</source>
        <translation>Warnungen nicht verfügbar: {error}</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Acknowledge {count} alert(s): you have seen them; they stay until their condition ends</source>
        <translation>{count} Warnung(en) bestätigen: Sie haben sie gesehen; sie bleiben, bis ihre Bedingung endet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select active alerts to acknowledge</source>
        <translation>Wählen Sie aktive Warnungen zum Bestätigen aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear {count} alert(s) now; one whose condition persists is raised again after its rule&apos;s duration</source>
        <translation>{count} Warnung(en) jetzt löschen; eine, deren Bedingung andauert, wird nach der Dauer ihrer Regel erneut ausgelöst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select active alerts to clear</source>
        <translation>Wählen Sie aktive Warnungen zum Löschen aus</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{active} active, {unacknowledged} not acknowledged</source>
        <translation>{active} aktiv, {unacknowledged} nicht bestätigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No active alerts</source>
        <translation>Keine aktiven Warnungen</translation>
    </message>
</context>
<context>
    <name>Backends</name>
    <message>
        <location filename="../../gui/format.py" line="+14"/>
        <source>hardware virtualization (Linux KVM)</source>
        <translation>Hardwarevirtualisierung (Linux KVM)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU emulation (Unicorn): no hardware virtualization in use, guest code runs much slower</source>
        <translation>CPU-Emulation (Unicorn): keine Hardwarevirtualisierung in Verwendung, Gastcode wird viel langsamer ausgeführt</translation>
    </message>
</context>
<context>
    <name>BrowseOperations</name>
    <message>
        <location filename="../../gui/operations/browse.py" line="+14"/>
        <source>Cannot list the folder</source>
        <translation>Der Ordner kann nicht aufgelistet werden</translation>
    </message>
</context>
<context>
    <name>BulkMove</name>
    <message>
        <location filename="../../gui/wizards/migrate/bulk.py" line="+42"/>
        <source>Cannot read the VMs&apos; load</source>
        <translation>Die Last der VMs kann nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot rate the hosts</source>
        <translation>Die Hosts können nicht bewertet werden</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot describe the VMs</source>
        <translation>Die VMs können nicht beschrieben werden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cannot check the moves</source>
        <translation>Die Verschiebungen können nicht geprüft werden</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Cannot predict the moves</source>
        <translation>Die Verschiebungen können nicht vorhergesagt werden</translation>
    </message>
</context>
<context>
    <name>CheckpointOperations</name>
    <message>
        <location filename="../../gui/operations/checkpoints.py" line="+12"/>
        <source>Cannot list checkpoints</source>
        <translation>Prüfpunkte können nicht aufgelistet werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checkpoint not taken</source>
        <translation>Prüfpunkt nicht erstellt</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+10"/>
        <source>Checkpoint not applied</source>
        <translation>Prüfpunkt nicht angewendet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>VM not reverted</source>
        <translation>VM nicht zurückgesetzt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checkpoint not renamed</source>
        <translation>Prüfpunkt nicht umbenannt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checkpoint not deleted</source>
        <translation>Prüfpunkt nicht gelöscht</translation>
    </message>
</context>
<context>
    <name>CheckpointsPane</name>
    <message>
        <location filename="../../gui/widgets/checkpoints.py" line="+38"/>
        <source>Apply Checkpoint</source>
        <translation>Prüfpunkt anwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do you want to take a checkpoint of {vm} before applying {checkpoint}?</source>
        <translation>Möchten Sie einen Prüfpunkt von {vm} erstellen, bevor Sie {checkpoint} anwenden?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>If you do not, the virtual machine&apos;s current state is lost.</source>
        <translation>Andernfalls geht der aktuelle Zustand des virtuellen Computers verloren.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take Checkpoint and Apply</source>
        <translation>Prüfpunkt erstellen und anwenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+24"/>
        <location line="+191"/>
        <source>Checkpoints</source>
        <translation>Prüfpunkte</translation>
    </message>
    <message>
        <location line="-213"/>
        <source>Checkpoint</source>
        <translation>Prüfpunkt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Chec&amp;kpoint</source>
        <translation>&amp;Prüfpunkt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Apply...</source>
        <translation>&amp;Anwenden...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;vert...</source>
        <translation>Zu&amp;rücksetzen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rena&amp;me...</source>
        <translation>&amp;Umbenennen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete Checkpoint...</source>
        <translation>Prüfpunkt &amp;löschen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete Checkpoint &amp;Subtree...</source>
        <translation>Prüfpunkt&amp;unterstruktur löschen...</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Select one virtual machine to see its checkpoints.</source>
        <translation>Wählen Sie einen virtuellen Computer aus, um seine Prüfpunkte zu sehen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints: select one virtual machine ({count} are selected).</source>
        <translation>Prüfpunkte: Wählen Sie einen einzelnen virtuellen Computer aus ({count} sind ausgewählt).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checkpoints are not available on this host: {why}</source>
        <translation>Prüfpunkte sind auf diesem Host nicht verfügbar: {why}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading the checkpoints of {name}...</source>
        <translation>Prüfpunkte von {name} werden geladen...</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot list checkpoints: {why}</source>
        <translation>Prüfpunkte können nicht aufgelistet werden: {why}</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>With memory</source>
        <translation>Mit Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disk and configuration</source>
        <translation>Datenträger und Konfiguration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}: taken {when}, {kind}</source>
        <translation>{name}: erstellt {when}, {kind}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The virtual machine&apos;s current state</source>
        <translation>Der aktuelle Zustand des virtuellen Computers</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} has no checkpoints. Checkpoint keeps its configuration and disks (and memory, when it runs) to go back to later.</source>
        <translation>{name} hat keine Prüfpunkte. Ein Prüfpunkt bewahrt die Konfiguration und die Datenträger (und, wenn er ausgeführt wird, den Arbeitsspeicher), um später dorthin zurückzukehren.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>select one virtual machine</source>
        <translation>Wählen Sie einen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Take a checkpoint of {name}</source>
        <translation>Einen Prüfpunkt von {name} erstellen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Go back to {checkpoint}: the current state is lost unless you take a checkpoint first</source>
        <translation>Zu {checkpoint} zurückkehren: Der aktuelle Zustand geht verloren, wenn Sie nicht zuerst einen Prüfpunkt erstellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go back to the checkpoint the current state of {name} descends from</source>
        <translation>Zum Prüfpunkt zurückkehren, von dem der aktuelle Zustand von {name} abstammt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename {checkpoint}</source>
        <translation>{checkpoint} umbenennen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete {checkpoint}; its disk data is merged where it belongs</source>
        <translation>{checkpoint} löschen; seine Datenträgerdaten werden an der richtigen Stelle zusammengeführt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete {checkpoint} and every checkpoint under it</source>
        <translation>{checkpoint} und alle Prüfpunkte darunter löschen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{action}: {why}</source>
        <translation>{action}: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{action}: select a checkpoint in the tree</source>
        <translation>{action}: Wählen Sie einen Prüfpunkt in der Struktur aus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{action}: {name} has no checkpoint to go back to</source>
        <translation>{action}: {name} hat keinen Prüfpunkt, zu dem zurückgekehrt werden kann</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Revert Virtual Machine</source>
        <translation>Virtuellen Computer zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Are you sure you want to revert {vm} to {checkpoint}?</source>
        <translation>Möchten Sie {vm} wirklich auf {checkpoint} zurücksetzen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The virtual machine&apos;s current state is lost.</source>
        <translation>Der aktuelle Zustand des virtuellen Computers geht verloren.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>A checkpoint needs a name.</source>
        <translation>Ein Prüfpunkt braucht einen Namen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+7"/>
        <source>Not renamed: {why}</source>
        <translation>Nicht umbenannt: {why}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Delete Checkpoint Subtree</source>
        <translation>Prüfpunktunterstruktur löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Are you sure you want to delete {checkpoint} and every checkpoint under it?</source>
        <translation>Möchten Sie {checkpoint} und alle Prüfpunkte darunter wirklich löschen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete Subtree</source>
        <translation>Unterstruktur löschen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete Checkpoint</source>
        <translation>Prüfpunkt löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Are you sure you want to delete {checkpoint}?</source>
        <translation>Möchten Sie {checkpoint} wirklich löschen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This cannot be undone; the disk data the virtual machine still needs is merged into its disks.</source>
        <translation>Dies kann nicht rückgängig gemacht werden; die Datenträgerdaten, die der virtuelle Computer noch braucht, werden in seine Datenträger zusammengeführt.</translation>
    </message>
</context>
<context>
    <name>ConnectionOperations</name>
    <message>
        <location filename="../../gui/operations/connections.py" line="+17"/>
        <source>Saved libvirt connections unavailable</source>
        <translation>Gespeicherte libvirt-Verbindungen nicht verfügbar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connection not added</source>
        <translation>Verbindung nicht hinzugefügt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connection not removed</source>
        <translation>Verbindung nicht entfernt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Host groups not read</source>
        <translation>Hostgruppen nicht gelesen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Host groups not saved</source>
        <translation>Hostgruppen nicht gespeichert</translation>
    </message>
</context>
<context>
    <name>ConnectionWindow</name>
    <message>
        <location filename="../../gui/connection_window.py" line="+35"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn Off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut Down</source>
        <translation>Herunterfahren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+152"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Virtual machine</source>
        <translation>Virtueller Computer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uptime</source>
        <translation>Betriebszeit</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Console history unavailable: {error}</source>
        <translation>Konsolenverlauf nicht verfügbar: {error}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{name} is {state}: start it to type in its console</source>
        <translation>{name} ist {state}: Starten Sie den Computer, um in seiner Konsole zu schreiben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not sent: {error}</source>
        <translation>Nicht gesendet: {error}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} on {host} - Virtual Machine Connection</source>
        <translation>{name} auf {host} - Verbindung mit virtuellem Computer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Status: {state}</source>
        <translation>Status: {state}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keys go to the guest - Ctrl+Shift+C copy, Ctrl+Shift+V paste</source>
        <translation>Tasten gehen an den Gast - Strg+Umschalt+C kopiert, Strg+Umschalt+V fügt ein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} is {state}</source>
        <translation>{name} ist {state}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} no longer exists</source>
        <translation>{name} existiert nicht mehr</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Uptime: {uptime}</source>
        <translation>Betriebszeit: {uptime}</translation>
    </message>
</context>
<context>
    <name>ConvertHostPage</name>
    <message>
        <location filename="../../gui/wizards/convert/host.py" line="+28"/>
        <location line="+3"/>
        <source>Select Host</source>
        <translation>Host auswählen</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Choose the host that converts the virtual machine and keeps it. The source&apos;s path is read on that host.</source>
        <translation>Wählen Sie den Host, der den virtuellen Computer konvertiert und aufnimmt. Der Pfad der Quelle wird auf diesem Host gelesen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Free memory</source>
        <translation>Freier Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rating</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The hosts that could keep the new virtual machine, with their kind and free memory; a host that cannot take it says why (--to).</source>
        <translation>Die Hosts, die den neuen virtuellen Computer aufnehmen könnten, mit ihrer Art und ihrem freien Arbeitsspeicher; ein Host, der ihn nicht aufnehmen kann, sagt warum (--to).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not connected: {why}</source>
        <translation>nicht verbunden: {why}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>connecting</source>
        <translation>Verbindung wird hergestellt</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>not measured ({total} in all)</source>
        <translation>nicht gemessen ({total} insgesamt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this host</source>
        <translation>dieser Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{host} (source read here)</source>
        <translation>{host} (Quelle hier gelesen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Can convert</source>
        <translation>Kann konvertieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stars} stars</source>
        <translation>{stars} Sterne</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+30"/>
        <source>{host} cannot take it: {why}</source>
        <translation>{host} kann ihn nicht aufnehmen: {why}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reading the source on {host}...</source>
        <translation>Die Quelle wird auf {host} gelesen...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{host} cannot convert it: {why}</source>
        <translation>{host} kann ihn nicht konvertieren: {why}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{host} converts the disks and creates the virtual machine, Off.</source>
        <translation>{host} konvertiert die Datenträger und erstellt den virtuellen Computer im Status Aus.</translation>
    </message>
</context>
<context>
    <name>ConvertIdentityPage</name>
    <message>
        <location filename="../../gui/wizards/convert/identity.py" line="+49"/>
        <source>Specify Virtual Machine Identity</source>
        <translation>Identität des virtuellen Computers angeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name the new virtual machine; its notes will say where it came from.</source>
        <translation>Benennen Sie den neuen virtuellen Computer; seine Notizen geben an, woher er stammt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM Identity</source>
        <translation>VM-Identität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The source&apos;s description at first; the host adds where the VM came from and where its conversion report is kept</source>
        <translation>Zunächst die Beschreibung der Quelle; der Host fügt hinzu, woher der virtuelle Computer stammt und wo sein Konvertierungsbericht liegt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The new virtual machine&apos;s name on the host that converts it; the source&apos;s name at first (--name).</source>
        <translation>Der Name des neuen virtuellen Computers auf dem Host, der ihn konvertiert; zu Beginn der Name der Quelle (--name).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new virtual machine&apos;s notes; the source&apos;s description at first. The host adds where the VM came from (--notes).</source>
        <translation>Die Notizen des neuen virtuellen Computers; zu Beginn die Beschreibung der Quelle. Der Host ergänzt, woher der virtuelle Computer stammt (--notes).</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The notes can have at most {max} characters.</source>
        <translation>Die Notizen dürfen höchstens {max} Zeichen lang sein.</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>N&amp;otes:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{name} will be created on {host}, Off.</source>
        <translation>{name} wird auf {host} im Status Aus erstellt.</translation>
    </message>
</context>
<context>
    <name>ConvertNetworksPage</name>
    <message>
        <location filename="../../gui/wizards/convert/networks.py" line="+19"/>
        <source>Select Networks</source>
        <translation>Netzwerke auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect each network of the source to a virtual switch of the host.</source>
        <translation>Verbinden Sie jedes Netzwerk der Quelle mit einem virtuellen Switch des Hosts.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Networks</source>
        <translation>Netzwerke</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Connect each network of the source to a virtual switch of the host; an adapter left not connected can be connected later in the VM&apos;s settings (--network-map NETWORK=SWITCH).</source>
        <translation>Verbinden Sie jedes Netzwerk der Quelle mit einem virtuellen Switch des Hosts; ein nicht verbundener Adapter kann später in den Einstellungen des virtuellen Computers verbunden werden (--network-map NETZWERK=SWITCH).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Looking up the virtual switches of {host}...</source>
        <translation>Die virtuellen Switches von {host} werden abgefragt...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot list virtual switches: {why}</source>
        <translation>Virtuelle Switches können nicht aufgelistet werden: {why}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Switch for {network}</source>
        <translation>Switch für {network}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Network &apos;{network}&apos; (adapter {adapters}: {models}):</source>
        <translation>Netzwerk &apos;{network}&apos; (Adapter {adapters}: {models}):</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The source has no network adapters.</source>
        <translation>Die Quelle hat keine Netzwerkadapter.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{host} takes {taken} of the source&apos;s {count} network adapters; the others are not converted.</source>
        <translation>{host} übernimmt {taken} der {count} Netzwerkadapter der Quelle; die übrigen werden nicht konvertiert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The source&apos;s adapters are on no named network: the VM&apos;s adapter is left not connected.</source>
        <translation>Die Adapter der Quelle sind an kein benanntes Netzwerk angeschlossen: Der Adapter der VM bleibt nicht verbunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{host} has no virtual switches yet: the adapter is left not connected (create a switch, then choose it in the VM&apos;s settings).</source>
        <translation>{host} hat noch keine virtuellen Switches: Der Adapter bleibt nicht verbunden (erstellen Sie einen Switch und wählen Sie ihn dann in den Einstellungen der VM aus).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An adapter left not connected can be connected later in the VM&apos;s settings.</source>
        <translation>Ein nicht verbundener Adapter kann später in den Einstellungen der VM verbunden werden.</translation>
    </message>
</context>
<context>
    <name>ConvertOperations</name>
    <message>
        <location filename="../../gui/operations/convert.py" line="+19"/>
        <source>Cannot read the source</source>
        <translation>Die Quelle kann nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Virtual machine not converted</source>
        <translation>Virtueller Computer nicht konvertiert</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No script</source>
        <translation>Kein Skript</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Host information unavailable</source>
        <translation>Hostinformationen nicht verfügbar</translation>
    </message>
</context>
<context>
    <name>ConvertPathPage</name>
    <message>
        <location filename="../../gui/wizards/convert/path.py" line="+18"/>
        <source>Select Path</source>
        <translation>Pfad auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose where the converted virtual hard disks are kept, or leave it to the host.</source>
        <translation>Wählen Sie, wo die konvertierten virtuellen Festplatten gespeichert werden, oder überlassen Sie es dem Host.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The folder on the host for the converted virtual hard disks; empty: a folder of their own beside the host&apos;s store (--path).</source>
        <translation>Der Ordner auf dem Host für die konvertierten virtuellen Festplatten; leer: ein eigener Ordner neben dem Speicher des Hosts (--path).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the host&apos;s store (default)</source>
        <translation>der Speicher des Hosts (Standard)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Left empty, {host} keeps them in a folder of their own under {store}.</source>
        <translation>Bleibt das Feld leer, legt {host} sie in einem eigenen Ordner unter {store} ab.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>its store</source>
        <translation>seinem Speicher</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Browse: {why}</source>
        <translation>Durchsuchen: {why}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Give the folder&apos;s full path on {host}, from /.</source>
        <translation>Geben Sie den vollständigen Pfad des Ordners auf {host} ab / an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking the folder...</source>
        <translation>Der Ordner wird geprüft...</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The disks are written into {folder}.</source>
        <translation>Die Datenträger werden in {folder} geschrieben.</translation>
    </message>
</context>
<context>
    <name>ConvertPhysicalOperations</name>
    <message>
        <location filename="../../gui/operations/convert_physical.py" line="+16"/>
        <source>Cannot scan the machine</source>
        <translation>Der Computer kann nicht überprüft werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot plan the capture</source>
        <translation>Die Erfassung kann nicht geplant werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Physical server not converted</source>
        <translation>Physischer Server nicht konvertiert</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No script</source>
        <translation>Kein Skript</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Settings not changed</source>
        <translation>Einstellungen nicht geändert</translation>
    </message>
</context>
<context>
    <name>ConvertPhysicalWizard</name>
    <message>
        <location filename="../../gui/wizards/convert_physical/wizard.py" line="+30"/>
        <source>Convert Physical Server</source>
        <translation>Physischen Server konvertieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wizard steps</source>
        <translation>Schritte des Assistenten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the host that captures the machine&apos;s disks and keeps the virtual machine. &quot;This machine&quot; is that host&apos;s own machine: it is scanned again.</source>
        <translation>Wählen Sie den Host, der die Datenträger des Computers erfasst und den virtuellen Computer aufnimmt. „Dieser Computer“ ist der eigene Computer dieses Hosts: Er wird erneut untersucht.</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Starting the conversion on {host}...</source>
        <translation>Die Konvertierung wird auf {host} gestartet...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host did not start the conversion: {why}</source>
        <translation>Der Host hat die Konvertierung nicht gestartet: {why}</translation>
    </message>
</context>
<context>
    <name>ConvertReportPage</name>
    <message>
        <location filename="../../gui/wizards/convert/report.py" line="+19"/>
        <location line="+2"/>
        <source>Conversion Report</source>
        <translation>Konvertierungsbericht</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>What the host will make of the source. Nothing is written until Finish.</source>
        <translation>Was der Host aus der Quelle machen wird. Bis „Fertig stellen“ wird nichts geschrieben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The virtual machine&apos;s description and its disks are converted; the guest operating system is not (its drivers and boot configuration stay as they were). Networks are chosen two steps on.</source>
        <translation>Die Beschreibung des virtuellen Computers und seine Datenträger werden konvertiert, das Gastbetriebssystem nicht (seine Treiber und Startkonfiguration bleiben unverändert). Die Netzwerke werden zwei Schritte weiter ausgewählt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Conversion report</source>
        <translation>Konvertierungsbericht</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>What the host will make of the source: the disks it converts and every setting it cannot carry over, as a warning to read or for information.</source>
        <translation>Was der Host aus der Quelle macht: die Datenträger, die er konvertiert, und jede Einstellung, die er nicht übernehmen kann, als Warnung zum Lesen oder zur Information.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Planning the conversion...</source>
        <translation>Die Konvertierung wird geplant...</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Planning the conversion on {host}...</source>
        <translation>Die Konvertierung wird auf {host} geplant...</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>, not attached</source>
        <translation>, nicht angeschlossen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Disks to convert</source>
        <translation>Zu konvertierende Datenträger</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing is written until Finish.</source>
        <translation>Bis „Fertig stellen“ wird nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>ConvertSourcePage</name>
    <message>
        <location filename="../../gui/wizards/convert/source.py" line="+20"/>
        <source>Select Source</source>
        <translation>Quelle auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the virtual machine to convert: its description file (.vmx, .ovf, .ova, .vbox, libvirt or Hyper-V .xml) or the folder holding it, on the host.</source>
        <translation>Wählen Sie den zu konvertierenden virtuellen Computer: seine Beschreibungsdatei (.vmx, .ovf, .ova, .vbox, libvirt- oder Hyper-V-.xml) oder den Ordner, der sie enthält, auf dem Host.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host/vm.vmx</source>
        <translation>/pfad/auf/dem/host/vm.vmx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Folder...</source>
        <translation>&amp;Ordner...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the folder holding the virtual machine&apos;s description</source>
        <translation>Wählen Sie den Ordner, der die Beschreibung des virtuellen Computers enthält</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was recognised</source>
        <translation>Was erkannt wurde</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The path on the host of the virtual machine&apos;s description: a VMware .vmx, an OVF or OVA, a VirtualBox .vbox, a libvirt domain XML or a Hyper-V export. It is read as you type; nothing is written until Finish (bulkhead convert vm SOURCE --dry-run).</source>
        <translation>Der Pfad der Beschreibung des virtuellen Computers auf dem Host: eine VMware-.vmx, eine OVF oder OVA, eine VirtualBox-.vbox, eine libvirt-Domänen-XML oder ein Hyper-V-Export. Sie wird beim Tippen gelesen; bis Fertig stellen wird nichts geschrieben (bulkhead convert vm QUELLE --dry-run).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Browse: {why}</source>
        <translation>Durchsuchen: {why}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Give the path of the virtual machine&apos;s description on the host.</source>
        <translation>Geben Sie den Pfad der Beschreibung des virtuellen Computers auf dem Host an.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the source...</source>
        <translation>Die Quelle wird gelesen...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing is read or written until you choose a source.</source>
        <translation>Bis Sie eine Quelle auswählen, wird nichts gelesen oder geschrieben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reading the source on {host}...</source>
        <translation>Die Quelle wird auf {host} gelesen...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recognised; nothing is written until Finish.</source>
        <translation>Erkannt; bis „Fertig stellen“ wird nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>ConvertSummaryPage</name>
    <message>
        <location filename="../../gui/wizards/convert/summary.py" line="+52"/>
        <location line="+2"/>
        <location line="+1"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Check what will be converted. Back changes it; Finish starts the conversion.</source>
        <translation>Prüfen Sie, was konvertiert wird. Mit „Zurück“ ändern Sie es; „Fertig stellen“ startet die Konvertierung.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;View Script...</source>
        <translation>Skript &amp;anzeigen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the command line and the Python script that make this conversion</source>
        <translation>Die Befehlszeile und das Python-Skript anzeigen, die diese Konvertierung ausführen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Everything the conversion will do, as chosen on the pages before; Back changes it, View Script shows it as a command line and a Python script.</source>
        <translation>Alles, was die Konvertierung tun wird, wie auf den vorigen Seiten gewählt; Zurück ändert es, Skript anzeigen zeigt es als Befehlszeile und als Python-Skript.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>a folder of its own under {root}</source>
        <translation>ein eigener Ordner unter {root}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the host&apos;s store</source>
        <translation>der Speicher des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual processors</source>
        <translation>Virtuelle Prozessoren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Network &apos;{network}&apos;</source>
        <translation>Netzwerk &apos;{network}&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversion report</source>
        <translation>Konvertierungsbericht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{warnings} warnings, {infos} for information</source>
        <translation>{warnings} Warnungen, {infos} zur Information</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>After Finish</source>
        <translation>Nach „Fertig stellen“</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the host converts the disks in a job (the jobs strip shows it), then creates the VM, Off</source>
        <translation>der Host konvertiert die Datenträger in einem Auftrag (die Auftragsleiste zeigt ihn an) und erstellt dann die VM im Status Aus</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Planning the conversion...</source>
        <translation>Die Konvertierung wird geplant...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{problem} (on {host}: go back to VM Identity)</source>
        <translation>{problem} (auf {host}: gehen Sie zurück zu VM-Identität)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing is written until Finish.</source>
        <translation>Bis „Fertig stellen“ wird nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>ConvertWizard</name>
    <message>
        <location filename="../../gui/wizards/convert/common.py" line="+22"/>
        <source>VMware virtual machine (.vmx)</source>
        <translation>Virtueller VMware-Computer (.vmx)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OVF package (.ovf)</source>
        <translation>OVF-Paket (.ovf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OVA archive (.ova)</source>
        <translation>OVA-Archiv (.ova)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VirtualBox machine (.vbox)</source>
        <translation>VirtualBox-Computer (.vbox)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libvirt domain XML</source>
        <translation>libvirt-Domänen-XML</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hyper-V export</source>
        <translation>Hyper-V-Export</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(none given)</source>
        <translation>(keiner angegeben)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not given</source>
        <translation>nicht angegeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual processors</source>
        <translation>Virtuelle Prozessoren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Firmware</source>
        <translation>Firmware</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Guest operating system</source>
        <translation>Gastbetriebssystem</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Disk {n}</source>
        <translation>Datenträger {n}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Network adapter {n}</source>
        <translation>Netzwerkadapter {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{model} on {network}</source>
        <translation>{model} an {network}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no network</source>
        <translation>kein Netzwerk</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Snapshots</source>
        <translation>Snapshots</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} (left behind: the current state is converted)</source>
        <translation>{count} (nicht übernommen: der aktuelle Zustand wird konvertiert)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Warnings ({count})</source>
        <translation>Warnungen ({count})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Information ({count})</source>
        <translation>Informationen ({count})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Everything is carried over as it was.</source>
        <translation>Alles wird unverändert übernommen.</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/convert/wizard.py" line="+28"/>
        <source>Convert Virtual Machine</source>
        <translation>Virtuellen Computer konvertieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Wizard steps</source>
        <translation>Schritte des Assistenten</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Starting the conversion on {host}...</source>
        <translation>Die Konvertierung wird auf {host} gestartet...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host did not start the conversion: {why}</source>
        <translation>Der Host hat die Konvertierung nicht gestartet: {why}</translation>
    </message>
</context>
<context>
    <name>CustomizeRatingsDialog</name>
    <message>
        <location filename="../../gui/wizards/migrate/ratings.py" line="+43"/>
        <source>Customize Ratings</source>
        <translation>Bewertungen anpassen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The stars weigh how each host would fare with this VM placed on it. Changes re-rate the hosts at once.</source>
        <translation>Die Sterne gewichten, wie es jedem Host mit dieser VM ergehen würde. Änderungen bewerten die Hosts sofort neu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Placement goal</source>
        <translation>Platzierungsziel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Load balancing: spread VMs where the most stays free</source>
        <translation>&amp;Lastenausgleich: VMs dort verteilen, wo am meisten frei bleibt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resource maximization: fill hosts before using others</source>
        <translation>&amp;Ressourcenmaximierung: Hosts füllen, bevor andere verwendet werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Resource importance</source>
        <translation>Wichtigkeit der Ressourcen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;CPU:</source>
        <translation>&amp;CPU:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Memory:</source>
        <translation>&amp;Arbeitsspeicher:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Disk:</source>
        <translation>&amp;Datenträger:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Network:</source>
        <translation>&amp;Netzwerk:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The VM&apos;s expected load</source>
        <translation>Erwartete Last der VM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> IOPS</source>
        <translation> IOPS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> Mbps</source>
        <translation> Mbit/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C&amp;PU use:</source>
        <translation>C&amp;PU-Auslastung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>M&amp;emory:</source>
        <translation>Arbeits&amp;speicher:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dis&amp;k space:</source>
        <translation>Speicher&amp;platz:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk &amp;I/O:</source>
        <translation>Datenträger-&amp;E/A:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Net&amp;work:</source>
        <translation>Netz&amp;werk:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reset to &amp;Measured</source>
        <translation>Auf &amp;Messwerte zurücksetzen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>assigned to the VM</source>
        <translation>der VM zugewiesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>20 %</source>
        <translation>20 %</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>2 GB</source>
        <translation>2 GB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>0 IOPS</source>
        <translation>0 IOPS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 Mbps</source>
        <translation>0 Mbit/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not measured: SCVMM&apos;s default {value}</source>
        <translation>nicht gemessen: SCVMM-Standard {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>measured</source>
        <translation>gemessen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Give at least one resource some importance.</source>
        <translation>Geben Sie mindestens einer Ressource eine Wichtigkeit.</translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message>
        <location filename="../../gui/widgets/details.py" line="+34"/>
        <source>Operating system shutdown</source>
        <translation>Herunterfahren des Betriebssystems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time synchronization</source>
        <translation>Zeitsynchronisierung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data exchange (KVP)</source>
        <translation>Datenaustausch (KVP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Heartbeat</source>
        <translation>Takt</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Backup (volume snapshot)</source>
        <translation>Sicherung (Volumeschattenkopie)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Health</source>
        <translation>Integrität</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Uptime</source>
        <translation>Betriebszeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU usage</source>
        <translation>CPU-Auslastung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual processors</source>
        <translation>Virtuelle Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guest image</source>
        <translation>Gastimage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workload</source>
        <translation>Arbeitslast</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guest command line</source>
        <translation>Gastbefehlszeile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hard disk</source>
        <translation>Festplatte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM exits</source>
        <translation>VM-Exits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic start</source>
        <translation>Automatische Startaktion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic stop</source>
        <translation>Automatische Stoppaktion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Startup memory</source>
        <translation>Arbeitsspeicher beim Start</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned memory</source>
        <translation>Zugewiesener Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resident in the host</source>
        <translation>Im Host resident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dynamic memory</source>
        <translation>Dynamischer Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parent partition</source>
        <translation>Übergeordnete Partition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hypervisor</source>
        <translation>Hypervisor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processor</source>
        <translation>Prozessor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logical processors</source>
        <translation>Logische Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+100"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="-99"/>
        <source>Memory assigned to running VMs</source>
        <translation>Ausgeführten VMs zugewiesener Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual machines</source>
        <translation>Virtuelle Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host service</source>
        <translation>Hostdienst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Store</source>
        <translation>Speicherort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{row}:</source>
        <translation>{row}:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select a virtual machine to see its details.</source>
        <translation>Wählen Sie einen virtuellen Computer aus, um seine Details anzuzeigen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual machine details</source>
        <translation>Details des virtuellen Computers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Guest memory resident in the host</source>
        <translation>Im Host residenter Gastarbeitsspeicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resident share:</source>
        <translation>Residenter Anteil:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Adapter</source>
        <translation>Adapter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Virtual switch</source>
        <translation>Virtueller Switch</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+11"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network adapters</source>
        <translation>Netzwerkadapter</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Integration service</source>
        <translation>Integrationsdienst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Integration services</source>
        <translation>Integrationsdienste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key (KVP)</source>
        <translation>Schlüssel (KVP)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Key-value pairs from the guest</source>
        <translation>Schlüssel-Wert-Paare vom Gast</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key-value pairs exchanged with the guest (data exchange):</source>
        <translation>Mit dem Gast ausgetauschte Schlüssel-Wert-Paare (Datenaustausch):</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Networking</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integration Services</source>
        <translation>Integrationsdienste</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Boots from {image}</source>
        <translation>Startet von {image}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its disks (libvirt domain)</source>
        <translation>Seine Datenträger (libvirt-Domäne)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bundled Bulkhead guest</source>
        <translation>Mitgelieferter Bulkhead-Gast</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>synthetic SCSI over VMBus</source>
        <translation>synthetisches SCSI über VMBus</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>emulated IDE</source>
        <translation>emuliertes IDE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+6"/>
        <source>Not running</source>
        <translation>Nicht ausgeführt</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+58"/>
        <location line="+78"/>
        <source>Not available</source>
        <translation>Nicht verfügbar</translation>
    </message>
    <message>
        <location line="-133"/>
        <source>{share} % of startup memory touched by the guest</source>
        <translation>{share} % des Arbeitsspeichers beim Start vom Gast berührt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>A libvirt host ({uri}), {state}. Its hypervisor and devices are QEMU/KVM&apos;s; the console manages them through libvirt.</source>
        <translation>Ein libvirt-Host ({uri}), {state}. Hypervisor und Geräte stammen von QEMU/KVM; die Konsole verwaltet sie über libvirt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This host service: it owns guest memory, runs the device providers and serves every device request of the child partitions</source>
        <translation>Dieser Hostdienst: Er besitzt den Gastarbeitsspeicher, führt die Geräteanbieter aus und bedient jede Geräteanforderung der untergeordneten Partitionen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{memory} ({count} running)</source>
        <translation>{memory} ({count} ausgeführt)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>pid {pid}, version {version} (this console&apos;s process: libvirt is reached from here)</source>
        <translation>PID {pid}, Version {version} (der Prozess dieser Konsole: libvirt wird von hier erreicht)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>pid {pid}, version {version}</source>
        <translation>PID {pid}, Version {version}</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+2"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Network adapter</source>
        <translation>Netzwerkadapter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not connected: the VM&apos;s network adapter is not attached to a virtual switch. Choose one in Settings &gt; Network Adapter (with the VM off).</source>
        <translation>Nicht verbunden: Der Netzwerkadapter der VM ist mit keinem virtuellen Switch verbunden. Wählen Sie einen unter Einstellungen &gt; Netzwerkadapter (bei ausgeschalteter VM).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Data exchange (KVP) is off for this VM: turn integration services on in Settings.</source>
        <translation>Der Datenaustausch (KVP) ist für diese VM aus: Schalten Sie die Integrationsdienste in den Einstellungen ein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No key-value pairs yet: the guest sends its own once it runs.</source>
        <translation>Noch keine Schlüssel-Wert-Paare: Der Gast sendet seine eigenen, sobald er ausgeführt wird.</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+42"/>
        <source>Failed: {reason}</source>
        <translation>Fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Waiting for the guest&apos;s driver</source>
        <translation>Warten auf den Treiber des Gasts</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{ip} (guest reports {guest_ip})</source>
        <translation>{ip} (Gast meldet {guest_ip})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{frames} frames, {size}</source>
        <translation>{frames} Frames, {size}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Network adapter (synthetic)</source>
        <translation>Netzwerkadapter (synthetisch)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Off (turned off in Settings)</source>
        <translation>Aus (in den Einstellungen ausgeschaltet)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>On (the VM is not running)</source>
        <translation>Ein (die VM wird nicht ausgeführt)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No contact: the guest has not opened it</source>
        <translation>Kein Kontakt: Der Gast hat ihn nicht geöffnet</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>guest</source>
        <translation>Gast</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing</source>
        <translation>Nichts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start if it was running</source>
        <translation>Starten, falls er ausgeführt wurde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Always start</source>
        <translation>Immer starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut down</source>
        <translation>Herunterfahren</translation>
    </message>
</context>
<context>
    <name>DiskOperations</name>
    <message>
        <location filename="../../gui/operations/disk.py" line="+13"/>
        <source>Virtual hard disk not created</source>
        <translation>Virtuelle Festplatte nicht erstellt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot list storage pools</source>
        <translation>Speicherpools können nicht aufgelistet werden</translation>
    </message>
</context>
<context>
    <name>DiskPage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/disk.py" line="+49"/>
        <source>Connect Virtual Hard Disk</source>
        <translation>Virtuelle Festplatte verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A virtual machine needs storage to keep what its guest writes.</source>
        <translation>Ein virtueller Computer benötigt Speicher für das, was sein Gast schreibt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual Hard Disk</source>
        <translation>Virtuelle Festplatte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Create a virtual hard disk</source>
        <translation>Virtuelle Festplatte &amp;erstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Use an existing virtual hard disk</source>
        <translation>&amp;Vorhandene virtuelle Festplatte verwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Attach a virtual hard disk later</source>
        <translation>Virtuelle Festplatte &amp;später zuordnen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Make a new virtual hard disk for this VM: a dynamic VHD grows as the guest writes, a fixed one takes its whole size at once.</source>
        <translation>Eine neue virtuelle Festplatte für diesen virtuellen Computer erstellen: Eine dynamische VHD wächst, während der Gast schreibt, eine feste belegt sofort ihre ganze Größe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attach a virtual hard disk file that exists already (VHD, raw image or qcow2), for example one made with bulkhead disk new (--disk).</source>
        <translation>Eine vorhandene Datei einer virtuellen Festplatte anschließen (VHD, Raw-Abbild oder qcow2), etwa eine mit bulkhead disk new erstellte (--disk).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No disk now: add one later in the VM&apos;s settings. The bundled guest runs without a disk.</source>
        <translation>Jetzt keinen Datenträger: Fügen Sie später in den Einstellungen des virtuellen Computers einen hinzu. Der mitgelieferte Gast läuft ohne Datenträger.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new disk&apos;s file name (on a libvirt host: the name of the new volume in its storage pool).</source>
        <translation>Der Dateiname des neuen Datenträgers (auf einem libvirt-Host: der Name des neuen Volumes in seinem Speicherpool).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The folder on the host that the new disk file is created in.</source>
        <translation>Der Ordner auf dem Host, in dem die Datei des neuen Datenträgers erstellt wird.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new disk&apos;s virtual size, as the guest sees it. A dynamic disk takes space on the host only as the guest writes.</source>
        <translation>Die virtuelle Größe des neuen Datenträgers, wie der Gast sie sieht. Ein dynamischer Datenträger belegt auf dem Host erst Platz, wenn der Gast schreibt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dynamic: the file grows as the guest writes (Hyper-V&apos;s dynamically expanding VHD). Fixed: all its space is taken at once, which is a little faster.</source>
        <translation>Dynamisch: Die Datei wächst, während der Gast schreibt (die dynamisch erweiterbare VHD von Hyper-V). Fest: Der ganze Platz wird sofort belegt, was etwas schneller ist.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The full path of the existing virtual hard disk on the host.</source>
        <translation>Der vollständige Pfad der vorhandenen virtuellen Festplatte auf dem Host.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the guest reaches the disk: the synthetic controller forwards requests over the VMBus (fast, for an enlightened guest); the emulated IDE controller works with any guest, but every register access traps to the host (--disk-controller).</source>
        <translation>Wie der Gast den Datenträger erreicht: Der synthetische Controller leitet Anforderungen über den VMBus weiter (schnell, für einen aufgeklärten Gast); der emulierte IDE-Controller funktioniert mit jedem Gast, aber jeder Registerzugriff wird an den Host abgefangen (--disk-controller).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>New volume name</source>
        <translation>Name des neuen Volumes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A new volume is named after the virtual machine and its format</source>
        <translation>Ein neues Volume wird nach dem virtuellen Computer und seinem Format benannt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Bro&amp;wse...</source>
        <translation>Durch&amp;suchen...</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A storage pool of the host (virsh pool-list --all shows them)</source>
        <translation>Ein Speicherpool des Hosts (virsh pool-list --all zeigt sie an)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>GiB</source>
        <translation>GiB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Create as:</source>
        <translation>Erstellen als:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New disk place</source>
        <translation>Ort des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+30"/>
        <source>Location:</source>
        <translation>Speicherort:</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Storage pool:</source>
        <translation>Speicherpool:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New disk storage pool</source>
        <translation>Speicherpool des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+53"/>
        <source>Type:</source>
        <translation>Typ:</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>New disk name</source>
        <translation>Name des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New disk size</source>
        <translation>Größe des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder of the new disk</source>
        <translation>Ordner des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Existing virtual hard disk file</source>
        <translation>Vorhandene Datei der virtuellen Festplatte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B&amp;rowse...</source>
        <translation>Durch&amp;suchen...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Disk controller</source>
        <translation>Datenträgercontroller</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Controller:</source>
        <translation>Controller:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New disk type</source>
        <translation>Typ des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New disk format</source>
        <translation>Format des neuen Datenträgers</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>A new qcow2 or raw disk, made by the host in the job that creates the virtual machine</source>
        <translation>Ein neuer qcow2- oder Raw-Datenträger, vom Host in dem Auftrag erstellt, der den virtuellen Computer erstellt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A new VHD file on the host, made by the host as a job before the virtual machine</source>
        <translation>Eine neue VHD-Datei auf dem Host, vom Host als Auftrag vor dem virtuellen Computer erstellt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Browse the folders of {host}</source>
        <translation>Die Ordner von {host} durchsuchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The disk is a file on {host}: type its path there</source>
        <translation>Der Datenträger ist eine Datei auf {host}: Geben Sie seinen Pfad dort ein</translation>
    </message>
    <message>
        <location line="+84"/>
        <location line="+3"/>
        <source>Folder for the new virtual hard disk</source>
        <translation>Ordner für die neue virtuelle Festplatte</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Give the folder&apos;s full path on {host}, from /.</source>
        <translation>Geben Sie den vollständigen Pfad des Ordners auf {host} an, ab /.</translation>
    </message>
    <message>
        <location line="-306"/>
        <source>Give the disk&apos;s full path on {host}, from /.</source>
        <translation>Geben Sie den vollständigen Pfad des Datenträgers auf {host} an, ab /.</translation>
    </message>
    <message>
        <location line="+330"/>
        <source>Choose a virtual hard disk</source>
        <translation>Virtuelle Festplatte auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual hard disks (*.vhd *.img *.raw *.qcow2)</source>
        <translation>Virtuelle Festplatten (*.vhd *.img *.raw *.qcow2)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose the virtual hard disk file.</source>
        <translation>Wählen Sie die Datei der virtuellen Festplatte aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+17"/>
        <source>Checking the disk...</source>
        <translation>Der Datenträger wird geprüft...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Found. The host checks its format when it creates the VM.</source>
        <translation>Gefunden. Der Host prüft das Format, wenn er die VM erstellt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{host} opens it when it creates the VM (a path on that host).</source>
        <translation>{host} öffnet ihn, wenn er die VM erstellt (ein Pfad auf diesem Host).</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../gui/dialogs/export_base.py" line="+42"/>
        <source>Not connected to a host</source>
        <translation>Nicht mit einem Host verbunden</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>the host</source>
        <translation>der Host</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Virtual machine</source>
        <translation>Virtueller Computer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Virtual machine:</source>
        <translation>Virtueller Computer:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export progress</source>
        <translation>Exportfortschritt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>View &amp;Script...</source>
        <translation>&amp;Skript anzeigen...</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>{name} ({state})</source>
        <translation>{name} ({state})</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Starting the export on {host}...</source>
        <translation>Der Export wird auf {host} gestartet...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Cancel Export</source>
        <translation>Export &amp;abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the export; the host removes what it wrote</source>
        <translation>Den Export beenden; der Host entfernt, was er geschrieben hat</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Exporting {name}: {step}</source>
        <translation>{name} wird exportiert: {step}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>queued</source>
        <translation>in der Warteschlange</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Close</source>
        <translation>S&amp;chließen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The export was cancelled; nothing was kept.</source>
        <translation>Der Export wurde abgebrochen; nichts wurde behalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the job ended {state}</source>
        <translation>der Auftrag endete mit {state}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancelling the export...</source>
        <translation>Der Export wird abgebrochen...</translation>
    </message>
</context>
<context>
    <name>ExportOperations</name>
    <message>
        <location filename="../../gui/operations/export_import.py" line="+20"/>
        <source>Virtual machine not exported</source>
        <translation>Virtueller Computer nicht exportiert</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Cannot read the folder</source>
        <translation>Der Ordner kann nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Virtual machine not imported</source>
        <translation>Virtueller Computer nicht importiert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No script</source>
        <translation>Kein Skript</translation>
    </message>
</context>
<context>
    <name>ExportOva</name>
    <message>
        <location filename="../../gui/dialogs/export_ova.py" line="+30"/>
        <source>Export as OVA: {why}</source>
        <translation>Als OVA exportieren: {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export as OVA: select one virtual machine</source>
        <translation>Als OVA exportieren: Wählen Sie einen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export as OVA needs {states}; {name} is {state}</source>
        <translation>Als OVA exportieren erfordert {states}; {name} ist {state}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write {name} as an OVA package that other platforms import</source>
        <translation>{name} als OVA-Paket schreiben, das andere Plattformen importieren</translation>
    </message>
</context>
<context>
    <name>ExportOvaDialog</name>
    <message>
        <location line="+22"/>
        <source>Export as OVA - {name}</source>
        <translation>Als OVA exportieren - {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} writes {name} as an OVA package: an OVF descriptor, its virtual hard disk as a VMDK and a SHA256 manifest, which VMware, VirtualBox and others import (Convert Virtual Machine reads it back).</source>
        <translation>{host} schreibt {name} als OVA-Paket: eine OVF-Beschreibung, die virtuelle Festplatte als VMDK und ein SHA256-Manifest, das VMware, VirtualBox und andere importieren (Virtuellen Computer konvertieren liest es wieder ein).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OVA file on the host</source>
        <translation>OVA-Datei auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host/{name}.ova</source>
        <translation>/pfad/auf/dem/host/{name}.ova</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the folder on the host</source>
        <translation>Ordner auf dem Host auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;File on {host}:</source>
        <translation>Da&amp;tei auf {host}:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{host} cannot export as OVA: {why}</source>
        <translation>{host} kann nicht als OVA exportieren: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} is {state}: shut it down or save it first.</source>
        <translation>{name} ist {state}: Fahren Sie den Computer zuerst herunter oder speichern Sie ihn.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type the .ova file the host writes (a path on the host).</source>
        <translation>Geben Sie die .ova-Datei ein, die der Host schreibt (ein Pfad auf dem Host).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give the full path on the host (starting with /).</source>
        <translation>Geben Sie den vollständigen Pfad auf dem Host an (beginnend mit /).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An OVA&apos;s file name ends in .ova.</source>
        <translation>Der Dateiname einer OVA endet auf .ova.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The host writes the package under a temporary name and renames it once whole; an existing file is never overwritten. {name} cannot start while it is exported.</source>
        <translation>Der Host schreibt das Paket unter einem temporären Namen und benennt es erst um, wenn es vollständig ist; eine vorhandene Datei wird nie überschrieben. {name} kann während des Exports nicht gestartet werden.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Folder for the OVA on {host}</source>
        <translation>Ordner für die OVA auf {host}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{name} is written to {path} ({size}).</source>
        <translation>{name} wurde nach {path} geschrieben ({size}).</translation>
    </message>
</context>
<context>
    <name>ExportOvaOperations</name>
    <message>
        <location filename="../../gui/operations/export_ova.py" line="+14"/>
        <source>Cannot list the folder</source>
        <translation>Der Ordner kann nicht aufgelistet werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Virtual machine not exported</source>
        <translation>Virtueller Computer nicht exportiert</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No script</source>
        <translation>Kein Skript</translation>
    </message>
</context>
<context>
    <name>ExportVm</name>
    <message>
        <location filename="../../gui/dialogs/export_vm.py" line="+36"/>
        <source>Export: {why}</source>
        <translation>Exportieren: {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export: select one virtual machine</source>
        <translation>Exportieren: Wählen Sie einen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export needs {states}; {name} is {state}</source>
        <translation>Exportieren erfordert {states}; {name} ist {state}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export {name} with its disks, checkpoints and saved state into a folder of its host</source>
        <translation>{name} mit seinen Datenträgern, Prüfpunkten und dem gespeicherten Zustand in einen Ordner seines Hosts exportieren</translation>
    </message>
</context>
<context>
    <name>ExportVmDialog</name>
    <message>
        <location line="+17"/>
        <source>Export Virtual Machine - {name}</source>
        <translation>Virtuellen Computer exportieren - {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Specify where you want to save the files. {host} writes a folder named after the virtual machine there, with its configuration, virtual hard disks, checkpoints and saved state, which Import Virtual Machine reads back here or on another Bulkhead host.</source>
        <translation>Geben Sie an, wo die Dateien gespeichert werden sollen. {host} schreibt dort einen Ordner mit dem Namen des virtuellen Computers, mit seiner Konfiguration, seinen virtuellen Festplatten, Prüfpunkten und dem gespeicherten Zustand, den &quot;Virtuellen Computer importieren&quot; hier oder auf einem anderen Bulkhead-Host wieder einliest.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Folder on the host</source>
        <translation>Ordner auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host</source>
        <translation>/pfad/auf/dem/host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the folder on the host</source>
        <translation>Den Ordner auf dem Host auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Location on {host}:</source>
        <translation>&amp;Speicherort auf {host}:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What is written</source>
        <translation>Was geschrieben wird</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{host} cannot export virtual machines: {why}</source>
        <translation>{host} kann keine virtuellen Computer exportieren: {why}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} is {state}: wait until it is off, saved or running.</source>
        <translation>{name} ist {state}: Warten Sie, bis er ausgeschaltet, gespeichert oder ausgeführt wird.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the folder on the host to export into.</source>
        <translation>Wählen Sie den Ordner auf dem Host aus, in den exportiert werden soll.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give the full path on the host (starting with /).</source>
        <translation>Geben Sie den vollständigen Pfad auf dem Host an (beginnend mit /).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Writes {path}</source>
        <translation>Schreibt {path}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{name} is {state}: it is exported as it is at that moment, through a checkpoint the host takes and deletes again (Saved in the export); it keeps running.</source>
        <translation>{name} ist {state}: Er wird so exportiert, wie er in diesem Moment ist, über einen Prüfpunkt, den der Host erstellt und wieder löscht (im Export gespeichert); er wird weiter ausgeführt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The host writes the folder under a temporary name and renames it once whole; an existing folder is never overwritten. {name} cannot start while it is exported.</source>
        <translation>Der Host schreibt den Ordner unter einem temporären Namen und benennt ihn um, sobald er vollständig ist; ein vorhandener Ordner wird nie überschrieben. {name} kann während des Exports nicht gestartet werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export location on {host}</source>
        <translation>Exportspeicherort auf {host}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} is written to {path}: {size} in {files} files, checkpoints: {count}.</source>
        <translation>{name} wurde nach {path} geschrieben: {size} in {files} Dateien, Prüfpunkte: {count}.</translation>
    </message>
</context>
<context>
    <name>FieldMessage</name>
    <message>
        <location filename="../../gui/widgets/field_message.py" line="+85"/>
        <source>Problem: {text}</source>
        <translation>Problem: {text}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note: {text}</source>
        <translation>Hinweis: {text}</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../gui/format.py" line="+35"/>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{min} min</source>
        <translation>{min} min</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{rate}/s</source>
        <translation>{rate}/s</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Idle</source>
        <translation>Leerlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bursty CPU</source>
        <translation>Stoßweise CPU-Last</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Steady CPU load {percent}%</source>
        <translation>Gleichmäßige CPU-Last {percent}%</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory dirtier {rate} MiB/s</source>
        <translation>Arbeitsspeicheränderung {rate} MiB/s</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <location filename="../../gui/help/window.py" line="+163"/>
        <source>Bulkhead User Guide</source>
        <translation>Bulkhead-Benutzerhandbuch</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Guide toolbar</source>
        <translation>Symbolleiste des Handbuchs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Forward</source>
        <translation>&amp;Vorwärts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Contents</source>
        <translation>&amp;Inhalt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Find in the guide (Enter: next)</source>
        <translation>Im Handbuch suchen (Eingabetaste: weiter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find in the guide</source>
        <translation>Im Handbuch suchen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../gui/help/__init__.py" line="+33"/>
        <source>en</source>
        <translation>de</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>&amp;User Guide</source>
        <translation>&amp;Benutzerhandbuch</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open the user guide at the chapter of what has focus</source>
        <translation>Das Benutzerhandbuch beim Kapitel zu dem öffnen, was den Fokus hat</translation>
    </message>
</context>
<context>
    <name>HostBrowserDialog</name>
    <message>
        <location filename="../../gui/dialogs/host_browser.py" line="+71"/>
        <source>the host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse {host}</source>
        <translation>{host} durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder on the host</source>
        <translation>Ordner auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host</source>
        <translation>/pfad/auf/dem/host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Up</source>
        <translation>&amp;Nach oben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Up one folder</source>
        <translation>Einen Ordner nach oben</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folders and files on the host</source>
        <translation>Ordner und Dateien auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Modified</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Show &amp;hidden items</source>
        <translation>&amp;Ausgeblendete Elemente anzeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Free space</source>
        <translation>Freier Speicherplatz</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Select &amp;Folder</source>
        <translation>Ordner aus&amp;wählen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Select</source>
        <translation>Aus&amp;wählen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Listing {path}...</source>
        <translation>{path} wird aufgelistet...</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the host&apos;s folder</source>
        <translation>Der Ordner des Hosts</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{free} free of {total}</source>
        <translation>{free} von {total} frei</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Only the first {n} entries are shown: type a path to go further.</source>
        <translation>Nur die ersten {n} Einträge werden angezeigt: Geben Sie einen Pfad ein, um weiterzugehen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} items with names that cannot be used in a path are not shown.</source>
        <translation>{n} Elemente mit Namen, die in einem Pfad nicht verwendet werden können, werden nicht angezeigt.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>A link to a {what}</source>
        <translation>Ein Link auf {what}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>folder</source>
        <translation>einen Ordner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>file</source>
        <translation>eine Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing target</source>
        <translation>ein fehlendes Ziel</translation>
    </message>
</context>
<context>
    <name>HostErrors</name>
    <message>
        <location filename="../../gui/dialogs/messages.py" line="+17"/>
        <source>en</source>
        <comment>the language code of this translation (de for German)</comment>
        <translation>de</translation>
    </message>
</context>
<context>
    <name>HostGroups</name>
    <message>
        <location filename="../../gui/groups.py" line="+21"/>
        <source>All Hosts</source>
        <translation>Alle Hosts</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>cannot move group &apos;{name}&apos; into itself or one of its subgroups</source>
        <translation>Die Gruppe „{name}“ kann nicht in sich selbst oder eine ihrer Untergruppen verschoben werden</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>a host needs a name</source>
        <translation>Ein Host benötigt einen Namen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;{name}&apos; cannot be renamed, moved or deleted</source>
        <translation>„{name}“ kann nicht umbenannt, verschoben oder gelöscht werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+5"/>
        <source>that group no longer exists</source>
        <translation>Diese Gruppe existiert nicht mehr</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a group name cannot be empty</source>
        <translation>Ein Gruppenname darf nicht leer sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a group name can have at most {count} characters</source>
        <translation>Ein Gruppenname darf höchstens {count} Zeichen haben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a group name cannot contain control characters</source>
        <translation>Ein Gruppenname darf keine Steuerzeichen enthalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;{name}&apos; is the root&apos;s name</source>
        <translation>„{name}“ ist der Name des Stamms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>there is already a group named &apos;{name}&apos; here</source>
        <translation>Hier gibt es bereits eine Gruppe namens „{name}“</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>cannot read host groups from {path}: {error}</source>
        <translation>Hostgruppen können nicht aus {path} gelesen werden: {error}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>host groups file {path} is damaged ({error}); starting with none</source>
        <translation>Die Hostgruppendatei {path} ist beschädigt ({error}); es wird ohne begonnen</translation>
    </message>
</context>
<context>
    <name>HostOperations</name>
    <message>
        <location filename="../../gui/operations/host.py" line="+12"/>
        <source>Host information unavailable</source>
        <translation>Hostinformationen nicht verfügbar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Host limits unavailable</source>
        <translation>Hostgrenzen nicht verfügbar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot reconnect</source>
        <translation>Erneute Verbindung nicht möglich</translation>
    </message>
</context>
<context>
    <name>HostsMixin</name>
    <message>
        <location filename="../../gui/main_window/hosts.py" line="+30"/>
        <source>connecting</source>
        <translation>wird verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connecting...</source>
        <translation>wird verbunden...</translation>
    </message>
    <message>
        <location line="+54"/>
        <location line="+335"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="-332"/>
        <source>Cannot connect to the host service</source>
        <translation>Keine Verbindung mit dem Hostdienst möglich</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+96"/>
        <source>Try Again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location line="-86"/>
        <source>Connecting to the host service...</source>
        <translation>Verbindung mit dem Hostdienst wird hergestellt...</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>libvirt connection {uri}: {state}</source>
        <translation>libvirt-Verbindung {uri}: {state}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; {hypervisor} host, {cpus} CPUs, {memory}</source>
        <translation>; {hypervisor}-Host, {cpus} CPUs, {memory}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; reconnecting on its own</source>
        <translation>; Verbindung wird selbst wiederhergestellt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Parent partition of {host}: {cpus} logical processors, {memory} memory, {backend}</source>
        <translation>Übergeordnete Partition von {host}: {cpus} logische Prozessoren, {memory} Arbeitsspeicher, {backend}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{host}
{cpus} CPUs, {memory}, {backend}</source>
        <translation>{host}
{cpus} CPUs, {memory}, {backend}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Connecting to the hosts...</source>
        <translation>Verbindung mit den Hosts wird hergestellt...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot connect to {host}</source>
        <translation>Keine Verbindung mit {host} möglich</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connecting to {host}...</source>
        <translation>Verbindung mit {host} wird hergestellt...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connections to other hosts are made in the background.</source>
        <translation>Verbindungen mit anderen Hosts werden im Hintergrund hergestellt.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{title}: {message}</source>
        <translation>{title}: {message}</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Added {name} ({uri}); connecting in the background</source>
        <translation>{name} ({uri}) hinzugefügt; Verbindung wird im Hintergrund hergestellt</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Remove connection</source>
        <translation>Verbindung entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the connection to {host}?</source>
        <translation>Die Verbindung mit {host} entfernen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The console and the command line forget {uri}. Nothing on that host changes: its virtual machines keep running.</source>
        <translation>Die Konsole und die Befehlszeile vergessen {uri}. Auf diesem Host ändert sich nichts: Seine virtuellen Computer werden weiter ausgeführt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Connecting...</source>
        <translation>Wird verbunden...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected, {ms} ms</source>
        <translation>Verbunden, {ms} ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disconnected: {reason}</source>
        <translation>Getrennt: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disconnected</source>
        <translation>Getrennt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reconnecting in {seconds} s</source>
        <translation>Erneute Verbindung in {seconds} s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting...</source>
        <translation>Verbindung wird wiederhergestellt...</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Bulkhead host {uri}: {state}</source>
        <translation>Bulkhead-Host {uri}: {state}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{cpus} CPUs, {memory}, {backend}</source>
        <translation>{cpus} CPUs, {memory}, {backend}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{backend}; version {version}</source>
        <translation>{backend}; Version {version}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>; up {uptime}</source>
        <translation>; Betriebszeit {uptime}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{cpus} logical processors ({model}), {memory} memory</source>
        <translation>{cpus} logische Prozessoren ({model}), {memory} Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Link latency {ms} ms, connected in {connect} ms</source>
        <translation>Verbindungslatenz {ms} ms, verbunden in {connect} ms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reconnecting on its own (Reconnect tries now)</source>
        <translation>Verbindung wird selbst wiederhergestellt („Erneut verbinden“ versucht es sofort)</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>New Group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New Group {number}</source>
        <translation>Neue Gruppe {number}</translation>
    </message>
</context>
<context>
    <name>ImportSummaryPage</name>
    <message>
        <location filename="../../gui/wizards/import_vm/summary.py" line="+17"/>
        <location line="+3"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Check what will be imported. Back changes it; Finish starts the import.</source>
        <translation>Prüfen Sie, was importiert wird. &quot;Zurück&quot; ändert es; &quot;Fertig stellen&quot; startet den Import.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;View Script...</source>
        <translation>Skript &amp;anzeigen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the command line and the Python script that make this import</source>
        <translation>Die Befehlszeile und das Python-Skript anzeigen, die diesen Import ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Everything the import will do, as chosen on the pages before; Back changes it, View Script shows it as a command line and a Python script.</source>
        <translation>Alles, was der Import tun wird, wie auf den vorigen Seiten gewählt; Zurück ändert es, Skript anzeigen zeigt es als Befehlszeile und als Python-Skript.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual machine</source>
        <translation>Virtueller Computer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{name} ({id})</source>
        <translation>{name} ({id})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import type</source>
        <translation>Importtyp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To copy</source>
        <translation>Zu kopieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{files} files, {size}</source>
        <translation>{files} Dateien, {size}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checkpoints</source>
        <translation>Prüfpunkte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After Finish</source>
        <translation>Nach &quot;Fertig stellen&quot;</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the host checks every file against export.json while it copies them into its store in a job (the jobs strip shows it), then adds the virtual machine, {state}; a changed or damaged file stops it and nothing is kept</source>
        <translation>Der Host prüft jede Datei anhand von export.json, während er sie in einem Auftrag in seinen Speicher kopiert (die Auftragsleiste zeigt ihn), und fügt dann den virtuellen Computer hinzu, {state}; eine geänderte oder beschädigte Datei bricht ihn ab und nichts wird behalten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New ID</source>
        <translation>Neue ID</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>made by the host</source>
        <translation>vom Host erstellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Virtual switch</source>
        <translation>Virtueller Switch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{switch} (not connected if {host} has none of that name)</source>
        <translation>{switch} (nicht verbunden, wenn {host} keinen mit diesem Namen hat)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{problem} (go back to Choose Import Type)</source>
        <translation>{problem} (zurück zu &quot;Importtyp auswählen&quot;)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing is written until Finish.</source>
        <translation>Bis &quot;Fertig stellen&quot; wird nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>ImportTypePage</name>
    <message>
        <location filename="../../gui/wizards/import_vm/import_type.py" line="+20"/>
        <source>Choose Import Type</source>
        <translation>Importtyp auswählen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose the type of import to perform.</source>
        <translation>Wählen Sie den Typ des auszuführenden Imports aus.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Register the virtual machine where its files are. This host keeps every virtual machine in its own store, so it refuses this (--register).</source>
        <translation>Den virtuellen Computer dort registrieren, wo seine Dateien liegen. Dieser Host hält jeden virtuellen Computer in seinem eigenen Speicher und lehnt das daher ab (--register).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the files into the host&apos;s store and keep the virtual machine&apos;s unique ID: refused if a virtual machine with that ID exists here (--copy).</source>
        <translation>Die Dateien in den Speicher des Hosts kopieren und die eindeutige ID des virtuellen Computers behalten: abgelehnt, wenn es hier einen virtuellen Computer mit dieser ID gibt (--copy).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy the files into the host&apos;s store under a new unique ID, so that the same export can be imported again (--new-id).</source>
        <translation>Die Dateien unter einer neuen eindeutigen ID in den Speicher des Hosts kopieren, sodass derselbe Export erneut importiert werden kann (--new-id).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The imported virtual machine&apos;s name; the exported name at first (--name).</source>
        <translation>Der Name des importierten virtuellen Computers; zu Beginn der exportierte Name (--name).</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Give the virtual machine a name.</source>
        <translation>Geben Sie dem virtuellen Computer einen Namen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A virtual machine named {name} already exists on {host}: give another name.</source>
        <translation>Auf {host} ist bereits ein virtueller Computer namens {name} vorhanden: Geben Sie einen anderen Namen an.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose the type of import.</source>
        <translation>Wählen Sie den Importtyp aus.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The files are copied into the host&apos;s store; the virtual machine keeps its unique ID, so this export cannot be restored here a second time.</source>
        <translation>Die Dateien werden in den Speicher des Hosts kopiert; der virtuelle Computer behält seine eindeutige ID, daher kann dieser Export hier kein zweites Mal wiederhergestellt werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The files are copied into the host&apos;s store under a new unique ID: the same export can be imported again.</source>
        <translation>Die Dateien werden unter einer neuen eindeutigen ID in den Speicher des Hosts kopiert: Derselbe Export kann erneut importiert werden.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../gui/wizards/import_vm/common.py" line="+20"/>
        <source>Register the virtual machine in-place</source>
        <translation>Virtuellen Computer registrieren (direkt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore the virtual machine (use the existing unique ID)</source>
        <translation>Virtuellen Computer wiederherstellen (vorhandene eindeutige ID verwenden)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the virtual machine (create a new unique ID)</source>
        <translation>Virtuellen Computer kopieren (neue eindeutige ID erstellen)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{host} keeps every virtual machine in its own folder of its store and cannot register one in place: restore or copy it.</source>
        <translation>{host} hält jeden virtuellen Computer in einem eigenen Ordner seines Speichers und kann keinen direkt registrieren: Stellen Sie ihn wieder her oder kopieren Sie ihn.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A virtual machine with this ID ({name}) already exists on {host}: copy it with a new ID.</source>
        <translation>Auf {host} ist bereits ein virtueller Computer mit dieser ID vorhanden ({name}): Kopieren Sie ihn mit einer neuen ID.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} files, {size}</source>
        <translation>{count} Dateien, {size}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} ({memory} with memory)</source>
        <translation>{count} ({memory} mit Arbeitsspeicher)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual processors</source>
        <translation>Virtuelle Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual hard disks</source>
        <translation>Virtuelle Festplatten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints</source>
        <translation>Prüfpunkte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved state</source>
        <translation>Gespeicherter Zustand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Virtual switch</source>
        <translation>Virtueller Switch</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported</source>
        <translation>Exportiert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{when} on {host} (version {version})</source>
        <translation>{when} auf {host} (Version {version})</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/import_vm/wizard.py" line="+44"/>
        <source>Import Virtual Machine</source>
        <translation>Virtuellen Computer importieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wizard steps</source>
        <translation>Schritte des Assistenten</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not connected: {why}</source>
        <translation>nicht verbunden: {why}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>connecting</source>
        <translation>Verbindung wird hergestellt</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Starting the import on {host}...</source>
        <translation>Import auf {host} wird gestartet...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host did not start the import: {why}</source>
        <translation>Der Host hat den Import nicht gestartet: {why}</translation>
    </message>
</context>
<context>
    <name>InstallPage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/installation.py" line="+49"/>
        <location line="+2"/>
        <source>Installation Options</source>
        <translation>Installationsoptionen</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Choose the guest the virtual machine boots.</source>
        <translation>Wählen Sie den Gast, den der virtuelle Computer startet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The &amp;bundled Bulkhead guest, running a workload profile</source>
        <translation>Der &amp;mitgelieferte Bulkhead-Gast mit einem Arbeitslastprofil</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Another guest image file (ELF64)</source>
        <translation>&amp;Andere Gastimagedatei (ELF64)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Workload profile</source>
        <translation>Arbeitslastprofil</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Workload amount</source>
        <translation>Umfang der Arbeitslast</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Workload:</source>
        <translation>Arbeits&amp;last:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount:</source>
        <translation>Umfang:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Guest image file</source>
        <translation>Gastimagedatei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>B&amp;rowse...</source>
        <translation>Durch&amp;suchen...</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Extra guest command line</source>
        <translation>Zusätzliche Gastbefehlszeile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>optional: more words for the guest kernel&apos;s command line</source>
        <translation>optional: weitere Wörter für die Befehlszeile des Gastkernels</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extra guest &amp;command line:</source>
        <translation>Zusätzliche Gast&amp;befehlszeile:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Integration services (heartbeat, shutdown, time sync, data exchange)</source>
        <translation>&amp;Integrationsdienste (Takt, Herunterfahren, Zeitsynchronisierung, Datenaustausch)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offered to the guest over VMBus; the bundled guest uses all of them</source>
        <translation>Dem Gast über VMBus angeboten; der mitgelieferte Gast verwendet alle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings of this host</source>
        <translation>Einstellungen dieses Hosts</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Bulkhead&apos;s own small guest kernel, running a workload you choose so that the graphs have something to show.</source>
        <translation>Der kleine Gastkernel von Bulkhead, der eine gewählte Arbeitslast ausführt, damit die Diagramme etwas zeigen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A guest kernel of your own: an ELF64 image built for Bulkhead&apos;s guest interface (--image).</source>
        <translation>Ein eigener Gastkernel: ein ELF64-Abbild, das für die Gastschnittstelle von Bulkhead erstellt wurde (--image).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What the bundled guest does once started: nothing, a steady CPU load, memory dirtied at a rate (to watch a live migration), or bursts (--workload).</source>
        <translation>Was der mitgelieferte Gast nach dem Start tut: nichts, eine gleichmäßige CPU-Last, Arbeitsspeicher mit einer bestimmten Rate ändern (um eine Livemigration zu beobachten) oder Lastspitzen (--workload).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The workload&apos;s amount: the CPU load in percent, or the MiB of memory dirtied per second.</source>
        <translation>Die Menge der Arbeitslast: die CPU-Last in Prozent oder die pro Sekunde geänderten MiB Arbeitsspeicher.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The guest image file&apos;s full path on the host.</source>
        <translation>Der vollständige Pfad der Gastabbilddatei auf dem Host.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>More words for the guest kernel&apos;s command line, after the ones Bulkhead gives it (--cmdline).</source>
        <translation>Weitere Wörter für die Befehlszeile des Gastkernels, nach denen, die Bulkhead ihm gibt (--cmdline).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offer the integration services over the VMBus: the heartbeat (the Heartbeat column), shutdown through the guest, time synchronisation and key-value data exchange (--no-integration-services turns them off).</source>
        <translation>Die Integrationsdienste über den VMBus anbieten: den Takt (die Spalte Takt), das Herunterfahren über den Gast, die Zeitsynchronisierung und den Datenaustausch mit Schlüssel-Wert-Paaren (--no-integration-services schaltet sie aus).</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>CPU load in percent</source>
        <translation>CPU-Last in Prozent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory dirtied per second, MiB</source>
        <translation>Pro Sekunde geänderter Arbeitsspeicher, MiB</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Give the image&apos;s full path on {host}, from /.</source>
        <translation>Geben Sie den vollständigen Pfad des Images auf {host} an, ab /.</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>Choose a guest image</source>
        <translation>Gastimage auswählen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ELF images (*.elf)</source>
        <translation>ELF-Images (*.elf)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Choose a guest image file.</source>
        <translation>Wählen Sie eine Gastimagedatei aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <source>Checking the image...</source>
        <translation>Das Image wird geprüft...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An ELF64 image: the host checks it fits the memory when it creates the VM.</source>
        <translation>Ein ELF64-Image: Der Host prüft beim Erstellen der VM, ob es in den Arbeitsspeicher passt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{host} reads it when it creates the VM (a path on that host).</source>
        <translation>{host} liest es, wenn er die VM erstellt (ein Pfad auf diesem Host).</translation>
    </message>
</context>
<context>
    <name>JobDetailsDialog</name>
    <message>
        <location filename="../../gui/dialogs/job_details.py" line="+18"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Job {id}: {name}</source>
        <translation>Auftrag {id}: {name}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{field}:</source>
        <translation>{field}:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress:</source>
        <translation>Fortschritt:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error:</source>
        <translation>Fehler:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel Job</source>
        <translation>Auftrag abbrechen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name} (id {id})</source>
        <translation>{name} (ID {id})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stopped at: {step}</source>
        <translation>Angehalten bei: {step}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot cancel: {error}</source>
        <translation>Abbrechen nicht möglich: {error}</translation>
    </message>
</context>
<context>
    <name>JobOperations</name>
    <message>
        <location filename="../../gui/operations/jobs.py" line="+13"/>
        <source>Job history unavailable</source>
        <translation>Auftragsverlauf nicht verfügbar</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Job unavailable</source>
        <translation>Auftrag nicht verfügbar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot cancel the job</source>
        <translation>Der Auftrag kann nicht abgebrochen werden</translation>
    </message>
</context>
<context>
    <name>JobTitles</name>
    <message>
        <location filename="../../gui/models/jobs.py" line="+29"/>
        <source>Apply checkpoint</source>
        <translation>Prüfpunkt anwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change VM settings</source>
        <translation>Einstellungen des virtuellen Computers ändern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Convert VM</source>
        <translation>Virtuellen Computer konvertieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Convert physical server</source>
        <translation>Physischen Server konvertieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Create checkpoint</source>
        <translation>Prüfpunkt erstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete checkpoint</source>
        <translation>Prüfpunkt löschen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete checkpoint subtree</source>
        <translation>Prüfpunktunterstruktur löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export VM as OVA</source>
        <translation>Virtuellen Computer als OVA exportieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export VM</source>
        <translation>Virtuellen Computer exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Migrate VM</source>
        <translation>Virtuellen Computer migrieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Import VM</source>
        <translation>Virtuellen Computer importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move VM storage</source>
        <translation>Speicher des virtuellen Computers verschieben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move VM to another Bulkhead host</source>
        <translation>Virtuellen Computer auf einen anderen Bulkhead-Host verschieben</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New VM</source>
        <translation>Neuer virtueller Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New virtual hard disk</source>
        <translation>Neue virtuelle Festplatte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New virtual switch</source>
        <translation>Neuer virtueller Switch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause VM</source>
        <translation>Virtuellen Computer anhalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove VM</source>
        <translation>Virtuellen Computer löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove virtual switch</source>
        <translation>Virtuellen Switch entfernen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rename checkpoint</source>
        <translation>Prüfpunkt umbenennen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename virtual switch</source>
        <translation>Virtuellen Switch umbenennen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reset VM</source>
        <translation>Virtuellen Computer zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolve an unconfirmed move</source>
        <translation>Unbestätigte Verschiebung klären</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolve VM move</source>
        <translation>Verschiebung des virtuellen Computers klären</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume VM</source>
        <translation>Virtuellen Computer fortsetzen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Revert VM</source>
        <translation>Virtuellen Computer auf Prüfpunkt zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save VM</source>
        <translation>Virtuellen Computer speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set KVP</source>
        <translation>Schlüssel-Wert-Paar festlegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set a key-value pair</source>
        <translation>Schlüssel-Wert-Paar festlegen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shut down VM</source>
        <translation>Virtuellen Computer herunterfahren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start VM</source>
        <translation>Virtuellen Computer starten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop VM</source>
        <translation>Virtuellen Computer beenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off VM</source>
        <translation>Virtuellen Computer ausschalten</translation>
    </message>
</context>
<context>
    <name>JobsModel</name>
    <message>
        <location line="-25"/>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running</source>
        <translation>Wird ausgeführt</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+49"/>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location line="-49"/>
        <location line="+41"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="-40"/>
        <location line="+42"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Completed in {seconds} s</source>
        <translation>Abgeschlossen in {seconds} s</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Double-click for details</source>
        <translation>Doppelklicken für Details</translation>
    </message>
</context>
<context>
    <name>JobsStrip</name>
    <message>
        <location filename="../../gui/widgets/jobs_strip.py" line="+20"/>
        <source>Jobs: running and recent operations</source>
        <translation>Aufträge: laufende und letzte Vorgänge</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <location filename="../../gui/main_window/language_menu.py" line="+16"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Follow the System</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Bulkhead will follow the system&apos;s language from its next start</source>
        <translation>Bulkhead verwendet ab dem nächsten Start die Sprache des Systems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead will speak {language} from its next start</source>
        <translation>Bulkhead verwendet ab dem nächsten Start {language}</translation>
    </message>
</context>
<context>
    <name>LayoutMixin</name>
    <message>
        <location filename="../../gui/main_window/layout.py" line="+51"/>
        <source>Virtual machines</source>
        <translation>Virtuelle Computer</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Search virtual machines by name or state (Ctrl+F)</source>
        <translation>Virtuelle Computer nach Name oder Status suchen (Strg+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search virtual machines</source>
        <translation>Virtuelle Computer suchen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Find</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connecting to the host service...</source>
        <translation>Verbindung mit dem Hostdienst wird hergestellt...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bulkhead starts the host service on first use; this takes a moment.</source>
        <translation>Bulkhead startet den Hostdienst bei der ersten Verwendung; das dauert einen Moment.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No virtual machines yet</source>
        <translation>Noch keine virtuellen Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A virtual machine runs the bundled guest (or your own image) on this host&apos;s hardware virtualization. Create one to get started: the wizard shows the command line and script that do the same.</source>
        <translation>Ein virtueller Computer führt den mitgelieferten Gast (oder Ihr eigenes Image) mit der Hardwarevirtualisierung dieses Hosts aus. Erstellen Sie einen, um zu beginnen: Der Assistent zeigt die Befehlszeile und das Skript, die dasselbe tun.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New Virtual Machine...</source>
        <translation>Neuer virtueller Computer...</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Performance</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checkpoints</source>
        <translation>Prüfpunkte</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&lt;b&gt;Virtual Machines&lt;/b&gt; on {host}</source>
        <translation>&lt;b&gt;Virtuelle Computer&lt;/b&gt; auf {host}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Virtual Machines&lt;/b&gt;</source>
        <translation>&lt;b&gt;Virtuelle Computer&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Navigation</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+14"/>
        <location line="+1"/>
        <source>Alerts</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Alerts ({count})</source>
        <translation>Warnungen ({count})</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Shown when the list spans several hosts (All Hosts or a host group)</source>
        <translation>Angezeigt, wenn die Liste mehrere Hosts umfasst (Alle Hosts oder eine Hostgruppe)</translation>
    </message>
</context>
<context>
    <name>LocateFolderPage</name>
    <message>
        <location filename="../../gui/wizards/import_vm/locate.py" line="+19"/>
        <source>Locate Folder</source>
        <translation>Ordner suchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Specify the folder containing the virtual machine to import.</source>
        <translation>Geben Sie den Ordner an, der den zu importierenden virtuellen Computer enthält.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host</source>
        <translation>/pfad/auf/dem/host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the folder on the host</source>
        <translation>Den Ordner auf dem Host auswählen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The host that imports the virtual machine; the folder is read on that host, never on this machine.</source>
        <translation>Der Host, der den virtuellen Computer importiert; der Ordner wird auf diesem Host gelesen, nie auf diesem Computer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The folder on the host that Export wrote (holding export.json), or a folder above it: its subfolders are read (bulkhead vm import FOLDER).</source>
        <translation>Der Ordner auf dem Host, den der Export geschrieben hat (mit export.json), oder ein Ordner darüber: Seine Unterordner werden gelesen (bulkhead vm import ORDNER).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>this host</source>
        <translation>dieser Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} (cannot import)</source>
        <translation>{host} (kann nicht importieren)</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>{host} cannot import virtual machines: {why}</source>
        <translation>{host} kann keine virtuellen Computer importieren: {why}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Give the folder on the host that holds the exported virtual machine.</source>
        <translation>Geben Sie den Ordner auf dem Host an, der den exportierten virtuellen Computer enthält.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give the full path on the host (starting with /).</source>
        <translation>Geben Sie den vollständigen Pfad auf dem Host an (beginnend mit /).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the folder...</source>
        <translation>Der Ordner wird gelesen...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{folder} holds no virtual machine that can be imported: {why}</source>
        <translation>{folder} enthält keinen virtuellen Computer, der importiert werden kann: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} holds no exported virtual machine (no export.json there or in its subfolders).</source>
        <translation>{folder} enthält keinen exportierten virtuellen Computer (keine export.json dort oder in seinen Unterordnern).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Found {count} virtual machine(s); nothing is written until Finish.</source>
        <translation>{count} virtuelle(r) Computer gefunden; bis &quot;Fertig stellen&quot; wird nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window/window.py" line="+68"/>
        <source>Bulkhead - Virtual Machine Manager</source>
        <translation>Bulkhead - Verwaltung virtueller Computer</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual machine</source>
        <translation>Virtueller Computer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Virtual switches of {host}</source>
        <translation>Virtuelle Switches von {host}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this host</source>
        <translation>diesem Host</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{count} virtual machines selected: {names}</source>
        <translation>{count} virtuelle Computer ausgewählt: {names}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connecting...</source>
        <translation>Wird verbunden...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select a virtual machine to see its details.</source>
        <translation>Wählen Sie einen virtuellen Computer aus, um seine Details anzuzeigen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No virtual machines on this host yet.</source>
        <translation>Auf diesem Host gibt es noch keine virtuellen Computer.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} virtual machine, {running} running</source>
        <translation>{count} virtueller Computer, {running} ausgeführt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} virtual machines, {running} running</source>
        <translation>{count} virtuelle Computer, {running} ausgeführt</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>All Hosts</source>
        <translation>Alle Hosts</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;Virtual Machines&lt;/b&gt; in {group} ({hosts} hosts)</source>
        <translation>&lt;b&gt;Virtuelle Computer&lt;/b&gt; in {group} ({hosts} Hosts)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{group} has no hosts yet: move a host here, or add a libvirt host.</source>
        <translation>{group} hat noch keine Hosts: Verschieben Sie einen Host hierher, oder fügen Sie einen libvirt-Host hinzu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{group}: {hosts} hosts, {count} virtual machines ({running} running). Select virtual machines to act on them; each is acted on by its own host.</source>
        <translation>{group}: {hosts} Hosts, {count} virtuelle Computer ({running} ausgeführt). Wählen Sie virtuelle Computer aus, um Aktionen auszuführen; jeder wird von seinem eigenen Host bearbeitet.</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Creating {name} (job {job})</source>
        <translation>{name} wird erstellt (Auftrag {job})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the virtual machine</source>
        <translation>Der virtuelle Computer</translation>
    </message>
</context>
<context>
    <name>MemoryField</name>
    <message>
        <location filename="../../gui/wizards/memory_field.py" line="+34"/>
        <source>A number of MiB, or one with its unit: 512 MB, 4 GB, 2 GiB (MB and GB count 1024s, as in Hyper-V)</source>
        <translation>Eine Anzahl MiB oder eine Zahl mit Einheit: 512 MB, 4 GB, 2 GiB (MB und GB zählen in 1024ern, wie in Hyper-V)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{n} MiB</source>
        <translation>{n} MiB</translation>
    </message>
</context>
<context>
    <name>MemoryPage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/memory.py" line="+22"/>
        <source>Assign Memory</source>
        <translation>Arbeitsspeicher zuweisen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Specify how much memory the virtual machine gets. The guest&apos;s memory is mapped on first touch, so what it never uses costs the host nothing.</source>
        <translation>Geben Sie an, wie viel Arbeitsspeicher der virtuelle Computer erhält. Der Arbeitsspeicher des Gasts wird bei der ersten Berührung zugeordnet; was er nie verwendet, kostet den Host nichts.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Startup &amp;memory:</source>
        <translation>&amp;Arbeitsspeicher beim Start:</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Startup memory (MiB, or with a unit: MB, GB)</source>
        <translation>Arbeitsspeicher beim Start (MiB oder mit Einheit: MB, GB)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory understood</source>
        <translation>Erkannter Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The memory the guest gets when it starts, in MiB; type a size with a unit (512M, 2G) to have it converted. The host must have this much free to start it (--memory).</source>
        <translation>Der Arbeitsspeicher, den der Gast beim Start erhält, in MiB; geben Sie eine Größe mit Einheit ein (512M, 2G), wird sie umgerechnet. Der Host muss so viel frei haben, um ihn zu starten (--memory).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Between {low} MiB and {high} MiB, in steps of {step} MiB: type a number of MiB, or one with its unit (512 MB, 4 GB).</source>
        <translation>Zwischen {low} MiB und {high} MiB in Schritten von {step} MiB: Geben Sie eine Anzahl MiB ein oder eine Zahl mit Einheit (512 MB, 4 GB).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At most {high} MiB because {why}.</source>
        <translation>Höchstens {high} MiB, weil {why}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This host has {size}.</source>
        <translation>Dieser Host hat {size}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bundled guest runs in 4 MiB; 64 MiB leaves room for its memory workloads.</source>
        <translation>Der mitgelieferte Gast läuft mit 4 MiB; 64 MiB lassen Platz für seine Arbeitsspeicher-Arbeitslasten.</translation>
    </message>
</context>
<context>
    <name>MenusMixin</name>
    <message>
        <location filename="../../gui/main_window/menus.py" line="+27"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn Off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut Down</source>
        <translation>Herunterfahren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause/Resume</source>
        <translation>Anhalten/Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Add &amp;Host...</source>
        <translation>&amp;Host hinzufügen...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a host: another Bulkhead host over SSH or TLS, or an existing QEMU/KVM host through libvirt</source>
        <translation>Einen Host hinzufügen: einen weiteren Bulkhead-Host über SSH oder TLS oder einen vorhandenen QEMU/KVM-Host über libvirt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alert &amp;Rules...</source>
        <translation>Warnungs&amp;regeln...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Virtual &amp;Switch Manager...</source>
        <translation>Manager für virtuelle S&amp;witches...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host&apos;s virtual switches: create, rename and remove them, and see which virtual machines use each</source>
        <translation>Die virtuellen Switches des Hosts: erstellen, umbenennen und entfernen und sehen, welche virtuellen Computer jeden verwenden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New Host &amp;Group...</source>
        <translation>Neue Host&amp;gruppe...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Action</source>
        <translation>&amp;Aktion</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;View</source>
        <translation>A&amp;nsicht</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Columns</source>
        <translation>&amp;Spalten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reset &amp;Layout</source>
        <translation>&amp;Layout zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkombinationen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Bulkhead</source>
        <translation>&amp;Info über Bulkhead</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Main toolbar</source>
        <translation>Hauptsymbolleiste</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Virtual machine counts</source>
        <translation>Anzahl der virtuellen Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>{host}: {why}</source>
        <translation>{host}: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{operation}: {why}</source>
        <translation>{operation}: {why}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>About Bulkhead</source>
        <translation>Info über Bulkhead</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Bulkhead&lt;/b&gt; - virtual machines on an embedded hypervisor.</source>
        <translation>&lt;b&gt;Bulkhead&lt;/b&gt; - virtuelle Computer auf einem eingebetteten Hypervisor.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Host service version {version}; {backend}.</source>
        <translation>Hostdienst Version {version}; {backend}.</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkombinationen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{keys} ({action})</source>
        <translation>{keys} ({action})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In a VM connection window keys go to the guest; its toolbar uses {keys}.</source>
        <translation>In einem VM-Verbindungsfenster gehen Tasten an den Gast; seine Symbolleiste verwendet {keys}.</translation>
    </message>
</context>
<context>
    <name>MetricsOperations</name>
    <message>
        <location filename="../../gui/operations/metrics.py" line="+24"/>
        <source>No CPU history</source>
        <translation>Kein CPU-Verlauf</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No metrics history</source>
        <translation>Kein Metrikverlauf</translation>
    </message>
</context>
<context>
    <name>MigrateWizard</name>
    <message>
        <location filename="../../gui/wizards/migrate/wizard.py" line="+72"/>
        <source>Migrate Virtual Machine Wizard - {name}</source>
        <translation>Assistent zum Migrieren virtueller Computer - {name}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Wizard steps</source>
        <translation>Schritte des Assistenten</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{count} virtual machines: {names}</source>
        <translation>{count} virtuelle Computer: {names}</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>Starting the move...</source>
        <translation>Die Verschiebung wird gestartet...</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The move did not start: {why}</source>
        <translation>Die Verschiebung wurde nicht gestartet: {why}</translation>
    </message>
</context>
<context>
    <name>MigrationView</name>
    <message>
        <location filename="../../gui/dialogs/migration_view.py" line="+83"/>
        <source>{job} {name}</source>
        <translation>{job} {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Moving {name} to {host}</source>
        <translation>{name} wird nach {host} verschoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moving {name}</source>
        <translation>{name} wird verschoben</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Predicted and actual</source>
        <translation>Vorhergesagt und tatsächlich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Figure</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Predicted</source>
        <translation>Vorhergesagt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Actual</source>
        <translation>Tatsächlich</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Cancel Move</source>
        <translation>Verschiebung &amp;abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the move: the VM carries on at the source, unchanged</source>
        <translation>Die Verschiebung beenden: Die VM läuft unverändert an der Quelle weiter</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>seconds since the move began</source>
        <translation>Sekunden seit Beginn der Verschiebung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Memory: sent and still to send</source>
        <translation>Arbeitsspeicher: gesendet und noch zu senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to send</source>
        <translation>zu senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dirty rate and bandwidth</source>
        <translation>Änderungsrate und Bandbreite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dirty rate</source>
        <translation>Änderungsrate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bandwidth</source>
        <translation>Bandbreite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected downtime</source>
        <translation>Erwartete Ausfallzeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected downtime</source>
        <translation>erwartete Ausfallzeit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>limit {ms} ms</source>
        <translation>Grenze {ms} ms</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Phase: prepare (the destination checks and reserves)</source>
        <translation>Phase: Vorbereiten (das Ziel prüft und reserviert)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phase: copying files ({sent} of {total})</source>
        <translation>Phase: Dateien werden kopiert ({sent} von {total})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phase: stop-and-copy (round {n} fits the downtime limit), then finish and confirm</source>
        <translation>Phase: Anhalten und Kopieren (Runde {n} passt in die Ausfallzeitgrenze), dann Abschließen und Bestätigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phase: pre-copy round {n}: {remaining} to send</source>
        <translation>Phase: Vorabkopie, Runde {n}: {remaining} zu senden</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>moved</source>
        <translation>verschoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done: {name} {where}</source>
        <translation>Fertig: {name} {where}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancelled: the VM carries on at the source</source>
        <translation>Abgebrochen: Die VM läuft an der Quelle weiter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed: the VM stays at the source</source>
        <translation>Fehlgeschlagen: Die VM bleibt an der Quelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the move failed</source>
        <translation>die Verschiebung ist fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Total time</source>
        <translation>Gesamtdauer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downtime</source>
        <translation>Ausfallzeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data sent</source>
        <translation>Gesendete Daten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rounds</source>
        <translation>Runden</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cancelling the move...</source>
        <translation>Die Verschiebung wird abgebrochen...</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot cancel: {why}</source>
        <translation>Abbrechen nicht möglich: {why}</translation>
    </message>
</context>
<context>
    <name>MoveOperations</name>
    <message>
        <location filename="../../gui/operations/move.py" line="+16"/>
        <location filename="../../gui/wizards/migrate/bulk.py" line="-23"/>
        <location line="+11"/>
        <source>the destination host is not connected</source>
        <translation>Der Zielhost ist nicht verbunden</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cannot rate the hosts</source>
        <translation>Die Hosts können nicht bewertet werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot read the VM&apos;s load</source>
        <translation>Die Last der VM kann nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot describe the VM</source>
        <translation>Die VM kann nicht beschrieben werden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot check the move</source>
        <translation>Die Verschiebung kann nicht geprüft werden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot predict the move</source>
        <translation>Die Verschiebung kann nicht vorhergesagt werden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot migrate</source>
        <translation>Migrieren nicht möglich</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot move the storage</source>
        <translation>Der Speicher kann nicht verschoben werden</translation>
    </message>
</context>
<context>
    <name>MoveScript</name>
    <message>
        <location filename="../../gui/wizards/migrate/script.py" line="+15"/>
        <source>Move a virtual machine to another host</source>
        <translation>Einen virtuellen Computer auf einen anderen Host verschieben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move a virtual machine&apos;s storage</source>
        <translation>Den Speicher eines virtuellen Computers verschieben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Migrate a libvirt domain to another libvirt host</source>
        <translation>Eine libvirt-Domäne auf einen anderen libvirt-Host migrieren</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Move several virtual machines to another host, one after another</source>
        <translation>Mehrere virtuelle Computer nacheinander auf einen anderen Host verschieben</translation>
    </message>
</context>
<context>
    <name>NamePage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/name.py" line="+16"/>
        <source>Specify Name and Location</source>
        <translation>Namen und Speicherort angeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a name that helps you recognise this virtual machine.</source>
        <translation>Wählen Sie einen Namen, an dem Sie diesen virtuellen Computer erkennen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name and Location</source>
        <translation>Name und Speicherort</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>for example web1</source>
        <translation>zum Beispiel web1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Location</source>
        <translation>Speicherort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>N&amp;otes:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Location:</source>
        <translation>Speicherort:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The virtual machine&apos;s name, unique on this host (compared without regard to case). It names the VM in the list, on the command line and in scripts; renaming it later never moves its files.</source>
        <translation>Der Name des virtuellen Computers, eindeutig auf diesem Host (ohne Unterscheidung von Groß- und Kleinschreibung verglichen). Er nennt den virtuellen Computer in der Liste, in der Befehlszeile und in Skripts; ein späteres Umbenennen verschiebt keine Dateien.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Free text kept with the virtual machine, such as its purpose or owner. Shown in Details and exported with the VM (--notes).</source>
        <translation>Freier Text, der beim virtuellen Computer bleibt, etwa sein Zweck oder sein Besitzer. Wird in den Details angezeigt und mit dem virtuellen Computer exportiert (--notes).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{host} keeps the virtual machine where it keeps its others.</source>
        <translation>{host} speichert den virtuellen Computer dort, wo er seine anderen speichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the host&apos;s store</source>
        <translation>dem Speicher des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host service keeps each virtual machine in its own folder under {where} (the folder is named after the VM&apos;s id, so renaming never moves files).</source>
        <translation>Der Hostdienst speichert jeden virtuellen Computer in einem eigenen Ordner unter {where} (der Ordner ist nach der ID der VM benannt, daher verschiebt Umbenennen nie Dateien).</translation>
    </message>
</context>
<context>
    <name>NavigationTree</name>
    <message>
        <location filename="../../gui/widgets/navigation.py" line="+40"/>
        <source>Navigation: host groups, hosts and virtual machines</source>
        <translation>Navigation: Hostgruppen, Hosts und virtuelle Computer</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>{details}
Active alerts: {messages}</source>
        <translation>{details}
Aktive Warnungen: {messages}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>host, {details}</source>
        <translation>Host, {details}</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>host group</source>
        <translation>Hostgruppe</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Every host this console knows</source>
        <translation>Jeder Host, den diese Konsole kennt</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>virtual machine, {state}</source>
        <translation>virtueller Computer, {state}</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>New Host Group...</source>
        <translation>Neue Hostgruppe...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add Host...</source>
        <translation>Host hinzufügen...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete Host Group</source>
        <translation>Hostgruppe löschen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New Virtual Machine...</source>
        <translation>Neuer virtueller Computer...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import Virtual Machine...</source>
        <translation>Virtuellen Computer importieren...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reconnect</source>
        <translation>Erneut verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove Connection...</source>
        <translation>Verbindung entfernen...</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Move to Host Group</source>
        <translation>In Hostgruppe verschieben</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/networking.py" line="+22"/>
        <source>Configure Networking</source>
        <translation>Netzwerk konfigurieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each VM has one synthetic network adapter; choose the virtual switch it connects to, or leave it not connected.</source>
        <translation>Jede VM hat einen synthetischen Netzwerkadapter; wählen Sie den virtuellen Switch, mit dem er verbunden wird, oder lassen Sie ihn unverbunden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Networking</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+50"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>New Virtual &amp;Switch...</source>
        <translation>Neuer virtueller &amp;Switch...</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Connection:</source>
        <translation>&amp;Verbindung:</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>IPv4 address</source>
        <translation>IPv4-Adresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>automatic: the next free address on the switch</source>
        <translation>automatisch: die nächste freie Adresse am Switch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;IPv4 address:</source>
        <translation>&amp;IPv4-Adresse:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The virtual switch the VM&apos;s network adapter connects to: VMs on one switch reach each other, and an internal switch also reaches this host. Not connected: the VM gets an adapter once you choose a switch in its settings (--switch).</source>
        <translation>Der virtuelle Switch, mit dem der Netzwerkadapter des virtuellen Computers verbunden wird: Virtuelle Computer an einem Switch erreichen einander, ein interner Switch auch diesen Host. Nicht verbunden: Der virtuelle Computer erhält einen Adapter, sobald Sie in seinen Einstellungen einen Switch wählen (--switch).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The guest&apos;s IPv4 address on the switch. Leave it empty for the next free address of the switch&apos;s subnet (--ip).</source>
        <translation>Die IPv4-Adresse des Gasts am Switch. Leer lassen für die nächste freie Adresse im Subnetz des Switches (--ip).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Create a private virtual switch on this host</source>
        <translation>Einen privaten virtuellen Switch auf diesem Host erstellen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Looking up the host&apos;s virtual switches...</source>
        <translation>Die virtuellen Switches des Hosts werden abgefragt...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot list virtual switches: {why}</source>
        <translation>Virtuelle Switches können nicht aufgelistet werden: {why}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>New Virtual Switch</source>
        <translation>Neuer virtueller Switch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name of the new private virtual switch (VMs on it can reach each other):</source>
        <translation>Name des neuen privaten virtuellen Switches (VMs daran können einander erreichen):</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Creating virtual switch &apos;{name}&apos;...</source>
        <translation>Virtueller Switch „{name}“ wird erstellt...</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Virtual switch &apos;{name}&apos; not created: {why}</source>
        <translation>Virtueller Switch „{name}“ nicht erstellt: {why}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not connected: the VM gets a network adapter once you choose a switch in its settings.</source>
        <translation>Nicht verbunden: Die VM erhält einen Netzwerkadapter, sobald Sie in ihren Einstellungen einen Switch wählen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This host has no virtual switches yet.</source>
        <translation>Dieser Host hat noch keine virtuellen Switches.</translation>
    </message>
</context>
<context>
    <name>NewDiskDialog</name>
    <message>
        <location filename="../../gui/dialogs/new_disk.py" line="+26"/>
        <source>Dynamically expanding VHD (grows as it is written)</source>
        <translation>Dynamisch erweiterbare VHD (wächst beim Schreiben)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixed-size VHD (all of it allocated now)</source>
        <translation>VHD mit fester Größe (sofort vollständig zugewiesen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raw image</source>
        <translation>Raw-Image</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+59"/>
        <source>New Virtual Hard Disk</source>
        <translation>Neue virtuelle Festplatte</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>Path of the new disk on the host</source>
        <translation>Pfad des neuen Datenträgers auf dem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host/disk.vhd</source>
        <translation>/pfad/auf/dem/host/disk.vhd</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;File:</source>
        <translation>&amp;Datei:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Size:</source>
        <translation>&amp;Größe:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Type:</source>
        <translation>&amp;Typ:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Create</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Type where the host puts the disk (a path on the host).</source>
        <translation>Geben Sie ein, wo der Host den Datenträger ablegt (ein Pfad auf dem Host).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give the full path on the host (starting with /).</source>
        <translation>Geben Sie den vollständigen Pfad auf dem Host an (beginnend mit /).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The host makes the file (and its folder); an existing file is never overwritten.</source>
        <translation>Der Host erstellt die Datei (und ihren Ordner); eine vorhandene Datei wird nie überschrieben.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual hard disks (*.vhd *.img);;All files (*)</source>
        <translation>Virtuelle Festplatten (*.vhd *.img);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Creating {path}...</source>
        <translation>{path} wird erstellt...</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>the job ended {state}</source>
        <translation>der Auftrag endete mit {state}</translation>
    </message>
</context>
<context>
    <name>NewVmDisk</name>
    <message>
        <location filename="../../gui/wizards/new_vm/disk_text.py" line="+16"/>
        <source>Checking the location...</source>
        <translation>Speicherort wird überprüft...</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Dynamically expanding (grows as the guest writes)</source>
        <translation>Dynamisch erweiterbar (wächst, wenn der Gast schreibt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fixed size (takes its full size now)</source>
        <translation>Feste Größe (belegt sofort die volle Größe)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>qcow2 (grows as the guest writes)</source>
        <translation>qcow2 (wächst, wenn der Gast schreibt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>raw (a plain image as big as its size)</source>
        <translation>raw (einfaches Image in voller Größe)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A volume in a storage pool of the host</source>
        <translation>Ein Volume in einem Speicherpool des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A file on this machine, made by qemu-img</source>
        <translation>Eine Datei auf diesem Computer, erstellt mit qemu-img</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>virtio (paravirtual, fast)</source>
        <translation>virtio (paravirtuell, schnell)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>IDE (emulated, slow)</source>
        <translation>IDE (emuliert, langsam)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synthetic SCSI over VMBus (fast)</source>
        <translation>Synthetisches SCSI über VMBus (schnell)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>synthetic</source>
        <translation>synthetisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emulated IDE (every register access traps)</source>
        <translation>Emuliertes IDE (jeder Registerzugriff löst einen Trap aus)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>emulated</source>
        <translation>emuliert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>dynamic</source>
        <translation>dynamisch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>fixed</source>
        <translation>fest</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} has no storage pool &apos;{pool}&apos; (it has: {names}).</source>
        <translation>{host} hat keinen Speicherpool „{pool}“ (vorhanden: {names}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The storage pool &apos;{pool}&apos; is not active (virsh pool-start {pool}).</source>
        <translation>Der Speicherpool „{pool}“ ist nicht aktiv (virsh pool-start {pool}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A raw volume takes its full size at once: {size} is more than the {free} free in &apos;{pool}&apos;.</source>
        <translation>Ein raw-Volume belegt sofort seine volle Größe: {size} ist mehr als die {free}, die in „{pool}“ frei sind.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>fixed: all of it now</source>
        <translation>fest: sofort vollständig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dynamic: it grows as the guest writes</source>
        <translation>dynamisch: wächst, wenn der Gast schreibt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host creates {path} ({size}, {grows}) as a job, then the virtual machine with it.</source>
        <translation>Der Host erstellt {path} ({size}, {grows}) als Auftrag und anschließend den virtuellen Computer damit.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The folder {folder} is created first, by the host&apos;s job.</source>
        <translation>Der Ordner {folder} wird zuerst durch den Auftrag des Hosts erstellt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>, {size} free</source>
        <translation>, {size} frei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The job that creates the virtual machine first creates the volume {name} ({what}) in the storage pool &apos;{pool}&apos; of {host}{free}.</source>
        <translation>Der Auftrag, der den virtuellen Computer erstellt, erstellt zuerst das Volume {name} ({what}) im Speicherpool „{pool}“ von {host}{free}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The job that creates the virtual machine first runs qemu-img on this machine to create {path} ({what}).</source>
        <translation>Der Auftrag, der den virtuellen Computer erstellt, führt zuerst qemu-img auf diesem Computer aus, um {path} ({what}) zu erstellen.</translation>
    </message>
</context>
<context>
    <name>NewVmWizard</name>
    <message>
        <location filename="../../gui/wizards/new_vm/host.py" line="+56"/>
        <location line="+4"/>
        <source>this host</source>
        <translation>dieser Host</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>This host cannot create a virtual hard disk: {why}.</source>
        <translation>Dieser Host kann keine virtuelle Festplatte erstellen: {why}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This host cannot create a virtual hard disk here: create it on the host, then use it as an existing disk.</source>
        <translation>Dieser Host kann hier keine virtuelle Festplatte erstellen: Erstellen Sie sie auf dem Host, und verwenden Sie sie dann als vorhandenen Datenträger.</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/new_vm/wizard.py" line="+42"/>
        <source>cannot create the virtual hard disk: {why}</source>
        <translation>virtuelle Festplatte kann nicht erstellt werden: {why}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{error} (the new disk {path} was kept: choose it as an existing disk)</source>
        <translation>{error} (der neue Datenträger {path} wurde beibehalten: wählen Sie ihn als vorhandenen Datenträger aus)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New Virtual Machine Wizard</source>
        <translation>Assistent für neue virtuelle Computer</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Wizard steps</source>
        <translation>Schritte des Assistenten</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Creating the virtual machine and its new disk {name}...</source>
        <translation>Der virtuelle Computer und sein neuer Datenträger {name} werden erstellt...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Creating the virtual machine...</source>
        <translation>Der virtuelle Computer wird erstellt...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Creating the virtual hard disk {name}, then the virtual machine...</source>
        <translation>Die virtuelle Festplatte {name} und anschließend der virtuelle Computer werden erstellt...</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The host did not create the virtual machine: {why}</source>
        <translation>Der Host hat den virtuellen Computer nicht erstellt: {why}</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <location filename="../../gui/operations/__init__.py" line="+35"/>
        <source>Bulkhead</source>
        <translation>Bulkhead</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>not connected to a host</source>
        <translation>nicht mit einem Host verbunden</translation>
    </message>
</context>
<context>
    <name>PathsPage</name>
    <message>
        <location filename="../../gui/wizards/migrate/paths.py" line="+41"/>
        <location line="+66"/>
        <source>Path and Networks</source>
        <translation>Pfad und Netzwerke</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Where the VM&apos;s files go on the destination, and which switch each network adapter connects to there.</source>
        <translation>Wohin die Dateien des virtuellen Computers auf dem Ziel kommen und mit welchem Switch jeder Netzwerkadapter dort verbunden wird.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Destination folder</source>
        <translation>Zielordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+65"/>
        <source>the destination&apos;s own folder for VMs</source>
        <translation>der eigene Ordner des Ziels für virtuelle Computer</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The VM&apos;s files</source>
        <translation>Dateien des virtuellen Computers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Goes</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Network adapters</source>
        <translation>Netzwerkadapter</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The folder on the destination for the VM&apos;s files; empty: the destination&apos;s own folder for VMs. A folder that does not exist is made (--path).</source>
        <translation>Der Ordner auf dem Ziel für die Dateien des virtuellen Computers; leer: der eigene Ordner des Ziels für virtuelle Computer. Ein nicht vorhandener Ordner wird erstellt (--path).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The VM&apos;s files and what the move does with each: moved, copied, or left where it is because both hosts reach it.</source>
        <translation>Die Dateien des virtuellen Computers und was die Migration mit jeder tut: verschieben, kopieren oder belassen, weil beide Hosts sie erreichen.</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+9"/>
        <source>Storage Path</source>
        <translation>Speicherpfad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder of {host} that the VM&apos;s virtual hard disk moves to while it runs.</source>
        <translation>Der Ordner auf {host}, in den die virtuelle Festplatte des virtuellen Computers während der Ausführung verschoben wird.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where the VM&apos;s files go on {host}, and which switch each network adapter connects to there.</source>
        <translation>Wohin die Dateien des virtuellen Computers auf {host} kommen und mit welchem Switch jeder Netzwerkadapter dort verbunden wird.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a folder of {host}, e.g. /srv/vhds</source>
        <translation>ein Ordner auf {host}, z. B. /srv/vhds</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Browse {host}...</source>
        <translation>{host} &amp;durchsuchen...</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cannot list the destination&apos;s switches: {why}</source>
        <translation>Die Switches des Ziels können nicht aufgelistet werden: {why}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Choose a folder of {host}</source>
        <translation>Ordner auf {host} auswählen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{path}: free space not known</source>
        <translation>{path}: freier Speicherplatz unbekannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path}: {free} free of {total}</source>
        <translation>{path}: {free} von {total} frei</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{path}: {why} (a folder that does not exist is made)</source>
        <translation>{path}: {why} (ein nicht vorhandener Ordner wird erstellt)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the destination&apos;s folder</source>
        <translation>der Ordner des Ziels</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>moves into {folder}</source>
        <translation>wird nach {folder} verschoben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>shared: stays where it is</source>
        <translation>freigegeben: bleibt, wo er ist</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <source>copied into {folder}</source>
        <translation>wird nach {folder} kopiert</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Guest image</source>
        <translation>Gastimage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>present there: not copied</source>
        <translation>dort vorhanden: wird nicht kopiert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No disks</source>
        <translation>Keine Datenträger</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The VM has no connected network adapter.</source>
        <translation>Der virtuelle Computer hat keinen verbundenen Netzwerkadapter.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Switch for the adapter on {switch}</source>
        <translation>Switch für den Adapter an {switch}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Looking up the destination&apos;s switches...</source>
        <translation>Switches des Ziels werden abgefragt...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a switch of the destination</source>
        <translation>Switch des Ziels auswählen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Adapter on &apos;{switch}&apos;:</source>
        <translation>Adapter an „{switch}“:</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Give the folder as a full path on {host} (starting with /).</source>
        <translation>Geben Sie den Ordner als vollständigen Pfad auf {host} an (beginnend mit /).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose the folder the disk moves to.</source>
        <translation>Wählen Sie den Ordner aus, in den der Datenträger verschoben wird.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The disk is in {path} already: choose another folder.</source>
        <translation>Der Datenträger befindet sich bereits in {path}: Wählen Sie einen anderen Ordner aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a switch of the destination for the adapter on &apos;{switch}&apos;.</source>
        <translation>Wählen Sie einen Switch des Ziels für den Adapter an „{switch}“ aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+12"/>
        <source>Checking the folder and the networks...</source>
        <translation>Ordner und Netzwerke werden überprüft...</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Checking</source>
        <translation>Wird überprüft</translation>
    </message>
</context>
<context>
    <name>Performance</name>
    <message>
        <location filename="../../gui/performance/panels.py" line="+14"/>
        <source>Last 1 min</source>
        <translation>Letzte Minute</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 10 min</source>
        <translation>Letzte 10 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 1 h</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 24 h</source>
        <translation>Letzte 24 h</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>guest CPU</source>
        <translation>Gast-CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+49"/>
        <source>dirty MiB/s</source>
        <translation>geänderte MiB/s</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>assigned</source>
        <translation>zugewiesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>resident</source>
        <translation>resident</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dirtied</source>
        <translation>geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>bytes/s</source>
        <translation>Bytes/s</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>read</source>
        <translation>Lesen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>write</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>r ops</source>
        <translation>Lesevorg.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>w ops</source>
        <translation>Schreibvorg.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>frames/s</source>
        <translation>Frames/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in</source>
        <translation>eingehend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out</source>
        <translation>ausgehend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>frames in</source>
        <translation>Frames eingehend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>frames out</source>
        <translation>Frames ausgehend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>VMBus and exits</source>
        <translation>VMBus und Exits</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>per second</source>
        <translation>pro Sekunde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>synthetic exits</source>
        <translation>synthetische Exits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>emulated</source>
        <translation>emuliert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VMBus packets</source>
        <translation>VMBus-Pakete</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>CPU (host)</source>
        <translation>CPU (Host)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>% of all CPUs</source>
        <translation>% aller CPUs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>% of one core</source>
        <translation>% eines Kerns</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all CPUs (% of the machine)</source>
        <translation>alle CPUs (% des Computers)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host service (% of one core)</source>
        <translation>Hostdienst (% eines Kerns)</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>CPU {cpu} of the machine (host service {service} of one core)</source>
        <translation>CPU {cpu} des Computers (Hostdienst {service} eines Kerns)</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>Memory (host)</source>
        <translation>Arbeitsspeicher (Host)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>installed</source>
        <translation>installiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in use</source>
        <translation>belegt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VMs dirtied</source>
        <translation>von VMs geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk (all VMs)</source>
        <translation>Datenträger (alle VMs)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network (all VMs)</source>
        <translation>Netzwerk (alle VMs)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VMBus and exits (all VMs)</source>
        <translation>VMBus und Exits (alle VMs)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>running</source>
        <translation>gestartet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>saved</source>
        <translation>gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>off</source>
        <translation>ausgeschaltet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reset</source>
        <translation>zurückgesetzt</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>memory {used} of {total} in use, VMs dirtied {dirtied}</source>
        <translation>Arbeitsspeicher: {used} von {total} belegt, von VMs geändert: {dirtied}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CPU {cpu}</source>
        <translation>CPU {cpu}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory {resident} of {assigned} resident, dirtied {dirtied}</source>
        <translation>Arbeitsspeicher: {resident} von {assigned} resident, geändert: {dirtied}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>disk read {read}, write {write}</source>
        <translation>Datenträger: Lesen {read}, Schreiben {write}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>({read} / {write} IOPS)</source>
        <translation>({read} / {write} IOPS)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>network in {rx}, out {tx}</source>
        <translation>Netzwerk: eingehend {rx}, ausgehend {tx}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>({rx} in, {tx} out)</source>
        <translation>({rx} eingehend, {tx} ausgehend)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>exits {synthetic} synthetic, {emulated} emulated; VMBus {vmbus}</source>
        <translation>Exits: {synthetic} synthetisch, {emulated} emuliert; VMBus {vmbus}</translation>
    </message>
</context>
<context>
    <name>PerformanceView</name>
    <message>
        <location filename="../../gui/performance/exporting.py" line="+33"/>
        <source>cannot write {path}</source>
        <translation>{path} kann nicht geschrieben werden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot write {path}: {why}</source>
        <translation>{path} kann nicht geschrieben werden: {why}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export Performance Data</source>
        <translation>Leistungsdaten exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export Performance Graphs</source>
        <translation>Leistungsdiagramme exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location filename="../../gui/performance/plot.py" line="+262"/>
        <source>{who} {what} at {time}</source>
        <translation>{who} {what} um {time}</translation>
    </message>
    <message>
        <location filename="../../gui/performance/readout.py" line="+88"/>
        <source>Waiting for samples...</source>
        <translation>Warten auf Messwerte...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No samples in this window (the virtual machine was not running).</source>
        <translation>Keine Messwerte in diesem Zeitraum (der virtuelle Computer wurde nicht ausgeführt).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(latest)</source>
        <translation>(neuester)</translation>
    </message>
    <message>
        <location filename="../../gui/performance/view.py" line="+78"/>
        <source>Performance</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Compare VMs</source>
        <translation>VMs vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overlay several virtual machines of this host (or select several in the list)</source>
        <translation>Mehrere virtuelle Computer dieses Hosts überlagern (oder mehrere in der Liste auswählen)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Time window</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How far back the graphs go: the last minute and 10 minutes and hour at one sample per tick, the last day at one per minute</source>
        <translation>Wie weit die Diagramme zurückreichen: die letzte Minute, die letzten 10 Minuten und die letzte Stunde mit einem Messwert pro Takt, der letzte Tag mit einem pro Minute</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export CSV...</source>
        <translation>CSV exportieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the data shown (every target, every line) as CSV</source>
        <translation>Angezeigte Daten (alle Ziele, alle Linien) als CSV speichern</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export PNG...</source>
        <translation>PNG exportieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the graphs as a PNG image</source>
        <translation>Diagramme als PNG-Bild speichern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open in Window</source>
        <translation>In Fenster öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open these graphs in a window of their own (larger, stays open)</source>
        <translation>Diese Diagramme in einem eigenen Fenster öffnen (größer, bleibt geöffnet)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Values under the cursor</source>
        <translation>Werte unter dem Cursor</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Performance&lt;/b&gt;: select a virtual machine or a host</source>
        <translation>&lt;b&gt;Leistung&lt;/b&gt;: Wählen Sie einen virtuellen Computer oder einen Host aus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{host} (parent partition)</source>
        <translation>{host} (übergeordnete Partition)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Performance&lt;/b&gt;: {who}</source>
        <translation>&lt;b&gt;Leistung&lt;/b&gt;: {who}</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>History unavailable: {why}. New samples appear as they arrive.</source>
        <translation>Verlauf nicht verfügbar: {why}. Neue Messwerte werden angezeigt, sobald sie eintreffen.</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>{n} VMs</source>
        <translation>{n} VMs</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>No virtual machines</source>
        <translation>Keine virtuellen Computer</translation>
    </message>
</context>
<context>
    <name>PerformanceWindow</name>
    <message>
        <location line="+23"/>
        <source>Performance - {targets}</source>
        <translation>Leistung - {targets}</translation>
    </message>
</context>
<context>
    <name>PhysicalConfigPage</name>
    <message>
        <location filename="../../gui/wizards/convert_physical/config.py" line="+19"/>
        <source>VM Configuration</source>
        <translation>VM-Konfiguration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name the new virtual machine and give it memory and processors.</source>
        <translation>Benennen Sie den neuen virtuellen Computer, und weisen Sie ihm Arbeitsspeicher und Prozessoren zu.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Processors</source>
        <translation>Prozessoren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new virtual machine&apos;s notes; the host adds the machine it was captured from and where its conversion report is kept</source>
        <translation>Die Notizen des neuen virtuellen Computers; der Host fügt den Computer hinzu, von dem er erfasst wurde, und wo sein Konvertierungsbericht liegt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Memory:</source>
        <translation>&amp;Arbeitsspeicher:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Processors:</source>
        <translation>&amp;Prozessoren:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>N&amp;otes:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host makes the virtual machine with the scanned memory and processors (capped to what it gives a VM); other values chosen here are set once it is made.</source>
        <translation>Der Host erstellt den virtuellen Computer mit dem ermittelten Arbeitsspeicher und den ermittelten Prozessoren (begrenzt auf das, was er einer VM gibt); andere hier gewählte Werte werden nach dem Erstellen festgelegt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The new virtual machine&apos;s name; the machine&apos;s host name at first (--name).</source>
        <translation>Der Name des neuen virtuellen Computers; zu Beginn der Hostname des Computers (--name).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new virtual machine&apos;s memory; the machine&apos;s at first.</source>
        <translation>Der Arbeitsspeicher des neuen virtuellen Computers; zu Beginn der des Computers.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new virtual machine&apos;s virtual processors; the machine&apos;s at first.</source>
        <translation>Die virtuellen Prozessoren des neuen virtuellen Computers; zu Beginn die des Computers.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The new virtual machine&apos;s notes; the host adds where it came from (--notes).</source>
        <translation>Die Notizen des neuen virtuellen Computers; der Host ergänzt, woher er stammt (--notes).</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>The notes can have at most {max} characters.</source>
        <translation>Die Notizen dürfen höchstens {max} Zeichen lang sein.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{name} will be created on {host}, Off.</source>
        <translation>{name} wird auf {host} erstellt, Status „Aus“.</translation>
    </message>
</context>
<context>
    <name>PhysicalSourcePage</name>
    <message>
        <location filename="../../gui/wizards/convert_physical/source.py" line="+23"/>
        <source>Select Source</source>
        <translation>Quelle auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the physical machine to convert. Nothing is read until the next page, and nothing is written until Finish.</source>
        <translation>Wählen Sie den physischen Computer aus, der konvertiert werden soll. Gelesen wird erst auf der nächsten Seite, geschrieben erst mit „Fertig stellen“.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This machine</source>
        <translation>Dieser Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Another machine, over SSH:</source>
        <translation>&amp;Anderer Computer, über SSH:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another machine over SSH</source>
        <translation>Anderer Computer über SSH</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SSH address</source>
        <translation>SSH-Adresse</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Machine:</source>
        <translation>&amp;Computer:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The host runs the scan and the capture: over SSH it logs in with its own key (no password is asked), as root or a user that reads the disks.</source>
        <translation>Der Host führt die Überprüfung und die Erfassung aus: Über SSH meldet er sich mit seinem eigenen Schlüssel an (ohne Kennwortabfrage), als root oder als Benutzer, der die Datenträger lesen darf.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Capture the disks of the machine that the chosen host runs on.</source>
        <translation>Die Datenträger des Computers erfassen, auf dem der gewählte Host läuft.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capture another machine, which the host reaches over SSH with its keys (no password prompt).</source>
        <translation>Einen anderen Computer erfassen, den der Host über SSH mit seinen Schlüsseln erreicht (ohne Kennwortabfrage).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The machine&apos;s SSH address: ssh://user@host[:port] (--from).</source>
        <translation>Die SSH-Adresse des Computers: ssh://benutzer@host[:port] (--from).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;This machine: the machine of {host}</source>
        <translation>&amp;Dieser Computer: der Computer von {host}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the machine of {host}</source>
        <translation>der Computer von {host}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Give the machine&apos;s SSH address: ssh://user@host[:port].</source>
        <translation>Geben Sie die SSH-Adresse des Computers an: ssh://user@host[:port].</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{address} is not an SSH address: write ssh://user@host[:port].</source>
        <translation>{address} ist keine SSH-Adresse: Schreiben Sie ssh://user@host[:port].</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Next scans {machine}: its disks, adapters, processors and memory.</source>
        <translation>„Weiter“ überprüft {machine}: Datenträger, Adapter, Prozessoren und Arbeitsspeicher.</translation>
    </message>
</context>
<context>
    <name>PhysicalSummaryPage</name>
    <message>
        <location filename="../../gui/wizards/convert_physical/summary.py" line="+19"/>
        <location line="+3"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Check what will be captured. Back changes it; Finish starts the conversion.</source>
        <translation>Prüfen Sie, was erfasst wird. „Zurück“ ändert es; „Fertig stellen“ startet die Konvertierung.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;View Script...</source>
        <translation>Skript an&amp;zeigen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the command line and the Python script that make this conversion</source>
        <translation>Die Befehlszeile und das Python-Skript anzeigen, die diese Konvertierung ausführen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Everything the capture will do, as chosen on the pages before; Back changes it, View Script shows it as a command line and a Python script.</source>
        <translation>Alles, was die Erfassung tun wird, wie auf den vorigen Seiten gewählt; Zurück ändert es, Skript anzeigen zeigt es als Befehlszeile und als Python-Skript.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Machine</source>
        <translation>Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the host&apos;s store</source>
        <translation>der Speicher des Hosts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processors</source>
        <translation>Prozessoren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual hard disk type</source>
        <translation>Typ der virtuellen Festplatte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fixed size</source>
        <translation>Feste Größe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dynamically expanding</source>
        <translation>Dynamisch erweiterbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Freeze file systems</source>
        <translation>Dateisysteme einfrieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network &apos;{network}&apos;</source>
        <translation>Netzwerk „{network}“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After Finish</source>
        <translation>Nach „Fertig stellen“</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the host captures the disks in a job (the jobs strip shows it), then creates the VM, Off</source>
        <translation>Der Host erfasst die Datenträger in einem Auftrag (die Auftragsleiste zeigt ihn) und erstellt dann die VM, Status „Aus“</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Planning the capture...</source>
        <translation>Die Erfassung wird geplant...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{problem} (on {host}: go back to VM Configuration)</source>
        <translation>{problem} (auf {host}: zurück zu „VM-Konfiguration“)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing is written until Finish.</source>
        <translation>Geschrieben wird erst mit „Fertig stellen“.</translation>
    </message>
</context>
<context>
    <name>PhysicalSystemPage</name>
    <message>
        <location filename="../../gui/wizards/convert_physical/system.py" line="+42"/>
        <source>System Information</source>
        <translation>Systeminformationen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the host found on the machine. Nothing is written.</source>
        <translation>Was der Host auf dem Computer gefunden hat. Es wird nichts geschrieben.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System information</source>
        <translation>Systeminformationen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Item</source>
        <translation>Element</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>What the scan found on the machine: its disks with their partitions and file systems, network adapters, processors, memory and operating system (bulkhead convert scan).</source>
        <translation>Was die Überprüfung auf dem Computer gefunden hat: seine Datenträger mit ihren Partitionen und Dateisystemen, Netzwerkadapter, Prozessoren, Arbeitsspeicher und Betriebssystem (bulkhead convert scan).</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Disks</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Network adapters</source>
        <translation>Netzwerkadapter</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no address</source>
        <translation>keine Adresse</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Operating system</source>
        <translation>Betriebssystem</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Processors</source>
        <translation>Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Firmware</source>
        <translation>Firmware</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host name</source>
        <translation>Hostname</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>read-only</source>
        <translation>schreibgeschützt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>removable</source>
        <translation>wechselbar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>LVM</source>
        <translation>LVM</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>mounted at {mountpoint}</source>
        <translation>eingehängt unter {mountpoint}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not mounted</source>
        <translation>nicht eingehängt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>file system</source>
        <translation>Dateisystem</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Scanning the machine...</source>
        <translation>Der Computer wird überprüft...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scanning {machine} on {host}...</source>
        <translation>{machine} wird auf {host} überprüft...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Scanned {machine}: {disks} disks, {adapters} network adapters.</source>
        <translation>{machine} überprüft: {disks} Datenträger, {adapters} Netzwerkadapter.</translation>
    </message>
</context>
<context>
    <name>PhysicalVolumesPage</name>
    <message>
        <location filename="../../gui/wizards/convert_physical/volumes.py" line="+38"/>
        <source>Volume Configuration</source>
        <translation>Volumekonfiguration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the disks to capture. Each becomes a virtual hard disk of the new virtual machine.</source>
        <translation>Aktivieren Sie die zu erfassenden Datenträger. Jeder wird eine virtuelle Festplatte des neuen virtuellen Computers.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disks to capture</source>
        <translation>Zu erfassende Datenträger</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mounted file systems</source>
        <translation>Eingehängte Dateisysteme</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Image file</source>
        <translation>Imagedatei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/path/on/the/host/disk.img (an image file standing in for a disk)</source>
        <translation>/pfad/auf/dem/host/disk.img (eine Imagedatei anstelle eines Datenträgers)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add Image File</source>
        <translation>Imagedatei &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capture an image file on the host as if it were one of the machine&apos;s disks</source>
        <translation>Eine Imagedatei auf dem Host erfassen, als wäre sie ein Datenträger des Computers</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual hard disk type</source>
        <translation>Typ der virtuellen Festplatte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dynamically expanding (grows as it is written; zeroed space is skipped)</source>
        <translation>Dynamisch erweiterbar (wächst beim Schreiben; genullter Speicher wird übersprungen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fixed size (all of each disk&apos;s size allocated on the host now)</source>
        <translation>Feste Größe (die ganze Größe jedes Datenträgers wird jetzt auf dem Host zugewiesen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Virtual hard disk &amp;type:</source>
        <translation>&amp;Typ der virtuellen Festplatte:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Freeze file systems during capture</source>
        <translation>Dateisysteme während der Erfassung &amp;einfrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze file systems during capture</source>
        <translation>Dateisysteme während der Erfassung einfrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fsfreeze holds a mounted file system&apos;s writes while its disk is read, so the copy is consistent (never for / or the file system the copy is written to)</source>
        <translation>fsfreeze hält die Schreibvorgänge eines eingehängten Dateisystems an, während sein Datenträger gelesen wird, damit die Kopie konsistent ist (nie für / oder das Dateisystem, in das die Kopie geschrieben wird)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Crash-consistency</source>
        <translation>Absturzkonsistenz</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check the disks or partitions to capture; each becomes a dynamic virtual hard disk, and zeroed space is skipped (--disk).</source>
        <translation>Markieren Sie die zu erfassenden Datenträger oder Partitionen; jeder wird zu einer dynamischen virtuellen Festplatte, genullter Platz wird übersprungen (--disk).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An image file on the host, captured as if it were one of the machine&apos;s disks (--disk PATH).</source>
        <translation>Eine Abbilddatei auf dem Host, die erfasst wird, als wäre sie einer der Datenträger des Computers (--disk PFAD).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Freeze the mounted file systems (fsfreeze) while they are read, so that what is captured is consistent (--freeze).</source>
        <translation>Die eingebundenen Dateisysteme einfrieren (fsfreeze), während sie gelesen werden, damit das Erfasste konsistent ist (--freeze).</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+30"/>
        <source>image file</source>
        <translation>Imagedatei</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Check at least one disk to capture (or add an image file).</source>
        <translation>Aktivieren Sie mindestens einen zu erfassenden Datenträger (oder fügen Sie eine Imagedatei hinzu).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Planning the capture...</source>
        <translation>Die Erfassung wird geplant...</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A mounted file system changes while its disk is read: the copy is not crash-consistent unless it is frozen or captured from a snapshot.</source>
        <translation>Ein eingehängtes Dateisystem ändert sich, während sein Datenträger gelesen wird: Die Kopie ist nicht absturzkonsistent, außer es wird eingefroren oder aus einem Snapshot erfasst.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Disks to capture: {count}. Nothing is written until Finish.</source>
        <translation>Zu erfassende Datenträger: {count}. Geschrieben wird erst mit „Fertig stellen“.</translation>
    </message>
</context>
<context>
    <name>Placement</name>
    <message>
        <location filename="../../gui/placement_words.py" line="+29"/>
        <source>{stars} stars for load balancing: {shown} in use with this VM</source>
        <translation>{stars} Sterne für Lastenausgleich: {shown} belegt mit diesem virtuellen Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stars} stars for load balancing</source>
        <translation>{stars} Sterne für Lastenausgleich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stars} stars for resource maximization: {shown} in use with this VM</source>
        <translation>{stars} Sterne für Ressourcenmaximierung: {shown} belegt mit diesem virtuellen Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stars} stars for resource maximization</source>
        <translation>{stars} Sterne für Ressourcenmaximierung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cpu {percent}</source>
        <translation>Prozessor {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory {percent}</source>
        <translation>Arbeitsspeicher {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disk {percent}</source>
        <translation>Datenträger {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>network {percent}</source>
        <translation>Netzwerk {percent}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory: not reported by this host</source>
        <translation>Arbeitsspeicher: von diesem Host nicht gemeldet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory: {free} free of {total}, {after} after</source>
        <translation>Arbeitsspeicher: {free} frei von {total}, {after} danach</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory: {free} free of {total}</source>
        <translation>Arbeitsspeicher: {free} frei von {total}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU: no load measured yet on this host</source>
        <translation>Prozessor: auf diesem Host noch keine Last gemessen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU: {mean} % on average over the window, {after} % with this VM ({cpus} logical processors)</source>
        <translation>Prozessor: {mean} % im Mittel über den Zeitraum, {after} % mit diesem virtuellen Computer ({cpus} logische Prozessoren)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPU would be over-committed ({after} %): the VM&apos;s guests would wait for processor time</source>
        <translation>Prozessor wäre überbelegt ({after} %): die Gäste des virtuellen Computers würden auf Prozessorzeit warten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disk: {free} free of {total}, {need} needed</source>
        <translation>Datenträger: {free} frei von {total}, {need} benötigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk space: not reported by this host</source>
        <translation>Speicherplatz: von diesem Host nicht gemeldet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk I/O: {iops} IOPS with this VM of {capacity}</source>
        <translation>Datenträger-E/A: {iops} IOPS mit diesem virtuellen Computer von {capacity}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network: not reported by this host</source>
        <translation>Netzwerk: von diesem Host nicht gemeldet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network: {mbps} Mbps with this VM of {capacity} Mbps</source>
        <translation>Netzwerk: {mbps} Mbps mit diesem virtuellen Computer von {capacity} Mbps</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backend: {backend}</source>
        <translation>Back-End: {backend}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backend: CPU emulation: the guest will run slower under emulation (fewer stars)</source>
        <translation>Back-End: CPU-Emulation: der Gast wird unter Emulation langsamer ausgeführt (weniger Sterne)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The VM runs here now: only its storage can move</source>
        <translation>Der virtuelle Computer wird jetzt hier ausgeführt: nur sein Speicher kann verschoben werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not measured for this VM, SCVMM&apos;s defaults assumed: {defaults}</source>
        <translation>Für diesen virtuellen Computer nicht gemessen, Standardwerte von SCVMM angenommen: {defaults}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU 20 %</source>
        <translation>Prozessor 20 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disk 2 GB</source>
        <translation>Datenträger 2 GB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 IOPS</source>
        <translation>0 IOPS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0 Mbps</source>
        <translation>0 Mbps</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot reach {host}: {why}</source>
        <translation>{host} ist nicht erreichbar: {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a libvirt host cannot run this engine&apos;s VMs: choose a Bulkhead host</source>
        <translation>ein libvirt-Host kann die virtuellen Computer dieser Engine nicht ausführen: wählen Sie einen Bulkhead-Host aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the embedded engine cannot boot a libvirt domain&apos;s operating system: choose a libvirt host</source>
        <translation>die eingebettete Engine kann das Betriebssystem einer libvirt-Domäne nicht starten: wählen Sie einen libvirt-Host aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the VM has {memory} of memory; this host allows at most {most} per VM</source>
        <translation>der virtuelle Computer hat {memory} Arbeitsspeicher; dieser Host erlaubt höchstens {most} pro virtuellem Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM needs {need} of memory; this host has {free} free</source>
        <translation>der virtuelle Computer benötigt {need} Arbeitsspeicher; auf diesem Host sind {free} frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM has {vcpus} virtual processors; this host allows at most {most}</source>
        <translation>der virtuelle Computer hat {vcpus} virtuelle Prozessoren; dieser Host erlaubt höchstens {most}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM needs {need} of disk space; this host has {free} free</source>
        <translation>der virtuelle Computer benötigt {need} Speicherplatz; auf diesem Host sind {free} frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this host takes no moves now: {why}</source>
        <translation>dieser Host nimmt derzeit keine Verschiebungen an: {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>VM &apos;{vm}&apos; is {state}: it cannot move now</source>
        <translation>Virtueller Computer „{vm}“ (Status: {state}): er kann jetzt nicht verschoben werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in an unknown state</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wait until it is Running, Paused, Off or Saved</source>
        <translation>warten Sie, bis er den Status „Wird ausgeführt“, „Angehalten“, „Aus“ oder „Gespeichert“ hat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM &apos;{vm}&apos; is {state}: a live move needs it Running or Paused</source>
        <translation>Virtueller Computer „{vm}“ (Status: {state}): eine Livemigration erfordert den Status „Wird ausgeführt“ oder „Angehalten“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start it, or move it with --type quick (its files are copied)</source>
        <translation>starten Sie ihn, oder verschieben Sie ihn mit --type quick (seine Dateien werden kopiert)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM &apos;{vm}&apos; is {state}: it keeps running during the move</source>
        <translation>Virtueller Computer „{vm}“ (Status: {state}): er wird während des Verschiebens weiter ausgeführt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM &apos;{vm}&apos; is {state}: it is saved, moved and restored (it is down meanwhile)</source>
        <translation>Virtueller Computer „{vm}“ (Status: {state}): er wird gespeichert, verschoben und wiederhergestellt (in der Zwischenzeit ist er nicht verfügbar)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM &apos;{vm}&apos; is {state}: its files are copied</source>
        <translation>Virtueller Computer „{vm}“ (Status: {state}): seine Dateien werden kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a libvirt host cannot run this engine&apos;s VMs</source>
        <translation>ein libvirt-Host kann die virtuellen Computer dieser Engine nicht ausführen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>choose a Bulkhead host</source>
        <translation>wählen Sie einen Bulkhead-Host aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the embedded engine cannot boot a libvirt domain&apos;s operating system</source>
        <translation>die eingebettete Engine kann das Betriebssystem einer libvirt-Domäne nicht starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>choose a libvirt host (the move uses libvirt&apos;s own migration)</source>
        <translation>wählen Sie einen libvirt-Host aus (das Verschieben verwendet die Migration von libvirt)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM &apos;{vm}&apos; is on this host: only its storage moves</source>
        <translation>Virtueller Computer „{vm}“ befindet sich auf diesem Host: nur sein Speicher wird verschoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VM &apos;{vm}&apos; (the same VM, id {id}) is already on the destination</source>
        <translation>Virtueller Computer „{vm}“ (derselbe virtuelle Computer, ID {id}) befindet sich bereits auf dem Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>choose another host, or move only its storage (--type storage)</source>
        <translation>wählen Sie einen anderen Host aus, oder verschieben Sie nur seinen Speicher (--type storage)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination already has a VM named &apos;{vm}&apos;</source>
        <translation>auf dem Ziel gibt es bereits einen virtuellen Computer namens „{vm}“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rename the VM or remove &apos;{vm}&apos; on the destination</source>
        <translation>benennen Sie den virtuellen Computer um, oder entfernen Sie „{vm}“ auf dem Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the name &apos;{vm}&apos; is free on the destination</source>
        <translation>der Name „{vm}“ ist auf dem Ziel frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM has {memory} of memory; the destination allows at most {most} per VM</source>
        <translation>der virtuelle Computer hat {memory} Arbeitsspeicher; das Ziel erlaubt höchstens {most} pro virtuellem Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lower the VM&apos;s memory to {most} or less</source>
        <translation>verringern Sie den Arbeitsspeicher des virtuellen Computers auf {most} oder weniger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination does not report its free memory</source>
        <translation>das Ziel meldet seinen freien Arbeitsspeicher nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>check it has room for the VM</source>
        <translation>prüfen Sie, ob dort Platz für den virtuellen Computer ist</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination has {free} of memory free; the VM needs {need} to start</source>
        <translation>auf dem Ziel sind {free} Arbeitsspeicher frei; der virtuelle Computer benötigt zum Starten {need}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>free {size} on the destination before starting it there</source>
        <translation>geben Sie {size} auf dem Ziel frei, bevor Sie ihn dort starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination has {free} of memory free; the VM needs {need}</source>
        <translation>auf dem Ziel sind {free} Arbeitsspeicher frei; der virtuelle Computer benötigt {need}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>free {size} on the destination</source>
        <translation>geben Sie {size} auf dem Ziel frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>memory: the VM needs {need}; the destination has {free} free</source>
        <translation>Arbeitsspeicher: der virtuelle Computer benötigt {need}; auf dem Ziel sind {free} frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM has {n} virtual processors; the destination allows at most {most}</source>
        <translation>der virtuelle Computer hat {n} virtuelle Prozessoren; das Ziel erlaubt höchstens {most}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>set the VM&apos;s processors to {most} or fewer</source>
        <translation>setzen Sie die Prozessoren des virtuellen Computers auf {most} oder weniger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} virtual processor; the destination has {cpus} logical processors</source>
        <translation>{n} virtueller Prozessor; das Ziel hat {cpus} logische Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} virtual processors; the destination has {cpus} logical processors</source>
        <translation>{n} virtuelle Prozessoren; das Ziel hat {cpus} logische Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} virtual processor</source>
        <translation>{n} virtueller Prozessor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} virtual processors</source>
        <translation>{n} virtuelle Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination runs guests under CPU emulation: the guest will run slower there (it uses KVM here now)</source>
        <translation>das Ziel führt Gäste unter CPU-Emulation aus: der Gast wird dort langsamer ausgeführt (hier verwendet er jetzt KVM)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the destination runs guests under CPU emulation: the guest will run slower there</source>
        <translation>das Ziel führt Gäste unter CPU-Emulation aus: der Gast wird dort langsamer ausgeführt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>move it to a host with KVM for full speed</source>
        <translation>verschieben Sie ihn für volle Geschwindigkeit auf einen Host mit KVM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination uses hardware virtualization (KVM)</source>
        <translation>das Ziel verwendet Hardwarevirtualisierung (KVM)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination&apos;s backend: {backend}</source>
        <translation>Back-End des Ziels: {backend}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the source does not say which migration stream formats it sends</source>
        <translation>die Quelle gibt nicht an, welche Migrationsstreamformate sie sendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>update Bulkhead on the source</source>
        <translation>aktualisieren Sie Bulkhead auf der Quelle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no common migration stream format (Bulkhead {source} to {destination}: the source sends {sent}, the destination reads {read})</source>
        <translation>kein gemeinsames Migrationsstreamformat (Bulkhead {source} nach {destination}: die Quelle sendet {sent}, das Ziel liest {read})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>update Bulkhead so both hosts run the same version</source>
        <translation>aktualisieren Sie Bulkhead, damit auf beiden Hosts dieselbe Version ausgeführt wird</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>migration stream format {format} (Bulkhead {source} to {destination})</source>
        <translation>Migrationsstreamformat {format} (Bulkhead {source} nach {destination})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the guest image is the bundled one, present on the destination</source>
        <translation>das Gastimage ist das mitgelieferte und auf dem Ziel vorhanden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the guest image {path} is present on the destination</source>
        <translation>das Gastimage {path} ist auf dem Ziel vorhanden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a network adapter that is not connected stays so</source>
        <translation>ein nicht verbundener Netzwerkadapter bleibt nicht verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>adapter on &apos;{source}&apos; is mapped to switch &apos;{switch}&apos; on the destination</source>
        <translation>der Adapter an „{source}“ wird auf dem Ziel dem Switch „{switch}“ zugeordnet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>adapter on &apos;{source}&apos; connects to switch &apos;{switch}&apos; on the destination</source>
        <translation>der Adapter an „{source}“ wird auf dem Ziel mit dem Switch „{switch}“ verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>adapter &apos;{source}&apos; is mapped to switch &apos;{switch}&apos;, which the destination does not have (it has: {have})</source>
        <translation>der Adapter „{source}“ ist dem Switch „{switch}“ zugeordnet, den das Ziel nicht hat (vorhanden: {have})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>map adapter &apos;{source}&apos; to a switch on the destination</source>
        <translation>ordnen Sie den Adapter „{source}“ einem Switch auf dem Ziel zu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination has no virtual switch &apos;{source}&apos; (it has: {have})</source>
        <translation>das Ziel hat keinen virtuellen Switch „{source}“ (vorhanden: {have})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>map adapter &apos;{source}&apos; to a switch on the destination (--network-map {source}=SWITCH)</source>
        <translation>ordnen Sie den Adapter „{source}“ einem Switch auf dem Ziel zu (--network-map {source}=SWITCH)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>network map: no adapter of the VM is on &apos;{source}&apos;</source>
        <translation>Netzwerkzuordnung: kein Adapter des virtuellen Computers ist an „{source}“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>remove {source}={switch} from the network map</source>
        <translation>entfernen Sie {source}={switch} aus der Netzwerkzuordnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the destination folder</source>
        <translation>der Zielordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>choose another folder (--path DIR)</source>
        <translation>wählen Sie einen anderen Ordner aus (--path DIR)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the free space in {path} is not known</source>
        <translation>der freie Speicherplatz in {path} ist nicht bekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} has {free} free; the move needs {need}</source>
        <translation>{path} hat {free} frei; das Verschieben benötigt {need}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>free {size} in {path} or choose another folder (--path DIR)</source>
        <translation>geben Sie {size} in {path} frei, oder wählen Sie einen anderen Ordner aus (--path DIR)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} (it will be made): {free} free, the move needs {need}</source>
        <translation>{path} (wird erstellt): {free} frei, das Verschieben benötigt {need}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path}: {free} free, the move needs {need}</source>
        <translation>{path}: {free} frei, das Verschieben benötigt {need}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disk {path} ({size}) is shared: the destination reaches the same file; it is not copied</source>
        <translation>Datenträger {path} ({size}) ist freigegeben: das Ziel erreicht dieselbe Datei; sie wird nicht kopiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>disk {path} is shared: the destination reaches the same file; it is not copied</source>
        <translation>Datenträger {path} ist freigegeben: das Ziel erreicht dieselbe Datei; sie wird nicht kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disk {path} ({size}) will be copied: {duration} {at}</source>
        <translation>Datenträger {path} ({size}) wird kopiert: {duration} {at}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disk {path} will be copied: {duration} {at}</source>
        <translation>Datenträger {path} wird kopiert: {duration} {at}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another file is at {path} on the destination; {text} into the VM&apos;s folder</source>
        <translation>auf dem Ziel befindet sich unter {path} eine andere Datei; {text} in den Ordner des virtuellen Computers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nothing to do unless the two should be one shared disk</source>
        <translation>nichts zu tun, außer die beiden sollten ein freigegebener Datenträger sein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{text}: the move might take long</source>
        <translation>{text}: das Verschieben kann lange dauern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>share the disk between the hosts (the same path on both), or allow the time</source>
        <translation>geben Sie den Datenträger für beide Hosts frei (derselbe Pfad auf beiden), oder planen Sie die Zeit ein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>under a second</source>
        <translation>unter einer Sekunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>about {seconds} s</source>
        <translation>etwa {seconds} s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>about {minutes} min</source>
        <translation>etwa {minutes} min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at {rate}</source>
        <translation>bei {rate}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at an assumed {rate} (bandwidth not measured)</source>
        <translation>bei angenommenen {rate} (Bandbreite nicht gemessen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the image path</source>
        <translation>dem Imagepfad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>another file is at {path} on the destination: the VM&apos;s guest image ({size}) will be copied into its folder</source>
        <translation>auf dem Ziel befindet sich unter {path} eine andere Datei: das Gastimage des virtuellen Computers ({size}) wird in seinen Ordner kopiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>another file is at {path} on the destination: the VM&apos;s guest image will be copied into its folder</source>
        <translation>auf dem Ziel befindet sich unter {path} eine andere Datei: das Gastimage des virtuellen Computers wird in seinen Ordner kopiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nothing to do unless the other file should be the VM&apos;s</source>
        <translation>nichts zu tun, außer die andere Datei sollte die des virtuellen Computers sein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the guest image ({size}) will be copied to the destination</source>
        <translation>das Gastimage ({size}) wird auf das Ziel kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the guest image will be copied to the destination</source>
        <translation>das Gastimage wird auf das Ziel kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a live move to this host needs the VM&apos;s disks and guest image there already ({n} file, {size} to copy)</source>
        <translation>eine Livemigration auf diesen Host erfordert, dass die Datenträger und das Gastimage des virtuellen Computers dort bereits vorhanden sind ({n} Datei, {size} zu kopieren)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a live move to this host needs the VM&apos;s disks and guest image there already ({n} files, {size} to copy)</source>
        <translation>eine Livemigration auf diesen Host erfordert, dass die Datenträger und das Gastimage des virtuellen Computers dort bereits vorhanden sind ({n} Dateien, {size} zu kopieren)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>move it with --type quick (saved, copied and restored), or share its files between the hosts</source>
        <translation>verschieben Sie ihn mit --type quick (gespeichert, kopiert und wiederhergestellt), oder geben Sie seine Dateien für beide Hosts frei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the VM has {n} checkpoint: a move does not carry checkpoints yet (their disks would stay behind)</source>
        <translation>der virtuelle Computer hat {n} Prüfpunkt: ein Verschieben nimmt Prüfpunkte noch nicht mit (ihre Datenträger würden zurückbleiben)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the VM has {n} checkpoints: a move does not carry checkpoints yet (their disks would stay behind)</source>
        <translation>der virtuelle Computer hat {n} Prüfpunkte: ein Verschieben nimmt Prüfpunkte noch nicht mit (ihre Datenträger würden zurückbleiben)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>delete its checkpoints first (bulkhead vm checkpoint-remove VM CHECKPOINT)</source>
        <translation>löschen Sie zuerst seine Prüfpunkte (bulkhead vm checkpoint-remove VM CHECKPOINT)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM is {state}: it keeps running while its memory moves</source>
        <translation>der virtuelle Computer hat den Status {state}: Er wird weiter ausgeführt, während sein Arbeitsspeicher übertragen wird</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM is {state}: its files are copied</source>
        <translation>der virtuelle Computer hat den Status {state}: Seine Dateien werden kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not running</source>
        <translation>Nicht ausgeführt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>bandwidth not measured; assumed {rate} MiB/s</source>
        <translation>Bandbreite nicht gemessen; {rate} MiB/s angenommen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give a bandwidth to time the copies at your link&apos;s rate (--bandwidth 100M)</source>
        <translation>geben Sie eine Bandbreite an, um die Kopierdauer mit der Rate Ihrer Verbindung zu berechnen (--bandwidth 100M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the VM is {state}, but its files are not all on the destination: it is saved, moved and restored</source>
        <translation>der virtuelle Computer hat den Status {state}, aber seine Dateien sind nicht alle auf dem Ziel: Er wird gespeichert, verschoben und wiederhergestellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the destination is the VM&apos;s own host</source>
        <translation>das Ziel ist der Host des virtuellen Computers selbst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>choose another host, or move only its storage (--type storage --path DIR)</source>
        <translation>wählen Sie einen anderen Host aus, oder verschieben Sie nur seinen Speicher (--type storage --path DIR)</translation>
    </message>
</context>
<context>
    <name>PrecheckPage</name>
    <message>
        <location filename="../../gui/wizards/migrate/precheck.py" line="+27"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Information</source>
        <translation>Information</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>VM state</source>
        <translation>VM-Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bandwidth</source>
        <translation>Bandbreite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Processors</source>
        <translation>Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backend</source>
        <translation>Back-End</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Versions</source>
        <translation>Versionen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guest image</source>
        <translation>Gastimage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disk</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Free space</source>
        <translation>Freier Speicherplatz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints</source>
        <translation>Prüfpunkte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transfer type</source>
        <translation>Übertragungsart</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind of host</source>
        <translation>Hosttyp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finding</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What to do</source>
        <translation>Maßnahme</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Precheck</source>
        <translation>Vorabprüfung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the move would meet on both hosts. Errors must be fixed before it can start; warnings and notes do not stop it.</source>
        <translation>Was beim Verschieben auf beiden Hosts zu erwarten ist. Fehler müssen vor dem Start behoben werden; Warnungen und Hinweise verhindern ihn nicht.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Precheck results</source>
        <translation>Ergebnisse der Vorabprüfung</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Check &amp;Again</source>
        <translation>&amp;Erneut prüfen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>What the move would meet on both hosts. An error stops the move until it is fixed (the last column says how, or on which later page); a warning does not. Check Again repeats the check (bulkhead vm move --precheck).</source>
        <translation>Was die Migration auf beiden Hosts vorfinden würde. Ein Fehler verhindert die Migration, bis er behoben ist (die letzte Spalte sagt, wie oder auf welcher späteren Seite); eine Warnung nicht. Erneut prüfen wiederholt die Prüfung (bulkhead vm move --precheck).</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Checking the move of {name} to {host}...</source>
        <translation>Das Verschieben von {name} nach {host} wird überprüft...</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The move could not be checked: {why}</source>
        <translation>Das Verschieben konnte nicht überprüft werden: {why}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>libvirt connects the domain to the destination&apos;s network of the same name when it migrates; check that it has one</source>
        <translation>libvirt verbindet die Domäne beim Migrieren mit dem gleichnamigen Netzwerk des Ziels; prüfen Sie, ob es vorhanden ist</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fix it on the {page} page: {hint}</source>
        <translation>Beheben Sie dies auf der Seite „{page}“: {hint}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fix it on the {page} page</source>
        <translation>Beheben Sie dies auf der Seite „{page}“</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>1 error</source>
        <translation>1 Fehler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{n} errors</source>
        <translation>{n} Fehler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 warning</source>
        <translation>1 Warnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} warnings</source>
        <translation>{n} Warnungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{counts}: the move cannot start until the errors are fixed.</source>
        <translation>{counts}: Das Verschieben kann erst beginnen, wenn die Fehler behoben sind.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{counts}: the errors left are fixed on the next pages.</source>
        <translation>{counts}: Die verbleibenden Fehler werden auf den nächsten Seiten behoben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{counts}: the move can go ahead; read the warnings first.</source>
        <translation>{counts}: Das Verschieben kann erfolgen; lesen Sie zuerst die Warnungen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No problems found: the move can go ahead.</source>
        <translation>Keine Probleme gefunden: Das Verschieben kann erfolgen.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Checking the move...</source>
        <translation>Das Verschieben wird überprüft...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The move has not been checked.</source>
        <translation>Das Verschieben wurde nicht überprüft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fix this first: {text}</source>
        <translation>Beheben Sie zuerst Folgendes: {text}</translation>
    </message>
</context>
<context>
    <name>ProcessorsPage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/processors.py" line="+17"/>
        <source>Configure Processors</source>
        <translation>Prozessoren konfigurieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each virtual processor is a thread of the host running guest code on a host processor.</source>
        <translation>Jeder virtuelle Prozessor ist ein Thread des Hosts, der Gastcode auf einem Hostprozessor ausführt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Processors</source>
        <translation>Prozessoren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number of virtual processors</source>
        <translation>Anzahl virtueller Prozessoren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number of virtual &amp;processors:</source>
        <translation>Anzahl virtueller &amp;Prozessoren:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How many virtual processors the guest sees. Each runs as a thread on the host; more than the host&apos;s logical processors only makes the guests wait (--vcpus).</source>
        <translation>Wie viele virtuelle Prozessoren der Gast sieht. Jeder läuft als Thread auf dem Host; mehr als die logischen Prozessoren des Hosts lassen die Gäste nur warten (--vcpus).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Up to {n}: {why}.</source>
        <translation>Bis zu {n}: {why}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Up to {n} on this host.</source>
        <translation>Bis zu {n} auf diesem Host.</translation>
    </message>
</context>
<context>
    <name>ScriptDialog</name>
    <message>
        <location filename="../../gui/dialogs/script.py" line="+43"/>
        <source>View Script - {title}</source>
        <translation>Skript anzeigen - {title}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>These do the same as this window. Run the command in a shell, or save the script and run it with &lt;tt&gt;bulkhead script run FILE.py&lt;/tt&gt;.</source>
        <translation>Diese bewirken dasselbe wie dieses Fenster. Führen Sie den Befehl in einer Shell aus, oder speichern Sie das Skript und führen Sie es mit &lt;tt&gt;bulkhead script run FILE.py&lt;/tt&gt; aus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Command line</source>
        <translation>Befehlszeile</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Copy command line</source>
        <translation>Befehlszeile &amp;kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save...</source>
        <translation>&amp;Speichern...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python script</source>
        <translation>Python-Skript</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Copy Python script</source>
        <translation>Python-Skript k&amp;opieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sa&amp;ve...</source>
        <translation>Spei&amp;chern...</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Save this as a file</source>
        <translation>Als Datei speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this as a Python file (run it with bulkhead script run FILE.py)</source>
        <translation>Als Python-Datei speichern (Ausführen mit bulkhead script run FILE.py)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Save Command Line</source>
        <translation>Befehlszeile speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save Python Script</source>
        <translation>Python-Skript speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shell scripts (*.sh);;Text files (*.txt);;All files (*)</source>
        <translation>Shellskripts (*.sh);;Textdateien (*.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python scripts (*.py);;All files (*)</source>
        <translation>Python-Skripts (*.py);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Saving {path}...</source>
        <translation>{path} wird gespeichert...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved {path}.</source>
        <translation>{path} wurde gespeichert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot save {path}: {why}</source>
        <translation>{path} kann nicht gespeichert werden: {why}</translation>
    </message>
</context>
<context>
    <name>SelectHostPage</name>
    <message>
        <location filename="../../gui/wizards/migrate/select_host.py" line="+33"/>
        <source>Rating</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transfer type</source>
        <translation>Übertragungsart</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Free memory</source>
        <translation>Freier Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU load</source>
        <translation>CPU-Last</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Backend</source>
        <translation>Back-End</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+7"/>
        <source>Select Host</source>
        <translation>Host auswählen</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Choose where {name} goes. The stars weigh each host&apos;s free memory, CPU load, disk and network with this VM placed there.</source>
        <translation>Wählen Sie aus, wohin {name} verschoben wird. Die Sterne gewichten freien Arbeitsspeicher, CPU-Last, Datenträger und Netzwerk jedes Hosts, wenn dieser virtuelle Computer dort platziert ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose where {names} go, one after another. The stars weigh each host&apos;s free memory, CPU load, disk and network with all of them placed there (their loads summed).</source>
        <translation>Wählen Sie aus, wohin {names} nacheinander verschoben werden. Die Sterne gewichten freien Arbeitsspeicher, CPU-Last, Datenträger und Netzwerk jedes Hosts, wenn alle dort platziert sind (ihre Lasten summiert).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Hosts and their ratings</source>
        <translation>Hosts und ihre Bewertungen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Rating explanation</source>
        <translation>Erläuterung der Bewertung</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>C&amp;ustomize Ratings...</source>
        <translation>Bewertungen an&amp;passen...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Rate Again</source>
        <translation>&amp;Erneut bewerten</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Every host the console knows, rated from 0 to 5 stars for this VM from its free memory, CPU load, disk and network with the VM placed there. Select a host to read why; a host with 0 stars says why it cannot take the VM (bulkhead host rate VM --explain).</source>
        <translation>Jeder Host, den die Konsole kennt, mit 0 bis 5 Sternen für diesen virtuellen Computer bewertet, nach freiem Arbeitsspeicher, CPU-Last, Datenträger und Netzwerk mit dem virtuellen Computer darauf. Wählen Sie einen Host, um die Begründung zu lesen; ein Host mit 0 Sternen sagt, warum er den virtuellen Computer nicht aufnehmen kann (bulkhead host rate VM --explain).</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No host is connected.</source>
        <translation>Es ist kein Host verbunden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rating {count} hosts...</source>
        <translation>{count} Hosts werden bewertet...</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{host} is not connected: {why}</source>
        <translation>{host} ist nicht verbunden: {why}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} hosts rated; sort by any column, select one to see its rating explained</source>
        <translation>{count} Hosts bewertet; sortieren Sie nach einer beliebigen Spalte, und wählen Sie einen Host aus, um die Erläuterung seiner Bewertung anzuzeigen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The hosts could not be rated: {why}</source>
        <translation>Die Hosts konnten nicht bewertet werden: {why}</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{stars} stars</source>
        <translation>{stars} Sterne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stars} of 5 stars</source>
        <translation>{stars} von 5 Sternen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{host} (this VM&apos;s host)</source>
        <translation>{host} (Host dieses virtuellen Computers)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{percent} % on average</source>
        <translation>durchschnittlich {percent} %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no load measured yet</source>
        <translation>noch keine Last gemessen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Select a host to see why it has its rating.</source>
        <translation>Wählen Sie einen Host aus, um die Begründung seiner Bewertung anzuzeigen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;{host}: {stars} of 5 stars&lt;/b&gt;</source>
        <translation>&lt;b&gt;{host}: {stars} von 5 Sternen&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>resource maximization</source>
        <translation>Ressourcenmaximierung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>load balancing</source>
        <translation>Lastenausgleich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rated for {goal}, with customized importance and load</source>
        <translation>Bewertet für {goal}, mit angepasster Gewichtung und Last</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rated for {goal}, from the VM&apos;s measured load</source>
        <translation>Bewertet für {goal}, anhand der gemessenen Last des virtuellen Computers</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{host} cannot move its VMs to another host: {why}</source>
        <translation>{host} kann seine virtuellen Computer nicht auf einen anderen Host verschieben: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rating the hosts...</source>
        <translation>Hosts werden bewertet...</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose a host.</source>
        <translation>Wählen Sie einen Host aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose another host: several VMs move together only to another host.</source>
        <translation>Wählen Sie einen anderen Host aus: Mehrere virtuelle Computer können nur gemeinsam auf einen anderen Host verschoben werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The VM is on {host}, which cannot move its storage: {why}</source>
        <translation>Der virtuelle Computer befindet sich auf {host}, der seinen Speicher nicht verschieben kann: {why}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{host} cannot take these VMs: {why}</source>
        <translation>{host} kann diese virtuellen Computer nicht aufnehmen: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{host} cannot take this VM: {why}</source>
        <translation>{host} kann diesen virtuellen Computer nicht aufnehmen: {why}</translation>
    </message>
</context>
<context>
    <name>SelectVmPage</name>
    <message>
        <location filename="../../gui/wizards/import_vm/select.py" line="+24"/>
        <source>Select Virtual Machine</source>
        <translation>Virtuellen Computer auswählen</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+55"/>
        <source>Select the virtual machine to import.</source>
        <translation>Wählen Sie den zu importierenden virtuellen Computer aus.</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Virtual machines found</source>
        <translation>Gefundene virtuelle Computer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Date Exported</source>
        <translation>Exportdatum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What the export holds</source>
        <translation>Was der Export enthält</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The exported virtual machines found in the folder, with when each was exported. Choose the one to import.</source>
        <translation>Die im Ordner gefundenen exportierten virtuellen Computer mit ihrem Exportzeitpunkt. Wählen Sie den zu importierenden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What the chosen export holds: its settings, disks, checkpoints and saved state, as export.json lists them.</source>
        <translation>Was der gewählte Export enthält: seine Einstellungen, Datenträger, Prüfpunkte und den gespeicherten Zustand, wie export.json sie auflistet.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The host checks every file against export.json again when it imports.</source>
        <translation>Der Host prüft beim Importieren jede Datei erneut anhand von export.json.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../gui/session.py" line="+68"/>
        <source>Bulkhead</source>
        <translation>Bulkhead</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Connecting to the host service...</source>
        <translation>Verbindung mit dem Hostdienst wird hergestellt...</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Job history unavailable: {error}</source>
        <translation>Auftragsverlauf nicht verfügbar: {error}</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Connected again</source>
        <translation>Wieder verbunden</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Cannot refresh the VM list: {error}</source>
        <translation>Die Liste der virtuellen Computer kann nicht aktualisiert werden: {error}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Host information unavailable: {error}</source>
        <translation>Hostinformationen nicht verfügbar: {error}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>{host} (embedded)</source>
        <translation>{host} (eingebettet)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{host} (local)</source>
        <translation>{host} (lokal)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{host} is connecting</source>
        <translation>{host} wird verbunden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{host} is disconnected</source>
        <translation>{host} ist getrennt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} is {state}</source>
        <translation>{host}: {state}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{host} does not offer this</source>
        <translation>{host} bietet dies nicht an</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>this host</source>
        <translation>dieser Host</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>{job} failed</source>
        <translation>{job} fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Some operations failed</source>
        <translation>Einige Vorgänge sind fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../gui/dialogs/settings.py" line="+54"/>
        <source>Nothing</source>
        <translation>Nichts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatically start if it was running when the host service stopped</source>
        <translation>Automatisch starten, wenn er beim Beenden des Hostdiensts ausgeführt wurde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Always start this virtual machine automatically</source>
        <translation>Diesen virtuellen Computer immer automatisch starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the virtual machine state</source>
        <translation>Status des virtuellen Computers speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off the virtual machine</source>
        <translation>Virtuellen Computer ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut down the guest operating system</source>
        <translation>Gastbetriebssystem herunterfahren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Synthetic SCSI over VMBus</source>
        <translation>Synthetisches SCSI über VMBus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emulated IDE</source>
        <translation>Emuliertes IDE</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Settings for {name}</source>
        <translation>Einstellungen für {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>View &amp;Script...</source>
        <translation>&amp;Skript anzeigen...</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Hardware</source>
        <translation>Hardware</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>Processor</source>
        <translation>Prozessor</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Each virtual processor is a thread of the host service.</source>
        <translation>Jeder virtuelle Prozessor ist ein Thread des Hostdiensts.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number of virtual processors</source>
        <translation>Anzahl virtueller Prozessoren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Number of virtual &amp;processors:</source>
        <translation>Anzahl virtueller &amp;Prozessoren:</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+10"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>The guest&apos;s startup memory; pages are mapped when the guest first touches them.</source>
        <translation>Der Arbeitsspeicher beim Start des Gasts; Seiten werden zugeordnet, wenn der Gast zum ersten Mal auf sie zugreift.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Startup memory in MiB</source>
        <translation>Arbeitsspeicher beim Start in MiB</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>No disk yet? New... makes one on the host and puts it here (the New Virtual Machine wizard can create one with the VM too).</source>
        <translation>Noch kein Datenträger? „Neu...“ erstellt einen auf dem Host und fügt ihn hier ein (der Assistent für neue virtuelle Computer kann auch einen zusammen mit dem virtuellen Computer erstellen).</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>Startup &amp;memory:</source>
        <translation>&amp;Arbeitsspeicher beim Start:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory understood as</source>
        <translation>Arbeitsspeicher interpretiert als</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Guest image</source>
        <translation>Gastimage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What the VM boots, and the workload the bundled guest runs.</source>
        <translation>Was der virtuelle Computer startet und welche Arbeitslast der mitgelieferte Gast ausführt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bundled Bulkhead guest</source>
        <translation>Der mitgelieferte Bulkhead-Gast</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another guest image file:</source>
        <translation>Andere Gastimagedatei:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Guest image file</source>
        <translation>Gastimagedatei</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Workload profile</source>
        <translation>Arbeitslastprofil</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Workload amount</source>
        <translation>Umfang der Arbeitslast</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Extra guest command line</source>
        <translation>Zusätzliche Gastbefehlszeile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Workload:</source>
        <translation>Arbeits&amp;last:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount:</source>
        <translation>Umfang:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extra guest &amp;command line:</source>
        <translation>Zusätzliche Gast&amp;befehlszeile:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guest Image</source>
        <translation>Gastimage</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+18"/>
        <source>Hard Drive</source>
        <translation>Festplatte</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>One virtual hard disk, on the synthetic SCSI controller (VMBus: requests are batched) or the emulated IDE controller (every register access traps).</source>
        <translation>Eine virtuelle Festplatte am synthetischen SCSI-Controller (VMBus: Anforderungen werden gebündelt) oder am emulierten IDE-Controller (jeder Registerzugriff löst einen Trap aus).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Virtual hard disk file</source>
        <translation>Datei der virtuellen Festplatte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none - type the path of a .vhd or raw image to attach one</source>
        <translation>keine – geben Sie den Pfad einer .vhd-Datei oder eines raw-Images ein, um sie anzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk controller</source>
        <translation>Datenträgercontroller</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;New...</source>
        <translation>&amp;Neu...</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+143"/>
        <source>Create a virtual hard disk on the host and attach it here</source>
        <translation>Virtuelle Festplatte auf dem Host erstellen und hier anfügen</translation>
    </message>
    <message>
        <location line="-140"/>
        <source>Virtual hard &amp;disk:</source>
        <translation>Virtuelle &amp;Festplatte:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Controller:</source>
        <translation>Controller:</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+8"/>
        <source>Network Adapter</source>
        <translation>Netzwerkadapter</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>A synthetic network adapter on a virtual switch of this host.</source>
        <translation>Ein synthetischer Netzwerkadapter an einem virtuellen Switch dieses Hosts.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Virtual switch</source>
        <translation>Virtueller Switch</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+153"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="-152"/>
        <source>IPv4 address</source>
        <translation>IPv4-Adresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual &amp;switch:</source>
        <translation>Virtueller &amp;Switch:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>IPv4 address:</source>
        <translation>IPv4-Adresse:</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <source>COM 1</source>
        <translation>COM 1</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>An emulated 8250 UART: the guest&apos;s serial console.</source>
        <translation>Ein emulierter 8250-UART: die serielle Konsole des Gasts.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connected to the VM connection window (and to `bulkhead vm connect`). Always present; the bundled guest&apos;s shell runs on it.</source>
        <translation>Verbunden mit dem Fenster „Verbindung mit virtuellem Computer“ (und mit `bulkhead vm connect`). Immer vorhanden; die Shell des mitgelieferten Gasts läuft darauf.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Management</source>
        <translation>Verwaltung</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <location line="+5"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>The name shows in the console and the command line; the VM&apos;s folder does not change when it is renamed.</source>
        <translation>Der Name wird in der Konsole und in der Befehlszeile angezeigt; der Ordner des virtuellen Computers ändert sich beim Umbenennen nicht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>N&amp;otes:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+11"/>
        <source>Integration Services</source>
        <translation>Integrationsdienste</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Services the guest and the host offer each other over VMBus. They are turned on or off together.</source>
        <translation>Dienste, die Gast und Host einander über VMBus anbieten. Sie werden gemeinsam aktiviert oder deaktiviert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Offer integration services to the guest</source>
        <translation>&amp;Integrationsdienste für den Gast anbieten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Integration services status</source>
        <translation>Status der Integrationsdienste</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>Automatic Start Action</source>
        <translation>Automatische Startaktion</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>What the VM does when the host service starts.</source>
        <translation>Was der virtuelle Computer beim Start des Hostdiensts tut.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic start action</source>
        <translation>Automatische Startaktion</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Automatic Stop Action</source>
        <translation>Automatische Stoppaktion</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>What happens to the VM when the host service stops.</source>
        <translation>Was mit dem virtuellen Computer beim Beenden des Hostdiensts geschieht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic stop action</source>
        <translation>Automatische Stoppaktion</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Settings for {name} ({state})</source>
        <translation>Einstellungen für {name} ({state})</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Read-only: {why}. Turn it off to change this.</source>
        <translation>Schreibgeschützt: {why}. Schalten Sie ihn aus, um dies zu ändern.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cannot list virtual switches: {error}</source>
        <translation>Virtuelle Switches können nicht aufgelistet werden: {error}</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Choose a guest image file.</source>
        <translation>Wählen Sie eine Gastimagedatei aus.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The command line and Python script that make these changes</source>
        <translation>Befehlszeile und Python-Skript, die diese Änderungen vornehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change something first</source>
        <translation>Ändern Sie zuerst etwas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Change {settings}</source>
        <translation>{settings} ändern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Nothing changed yet</source>
        <translation>Noch nichts geändert</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Applying...</source>
        <translation>Wird übernommen...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Applied: {settings} ({job} {id})</source>
        <translation>Übernommen: {settings} ({job} {id})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not applied: {error}</source>
        <translation>Nicht übernommen: {error}</translation>
    </message>
</context>
<context>
    <name>SuggestionsPanel</name>
    <message>
        <location filename="../../gui/alerts/suggestions.py" line="+36"/>
        <location line="+8"/>
        <source>Suggested moves</source>
        <translation>Vorgeschlagene Verschiebungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suggestions status</source>
        <translation>Status der Vorschläge</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Relieve {host}&apos;s {what}&lt;/b&gt;: the VMs whose move would help most, each to its best-rated host</source>
        <translation>&lt;b&gt;{what} von {host} entlasten&lt;/b&gt;: die VMs, deren Verschiebung am meisten hilft, jeweils auf ihren am besten bewerteten Host</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Measuring the VMs and rating the other hosts...</source>
        <translation>Die VMs werden gemessen und die anderen Hosts bewertet...</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&lt;b&gt;Relieve {host}&apos;s {what}&lt;/b&gt; ({percent} % in use): the VMs whose move would help most, each to its best-rated host</source>
        <translation>&lt;b&gt;{what} von {host} entlasten&lt;/b&gt; ({percent} % belegt): die VMs, deren Verschiebung am meisten hilft, jeweils auf ihren am besten bewerteten Host</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No suggestions: {why}</source>
        <translation>Keine Vorschläge: {why}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No VM to suggest: {why}</source>
        <translation>Keine VM vorzuschlagen: {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No VM to suggest</source>
        <translation>Keine VM vorzuschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No other host is connected: add one to move VMs to (File &gt; Add Host)</source>
        <translation>Kein anderer Host ist verbunden: Fügen Sie einen hinzu, auf den VMs verschoben werden können (Datei &gt; Host hinzufügen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rated among {count} other host(s) for load balancing; the wizard checks and predicts the move before it starts</source>
        <translation>Unter {count} anderen Hosts für den Lastenausgleich bewertet; der Assistent prüft die Verschiebung und sagt sie vorher, bevor sie beginnt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>VM</source>
        <translation>VM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relief</source>
        <translation>Entlastung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Migrate...</source>
        <translation>Migrieren...</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>frees {size} of memory</source>
        <translation>gibt {size} Arbeitsspeicher frei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>frees about {percent} % of the host&apos;s CPU</source>
        <translation>gibt etwa {percent} % der CPU des Hosts frei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>frees about {percent} % of one processor</source>
        <translation>gibt etwa {percent} % eines Prozessors frei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> ({percent} % in use after)</source>
        <translation> (danach {percent} % belegt)</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+12"/>
        <source>no host can take it</source>
        <translation>kein Host kann sie aufnehmen</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>to {host}, {stars} of 5 stars</source>
        <translation>nach {host}, {stars} von 5 Sternen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{host} is not connected</source>
        <translation>{host} ist nicht verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} is no longer on this host</source>
        <translation>{name} ist nicht mehr auf diesem Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the Migrate wizard for {name} with {host} chosen</source>
        <translation>Den Migrationsassistenten für {name} mit {host} als Ziel öffnen</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+19"/>
        <source>Completing the New Virtual Machine Wizard</source>
        <translation>Abschließen des Assistenten für neue virtuelle Computer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check what will be created. Back changes it; Finish creates it.</source>
        <translation>Überprüfen Sie, was erstellt wird. Mit „Zurück“ ändern Sie es, mit „Fertig stellen“ wird es erstellt.</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/migrate/summary.py" line="+33"/>
        <location line="+1"/>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+0"/>
        <location line="+2"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+2"/>
        <source>&amp;Start the virtual machine after creating it</source>
        <translation>Virtuellen Computer nach dem Erstellen &amp;starten</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/migrate/summary.py" line="+13"/>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+2"/>
        <source>&amp;View Script...</source>
        <translation>S&amp;kript anzeigen...</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+1"/>
        <source>Show the command line and the Python script that create this VM</source>
        <translation>Befehlszeile und Python-Skript anzeigen, die diesen virtuellen Computer erstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start the virtual machine as soon as it is created (--start); otherwise it is created Off.</source>
        <translation>Den virtuellen Computer starten, sobald er erstellt ist (--start); sonst wird er im Zustand Aus erstellt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>({controller} controller)</source>
        <translation>(Controller: {controller})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New: volume {name} in storage pool &apos;{pool}&apos;, {size} {controller}</source>
        <translation>Neu: Volume {name} im Speicherpool „{pool}“, {size} {controller}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New: {path}, {size}, made by qemu-img {controller}</source>
        <translation>Neu: {path}, {size}, erstellt mit qemu-img {controller}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New: {path}, {size} {controller}</source>
        <translation>Neu: {path}, {size} {controller}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Bundled Bulkhead guest</source>
        <translation>Mitgelieferter Bulkhead-Gast</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual processors</source>
        <translation>Virtuelle Prozessoren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Network</source>
        <translation>Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual hard disk</source>
        <translation>Virtuelle Festplatte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Guest image</source>
        <translation>Gastimage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workload</source>
        <translation>Arbeitslast</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integration services</source>
        <translation>Integrationsdienste</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/migrate/summary.py" line="-14"/>
        <source>Check what will happen. Back changes it; Finish starts the move.</source>
        <translation>Überprüfen Sie, was geschehen wird. Mit „Zurück“ ändern Sie es, mit „Fertig stellen“ beginnt das Verschieben.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Show the command line and the Python script that make this move</source>
        <translation>Befehlszeile und Python-Skript anzeigen, die dieses Verschieben ausführen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What the move will do, as chosen on the pages before; Back changes it.</source>
        <translation>Was die Migration tun wird, wie auf den vorigen Seiten gewählt; Zurück ändert es.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The move&apos;s predicted total time, data to send, pre-copy rounds and downtime, asked again every second from the VM&apos;s current dirty rate (bulkhead vm move --predict).</source>
        <translation>Die vorhergesagte Gesamtdauer, die zu sendenden Daten, die Vorabkopierrunden und die Ausfallzeit der Migration, jede Sekunde neu aus der aktuellen Änderungsrate des virtuellen Computers berechnet (bulkhead vm move --predict).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Predicting...</source>
        <translation>Vorhersage wird erstellt...</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Virtual machines</source>
        <translation>Virtuelle Computer</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+119"/>
        <source>Virtual machine</source>
        <translation>Virtueller Computer</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transfer type</source>
        <translation>Übertragungsart</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> (the automatic choice)</source>
        <translation> (automatische Auswahl)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the destination&apos;s own folder for VMs</source>
        <translation>der eigene Ordner des Ziels für virtuelle Computer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Networks</source>
        <translation>Netzwerke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no adapter connected</source>
        <translation>kein Adapter verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Disks</source>
        <translation>Datenträger</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>copied</source>
        <translation>kopiert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>shared</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bandwidth limit</source>
        <translation>Bandbreitenlimit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No limit</source>
        <translation>Kein Limit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Downtime limit</source>
        <translation>Ausfallzeitlimit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+0"/>
        <source>On</source>
        <translation>Ein</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+0"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Auto-converge</source>
        <translation>Automatische Konvergenz</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Checking the move once more with these choices...</source>
        <translation>Das Verschieben wird mit dieser Auswahl erneut überprüft...</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>⚠ The move cannot start: {text}</source>
        <translation>⚠ Das Verschieben kann nicht beginnen: {text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Precheck: {count} warnings, no errors: {text}</source>
        <translation>Vorabprüfung: {count} Warnungen, keine Fehler: {text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Precheck: no problems found.</source>
        <translation>Vorabprüfung: keine Probleme gefunden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>⚠ The move could not be checked: {why}</source>
        <translation>⚠ Das Verschieben konnte nicht überprüft werden: {why}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Updated {time}; asked again every second while this page is open</source>
        <translation>Aktualisiert {time}; wird jede Sekunde erneut abgefragt, solange diese Seite geöffnet ist</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{downtime} (limit {limit})</source>
        <translation>{downtime} (Grenze {limit})</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+25"/>
        <source>Total time</source>
        <translation>Gesamtdauer</translation>
    </message>
    <message>
        <location line="-24"/>
        <location line="+24"/>
        <source>Data to send</source>
        <translation>Zu sendende Daten</translation>
    </message>
    <message>
        <location line="-23"/>
        <location line="+23"/>
        <source>Rounds</source>
        <translation>Runden</translation>
    </message>
    <message>
        <location line="-22"/>
        <location line="+23"/>
        <source>Downtime</source>
        <translation>Ausfallzeit</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>it will not converge</source>
        <translation>sie konvergiert nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Converges</source>
        <translation>Konvergiert</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>No: {why}</source>
        <translation>Nein: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>measured</source>
        <translation>gemessen</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>your limit</source>
        <translation>Ihre Grenze</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>assumed</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>dirty rate {dirty} ({how}), bandwidth {bandwidth} ({source})</source>
        <translation>Änderungsrate {dirty} ({how}), Bandbreite {bandwidth} ({source})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Based on</source>
        <translation>Grundlage</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>All, one after another</source>
        <translation>Alle, nacheinander</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>at most {downtime}</source>
        <translation>höchstens {downtime}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>At least one of the live moves will not converge with these limits.</source>
        <translation>Mindestens eine der Livemigrationen konvergiert mit diesen Grenzen nicht.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>starting...</source>
        <translation>wird gestartet...</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>moving...</source>
        <translation>wird verschoben...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>moved</source>
        <translation>verschoben</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cancelled: it carries on at the source</source>
        <translation>abgebrochen: läuft auf der Quelle weiter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name}: {state}</source>
        <translation>{name}: {state}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{done} of {count} moved</source>
        <translation>{done} von {count} verschoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moving one after another (Cancel stops the running move and skips the rest):</source>
        <translation>Nacheinander verschieben („Abbrechen“ beendet das laufende Verschieben und überspringt den Rest):</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No prediction: {why}</source>
        <translation>Keine Vorhersage: {why}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checking the move...</source>
        <translation>Das Verschieben wird überprüft...</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+2"/>
        <source>Extra command line</source>
        <translation>Zusätzliche Befehlszeile</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <location filename="../../gui/wizards/migrate/summary.py" line="-63"/>
        <location filename="../../gui/wizards/new_vm/summary.py" line="+4"/>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
</context>
<context>
    <name>SwitchManager</name>
    <message>
        <location filename="../../gui/dialogs/switch_manager.py" line="+41"/>
        <source>Private</source>
        <translation>Privat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only the virtual machines connected to it reach each other.</source>
        <translation>Nur die damit verbundenen virtuellen Computer können einander erreichen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Internal</source>
        <translation>Intern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The virtual machines and this host reach each other (the host answers at the subnet&apos;s first address).</source>
        <translation>Die virtuellen Computer und dieser Host können einander erreichen (der Host antwortet unter der ersten Adresse des Subnetzes).</translation>
    </message>
</context>
<context>
    <name>SwitchManagerDialog</name>
    <message>
        <location line="+13"/>
        <source>Virtual Switch Manager for {host}</source>
        <translation>Manager für virtuelle Switches für {host}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this host</source>
        <translation>diesen Host</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual switches</source>
        <translation>Virtuelle Switches</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Create virtual switch</source>
        <translation>Virtuellen Switch erstellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name of the new virtual switch</source>
        <translation>Name des neuen virtuellen Switches</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+38"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="-22"/>
        <location line="+28"/>
        <source>Connection type:</source>
        <translation>Verbindungstyp:</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>&amp;Create Virtual Switch</source>
        <translation>Virtuellen Switch e&amp;rstellen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Virtual switch properties</source>
        <translation>Eigenschaften des virtuellen Switches</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Virtual switch name</source>
        <translation>Name des virtuellen Switches</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;name</source>
        <translation>&amp;Umbenennen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Subnet:</source>
        <translation>Subnetz:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual machines connected to this switch</source>
        <translation>Mit diesem Switch verbundene virtuelle Computer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Used by:</source>
        <translation>Verwendet von:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cannot list the virtual switches: {error}</source>
        <translation>Die virtuellen Switches können nicht aufgelistet werden: {error}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New virtual switch</source>
        <translation>Neuer virtueller Switch</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{name}: {type}, used by {vms}</source>
        <translation>{name}: {type}, verwendet von {vms}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no virtual machine</source>
        <translation>keinem virtuellen Computer</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>a virtual switch named &apos;{name}&apos; already exists</source>
        <translation>ein virtueller Switch mit dem Namen „{name}“ ist bereits vorhanden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot create virtual switches here: {why}</source>
        <translation>Hier können keine virtuellen Switches erstellt werden: {why}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Connect virtual machines to it in their settings (Network Adapter) or in the New Virtual Machine wizard.</source>
        <translation>Verbinden Sie virtuelle Computer in deren Einstellungen (Netzwerkadapter) oder im Assistenten für neue virtuelle Computer damit.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This host&apos;s switches cannot be changed here: {why}</source>
        <translation>Die Switches dieses Hosts können hier nicht geändert werden: {why}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Used by {vms}: disconnect them first (Settings &gt; Network Adapter) to remove it. A rename keeps them connected.</source>
        <translation>Verwendet von {vms}: Trennen Sie diese zuerst (Einstellungen &gt; Netzwerkadapter), um den Switch zu entfernen. Beim Umbenennen bleiben sie verbunden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No virtual machine uses {name}.</source>
        <translation>Kein virtueller Computer verwendet {name}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove {name}</source>
        <translation>{name} entfernen</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{job} (job {id})...</source>
        <translation>{job} (Auftrag {id})...</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>{job} did not complete</source>
        <translation>{job} wurde nicht abgeschlossen</translation>
    </message>
</context>
<context>
    <name>SwitchOperations</name>
    <message>
        <location filename="../../gui/operations/switch.py" line="+12"/>
        <source>Cannot list virtual switches</source>
        <translation>Virtuelle Switches können nicht aufgelistet werden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual switch not created</source>
        <translation>Virtueller Switch nicht erstellt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual switch not removed</source>
        <translation>Virtueller Switch nicht entfernt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Virtual switch not renamed</source>
        <translation>Virtueller Switch nicht umbenannt</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../../gui/tasks.py" line="+35"/>
        <source>cannot reach the host service: {error}</source>
        <translation>Hostdienst nicht erreichbar: {error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unexpected error ({kind}): {error}</source>
        <translation>unerwarteter Fehler ({kind}): {error}</translation>
    </message>
</context>
<context>
    <name>Terminal</name>
    <message>
        <location filename="../../gui/widgets/terminal.py" line="+40"/>
        <source>Serial console</source>
        <translation>Serielle Konsole</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guest output; keys you type go to the guest. Ctrl+Shift+C copies, Ctrl+Shift+V pastes, Ctrl+Tab leaves the console.</source>
        <translation>Gastausgabe; Ihre Tastatureingaben gehen an den Gast. Strg+Umschalt+C kopiert, Strg+Umschalt+V fügt ein, Strg+Tab verlässt die Konsole.</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <location filename="../../gui/wizards/migrate/select_host.py" line="-265"/>
        <source>Live</source>
        <translation>Livemigration</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quick</source>
        <translation>Schnellmigration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storage</source>
        <translation>Speichermigration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network copy</source>
        <translation>Netzwerkkopie</translation>
    </message>
</context>
<context>
    <name>TransferPage</name>
    <message>
        <location filename="../../gui/wizards/migrate/transfer.py" line="+25"/>
        <source>Transfer</source>
        <translation>Übertragung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the VM moves, and how hard it may use the link.</source>
        <translation>Wie der virtuelle Computer verschoben wird und wie stark er die Verbindung auslasten darf.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transfer type</source>
        <translation>Übertragungsart</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Live</source>
        <translation>&amp;Livemigration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Paused</source>
        <translation>An&amp;gehalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Quick</source>
        <translation>&amp;Schnellmigration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Network copy</source>
        <translation>&amp;Netzwerkkopie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move &amp;storage only</source>
        <translation>Nur Speicher &amp;verschieben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The VM keeps running while its memory moves; it pauses only for the last copy.</source>
        <translation>Der virtuelle Computer wird weiter ausgeführt, während sein Arbeitsspeicher übertragen wird; er hält nur für die letzte Kopie an.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libvirt pauses the VM while its memory moves.</source>
        <translation>libvirt hält den virtuellen Computer an, während sein Arbeitsspeicher übertragen wird.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The VM is saved, moved and restored: it is down meanwhile.</source>
        <translation>Der virtuelle Computer wird gespeichert, verschoben und wiederhergestellt: In dieser Zeit ist er nicht verfügbar.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The files of a VM that is off or saved are copied.</source>
        <translation>Die Dateien eines ausgeschalteten oder gespeicherten virtuellen Computers werden kopiert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its disk moves to another folder of its own host while it runs.</source>
        <translation>Sein Datenträger wird während der Ausführung in einen anderen Ordner seines eigenen Hosts verschoben.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Limits</source>
        <translation>Limits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bandwidth limit</source>
        <translation>Bandbreitenlimit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> MiB/s</source>
        <translation> MiB/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No limit</source>
        <translation>Kein Limit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most this much of the link; 0: as fast as it goes</source>
        <translation>Höchstens so viel der Verbindung; 0: so schnell wie möglich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Bandwidth limit:</source>
        <translation>&amp;Bandbreitenlimit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Downtime limit</source>
        <translation>Ausfallzeitlimit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live: the last copy starts once what is left fits this pause</source>
        <translation>Livemigration: Die letzte Kopie beginnt, sobald der Rest in diese Pause passt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Downtime limit:</source>
        <translation>&amp;Ausfallzeitlimit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Auto-converge</source>
        <translation>Automatische &amp;Konvergenz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slow the guest&apos;s processors down while it dirties memory faster than the link carries it, so the move can end</source>
        <translation>Prozessoren des Gasts verlangsamen, solange er Arbeitsspeicher schneller ändert, als die Verbindung ihn überträgt, damit das Verschieben enden kann</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Slows the guest&apos;s processors down while it dirties memory faster than the link carries it, so that the move can end.</source>
        <translation>Verlangsamt die Prozessoren des Gasts, solange er Arbeitsspeicher schneller ändert, als die Verbindung ihn überträgt, damit das Verschieben enden kann.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Copy the disks (they are not shared between the hosts)</source>
        <translation>Datenträger k&amp;opieren (sie werden nicht von den Hosts gemeinsam genutzt)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Live: the VM keeps running while its memory is copied in rounds; it pauses only for the last copy (--type live).</source>
        <translation>Live: Der virtuelle Computer läuft weiter, während sein Arbeitsspeicher in Runden kopiert wird; er hält nur für die letzte Kopie an (--type live).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quick: the VM is saved, moved and restored on the other host; it is down meanwhile (--type quick).</source>
        <translation>Schnell: Der virtuelle Computer wird gespeichert, verschoben und auf dem anderen Host wiederhergestellt; währenddessen ist er nicht verfügbar (--type quick).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Network copy: the files of a VM that is Off or Saved are copied to the other host (--type network).</source>
        <translation>Netzwerkkopie: Die Dateien eines virtuellen Computers im Zustand Aus oder Gespeichert werden auf den anderen Host kopiert (--type network).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move storage only: the VM stays on its host while its virtual hard disk moves to another folder (bulkhead vm move-storage).</source>
        <translation>Nur Speicher verschieben: Der virtuelle Computer bleibt auf seinem Host, während seine virtuelle Festplatte in einen anderen Ordner verschoben wird (bulkhead vm move-storage).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At most this much of the link for the move, in MiB/s; 0 takes what the link gives. A lower limit leaves room for other traffic but makes the move take longer (--bandwidth).</source>
        <translation>Höchstens so viel der Verbindung für die Migration, in MiB/s; 0 nimmt, was die Verbindung hergibt. Eine niedrigere Grenze lässt Platz für anderen Verkehr, verlängert aber die Migration (--bandwidth).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For a live move: the last copy, while the VM is paused, starts once what is left can be sent within this time (--downtime-limit).</source>
        <translation>Bei einer Livemigration: Die letzte Kopie, während der virtuelle Computer angehalten ist, beginnt, sobald der Rest in dieser Zeit gesendet werden kann (--downtime-limit).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slow the guest&apos;s processors down when it dirties memory faster than the link carries it, so that a live move can finish.</source>
        <translation>Die Prozessoren des Gasts verlangsamen, wenn er Arbeitsspeicher schneller ändert, als die Verbindung ihn überträgt, damit eine Livemigration fertig werden kann.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the VM&apos;s virtual hard disks along with it, for disks the destination cannot reach where they are.</source>
        <translation>Die virtuellen Festplatten des virtuellen Computers mitkopieren, für Datenträger, die das Ziel an ihrem Ort nicht erreicht.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{name}: {why}</source>
        <translation>{name}: {why}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>only on the VM&apos;s own host (choose it on Select Host)</source>
        <translation>nur auf dem eigenen Host des virtuellen Computers (wählen Sie ihn unter „Host auswählen“ aus)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libvirt moves a domain&apos;s disks itself (virsh blockcopy)</source>
        <translation>libvirt verschiebt die Datenträger einer Domäne selbst (virsh blockcopy)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the VM is on this host already</source>
        <translation>der virtuelle Computer befindet sich bereits auf diesem Host</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the VM is {state}, not running</source>
        <translation>der virtuelle Computer hat den Status {state} und wird nicht ausgeführt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a running VM moves live or quick</source>
        <translation>ein ausgeführter virtueller Computer wird per Livemigration oder Schnellmigration verschoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>libvirt moves running domains</source>
        <translation>libvirt verschiebt ausgeführte Domänen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the VM stays on its host: only its disk moves to another folder</source>
        <translation>der virtuelle Computer bleibt auf seinem Host: Nur sein Datenträger wird in einen anderen Ordner verschoben</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the VM is {state}: it keeps running while its memory moves</source>
        <translation>der virtuelle Computer hat den Status {state}: Er wird weiter ausgeführt, während sein Arbeitsspeicher übertragen wird</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the VM is {state}: its files are copied</source>
        <translation>der virtuelle Computer hat den Status {state}: Seine Dateien werden kopiert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{what} Not here: {why}.</source>
        <translation>{what} Hier nicht möglich: {why}.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Recommended: {type}, because {why}.</source>
        <translation>Empfohlen: {type}. Grund: {why}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recommended: {type}.</source>
        <translation>Empfohlen: {type}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name}: {type} by itself ({why})</source>
        <translation>{name}: für sich allein {type} ({why})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name}: {type} by itself</source>
        <translation>{name}: für sich allein {type}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each VM moves by its own automatic type unless a type is chosen that fits them all:</source>
        <translation>Jeder virtuelle Computer wird mit seiner eigenen automatischen Art verschoben, sofern keine Art ausgewählt wird, die für alle passt:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No transfer type fits: {why}</source>
        <translation>Keine Übertragungsart passt: {why}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a transfer type.</source>
        <translation>Wählen Sie eine Übertragungsart aus.</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../gui/validation.py" line="+33"/>
        <source>Type a name for the virtual machine.</source>
        <translation>Geben Sie einen Namen für den virtuellen Computer ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A name can have at most {max} characters ({n} now).</source>
        <translation>Ein Name darf höchstens {max} Zeichen lang sein (derzeit {n}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A name cannot contain control or formatting characters.</source>
        <translation>Ein Name darf keine Steuer- oder Formatierungszeichen enthalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A name cannot contain &apos;/&apos; or &apos;\&apos;.</source>
        <translation>Ein Name darf weder „/“ noch „\“ enthalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A name cannot start with &apos;.&apos;.</source>
        <translation>Ein Name darf nicht mit „.“ beginnen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A name cannot contain &apos;..&apos;.</source>
        <translation>Ein Name darf nicht „..“ enthalten.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is already a virtual machine named &apos;{name}&apos; on this host.</source>
        <translation>Auf diesem Host ist bereits ein virtueller Computer mit dem Namen „{name}“ vorhanden.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>this host has {size} MiB</source>
        <translation>dieser Host hat {size} MiB</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this host has {n} logical processors</source>
        <translation>dieser Host hat {n} logische Prozessoren</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>A virtual machine needs at least {n} MiB.</source>
        <translation>Ein virtueller Computer benötigt mindestens {n} MiB.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This host allows at most {n} MiB ({why}).</source>
        <translation>Dieser Host lässt höchstens {n} MiB zu ({why}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This host allows at most {n} MiB.</source>
        <translation>Dieser Host lässt höchstens {n} MiB zu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory must be a multiple of {n} MiB on this host.</source>
        <translation>Der Arbeitsspeicher muss auf diesem Host ein Vielfaches von {n} MiB sein.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Type the startup memory, for example 512 MB or 4 GB.</source>
        <translation>Geben Sie den Arbeitsspeicher beim Start ein, z. B. 512 MB oder 4 GB.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&apos;{text}&apos; is not an amount of memory: type a number of MiB, or one with a unit (512 MB, 4 GB, 2 GiB).</source>
        <translation>„{text}“ ist keine Arbeitsspeichergröße: Geben Sie eine Anzahl MiB oder eine Zahl mit Einheit ein (512 MB, 4 GB, 2 GiB).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{amount}: memory is set in whole MiB.</source>
        <translation>{amount}: Arbeitsspeicher wird in ganzen MiB festgelegt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{amount}: less than a virtual machine needs (at least {n} MiB).</source>
        <translation>{amount}: weniger, als ein virtueller Computer benötigt (mindestens {n} MiB).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{amount}: more than this host allows, at most {n} MiB ({why}).</source>
        <translation>{amount}: mehr, als dieser Host zulässt, höchstens {n} MiB ({why}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{amount}: more than this host allows (at most {n} MiB).</source>
        <translation>{amount}: mehr, als dieser Host zulässt (höchstens {n} MiB).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{amount}: memory must be a multiple of {n} MiB on this host.</source>
        <translation>{amount}: Der Arbeitsspeicher muss auf diesem Host ein Vielfaches von {n} MiB sein.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A virtual machine needs at least one virtual processor.</source>
        <translation>Ein virtueller Computer benötigt mindestens einen virtuellen Prozessor.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At most {n} virtual processors on this host ({why}).</source>
        <translation>Höchstens {n} virtuelle Prozessoren auf diesem Host ({why}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At most {n} virtual processors on this host.</source>
        <translation>Höchstens {n} virtuelle Prozessoren auf diesem Host.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The guest command line must be one line without control characters.</source>
        <translation>Die Gastbefehlszeile muss aus einer Zeile ohne Steuerzeichen bestehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This host takes no guest command line.</source>
        <translation>Dieser Host akzeptiert keine Gastbefehlszeile.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The guest command line is too long: with the workload and hostname the host adds it is {n} bytes; the limit is {limit}.</source>
        <translation>Die Gastbefehlszeile ist zu lang: Mit der Arbeitslast und dem Hostnamen, die der Host hinzufügt, umfasst sie {n} Bytes; das Limit ist {limit}.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Notes can have at most {max} characters ({n} now).</source>
        <translation>Notizen dürfen höchstens {max} Zeichen lang sein (derzeit {n}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Notes cannot contain control characters.</source>
        <translation>Notizen dürfen keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose a guest image file.</source>
        <translation>Wählen Sie eine Gastimagedatei aus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{path} is a folder, not a guest image file.</source>
        <translation>{path} ist ein Ordner und keine Gastimagedatei.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path} does not exist.</source>
        <translation>{path} ist nicht vorhanden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot read {path}: {why}.</source>
        <translation>{path} kann nicht gelesen werden: {why}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path} is not an ELF image.</source>
        <translation>{path} ist kein ELF-Image.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path} is a 32-bit ELF image; the guest must be ELF64.</source>
        <translation>{path} ist ein 32-Bit-ELF-Image; der Gast muss ELF64 sein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Idle</source>
        <translation>Leerlauf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steady CPU load</source>
        <translation>Gleichmäßige CPU-Last</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory dirtier</source>
        <translation>Arbeitsspeicheränderung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bursty CPU</source>
        <translation>Stoßweise CPU-Last</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>&apos;{text}&apos; is not an IPv4 address (like 192.0.2.20); leave it empty for the next free one.</source>
        <translation>„{text}“ ist keine IPv4-Adresse (wie 192.0.2.20); lassen Sie das Feld leer, um die nächste freie zu verwenden.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Choose the virtual hard disk file.</source>
        <translation>Wählen Sie die Datei der virtuellen Festplatte aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path} is a folder, not a virtual hard disk.</source>
        <translation>{path} ist ein Ordner und keine virtuelle Festplatte.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path} does not exist (make one with `bulkhead disk new {name} --size 16G`).</source>
        <translation>{path} ist nicht vorhanden (erstellen Sie sie mit `bulkhead disk new {name} --size 16G`).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{path} cannot be read and written by this user.</source>
        <translation>{path} kann von diesem Benutzer nicht gelesen und geschrieben werden.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Name the new virtual hard disk file, for example web1.{ext}.</source>
        <translation>Geben Sie den Namen der neuen Datei der virtuellen Festplatte an, z. B. web1.{ext}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The name is a file name: choose its folder under Location.</source>
        <translation>Der Name ist ein Dateiname: Wählen Sie den Ordner unter „Speicherort“ aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A virtual hard disk file ends in .vhd.</source>
        <translation>Eine Datei einer virtuellen Festplatte endet auf .vhd.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name cannot contain control characters.</source>
        <translation>Der Name darf keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Type the name of a storage pool on the host (virsh pool-list shows them), for example default.</source>
        <translation>Geben Sie den Namen eines Speicherpools auf dem Host ein (virsh pool-list zeigt sie an), z. B. default.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A storage pool&apos;s name has no &apos;/&apos; and no control characters.</source>
        <translation>Der Name eines Speicherpools enthält kein „/“ und keine Steuerzeichen.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Choose the folder for the new disk.</source>
        <translation>Wählen Sie den Ordner für den neuen Datenträger aus.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{folder} is not an absolute path (a libvirt domain names its disks by full path).</source>
        <translation>{folder} ist kein absoluter Pfad (eine libvirt-Domäne bezeichnet ihre Datenträger mit vollständigem Pfad).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{folder} is not an absolute path (the host resolves it, not this console).</source>
        <translation>{folder} ist kein absoluter Pfad (der Host löst ihn auf, nicht diese Konsole).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A VHD holds at most 2040 GiB.</source>
        <translation>Eine VHD fasst höchstens 2040 GiB.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The folder {folder} does not exist: create it first, or choose another.</source>
        <translation>Der Ordner {folder} ist nicht vorhanden: Erstellen Sie ihn zuerst, oder wählen Sie einen anderen aus.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{path} is a file, not a folder.</source>
        <translation>{path} ist eine Datei und kein Ordner.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{path} cannot be written by this user.</source>
        <translation>{path} kann von diesem Benutzer nicht geschrieben werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{path} already exists: a new disk never overwrites a file (choose another name, or use it as an existing disk).</source>
        <translation>{path} ist bereits vorhanden: Ein neuer Datenträger überschreibt nie eine Datei (wählen Sie einen anderen Namen, oder verwenden Sie sie als vorhandenen Datenträger).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>qemu-img is not installed on this machine (it makes the disk file): install it, or create the disk as a volume in a storage pool.</source>
        <translation>qemu-img ist auf diesem Computer nicht installiert (es erstellt die Datenträgerdatei): Installieren Sie es, oder erstellen Sie den Datenträger als Volume in einem Speicherpool.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A fixed disk of this size needs {size} MiB; the host&apos;s storage has {free} MiB free.</source>
        <translation>Ein Datenträger fester Größe benötigt hierfür {size} MiB; der Speicher des Hosts hat {free} MiB frei.</translation>
    </message>
</context>
<context>
    <name>VmActions</name>
    <message>
        <location filename="../../gui/actions.py" line="+20"/>
        <source>&amp;New Virtual Machine...</source>
        <translation>&amp;Neuer virtueller Computer...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Con&amp;vert Virtual Machine...</source>
        <translation>Virtuellen Computer &amp;konvertieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Convert &amp;Physical Server...</source>
        <translation>&amp;Physischen Server konvertieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Connect...</source>
        <translation>&amp;Verbinden...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;ttings...</source>
        <translation>&amp;Einstellungen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut &amp;Down...</source>
        <translation>&amp;Herunterfahren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn &amp;Off...</source>
        <translation>&amp;Ausschalten...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sa&amp;ve</source>
        <translation>S&amp;peichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Pause</source>
        <translation>Anhal&amp;ten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;eset...</source>
        <translation>&amp;Zurücksetzen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>De&amp;lete...</source>
        <translation>&amp;Löschen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Migrate...</source>
        <translation>&amp;Migrieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move VM S&amp;torage...</source>
        <translation>VM-Spei&amp;cher verschieben...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E&amp;xport...</source>
        <translation>E&amp;xportieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import Virtual Machine...</source>
        <translation>Virtuellen Computer &amp;importieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export as OV&amp;A...</source>
        <translation>Als &amp;OVA exportieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chec&amp;kpoint</source>
        <translation>&amp;Prüfpunkt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;vert...</source>
        <translation>Zu&amp;rücksetzen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per&amp;formance</source>
        <translation>Leistun&amp;g</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;fresh</source>
        <translation>Akt&amp;ualisieren</translation>
    </message>
    <message>
        <location line="+57"/>
        <location line="+38"/>
        <location line="+5"/>
        <location line="+5"/>
        <location line="+9"/>
        <location line="+20"/>
        <location line="+29"/>
        <location line="+20"/>
        <source>Not connected to a host</source>
        <translation>Nicht mit einem Host verbunden</translation>
    </message>
    <message>
        <location line="-124"/>
        <location line="+126"/>
        <source>{operation}: {why}</source>
        <translation>{operation}: {why}</translation>
    </message>
    <message>
        <location line="-120"/>
        <source>select a virtual machine first</source>
        <translation>wählen Sie zuerst einen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name} has a configuration error: {reason}</source>
        <translation>{name} hat einen Konfigurationsfehler: {reason}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Open the console of {names}</source>
        <translation>Konsole von {names} öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect: {why}</source>
        <translation>Verbinden: {why}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings of {name} ({why}; only names, notes and automatic actions can change)</source>
        <translation>Einstellungen von {name} ({why}; nur Namen, Notizen und automatische Aktionen können geändert werden)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings of {name}</source>
        <translation>Einstellungen von {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settings: select one virtual machine</source>
        <translation>Einstellungen: Wählen Sie einen einzelnen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Settings: {why}</source>
        <translation>Einstellungen: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create a virtual machine</source>
        <translation>Virtuellen Computer erstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New Virtual Machine: {why}</source>
        <translation>Neuer virtueller Computer: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Convert a VMware, OVF, VirtualBox, libvirt or Hyper-V virtual machine into one of this host&apos;s</source>
        <translation>Einen virtuellen Computer von VMware, OVF, VirtualBox, libvirt oder Hyper-V in einen dieses Hosts konvertieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Convert Virtual Machine: {why}</source>
        <translation>Virtuellen Computer konvertieren: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Capture a physical machine&apos;s disks into a new virtual machine of this host</source>
        <translation>Die Datenträger eines physischen Computers in einen neuen virtuellen Computer dieses Hosts erfassen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Convert Physical Server: {why}</source>
        <translation>Physischen Server konvertieren: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh the VM list now</source>
        <translation>Liste der virtuellen Computer jetzt aktualisieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Import a virtual machine that Export wrote into a folder of this host</source>
        <translation>Einen virtuellen Computer importieren, den &quot;Exportieren&quot; in einen Ordner dieses Hosts geschrieben hat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import Virtual Machine: {why}</source>
        <translation>Virtuellen Computer importieren: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Graphs of the selected virtual machines (several: overlaid), or of the host when none is selected</source>
        <translation>Diagramme der ausgewählten virtuellen Computer (mehrere: überlagert) oder des Hosts, wenn keiner ausgewählt ist</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Migrate: {why}</source>
        <translation>Migrieren: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Migrate: the selected VMs are on different hosts; several VMs move together only from one host (select the VMs of one host)</source>
        <translation>Migrieren: Die ausgewählten VMs befinden sich auf verschiedenen Hosts; mehrere VMs werden nur gemeinsam von einem Host verschoben (wählen Sie die VMs eines Hosts aus)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move {count} virtual machines to one host, one after another</source>
        <translation>{count} virtuelle Computer nacheinander auf einen Host verschieben</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Migrate: select one virtual machine</source>
        <translation>Migrieren: Wählen Sie einen einzelnen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Move {name} to another host: the wizard rates the hosts, checks the move and predicts its time and downtime</source>
        <translation>{name} auf einen anderen Host verschieben: Der Assistent bewertet die Hosts, überprüft das Verschieben und sagt Dauer und Ausfallzeit vorher</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Move VM Storage: {why}</source>
        <translation>VM-Speicher verschieben: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move VM Storage: select one virtual machine</source>
        <translation>VM-Speicher verschieben: Wählen Sie einen einzelnen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move VM Storage needs {states}; {name} is {state}</source>
        <translation>VM-Speicher verschieben erfordert den Status {states}; {name} hat den Status {state}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Move the virtual hard disk of {name} to another folder of its host while it runs</source>
        <translation>Virtuelle Festplatte von {name} während der Ausführung in einen anderen Ordner seines Hosts verschieben</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Checkpoint</source>
        <translation>Prüfpunkt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{operation}: select one virtual machine</source>
        <translation>{operation}: Wählen Sie einen einzelnen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revert: {name} has no checkpoint to go back to</source>
        <translation>Zurücksetzen: {name} hat keinen Prüfpunkt, zu dem zurückgekehrt werden kann</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Go back to {checkpoint}: the current state of {name} is lost</source>
        <translation>Zu {checkpoint} zurückkehren: Der aktuelle Zustand von {name} geht verloren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Take a checkpoint of {name}</source>
        <translation>Einen Prüfpunkt von {name} erstellen</translation>
    </message>
    <message>
        <location line="-51"/>
        <location line="+6"/>
        <source>Migrate needs {states}; {name} is {state}</source>
        <translation>Migrieren erfordert den Status {states}; {name} hat den Status {state}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Move {name} to another libvirt host (live migration)</source>
        <translation>{name} auf einen anderen libvirt-Host verschieben (Livemigration)</translation>
    </message>
</context>
<context>
    <name>VmOperations</name>
    <message>
        <location filename="../../gui/operations/vm.py" line="+15"/>
        <source>Cannot start</source>
        <translation>Starten nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot shut down</source>
        <translation>Herunterfahren nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot turn off</source>
        <translation>Ausschalten nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot pause</source>
        <translation>Anhalten nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot resume</source>
        <translation>Fortsetzen nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot reset</source>
        <translation>Zurücksetzen nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot delete</source>
        <translation>Löschen nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings not applied</source>
        <translation>Einstellungen nicht übernommen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key-value pair not set</source>
        <translation>Schlüssel-Wert-Paar nicht festgelegt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot migrate</source>
        <translation>Migrieren nicht möglich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Console unavailable</source>
        <translation>Konsole nicht verfügbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Virtual machine not created</source>
        <translation>Virtueller Computer nicht erstellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No script</source>
        <translation>Kein Skript</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot {what}</source>
        <translation>{what} nicht möglich</translation>
    </message>
</context>
<context>
    <name>VmStates</name>
    <message>
        <location filename="../../gui/vmstates.py" line="+26"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shut Down</source>
        <translation>Herunterfahren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn Off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete Saved State</source>
        <translation>Gespeicherten Zustand löschen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Migrate</source>
        <translation>Migrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Starting</source>
        <translation>Wird gestartet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>Wird ausgeführt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pausing</source>
        <translation>Wird angehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resuming</source>
        <translation>Wird fortgesetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saving</source>
        <translation>Wird gespeichert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopping</source>
        <translation>Wird beendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration error</source>
        <translation>Konfigurationsfehler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{states} or {last}</source>
        <translation>{states} oder {last}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{names} and {count} more</source>
        <translation>{names} und {count} weitere</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{name} is {state}</source>
        <translation>{name} hat den Status {state}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} more cannot</source>
        <translation>{count} weitere ebenfalls nicht</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{operation}: select a virtual machine first</source>
        <translation>{operation}: Wählen Sie zuerst einen virtuellen Computer aus</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{operation} needs {states}; {why}</source>
        <translation>{operation} erfordert den Status {states}; {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{operation} {names}</source>
        <translation>{operation}: {names}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (skipped: {why}; {operation} needs {states})</source>
        <translation> (übersprungen: {why}; {operation} erfordert den Status {states})</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} is {state}: processors, memory, the guest image and devices can change only while it is Off</source>
        <translation>{name} hat den Status {state}: Prozessoren, Arbeitsspeicher, Gastimage und Geräte können nur im Status „Aus“ geändert werden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Turning off is like pulling the power cord: everything in the guest&apos;s memory that it has not written elsewhere - running programs, unsaved work, the console session - is lost.</source>
        <translation>Das Ausschalten entspricht dem Ziehen des Netzsteckers: Alles im Arbeitsspeicher des Gasts, was nicht anderweitig gespeichert wurde – laufende Programme, nicht gespeicherte Arbeit, die Konsolensitzung –, geht verloren.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The saved state of {names} is deleted.</source>
        <translation>Der gespeicherte Zustand von {names} wird gelöscht.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off virtual machines</source>
        <translation>Virtuelle Computer ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off virtual machine</source>
        <translation>Virtuellen Computer ausschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Turn off {names}?</source>
        <translation>{names} ausschalten?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset virtual machines</source>
        <translation>Virtuelle Computer zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset virtual machine</source>
        <translation>Virtuellen Computer zurücksetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset {names}?</source>
        <translation>{names} zurücksetzen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset restarts the guest at once, without asking it: its running programs and everything in its memory are lost.</source>
        <translation>Beim Zurücksetzen wird der Gast sofort und ohne Rückfrage neu gestartet: Seine laufenden Programme und alles in seinem Arbeitsspeicher gehen verloren.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Their configurations and saved states ({folders}{more}) will be deleted. Guest image files are not touched.</source>
        <translation>Ihre Konfigurationen und gespeicherten Zustände ({folders}{more}) werden gelöscht. Gastimagedateien bleiben unverändert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Their configurations ({folders}{more}) will be deleted. Guest image files are not touched.</source>
        <translation>Ihre Konfigurationen ({folders}{more}) werden gelöscht. Gastimagedateien bleiben unverändert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Its configuration and saved state in {folders} will be deleted. The guest image file is not touched.</source>
        <translation>Seine Konfiguration und sein gespeicherter Zustand in {folders} werden gelöscht. Die Gastimagedatei bleibt unverändert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its configuration in {folders} will be deleted. The guest image file is not touched.</source>
        <translation>Seine Konfiguration in {folders} wird gelöscht. Die Gastimagedatei bleibt unverändert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Virtual hard disks are kept unless you tick the box below.</source>
        <translation>Virtuelle Festplatten bleiben erhalten, sofern Sie nicht das Kontrollkästchen unten aktivieren.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete virtual machines</source>
        <translation>Virtuelle Computer löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete virtual machine</source>
        <translation>Virtuellen Computer löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {names}?</source>
        <translation>{names} löschen?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Also delete the virtual hard disks ({disks})</source>
        <translation>Auch die virtuellen Festplatten löschen ({disks})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also delete the virtual hard disk ({disks})</source>
        <translation>Auch die virtuelle Festplatte löschen ({disks})</translation>
    </message>
</context>
<context>
    <name>VmTable</name>
    <message>
        <location filename="../../gui/models/vm_table.py" line="+42"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU Usage</source>
        <translation>CPU-Auslastung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned Memory</source>
        <translation>Zugewiesener Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uptime</source>
        <translation>Betriebszeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heartbeat/Status</source>
        <translation>Takt/Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operation</source>
        <translation>Vorgang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU History</source>
        <translation>CPU-Verlauf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No activity for {seconds} s</source>
        <translation>Seit {seconds} s keine Aktivität</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>CPU over the last minute, now {cpu}</source>
        <translation>CPU in der letzten Minute, aktuell {cpu}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not running</source>
        <translation>wird nicht ausgeführt</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Health: {health}</source>
        <translation>Integrität: {health}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Heartbeat: {heartbeat}. {health}</source>
        <translation>Takt: {heartbeat}. {health}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{status}. No heartbeat from this guest (integration services off, or a guest without them): derived from its VM exits and CPU time. {health}</source>
        <translation>{status}. Kein Takt von diesem Gast (Integrationsdienste aus oder ein Gast ohne sie): abgeleitet aus seinen VM-Exits und seiner CPU-Zeit. {health}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Active alert: {messages}</source>
        <translation>Aktive Warnung: {messages}</translation>
    </message>
    <message>
        <location line="+246"/>
        <source>Guest CPU time over wall time, per virtual processor, since the last refresh</source>
        <translation>CPU-Zeit des Gasts im Verhältnis zur realen Zeit, pro virtuellem Prozessor, seit der letzten Aktualisierung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory assigned to the running VM</source>
        <translation>Dem ausgeführten virtuellen Computer zugewiesener Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The guest&apos;s heartbeat (OK, No Contact, Lost Communication, Paused) and the VM&apos;s health (Degraded or Critical with the reason)</source>
        <translation>Takt des Gasts (OK, Kein Kontakt, Kommunikation unterbrochen, Angehalten) und Integrität des virtuellen Computers (Beeinträchtigt oder Kritisch mit Grund)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The job running on the VM, with its progress</source>
        <translation>Der auf dem virtuellen Computer ausgeführte Auftrag mit seinem Fortschritt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU usage over the last minute</source>
        <translation>CPU-Auslastung in der letzten Minute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host the virtual machine runs on</source>
        <translation>Der Host, auf dem der virtuelle Computer ausgeführt wird</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <location filename="../../gui/wizards/base.py" line="+21"/>
        <source>&amp;Finish</source>
        <translation>&amp;Fertig stellen</translation>
    </message>
</context>
</TS>
