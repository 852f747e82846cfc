"""The host service: the durable VM store, jobs with a history, and the VMs it runs."""
