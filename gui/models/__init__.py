"""Qt item models over controller data: the VM list and the jobs list."""
