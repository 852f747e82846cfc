"""Converting machines from other platforms (V2V) and physical ones (P2V) into Bulkhead's (docs/conversion.md).

Qt-free and host-free: parsers of foreign descriptors (VMX and VMDK, OVF and OVA, VirtualBox, libvirt domain XML,
Hyper-V exported XML) make one ``SourceVm`` (``source.py``); ``mapping.plan`` turns it into what a kind of host
creates, with a conversion report; ``qemu_img`` converts and compares disks. Hosts (core/local, core/libvirt)
import this package; it imports only core.model.
"""
