"""What every kind of host shares: the HostBackend protocol, the method registry, jobs, metrics, alerts and the
folders Bulkhead keeps its data in."""
