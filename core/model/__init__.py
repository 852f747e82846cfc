"""Qt-free vocabulary every layer shares: VM states and the operations table, errors, sizes, VmSpec and
VmChanges, host limits, the host methods and their parameters, atomic files. Imports nothing else of core."""
